// Clean twin of cond_wait_ignores_cancel: the producer closes the queue when it stops, which
// broadcasts to the consumer parked in Cond.Wait; the consumer sees the queue closed and returns.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []string
	closed bool
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

// close wakes every waiter: no more items will come.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// pop waits for an item; ok is false once the queue is closed and empty.
func (q *queue) pop() (item string, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	item = q.items[0]
	q.items = q.items[1:]
	return item, true
}

// produce pushes a burst of items, then one more per tick, until ctx is cancelled.
func produce(ctx context.Context, q *queue) {
	defer q.close()
	for i := 0; i < 3; i++ {
		q.push(fmt.Sprintf("item %d", i))
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			q.push("tick")
		}
	}
}

func consume(q *queue, done chan<- struct{}) {
	defer close(done)
	for {
		item, ok := q.pop()
		if !ok {
			return
		}
		fmt.Println("consumed", item)
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	q := newQueue()
	done := make(chan struct{})
	go produce(ctx, q)
	go consume(q, done)
	time.Sleep(200 * time.Millisecond)
	cancel()
	<-done
	time.Sleep(1000 * time.Millisecond)
	stop()
}
