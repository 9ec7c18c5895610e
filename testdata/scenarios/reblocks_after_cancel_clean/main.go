// Clean twin of reblocks_after_cancel: on cancellation the batcher offers its partial batch only
// while someone may still take it, and gives up on the send when the context is done.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type event struct{ id int }

type batcher struct {
	in   chan event
	out  chan []event
	size int
}

// run groups events into batches of b.size until ctx is cancelled.
func (b *batcher) run(ctx context.Context) {
	var batch []event
	for {
		select {
		case <-ctx.Done():
			if len(batch) > 0 {
				fmt.Println("dropping partial batch of", len(batch))
			}
			return
		case ev := <-b.in:
			batch = append(batch, ev)
			if len(batch) == b.size {
				select {
				case b.out <- batch:
				case <-ctx.Done():
					return
				}
				batch = nil
			}
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	b := &batcher{in: make(chan event), out: make(chan []event), size: 4}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.run(ctx)
	}()
	go func() {
		for i := 0; i < 6; i++ {
			b.in <- event{id: i}
		}
	}()
	fmt.Println("first batch:", len(<-b.out))
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(1000 * time.Millisecond)
	stop()
}
