// deadline-dropped: a gateway forwards a request to its backend under a fresh context with a
// generous timeout of its own, so the 100 ms its caller allowed does not travel with it (client
// and server are one process here: one trace holds both halves).
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

func call(ctx context.Context, client *http.Client, url string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func forward(req context.Context, client *http.Client, url string) {
	ctx, cancel := trail.WithCancel(req)
	defer cancel()
	fresh, cancelFresh := trail.WithTimeout(trail.Background(), 30*time.Second) // want deadline-dropped context
	defer cancelFresh()
	call(fresh, client, url)
	_ = ctx
}

func main() {
	stop := tracefile.Start()
	backend := httptest.NewServer(trailhttp.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	})))
	client := &http.Client{Transport: trailhttp.Transport(http.DefaultTransport)}
	req, cancel := trail.WithTimeout(trail.Background(), 100*time.Millisecond)
	forward(req, client, backend.URL)
	cancel()
	client.CloseIdleConnections()
	backend.Close()
	stop()
}
