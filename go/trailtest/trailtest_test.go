package trailtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"testing"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

const sampleDump = `goroutine 7 [running]:
main.main()
	/src/main.go:10 +0x1d

goroutine 20 [chan receive, 3 minutes]:
example.com/p.worker(0xc000010000, {0x1, 0x2})
	/src/p/w.go:12 +0x25
created by example.com/p.TestX in goroutine 7
	/src/p/w_test.go:30 +0x99

goroutine 21 [select (no cases)]:
example.com/p.(*T).loop(...)
	/src/p/t.go:5
example.com/p.start.func1()
	/src/p/t.go:9 +0x10
created by example.com/p.start in goroutine 20
	/src/p/t.go:8 +0x20
`

func TestParseDump(t *testing.T) {
	gs := parseDump(sampleDump)
	if len(gs) != 3 {
		t.Fatalf("got %d goroutines", len(gs))
	}
	g := gs[1]
	if g.ID != 20 || g.State != "chan receive" || g.Waiting != "3 minutes" || g.Creator != 7 ||
		g.CreatedBy.Func != "example.com/p.TestX" || g.CreatedBy.Line != 30 || g.startFunc() != "example.com/p.worker" ||
		g.Frames[0].File != "/src/p/w.go" || g.Frames[0].Line != 12 || g.kind() != "blocked" {
		t.Fatalf("bad parse %+v", g)
	}
	if gs[2].startFunc() != "example.com/p.start.func1" || gs[2].Frames[0].Func != "example.com/p.(*T).loop" || gs[2].Creator != 20 {
		t.Fatalf("bad parse %+v", gs[2])
	}
	if gs[0].kind() != "running" || gs[0].Creator != 0 {
		t.Fatalf("bad parse %+v", gs[0])
	}
	// The live dump parses too, and finds this goroutine.
	found := false
	for _, g := range parseDump(string(stacks())) {
		if strings.Contains(g.startFunc(), "testing.tRunner") && strings.Contains(g.Raw, "TestParseDump") {
			found = true
		}
	}
	if !found {
		t.Fatal("own goroutine not in live dump")
	}
}

// TestFixture runs `go test` on testdata/leaky, whose tests leak and fail on purpose, and
// checks that each failure is reported on the right test with the right context.
func TestFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	traces := t.TempDir()
	cmd := exec.Command("go", "test", "-count=1", "-v", "./testdata/leaky")
	cmd.Env = append(os.Environ(), "CTXTRAIL_TRACE_DIR="+traces, "CTXTRAIL=")
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err == nil {
		t.Fatalf("fixture passed, it should fail:\n%s", text)
	}
	t.Logf("fixture output:\n%s", text)
	mustMatch := func(what, re string) {
		t.Helper()
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("%s: no match for %q", what, re)
		}
	}
	mustNot := func(what, re string) {
		t.Helper()
		if regexp.MustCompile(re).MatchString(text) {
			t.Errorf("%s: unexpected match for %q", what, re)
		}
	}
	// A parallel test's leak is blamed on it, with its context, and not on the parallel
	// test that checked while the leaked goroutine was alive.
	mustMatch("leak A", `(?s)TestLeakA leaked 1 goroutine\(s\).*started as \S+leaky\.worker\n\s+test: TestLeakA\n.*watching context #\d+ cancel created at leaky_test\.go:31 \(\S+TestLeakA\): NOT cancelled`)
	mustMatch("clean B", `--- PASS: TestCleanB`)
	mustNot("clean B", `TestCleanB leaked`)
	// A subtest's grandchild goroutine is blamed on the subtest (checked by the parent),
	// with the cancelled context it watched: when, where, cause.
	mustMatch("subtest", `(?s)TestSubtests leaked 1 goroutine\(s\).*blocked on select \(no cases\).*test: TestSubtests/child\n.*watching context #\d+ cancelcause created at leaky_test\.go:56 .*cancelled at .* by its own cancel func at leaky_test\.go:57 .*cause "subtest done"`)
	mustMatch("creation chain", `creation chain:\n\s+<- goroutine \d+ started as \S+TestSubtests\.func1\.1 \(via trailtest\.Go\), created by \S+TestSubtests\.func1 at leaky_test\.go:59 \(test TestSubtests/child\)\n\s+<- goroutine \d+: test TestSubtests/child`)
	mustMatch("give up", `(?s)TestGiveUp leaked 1 goroutine\(s\) \(gave up after waiting \d+ms \(MaxWait\) with 1 still running, sleeping, waiting for a timer or winding down.*goroutine \d+: sleeping, started as \S+TestGiveUp\.func1`)
	mustMatch("defer form", `--- PASS: TestDeferForm`)
	mustMatch("winding down", `--- PASS: TestWindingDown`)
	{
		// The creator exited: the pprof label attributes the goroutine.
		mustMatch("indirect", `(?s)TestIndirect leaked 1 goroutine\(s\).*test: TestIndirect\n.*watching context #\d+ cancel created at leaky_test\.go:\d+ \(\S+TestIndirect\): NOT cancelled`)
	}
	mustMatch("assert", `(?s)context not cancelled within 50ms:.*#\d+ timeout created at leaky_test\.go:87 .*its cancel func was never called and its deadline .*#\d+ cancel created at leaky_test\.go:85 .*its cancel func was never called.*background .*can never be cancelled`)
	mustMatch("assert ok", `--- PASS: TestAssertCancelled`)
	// Traces are written for the failures and their paths printed.
	paths := regexp.MustCompile(`written to (\S+\.trace)`).FindAllStringSubmatch(text, -1)
	if len(paths) < 3 {
		t.Fatalf("want >= 3 trace paths, got %v", paths)
	}
	for _, p := range paths {
		fi, err := os.Stat(p[1])
		if err != nil || fi.Size() == 0 || filepath.Dir(p[1]) != traces {
			t.Errorf("trace %s: %v", p[1], err)
		}
		data, _ := os.ReadFile(p[1])
		if !strings.HasPrefix(string(data), "go 1.") || !strings.Contains(string(data), "ctxtrail") {
			t.Errorf("trace %s is not a Go trace with ctxtrail events", p[1])
		}
	}
}

