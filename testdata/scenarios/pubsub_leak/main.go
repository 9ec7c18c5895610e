// Scenario: a broker fans out price ticks to subscribers. Each subscriber reads until its
// context is cancelled and then returns, but never unsubscribes; the publisher, started by
// main.main (which lives on), sends to every registered subscriber channel without a select, so
// once the cancel has left a full buffer behind it blocks forever on a send to a subscriber that
// is gone.
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
	subs []chan float64
}

func (b *broker) subscribe() <-chan float64 {
	ch := make(chan float64, 1) // room for one tick: a subscriber may lag a little
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	return ch
}

func (b *broker) publish(p float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		ch <- p // want blocked-forever block
	}
}

func (b *broker) run(ticks int) {
	for i := 0; i < ticks; i++ {
		b.publish(100 + float64(i))
		time.Sleep(10 * time.Millisecond)
	}
}

func subscriber(ctx context.Context, id int, in <-chan float64, wg *sync.WaitGroup) {
	defer wg.Done()
	n := 0
	for {
		select {
		case <-ctx.Done():
			fmt.Printf("sub %d: %d ticks, leaving\n", id, n)
			return
		case <-in:
			n++
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	b := &broker{}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go subscriber(ctx, i, b.subscribe(), &wg)
	}
	time.Sleep(5 * time.Millisecond) // the subscribers are listening
	go b.run(1000)                   // want blocked-forever creation
	time.Sleep(100 * time.Millisecond)
	cancel() // want blocked-forever cancel
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
