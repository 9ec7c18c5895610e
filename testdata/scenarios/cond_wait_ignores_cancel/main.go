// Scenario: a queue built on sync.Cond. The producer watches the context and stops on cancel,
// but nothing wakes the consumer, parked in Cond.Wait (which cannot select on Done()) since
// before the cancel: it waits for an item that will never come.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *queue) push(item string) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.cond.Signal()
}

// pop waits for an item.
func (q *queue) pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want blocked-forever block
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item
}

// produce pushes a burst of items, then one more per tick, until ctx is cancelled.
func produce(ctx context.Context, q *queue) {
	for i := 0; i < 3; i++ {
		q.push(fmt.Sprintf("item %d", i))
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return // BUG: the consumer is never told that no more items will come
		case <-tick.C:
			q.push("tick")
		}
	}
}

func consume(q *queue) {
	for {
		fmt.Println("consumed", q.pop())
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	q := newQueue()
	go produce(ctx, q)
	go consume(q) // want blocked-forever creation
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
