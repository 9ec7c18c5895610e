package trailhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// server serves a handler that reports its request context and blocks until it is done.
func server(t *testing.T, http2 bool) (ts *httptest.Server, got chan context.Context) {
	got = make(chan context.Context, 1)
	ts = httptest.NewUnstartedServer(Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Context()
		if r.URL.Path == "/block" {
			<-r.Context().Done()
			return
		}
		io.WriteString(w, "ok")
	})))
	if http2 {
		ts.EnableHTTP2 = true
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return ts, got
}

func client(ts *httptest.Server) *http.Client {
	c := ts.Client()
	c.Transport = Transport(c.Transport)
	return c
}

// TestCancelAcross: the client's deadline bounds the server's context; the client's cancel
// mid-request reaches it (HTTP/1.1 as a connection close, HTTP/2 as a stream reset), and both
// halves are recorded with one request id, the cause in the client's abort.
func TestCancelAcross(t *testing.T) {
	for _, c := range []struct {
		name  string
		http2 bool
		how   string
	}{{"HTTP/1.1", false, wire.HowClose}, {"HTTP/2", true, wire.HowReset}} {
		t.Run(c.name, func(t *testing.T) {
			events := crosstest.Tracing(t)
			ts, got := server(t, c.http2)
			ctx, cancel := trail.WithTimeout(trail.Background(), time.Hour)
			defer cancel()
			ctx, cancelCause := trail.WithCancelCause(ctx)
			req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/block", nil)
			want, _ := ctx.Deadline()
			sctx := crosstest.CancelMidCall(t, ctx, cancelCause, func() error {
				resp, err := client(ts).Do(req)
				if err == nil {
					resp.Body.Close()
				}
				return err
			}, got)
			var rc *trail.RemoteCancelError
			if !errors.As(context.Cause(sctx), &rc) || rc.How != c.how {
				t.Errorf("server context's cause %v, want a remote cancel by %s", context.Cause(sctx), c.how)
			}
			crosstest.WaitFor(t, "the abort", func() bool { return len(events()) == 4 })
			byKind := crosstest.ByKind(events())
			send, abort, remote, rcancel := byKind[wire.EventSend], byKind[wire.EventAbort], byKind[wire.EventRemote], byKind[wire.EventRemoteCancel]
			if send.Request == 0 || abort.Request != send.Request || remote.Request != send.Request || rcancel.Request != send.Request {
				t.Fatalf("request ids differ: %+v", events())
			}
			if send.ID != trail.ID(ctx) || remote.RemoteCtx != send.ID || remote.Process != trail.ProcessID() || remote.ID != trail.ID(sctx) || rcancel.ID != remote.ID {
				t.Errorf("identities: send %+v remote %+v remotecancel %+v", send, remote, rcancel)
			}
			if send.Deadline != want.UnixNano() || remote.Deadline != send.Deadline || !strings.HasSuffix(send.Target, "/block") || remote.Target != "GET /block" {
				t.Errorf("send %+v remote %+v", send, remote)
			}
			if abort.Cause != "user gave up" || rcancel.How != c.how {
				t.Errorf("abort %+v remotecancel %+v", abort, rcancel)
			}
		})
	}
}

// TestCompletedRequest: a request whose response was read is not aborted by a later cancel,
// and the server's context of a finished request records no remote cancel.
func TestCompletedRequest(t *testing.T) {
	events := crosstest.Tracing(t)
	ts, got := server(t, true)
	ctx, cancel := trail.WithCancel(trail.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/ok", nil)
	resp, err := client(ts).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != "ok" || resp.ProtoMajor != 2 {
		t.Fatalf("body %q over HTTP/%d", b, resp.ProtoMajor)
	}
	resp.Body.Close()
	<-got
	cancel()
	time.Sleep(10 * time.Millisecond) // an abort would be written by an AfterFunc goroutine
	for _, e := range events() {
		if e.Kind == wire.EventAbort || e.Kind == wire.EventRemoteCancel {
			t.Errorf("%s written for a completed request", e.Kind)
		}
	}
}

// TestPlainClientAndUntraced: a server behind Handler serves callers without Transport (no
// deadline, no ids); while tracing is off, Transport still sends the deadline and Handler
// still applies it, and the caller's request is not modified.
func TestPlainClientAndUntraced(t *testing.T) {
	ts, got := server(t, false)
	resp, err := ts.Client().Get(ts.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, ok := (<-got).Deadline(); ok {
		t.Error("a request without ctxtrail headers got a deadline")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/ok", nil)
	resp, err = client(ts).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want, _ := ctx.Deadline()
	if d, ok := (<-got).Deadline(); !ok || d.Sub(want).Abs() > time.Minute {
		t.Errorf("untraced: server deadline %v %v, want about %v", d, ok, want)
	}
	if len(req.Header) != 0 {
		t.Errorf("Transport changed the caller's request: %v", req.Header)
	}
}

// TestUpgradeBodyWritable: the body of a 101 Switching Protocols response stays an
// io.ReadWriteCloser, which WebSocket clients write to.
func TestUpgradeBodyWritable(t *testing.T) {
	crosstest.Tracing(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		rw.Flush()
		io.Copy(conn, rw) // echo until the client closes
	}))
	defer ts.Close()
	ctx, cancel := trail.WithCancel(trail.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL, nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := client(ts).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rw, ok := resp.Body.(io.ReadWriteCloser)
	if resp.StatusCode != http.StatusSwitchingProtocols || !ok {
		t.Fatalf("status %d, body %T not writable", resp.StatusCode, resp.Body)
	}
	io.WriteString(rw, "ping")
	buf := make([]byte, 4)
	if _, err := io.ReadFull(rw, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("echo %q, %v", buf, err)
	}
}
