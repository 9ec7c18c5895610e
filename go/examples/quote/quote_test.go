package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trailtest"
)

// Goroutines a pending timer will still wake are not leaks: trailtest waits for them (up to
// MaxWait) where a plain "any goroutine left?" check fails the test.

// A delayed flush: the test returns while a goroutine still waits out its timer.
func TestDelayedFlushIsNoLeak(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	t.Parallel()
	go func() {
		<-time.After(30 * time.Millisecond)
		cache.get()
	}()
}

// A shutdown hook: the goroutine waits on a channel that a pending AfterFunc will close.
func TestShutdownHookIsNoLeak(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	t.Parallel()
	done := make(chan struct{})
	time.AfterFunc(20*time.Millisecond, func() { close(done) })
	var once sync.Once
	go func() {
		<-done
		once.Do(func() {})
	}()
}

// The fan-out, as parallel subtests: every call's context is cancelled and nothing is left.
func TestFanOut(t *testing.T) {
	for _, symbol := range []string{"USD", "GBP", "JPY"} {
		t.Run(symbol, func(t *testing.T) {
			trailtest.VerifyNoLeaks(t)
			t.Parallel()
			ctx, cancel := callContext(context.Background())
			defer cancel()
			answers := fanOut(ctx, symbol)
			if len(answers) != len(backends) {
				t.Fatalf("got %d answers, want %d", len(answers), len(backends))
			}
			trailtest.AssertContextCancelled(t, ctx, time.Second)
		})
	}
}
