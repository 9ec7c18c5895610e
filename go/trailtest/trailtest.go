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
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

// LabelKey is the pprof goroutine label trailtest sets to the test's name (on the test
// goroutine in VerifyNoLeaks and on goroutines started by Go); child goroutines inherit it.
const LabelKey = "ctxtrail.test"

// Option configures VerifyNoLeaks, VerifyTestMain and AssertContextCancelled.
type Option func(*options)

type options struct {
	maxWait   time.Duration
	ignoreTop []string
	ignoreAny []string
	ignoreIDs map[int64]bool
	traceDir  string
	noTrace   bool
}

func buildOptions(opts []Option) *options {
	o := &options{maxWait: 5 * time.Second, traceDir: os.Getenv("CTXTRAIL_TRACE_DIR")}
	if o.traceDir == "" {
		o.traceDir = filepath.Join(os.TempDir(), "ctxtrail-traces")
	}
	for _, f := range opts {
		f(o)
	}
	return o
}

// MaxWait bounds how long a check waits for goroutines that are still making progress
// (running, runnable, sleeping, in a syscall, or watching a context that is done) to
// exit. Goroutines that are all blocked with no cancelled context are reported at once.
// The default is 5s.
func MaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

// IgnoreTopFunction ignores goroutines whose innermost frame is the function f
// (fully qualified, e.g. "net/http.(*persistConn).readLoop").
func IgnoreTopFunction(f string) Option {
	return func(o *options) { o.ignoreTop = append(o.ignoreTop, f) }
}

// IgnoreAnyFunction ignores goroutines with the function f anywhere on their stack.
func IgnoreAnyFunction(f string) Option {
	return func(o *options) { o.ignoreAny = append(o.ignoreAny, f) }
}

// IgnoreCurrent ignores the goroutines that exist when the option is made.
func IgnoreCurrent() Option {
	ids := map[int64]bool{}
	for _, g := range parseDump(string(stacks())) {
		ids[g.ID] = true
	}
	return func(o *options) {
		if o.ignoreIDs == nil {
			o.ignoreIDs = map[int64]bool{}
		}
		for id := range ids {
			o.ignoreIDs[id] = true
		}
	}
}

// TraceDir sets where failure traces are written (default $CTXTRAIL_TRACE_DIR, else
// <os.TempDir()>/ctxtrail-traces).
func TraceDir(dir string) Option { return func(o *options) { o.traceDir = dir } }

// NoTrace disables writing a trace on failure.
func NoTrace() Option { return func(o *options) { o.noTrace = true } }

// Bookkeeping shared by all tests of the binary.
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
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels(LabelKey, name)))
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
			writeTrace(t, o, name)
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
				writeTrace(stderrLogger{}, o, "TestMain")
			}
			fmt.Fprintln(os.Stderr, "FAIL")
			code = 1
		}
	}
	stopRecorder()
	os.Exit(code)
}

type stderrLogger struct{}

func (stderrLogger) Logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

// blamed returns the test whose check covers goroutines owned by test owner: owner itself
// if it checks, else its nearest checking ancestor test (subtests are named parent/sub).
func blamed(owner string) string {
	mu.Lock()
	defer mu.Unlock()
	for t := owner; t != ""; {
		if checked[t] {
			return t
		}
		k := strings.LastIndexByte(t, '/')
		if k < 0 {
			break
		}
		t = t[:k]
	}
	return owner
}

// ownerOf returns the test that (transitively) started goroutine g, or "": the nearest test
// goroutine or Go goroutine up its creator chain, else (when the chain is broken by an
// exited goroutine) its inherited pprof label LabelKey, if the dump shows labels.
func ownerOf(g *goroutine) string {
	if o := chainOwner(g.ID); o != "" {
		return o
	}
	return g.Labels[LabelKey]
}

func chainOwner(id int64) string {
	mu.Lock()
	defer mu.Unlock()
	cur := id
	for depth := 0; depth < 10000 && cur != 0; depth++ {
		if name, ok := testOf[cur]; ok {
			return name
		}
		cur = creators[cur]
	}
	return ""
}

