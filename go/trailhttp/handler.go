package trailhttp

import (
	"context"
	"net/http"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Handler serves h with the request's context derived from what the caller's Transport sent:
// bounded by the caller's deadline (the time it had left, counted from arrival, so clocks
// offset between hosts do not move it), and, while tracing, recorded as a context with a
// remote parent (remote). When the client goes away mid-request (HTTP/1.x: it closes the
// connection; HTTP/2: it resets the stream; net/http then cancels the request's context), the
// moment the server learnt it is recorded (remotecancel) and the derived context is cancelled
// with a *trail.RemoteCancelError as its cause.
func Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := trail.DecodeLink(r.Header.Get)
		// Derived without r.Context()'s cancel, which must reach it through Cancelled: as a
		// child, it would be done before the remote cancel could be recorded.
		base := context.WithoutCancel(r.Context())
		ctx, remote := trail.Receive(base, l, wire.TransportHTTP, r.Method+" "+r.URL.Path)
		defer remote.Release()
		how := wire.HowClose
		if r.ProtoMajor >= 2 {
			how = wire.HowReset
		}
		// While h runs, r.Context() ends only when the client went away (or the server's
		// base context ended, which is taken the same way); it also ends when this function
		// returns, which is why the watch stops first.
		stop := context.AfterFunc(r.Context(), func() { remote.Cancelled(how, time.Time{}, "") })
		defer stop()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
