// running-after-err: a batch loop notices ctx.Err() != nil but only logs it and goes on with
// the remaining items.
package main

import (
	"context"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func batch(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	warned := false
	for i := 0; i < 250; i++ {
		if ctx.Err() != nil && !warned { // want running-after-err running
			warned = true // logged, but the loop goes on
		}
		time.Sleep(time.Millisecond)
	}
}

func main() {
	stop := tracefile.Start()
	defer stop()
	ctx, cancel := trail.WithCancel(trail.Background()) // want running-after-err context
	done := make(chan struct{})
	go batch(ctx, done)
	time.Sleep(10 * time.Millisecond)
	cancel()
	<-done
}
