// Package trailtest checks, in go test, that contexts get cancelled and that tests leave no
// goroutines behind, and explains failures with what package trail recorded: which
// context a leaked goroutine was watching, where that context was created, whether, when,
// where and why it was cancelled.
//
// Typical use:
//
//	func TestMain(m *testing.M) { trailtest.VerifyTestMain(m) }
//
//	func TestServe(t *testing.T) {
//		trailtest.VerifyNoLeaks(t) // at the start: checks in t.Cleanup
//		t.Parallel()
//		trailtest.Go(t, func() { ... })
//	}
//
// While a test binary uses trailtest, runtime tracing is on (a flight recorder on Go 1.25+),
// so trail's constructors return traced contexts; on failure the last seconds of the
// execution trace are written to a file whose path is printed, and, when the ctxtrail
// binary is in $CTXTRAIL or on PATH, `ctxtrail analyze <file>` is run and its output logged.
package trailtest

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

// LabelKey is the pprof goroutine label trailtest sets to the test's name (on the test
// goroutine in VerifyNoLeaks and on goroutines started by Go); child goroutines inherit it.
const LabelKey = "ctxtrail.test"

// Bookkeeping shared by all tests of the binary. mu guards every map here: checks of
// parallel tests poll, blame and describe at the same time.
var (
	mu        sync.Mutex
	testOf    = map[int64]string{} // goroutine -> test: test goroutines and Go goroutines
	goStarts  = map[int64]*goStart{}
	creators  = map[int64]int64{} // goroutine -> creator, learned from dumps, kept after exit
	seenAlive = map[int64]bool{}  // goroutines alive in the last dump
	ancestry  = map[int64]ancestor{}
	checking  = map[string]bool{} // tests whose check is registered
	checked   = map[string]bool{} // tests that ever called VerifyNoLeaks
	startOnce sync.Once
	startErr  error
)

// ancestor is what a dump showed about a goroutine, kept for the creation chains of its
// descendants after it exits.
type ancestor struct {
	start     string
	createdBy frame
}

type goStart struct {
	fn    string
	stack []uintptr
}

// ensureStarted turns tracing (the flight recorder) and trail's goroutine map on.
func ensureStarted() {
	startOnce.Do(func() {
		reg.SetTracking(true)
		startErr = startRecorder()
	})
}

// Go runs fn in a new goroutine owned by test t: the goroutine (and, through the pprof
// label LabelKey it inherits, its children) is attributed to t in leak reports, which name
// fn and the stack that called Go.
func Go(t testing.TB, fn func()) {
	ensureStarted()
	name := t.Name()
	pcs := make([]uintptr, 32)
	pcs = pcs[:runtime.Callers(2, pcs)]
	gs := &goStart{fn: funcName(fn), stack: pcs}
	caller := reg.Goid()
	var site frame
	onTestGoroutine := false
	frames := runtime.CallersFrames(pcs)
	for i := 0; ; i++ {
		f, more := frames.Next()
		if i == 0 {
			site = frame{Func: f.Function, File: f.File, Line: f.Line}
		}
		if f.Function == "testing.tRunner" {
			onTestGoroutine = true
		}
		if !more {
			break
		}
	}
	started := make(chan struct{})
	go func() {
		g := reg.Goid()
		mu.Lock()
		testOf[g] = name
		goStarts[g] = gs
		creators[g] = caller
		ancestry[g] = ancestor{start: gs.fn + " (via trailtest.Go)", createdBy: site}
		if onTestGoroutine {
			// Go was called on t's own goroutine: everything it starts belongs to t.
			if _, ok := testOf[caller]; !ok {
				testOf[caller] = name
			}
			if _, ok := ancestry[caller]; !ok {
				ancestry[caller] = ancestor{start: "testing.tRunner"}
			}
		}
		mu.Unlock()
		close(started)
		pprof.Do(context.Background(), pprof.Labels(LabelKey, name), func(context.Context) { fn() })
	}()
	<-started
}

