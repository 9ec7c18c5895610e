package trailhttp

import (
	"net/http"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// TestNoBodyIsDone: a response without a body (HEAD, 204, Content-Length 0: net/http gives
// http.NoBody, which callers seldom close) ends the request: a cancel afterwards aborts nothing.
func TestNoBodyIsDone(t *testing.T) {
	events := crosstest.Tracing(t)
	var sent []http.Header
	ctx, cancel := trail.WithCancel(trail.Background())
	req, _ := http.NewRequestWithContext(ctx, "HEAD", "http://backend/x", nil)
	if _, err := Transport(capture(&sent)).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	cancel()
	time.Sleep(5 * time.Millisecond) // an abort would come from an AfterFunc goroutine
	if a, ok := crosstest.ByKind(events())[wire.EventAbort]; ok {
		t.Errorf("a request answered without a body was recorded as aborted: %+v", a)
	}
}
