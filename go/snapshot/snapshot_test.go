package snapshot_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/pprofwire"
	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

// pkg is this test package's path, as function names in profiles spell it.
const pkg = "github.com/ctxtrail/ctxtrail/go/snapshot_test"

// blockForever is what the tests leak: a receive on a channel nobody else can reach, which
// the leak profile's garbage collection proves can never complete.
func blockForever(ch chan int) { <-ch }

// leakedHere is blockForever under another name, leaked by one test only.
func leakedHere(ch chan int) { <-ch }

// parkedForGood is blocked on a channel a package variable still reaches: not provably
// leaked, so the leak profile must leave it out.
var keptAlive = make(chan int)

func parkedForGood() { <-keptAlive }

func TestWriteDumpAndLeakProfile(t *testing.T) {
	go leakedHere(make(chan int))
	go parkedForGood()
	waitParked(t, "leakedHere", "parkedForGood")
	dir := filepath.Join(t.TempDir(), "made")
	files, err := snapshot.Write(dir, "p", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "p"+snapshot.DumpSuffix)}
	if snapshot.LeakProfileAvailable() {
		want = append(want, filepath.Join(dir, "p"+snapshot.LeakProfileSuffix))
	}
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Fatalf("files %q, want %q", files, want)
	}
	dump := checkDump(t, files[0])
	for _, f := range []string{"snapshot_test.leakedHere", "snapshot_test.parkedForGood", "snapshot_test.TestWriteDumpAndLeakProfile"} {
		if !strings.Contains(dump, f) {
			t.Errorf("dump lacks %s", f)
		}
	}
	if !snapshot.LeakProfileAvailable() {
		t.Skip("no goroutine leak profile in this Go (Go 1.26 needs GOEXPERIMENT=goroutineleakprofile)")
	}
	// The dump was taken before the leak profile's collection marked the receiver.
	if !regexp.MustCompile(`goroutine \d+ \[chan receive\]:\n[^\n]*snapshot_test\.leakedHere`).MatchString(dump) {
		t.Errorf("dump does not show leakedHere unmarked:\n%s", dump)
	}
	prof := checkLeakProfile(t, files[1])
	if !slices.Contains(prof, pkg+".leakedHere") {
		t.Error("leak profile does not name the leaked goroutine")
	}
	if slices.Contains(prof, pkg+".parkedForGood") {
		t.Error("leak profile names a goroutine that a package variable can still wake")
	}
}

func TestWriteKeepsGoingPastAFailingTrace(t *testing.T) {
	dir := t.TempDir()
	files, err := snapshot.Write(dir, "", failingTrace{})
	if err == nil || !strings.Contains(err.Error(), "trace source broke") {
		t.Fatalf("err %v, want the trace writer's error", err)
	}
	if len(files) == 0 || !strings.HasSuffix(files[0], snapshot.DumpSuffix) {
		t.Fatalf("files %q: the dump should still be written", files)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*"+snapshot.TraceSuffix)); len(matches) != 0 {
		t.Errorf("partial trace left behind: %q", matches)
	}
	if !regexp.MustCompile(`^\d{8}-\d{6}\.\d{3}-\d+\.goroutines\.txt$`).MatchString(filepath.Base(files[0])) {
		t.Errorf("default prefix: %s", filepath.Base(files[0]))
	}
}

// waitParked waits until a goroutine is parked on a channel receive in each function.
func waitParked(t *testing.T, funcs ...string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for tries := 0; ; tries++ {
		dump := string(buf[:runtime.Stack(buf, true)])
		parked := 0
		for _, f := range funcs {
			if regexp.MustCompile(`\[chan receive\]:\n[^\n]*\.` + f + `\(`).MatchString(dump) {
				parked++
			}
		}
		if parked == len(funcs) {
			return
		}
		if tries == 10000 {
			t.Fatalf("%q never parked:\n%s", funcs, dump)
		}
		time.Sleep(time.Millisecond)
	}
}

type failingTrace struct{}

func (failingTrace) WriteTo(w io.Writer) (int64, error) {
	n, _ := w.Write([]byte("go 1.25 trace"))
	return int64(n), errorString("trace source broke")
}

type errorString string

func (e errorString) Error() string { return string(e) }

// checkDump reads a debug=2 dump and checks it is one: goroutine headers with frames.
func checkDump(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dump := string(data)
	if !regexp.MustCompile(`(?m)^goroutine \d+ \[[^\]]+\]:\n\S+\(.*\)\n\t\S+:\d+`).MatchString(dump) {
		t.Fatalf("%s is not a debug=2 goroutine dump:\n%.500s", path, dump)
	}
	return dump
}

// checkLeakProfile checks that path is a gzip-compressed goroutine leak profile as
// runtime/pprof writes it and returns its string table.
func checkLeakProfile(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Fatalf("%s is not gzip", path)
	}
	strs, err := pprofwire.Strings(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !slices.Contains(strs, "goroutineleak") || !slices.Contains(strs, "count") {
		t.Fatalf("%s is not a goroutine leak profile: strings %q", path, strs)
	}
	return strs
}

// ctxtrailBinary is $CTXTRAIL, else the project's release build, else "".
func ctxtrailBinary() string {
	if bin := os.Getenv("CTXTRAIL"); bin != "" {
		return bin
	}
	bin, _ := filepath.Abs(filepath.Join("..", "..", "build", "release", "ctxtrail"))
	if _, err := os.Stat(bin); err != nil {
		return ""
	}
	return bin
}

// ctxtrail runs the binary and returns its output and exit code.
func ctxtrail(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}
