package trailtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ctxtrail/ctxtrail/go/internal/pprofwire"
	"github.com/ctxtrail/ctxtrail/go/internal/reg"
	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

// TestFixtureLeakProfile runs testdata/leakprofile, whose test abandons a sender, and checks
// the files written beside the trace (the goroutine dump, and the leak profile when this Go
// has one), the log line that names them with the command that analyzes them together, and,
// when the ctxtrail binary is here, that command's finding.
func TestFixtureLeakProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	dir := t.TempDir()
	bin := ctxtrailBinary()
	// The child runs the same go with the same environment (GOEXPERIMENT, GOTOOLCHAIN), so
	// it has the leak profile exactly when this process has.
	cmd := exec.Command("go", "test", "-count=1", "-v", "./testdata/leakprofile")
	cmd.Env = append(os.Environ(), "CTXTRAIL_TRACE_DIR="+dir, "CTXTRAIL="+bin)
	out, err := cmd.CombinedOutput()
	text := string(out)
	t.Logf("fixture output:\n%s", text)
	if err == nil {
		t.Fatal("fixture passed, it should fail")
	}
	withLeak := snapshot.LeakProfileAvailable()
	line := `trailtest: execution trace \(` + regexp.QuoteMeta(recorderKind) + `\) of the last seconds written to (\S+\.trace), with the goroutine dump (\S+\.goroutines\.txt)`
	if withLeak {
		line += ` and the goroutine leak profile (\S+\.goroutineleak\.pb\.gz)`
	}
	line += ` taken at its end; analyze them together: ctxtrail analyze (.*)\n`
	m := regexp.MustCompile(line).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no log line naming the files: %s", line)
	}
	files := m[1 : len(m)-1]
	if m[len(m)-1] != strings.Join(files, " ") {
		t.Errorf("command names %q, want %q", m[len(m)-1], files)
	}
	for _, f := range files {
		if filepath.Dir(f) != dir {
			t.Errorf("%s is not in $CTXTRAIL_TRACE_DIR %s", f, dir)
		}
	}
	trace, err := os.ReadFile(files[0])
	if err != nil || !strings.HasPrefix(string(trace), "go 1.") {
		t.Errorf("%s is not a Go execution trace (%v)", files[0], err)
	}
	dump, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	// The dump is a debug=2 dump that holds the abandoned sender, blocked, with its creator.
	sender := regexp.MustCompile(`(?m)^goroutine \d+ \[chan send\]:\n\S+/leakprofile\.send\(.*\)\n\t\S+/leakprofile_test\.go:12( \+0x[0-9a-f]+)?\ncreated by \S+/leakprofile\.TestAbandonsASender in goroutine \d+\n`)
	if !sender.Match(dump) {
		t.Errorf("dump %s does not show the abandoned sender:\n%s", files[1], dump)
	}
	if withLeak {
		data, err := os.ReadFile(files[2])
		if err != nil {
			t.Fatal(err)
		}
		strs, err := pprofwire.Strings(data)
		if err != nil || data[0] != 0x1f || data[1] != 0x8b {
			t.Fatalf("%s is not a gzip pprof profile: %v", files[2], err)
		}
		if !slices.Contains(strs, "goroutineleak") || !slices.Contains(strs, "github.com/ctxtrail/ctxtrail/go/trailtest/testdata/leakprofile.send") {
			t.Errorf("%s is no leak profile naming the sender: %q", files[2], strs)
		}
	}
	if bin == "" {
		t.Skip("no ctxtrail binary ($CTXTRAIL or ../../build/release/ctxtrail): files not analyzed")
	}
	analyzed := regexp.MustCompile(`trailtest: \S+ analyze ` + regexp.QuoteMeta(strings.Join(files, " ")) + `:( exit status (\d+))?\n`).FindStringSubmatch(text)
	if analyzed == nil {
		t.Fatal("the log lacks ctxtrail analyze's output")
	}
	if analyzed[2] == "3" || analyzed[2] == "2" {
		t.Fatalf("ctxtrail could not read the files (exit %s)", analyzed[2])
	}
	if withLeak {
		finding := regexp.MustCompile(`error\[leaked-goroutine\].*\n.*\S+/leakprofile\.send\) is blocked on chan send at leakprofile_test\.go:12 .*the goroutine leak profile proves it leaked`)
		// Exit 1 (findings) is what was asked for: logged as output, not as an error.
		if analyzed[2] != "" || !finding.MatchString(text) {
			t.Error("ctxtrail analyze did not report the proven leak of the sender")
		}
		if !regexp.MustCompile(`creation\s+\S+/leakprofile_test\.go:17 `).MatchString(text) {
			t.Error("the finding does not name the go statement")
		}
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// A goroutine that an earlier leak profile marked "(leaked)" can never wake, even when a
// context it watched is done: the check does not wait for it.
func TestProvenLeakIsNotWaitedFor(t *testing.T) {
	done := make(chan struct{})
	close(done)
	watched := []*reg.Info{{DoneCh: done}}
	g := parseDump("goroutine 9 [chan receive (leaked), 3 minutes]:\nmain.f()\n\t/x.go:1 +0x1\n")
	if len(g) != 1 || g[0].State != "chan receive (leaked)" {
		t.Fatalf("parsed %+v", g)
	}
	if (&leak{g: g[0], watched: watched}).progressing() {
		t.Error("a proven leak is waited for")
	}
	g[0].State = "chan receive"
	if !(&leak{g: g[0], watched: watched}).progressing() {
		t.Error("a goroutine woken by a done context is not waited for")
	}
}
