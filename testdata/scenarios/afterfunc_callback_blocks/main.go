// Scenario: a session reports its cancellation from a context.AfterFunc callback, on an
// unbuffered channel that only the session loop reads; the loop returns on the same cancel, so
// the callback, started by the cancel call in main (which lives on), blocks forever.
package main

import (
	"context"
	"fmt"
	"time"

	"scenarios/internal/tracefile"
)

type session struct{ events chan string }

func (s *session) watch(ctx context.Context) {
	context.AfterFunc(ctx, func() {
		s.events <- "session cancelled" // want leaked-goroutine block
	})
}

func (s *session) run(ctx context.Context) {
	for {
		select {
		case e := <-s.events:
			fmt.Println(e)
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{events: make(chan string)}
	s.watch(ctx)
	done := make(chan struct{})
	go func() { defer close(done); s.run(ctx) }()
	time.Sleep(150 * time.Millisecond)
	cancel() // want leaked-goroutine cancel
	<-done
	time.Sleep(1500 * time.Millisecond)
	stop()
}
