// Leaks started by leaks: a coordinator starts three fetchers that hand their results to it
// over an unbuffered channel, then waits for a start signal that the test never sends. The
// coordinator blocks forever, and so do the fetchers, on sends only the coordinator could
// receive. Four goroutines leak in two groups, each with its own lines: the coordinator
// (its receive of the start signal), and the three fetchers (their send, from one go
// statement in the coordinator, a leaked goroutine itself).
package leaksstartleaks

import (
	"testing"
	"time"
)

type gatherer struct {
	start  chan struct{}
	result chan int
}

func fetch(n int) int {
	time.Sleep(time.Millisecond)
	return n * n
}

func (g *gatherer) coordinate() {
	parts := make(chan int)
	for i := range 3 {
		go func() { parts <- fetch(i) }()
	}
	<-g.start
	g.result <- <-parts + <-parts + <-parts
}

func TestGatherForgetsStart(t *testing.T) {
	g := &gatherer{start: make(chan struct{}), result: make(chan int)}
	go g.coordinate()
	time.Sleep(5 * time.Millisecond)
	// BUG: never closes g.start nor reads g.result: the coordinator and its fetchers stay.
}

// TestLater keeps the test binary (and the trace) running after the leaking test.
func TestLater(t *testing.T) {
	time.Sleep(300 * time.Millisecond)
}
