// Scenario: a server hands jobs to two workers; each worker waits on its job under a per-job
// timeout derived from the server's context. On shutdown the server returns without closing the
// jobs channel: the workers, woken by the shutdown cancel in their per-job select, abandon the
// job and go back to `range jobs`, where they wait forever for a server that is gone.
package main

import (
	"context"
	"fmt"
	"time"

	"scenarios/internal/tracefile"
)

// slow answers after 300 ms.
func slow(n int) <-chan int {
	out := make(chan int, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		out <- n
	}()
	return out
}

func worker(ctx context.Context, jobs <-chan int) {
	for j := range jobs { // want cancel-ignored block
		jctx, cancel := context.WithTimeout(ctx, time.Second)
		select {
		case <-jctx.Done():
		case r := <-slow(j):
			_ = r
		}
		cancel()
	}
}

func serve(ctx context.Context, in <-chan int) {
	jobs := make(chan int)
	for i := 0; i < 2; i++ {
		go worker(ctx, jobs) // want cancel-ignored creation
	}
	for {
		select {
		case <-ctx.Done():
			return // BUG: jobs is never closed
		case j := <-in:
			jobs <- j
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	in := make(chan int)
	go serve(ctx, in)
	time.Sleep(10 * time.Millisecond) // the workers wait for their first job
	in <- 1
	in <- 2
	time.Sleep(150 * time.Millisecond) // both jobs in flight
	cancel()
	fmt.Println("shutdown")
	time.Sleep(1500 * time.Millisecond)
	stop()
}
