// Clean: a connection's reader blocks on the wire, not on the context; context.AfterFunc closes
// the connection when the context ends, which ends the reader. A second AfterFunc, for a request
// that finished first, is stopped and never runs.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

// conn stands in for a network connection: reads block until data arrives or it is closed.
type conn struct {
	data      chan string
	closeOnce sync.Once
}

func (c *conn) Read() (string, bool) {
	s, ok := <-c.data
	return s, ok
}

func (c *conn) Close() { c.closeOnce.Do(func() { close(c.data) }) }

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{data: make(chan string)}
	closeOnCancel := context.AfterFunc(ctx, c.Close)
	defer closeOnCancel()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the reader
		defer wg.Done()
		for {
			msg, ok := c.Read()
			if !ok {
				return
			}
			fmt.Println("read", msg)
		}
	}()

	reqCtx, reqCancel := context.WithTimeout(ctx, time.Second)
	stopLog := context.AfterFunc(reqCtx, func() { fmt.Println("request abandoned") })
	c.data <- "response"
	stopLog() // the request completed: the callback never runs
	reqCancel()

	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(800 * time.Millisecond)
	stop()
}
