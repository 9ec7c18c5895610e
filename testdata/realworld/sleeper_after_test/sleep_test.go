package sleeperaftertest

import (
	"context"
	"testing"
	"time"
)

// A context cancelled after a delay (failsafe-go's testutil.ContextWithCancel): the goroutine
// sleeps past its test's end and past the trace's, then cancels and returns. Its own timer
// ends it: no leak.
func TestDelayedCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(2 * time.Second)
		cancel()
	}()
	_ = ctx
}

// A goroutine blocked for good on a channel nobody sends on: a leak.
func TestBlockedForGood(t *testing.T) {
	never := make(chan int)
	go func() {
		<-never
	}()
}

// Keeps the trace going well past both tests' ends (more than the rules' grace).
func TestLater(t *testing.T) { time.Sleep(700 * time.Millisecond) }
