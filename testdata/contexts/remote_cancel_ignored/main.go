// remote-cancel-ignored: the client gives up after 20 ms; the server's handler learns of it
// (the connection closes, its request context is cancelled) but its steps only sleep, so it
// works on for the rest of its 400 ms (client and server are one process here: one trace holds
// both halves).
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
		time.Sleep(20 * time.Millisecond) // want remote-cancel-ignored running
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
