package trailhttp

import (
	"net/http"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Handler serves h with the request's context derived from what the caller's Transport sent:
// bounded by the caller's deadline (the time it had left, counted from arrival, so clocks
// offset between hosts do not move it), and, while tracing, recorded as a context with a
// remote parent (remote). When the client goes away mid-request (HTTP/1.x: it closes the
// connection; HTTP/2: it resets the stream; net/http then cancels the request's context), the
// moment the server learnt it is recorded (remotecancel) and the derived context is cancelled
// with a *trail.RemoteCancelError as its cause. net/http notices an HTTP/1.x client's close
// only once the request body was read to its end: read or discard it before long work.
// Without Ctxtrail-* headers (a caller without Transport) the context has no deadline but
// still ends with the client's cancel.
func Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		how := wire.HowClose
		if r.ProtoMajor >= 2 {
			how = wire.HowReset
		}
		ctx, remote := trail.ReceiveRequest(r.Context(), trail.DecodeLink(r.Header.Get), wire.TransportHTTP, r.Method+" "+r.URL.Path, how)
		defer remote.Release()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
