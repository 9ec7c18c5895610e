package trailk8s

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// TestAcrossAnnotations: the operator's deadline and identity reach the Job's context; its
// cancel request, written when the reconcile's context ends, cancels the Job's context with
// the cause; both halves share the request id.
func TestAcrossAnnotations(t *testing.T) {
	events := crosstest.Tracing(t)
	rctx, cancel := trail.WithTimeout(trail.Background(), time.Hour)
	defer cancel()
	rctx, cancelCause := trail.WithCancelCause(rctx)
	mine := map[string]string{"team": "storage"}
	ann := Propagate(rctx, "default/backup", mine)
	if len(mine) != 1 || ann["team"] != "storage" || ann[AnnotationRequest] == "" || ann[AnnotationCancel] != "" {
		t.Fatalf("Propagate: in %v, out %v", mine, ann)
	}
	want, _ := rctx.Deadline()
	if got, err := time.Parse(time.RFC3339Nano, ann[AnnotationDeadline]); err != nil || !got.Equal(want) {
		t.Fatalf("deadline annotation %q, want %v", ann[AnnotationDeadline], want)
	}

	jctx, w := Derive(context.Background(), "default/backup", ann)
	defer w.Release()
	if d, ok := jctx.Deadline(); !ok || !d.Equal(want) {
		t.Errorf("Job's deadline %v %v, want %v", d, ok, want)
	}
	w.Update(ann) // an update without a cancel request changes nothing
	if jctx.Err() != nil {
		t.Fatalf("Job's context ended on an unchanged update: %v", context.Cause(jctx))
	}
	cancelCause(errors.New("reconcile superseded"))
	ann = RequestCancel(rctx, ann)
	w.Update(ann)
	if jctx.Err() != context.Canceled || context.Cause(jctx).Error() != "reconcile superseded" {
		t.Fatalf("Job's context: %v, cause %v", jctx.Err(), context.Cause(jctx))
	}
	ev := crosstest.ByKind(events())
	send, abort, remote, rcancel := ev[wire.EventSend], ev[wire.EventAbort], ev[wire.EventRemote], ev[wire.EventRemoteCancel]
	if send.Request == 0 || abort.Request != send.Request || remote.Request != send.Request || rcancel.Request != send.Request {
		t.Fatalf("request ids differ: %+v", ev)
	}
	cancelAt, _ := time.Parse(time.RFC3339Nano, ann[AnnotationCancel])
	if remote.Transport != wire.TransportK8s || remote.RemoteCtx != trail.ID(rctx) || remote.Deadline != want.UnixNano() || remote.Target != "default/backup" ||
		rcancel.How != wire.HowAnnotation || rcancel.Sent != cancelAt.UnixNano() || rcancel.Cause != "reconcile superseded" || abort.Cause != "reconcile superseded" {
		t.Errorf("remote %+v remotecancel %+v abort %+v", remote, rcancel, abort)
	}
}

// TestDeriveCancelled: a process started after the cancel request (a Job's Pod scheduled
// late) gets a context already cancelled, flagged c.
func TestDeriveCancelled(t *testing.T) {
	events := crosstest.Tracing(t)
	ann := RequestCancel(context.Background(), Propagate(context.Background(), "ns/job", nil))
	ctx, w := Derive(context.Background(), "ns/job", ann)
	defer w.Release()
	if ctx.Err() == nil {
		t.Fatal("the context of a cancelled object is not done")
	}
	if r := crosstest.ByKind(events())[wire.EventRemote]; r.Flags != "c" {
		t.Errorf("remote flags %q, want c", r.Flags)
	}
}

// TestEarlierDeadline: a deadline annotation moved earlier ends the context then; a later one
// does not extend it.
func TestEarlierDeadline(t *testing.T) {
	ann := map[string]string{AnnotationDeadline: time.Now().Add(time.Hour).Format(time.RFC3339Nano)}
	ctx, w := Derive(context.Background(), "ns/job", ann)
	defer w.Release()
	ann[AnnotationDeadline] = time.Now().Add(2 * time.Hour).Format(time.RFC3339Nano)
	w.Update(ann)
	if d, _ := ctx.Deadline(); time.Until(d) > time.Hour {
		t.Errorf("a later deadline extended the context to %v", d)
	}
	ann[AnnotationDeadline] = time.Now().Add(5 * time.Millisecond).Format(time.RFC3339Nano)
	w.Update(ann)
	crosstest.WaitFor(t, "the earlier deadline", func() bool { return ctx.Err() != nil })
}