// TestFixtureMain: VerifyTestMain reports a goroutine leaked by a passing test.
func TestFixtureMain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	// A stand-in for the ctxtrail binary: trailtest runs `$CTXTRAIL analyze <trace>`. It
	// exits 1 as ctxtrail does with findings: its output is logged, not an error.
	fake := filepath.Join(t.TempDir(), "ctxtrail")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"fake ctxtrail: $1 $(wc -c < \"$2\") bytes, $(wc -c < \"$3\") bytes\"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "./testdata/mainleak")
	cmd.Env = append(os.Environ(), "CTXTRAIL_TRACE_DIR="+t.TempDir(), "CTXTRAIL="+fake)
	out, err := cmd.CombinedOutput()
	text := string(out)
	t.Logf("fixture output:\n%s", text)
	if err == nil {
		t.Fatal("fixture passed, it should fail")
	}
	if !regexp.MustCompile(`(?s)1 goroutine\(s\) leaked by the tests.*test: TestNoCheck \(from the function that started it.*watching context #\d+ timeout created at mainleak_test\.go:15 .*NOT cancelled.*written to \S+\.trace`).MatchString(text) {
		t.Error("report does not name the test, the context and the trace")
	}
	// It analyzes the trace and the goroutine dump written beside it (and the leak profile
	// when this Go has one).
	if !regexp.MustCompile(`analyze \S+\.trace \S+\.goroutines\.txt( \S+\.goroutineleak\.pb\.gz)?:\n\s*fake ctxtrail: analyze [1-9]\d* bytes, [1-9]\d* bytes`).MatchString(text) {
		t.Error("ctxtrail analyze output missing")
	}
	if strings.Contains(text, "exit status 1") {
		t.Error("ctxtrail's exit status 1 (findings) logged as an error")
	}
}

func TestParseLabels(t *testing.T) {
	for _, head := range []string{
		`goroutine 7 [chan receive, 2 minutes labels:{"ctxtrail.test": "TestA/sub", "k": "v \"q\""}]:`, // Go 1.26
		`goroutine 7 [chan receive, 2 minutes] {ctxtrail.test: TestA/sub, k: "v \"q\""}:`,              // Go 1.27
	} {
		gs := parseDump(head + "\nmain.f()\n\t/x.go:1 +0x1\n")
		if len(gs) != 1 {
			t.Fatalf("%s: %d goroutines", head, len(gs))
		}
		g := gs[0]
		if g.State != "chan receive" || g.Waiting != "2 minutes" || g.Labels[LabelKey] != "TestA/sub" || g.Labels["k"] != `v "q"` {
			t.Errorf("%s: state %q waiting %q labels %q", head, g.State, g.Waiting, g.Labels)
		}
	}
}

