// cancel-deadline-race in a fan-out: the group is cancelled by a goroutine that knows nothing
// of the call (a client that gives up after as long as the call's timeout), so whether the
// call ends by its deadline or by its parent depends on scheduling.
package main

import (
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

// backend answers after `took` on a buffered channel (it never blocks).
func backend(took time.Duration) <-chan string {
	out := make(chan string, 1)
	go func() {
		time.Sleep(took)
		out <- "quote"
	}()
	return out
}

// handle fans out to a slow backend under a 3ms timeout made by the handler; each call's
// worker cancels the group when its call fails, as errgroup does.
func handle() {
	group, cancelGroup := trail.WithCancelCause(trail.Background())
	defer cancelGroup(nil)
	call, cancelCall := trail.WithTimeout(group, 3*time.Millisecond) // want cancel-deadline-race context
	go func() {
		time.Sleep(3 * time.Millisecond) // the client gives up
		cancelGroup(nil)
	}()
	defer cancelCall()
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-backend(20 * time.Millisecond):
		case <-call.Done():
			// The worker returns; the client below cancels the group.
		}
	}()
	<-done
}

func main() {
	stop := tracefile.Start()
	defer stop()
	for i := 0; i < 10; i++ {
		handle()
	}
	time.Sleep(25 * time.Millisecond)
}
