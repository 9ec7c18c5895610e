// watcher-outlived-context: a poller checks ctx.Done() between polls, but then blocks on a
// channel receive that does not select on ctx.Done(); after the cancel it stays blocked.
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
			<-results // want watcher-outlived-context block
		}
		time.Sleep(time.Millisecond)
	}
}

func main() {
	stop := tracefile.Start()
	defer stop()
	ctx, cancel := trail.WithCancel(trail.Background()) // want watcher-outlived-context context
	results := make(chan int)
	go poll(ctx, results) // want watcher-outlived-context creation
	time.Sleep(20 * time.Millisecond)
	cancel()
	time.Sleep(200 * time.Millisecond)
}
