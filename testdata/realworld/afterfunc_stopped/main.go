// Callbacks stopped right: each call registers context.AfterFunc on its request context and
// arms a time.AfterFunc watchdog, and stops both when the work finishes first; one call is
// cancelled on purpose, and its AfterFunc callback runs and returns at once. Nothing blocks,
// nothing leaks: no finding.
package main

import (
	"context"
	"sync/atomic"
	"time"

	"ctxtrail.test/realworld/internal/tracefile"
)

var cleanups, alarms atomic.Int32

func call(ctx context.Context, work time.Duration) {
	stopCleanup := context.AfterFunc(ctx, func() { cleanups.Add(1) })
	defer stopCleanup()
	watchdog := time.AfterFunc(50*time.Millisecond, func() { alarms.Add(1) })
	defer watchdog.Stop()
	select {
	case <-time.After(work):
	case <-ctx.Done():
	}
}

func main() {
	stop := tracefile.Start()
	for i := 0; i < 5; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		if i == 2 {
			time.AfterFunc(time.Millisecond, cancel) // this call is cancelled mid-way
		}
		call(ctx, 3*time.Millisecond)
		cancel()
	}
	time.Sleep(200 * time.Millisecond)
	stop()
}
