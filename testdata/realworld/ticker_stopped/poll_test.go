// A poller done right: a goroutine with time.NewTicker that stops the ticker (deferred) and
// returns on ctx.Done(); the test cancels it and waits for it to end. Nothing to report.
package tickerstopped

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func poll(ctx context.Context, every time.Duration, fn func()) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			fn()
		}
	}
}

func TestPoller(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var polls atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		poll(ctx, 5*time.Millisecond, func() { polls.Add(1) })
	}()
	time.Sleep(60 * time.Millisecond)
	cancel()
	<-done
	if polls.Load() == 0 {
		t.Fatal("never polled")
	}
}

// TestLater keeps the test binary (and the trace) running after the poller ended.
func TestLater(t *testing.T) {
	time.Sleep(300 * time.Millisecond)
}
