// Scenario (clean twin of pubsub_leak): a broker fans out price ticks to subscribers. Subscribers unsubscribe when
// their context ends; the publisher's sends watch the broker's context, and on
// shutdown the broker closes every remaining subscriber channel.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type broker struct {
	mu   sync.Mutex
	subs map[int]chan float64
}

func (b *broker) subscribe(id int) <-chan float64 {
	ch := make(chan float64, 1)
	b.mu.Lock()
	b.subs[id] = ch
	b.mu.Unlock()
	return ch
}

func (b *broker) unsubscribe(id int) {
	b.mu.Lock()
	delete(b.subs, id)
	b.mu.Unlock()
}

func (b *broker) publish(ctx context.Context, p float64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- p:
		case <-ctx.Done():
			return false
		default: // a slow subscriber misses a tick
		}
	}
	return true
}

func (b *broker) run(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			b.mu.Lock()
			for id, ch := range b.subs {
				close(ch)
				delete(b.subs, id)
			}
			b.mu.Unlock()
			return
		case <-t.C:
			if !b.publish(ctx, 100+float64(i)) {
				return
			}
		}
	}
}

func subscriber(ctx context.Context, b *broker, id int, wg *sync.WaitGroup) {
	defer wg.Done()
	in := b.subscribe(id)
	defer b.unsubscribe(id)
	n := 0
	for {
		select {
		case <-ctx.Done():
			fmt.Printf("sub %d: %d ticks, leaving\n", id, n)
			return
		case _, ok := <-in:
			if !ok {
				return
			}
			n++
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	b := &broker{subs: map[int]chan float64{}}
	var wg sync.WaitGroup
	subCtx, subCancel := context.WithCancel(ctx)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go subscriber(subCtx, b, i, &wg)
	}
	done := make(chan struct{})
	go b.run(ctx, done)
	time.Sleep(100 * time.Millisecond)
	subCancel()
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	cancel()
	<-done
	time.Sleep(1500 * time.Millisecond)
	stop()
}
