// Package trail provides drop-in replacements for the context package's constructors that
// record, as runtime/trace user log events (category "ctxtrail"), how contexts are created,
// cancelled, watched and used, so that the ctxtrail tool can rebuild the exact context tree
// from an execution trace. The event encoding is specified in docs/trail-events.md and
// implemented, with a decoder, by package wire (github.com/ctxtrail/ctxtrail/go/trail/wire).
//
// While tracing is off (trace.IsEnabled() is false) every constructor returns exactly what
// the context package returns, at the cost of one atomic load. While tracing is on, a
// constructor wraps the real context in a small struct that embeds it, answers Done, Err
// and Value, and carries an id (see ID). The wrapper never starts a goroutine: cancellation
// by the context's own cancel func is recorded inside the wrapped cancel func, cancellation
// by a traced parent where the parent's is recorded (see observe.go), and cancellation by an
// untraced parent or a deadline with context.AfterFunc (one per untraced parent, one per
// deadline), which costs a goroutine only transiently, when the context is done.
package trail

import (
	"context"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

var lastID, lastAfterID atomic.Uint64

// ID returns the id of ctx if it is a traced context, or of its nearest traced ancestor
// when ctx was derived from one with the plain context package (or context.WithValue);
// 0 when there is none.
func ID(ctx context.Context) uint64 {
	if ctx == nil {
		return 0
	}
	if i, ok := ctx.Value(reg.Key).(*reg.Info); ok {
		return i.ID
	}
	return 0
}

// tctx is a traced context: the real context plus bookkeeping.
type tctx struct {
	context.Context           // the real context made by the context package
	info            *reg.Info // &infoVal: one allocation for both
	infoVal         reg.Info
	parent          context.Context
	stopObserver    func() bool // the observer of its own deadline (see deadlines.go)
	heapAt          int         // its index in the deadline heap + 1, 0 when out
	kids            kidList     // the contexts its cancellation ends (see observe.go)
	joined          *kidList    // the list it joined
	links           kidLinks

	mu       sync.Mutex // held while the cancellation is decided and recorded
	recorded bool       // the cancel event was written (exactly once per context)
}

func (c *tctx) Value(key any) any {
	if key == reg.Key {
		return c.info
	}
	return c.Context.Value(key)
}

// Done returns the real context's channel (the very same channel, so that the context
// package recognizes the wrapped cancelCtx and propagates cancellation without a
// goroutine). While tracing, the first call from each goroutine is logged.
func (c *tctx) Done() <-chan struct{} {
	d := c.Context.Done()
	if trace.IsEnabled() {
		// A watch of a context that can never be done (a nil channel) is logged too: a
		// goroutine waiting on it waits forever, which is what detached roots cause.
		if g := reg.Goid(); !c.info.Watched(g) {
			c.noteWatch(g, d != nil)
		}
	}
	return d
}

// Err returns the real context's error; while tracing, the first non-nil result seen by
// each goroutine is logged.
func (c *tctx) Err() error {
	err := c.Context.Err()
	if err != nil && trace.IsEnabled() {
		if g := reg.Goid(); !c.info.SawErr(g) {
			c.noteErr(g, err)
		}
	}
	return err
}

func (c *tctx) String() string {
	if s, ok := c.Context.(interface{ String() string }); ok {
		return s.String()
	}
	return "trail.Context"
}

// noteWatch logs goroutine g's first Done call on c; the caller checked Watched (a repeated
// call by the same goroutine costs a goroutine id, one load, and a compare).
func (c *tctx) noteWatch(g int64, cancelable bool) {
	s, ok := userSite(2)
	if !ok {
		return
	}
	if c.info.FirstWatch(g) {
		newMsg(wire.EventWatch).id(c.info.ID).site(s).emit(c)
	}
	reg.NoteWatch(g, c.info)
	if cancelable && !c.info.IsDone() {
		reg.SetAmbient(g, c.info)
	}
}

func (c *tctx) noteErr(g int64, err error) {
	s, ok := userSite(2)
	if !ok {
		return
	}
	if c.info.FirstErr(g) {
		newMsg(wire.EventErrSeen).id(c.info.ID).err(err).site(s).emit(c)
	}
	reg.NoteWatch(g, c.info)
}

// errOf is ctx.Err() without logging when ctx is traced.
func errOf(ctx context.Context) error {
	if t, ok := ctx.(*tctx); ok {
		return t.Context.Err()
	}
	return ctx.Err()
}

// realOf is the real context of a traced ctx, ctx itself otherwise. trail derives the real
// context of a child from it: the context package then calls the parent's Done (when the
// child is made and when it is cancelled) on the real context, not through the wrapper,
// which would look at its caller each time to tell that it is not a watch. The wrapper only
// adds trail's own Value key, which the child's wrapper answers itself.
func realOf(ctx context.Context) context.Context {
	if t, ok := ctx.(*tctx); ok {
		return t.Context
	}
	return ctx
}

// doneOf is ctx.Done() without logging when ctx is traced.
func doneOf(ctx context.Context) <-chan struct{} {
	if t, ok := ctx.(*tctx); ok {
		return t.Context.Done()
	}
	return ctx.Done()
}

// newTraced wraps inner (made from parent) and logs its creation. skip counts the frames
// between the user's call and newTraced's caller.
func newTraced(parent, inner context.Context, kind wire.ContextKind, deadline time.Time, s *callerSite) *tctx {
	c := &tctx{Context: inner, parent: parent}
	c.info = &c.infoVal
	info := c.info
	info.ID, info.Kind, info.Deadline, info.Created = lastID.Add(1), string(kind), deadline, s.Site
	var flagBuf [4]byte
	fl := flagBuf[:0]
	var pid uint64
	if parent != nil {
		if p, ok := parent.Value(reg.Key).(*reg.Info); ok {
			info.Parent = p
			pid = p.ID
		}
		if _, ok := parent.(*tctx); !ok {
			fl = append(fl, 'u')
		}
		if doneOf(parent) == nil {
			fl = append(fl, 'n')
		} else if errOf(parent) != nil {
			fl = append(fl, 'd')
		}
		if !deadline.IsZero() {
			if pd, ok := parent.Deadline(); ok && pd.Before(deadline) {
				fl = append(fl, 'e')
			}
		}
	}
	g := reg.Goid()
	info.Goid = g
	info.DoneCh = inner.Done()
	cancelable := info.DoneCh != nil
	if !cancelable {
		info.Ambient = reg.Ambient(g)
	}
	var dl int64
	if !deadline.IsZero() {
		dl = deadline.UnixNano()
	}
	m := newMsg(wire.EventNew).id(info.ID).id(pid).word(string(kind)).num(dl)
	m.b = append(m.b, ' ')
	if len(fl) == 0 {
		fl = append(fl, '-')
	}
	m.b = append(m.b, fl...)
	m.id(info.Ambient).site(s).emit(c)
	if cancelable {
		reg.SetAmbient(g, info)
		// The parent first: what observes the deadline reads the list it joined.
		if parent != nil && doneOf(parent) != nil {
			c.watchParent(parent)
		}
		if !deadline.IsZero() {
			if inner.Err() != nil || time.Until(deadline) < observeAtOnce {
				// Passed already, or the parent is done, or soon to expire: as before.
				c.stopObserver = context.AfterFunc(inner, c.observe)
			} else {
				c.watchDeadline()
			}
		}
	}
	return c
}

// observe runs (in its own short-lived goroutine, started by context.AfterFunc) when the
// real context of a context with a deadline is done, unless its cancellation was recorded
// already.
func (c *tctx) observe() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.recorded {
		return
	}
	c.recordObserved("")
}

