// propagation-latency: a hand-written Context type between two traced contexts forwards the
// cancellation from a polling goroutine, so the child is done long after its parent.
package main

import (
	"context"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

// relay is a Context whose Done channel is closed by a goroutine that polls the parent.
type relay struct {
	context.Context
	done chan struct{}
}

func newRelay(parent context.Context, every time.Duration) *relay {
	r := &relay{Context: parent, done: make(chan struct{})}
	go func() {
		for parent.Err() == nil {
			time.Sleep(every)
		}
		close(r.done)
	}()
	return r
}

func (r *relay) Done() <-chan struct{} { return r.done }

func (r *relay) Err() error {
	select {
	case <-r.done:
		return r.Context.Err()
	default:
		return nil
	}
}

func main() {
	stop := tracefile.Start()
	defer stop()
	parent, cancel := trail.WithCancel(trail.Background())
	child, cancelChild := trail.WithCancel(newRelay(parent, 30*time.Millisecond)) // want propagation-latency context
	defer cancelChild()
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-child.Done()
	}()
	time.Sleep(5 * time.Millisecond)
	cancel() // want propagation-latency cancel
	<-done
	time.Sleep(5 * time.Millisecond)
}