// defaultIgnore lists goroutines that belong to the runtime, testing, tracing or trail.
var defaultIgnore = []string{
	"testing.tRunner", "testing.(*M).", "testing.runTests", "testing.(*F).", "testing.runFuzz",
	"runtime/trace.", "os/signal.", "runtime.ensureSigM", "runtime.ReadTrace",
	"github.com/ctxtrail/ctxtrail/go/trail.(*tctx).observe",
}

func (o *options) ignored(g *goroutine) bool {
	if o.ignoreIDs[g.ID] {
		return true
	}
	for _, p := range defaultIgnore {
		if g.has(p) || strings.HasPrefix(g.CreatedBy.Func, p) && strings.HasPrefix(p, "runtime/trace.") {
			return true
		}
	}
	for _, f := range o.ignoreTop {
		if len(g.Frames) > 0 && g.Frames[0].Func == f {
			return true
		}
	}
	for _, f := range o.ignoreAny {
		if g.has(f) {
			return true
		}
	}
	return false
}

// leak is a leaked goroutine with what is known about it.
type leak struct {
	g       *goroutine
	owner   string
	start   *goStart
	watched []*reg.Info
}

// progressing reports whether the goroutine may still be winding down.
func (l *leak) progressing() bool {
	if k := l.g.kind(); k != "blocked" {
		return true
	}
	switch l.g.State {
	case "select (no cases)", "chan receive (nil chan)", "chan send (nil chan)":
		return false // can never wake up
	}
	for _, i := range l.watched {
		if i.IsDone() {
			return true
		}
	}
	return false
}

// waitForLeaks takes goroutine dumps until no goroutine selected by mine is left, or
// none of those left is making progress, or maxWait has passed.
func waitForLeaks(o *options, mine func(*goroutine) bool) ([]*leak, string) {
	self := reg.Goid()
	start := time.Now()
	pause := time.Millisecond
	for {
		gs := parseDump(string(stacks()))
		alive := map[int64]bool{}
		mu.Lock()
		for _, g := range gs {
			alive[g.ID] = true
			if g.Creator != 0 {
				creators[g.ID] = g.Creator
			}
			if _, ok := ancestry[g.ID]; !ok {
				ancestry[g.ID] = ancestor{start: g.startFunc(), createdBy: g.CreatedBy}
			}
		}
		mu.Unlock()
		// Goroutine ids are never reused: what trail remembers about goroutines seen alive
		// in an earlier dump and gone now can go (not about goroutines never seen: they
		// may have started after this dump).
		mu.Lock()
		gone := map[int64]bool{}
		for id := range seenAlive {
			if !alive[id] {
				gone[id] = true
				delete(seenAlive, id)
			}
		}
		for id := range alive {
			seenAlive[id] = true
		}
		mu.Unlock()
		reg.Forget(func(id int64) bool { return !gone[id] })
		var leaks []*leak
		for _, g := range gs {
			if g.ID == self || o.ignored(g) || !mine(g) {
				continue
			}
			mu.Lock()
			st := goStarts[g.ID]
			mu.Unlock()
			leaks = append(leaks, &leak{g: g, owner: ownerOf(g), start: st, watched: reg.Watched(g.ID)})
		}
		if len(leaks) == 0 {
			return nil, ""
		}
		progressing := 0
		for _, l := range leaks {
			if l.progressing() {
				progressing++
			}
		}
		waited := time.Since(start).Round(time.Millisecond)
		if progressing == 0 {
			return leaks, fmt.Sprintf("after %v: all blocked, none watching a cancelled context, so none can exit", waited)
		}
		if waited >= o.maxWait {
			return leaks, fmt.Sprintf("gave up after waiting %v (MaxWait) with %d still running, sleeping or winding down after their context was cancelled", waited, progressing)
		}
		time.Sleep(pause)
		if pause < 20*time.Millisecond {
			pause *= 2
		}
	}
}

