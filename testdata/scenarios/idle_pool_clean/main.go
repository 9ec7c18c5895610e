// Clean: long-lived goroutines that are idle, not leaked. A worker pool made at startup waits
// for jobs for the life of the process, and a TCP server on 127.0.0.1 waits in Accept. Their
// creator, main, is alive; no context is ever cancelled.
package main

import (
	"fmt"
	"net"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		go func() {
			for job := range p.jobs {
				job()
				p.wg.Done()
			}
		}()
	}
	return p
}

func (p *pool) Do(job func()) {
	p.wg.Add(1)
	p.jobs <- job
}

func serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			fmt.Fprintln(c, "hello")
		}()
	}
}

func main() {
	stop := tracefile.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go serve(ln)
	p := newPool(4)
	for i := 0; i < 8; i++ {
		p.Do(func() { time.Sleep(10 * time.Millisecond) })
	}
	p.wg.Wait()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 16)
	n, _ := c.Read(buf)
	c.Close()
	fmt.Printf("server said %q\n", buf[:n])
	time.Sleep(1500 * time.Millisecond) // the process lives on, its pool and server idle
	stop()
}
