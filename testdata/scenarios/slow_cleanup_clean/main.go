// Clean twin of slow_cleanup: the shipper holds only a few lines and its upload is quick, so it
// exits a few milliseconds after the cancel.
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
		time.Sleep(5 * time.Millisecond) // the upload round trip
		s.buf = s.buf[n:]
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	s := &shipper{lines: make(chan string)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.run(ctx)
	}()
	for i := 0; i < 4; i++ {
		s.lines <- fmt.Sprintf("request %d served", i)
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(800 * time.Millisecond)
	stop()
}
