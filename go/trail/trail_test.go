package trail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/trace"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// tracing starts runtime tracing into a buffer for the rest of the test.
func tracing(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatalf("trace.Start: %v", err)
	}
	t.Cleanup(trace.Stop)
	return &buf
}

// waitFor polls cond with a generous bound (no timing assumptions: it returns as soon as
// cond holds).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

type key string

var errCause = errors.New("my cause")

// constructor builds a context from parent with either package: the cancel func may be nil.
type constructor struct {
	name      string
	plain     func(context.Context) (context.Context, func())
	traced    func(context.Context) (context.Context, func())
	expires   bool  // expires by itself (short deadline)
	cancels   bool  // has a cancel func
	wantCause error // Cause after own cancel (nil: same as Err)
	deadCause error // Cause after deadline (nil: DeadlineExceeded)
}

const short = 20 * time.Millisecond

func constructors() []constructor {
	far := time.Now().Add(time.Hour)
	return []constructor{
		{name: "WithCancel", cancels: true,
			plain:  func(p context.Context) (context.Context, func()) { c, f := context.WithCancel(p); return c, f },
			traced: func(p context.Context) (context.Context, func()) { c, f := WithCancel(p); return c, f }},
		{name: "WithCancelCause", cancels: true, wantCause: errCause,
			plain: func(p context.Context) (context.Context, func()) {
				c, f := context.WithCancelCause(p)
				return c, func() { f(errCause) }
			},
			traced: func(p context.Context) (context.Context, func()) {
				c, f := WithCancelCause(p)
				return c, func() { f(errCause) }
			}},
		{name: "WithTimeout", cancels: true,
			plain:  func(p context.Context) (context.Context, func()) { return context.WithTimeout(p, time.Hour) },
			traced: func(p context.Context) (context.Context, func()) { return WithTimeout(p, time.Hour) }},
		{name: "WithTimeout/expires", cancels: true, expires: true,
			plain:  func(p context.Context) (context.Context, func()) { return context.WithTimeout(p, short) },
			traced: func(p context.Context) (context.Context, func()) { return WithTimeout(p, short) }},
		{name: "WithTimeoutCause/expires", cancels: true, expires: true, deadCause: errCause,
			plain:  func(p context.Context) (context.Context, func()) { return context.WithTimeoutCause(p, short, errCause) },
			traced: func(p context.Context) (context.Context, func()) { return WithTimeoutCause(p, short, errCause) }},
		{name: "WithDeadline", cancels: true,
			plain:  func(p context.Context) (context.Context, func()) { return context.WithDeadline(p, far) },
			traced: func(p context.Context) (context.Context, func()) { return WithDeadline(p, far) }},
		{name: "WithDeadline/past", cancels: true, expires: true,
			plain:  func(p context.Context) (context.Context, func()) { return context.WithDeadline(p, time.Unix(1, 0)) },
			traced: func(p context.Context) (context.Context, func()) { return WithDeadline(p, time.Unix(1, 0)) }},
		{name: "WithDeadlineCause/expires", cancels: true, expires: true, deadCause: errCause,
			plain: func(p context.Context) (context.Context, func()) {
				return context.WithDeadlineCause(p, time.Now().Add(short), errCause)
			},
			traced: func(p context.Context) (context.Context, func()) {
				return WithDeadlineCause(p, time.Now().Add(short), errCause)
			}},
		{name: "WithoutCancel",
			plain:  func(p context.Context) (context.Context, func()) { return context.WithoutCancel(p), nil },
			traced: func(p context.Context) (context.Context, func()) { return WithoutCancel(p), nil }},
		{name: "Background",
			plain:  func(context.Context) (context.Context, func()) { return context.Background(), nil },
			traced: func(context.Context) (context.Context, func()) { return Background(), nil }},
		{name: "TODO",
			plain:  func(context.Context) (context.Context, func()) { return context.TODO(), nil },
			traced: func(context.Context) (context.Context, func()) { return TODO(), nil }},
	}
}