// recordObserved records a cancellation that c's own cancel func did not make; c.mu is
// held and c.recorded false.
func (c *tctx) recordObserved(fl string) {
	c.recorded = true
	c.leave()
	c.record(c.classify(), fl, noSite)
}

// classify tells why the real context is done when its own cancel func did not do it.
func (c *tctx) classify() string {
	if c.parent != nil && errOf(c.parent) != nil && context.Cause(c.Context) == context.Cause(c.parent) {
		return reg.ReasonParent
	}
	if c.Context.Err() == context.DeadlineExceeded {
		return reg.ReasonDeadline
	}
	return reg.ReasonParent
}

func (c *tctx) record(reason, fl string, s *callerSite) {
	var from uint64
	if reason == reg.ReasonParent && c.info.Parent != nil && c.info.Parent.IsDone() {
		from = c.info.Parent.ID // else the cancellation came from an untraced context in between
	}
	err := c.Context.Err()
	cause := context.Cause(c.Context)
	causeText := ""
	if cause != nil {
		causeText = cause.Error()
	}
	c.info.SetCancelled(reg.CancelInfo{Done: true, When: time.Now(), Reason: reason, From: from, Cause: causeText, Site: s.Site})
	if trace.IsEnabled() {
		newMsg(wire.EventCancel).id(c.info.ID).word(reason).id(from).err(err).flags(fl).site(s).str(causeText).emit(c)
	}
	c.unwatchDeadline()
	c.kids.endKids(true)
}

// cancelled runs the real cancel func do on behalf of the user's call of the cancel func.
// c.mu is held while deciding and recording, so that the context's one cancel event is
// always written before any late event, whichever goroutines race (do never calls back
// into c: the context package runs AfterFunc functions in their own goroutines).
func (c *tctx) cancelled(do func()) {
	c.mu.Lock()
	if c.Context.Err() != nil {
		// Already done: make sure the cancellation is recorded first, then the late call.
		if !c.recorded {
			c.recordObserved("")
		}
		c.mu.Unlock()
		if trace.IsEnabled() {
			newMsg(wire.EventLate).id(c.info.ID).err(c.Context.Err()).site(callSite()).emit(c)
		}
		do()
		return
	}
	defer c.mu.Unlock()
	s := callSite()
	c.recorded = true
	c.leave() // its parent's walk has nothing to do for it
	if c.stopObserver != nil {
		c.stopObserver() // no observer goroutine for a cancellation recorded here
	}
	do()
	if c.Context.Err() == context.DeadlineExceeded {
		// A deadline (its own or an ancestor's) expired between the check and the call
		// and won the race: flag "r".
		c.record(c.classify(), "r", s)
		return
	}
	c.record(reg.ReasonOwn, "", s)
}

