package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/exp/trace"
)

// A hand-made 1.25 text trace: one generation, a sync batch, one P, empty tables.
const tiny = `Trace Go1.25
EventBatch gen=1 m=18446744073709551615 time=9 size=16
Sync
Frequency freq=1000000000
ClockSnapshot dt=1 mono=99 sec=1740755049 nsec=123
EventBatch gen=1 m=1 time=15 size=4
ProcStatus dt=1 p=0 pstatus=1
EventBatch gen=1 m=18446744073709551615 time=11 size=1
Stacks
EventBatch gen=1 m=18446744073709551615 time=12 size=1
Strings
`

func TestEncodeWritesHeaderAndMinimalVarints(t *testing.T) {
	b, err := encode(tiny)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte("go 1.25 trace\x00\x00\x00"),
		1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 9, 16, // EventBatch
		50, // Sync
	)
	if !bytes.HasPrefix(b, want) {
		t.Fatalf("got % x\nwant prefix % x", b[:len(want)], want)
	}
	if n := countEvents(t, b); n != 3 { // Sync, ProcStatus, final Sync
		t.Fatalf("Go's parser read %d events, want 3", n)
	}
}

func TestEncodeStringDataAndStackFrames(t *testing.T) {
	text := "Trace Go1.22\nString id=1\n\tdata=\"a\\x00\\\"b\"\nStack id=2 nframes=1\n\tpc=5 func=1 file=1 line=7\n"
	b, err := encode(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{5, 1, 4, 'a', 0, '"', 'b', 3, 2, 1, 5, 1, 1, 7}
	if got := b[16:]; !bytes.Equal(got, want) {
		t.Fatalf("got % x, want % x", got, want)
	}
}

func TestEncodeRejectsWrongArgumentsAndNewerEvents(t *testing.T) {
	for _, text := range []string{
		"Trace Go1.22\nProcStart dt=1 p=0\n",                                // missing p_seq
		"Trace Go1.22\nProcStart dt=1 pp=0 p_seq=1\n",                       // wrong name
		"Trace Go1.22\nGoSwitch dt=1 g=1 g_seq=1\n",                         // a 1.23 event
		"Trace Go1.22\nNoSuchEvent x=1\n",                                   // unknown
		"Trace Go1.22\nString id=1\n",                                       // data line missing
		"Trace Go1.22\nStack id=1 nframes=2\n\tpc=1 func=1 file=1 line=1\n", // a frame short
	} {
		if _, err := encode(text); err == nil {
			t.Errorf("encode(%q) succeeded, want an error", text)
		}
	}
}

func TestDowngradeKeepsEveryEvent(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("..", "..", "testdata", "traces", "annotations.trace"))
	if err != nil {
		t.Skip("corpus not there:", err)
	}
	want := eventKinds(t, orig)
	for _, v := range []int{25, 23, 22} {
		b, err := downgrade(orig, v)
		if err != nil {
			t.Fatalf("downgrade to 1.%d: %v", v, err)
		}
		if got := eventKinds(t, b); !bytes.Equal(got, want) {
			t.Errorf("1.%d: event kinds differ from the 1.26 original", v)
		}
	}
}

func countEvents(t *testing.T, b []byte) int {
	return len(eventKinds(t, b))
}

// eventKinds answers the kinds of every event Go's parser reads from b, one byte each.
func eventKinds(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := trace.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []byte
	for {
		ev, err := r.ReadEvent()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			return kinds
		}
		kinds = append(kinds, byte(ev.Kind()))
	}
}

func TestFixSizesRecomputesBatchSizes(t *testing.T) {
	wrong := strings.ReplaceAll(tiny, "size=16", "size=3")
	wrong = strings.ReplaceAll(wrong, "size=4", "size=99")
	got, err := encodeSizes(wrong, true)
	if err != nil {
		t.Fatal(err)
	}
	want, err := encode(tiny)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got % x\nwant % x", got, want)
	}
}
