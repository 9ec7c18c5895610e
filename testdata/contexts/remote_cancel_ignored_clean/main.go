// The clean twin of remote_cancel_ignored: each step selects on the request context's Done(),
// so the handler returns as soon as it learns that the client gave up.
package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailhttp"
)

func work(ctx context.Context) {
	for i := 0; i < 20; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func main() {
	stop := tracefile.Start()
	done := make(chan struct{})
	server := httptest.NewServer(trailhttp.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		work(r.Context())
	})))
	client := &http.Client{Transport: trailhttp.Transport(http.DefaultTransport)}
	ctx, cancel := trail.WithCancel(trail.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server.URL, nil)
	if err != nil {
		panic(err)
	}
	if resp, err := client.Do(req); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	<-done
	client.CloseIdleConnections()
	server.Close()
	stop()
}
