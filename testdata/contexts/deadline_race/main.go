// cancel-deadline-race: each call's work takes as long as its timeout, so whether the deadline
// or the cancel func ends the context (and what Err() says) depends on scheduling.
package main

import (
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func call() {
	ctx, cancel := trail.WithTimeout(trail.Background(), 3*time.Millisecond) // want cancel-deadline-race context
	_ = ctx
	time.Sleep(3 * time.Millisecond) // the work
	cancel()
}

func main() {
	stop := tracefile.Start()
	defer stop()
	for i := 0; i < 10; i++ {
		call()
	}
	time.Sleep(5 * time.Millisecond)
}
