//go:build planted

package main

import (
	"context"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trailtest"
)

// With -tags planted this test must fail, and blame the "audited" subtest only: it alone runs
// afterRequest, whose audit goroutine never selects on Done and blocks forever. Its siblings
// run in parallel beside it and leave nothing behind.
func TestPlantedLeak(t *testing.T) {
	for _, name := range []string{"quiet-1", "audited", "quiet-2"} {
		t.Run(name, func(t *testing.T) {
			// The audit goroutine sleeps before it blocks: MaxWait bounds the wait for it.
			trailtest.VerifyNoLeaks(t, trailtest.MaxWait(300*time.Millisecond))
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if name == "audited" {
				afterRequest(ctx, name)
			}
			fanOut(ctx, name)
		})
	}
}
