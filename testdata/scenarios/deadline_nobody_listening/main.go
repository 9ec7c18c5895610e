// Scenario: a lookup is bounded by a deadline. The caller stops waiting when the deadline passes,
// but the goroutine doing the lookup never watches the context: it finishes long after the
// deadline and blocks forever handing its result to a caller who is no longer listening.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type result struct {
	addr string
	err  error
}

// resolve is a slow lookup that takes no context.
func resolve(host string) (string, error) {
	time.Sleep(400 * time.Millisecond)
	return "127.0.0.1", nil
}

// lookup resolves host within ctx's deadline.
func lookup(ctx context.Context, host string) (string, error) {
	// BUG: unbuffered, so the send blocks forever once lookup has returned.
	ch := make(chan result)
	go func() { // want orphaned-goroutine creation
		addr, err := resolve(host)
		ch <- result{addr, err} // want orphaned-goroutine block
	}()
	select {
	case r := <-ch:
		return r.addr, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func main() {
	stop := tracefile.Start()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the request handler
		defer wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := lookup(ctx, "db.internal")
		fmt.Println("lookup:", err, errors.Is(err, context.DeadlineExceeded))
	}()
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
