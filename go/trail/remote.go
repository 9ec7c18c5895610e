package trail

import (
	"context"
	"sync"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Link is what crosses a process boundary with a request: the caller's deadline and, while
// the caller traces, its identity. Transports (trailhttp, trailgrpc, trailk8s) carry it as
// docs/trail-events.md ("Carriers") says; zero fields were not sent.
type Link struct {
	Request  uint64        // request id, echoed by the receiver's events
	Process  uint64        // the caller's ProcessID
	Context  uint64        // the caller's context id (ID)
	Deadline time.Time     // the caller's deadline
	Timeout  time.Duration // time left until Deadline when Sent (what receivers apply)
	Sent     time.Time     // the caller's wall clock when it sent the request

	// A cancel request carried with the link (Kubernetes annotations only).
	CancelSent time.Time
	Cause      string
}

// Send makes the Link for a request leaving with ctx and, while tracing, writes the send
// event. transport is wire.TransportHTTP, TransportGRPC or TransportK8s; target names what
// is called (docs/trail-events.md, send).
func Send(ctx context.Context, transport, target string) Link {
	l := Link{Sent: time.Now()}
	if d, ok := ctx.Deadline(); ok {
		l.Deadline, l.Timeout = d, d.Sub(l.Sent)
	}
	if !crossProcess(ctx) {
		return l
	}
	l.Request, l.Process, l.Context = randomID(), processID, ID(ctx)
	emitCross(ctx, "send "+u(l.Request)+" "+u(l.Context)+" "+transport+" 0 "+wall(l.Deadline)+" "+
		i64(int64(l.Timeout))+" "+wall(l.Sent)+" "+wire.Escape(target))
	return l
}

// SendAborted writes, while tracing, the abort event when ctx, the context l was sent with,
// is done: the transport failed or was cut short before it was done with the request. The
// cause is recorded here because a connection close or stream reset cannot carry it to the
// server. Transports call it on any failure: it checks ctx without counting as the program
// looking at it (no errseen event).
func SendAborted(ctx context.Context, l Link) {
	if l.Request == 0 || errOf(ctx) == nil || !crossProcess(ctx) {
		return
	}
	cause := ""
	if c := context.Cause(ctx); c != nil {
		cause = c.Error()
	}
	emitCross(ctx, "abort "+u(l.Request)+" "+u(l.Context)+" "+errCode(errOf(ctx))+" "+wire.Escape(cause))
}

// Remote is a server's side of a request: the context derived from the caller's Link, made by
// Receive or ReceiveRequest; the zero value has no context, and its methods do nothing.
type Remote struct {
	Link
	ctx    context.Context
	cancel func(cause error) // records the cancel event while tracing
	once   sync.Once
	id     uint64

	stopWatch func() bool        // ReceiveRequest's watch of the transport's context
	stopTimer context.CancelFunc // the deadline's (its parent's cancel stops it first)
}

// RemoteCancelError is the cause of a context Receive made when the caller cancelled.
type RemoteCancelError struct {
	How   string    // wire.HowClose, HowReset or HowAnnotation
	Sent  time.Time // when the caller asked (annotations only)
	Cause string    // the caller's cause when it was sent
}

func (e *RemoteCancelError) Error() string {
	if e.Cause != "" {
		return e.Cause
	}
	return "ctxtrail: remote cancel (" + e.How + ")"
}

// Receive derives the context of work a caller asked for with l (Kubernetes: a Job's work
// from its object's annotations): parent (this process's own context, whose cancel reaches
// it as usual) bounded by the caller's deadline (now + l.Timeout, or l.Deadline when no
// timeout came), and, while tracing, writes its new and remote events. Call Cancelled when
// the caller cancels and Release when the work is over.
func Receive(parent context.Context, l Link, transport, target string) (context.Context, *Remote) {
	return receive(parent, time.Time{}, l, transport, target)
}

// ReceiveRequest is Receive for a request whose transport gives the server a context of its
// own (net/http's, gRPC's request context), which ends early when the client goes away:
// the derived context keeps its values and its deadline (the earlier of it and the caller's),
// and the transport context's early end reaches it through Cancelled(how, ...) so that the
// remote cancel is recorded first (an end by its deadline is the derived context's own
// deadline; an end with a cause other than context.Canceled is the server's own, such as an
// http.Server's BaseContext cancelled with a cause, and ends it with that cause, unrecorded as
// remote; one without a cause, a server's shutdown included, cannot be told from the client's). Release, when the request is over, stops that watch before the transport ends
// the context itself.
func ReceiveRequest(transportCtx context.Context, l Link, transport, target, how string) (context.Context, *Remote) {
	bound, _ := transportCtx.Deadline()
	ctx, r := receive(context.WithoutCancel(transportCtx), bound, l, transport, target)
	r.stopWatch = context.AfterFunc(transportCtx, func() {
		switch cause := context.Cause(transportCtx); {
		case transportCtx.Err() == context.DeadlineExceeded:
			// the derived context's own deadline (bound) ends it
		case cause != context.Canceled:
			// The server's own reason with a cause (a BaseContext cancelled at shutdown): the
			// transports cancel a request's context for its client without one.
			r.once.Do(func() { r.cancel(cause) })
		default:
			r.Cancelled(how, time.Time{}, "")
		}
	})
	return ctx, r
}

// receive derives the context from parent, with the earlier of bound and the link's deadline.
func receive(parent context.Context, bound time.Time, l Link, transport, target string) (context.Context, *Remote) {
	r := &Remote{Link: l}
	deadline := l.Deadline
	if l.Timeout != 0 {
		deadline = time.Now().Add(l.Timeout)
	}
	if !bound.IsZero() && (deadline.IsZero() || bound.Before(deadline)) {
		deadline = bound
	}
	var inner context.Context
	var cancel context.CancelCauseFunc
	kind := wire.KindCancelCause
	if deadline.IsZero() {
		inner, cancel = context.WithCancelCause(parent)
	} else {
		kind = wire.KindDeadlineCause
		// WithDeadline has no cause for its cancel func: the deadline goes on top of a
		// cause-carrying cancel, whose cancel reaches it with the cause and stops its timer.
		var cancelable context.Context
		cancelable, cancel = context.WithCancelCause(parent)
		inner, r.stopTimer = context.WithDeadline(cancelable, deadline)
	}
	if !crossProcess(parent) {
		r.ctx, r.cancel = inner, cancel
		return inner, r
	}
	c := newTraced(parent, inner, kind, deadline, callSite())
	r.ctx, r.id = c, c.info.ID
	r.cancel = func(cause error) { c.cancelled(func() { cancel(cause) }) }
	var fl []byte
	if !deadline.IsZero() && !deadline.After(time.Now()) {
		fl = append(fl, 'x')
	}
	if _, ok := parent.Deadline(); ok || !bound.IsZero() {
		fl = append(fl, 't')
	}
	if !l.CancelSent.IsZero() {
		fl = append(fl, 'c')
	}
	emitCross(c, "remote "+u(r.id)+" "+u(l.Request)+" "+transport+" "+u(l.Process)+" "+u(l.Context)+" "+
		wall(l.Deadline)+" "+i64(int64(l.Timeout))+" "+wall(l.Sent)+" "+flags(string(fl))+" "+wire.Escape(target))
	return c, r
}

// Cancelled tells that the caller cancelled (how: wire.HowClose, HowReset, HowAnnotation;
// sent and cause when the carrier had them): while tracing, writes the remotecancel event,
// then cancels the context with a *RemoteCancelError. Only the first Cancelled or Release
// counts, and nothing is written when the context was already done.
func (r *Remote) Cancelled(how string, sent time.Time, cause string) {
	if r.cancel == nil {
		return
	}
	r.once.Do(func() {
		if errOf(r.ctx) == nil && r.id != 0 && crossProcess(r.ctx) {
			emitCross(r.ctx, "remotecancel "+u(r.id)+" "+u(r.Request)+" "+how+" "+wall(sent)+" "+wire.Escape(cause))
		}
		r.cancel(&RemoteCancelError{How: how, Sent: sent, Cause: cause})
	})
}

// Release ends the context when the request is over (the handler returned).
func (r *Remote) Release() {
	if r.stopWatch != nil {
		r.stopWatch()
	}
	if r.cancel != nil {
		r.once.Do(func() { r.cancel(context.Canceled) })
	}
	if r.stopTimer != nil {
		r.stopTimer()
	}
}

func wall(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return i64(t.UnixNano())
}
