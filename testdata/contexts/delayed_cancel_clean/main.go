// Clean twin of delayed_cancel: cancel is called as soon as the worker is done.
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
	ctx, cancel := trail.WithCancel(parent)
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(ctx, &wg)
	wg.Wait()
	cancel()
	time.Sleep(150 * time.Millisecond)
}

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
