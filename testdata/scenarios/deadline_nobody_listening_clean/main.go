// Clean twin of deadline_nobody_listening: the result channel has room for the late result, so
// the lookup goroutine finishes its send and exits after the deadline.
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
	// Room for the result: the send never blocks, even after lookup has returned.
	ch := make(chan result, 1)
	go func() {
		addr, err := resolve(host)
		ch <- result{addr, err}
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
