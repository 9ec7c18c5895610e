package main

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"testing"

	"golang.org/x/exp/trace"
)

// goroutineIDs reads a trace with Go's parser: its event count and the goroutine IDs of its
// state transitions.
func goroutineIDs(t *testing.T, b []byte) (int, []trace.GoID) {
	t.Helper()
	r, err := trace.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var ids []trace.GoID
	for {
		ev, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			return n, ids
		}
		if err != nil {
			t.Fatalf("Go's parser rejects the rewritten trace after %d events: %v", n, err)
		}
		n++
		if ev.Kind() == trace.EventStateTransition {
			if st := ev.StateTransition(); st.Resource.Kind == trace.ResourceGoroutine {
				ids = append(ids, st.Resource.Goroutine())
			}
		}
	}
}

func countBatches(t *testing.T, b []byte) int {
	t.Helper()
	n := 0
	err := eachBatch(b, func(_, _ byte, hdr []uint64, _ []byte) error {
		if hdr[3] > 64<<10 {
			t.Errorf("a batch of %d bytes", hdr[3])
		}
		n++
		return nil
	}, func() {})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A real multi-generation trace whose batches are full: the wider IDs push them past 64 KiB,
// so they must be split; Go's parser reads the result as the original with every goroutine ID
// moved by one shift, the largest now 2^63-1.
func TestReidTopShiftsEveryGoroutineAndSplitsBatches(t *testing.T) {
	orig, err := os.ReadFile("../../testdata/traces/busyservice-cross2p20.trace")
	if err != nil {
		t.Skip("no corpus trace:", err)
	}
	got, err := reid(orig, reidOptions{gTop: math.MaxInt64})
	if err != nil {
		t.Fatal(err)
	}
	if b0, b1 := countBatches(t, orig), countBatches(t, got); b1 <= b0 {
		t.Fatalf("%d batches before, %d after: nothing was split", b0, b1)
	}
	n0, ids0 := goroutineIDs(t, orig)
	n1, ids1 := goroutineIDs(t, got)
	if n0 != n1 || len(ids0) != len(ids1) {
		t.Fatalf("events %d -> %d, goroutine transitions %d -> %d", n0, n1, len(ids0), len(ids1))
	}
	var top trace.GoID
	for i := range ids0 {
		top = max(top, ids1[i])
		if d := ids1[i] - ids0[i]; d != ids1[0]-ids0[0] {
			t.Fatalf("transition %d: %d -> %d, not the same shift as the first", i, ids0[i], ids1[i])
		}
	}
	if top != math.MaxInt64 {
		t.Fatalf("largest goroutine ID %d, want 2^63-1", top)
	}
}

func TestReidSeamPutsTheFirstGoroutineOfAGenerationAtTheID(t *testing.T) {
	orig, err := os.ReadFile("../../testdata/traces/busyservice-cross2p20.trace")
	if err != nil {
		t.Skip("no corpus trace:", err)
	}
	shift, err := seamShift(orig, "2=1048576")
	if err != nil {
		t.Fatal(err)
	}
	got, err := reid(orig, reidOptions{gShift: shift})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := seamShift(got, "2=1048576"); s != 0 {
		t.Fatalf("after the rewrite the first goroutine of generation 2 is %d away from 2^20", s)
	}
	if _, err := seamShift(orig, "9=5"); err == nil {
		t.Fatal("a generation the trace lacks must be an error")
	}
}