// setTestLabel sets the pprof label LabelKey of the calling goroutine to the test's name,
// keeping its other labels (read from the goroutine profile).
func setTestLabel(name string) {
	var args []string
	for k, v := range ownLabels() {
		if k != LabelKey {
			args = append(args, k, v)
		}
	}
	args = append(args, LabelKey, name)
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels(args...)))
}

func funcName(fn any) string {
	if f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()); f != nil {
		return f.Name()
	}
	return "?"
}

// VerifyNoLeaks checks, when t and its subtests are done (t.Cleanup), that no goroutine
// started by t (directly, through Go, or transitively) is left. Call it at the start of
// the test; `defer trailtest.VerifyNoLeaks(t)` works as well. Goroutines of other tests,
// including parallel ones, are never blamed on t. If t failed for any reason, the trace
// of its last seconds is written too.
func VerifyNoLeaks(t testing.TB, opts ...Option) {
	t.Helper()
	ensureStarted()
	g := reg.Goid()
	name := t.Name()
	mu.Lock()
	testOf[g] = name
	already := checking[name]
	checking[name] = true
	checked[name] = true
	mu.Unlock()
	if already {
		return
	}
	setTestLabel(name)
	o := buildOptions(opts)
	t.Cleanup(func() {
		mu.Lock()
		delete(checking, name)
		mu.Unlock()
		leaks, verdict := waitForLeaks(o, func(g *goroutine) bool { return blamed(ownerOf(g)) == name })
		if len(leaks) > 0 {
			t.Errorf("trailtest: %s leaked %d goroutine(s) (%s):\n%s", name, len(leaks), verdict, describeLeaks(leaks))
		}
		if t.Failed() && !o.noTrace {
			if len(leaks) > 0 {
				time.Sleep(leakPark)
			}
			writeTrace(t, o, name, focusOnLeaks(leaks, time.Now()))
		}
	})
}

// VerifyTestMain runs the tests with the flight recorder on and, if they pass, checks that
// no goroutine started since m.Run began is left at the end; leaked goroutines are
// reported with the test that started them when it is known. Use it as the whole body of
// TestMain (or as its last statement).
func VerifyTestMain(m *testing.M, opts ...Option) {
	ensureStarted()
	if startErr != nil {
		fmt.Fprintf(os.Stderr, "trailtest: cannot start tracing (%v): leak reports will lack contexts\n", startErr)
	}
	before := IgnoreCurrent() // goroutines started before any test (init, TestMain) are not the tests' leaks
	code := m.Run()
	if code == 0 {
		o := buildOptions(append([]Option{before}, opts...))
		leaks, verdict := waitForLeaks(o, func(*goroutine) bool { return true })
		if len(leaks) > 0 {
			fmt.Fprintf(os.Stderr, "trailtest: %d goroutine(s) leaked by the tests (%s):\n%s", len(leaks), verdict, describeLeaks(leaks))
			if !o.noTrace {
				writeTrace(stderrLogger{}, o, "TestMain", nil)
			}
			fmt.Fprintln(os.Stderr, "FAIL")
			code = 1
		}
	}
	stopRecorder()
	os.Exit(code)
}

// AssertContextCancelled fails t unless ctx is done within the given duration, and then
// says which cancellation never came: for ctx and each traced ancestor its kind, creation
// site and whether its cancel func was called or its deadline passed.
func AssertContextCancelled(t testing.TB, ctx context.Context, within time.Duration, opts ...Option) {
	t.Helper()
	timer := time.NewTimer(within)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return
	case <-timer.C:
	}
	t.Errorf("trailtest: context not cancelled within %v:\n%s", within, whyNotCancelled(ctx))
	o := buildOptions(opts)
	if !o.noTrace {
		writeTrace(t, o, t.Name(), focusOnContext(ctx))
	}
}
