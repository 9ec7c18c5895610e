package trail

import (
	"context"
	"sync"
)

// How trail learns that a context was ended by its parent, without a context.AfterFunc per
// context (five allocations each): a context joins the list of its traced parent, which
// walks the list when it records its own cancellation (in the goroutine that records it, so
// the event follows the cancellation at once and ctxtrail joins it to the parent's cancel
// wave, flag "w"); under a cancelable parent that is not traced, it joins the list of one
// context.AfterFunc shared by all of that parent's traced children. A context's own
// deadline is still observed with context.AfterFunc on it.

// kidList is a list of traced contexts that one cancellation ends. Once the cancellation
// is recorded the list is closed: the walk owns it, and a context that joins it later
// records itself.
type kidList struct {
	mu     sync.Mutex
	head   *tctx
	closed bool
}

// kidLinks are a context's links in the list it joined, guarded by that list's mu.
type kidLinks struct {
	in         *kidList // nil once it left or the list was closed
	prev, next *tctx
}

// join adds c; it reports false when the list is closed (the cancellation already came).
func (l *kidList) join(c *tctx) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	c.joined = l
	c.links = kidLinks{in: l, next: l.head}
	if l.head != nil {
		l.head.links.prev = c
	}
	l.head = c
	return true
}

// leave removes c from the list it joined, if it is still there (its own cancel func ended
// it: the walk has nothing to do for it).
func (c *tctx) leave() {
	l := c.joined // set once, before the cancel func could be called
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.links.in != l { // the list was closed meanwhile
		return
	}
	if c.links.prev != nil {
		c.links.prev.links.next = c.links.next
	} else {
		l.head = c.links.next
	}
	if c.links.next != nil {
		c.links.next.links.prev = c.links.prev
	}
	c.links = kidLinks{}
}

// close detaches the list and returns its first context; the rest follow by links.next.
func (l *kidList) close() *tctx {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	head := l.head
	l.head = nil
	for k := head; k != nil; k = k.links.next {
		k.links.in = nil
	}
	return head
}

// endKids records the cancellation of every context in the list, whose real contexts the
// cancellation already ended (the context package does it before trail records). byWalk
// sets flag "w": the event is written where the traced parent recorded its own.
func (l *kidList) endKids(byWalk bool) {
	fl := ""
	if byWalk {
		fl = "w"
	}
	for k := l.close(); k != nil; {
		next := k.links.next
		k.endedByParent(fl)
		k = next
	}
}

// endedByParent records c's cancellation when an ancestor's ended it, unless it was
// recorded already (its own cancel func or its deadline's observer came first). It waits
// for c's real context to be done: the context package may start the shared observer of an
// untraced parent (an AfterFunc child of it) before it has cancelled the parent's other
// children, which it then does at once, in the cancelling goroutine.
func (c *tctx) endedByParent(fl string) {
	<-c.Context.Done()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.recorded {
		return
	}
	c.recordObserved(fl)
}

// watchParent makes sure c's cancellation by its parent will be recorded: it joins the
// traced parent's list, or the shared observer of an untraced one. A parent that is done
// already ended c: c records that at once.
func (c *tctx) watchParent(parent context.Context) {
	if p, ok := parent.(*tctx); ok {
		if !p.kids.join(c) {
			c.endedByParent("w")
		}
		return
	}
	if !joinUntraced(parent, c) {
		c.endedByParent("")
	}
}

// untracedParent is the one context.AfterFunc that observes an untraced cancelable parent
// for all of its traced children.
type untracedParent struct {
	kidList
	stop func() bool
}

var (
	untracedMu    sync.Mutex
	untraced      = map[<-chan struct{}]*untracedParent{}
	untracedSwept int // the map's size after the last sweep
)

// joinUntraced adds c to the observer of parent (keyed by its Done channel), registering one
// if there is none; false when the observer already fired. An observer stays while its
// parent lives, so that a parent's children coming and going share it; those of parents
// that lost all their children are removed when the map has doubled since the last sweep (a
// parent that is never cancelled could otherwise be kept forever). The join is made under
// untracedMu, so that no sweep comes in between.
func joinUntraced(parent context.Context, c *tctx) bool {
	done := parent.Done()
	untracedMu.Lock()
	defer untracedMu.Unlock()
	if o, ok := untraced[done]; ok {
		return o.join(c)
	}
	if len(untraced) >= 2*untracedSwept+64 {
		sweepUntraced()
	}
	o := &untracedParent{}
	o.stop = context.AfterFunc(parent, func() {
		untracedMu.Lock()
		if untraced[done] == o {
			delete(untraced, done)
		}
		untracedMu.Unlock()
		o.endKids(false) // written by AfterFunc's goroutine: ctxtrail joins it as before
	})
	untraced[done] = o
	return o.join(c)
}

// sweepUntraced removes the observers without children; untracedMu is held.
func sweepUntraced() {
	for done, o := range untraced {
		o.mu.Lock()
		empty := o.head == nil && !o.closed
		if empty {
			o.closed = true
		}
		o.mu.Unlock()
		if empty {
			o.stop()
			delete(untraced, done)
		}
	}
	untracedSwept = len(untraced)
}
