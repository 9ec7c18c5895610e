package trail

import (
	"context"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

// TestParentsWalkRecordsChildren: a traced parent's cancellation records its traced
// descendants before its cancel func returns, right after its own event, with flag w and the
// ancestor that ended them (ctxtrail joins them to that cancel wave).
func TestParentsWalkRecordsChildren(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	p, pcancel := WithCancel(Background())
	c1, cancel1 := WithCancel(p)
	defer cancel1()
	c2, cancel2 := WithTimeout(p, time.Hour)
	defer cancel2()
	g, gcancel := WithCancelCause(c1)
	defer gcancel(nil)
	gone, goneCancel := WithCancel(p) // ended by its own cancel func first: not in the walk
	goneCancel()
	pcancel()
	evs := parseAll(t, get()) // no waiting: the walk is synchronous
	own := find(evs, "cancel", ID(p))
	if own == nil || own.Reason != reg.ReasonOwn {
		t.Fatalf("parent's cancel %+v", own)
	}
	for _, w := range []struct {
		ctx  context.Context
		from uint64
	}{{c1, ID(p)}, {c2, ID(p)}, {g, ID(c1)}} {
		e := find(evs, "cancel", ID(w.ctx))
		if e == nil || e.Reason != reg.ReasonParent || e.From != w.from || e.Flags != "w" || e.Err != "canceled" {
			t.Errorf("cancel of %d: %+v, want parent from %d with flag w", ID(w.ctx), e, w.from)
		}
	}
	if e := find(evs, "cancel", ID(gone)); e == nil || e.Reason != reg.ReasonOwn {
		t.Errorf("own cancel before the parent's: %+v", e)
	}
	// A child made under the done parent records itself at once.
	late, lateCancel := WithCancel(p)
	defer lateCancel()
	if e := find(parseAll(t, get()), "cancel", ID(late)); e == nil || e.Flags != "w" || e.From != ID(p) {
		t.Errorf("child of a done parent: %+v", e)
	}
	if n := len(deadlines.queue); n != 0 {
		t.Errorf("%d contexts left in the deadline heap", n)
	}
}

// TestUntracedParentSharesOneObserver: the traced children of one untraced cancelable parent
// share one observer, which records them as ended by their parent; the deadline of a
// context is observed too.
func TestUntracedParentSharesOneObserver(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	u, ucancel := context.WithCancel(context.Background())
	before := untracedCount()
	a, acancel := WithCancel(u)
	defer acancel()
	b, bcancel := WithTimeout(u, time.Hour)
	defer bcancel()
	if n := untracedCount() - before; n != 1 {
		t.Errorf("%d observers for one untraced parent, want 1", n)
	}
	d, dcancel := WithTimeout(u, 3*time.Millisecond)
	defer dcancel()
	ucancel()
	waitFor(t, "cancel events", func() bool {
		evs := parseAll(t, get())
		return find(evs, "cancel", ID(a)) != nil && find(evs, "cancel", ID(b)) != nil && find(evs, "cancel", ID(d)) != nil
	})
	evs := parseAll(t, get())
	for _, c := range []context.Context{a, b, d} {
		if e := find(evs, "cancel", ID(c)); e.Reason != reg.ReasonParent || e.From != 0 || e.Flags != "" {
			t.Errorf("cancel %+v, want parent from 0", e)
		}
	}
	// Far enough for the deadline heap (observeAtOnce): its observer comes 2 ms before.
	e, ecancel := WithTimeout(Background(), observeAtOnce+5*time.Millisecond)
	defer ecancel()
	waitFor(t, "deadline", func() bool { return find(parseAll(t, get()), "cancel", ID(e)) != nil })
	if c := find(parseAll(t, get()), "cancel", ID(e)); c.Reason != reg.ReasonDeadline || c.Err != "deadline" {
		t.Errorf("deadline cancel %+v", c)
	}
}

func untracedCount() int {
	untracedMu.Lock()
	defer untracedMu.Unlock()
	return len(untraced)
}

// TestAllocationsOverPlain: with tracing on, a constructor costs at most 4 allocations over
// the context package's (issue 17), under a cancelable parent that is not traced (a
// request's context) and one that is.
func TestAllocationsOverPlain(t *testing.T) {
	tracing(t)
	untraced, cancel := context.WithCancel(context.Background())
	defer cancel()
	traced, tcancel := WithCancel(Background())
	defer tcancel()
	type with func(context.Context) (context.Context, context.CancelFunc)
	timeout := func(f func(context.Context, time.Duration) (context.Context, context.CancelFunc)) with {
		return func(p context.Context) (context.Context, context.CancelFunc) { return f(p, time.Hour) }
	}
	for _, c := range []struct {
		name          string
		plain, traced with
	}{
		{"WithCancel", context.WithCancel, WithCancel},
		{"WithTimeout", timeout(context.WithTimeout), timeout(WithTimeout)},
	} {
		for _, parent := range []context.Context{untraced, traced} {
			run := func(w with) float64 {
				return testing.AllocsPerRun(200, func() { _, f := w(parent); f() })
			}
			plain, got := run(c.plain), run(c.traced)
			if got > plain+4 {
				t.Errorf("%s under parent %d: %.0f allocations, plain %.0f: over the bar of +4", c.name, ID(parent), got, plain)
			}
		}
	}
}
