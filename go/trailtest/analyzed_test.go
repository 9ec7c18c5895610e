package trailtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ctxtrailBinary is $CTXTRAIL, else the tree's build/release/ctxtrail, else "".
func ctxtrailBinary() string {
	if bin := os.Getenv("CTXTRAIL"); bin != "" {
		return bin
	}
	if abs, _ := filepath.Abs("../../build/release/ctxtrail"); fileExists(abs) {
		return abs
	}
	return ""
}

// TestFixtureAnalyzed runs testdata/analyzed: two tests leak, each about a millisecond
// after the context its goroutine watched was done, and a third on a context nobody
// cancels, in a trace made long by an earlier test. Each test's log must show `ctxtrail
// analyze` naming its own leak (the grace fits the leak's age) and not another test's.
func TestFixtureAnalyzed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	bin := ctxtrailBinary()
	if bin == "" {
		t.Skip("no ctxtrail binary ($CTXTRAIL or ../../build/release/ctxtrail)")
	}
	cmd := exec.Command("go", "test", "-count=1", "./testdata/analyzed")
	cmd.Env = append(os.Environ(), "CTXTRAIL_TRACE_DIR="+t.TempDir(), "CTXTRAIL="+bin)
	out, err := cmd.CombinedOutput()
	text := string(out)
	t.Logf("fixture output:\n%s", text)
	if err == nil {
		t.Fatal("fixture passed, it should fail")
	}
	logs := map[string]string{}
	for _, part := range strings.Split(text, "--- FAIL: ")[1:] {
		name, _, _ := strings.Cut(part, " ")
		logs[name] = part
	}
	for _, c := range []struct{ test, own, other, rule string }{
		{"TestLeakOne", "leakOne", "leakTwo", "watcher-outlived-context"},
		{"TestLeakTwo", "leakTwo", "leakOne", "watcher-outlived-context"},
		// Its context is never cancelled: the leak is named with its test.
		{"TestLeakNever", "leakNever", "leakOne", "leaked-goroutine"},
	} {
		log := logs[c.test]
		_, analysis, ok := strings.Cut(log, "ctxtrail analyze ")
		if !ok {
			t.Errorf("%s: no `ctxtrail analyze` in its log", c.test)
			continue
		}
		if !regexp.MustCompile(`error\[` + c.rule + `\].*\n\s+\* G\d+ .*analyzed\.` + c.own + `\b`).MatchString(analysis) {
			t.Errorf("%s: ctxtrail analyze does not name its leak (%s)", c.test, c.own)
		}
		if c.rule == "leaked-goroutine" && !strings.Contains(analysis, "started by test "+
			"github.com/ctxtrail/ctxtrail/go/trailtest/testdata/analyzed."+c.test) {
			t.Errorf("%s: ctxtrail analyze does not name the test", c.test)
		}
		if strings.Contains(analysis, "analyzed."+c.other) {
			t.Errorf("%s: its log shows the other test's leak (%s)", c.test, c.other)
		}
	}
}

// TestFocusFilter: of a report, the summary and the items naming the check's goroutines or
// contexts are kept; other items, findings and the cancel waves are counted in one line.
func TestFocusFilter(t *testing.T) {
	report := `t.trace: 3 findings (3 errors, 0 warnings); 9 goroutines, 1 cancel wave, 20ms traced

error[watcher-outlived-context]: A goroutine outlived the context it watched
  * G7 (p.leakOne) called Done() on context #2
    block     p.go:26
  * G32 (p.leakTwo) called Done() on context #4
    block     p.go:32

error[lost-cancel]: A cancel func was never called
  * the cancel func of context #9 was never called
    at 5ms  goroutine G3

cancel waves:
  #1   at 5ms     G3`
	f := &focus{goroutines: map[int64]bool{32: true}, contexts: map[uint64]bool{}}
	got := f.filter(report)
	want := `t.trace: 3 findings (3 errors, 0 warnings); 9 goroutines, 1 cancel wave, 20ms traced

error[watcher-outlived-context]: A goroutine outlived the context it watched
  * G32 (p.leakTwo) called Done() on context #4
    block     p.go:32

(2 more about other goroutines and contexts, e.g. earlier tests', left out: run the command above for all)
`
	if got != want {
		t.Errorf("filtered:\n%s\nwant:\n%s", got, want)
	}
	if g := (&focus{contexts: map[uint64]bool{9: true}}).filter(report); !strings.Contains(g, "context #9") || strings.Contains(g, "G32") {
		t.Errorf("focus on context #9:\n%s", g)
	}
}