// TestTimers runs the testdata/timers fixture: the same goroutines checked by trailtest and
// by goleak. Woken by a timer, a ticker or a pending time.AfterFunc, they are no leaks for
// trailtest, which waits for them (up to MaxWait), not blindly for everything as goleak
// does: a goroutine no timer can wake is reported at once, and a timer stopped before it
// fired after MaxWait.
func TestTimers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", ".")
	cmd.Dir = filepath.Join("testdata", "timers")
	cmd.Env = append(os.Environ(), "CTXTRAIL_TRACE_DIR="+t.TempDir(), "CTXTRAIL=", "GOFLAGS=-mod=mod")
	out, _ := cmd.CombinedOutput()
	text := string(out)
	t.Logf("fixture output:\n%s", text)
	for test, want := range map[string]string{
		"TestAfter/trailtest": "PASS", "TestAfter/goleak": "PASS",
		"TestAfterFunc/trailtest": "PASS", "TestAfterFunc/goleak": "PASS",
		"TestTicker/trailtest": "PASS", "TestTicker/goleak": "PASS",
		"TestSlowTimer/trailtest": "PASS", "TestSlowTimer/goleak": "FAIL", // goleak gives up after ~0.5s
		"TestStoppedTimer/trailtest": "FAIL", "TestStoppedTimer/goleak": "FAIL",
		"TestLeak/trailtest": "FAIL", "TestLeak/goleak": "FAIL",
	} {
		if !regexp.MustCompile(`--- ` + want + `: ` + regexp.QuoteMeta(test) + ` `).MatchString(text) {
			t.Errorf("%s: want %s", test, want)
		}
	}
	mustMatch := func(what, re string) {
		t.Helper()
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("%s: no match for %q", what, re)
		}
	}
	// No timer in its code: reported at once, not after goleak-style retries.
	mustMatch("leak at once", `TestLeak/trailtest leaked 1 goroutine\(s\) \(after [\d.]+m?s: all blocked, none watching a cancelled context or running code that sets up a timer`)
	// A stopped timer: waited for up to MaxWait (500ms in the fixture), then reported with it;
	// or, with the leak profile, reported at once when the profile proves nothing can wake it.
	// The profile proves it only once a garbage collection has found it unreachable, which
	// may come after MaxWait: then it is the first report.
	waited := `(?s)TestStoppedTimer/trailtest leaked 1 goroutine\(s\) \(gave up after waiting [\d.]+m?s \(MaxWait\).*waited for: a timer its code sets up at \S+timers_test\.go:\d+`
	proven := `(?s)TestStoppedTimer/trailtest leaked 1 goroutine\(s\) \(after [\d.]+m?s: all blocked, none watching a cancelled context, and those whose code sets up a timer proven leaked.*not waited for: its code sets up a timer at \S+timers_test\.go:\d+`
	if snapshot.LeakProfileAvailable() {
		mustMatch("stopped timer", proven+`|`+waited)
	} else {
		mustMatch("stopped timer", waited)
	}
}

// TestTestFuncOf: without a test that checks, a goroutine is attributed by name, from the
// function of its go statement or else from the function it was started with.
func TestTestFuncOf(t *testing.T) {
	for _, c := range []struct {
		createdBy, start, want string
	}{
		{"example.com/p.TestA.func1", "example.com/p.worker", "TestA"},
		{"example.com/p.startVia", "example.com/p.TestC.func2", "TestC"},
		{"example.com/p.startVia", "example.com/p.worker", ""},
	} {
		g := &goroutine{CreatedBy: frame{Func: c.createdBy}, Frames: []frame{{Func: c.start}}}
		got := ""
		if m := testFuncOf(g); m != nil {
			got = m[1]
		}
		if got != c.want {
			t.Errorf("created by %s, started as %s: %q, want %q", c.createdBy, c.start, got, c.want)
		}
	}
}

