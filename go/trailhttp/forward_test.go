package trailhttp

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// capture is a RoundTripper that keeps the headers each request was sent with.
func capture(sent *[]http.Header) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		*sent = append(*sent, r.Header.Clone())
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
}

// TestForwardedHeadersReplaced: a gateway forwarding its incoming headers (httputil.ReverseProxy
// does) must not pass on the caller's identity or deadline as its own: with tracing off and no
// deadline, nothing of the caller's link leaves, only this request's send time.
func TestForwardedHeadersReplaced(t *testing.T) {
	var sent []http.Header
	req, _ := http.NewRequest("GET", "http://backend/x", nil)
	for _, k := range []string{wire.HeaderRequest, wire.HeaderProcess, wire.HeaderContext, wire.HeaderDeadline, wire.HeaderTimeout, wire.HeaderSent} {
		req.Header.Set(k, "42")
	}
	resp, err := Transport(capture(&sent)).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, k := range []string{wire.HeaderRequest, wire.HeaderProcess, wire.HeaderContext, wire.HeaderDeadline, wire.HeaderTimeout} {
		if v := sent[0].Values(k); len(v) != 0 {
			t.Errorf("%s forwarded: %q", k, v)
		}
	}
	if v := sent[0].Get(wire.HeaderSent); v == "42" || v == "" {
		t.Errorf("%s = %q, want this request's send time", wire.HeaderSent, v)
	}
	if req.Header.Get(wire.HeaderRequest) != "42" {
		t.Error("the caller's request was changed")
	}
}

// TestWrappedTwice: Transport over a Transport records and sends one request, not two whose
// outer one no server ever answers.
func TestWrappedTwice(t *testing.T) {
	events := crosstest.Tracing(t)
	var sent []http.Header
	ctx, cancel := trail.WithTimeout(trail.Background(), time.Hour)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://backend/x", nil)
	resp, err := Transport(Transport(capture(&sent))).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var sends []wire.Event
	for _, e := range events() {
		if e.Kind == wire.EventSend {
			sends = append(sends, e)
		}
	}
	if len(sends) != 1 || sent[0].Get(wire.HeaderRequest) != strconv.FormatUint(sends[0].Request, 10) {
		t.Fatalf("sends %+v, header %q", sends, sent[0].Get(wire.HeaderRequest))
	}
}

// TestHandlerAllocations: with tracing off, what Handler adds to a request with a deadline
// (DecodeLink's absent headers parse for free; the deadline needs no closure of its own).
func TestHandlerAllocations(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	req, _ := http.NewRequest("GET", "/x", nil)
	req.Header.Set(wire.HeaderDeadline, "1796676441161584489")
	req.Header.Set(wire.HeaderTimeout, "999902754")
	req.Header.Set(wire.HeaderSent, "1796676440161584489")
	h := Handler(ok)
	added := testing.AllocsPerRun(100, func() { h.ServeHTTP(nil, req) }) -
		testing.AllocsPerRun(100, func() { ok.ServeHTTP(nil, req) })
	if added > 15 {
		t.Errorf("Handler adds %v allocations per request, want at most 15", added)
	}
}

// TestTransportAllocations: with tracing off, what Transport adds to a request with a deadline:
// the request's copy, one header map and one slice of values, the three numbers' text.
func TestTransportAllocations(t *testing.T) {
	answer := roundTripper(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://example.com/x", nil)
	req.Header.Set("Accept", "text/plain")
	rt := Transport(answer)
	added := testing.AllocsPerRun(100, func() { rt.RoundTrip(req) }) -
		testing.AllocsPerRun(100, func() { answer.RoundTrip(req) })
	if added > 6 {
		t.Errorf("Transport adds %v allocations per request, want at most 6", added)
	}
}
