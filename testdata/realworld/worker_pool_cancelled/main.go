// A worker pool shut down right: four workers take jobs from a channel and watch the pool's
// context; a producer feeds jobs until the same context is cancelled. Cancelling it ends the
// producer and every worker within microseconds, and the owner waits for them all. Nothing is
// slow, nothing leaks: no finding.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail.test/realworld/internal/tracefile"
)

func worker(ctx context.Context, jobs <-chan int, done func()) {
	defer done()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			time.Sleep(time.Duration(j%3) * time.Millisecond)
		}
	}
}

func produce(ctx context.Context, jobs chan<- int, done func()) {
	defer done()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case jobs <- i:
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go worker(ctx, jobs, wg.Done)
	}
	wg.Add(1)
	go produce(ctx, jobs, wg.Done)
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(200 * time.Millisecond)
	stop()
}
