package trail

import (
	"context"
	"errors"
	"runtime/trace"
	"strings"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// TestSendReceive: a request's link carries the caller's deadline and identity; the
// receiver's context has the deadline (applied from the timeout), and the events of both
// sides carry the same request id; a remote cancel is recorded before the cancel event and
// becomes the context's cause.
func TestSendReceive(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()

	caller, cancel := WithTimeout(Background(), time.Hour)
	defer cancel()
	l := Send(caller, wire.TransportHTTP, "GET host/x")
	if l.Request == 0 || l.Process != ProcessID() || l.Context != ID(caller) {
		t.Fatalf("link identity %+v, caller %d, process %d", l, ID(caller), ProcessID())
	}
	if d, _ := caller.Deadline(); !l.Deadline.Equal(d) || l.Timeout <= 59*time.Minute || l.Timeout > time.Hour {
		t.Fatalf("link deadline %v timeout %v, want %v", l.Deadline, l.Timeout, d)
	}

	ctx, r := Receive(context.Background(), l, wire.TransportHTTP, "GET /x")
	if d, ok := ctx.Deadline(); !ok || d.Sub(l.Deadline).Abs() > time.Minute {
		t.Fatalf("received context's deadline %v %v, want about %v", d, ok, l.Deadline)
	}
	r.Cancelled(wire.HowClose, time.Time{}, "")
	r.Release() // no second cancel
	var rc *RemoteCancelError
	if !errors.As(context.Cause(ctx), &rc) || rc.How != wire.HowClose || ctx.Err() != context.Canceled {
		t.Fatalf("cause %v, err %v", context.Cause(ctx), ctx.Err())
	}

	var evs []wire.Event
	kinds := []string{}
	for _, e := range parseAll(t, get()) {
		if e.Kind != wire.EventProc && e.Kind != wire.EventErrSeen { // proc: once a second
			evs = append(evs, e)
			kinds = append(kinds, string(e.Kind))
		}
	}
	want := "new new send new remote remotecancel cancel"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("events %q, want %q", got, want)
	}
	send, remote, rcancel, cancelled := evs[2], evs[4], evs[5], evs[6]
	if send.Request != l.Request || send.ID != l.Context || send.Deadline != l.Deadline.UnixNano() || send.Sent != l.Sent.UnixNano() || send.Target != "GET host/x" {
		t.Errorf("send %+v for link %+v", send, l)
	}
	if remote.ID != ID(ctx) || remote.Request != l.Request || remote.Process != ProcessID() || remote.RemoteCtx != ID(caller) ||
		remote.Deadline != send.Deadline || remote.Timeout != send.Timeout || remote.Flags != "" || remote.Target != "GET /x" {
		t.Errorf("remote %+v for send %+v", remote, send)
	}
	if evs[3].CtxKind != wire.KindDeadlineCause || evs[3].Flags != "un" {
		t.Errorf("server context's new %+v", evs[3])
	}
	if rcancel.ID != ID(ctx) || rcancel.Request != l.Request || rcancel.How != wire.HowClose {
		t.Errorf("remotecancel %+v", rcancel)
	}
	if cancelled.ID != ID(ctx) || cancelled.Reason != "own" || cancelled.Cause != "ctxtrail: remote cancel (close)" {
		t.Errorf("cancel %+v", cancelled)
	}
}

// TestReceiveFlags: a deadline already past on arrival (x), a parent the transport bounded
// (t), and a cancel request carried with the link (c).
func TestReceiveFlags(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	l := Link{Request: 9, Timeout: -time.Second, Deadline: time.Now().Add(-time.Second), CancelSent: time.Now()}
	ctx, r := Receive(parent, l, wire.TransportK8s, "ns/job")
	defer r.Release()
	if ctx.Err() != context.DeadlineExceeded {
		t.Errorf("err %v, want the deadline exceeded", ctx.Err())
	}
	var remote *wire.Event
	for _, e := range parseAll(t, get()) {
		if e.Kind == wire.EventRemote {
			remote = &e
		}
	}
	if remote == nil || remote.Flags != "xtc" {
		t.Fatalf("remote event %+v, want flags xtc", remote)
	}
	// Already done by its deadline: a later remote cancel is not written.
	r.Cancelled(wire.HowAnnotation, time.Now(), "late")
	for _, m := range get() {
		if strings.HasPrefix(m, "remotecancel ") {
			t.Errorf("remotecancel written for a context already done: %q", m)
		}
	}
}

