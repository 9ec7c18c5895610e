// Scenario: a cache refresher starts a fetch and waits for its result; the fetch watches the
// context and returns on cancel without sending, so the refresher, parked on the result channel
// since before the cancel, waits forever (with the cache lock held: readers queue behind it).
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
	c.val = <-out // want blocked-forever block
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
	go c.refresh(ctx) // want blocked-forever creation
	time.Sleep(20 * time.Millisecond)
	go func() { _ = c.get() }()
	time.Sleep(130 * time.Millisecond)
	cancel() // want blocked-forever cancel
	time.Sleep(1500 * time.Millisecond)
	stop()
}
