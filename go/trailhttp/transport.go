// Package trailhttp carries a context's deadline and ctxtrail identity across HTTP: Transport
// sends them with each request, Handler derives the server's request context from them, and
// both record their half of the hop as ctxtrail trace events (docs/trail-events.md, "Across
// processes"), so that ctxtrail can follow a deadline or a cancel from client to server.
package trailhttp

import (
	"context"
	"io"
	"net/http"
	"sync"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Transport wraps base (http.DefaultTransport when nil): each request carries its context's
// deadline (Ctxtrail-Deadline, Ctxtrail-Timeout), its send time and, while tracing, the
// process and context ids and a request id (docs/trail-events.md, "Carriers"). While tracing,
// the request is recorded (send), and so is its context ending before the response body was
// read to its end or closed (abort, with the cause: a connection close or stream reset,
// which is all the server sees, cannot carry it).
//
// Ctxtrail-* headers already on the request (a gateway forwarding its caller's, as
// httputil.ReverseProxy does) are replaced: the server sees this hop's link, not the
// caller's. Wrapping a Transport again returns it unchanged (one request, one send).
func Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if t, ok := base.(*transport); ok {
		return t
	}
	return &transport{base: base}
}

type transport struct{ base http.RoundTripper }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	l := trail.Send(ctx, wire.TransportHTTP, req.Method+" "+req.URL.Host+req.URL.Path)
	// A RoundTripper must not change the caller's request: a copy with its own header map
	// (the rest is shared, as read-only as it is for the base RoundTripper).
	out := new(http.Request)
	*out = *req
	out.Header = withLink(req.Header, l)
	resp, err := t.base.RoundTrip(out)
	if l.Request == 0 { // not tracing: nothing to record
		return resp, err
	}
	if err != nil {
		trail.SendAborted(ctx, l) // if it failed because ctx ended
		return resp, err
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// An upgraded connection's body is an io.ReadWriteCloser (WebSocket clients write
		// to it): left as is, and no longer a request to abort.
		return resp, nil
	}
	if resp.Body == http.NoBody {
		return resp, nil // nothing left to read: the request is done (callers seldom close it)
	}
	// The request is under way until its body is done: a cancel before then aborts it.
	b := &body{ReadCloser: resp.Body}
	b.stop = context.AfterFunc(ctx, func() { trail.SendAborted(ctx, l) })
	resp.Body = b
	return resp, nil
}

// body stops watching the request's context once the response body is read to its end or
// closed.
type body struct {
	io.ReadCloser
	stop func() bool
	once sync.Once
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done()
	}
	return n, err
}

func (b *body) Close() error {
	b.done()
	return b.ReadCloser.Close()
}

func (b *body) done() { b.once.Do(func() { b.stop() }) }

// withLink is a copy of h (as Header.Clone: one map, one slice for all the values) with l's
// carrier headers in place of any that h had, sized so that adding them allocates nothing.
func withLink(h http.Header, l trail.Link) http.Header {
	nv := len(wire.Headers)
	for _, vv := range h {
		nv += len(vv)
	}
	values := make([]string, nv)
	out := make(http.Header, len(h)+len(wire.Headers))
	for k, vv := range h {
		if vv == nil || isCarrier(k) {
			out[k] = vv // nil kept as nil, as Clone does; a carrier key is overwritten or deleted below
			continue
		}
		n := copy(values, vv)
		out[k], values = values[:n:n], values[n:]
	}
	for _, k := range wire.Headers {
		delete(out, k)
	}
	l.Encode(func(k, v string) {
		values[0] = v
		out[k], values = values[:1:1], values[1:]
	})
	return out
}

func isCarrier(key string) bool {
	for _, k := range wire.Headers {
		if key == k {
			return true
		}
	}
	return false
}
