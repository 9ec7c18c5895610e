// Clean twin of cancel_never_called: Close cancels the connection's context, so the watcher
// wakes, closes the socket and exits.
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
	go func() {
		<-ctx.Done()
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
	c.cancel() // ends the watcher, which closes the socket
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
