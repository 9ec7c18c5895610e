// Clean twin of nil_canceler: the cancel func is called before the reset.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

type conn struct {
	cancel context.CancelFunc
}

func (c *conn) begin(parent context.Context) context.Context {
	ctx, cancel := trail.WithCancel(parent)
	c.cancel = cancel
	return ctx
}

func (c *conn) reset() { c.cancel = nil }

func (c *conn) end() {
	if c.cancel != nil {
		c.cancel()
	}
}

func handle(parent context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	var c conn
	ctx := c.begin(parent)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Millisecond):
	}
	c.end()
	c.reset()
}

func main() {
	stop := tracefile.Start()
	defer stop()
	root := trail.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go handle(root, &wg)
	wg.Wait()
	time.Sleep(20 * time.Millisecond)
}