// observation is everything observable about a context, compared between both packages.
type observation struct {
	errBefore, errAfter                     string
	causeAfter                              string
	isCanceled, isDeadline                  bool
	hasDeadline                             bool
	value                                   any
	doneNil                                 bool
	childDone, plainChildDone, afterFuncRan bool
	childCause                              string
	parentCancelReaches                     bool
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// observe drives one context through its life: before, own cancel or expiry, parent
// cancellation; it returns what it saw.
func observe(t *testing.T, c constructor, mk func(context.Context) (context.Context, func()), parentCancel bool) observation {
	var o observation
	root, rootCancel := context.WithCancelCause(context.WithValue(context.Background(), key("k"), "v"))
	defer rootCancel(nil)
	ctx, cancel := mk(root)
	_, o.hasDeadline = ctx.Deadline()
	o.value = ctx.Value(key("k"))
	o.doneNil = ctx.Done() == nil
	if !c.expires {
		o.errBefore = errText(ctx.Err())
	}
	child, childCancel := context.WithCancel(ctx) // a plain child of ours
	defer childCancel()
	afterRan := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { close(afterRan) })
	defer stop()
	switch {
	case parentCancel:
		rootCancel(errors.New("root cause"))
	case c.expires:
	case cancel != nil:
		cancel()
	}
	if !o.doneNil && (parentCancel || c.expires || cancel != nil) && (c.name != "WithoutCancel") {
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: never done", c.name)
		}
		<-child.Done()
		o.childDone = true
		o.plainChildDone = true
		select {
		case <-afterRan:
			o.afterFuncRan = true
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: AfterFunc never ran", c.name)
		}
		o.childCause = errText(context.Cause(child))
	}
	o.errAfter = errText(ctx.Err())
	o.causeAfter = errText(context.Cause(ctx))
	o.isCanceled = errors.Is(ctx.Err(), context.Canceled)
	o.isDeadline = errors.Is(ctx.Err(), context.DeadlineExceeded)
	if cancel != nil {
		cancel()
	}
	return o
}

func TestSemanticsMatchPlain(t *testing.T) {
	for _, on := range []bool{false, true} {
		name := "tracing-off"
		if on {
			name = "tracing-on"
		}
		t.Run(name, func(t *testing.T) {
			if on {
				tracing(t)
			}
			for _, c := range constructors() {
				for _, pc := range []bool{false, true} {
					if pc && c.expires && !strings.Contains(c.name, "past") {
						// Racy by nature: the short timer could beat the parent's cancel
						// on a loaded machine, for plain and traced contexts alike.
						continue
					}
					want := observe(t, c, c.plain, pc)
					got := observe(t, c, c.traced, pc)
					if got != want {
						t.Errorf("%s (parent cancel %v):\n got %+v\nwant %+v", c.name, pc, got, want)
					}
				}
			}
		})
	}
}

func TestTracedOnlyWhileTracing(t *testing.T) {
	ctx, cancel := WithCancel(context.Background())
	defer cancel()
	if ID(ctx) != 0 {
		t.Fatalf("untraced context has id %d", ID(ctx))
	}
	tracing(t)
	ctx2, cancel2 := WithCancel(ctx)
	defer cancel2()
	if ID(ctx2) == 0 {
		t.Fatal("traced context has id 0")
	}
	// A plain child and a value child answer the nearest traced id.
	plain, pc := context.WithCancel(context.WithValue(ctx2, key("a"), 1))
	defer pc()
	if ID(plain) != ID(ctx2) {
		t.Fatalf("ID(plain child) = %d, want %d", ID(plain), ID(ctx2))
	}
}

func TestNoExtraGoroutinePerContext(t *testing.T) {
	tracing(t)
	runtime.GC()
	before := runtime.NumGoroutine()
	root, rootCancel := WithCancel(Background())
	var cancels []func()
	cancels = append(cancels, rootCancel)
	parent := root
	for i := 0; i < 200; i++ {
		var c context.Context
		var f func()
		switch i % 5 {
		case 0:
			c, f = WithCancel(parent)
		case 1:
			c, f = WithTimeout(parent, time.Hour)
		case 2:
			c, f = context.WithCancel(parent) // plain child of a traced context
		case 3:
			c, f = WithDeadlineCause(parent, time.Now().Add(time.Hour), errCause)
		case 4:
			var cf context.CancelCauseFunc
			c, cf = WithCancelCause(WithoutCancel(parent))
			f = func() { cf(nil) }
		}
		cancels = append(cancels, f)
		if i%2 == 0 {
			parent = c
		}
		_ = c.Done()
	}
	// (Fewer is fine: transient goroutines of earlier tests may have exited meanwhile.)
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("goroutines: %d before, %d after creating 200 contexts", before, n)
	}
	for _, f := range cancels {
		f()
	}
}

