package pprofwire

import (
	"bytes"
	"compress/gzip"
	"io"
	"runtime/pprof"
	"slices"
	"testing"
)

func TestStringsOfAGoroutineProfile(t *testing.T) {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 0); err != nil {
		t.Fatal(err)
	}
	strs, err := Strings(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"goroutine", "count", "github.com/ctxtrail/ctxtrail/go/internal/pprofwire.TestStringsOfAGoroutineProfile"} {
		if !slices.Contains(strs, want) {
			t.Errorf("string table lacks %q", want)
		}
	}
	// Uncompressed it reads the same; cut inside its last field, or given text, it is no profile.
	raw := gunzipped(t, buf.Bytes())
	if again, err := Strings(raw); err != nil || !slices.Equal(again, strs) {
		t.Errorf("uncompressed: %v", err)
	}
	if _, err := Strings(raw[:len(raw)-1]); err == nil {
		t.Error("a cut profile was accepted")
	}
	if _, err := Strings([]byte("goroutine 1 [running]:\n")); err == nil {
		t.Error("a text dump was accepted as a profile")
	}
}

func gunzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
