// Package crosstest holds what the transport packages' tests share: tracing on with the
// cross-process events captured, and a bounded wait. Only tests import it.
package crosstest

import (
	"bytes"
	"context"
	"errors"
	"runtime/trace"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/crosslog"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Tracing starts runtime tracing for the rest of the test and returns the cross-process
// events written so far, decoded, proc events left out (written at most once a second).
func Tracing(t *testing.T) (events func() []wire.Event) {
	t.Helper()
	if err := trace.Start(new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	msgs, stop := crosslog.Capture()
	t.Cleanup(func() { stop(); trace.Stop() })
	return func() []wire.Event {
		var evs []wire.Event
		for _, m := range msgs() {
			e, err := wire.Parse(m)
			if err != nil {
				t.Fatalf("wire.Parse(%q): %v", m, err)
			}
			if e.Kind != wire.EventProc {
				evs = append(evs, e)
			}
		}
		return evs
	}
}

// ByKind is the last event of each kind.
func ByKind(evs []wire.Event) map[wire.EventKind]wire.Event {
	m := map[wire.EventKind]wire.Event{}
	for _, e := range evs {
		m[e.Kind] = e
	}
	return m
}

// WaitFor polls cond with a generous bound; it returns as soon as cond holds.
func WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// CancelMidCall runs call (a request sent with ctx) in a goroutine, takes the server's
// context from got once the handler runs, checks that it has ctx's deadline, cancels ctx with
// the cause "user gave up" and checks that the call failed; it returns the server's context.
func CancelMidCall(t *testing.T, ctx context.Context, cancel context.CancelCauseFunc, call func() error, got <-chan context.Context) context.Context {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- call() }()
	sctx := <-got
	want, _ := ctx.Deadline()
	if d, ok := sctx.Deadline(); !ok || d.Sub(want).Abs() > time.Minute {
		t.Errorf("server context's deadline %v %v, want about %v", d, ok, want)
	}
	cancel(errors.New("user gave up"))
	if err := <-errc; err == nil {
		t.Error("the call succeeded after its cancel")
	}
	WaitFor(t, "the server's cancel", func() bool { return sctx.Err() != nil })
	return sctx
}