func parseAll(t *testing.T, msgs []string) []wire.Event {
	t.Helper()
	var evs []wire.Event
	for _, m := range msgs {
		e, err := wire.Parse(m)
		if err != nil {
			t.Fatalf("wire.Parse(%q): %v", m, err)
		}
		evs = append(evs, e)
	}
	return evs
}

func find(evs []wire.Event, kind wire.EventKind, id uint64) *wire.Event {
	for i := range evs {
		if evs[i].Kind == kind && evs[i].ID == id {
			return &evs[i]
		}
	}
	return nil
}

func TestEvents(t *testing.T) {
	buf := tracing(t)
	get, stop := captureLog()
	defer stop()

	bg := Background()
	ctx, cancel := WithCancel(bg) // line A
	_ = ctx.Done()
	cancel()
	_ = ctx.Err()
	cancel() // late

	tctx, tcancel := WithTimeout(ctx, time.Hour) // derived from a done context
	defer tcancel()

	p, pcancel := WithCancelCause(Background())
	ch, chcancel := WithDeadline(p, time.Now().Add(time.Hour))
	defer chcancel()
	pcancel(errors.New("boom with spaces % and\nnewline"))

	d, dcancel := WithTimeout(Background(), time.Millisecond)
	defer dcancel()

	// A detached root made by a goroutine that works under a live cancelable context.
	live, livecancel := WithCancel(Background())
	var wg sync.WaitGroup
	var detached, detached2 context.Context
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-time.After(0)
		_ = live.Done()
		detached = Background()
		detached2 = WithoutCancel(live)
	}()
	wg.Wait()
	livecancel()

	waitFor(t, "cancel events", func() bool {
		evs := parseAll(t, get())
		return find(evs, "cancel", ID(ch)) != nil && find(evs, "cancel", ID(d)) != nil && find(evs, "cancel", ID(live)) != nil
	})
	evs := parseAll(t, get())
	for _, e := range evs {
		t.Logf("%+v", e)
	}

	n := find(evs, "new", ID(ctx))
	if n == nil || n.Parent != ID(bg) || n.CtxKind != wire.KindCancel || !strings.HasSuffix(n.Site.File, "trail_test.go") || !strings.Contains(n.Site.Func, "TestEvents") {
		t.Fatalf("bad new event %+v", n)
	}
	if b := find(evs, "new", ID(bg)); b == nil || b.CtxKind != wire.KindBackground || !strings.Contains(b.Site.Func, "TestEvents") || b.Site.Line != n.Site.Line-1 {
		t.Fatalf("background new event %+v", b)
	}
	if w := find(evs, "watch", ID(ctx)); w == nil || !strings.Contains(w.Site.Func, "TestEvents") {
		t.Fatalf("watch event %+v", w)
	}
	if c := find(evs, "cancel", ID(ctx)); c == nil || c.Reason != reg.ReasonOwn || c.Err != "canceled" || c.Site.Line != n.Site.Line+2 {
		t.Fatalf("own cancel event %+v (new at line %d)", c, n.Site.Line)
	}
	if e := find(evs, "errseen", ID(ctx)); e == nil || e.Err != "canceled" {
		t.Fatalf("errseen %+v", e)
	}
	if l := find(evs, "late", ID(ctx)); l == nil || l.Site.Line != n.Site.Line+4 {
		t.Fatalf("late %+v", l)
	}
	if nt := find(evs, "new", ID(tctx)); nt == nil || !strings.Contains(nt.Flags, "d") || nt.Deadline == 0 || nt.CtxKind != wire.KindTimeout {
		t.Fatalf("derived-from-done: %+v", nt)
	}
	if c := find(evs, "cancel", ID(ch)); c == nil || c.Reason != reg.ReasonParent || c.From != ID(p) || c.Cause != "boom with spaces % and\nnewline" {
		t.Fatalf("parent cancel %+v", c)
	}
	if c := find(evs, "cancel", ID(d)); c == nil || c.Reason != reg.ReasonDeadline || c.Err != "deadline" {
		t.Fatalf("deadline cancel %+v", c)
	}
	if nd := find(evs, "new", ID(detached)); nd == nil || nd.Ambient != ID(live) || nd.CtxKind != wire.KindBackground {
		t.Fatalf("detached root %+v, want ambient %d", nd, ID(live))
	}
	if nd := find(evs, "new", ID(detached2)); nd == nil || nd.Ambient != ID(live) || nd.Parent != ID(live) {
		t.Fatalf("detached WithoutCancel %+v", nd)
	}
	// Every message is in the raw trace, under the ctxtrail category.
	trace.Stop()
	raw := buf.Bytes()
	if !bytes.Contains(raw, []byte(wire.Category)) {
		t.Fatal("category missing from trace")
	}
	for _, m := range get() {
		if !bytes.Contains(raw, []byte(m)) {
			t.Errorf("message %q missing from the trace", m)
		}
	}
}

