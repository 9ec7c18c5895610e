package trailk8s

import (
	"context"
	"testing"
	"time"
)

// TestWatchZeroAndReleased: a zero Watch (not from Derive) does nothing instead of panicking,
// even in a timer's goroutine, and an Update after Release arms no timer.
func TestWatchZeroAndReleased(t *testing.T) {
	soon := map[string]string{AnnotationDeadline: time.Now().Add(time.Millisecond).UTC().Format(time.RFC3339Nano)}
	var zero Watch
	zero.Update(soon)
	zero.Release()
	zero.Update(map[string]string{AnnotationCancel: time.Now().UTC().Format(time.RFC3339Nano)})
	if zero.timer != nil {
		t.Error("a zero Watch armed a timer")
	}

	_, w := Derive(context.Background(), "ns/job", nil)
	w.Release()
	w.Update(soon)
	if w.timer != nil {
		t.Error("Update after Release armed a timer")
	}
}
