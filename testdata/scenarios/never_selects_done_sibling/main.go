// Scenario: a relay runs two goroutines per subscription: a reader that pulls from the feed and
// watches the context, and a writer that pushes to the client and never does. On cancel the
// reader returns without closing the channel between them, so the writer stays blocked in its
// receive, from before the cancel that ended its sibling, forever.
package main

import (
	"context"
	"fmt"
	"time"

	"scenarios/internal/tracefile"
)

type relay struct {
	feed   chan string
	client chan string
}

// readLoop forwards feed messages to msgs until ctx is cancelled.
func (r *relay) readLoop(ctx context.Context, msgs chan<- string) {
	for {
		select {
		case <-ctx.Done():
			return // BUG: msgs is not closed, so writeLoop never ends
		case m := <-r.feed:
			msgs <- m
		}
	}
}

// writeLoop delivers messages to the client until msgs is closed.
func (r *relay) writeLoop(msgs <-chan string) {
	for m := range msgs { // want blocked-forever block
		r.client <- m
	}
}

func (r *relay) start(ctx context.Context) {
	msgs := make(chan string)
	go r.readLoop(ctx, msgs)
	go r.writeLoop(msgs) // want blocked-forever creation
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	r := &relay{feed: make(chan string), client: make(chan string, 16)}
	r.start(ctx)
	for i := 0; i < 3; i++ {
		r.feed <- fmt.Sprintf("tick %d", i)
	}
	time.Sleep(200 * time.Millisecond)
	cancel() // the subscriber went away
	time.Sleep(1500 * time.Millisecond)
	fmt.Println("delivered", len(r.client))
	stop()
}
