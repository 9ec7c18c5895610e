//go:build go1.25

package snapshot_test

import (
	"os"
	"path/filepath"
	"runtime/trace"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

// TestSnapshotWhenGoroutinesGrow runs the Example's watcher against a loop that leaks a
// goroutine every millisecond and checks what it leaves for ctxtrail.
func TestSnapshotWhenGoroutinesGrow(t *testing.T) {
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 5 * time.Second, MaxBytes: 8 << 20})
	if err := fr.Start(); err != nil {
		t.Fatal(err)
	}
	defer fr.Stop()
	stop := make(chan struct{})
	defer close(stop)
	go leakLoop(stop)

	dir := t.TempDir()
	type result struct {
		files []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		files, err := snapshotWhenGoroutinesGrow(fr, dir, 20*time.Millisecond, 5)
		done <- result{files, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute): // a guard against a hang, not a timing assertion
		t.Fatal("the goroutine count grew, but no snapshot came")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := []string{snapshot.TraceSuffix, snapshot.DumpSuffix}
	if snapshot.LeakProfileAvailable() {
		want = append(want, snapshot.LeakProfileSuffix)
	}
	if len(r.files) != len(want) {
		t.Fatalf("files %q, want suffixes %q", r.files, want)
	}
	for i, f := range r.files {
		if !strings.HasSuffix(f, want[i]) || filepath.Dir(f) != dir {
			t.Errorf("file %d: %s, want %s in %s", i, f, want[i], dir)
		}
	}
	data, err := os.ReadFile(r.files[0])
	if err != nil || !strings.HasPrefix(string(data), "go 1.") {
		t.Fatalf("%s is not a Go execution trace (%v)", r.files[0], err)
	}
	if dump := checkDump(t, r.files[1]); !strings.Contains(dump, "snapshot_test.blockForever") {
		t.Error("dump lacks the leaked goroutines")
	}
	if len(r.files) == 3 && !slices.Contains(checkLeakProfile(t, r.files[2]), pkg+".blockForever") {
		t.Error("leak profile lacks the leaked goroutines")
	}

	bin := ctxtrailBinary()
	if bin == "" {
		t.Skip("no ctxtrail binary ($CTXTRAIL or ../../build/release/ctxtrail): files not analyzed")
	}
	if out, code := ctxtrail(t, bin, "stats", r.files[0]); code != 0 || !strings.Contains(out, "goroutines") {
		t.Fatalf("ctxtrail stats %s: exit %d\n%s", r.files[0], code, out)
	}
	out, code := ctxtrail(t, bin, append([]string{"analyze"}, r.files...)...)
	t.Logf("ctxtrail analyze:\n%s", out)
	if code == 3 || code == 2 {
		t.Fatalf("ctxtrail analyze could not read the files: exit %d", code)
	}
	if len(r.files) == 3 && (code != 1 || !strings.Contains(out, "leaked-goroutine") || !strings.Contains(out, "snapshot_test.blockForever")) {
		t.Errorf("with the leak profile, analyze should name the proven leak in blockForever (exit %d)", code)
	}
}

// leakLoop leaks a goroutine every millisecond until stop is closed.
func leakLoop(stop <-chan struct{}) {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			go blockForever(make(chan int))
		}
	}
}
