// Command longlived is a correct long-running service, traced the way GoKer's kernels are run
// in main mode: everything is started by functions that return, then the process lives on (like a
// server) while its goroutines sit parked the way correct long-lived goroutines do. ctxtrail must
// report none of them (scripts/real-suites runs it with `go run` and analyzes its trace).
//
//	go run ./bench/longlived TRACE-FILE
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

// pool: workers waiting for work on a channel (`for job := range jobs`).
type pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	for range n {
		p.wg.Add(1)
		go p.worker()
	}
	return p
}

func (p *pool) worker() {
	defer p.wg.Done()
	for job := range p.jobs {
		job()
	}
}

// results: a fan-in whose closer waits for the (idle, long-lived) producers.
func startFanIn(in <-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- v * 2
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// janitor: a periodic sweep until Close.
type janitor struct {
	stop chan struct{}
	done chan struct{}
}

func startJanitor(every time.Duration) *janitor {
	j := &janitor{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(j.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-j.stop:
				return
			case <-t.C:
			}
		}
	}()
	return j
}

func (j *janitor) Close() { close(j.stop); <-j.done }

// dispatcher: one goroutine hands requests to workers over a channel of its own.
func startDispatcher(in <-chan string) {
	work := make(chan string)
	for range 2 {
		go func() {
			for s := range work {
				_ = len(s)
			}
		}()
	}
	go func() {
		for s := range in {
			work <- s
		}
	}()
}

// refresher: waits on a condition that request goroutines signal.
type cache struct {
	mu    sync.Mutex
	cond  *sync.Cond
	dirty bool
	value int
}

func startCache() *cache {
	c := &cache{}
	c.cond = sync.NewCond(&c.mu)
	go func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for {
			for !c.dirty {
				c.cond.Wait()
			}
			c.dirty = false
			c.value++
		}
	}()
	return c
}

func (c *cache) invalidate() {
	c.mu.Lock()
	c.dirty = true
	c.mu.Unlock()
	c.cond.Signal()
}

// acceptLoop: the server's own accept loop, and one goroutine per connection.
func startServer(handler http.Handler) (addr string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: handler}
	go func() { _ = srv.Serve(ln) }()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go acceptLoop(raw)
	return ln.Addr().String(), func() { _ = srv.Close(); _ = raw.Close() }
}

func acceptLoop(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() { defer c.Close(); _, _ = io.Copy(io.Discard, c) }()
	}
}

// watchShutdown: waits for the signal to shut down (a context nobody has cancelled yet).
func watchShutdown(ctx context.Context, stop func()) {
	go func() {
		<-ctx.Done()
		stop()
	}()
}

func setup(ctx context.Context) {
	used := newPool(4)
	_ = newPool(2) // never handed work yet
	in := make(chan int)
	results := startFanIn(in)
	go func() {
		for range results {
		}
	}()
	_ = startJanitor(time.Minute) // never fires within the trace
	_ = startJanitor(10 * time.Millisecond)
	startJanitor(5 * time.Millisecond).Close() // stopped at Close
	requests := make(chan string)
	startDispatcher(requests)
	c := startCache()
	addr, stop := startServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		used.jobs <- func() { close(done) } // handed to the pool by a short-lived handler goroutine
		<-done
		c.invalidate()
		fmt.Fprintln(w, "ok")
	}))
	watchShutdown(ctx, stop)
	for i := range 5 {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		in <- i
		requests <- "r"
	}
	http.DefaultClient.CloseIdleConnections()
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: longlived TRACE-FILE")
		os.Exit(2)
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	setup(ctx)
	// Served; now the process lives on, as a server does, with everything parked.
	time.Sleep(1500 * time.Millisecond)
	trace.Stop()
	if err := f.Close(); err != nil {
		panic(err)
	}
}
