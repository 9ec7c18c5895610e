// Clean twin of afterfunc_callback_blocks: the events channel has room for the callback's
// report, so the callback returns at once.
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
		s.events <- "session cancelled"
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
	s := &session{events: make(chan string, 1)}
	s.watch(ctx)
	done := make(chan struct{})
	go func() { defer close(done); s.run(ctx) }()
	time.Sleep(150 * time.Millisecond)
	cancel()
	<-done
	time.Sleep(1500 * time.Millisecond)
	stop()
}