func describeLeaks(leaks []*leak) string {
	sort.Slice(leaks, func(i, j int) bool { return leaks[i].g.ID < leaks[j].g.ID })
	var b strings.Builder
	for _, l := range leaks {
		g := l.g
		state := g.kind()
		if state == "blocked" {
			state = "blocked on " + g.State
		}
		if g.Waiting != "" {
			state += " for " + g.Waiting
		}
		start := g.startFunc()
		if l.start != nil {
			start = l.start.fn + " (via trailtest.Go)"
		}
		fmt.Fprintf(&b, "\n  goroutine %d: %s, started as %s\n", g.ID, state, start)
		owner := l.owner
		if owner == "" {
			if m := testFuncRE.FindStringSubmatch(g.CreatedBy.Func); m != nil {
				owner = m[1] + " (from the function that started it; call trailtest.VerifyNoLeaks in the test to be sure)"
			} else {
				owner = "unknown (its creator exited before trailtest saw it; start it with trailtest.Go to know)"
			}
		}
		fmt.Fprintf(&b, "    test: %s\n", owner)
		if g.CreatedBy.Func != "" {
			fmt.Fprintf(&b, "    created by %s in goroutine %d at %s:%d\n", g.CreatedBy.Func, g.Creator, g.CreatedBy.File, g.CreatedBy.Line)
		}
		if chain := creationChain(g.Creator); chain != "" {
			b.WriteString(chain)
		}
		if l.start != nil {
			b.WriteString("    creation stack (trailtest.Go called from):\n")
			fr := runtime.CallersFrames(l.start.stack)
			for {
				f, more := fr.Next()
				if strings.HasPrefix(f.Function, "testing.") || f.Function == "runtime.goexit" {
					break
				}
				fmt.Fprintf(&b, "      %s\n          %s:%d\n", f.Function, f.File, f.Line)
				if !more {
					break
				}
			}
		}
		if len(l.watched) == 0 {
			if reg.Tracking() {
				b.WriteString("    watching no traced context (it never called Done or Err on a trail context)\n")
			}
		}
		for _, i := range l.watched {
			fmt.Fprintf(&b, "    watching context %s\n", describeInfo(i))
			if i.Parent != nil {
				fmt.Fprintf(&b, "      parent chain: %s\n", chain(i.Parent))
			}
		}
		b.WriteString("    stack:\n")
		for _, f := range g.Frames {
			fmt.Fprintf(&b, "      %s\n          %s:%d\n", f.Func, f.File, f.Line)
		}
	}
	return b.String()
}

// creationChain describes the goroutines that (transitively) created a goroutine, from
// its creator up, as far as dumps have seen them.
func creationChain(id int64) string {
	mu.Lock()
	defer mu.Unlock()
	var b strings.Builder
	for depth := 0; id != 0 && depth < 20; depth++ {
		a, ok := ancestry[id]
		name := testOf[id]
		switch {
		case name != "" && strings.HasPrefix(a.start, "testing.tRunner"):
			fmt.Fprintf(&b, "      <- goroutine %d: test %s\n", id, name)
			return "    creation chain:\n" + b.String()
		case !ok:
			fmt.Fprintf(&b, "      <- goroutine %d (exited before trailtest saw it)\n", id)
			return "    creation chain:\n" + b.String()
		}
		fmt.Fprintf(&b, "      <- goroutine %d started as %s", id, a.start)
		if a.createdBy.Func != "" {
			fmt.Fprintf(&b, ", created by %s at %s:%d", a.createdBy.Func, filepath.Base(a.createdBy.File), a.createdBy.Line)
		}
		if name != "" {
			fmt.Fprintf(&b, " (test %s)", name)
		}
		b.WriteString("\n")
		id = creators[id]
	}
	return "    creation chain:\n" + b.String()
}

var testFuncRE = regexp.MustCompile(`\.(Test[^./]*)(\.|$)`)

func shortSite(s reg.Site) string {
	if s.File == "" {
		return "?"
	}
	return fmt.Sprintf("%s:%d (%s)", filepath.Base(s.File), s.Line, s.Func)
}

