package trailhttp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// TestServerCancelIsNotRemote: the server's own base context cancelled with a cause (its
// shutdown) ends the handler's context with that cause, and is not recorded as the client's
// cancel (remotecancel): only a plain cancel of the request's context is the client's.
func TestServerCancelIsNotRemote(t *testing.T) {
	events := crosstest.Tracing(t)
	errShutdown := errors.New("shutting down")
	base, stop := context.WithCancelCause(context.Background())
	got := make(chan context.Context, 1)
	ts := httptest.NewUnstartedServer(Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Context()
		<-r.Context().Done()
	})))
	ts.Config.BaseContext = func(net.Listener) context.Context { return base }
	ts.Start()
	defer ts.Close()
	go func() {
		if resp, err := http.Get(ts.URL); err == nil {
			resp.Body.Close()
		}
	}()
	sctx := <-got
	stop(errShutdown)
	<-sctx.Done()
	if c := context.Cause(sctx); c != errShutdown {
		t.Errorf("handler's cause %v, want the server's own %v", c, errShutdown)
	}
	for _, e := range events() {
		if e.Kind == wire.EventRemoteCancel {
			t.Errorf("the server's shutdown was recorded as the client's cancel: %+v", e)
		}
	}
}
