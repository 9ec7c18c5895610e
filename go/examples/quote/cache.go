package main

import (
	"context"
	"sync"
	"time"
)

// cache holds the last reference rate, refreshed in the background.
var cache rateCache

type rateCache struct {
	mu   sync.Mutex
	rate string
}

func (c *rateCache) get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

// refresh reloads the rate every `every` until quit is closed; each load has its own timeout,
// derived from ctx. The server's base context ctx is cancelled only once refresh returned:
// a load derived from it then would be done from the start.
func (c *rateCache) refresh(ctx context.Context, every time.Duration, quit <-chan struct{}) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		load, cancel := context.WithTimeout(ctx, every)
		rate, err := backends[0].quote(load, "EUR")
		cancel()
		if err == nil {
			c.mu.Lock()
			c.rate = rate
			c.mu.Unlock()
		}
		select {
		case <-quit:
			return
		case <-tick.C:
		}
	}
}
