// Clean twin of never_selects_done_sibling: the reader closes the channel to the writer when it
// stops, so the writer leaves its range loop and exits with it.
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

// readLoop forwards feed messages to msgs until ctx is cancelled, then closes msgs.
func (r *relay) readLoop(ctx context.Context, msgs chan<- string) {
	defer close(msgs) // ends writeLoop
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-r.feed:
			msgs <- m
		}
	}
}

// writeLoop delivers messages to the client until msgs is closed.
func (r *relay) writeLoop(msgs <-chan string) {
	for m := range msgs {
		r.client <- m
	}
}

func (r *relay) start(ctx context.Context) {
	msgs := make(chan string)
	go r.readLoop(ctx, msgs)
	go r.writeLoop(msgs)
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
