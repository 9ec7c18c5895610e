// Command blocked parks goroutines on each common kind of wait (chan receive, select, mutex,
// WaitGroup, sleep), in a generic function, locked to its thread and under pprof labels, then
// writes the goroutine profile with debug=2 (the text of /debug/pprof/goroutine?debug=2) to
// stdout. Run with GODEBUG=tracebacklabels=1 so the headers carry the labels.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

func receiver(ch chan int) { <-ch }

func selector(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

func locker(mu *sync.Mutex) {
	mu.Lock()
	mu.Unlock()
}

func waiter(wg *sync.WaitGroup) { wg.Wait() }

func sleeper() { time.Sleep(time.Hour) }

// park is generic: its frames print as "main.park[...]".
//
//go:noinline
func park[T any](ch chan T) { <-ch }

// pinned holds its OS thread: its header says "locked to thread".
func pinned(ch chan int) {
	runtime.LockOSThread()
	<-ch
}

type server struct{ requests chan int }

func (s *server) serve() {
	for range s.requests {
	}
}

func main() {
	never := make(chan int)
	go receiver(never)
	go selector(never, make(chan int))

	var mu sync.Mutex
	mu.Lock()
	go locker(&mu)

	var wg sync.WaitGroup
	wg.Add(1)
	go waiter(&wg)

	go sleeper()
	go park(make(chan string))
	go pinned(never)

	s := &server{requests: make(chan int)}
	pprof.Do(context.Background(), pprof.Labels("component", "server", "request", "r-1"), func(context.Context) {
		go s.serve()
	})

	// Let every goroutine reach its wait.
	for runtime.NumGoroutine() < 9 {
		runtime.Gosched()
	}
	time.Sleep(100 * time.Millisecond)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}
