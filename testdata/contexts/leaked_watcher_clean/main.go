// Clean twin of leaked_watcher: the blocking receive selects on ctx.Done() too.
package main

import (
	"context"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func poll(ctx context.Context, results <-chan int) {
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		default:
		}
		if i == 3 {
			select {
			case <-results:
			case <-ctx.Done():
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
}

func main() {
	stop := tracefile.Start()
	defer stop()
	ctx, cancel := trail.WithCancel(trail.Background())
	results := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		poll(ctx, results)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	<-done
	time.Sleep(200 * time.Millisecond)
}
