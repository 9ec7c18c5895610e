// Scenario: a client makes calls in a loop, each under its own 5 s timeout, with a watcher that
// closes the call's connection when the call's context is done. On the error path the call
// drops the handle that holds its cancel func (go vet's lostcancel check cannot see this), so that call's watcher waits for a deadline that comes after
// the program has moved on: the contexts of the successful calls are cancelled and their
// watchers end, the failed calls' watchers stay blocked on Done().
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"scenarios/internal/tracefile"
)

type conn struct{ closed chan struct{} }

func (c *conn) Close() { close(c.closed) }

// handle is a call in flight; Release must be called when the caller is done with it.
type handle struct{ cancel context.CancelFunc }

func (h *handle) Release() { h.cancel() }

func call(parent context.Context, i int) (*handle, error) {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	h := &handle{cancel: cancel}
	c := &conn{closed: make(chan struct{})}
	go func() { // want blocked-forever creation
		<-ctx.Done() // want blocked-forever block
		c.Close()
	}()
	time.Sleep(5 * time.Millisecond) // the round trip
	if i%3 == 0 {
		return nil, errors.New("bad request") // BUG: h, and with it the cancel func, is dropped
	}
	return h, nil
}

func main() {
	stop := tracefile.Start()
	for i := 0; i < 9; i++ {
		h, err := call(context.Background(), i)
		if err != nil {
			fmt.Println("call", i, err)
			continue
		}
		h.Release()
	}
	time.Sleep(1500 * time.Millisecond)
	stop()
}