func ExampleID() {
	ctx, cancel := WithCancel(Background())
	defer cancel()
	fmt.Println(ID(ctx)) // 0 unless tracing is on
	// Output: 0
}

// TestParentThroughPlain: cancellation that comes from an untraced context between two
// traced ones is reported as by parent with from=0, and the child's new event has flag u.
func TestParentThroughPlain(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	top, topCancel := WithCancel(Background())
	defer topCancel()
	mid, midCancel := context.WithCancel(context.WithValue(top, key("k"), 1)) // untraced
	child, childCancel := WithCancel(mid)
	defer childCancel()
	midCancel()
	<-child.Done()
	waitFor(t, "cancel event", func() bool { return find(parseAll(t, get()), "cancel", ID(child)) != nil })
	evs := parseAll(t, get())
	if n := find(evs, "new", ID(child)); n == nil || n.Parent != ID(top) || n.Flags != "u" {
		t.Fatalf("new %+v", n)
	}
	if c := find(evs, "cancel", ID(child)); c.Reason != "parent" || c.From != 0 {
		t.Fatalf("cancel %+v", c)
	}
}

// TestCancelRaces: contexts whose deadline, parent and cancel funcs race get exactly one
// cancel event each, consistent with their error, and late events only after it.
func TestCancelRaces(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	const n = 300
	var ids []uint64
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		parent, pcancel := WithCancel(Background())
		ctx, cancel := WithTimeout(parent, time.Duration(i%7)*10*time.Microsecond)
		ids = append(ids, ID(ctx))
		wg.Add(3)
		go func() { defer wg.Done(); cancel() }()
		go func() { defer wg.Done(); cancel() }()
		go func() { defer wg.Done(); pcancel() }()
	}
	wg.Wait()
	waitFor(t, "all cancel events", func() bool {
		count := 0
		for _, e := range parseAll(t, get()) {
			if e.Kind == "cancel" {
				count++
			}
		}
		return count >= 2*n
	})
	cancels := map[uint64]int{}
	for _, e := range parseAll(t, get()) {
		switch e.Kind {
		case "cancel":
			cancels[e.ID]++
			switch {
			case e.Reason == "own" && e.Err != "canceled",
				e.Reason == "deadline" && e.Err != "deadline",
				e.Reason == "parent" && e.Err != "canceled":
				t.Errorf("inconsistent %+v", e)
			}
		case "late":
			if cancels[e.ID] != 1 {
				t.Errorf("late before cancel for #%d", e.ID)
			}
		}
	}
	for _, id := range ids {
		if cancels[id] != 1 {
			t.Errorf("#%d: %d cancel events", id, cancels[id])
		}
	}
}

func TestWatchSites(t *testing.T) {
	_ = tracing(t)
	get, stop := captureLog()
	defer stop()

	// Deriving a plain child makes the context package call the parent's Done(): not a watch.
	parent, cancel := WithCancel(Background())
	defer cancel()
	child, childCancel := context.WithCancel(parent)
	defer childCancel()

	// A goroutine waiting on a root that can never be done is watching it (forever).
	root := Background()
	started := make(chan struct{})
	go func() {
		close(started)
		select {
		case <-root.Done(): // line W
		case <-child.Done():
		}
	}()
	<-started
	waitFor(t, "watch of the root", func() bool { return find(parseAll(t, get()), "watch", ID(root)) != nil })
	evs := parseAll(t, get())
	w := find(evs, "watch", ID(root))
	if !strings.HasSuffix(w.Site.File, "trail_test.go") || !strings.Contains(w.Site.Func, "TestWatchSites") {
		t.Fatalf("watch of the root at %+v, want the goroutine's select in TestWatchSites", w.Site)
	}
	for _, e := range evs {
		if e.Kind == "watch" && e.ID == ID(parent) {
			t.Fatalf("deriving a plain child logged a watch of its parent: %+v", e)
		}
	}
	childCancel()
}
