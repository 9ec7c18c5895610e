package trail

import (
	"net/http"
	"testing"
	"time"
)

// TestLinkCarrier: a link survives headers; absent or garbled values read as not sent.
func TestLinkCarrier(t *testing.T) {
	l := Link{Request: 1 << 63, Process: 7, Context: 3, Deadline: time.Unix(0, 1764081000200000000), Timeout: 99 * time.Millisecond, Sent: time.Unix(0, 1764081000101000000)}
	h := http.Header{}
	l.Encode(h.Set)
	back := DecodeLink(h.Get)
	if back.Request != l.Request || back.Process != l.Process || back.Context != l.Context || !back.Deadline.Equal(l.Deadline) || back.Timeout != l.Timeout || !back.Sent.Equal(l.Sent) {
		t.Fatalf("%+v -> %v -> %+v", l, h, back)
	}
	h = http.Header{}
	Link{Sent: l.Sent}.Encode(h.Set)
	if len(h) != 1 {
		t.Errorf("a link with no deadline nor identity wrote %v", h)
	}
	h.Set("Ctxtrail-Deadline", "soon")
	h.Set("Ctxtrail-Timeout", "5")
	h.Set("Ctxtrail-Request", "-1")
	if back := DecodeLink(h.Get); back.Request != 0 || !back.Deadline.IsZero() || back.Timeout != 5 {
		t.Errorf("garbled headers read as %+v (the timeout stands alone)", back)
	}
	h = http.Header{}
	h.Set("Ctxtrail-Timeout", "500000000") // curl -H 'Ctxtrail-Timeout: 500000000'
	if back := DecodeLink(h.Get); back.Timeout != 500*time.Millisecond || !back.Deadline.IsZero() {
		t.Errorf("a timeout alone read as %+v", back)
	}
}

// TestDecodeLinkAbsentIsFree: a request without Ctxtrail-* headers (a caller without
// trailhttp) costs the server no allocation to read.
func TestDecodeLinkAbsentIsFree(t *testing.T) {
	none := func(string) string { return "" }
	if n := testing.AllocsPerRun(100, func() { DecodeLink(none) }); n != 0 {
		t.Errorf("DecodeLink of no headers: %v allocations", n)
	}
}
