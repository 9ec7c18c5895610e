package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/exp/trace"
)

func TestAppendStringIsJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "tab\tnl\ncr\r", "\x00\x1f\x7f",
		"<html> & é 世界", "bad \xff utf8"} {
		b := appendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q -> %s: not JSON: %v", s, b, err)
		}
		want := s
		if s == "bad \xff utf8" {
			want = "bad \ufffd utf8"
		}
		if back != want {
			t.Errorf("%q -> %s -> %q", s, b, back)
		}
	}
}

func TestStatsOfGoTestTrace(t *testing.T) {
	s := newStats()
	version, complete, err := readAll("../../testdata/gotests/go125-sync.trace", s.add)
	if err != nil {
		t.Skip("corpus not there:", err)
	}
	if version != "1.25" || !complete {
		t.Fatalf("version %q complete %v", version, complete)
	}
	// Three generations: a Sync each plus the final one, and two ProcStatus transitions.
	if s.byKind["Sync"] != 4 || s.byKind["StateTransition"] != 2 || s.events != 6 {
		t.Fatalf("counts %v, events %d", s.byKind, s.events)
	}
}

func TestRejectedTraceIsExit3(t *testing.T) {
	if code := runStats("../../testdata/gotests/go122-create-syscall-with-p.trace", true); code != exitBadInput {
		t.Fatalf("exit %d, want %d", code, exitBadInput)
	}
}

// Go's parser wraps io.EOF in its errors for a trace cut inside a batch header ("error reading
// batch size: EOF"); only io.EOF itself is the clean end.
func TestTraceCutInBatchHeaderIsRejected(t *testing.T) {
	b, err := os.ReadFile("../../testdata/traces/sched.trace")
	if err != nil {
		t.Skip("corpus not there:", err)
	}
	path := filepath.Join(t.TempDir(), "cut.trace")
	if err := os.WriteFile(path, b[:33], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, complete, err := readAll(path, func(*trace.Event) {}); err == nil || complete {
		t.Fatalf("cut trace read as complete (err %v)", err)
	}
}
