// Program netio exercises syscalls: file writes and reads, a pipe, and a TCP echo server and
// clients over 127.0.0.1 (network poller blocking). Usage: netio OUT.trace
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"

	"ctxtrail/testdata/programs/internal/traced"
)

func main() {
	traced.Run(os.Args[1], func() {
		files()
		pipe()
		network()
	})
}

func files() {
	dir, err := os.MkdirTemp("", "netio")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	buf := make([]byte, 64<<10)
	for i := 0; i < 8; i++ {
		name := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(name, buf, 0o644); err != nil {
			panic(err)
		}
		if _, err := os.ReadFile(name); err != nil {
			panic(err)
		}
	}
}

func pipe() {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	go func() {
		for i := 0; i < 50; i++ {
			fmt.Fprintf(w, "line %d\n", i)
		}
		w.Close()
	}()
	if _, err := io.Copy(io.Discard, r); err != nil {
		panic(err)
	}
	r.Close()
}

func network() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			defer c.Close()
			rd := bufio.NewReader(c)
			for j := 0; j < 20; j++ {
				fmt.Fprintf(c, "ping %d\n", j)
				if _, err := rd.ReadString('\n'); err != nil {
					panic(err)
				}
			}
		}()
	}
	wg.Wait()
	ln.Close()
}
