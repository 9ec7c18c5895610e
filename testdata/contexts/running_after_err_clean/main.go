// Clean twin of running_after_err: the loop stops at the first error.
package main

import (
	"context"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func batch(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	for i := 0; i < 250; i++ {
		if ctx.Err() != nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func main() {
	stop := tracefile.Start()
	defer stop()
	ctx, cancel := trail.WithCancel(trail.Background())
	done := make(chan struct{})
	go batch(ctx, done)
	time.Sleep(10 * time.Millisecond)
	cancel()
	<-done
}
