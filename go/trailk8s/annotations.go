// Package trailk8s carries a context's deadline and cancellation across a Kubernetes object,
// in its annotations: an operator's reconcile writes its deadline and identity on the object
// it creates (a Job) and, when its context ends, a cancel request; the process doing the
// object's work derives its context from them and re-checks them whenever they change. No
// client-go dependency: maps in, maps out (the object's metadata.annotations). Both halves
// are recorded as ctxtrail trace events (docs/trail-events.md, "Across processes").
package trailk8s

import (
	"context"
	"strconv"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// Annotation keys. Times are RFC 3339 with nanoseconds (what kubectl users read and other
// tools may write); ids are decimal.
const (
	Prefix                = "ctxtrail.github.io/"
	AnnotationDeadline    = Prefix + "deadline"     // the parent's deadline
	AnnotationSent        = Prefix + "sent"         // when the parent wrote them
	AnnotationRequest     = Prefix + "request"      // request id, echoed in the receiver's events
	AnnotationProcess     = Prefix + "process"      // the parent's process id
	AnnotationContext     = Prefix + "context"      // the parent's context id
	AnnotationCancel      = Prefix + "cancel"       // when the parent asked for a cancel
	AnnotationCancelCause = Prefix + "cancel-cause" // its cause (context.Cause's text)
)

// Propagate returns a copy of annotations with ctx's deadline and, while tracing, its
// identity written, for the object that ctx's work creates (target: "namespace/name"); the
// request is recorded (send). A previous link and cancel request are replaced.
func Propagate(ctx context.Context, target string, annotations map[string]string) map[string]string {
	l := trail.Send(ctx, wire.TransportK8s, target)
	out := without(annotations, AnnotationDeadline, AnnotationSent, AnnotationRequest, AnnotationProcess,
		AnnotationContext, AnnotationCancel, AnnotationCancelCause)
	setTime(out, AnnotationDeadline, l.Deadline)
	setTime(out, AnnotationSent, l.Sent)
	setID(out, AnnotationRequest, l.Request)
	setID(out, AnnotationProcess, l.Process)
	setID(out, AnnotationContext, l.Context)
	return out
}

// RequestCancel returns a copy of annotations with a cancel request: now, and ctx's cause
// (context.Cause) when it has one; ctx is the context Propagate was given, now done. The
// request is recorded as aborted (abort, with the cause). A cancel already requested is kept.
func RequestCancel(ctx context.Context, annotations map[string]string) map[string]string {
	if _, ok := annotations[AnnotationCancel]; ok {
		return without(annotations)
	}
	out := without(annotations)
	setTime(out, AnnotationCancel, time.Now())
	if c := context.Cause(ctx); c != nil {
		out[AnnotationCancelCause] = c.Error()
	}
	trail.SendAborted(ctx, link(annotations))
	return out
}

// link reads what Propagate and RequestCancel wrote; values that do not parse count as absent.
func link(a map[string]string) trail.Link {
	return trail.Link{
		Request: id(a, AnnotationRequest), Process: id(a, AnnotationProcess), Context: id(a, AnnotationContext),
		Deadline: at(a, AnnotationDeadline), Sent: at(a, AnnotationSent),
		CancelSent: at(a, AnnotationCancel), Cause: a[AnnotationCancelCause],
	}
}

// without copies a, less the keys.
func without(a map[string]string, keys ...string) map[string]string {
	out := make(map[string]string, len(a)+7)
	for k, v := range a {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func setTime(a map[string]string, key string, t time.Time) {
	if !t.IsZero() {
		a[key] = t.UTC().Format(time.RFC3339Nano)
	}
}

func setID(a map[string]string, key string, v uint64) {
	if v != 0 {
		a[key] = strconv.FormatUint(v, 10)
	}
}

func at(a map[string]string, key string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, a[key])
	if err != nil {
		return time.Time{}
	}
	return t
}

func id(a map[string]string, key string) uint64 {
	v, _ := strconv.ParseUint(a[key], 10, 64)
	return v
}