// describeInfo says what is known about one traced context.
func describeInfo(i *reg.Info) string {
	s := fmt.Sprintf("#%d %s created at %s", i.ID, i.Kind, shortSite(i.Created))
	if !i.Deadline.IsZero() {
		s += fmt.Sprintf(", deadline %s", i.Deadline.Format("15:04:05.000"))
	}
	c := i.Cancelled()
	switch {
	case c.Done:
		s += fmt.Sprintf(": cancelled at %s (%v ago) ", c.When.Format("15:04:05.000"), time.Since(c.When).Round(time.Millisecond))
		switch c.Reason {
		case reg.ReasonOwn:
			s += "by its own cancel func at " + shortSite(c.Site)
		case reg.ReasonParent:
			s += fmt.Sprintf("by its parent #%d", c.From)
		case reg.ReasonDeadline:
			s += "by its deadline"
		}
		s += fmt.Sprintf(", cause %q", c.Cause)
	case i.IsDone():
		s += ": done (cancellation being recorded)"
	case i.DoneCh == nil:
		s += ": can never be cancelled"
	default:
		s += ": NOT cancelled"
	}
	return s
}

func chain(i *reg.Info) string {
	var parts []string
	for ; i != nil; i = i.Parent {
		parts = append(parts, fmt.Sprintf("#%d %s at %s", i.ID, i.Kind, shortSite(i.Created)))
	}
	return strings.Join(parts, " <- ")
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
		writeTrace(t, o, t.Name())
	}
}

func whyNotCancelled(ctx context.Context) string {
	info, _ := ctx.Value(reg.Key).(*reg.Info)
	if info == nil {
		return "  ctx is not a traced context (made while tracing was off, or not with package trail; " +
			"use trailtest.VerifyTestMain so tracing is on from the start): its creation site is unknown"
	}
	var b strings.Builder
	b.WriteString("  the cancel that never came — none of these was cancelled:\n")
	for i := info; i != nil; i = i.Parent {
		fmt.Fprintf(&b, "    #%d %s created at %s", i.ID, i.Kind, shortSite(i.Created))
		switch {
		case i.Kind == "withoutcancel":
			b.WriteString(": WithoutCancel — cancelling anything above it never reaches ctx\n")
			return b.String()
		case i.DoneCh == nil:
			b.WriteString(": can never be cancelled (a root)\n")
		case i.IsDone():
			b.WriteString(": done\n")
		default:
			b.WriteString(": its cancel func was never called")
			if !i.Deadline.IsZero() {
				fmt.Fprintf(&b, " and its deadline %s is %v away", i.Deadline.Format("15:04:05.000"), time.Until(i.Deadline).Round(time.Millisecond))
			}
			b.WriteString("\n")
		}
		if i.Parent == nil && i.DoneCh != nil {
			b.WriteString("    (its parent is not a traced context)\n")
		}
	}
	return b.String()
}

type logger interface{ Logf(string, ...any) }

var traceMu sync.Mutex

// writeTrace writes the recorded trace next to the failing test and runs ctxtrail analyze.
func writeTrace(t logger, o *options, name string) {
	traceMu.Lock()
	defer traceMu.Unlock()
	if err := os.MkdirAll(o.traceDir, 0o755); err != nil {
		t.Logf("trailtest: cannot write trace: %v", err)
		return
	}
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, name)
	path := filepath.Join(o.traceDir, fmt.Sprintf("%s-%s-%d.trace", safe, time.Now().Format("20060102-150405.000"), os.Getpid()))
	var buf bytes.Buffer
	ok, err := snapshot(&buf)
	if !ok {
		t.Logf("trailtest: no trace recorded (tracing could not be started: %v)", startErr)
		return
	}
	if err != nil {
		t.Logf("trailtest: writing the trace: %v", err)
		return
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Logf("trailtest: cannot write trace: %v", err)
		return
	}
	t.Logf("trailtest: execution trace (%s) of the last seconds written to %s", recorderKind, path)
	bin := os.Getenv("CTXTRAIL")
	if bin == "" {
		bin, _ = exec.LookPath("ctxtrail")
	}
	if bin == "" {
		t.Logf("trailtest: set $CTXTRAIL or put ctxtrail on PATH to get `ctxtrail analyze` here; run: ctxtrail analyze %s", path)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "analyze", path).CombinedOutput()
	if err != nil {
		t.Logf("trailtest: %s analyze %s: %v\n%s", bin, path, err, out)
		return
	}
	t.Logf("trailtest: %s analyze %s:\n%s", bin, path, out)
}
