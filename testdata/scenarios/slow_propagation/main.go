// Scenario: a notification hub gives every subscriber its own context, derived from the hub's,
// and a goroutine that delivers to it. Shutting the hub down cancels tens of thousands of child
// contexts in one call, and the last watcher is woken long after the cancel began.
package main

import (
	"context"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

const subscribers = 15000

type hub struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	unsubs []context.CancelFunc
}

func newHub() *hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &hub{ctx: ctx, cancel: cancel}
}

// subscribe starts the goroutine that delivers messages to one subscriber until the
// subscription or the hub is cancelled.
func (h *hub) subscribe(inbox <-chan string, deliver func(string)) {
	ctx, unsubscribe := context.WithCancel(h.ctx)
	h.mu.Lock()
	h.unsubs = append(h.unsubs, unsubscribe)
	h.mu.Unlock()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case msg := <-inbox:
				deliver(msg)
			}
		}
	}()
}

// Close stops every subscriber and waits for them.
func (h *hub) Close() {
	h.cancel() // want slow-propagation cancel
	h.wg.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, unsubscribe := range h.unsubs {
		unsubscribe()
	}
}

func main() {
	stop := tracefile.Start()
	h := newHub()
	inbox := make(chan string)
	var delivered sync.WaitGroup
	for i := 0; i < subscribers; i++ {
		h.subscribe(inbox, func(string) { delivered.Done() })
	}
	delivered.Add(3)
	for _, msg := range []string{"hello", "news", "bye"} {
		inbox <- msg
	}
	delivered.Wait()
	time.Sleep(300 * time.Millisecond)
	h.Close()
	time.Sleep(200 * time.Millisecond)
	stop()
}
