// Clean twin of lost_cancel_in_loop: each call defers its own cancel, on every path.
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

func call(parent context.Context, i int) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	c := &conn{closed: make(chan struct{})}
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	time.Sleep(5 * time.Millisecond) // the round trip
	if i%3 == 0 {
		return errors.New("bad request")
	}
	return nil
}

func main() {
	stop := tracefile.Start()
	for i := 0; i < 9; i++ {
		if err := call(context.Background(), i); err != nil {
			fmt.Println("call", i, err)
		}
	}
	time.Sleep(1500 * time.Millisecond)
	stop()
}
