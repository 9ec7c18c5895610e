// Clean twin of refresh_waits_on_fetch: the refresher waits for the result or the cancel, so it
// returns (and unlocks) with the fetch, and the reader gets the old value.
package main

import (
	"context"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type cache struct {
	mu  sync.Mutex
	val int
}

func fetch(ctx context.Context, out chan<- int) {
	select {
	case <-time.After(5 * time.Second):
		out <- 1
	case <-ctx.Done():
		return
	}
}

func (c *cache) refresh(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(chan int)
	go fetch(ctx, out)
	select {
	case c.val = <-out:
	case <-ctx.Done():
	}
}

func (c *cache) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.val
}

func main() {
	stop := tracefile.Start()
	c := &cache{}
	ctx, cancel := context.WithCancel(context.Background())
	go c.refresh(ctx)
	time.Sleep(20 * time.Millisecond)
	done := make(chan struct{})
	go func() { defer close(done); _ = c.get() }()
	time.Sleep(130 * time.Millisecond)
	cancel()
	<-done
	time.Sleep(1500 * time.Millisecond)
	stop()
}
