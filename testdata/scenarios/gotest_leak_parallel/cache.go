// Package gotestleakparallel is a scenario traced with `go test -trace`: a cache whose janitor
// goroutine outlives the parallel tests and subtests that forget to close it.
package gotestleakparallel

import (
	"sync"
	"time"
)

// Cache maps keys to values and drops expired entries every minute.
type Cache struct {
	mu      sync.Mutex
	entries map[string]entry
	quit    chan struct{}
	done    chan struct{}
}

type entry struct {
	value   string
	expires time.Time
}

// New starts the cache's janitor; call Close to stop it.
func New() *Cache {
	c := &Cache{entries: map[string]entry{}, quit: make(chan struct{}), done: make(chan struct{})}
	go c.janitor(time.Minute) // want leaked-goroutine creation
	return c
}

func (c *Cache) janitor(every time.Duration) {
	defer close(c.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select { // want leaked-goroutine block
		case <-c.quit:
			return
		case now := <-tick.C:
			c.mu.Lock()
			for k, e := range c.entries {
				if now.After(e.expires) {
					delete(c.entries, k)
				}
			}
			c.mu.Unlock()
		}
	}
}

// Put stores value under key for ttl.
func (c *Cache) Put(key, value string, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = entry{value, time.Now().Add(ttl)}
}

// Get returns the value under key, if it has not expired.
func (c *Cache) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Now().After(e.expires) {
		return "", false
	}
	return e.value, true
}

// Close stops the janitor and waits for it.
func (c *Cache) Close() {
	close(c.quit)
	<-c.done
}
