// Clean twin of detached_background: the refresher runs under the session's context and stops
// with the session.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type session struct {
	id       int
	incoming chan string
	mu       sync.Mutex
	token    int
}

// refreshLoop renews the session's token until ctx is done.
func (s *session) refreshLoop(ctx context.Context) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.mu.Lock()
			s.token++
			s.mu.Unlock()
		}
	}
}

// serve runs the session until ctx is cancelled.
func (s *session) serve(ctx context.Context) {
	go s.refreshLoop(ctx) // ends with the session
	for {
		select {
		case <-ctx.Done():
			fmt.Printf("session %d: %v\n", s.id, ctx.Err())
			return
		case msg := <-s.incoming:
			_ = msg
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{id: 1, incoming: make(chan string)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.serve(ctx)
	}()
	s.incoming <- "hello"
	time.Sleep(250 * time.Millisecond)
	cancel() // the client went away
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
