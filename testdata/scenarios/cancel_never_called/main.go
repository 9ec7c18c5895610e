// Scenario: every connection starts a watcher that closes the socket when the connection's
// context ends, but Close forgets to call the cancel function: the context is never cancelled
// and each watcher stays parked on Done() forever.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type conn struct {
	addr   string
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
}

// dial opens a connection that lives until ctx is done or Close is called.
func dial(ctx context.Context, addr string) *conn {
	ctx, cancel := context.WithCancel(ctx)
	c := &conn{addr: addr, cancel: cancel}
	go func() { // want leaked-goroutine creation
		<-ctx.Done() // want leaked-goroutine block
		c.closeSocket()
	}()
	return c
}

func (c *conn) closeSocket() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
}

func (c *conn) roundTrip(req string) string {
	time.Sleep(10 * time.Millisecond)
	return "ok " + req
}

// Close releases the connection.
func (c *conn) Close() error {
	c.closeSocket() // BUG: c.cancel is never called, so the watcher never ends
	return nil
}

func main() {
	stop := tracefile.Start()
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() { // one client session
			defer wg.Done()
			c := dial(context.Background(), fmt.Sprintf("10.0.0.%d:5432", i+1))
			defer c.Close()
			fmt.Println(c.roundTrip("SELECT 1"))
		}()
	}
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
