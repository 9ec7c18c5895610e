// Package mainleak is a fixture: its only test passes but leaks a goroutine, which
// VerifyTestMain must report at the end of the run.
package mainleak

import (
	"testing"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailtest"
)

func TestMain(m *testing.M) { trailtest.VerifyTestMain(m) }

func TestNoCheck(t *testing.T) {
	ctx, cancel := trail.WithTimeout(trail.Background(), 3600e9)
	_ = cancel
	ready := make(chan struct{})
	go func() {
		close(ready)
		<-ctx.Done()
	}()
	<-ready
}