// TestKeepsLabels: VerifyNoLeaks adds its label to the test goroutine's pprof labels instead
// of replacing them.
func TestKeepsLabels(t *testing.T) {
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("team", "payments")))
	VerifyNoLeaks(t)
	if got := ownLabels(); got["team"] != "payments" || got[LabelKey] != t.Name() {
		t.Fatalf("labels after VerifyNoLeaks: %q", got)
	}
}

// TestLabelsWithoutEnv: dumps get the pprof labels of their goroutines from the goroutine
// profile, with GODEBUG unset (so never set for a moment, for every parallel test and
// subprocess to see); goroutines parked at one line under different labels get only the
// labels they share.
func TestLabelsWithoutEnv(t *testing.T) {
	t.Setenv("GODEBUG", "")
	os.Unsetenv("GODEBUG")
	stop := make(chan struct{})
	defer close(stop)
	started := make(chan int64, 3)
	for _, labels := range [][]string{{LabelKey, "A", "team", "x"}, {LabelKey, "B", "team", "x"}, {LabelKey, "C"}} {
		pprof.Do(context.Background(), pprof.Labels(labels...), func(context.Context) {
			if labels[1] == "C" {
				go labelledC(started, stop)
			} else {
				go labelledAB(started, stop)
			}
		})
	}
	ids := map[int64]bool{<-started: true, <-started: true, <-started: true}
	byStart := map[string]map[string]string{}
	for _, g := range dumpGoroutines() {
		if ids[g.ID] {
			byStart[g.startFunc()+"/"+g.Labels[LabelKey]] = g.Labels
		}
	}
	if l := byStart[pkgPath+".labelledC/C"]; l == nil {
		t.Errorf("the only goroutine at its line lacks its label: %v", byStart)
	}
	if l := byStart[pkgPath+".labelledAB/"]; l == nil || l["team"] != "x" {
		t.Errorf("two goroutines at one line: want only the label they share (team=x): %v", byStart)
	}
	if v, ok := os.LookupEnv("GODEBUG"); ok {
		t.Errorf("GODEBUG set to %q", v)
	}
}

const pkgPath = "github.com/ctxtrail/ctxtrail/go/trailtest"

func labelledAB(started chan<- int64, stop chan struct{}) {
	started <- reg.Goid()
	<-stop
}

func labelledC(started chan<- int64, stop chan struct{}) {
	started <- reg.Goid()
	<-stop
}

// TestTimerSite: a goroutine is waited for when a function on its stack, or the function
// of its go statement, calls one of package time's timer functions (under any import name);
// standard library frames do not count.
func TestTimerSite(t *testing.T) {
	src := `package p

import clock "time"

func waits(done chan struct{}) {
	clock.AfterFunc(clock.Second, func() { close(done) })
	go func() { <-done }()
}

func plain(c chan int) { <-c }
`
	file := filepath.Join(t.TempDir(), "p.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// context.WithDeadlineCause's frame (it calls time.AfterFunc): the standard library's
	// timers are not the test's.
	contextGo := stdSrc + "context/context.go"
	body, _ := os.ReadFile(contextGo)
	at := strings.Index(string(body), "time.AfterFunc(")
	if at < 0 {
		t.Fatalf("no time.AfterFunc in %s", contextGo)
	}
	line := 1 + strings.Count(string(body[:at]), "\n")
	if timerCallIn(contextGo, line) == "" {
		t.Fatalf("%s:%d: no timer call seen: the check below would prove nothing", contextGo, line)
	}
	std := frame{Func: "context.WithDeadlineCause", File: contextGo, Line: line}
	for _, c := range []struct {
		g    goroutine
		want string
	}{
		{goroutine{Frames: []frame{{Func: "p.waits.func2", File: file, Line: 7}}}, file + ":6"},
		{goroutine{Frames: []frame{{Func: "p.plain", File: file, Line: 10}}, CreatedBy: frame{Func: "p.waits", File: file, Line: 7}}, file + ":6"},
		{goroutine{Frames: []frame{{Func: "p.plain", File: file, Line: 10}, std}}, ""},
	} {
		if got := timerSite(&c.g); got != c.want {
			t.Errorf("%+v: timerSite %q, want %q", c.g.Frames, got, c.want)
		}
	}
}
