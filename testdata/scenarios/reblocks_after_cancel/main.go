// Scenario: a batcher stops on cancellation, but first tries to hand its partial batch to the
// consumer. The consumer cancelled precisely because it stopped reading, so the batcher, woken by
// the cancel, blocks again on that send and never exits.
package main

import (
	"context"
	"fmt"
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
				b.out <- batch // BUG: nobody reads out any more // want cancel-ignored block
			}
			return
		case ev := <-b.in:
			batch = append(batch, ev)
			if len(batch) == b.size {
				b.out <- batch
				batch = nil
			}
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	b := &batcher{in: make(chan event), out: make(chan []event), size: 4}
	go b.run(ctx) // want cancel-ignored creation
	go func() {
		for i := 0; i < 6; i++ {
			b.in <- event{id: i}
		}
	}()
	fmt.Println("first batch:", len(<-b.out))
	time.Sleep(200 * time.Millisecond)
	cancel() // the consumer is done: it reads no further batches
	time.Sleep(1500 * time.Millisecond)
	stop()
}
