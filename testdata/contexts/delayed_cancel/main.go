// late-cancel: the handler's defer cancel() runs only when the handler returns, long after
// the worker that watched the context had finished.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func worker(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	select {
	case <-ctx.Done():
	case <-time.After(2 * time.Millisecond):
	}
}

func handle(parent context.Context) {
	ctx, cancel := trail.WithCancel(parent) // want late-cancel context
	defer cancel()                          // runs at the closing brace: the cancel site Go reports
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(ctx, &wg)
	wg.Wait()
	time.Sleep(150 * time.Millisecond) // unrelated slow work: the context lives on
} // want late-cancel cancel

func main() {
	stop := tracefile.Start()
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		handle(trail.Background())
	}()
	<-done
}
