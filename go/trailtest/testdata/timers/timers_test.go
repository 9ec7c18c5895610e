// Package timers holds the same goroutines checked by trailtest and by go.uber.org/goleak:
// woken by a timer (trailtest must pass), and leaked (must fail). Run by trailtest's
// TestTimers. The cases that pass come first in the file (go test's order): goleak checks
// every goroutine of the process, so it would blame them for an earlier case's leak.
package timers

import (
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trailtest"
	"go.uber.org/goleak"
)

// check registers the checker named by checker; maxWait is trailtest's MaxWait.
func check(t *testing.T, checker string, maxWait time.Duration) {
	switch checker {
	case "trailtest":
		trailtest.VerifyNoLeaks(t, trailtest.MaxWait(maxWait))
	case "goleak":
		t.Cleanup(func() { goleak.VerifyNone(t) })
	}
}

var checkers = []string{"trailtest", "goleak"}

// A goroutine blocked on <-time.After(30ms): it exits when the timer fires.
func TestAfter(t *testing.T) {
	for _, c := range checkers {
		t.Run(c, func(t *testing.T) {
			check(t, c, time.Second)
			go func() { <-time.After(30 * time.Millisecond) }()
		})
	}
}

// A goroutine blocked on a channel that a pending time.AfterFunc closes.
func TestAfterFunc(t *testing.T) {
	for _, c := range checkers {
		t.Run(c, func(t *testing.T) {
			check(t, c, time.Second)
			done := make(chan struct{})
			time.AfterFunc(30*time.Millisecond, func() { close(done) })
			go func() { <-done }()
		})
	}
}

// A goroutine reading three ticks.
func TestTicker(t *testing.T) {
	for _, c := range checkers {
		t.Run(c, func(t *testing.T) {
			check(t, c, time.Second)
			go func() {
				tk := time.NewTicker(10 * time.Millisecond)
				defer tk.Stop()
				for i := 0; i < 3; i++ {
					<-tk.C
				}
			}()
		})
	}
}

// A flush delayed by 1.5s, longer than goleak's retries (about 0.5s in all, more under load)
// and shorter than MaxWait: goleak reports it, trailtest waits for it.
func TestSlowTimer(t *testing.T) {
	for _, c := range checkers {
		t.Run(c, func(t *testing.T) {
			check(t, c, 3*time.Second)
			go func() { <-time.After(1500 * time.Millisecond) }()
		})
	}
}

// A timer stopped before it fired: nothing wakes the goroutine (a leak, found after MaxWait).
func TestStoppedTimer(t *testing.T) {
	for _, c := range checkers {
		t.Run(c, func(t *testing.T) {
			check(t, c, 500*time.Millisecond)
			tm := time.NewTimer(time.Hour)
			go func() { <-tm.C }()
			tm.Stop()
		})
	}
}

// A receive nothing will ever satisfy, no timer in sight: a leak, found at once.
func TestLeak(t *testing.T) {
	for _, c := range checkers {
		t.Run(c, func(t *testing.T) {
			check(t, c, time.Second)
			never := make(chan int)
			go func() { <-never }()
		})
	}
}
