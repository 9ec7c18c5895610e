// Clean: a worker pool bounds every call with its own WithTimeout. Some calls time out; the
// worker whose call timed out returns from it and goes on serving other jobs, which is how a pool
// is meant to work, not a cancel that was ignored. Closing the queue ends the pool.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

// jobCount keeps the pool busy for more than a second after its first timeouts.
const jobCount = 150

type job struct {
	id   int
	cost time.Duration
}

// call does one job, giving up when ctx is done.
func call(ctx context.Context, j job) error {
	select {
	case <-time.After(j.cost):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func worker(ctx context.Context, jobs <-chan job, results chan<- error) {
	for j := range jobs {
		callCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		err := call(callCtx, j)
		cancel()
		results <- err
	}
}

func main() {
	stop := tracefile.Start()
	ctx := context.Background()
	jobs := make(chan job)
	results := make(chan error)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker(ctx, jobs, results)
		}()
	}
	go func() {
		for i := 0; i < jobCount; i++ {
			cost := 20 * time.Millisecond
			if i < 20 && i%10 == 3 {
				cost = time.Second // times out after 50ms, early on
			}
			jobs <- job{id: i, cost: cost}
		}
		close(jobs)
	}()
	timeouts := 0
	for i := 0; i < jobCount; i++ {
		if err := <-results; errors.Is(err, context.DeadlineExceeded) {
			timeouts++
		}
	}
	wg.Wait()
	fmt.Println("timeouts:", timeouts)
	time.Sleep(300 * time.Millisecond)
	stop()
}
