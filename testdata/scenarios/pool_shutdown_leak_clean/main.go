// Clean twin of pool_shutdown_leak: the server closes the jobs channel when it returns, so the
// workers, back at `range jobs` after the shutdown cancel, return too.
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
	for j := range jobs {
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
	defer close(jobs)
	for i := 0; i < 2; i++ {
		go worker(ctx, jobs)
	}
	for {
		select {
		case <-ctx.Done():
			return
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
