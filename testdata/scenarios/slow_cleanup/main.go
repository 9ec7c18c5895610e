// Scenario: a log shipper buffers lines and uploads them only when it is cancelled. The upload
// of the whole backlog, in several round trips, makes it exit long after the cancel woke it.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type shipper struct {
	lines chan string
	buf   []string
}

// run buffers lines until ctx is cancelled, then ships everything it holds.
func (s *shipper) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			s.flush()
			return
		case l := <-s.lines:
			s.buf = append(s.buf, l)
		}
	}
}

// flush uploads the buffer in batches of 10 lines, one slow round trip each.
func (s *shipper) flush() {
	for len(s.buf) > 0 {
		n := min(10, len(s.buf))
		time.Sleep(50 * time.Millisecond) // the upload round trip
		s.buf = s.buf[n:]
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	s := &shipper{lines: make(chan string)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want slow-cancel-exit creation
		defer wg.Done()
		s.run(ctx)
	}()
	for i := 0; i < 40; i++ {
		s.lines <- fmt.Sprintf("request %d served", i)
	}
	time.Sleep(200 * time.Millisecond)
	cancel() // want slow-cancel-exit cancel
	wg.Wait()
	time.Sleep(800 * time.Millisecond)
	stop()
}
