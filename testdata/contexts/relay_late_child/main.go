// propagation-latency only for children that existed when the parent was cancelled: two
// children behind a polling relay are done long after the parent, the one made before the
// cancellation is reported, the one made after it is not.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

// relay is a Context whose Done channel is closed by a goroutine that polls the parent; it
// runs its AfterFunc functions then (so the context package starts no goroutine per child).
type relay struct {
	context.Context
	done  chan struct{}
	mu    sync.Mutex
	after []func()
}

func newRelay(parent context.Context, every time.Duration) *relay {
	r := &relay{Context: parent, done: make(chan struct{})}
	go func() {
		for parent.Err() == nil {
			time.Sleep(every)
		}
		r.mu.Lock()
		close(r.done)
		after := r.after
		r.mu.Unlock()
		for _, f := range after {
			f()
		}
	}()
	return r
}

func (r *relay) Done() <-chan struct{} { return r.done }

func (r *relay) AfterFunc(f func()) (stop func() bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.done:
		go f()
	default:
		r.after = append(r.after, f)
	}
	return func() bool { return false }
}

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
	r := newRelay(parent, 30*time.Millisecond)
	_, cancelChild := trail.WithCancel(r) // want propagation-latency context
	defer cancelChild()
	time.Sleep(5 * time.Millisecond)
	cancel() // want propagation-latency cancel
	// Made after its parent was cancelled, before the relay noticed: it could not have heard
	// of the cancellation, so its wait is not a propagation latency.
	_, cancelLate := trail.WithCancel(r)
	defer cancelLate()
	time.Sleep(40 * time.Millisecond) // the relay notices
}
