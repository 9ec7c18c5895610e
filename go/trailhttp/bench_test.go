package trailhttp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkServe is one request through Handler, or none, in process (no network), the
// request carrying a deadline as Transport sends it; tracing off (go test -bench Serve).
func BenchmarkServe(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"plain", ok}, {"trailhttp", Handler(ok)}} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/x", nil)
			req.Header.Set("Ctxtrail-Deadline", "1796676441161584489")
			req.Header.Set("Ctxtrail-Timeout", "999902754")
			req.Header.Set("Ctxtrail-Sent", "1796676440161584489")
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				c.h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// BenchmarkRoundTrip is one request through Transport, or none, to a RoundTripper that
// answers at once (no network), with a context that has a deadline; tracing off.
func BenchmarkRoundTrip(b *testing.B) {
	answer := roundTripper(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	for _, c := range []struct {
		name string
		rt   http.RoundTripper
	}{{"plain", answer}, {"trailhttp", Transport(answer)}} {
		b.Run(c.name, func(b *testing.B) {
			req, _ := http.NewRequestWithContext(ctx, "GET", "http://example.com/x", nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				resp, _ := c.rt.RoundTrip(req)
				resp.Body.Close()
			}
		})
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