// TestReceiveUntraced: while tracing is off the deadline still applies and nothing is logged;
// the next trace gets its own proc event.
func TestReceiveUntraced(t *testing.T) {
	get, stop := captureLog()
	defer stop()
	l := Send(context.Background(), wire.TransportHTTP, "x")
	if l.Request != 0 || !l.Deadline.IsZero() {
		t.Fatalf("untraced link %+v", l)
	}
	ctx, r := Receive(context.Background(), Link{Timeout: time.Hour}, wire.TransportHTTP, "x")
	if _, ok := ctx.Deadline(); !ok || ID(ctx) != 0 {
		t.Fatalf("untraced received context: deadline %v, id %d", ok, ID(ctx))
	}
	r.Cancelled(wire.HowReset, time.Time{}, "")
	if ctx.Err() == nil || len(get()) != 0 {
		t.Fatalf("err %v, events %q", ctx.Err(), get())
	}
	if err := trace.Start(new(strings.Builder)); err != nil {
		t.Fatal(err)
	}
	defer trace.Stop()
	Send(context.Background(), wire.TransportHTTP, "x")
	Send(context.Background(), wire.TransportHTTP, "x")
	if msgs := get(); len(msgs) != 3 || !strings.HasPrefix(msgs[0], "proc ") {
		t.Fatalf("events %q, want proc then two sends", msgs)
	}
}

// TestSendAborted: the client side records the cancel's cause, which no carrier can take.
func TestSendAborted(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	ctx, cancel := WithCancelCause(Background())
	l := Send(ctx, wire.TransportGRPC, "/p.S/M")
	cancel(errors.New("user gave up"))
	SendAborted(ctx, l)
	last, err := wire.Parse(get()[len(get())-1])
	if err != nil || last.Kind != wire.EventAbort || last.Request != l.Request || last.ID != ID(ctx) || last.Err != "canceled" || last.Cause != "user gave up" {
		t.Fatalf("abort event %+v, %v", last, err)
	}
}

// TestReceiveRequestBound: the transport's own deadline (gRPC's grpc-timeout) bounds the
// derived context when it is earlier than the caller's, and its expiry is the context's own
// deadline, not a remote cancel.
func TestReceiveRequestBound(t *testing.T) {
	tracing(t)
	get, stop := captureLog()
	defer stop()
	tctx, cancel := context.WithTimeout(context.WithValue(context.Background(), key("k"), "v"), 5*time.Millisecond)
	defer cancel()
	ctx, r := ReceiveRequest(tctx, Link{Request: 4, Deadline: time.Now().Add(time.Hour), Timeout: time.Hour}, wire.TransportGRPC, "/p.S/M", wire.HowReset)
	defer r.Release()
	want, _ := tctx.Deadline()
	if d, _ := ctx.Deadline(); !d.Equal(want) || ctx.Value(key("k")) != "v" {
		t.Fatalf("deadline %v, want the transport's %v; value %v", d, want, ctx.Value(key("k")))
	}
	<-ctx.Done()
	if ctx.Err() != context.DeadlineExceeded {
		t.Fatalf("err %v", ctx.Err())
	}
	<-tctx.Done()
	time.Sleep(5 * time.Millisecond) // a remotecancel would come from an AfterFunc goroutine
	for _, e := range parseAll(t, get()) {
		if e.Kind == wire.EventRemoteCancel {
			t.Errorf("the transport's deadline was recorded as a remote cancel: %+v", e)
		}
		if e.Kind == wire.EventRemote && e.Flags != "t" {
			t.Errorf("remote flags %q, want t", e.Flags)
		}
	}
}

// TestRemoteZero: a Remote not made by Receive (a transport's zero field, a test's literal)
// ends nothing instead of panicking.
func TestRemoteZero(t *testing.T) {
	var r Remote
	r.Cancelled("close", time.Time{}, "")
	r.Release()
}
