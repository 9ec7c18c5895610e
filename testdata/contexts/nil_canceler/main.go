// lost-cancel: a connection keeps its context's cancel func in a field, and a reset sets the
// field to nil before anyone called it; the handler goroutine ends with the context live. Two
// connections lose theirs at the same line: one finding that counts the two contexts.
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
	ctx, cancel := trail.WithCancel(parent) // want lost-cancel context
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
	c.reset()
	c.end()
}

func main() {
	stop := tracefile.Start()
	defer stop()
	root := trail.Background()
	var wg sync.WaitGroup
	wg.Add(2)
	go handle(root, &wg)
	go handle(root, &wg) // want-text lost-cancel "^2 contexts with the same cause, e.g. "
	wg.Wait()
	time.Sleep(20 * time.Millisecond)
}