// Background is context.Background; while tracing, a traced root of kind "background"
// (a new id per call).
func Background() context.Context {
	if trace.IsEnabled() {
		return tracedBackground()
	}
	return context.Background() // a constant: no load, unlike a package variable
}

// TODO is context.TODO; while tracing, a traced root of kind "todo".
func TODO() context.Context {
	if trace.IsEnabled() {
		return tracedTODO()
	}
	return context.TODO()
}

// tracedBackground and tracedTODO are out of line, and take no argument, so that Background
// and TODO stay within the inliner's budget; the creation site is the first frame outside
// trail (Background's caller, into which it is inlined).
func tracedBackground() context.Context {
	return newTraced(nil, context.Background(), wire.KindBackground, time.Time{}, callSite())
}

func tracedTODO() context.Context {
	return newTraced(nil, context.TODO(), wire.KindTODO, time.Time{}, callSite())
}

// WithoutCancel is context.WithoutCancel.
func WithoutCancel(parent context.Context) context.Context {
	if !trace.IsEnabled() {
		return context.WithoutCancel(parent)
	}
	return newTraced(parent, context.WithoutCancel(realOf(parent)), wire.KindWithoutCancel, time.Time{}, callSite())
}

// WithCancel is context.WithCancel.
func WithCancel(parent context.Context) (context.Context, context.CancelFunc) {
	if !trace.IsEnabled() {
		return context.WithCancel(parent)
	}
	inner, cancel := context.WithCancel(realOf(parent))
	c := newTraced(parent, inner, wire.KindCancel, time.Time{}, callSite())
	return c, func() { c.cancelled(cancel) }
}

// WithCancelCause is context.WithCancelCause.
func WithCancelCause(parent context.Context) (context.Context, context.CancelCauseFunc) {
	if !trace.IsEnabled() {
		return context.WithCancelCause(parent)
	}
	inner, cancel := context.WithCancelCause(realOf(parent))
	c := newTraced(parent, inner, wire.KindCancelCause, time.Time{}, callSite())
	return c, func(cause error) { c.cancelled(func() { cancel(cause) }) }
}

// WithDeadline is context.WithDeadline.
func WithDeadline(parent context.Context, d time.Time) (context.Context, context.CancelFunc) {
	if !trace.IsEnabled() {
		return context.WithDeadline(parent, d)
	}
	return withDeadline(parent, d, nil, wire.KindDeadline, callSite())
}

// WithDeadlineCause is context.WithDeadlineCause.
func WithDeadlineCause(parent context.Context, d time.Time, cause error) (context.Context, context.CancelFunc) {
	if !trace.IsEnabled() {
		return context.WithDeadlineCause(parent, d, cause)
	}
	return withDeadline(parent, d, cause, wire.KindDeadlineCause, callSite())
}

// WithTimeout is context.WithTimeout.
func WithTimeout(parent context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if !trace.IsEnabled() {
		return context.WithTimeout(parent, timeout)
	}
	return withDeadline(parent, time.Now().Add(timeout), nil, wire.KindTimeout, callSite())
}

// WithTimeoutCause is context.WithTimeoutCause.
func WithTimeoutCause(parent context.Context, timeout time.Duration, cause error) (context.Context, context.CancelFunc) {
	if !trace.IsEnabled() {
		return context.WithTimeoutCause(parent, timeout, cause)
	}
	return withDeadline(parent, time.Now().Add(timeout), cause, wire.KindTimeoutCause, callSite())
}

func withDeadline(parent context.Context, d time.Time, cause error, kind wire.ContextKind, s *callerSite) (context.Context, context.CancelFunc) {
	var inner context.Context
	var cancel context.CancelFunc
	if cause != nil {
		inner, cancel = context.WithDeadlineCause(realOf(parent), d, cause)
	} else {
		inner, cancel = context.WithDeadline(realOf(parent), d)
	}
	c := newTraced(parent, inner, kind, d, s)
	return c, func() { c.cancelled(cancel) }
}

// AfterFunc is context.AfterFunc. While tracing, the registration ("after") and the call
// of f ("afterrun") are logged.
func AfterFunc(ctx context.Context, f func()) (stop func() bool) {
	if !trace.IsEnabled() {
		return context.AfterFunc(ctx, f)
	}
	id := ID(ctx)
	aid := lastAfterID.Add(1)
	newMsg(wire.EventAfter).id(id).id(aid).site(callSite()).emit(ctx)
	return context.AfterFunc(ctx, func() {
		if trace.IsEnabled() {
			newMsg(wire.EventAfterRun).id(id).id(aid).emit(ctx)
		}
		f()
	})
}
