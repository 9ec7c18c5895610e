// Scenario: a server's dispatcher hands requests to a worker pool and stops when its context is
// cancelled, but it never closes the jobs channel and the workers never watch the context: they
// stay blocked in their receive, from before the cancel that ended their creator, forever.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type job struct{ id int }

func (j job) do() { time.Sleep(5 * time.Millisecond) }

// worker runs jobs until the jobs channel is closed.
func worker(jobs <-chan job) {
	for j := range jobs { // want blocked-forever block
		j.do()
	}
}

// serve dispatches requests to a pool of three workers until ctx is cancelled.
func serve(ctx context.Context, requests <-chan job) {
	jobs := make(chan job)
	for i := 0; i < 3; i++ {
		go worker(jobs) // want blocked-forever creation
	}
	for {
		select {
		case <-ctx.Done():
			return // BUG: jobs is never closed, so the workers wait forever
		case r := <-requests:
			jobs <- r
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	requests := make(chan job)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serve(ctx, requests)
	}()
	for i := 0; i < 6; i++ {
		requests <- job{id: i}
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	fmt.Println("server stopped")
	time.Sleep(1500 * time.Millisecond)
	stop()
}
