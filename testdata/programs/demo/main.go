// Program demo shows a broken context cancellation chain. A server-like parent starts three
// workers under one cancellable context and then cancels it:
//
//   - worker "watcher-1" and "watcher-2" select on ctx.Done() and exit promptly;
//   - worker "leaky" never looks at ctx: it waits on a results channel that nobody will ever
//     send on again, so it stays blocked on "chan receive" forever after the cancel.
//
// The trace is stopped 700ms after the cancel, with the leaked goroutine still Waiting;
// `ctxtrail analyze` reports it as blocked-forever (its siblings ended with the cancel wave).
// Usage: demo OUT.trace
package main

import (
	"context"
	"os"
	"sync"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func watcher(ctx context.Context, wg *sync.WaitGroup, jobs <-chan int) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			time.Sleep(time.Duration(j) * 10 * time.Microsecond)
		}
	}
}

// leaky ignores its context: after the parent cancels, nothing sends on results again.
func leaky(ctx context.Context, results <-chan string) {
	_ = ctx
	for r := range results {
		_ = r
	}
}

func main() {
	traced.Run(os.Args[1], func() {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		jobs := make(chan int)
		results := make(chan string)
		wg.Add(2)
		go watcher(ctx, &wg, jobs)
		go watcher(ctx, &wg, jobs)
		go leaky(ctx, results)
		for i := 0; i < 20; i++ {
			jobs <- i
		}
		results <- "first"
		results <- "second"
		time.Sleep(time.Millisecond)
		cancel()
		wg.Wait() // the watchers are gone; the leaky worker is still parked on results
		// Keep tracing well past ctxtrail's default --grace (500ms), so the leak is a finding.
		time.Sleep(700 * time.Millisecond)
	})
}
