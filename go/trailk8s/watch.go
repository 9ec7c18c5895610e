package trailk8s

import (
	"context"
	"sync"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Watch keeps a context derived from an object's annotations in step with them: call Update
// with the new annotations whenever the object changes (the informer's update handler, or
// the reconcile loop), and Release when the work is over. A Watch comes from Derive; the
// zero value watches nothing (its methods do nothing), and Update after Release does nothing.
type Watch struct {
	remote *trail.Remote // nil in the zero value

	mu       sync.Mutex
	deadline time.Time   // the deadline in force
	timer    *time.Timer // an earlier deadline written after Derive
	released bool
}

// Derive returns the context of the work an object stands for: parent (the process's own
// context) bounded by the deadline annotation, with the parent's identity recorded (remote),
// and already cancelled when the annotations hold a cancel request.
func Derive(parent context.Context, target string, annotations map[string]string) (context.Context, *Watch) {
	l := link(annotations)
	ctx, r := trail.Receive(parent, l, wire.TransportK8s, target)
	w := &Watch{remote: r}
	w.deadline, _ = ctx.Deadline()
	w.Update(annotations)
	return ctx, w
}

// Update re-checks the annotations: a cancel request cancels the context (recorded as a
// remote cancel, with the time and cause it was written with); a deadline earlier than the one
// in force ends it then, in the same way (a context's deadline cannot be moved, and a later
// one cannot extend it): its Err is then context.Canceled, not DeadlineExceeded, its
// Deadline() still the first one, and its cause says "ctxtrail: deadline annotation passed".
// Values that do not parse count as absent.
func (w *Watch) Update(annotations map[string]string) {
	if w.remote == nil {
		return
	}
	l := link(annotations)
	if !l.CancelSent.IsZero() {
		w.remote.Cancelled(wire.HowAnnotation, l.CancelSent, l.Cause)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.released {
		return
	}
	if d := l.Deadline; !d.IsZero() && (w.deadline.IsZero() || d.Before(w.deadline)) {
		w.deadline = d
		if w.timer != nil {
			w.timer.Stop()
		}
		w.timer = time.AfterFunc(time.Until(d), func() {
			w.remote.Cancelled(wire.HowAnnotation, l.Sent, "ctxtrail: deadline annotation passed")
		})
	}
}

// Release ends the context when the work is over.
func (w *Watch) Release() {
	if w.remote == nil {
		return
	}
	w.mu.Lock()
	w.released = true
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	w.remote.Release()
}
