// Package analyzed is a fixture: trailtest's TestFixtureAnalyzed runs `go test` on it with
// the ctxtrail binary and checks what `ctxtrail analyze` says in each failing test's log.
// Its tests fail on purpose.
package analyzed

import (
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailtest"
)

// TestFirst makes the recorded trace long (100 ms) before the leaks: ctxtrail's default
// grace is a quarter of a short trace, far more than the ~1 ms the leaks below are old
// when their checks fail.
func TestFirst(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	time.Sleep(100 * time.Millisecond)
}

// leakOne and leakTwo watch their context, then block where its cancellation cannot reach.
func leakOne(ctx interface{ Done() <-chan struct{} }, ready chan<- struct{}) {
	_ = ctx.Done()
	close(ready)
	select {}
}

func leakTwo(ctx interface{ Done() <-chan struct{} }, ready chan<- struct{}) {
	_ = ctx.Done()
	close(ready)
	select {}
}

// leakAfterCancel starts leak on a context it cancels once leak watched it.
func leakAfterCancel(t *testing.T, leak func(interface{ Done() <-chan struct{} }, chan<- struct{})) {
	trailtest.VerifyNoLeaks(t)
	ctx, cancel := trail.WithCancel(trail.Background())
	ready := make(chan struct{})
	go leak(ctx, ready)
	<-ready
	cancel()
}

func TestLeakOne(t *testing.T) { leakAfterCancel(t, leakOne) }

func TestLeakTwo(t *testing.T) { leakAfterCancel(t, leakTwo) }

// leakNever waits on a context that nobody cancels.
func leakNever(ctx interface{ Done() <-chan struct{} }, ready chan<- struct{}) {
	close(ready)
	<-ctx.Done()
}

// TestLeakNever leaves leakNever waiting: the test never calls the context's cancel func.
func TestLeakNever(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	ctx, cancel := trail.WithCancel(trail.Background())
	_ = cancel
	ready := make(chan struct{})
	go leakNever(ctx, ready)
	<-ready
}
