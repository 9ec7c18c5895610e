// An errgroup whose child deadline cancels the parent: each request fans out two lookups under
// errgroup.WithContext; one lookup gives itself a 5 ms deadline (trail.WithTimeout) that fires
// before its backend answers, it returns ctx.Err(), and errgroup then cancels the group's
// context, which ends the other lookup. The request's own context is cancelled by the
// request's deferred cancel after Wait. Nothing races: the deadline fired first and everything
// else was cancelled because of it, and no context is cancelled by a parent that was done
// before it existed. Nothing leaks.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"golang.org/x/sync/errgroup"

	"ctxtrail.test/realworld/internal/tracefile"
)

// backend answers after latency unless ctx is done first.
func backend(ctx context.Context, latency time.Duration) error {
	select {
	case <-time.After(latency):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// lookupWithBudget bounds its own call with a deadline shorter than the backend's latency.
func lookupWithBudget(ctx context.Context) error {
	ctx, cancel := trail.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel()
	return backend(ctx, 40*time.Millisecond)
}

func handle() error {
	ctx, cancel := trail.WithCancel(trail.Background())
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return lookupWithBudget(gctx) })
	g.Go(func() error { return backend(gctx, time.Second) })
	return g.Wait()
}

func main() {
	stop := tracefile.Start()
	for i := 0; i < 5; i++ {
		if err := handle(); !errors.Is(err, context.DeadlineExceeded) {
			// The lookup's own deadline must be what ends every request.
			fmt.Fprintln(os.Stderr, "request", i, "ended with", err)
			os.Exit(1)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	stop()
}
