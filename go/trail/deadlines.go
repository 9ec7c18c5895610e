package trail

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// A context's own deadline is observed with context.AfterFunc on its real context, as
// before, but the observer is only registered shortly before the deadline: most contexts
// with a timeout are cancelled long before it, and they never pay for one (five
// allocations). Until then the context waits in one heap ordered by deadline, under one
// timer. The observer still runs in the goroutine the context package starts from the
// timer's cancellation, which is how ctxtrail joins the event to that cancel wave.

// armAhead is how long before its deadline a context gets its observer: the observer must
// be registered before the context's own timer fires (registered on a done context, it
// would run from this package's goroutine, which is no cancellation).
const armAhead = 2 * time.Millisecond

// observeAtOnce: a context whose deadline is nearer gets its observer in the constructor. It
// is likely to expire, and the heap's timer would fire in the middle of the work it bounds:
// a goroutine more, scheduled then, changed which of a 3 ms deadline and a 3 ms sleep won
// (13 deadline wins in 80 calls instead of 34, testdata/contexts/deadline_race).
const observeAtOnce = 20 * time.Millisecond

var deadlines struct {
	mu    sync.Mutex
	queue deadlineQueue // by deadline, earliest first
	timer *time.Timer   // fires armAhead before the earliest deadline
	armed time.Time     // when the timer fires; zero when it is not pending
}

// watchDeadline puts c, whose deadline is still ahead, into the heap.
func (c *tctx) watchDeadline() {
	d := &deadlines
	d.mu.Lock()
	defer d.mu.Unlock()
	heap.Push(&d.queue, c)
	if at := c.info.Deadline.Add(-armAhead); d.armed.IsZero() || at.Before(d.armed) {
		arm(at)
	}
}

// unwatchDeadline takes c out of the heap once its cancellation is recorded. (One recorded
// by its parent's walk while its constructor still runs may go into the heap after this:
// it stays there until its deadline, when armObserver finds it recorded.)
func (c *tctx) unwatchDeadline() {
	if c.info.Deadline.IsZero() {
		return
	}
	d := &deadlines
	d.mu.Lock()
	defer d.mu.Unlock()
	if c.heapAt > 0 {
		heap.Remove(&d.queue, c.heapAt-1)
	}
}

// arm sets the timer to fire at at; deadlines.mu is held.
func arm(at time.Time) {
	d := &deadlines
	d.armed = at
	if d.timer == nil {
		d.timer = time.AfterFunc(time.Until(at), fireDeadlines)
		return
	}
	d.timer.Reset(time.Until(at))
}

// fireDeadlines gives an observer to every context whose deadline is less than armAhead
// away, and sets the timer for the next one.
func fireDeadlines() {
	d := &deadlines
	var due []*tctx
	d.mu.Lock()
	d.armed = time.Time{}
	limit := time.Now().Add(armAhead)
	for len(d.queue) > 0 && !d.queue[0].info.Deadline.After(limit) {
		due = append(due, heap.Pop(&d.queue).(*tctx))
	}
	if len(d.queue) > 0 {
		arm(d.queue[0].info.Deadline.Add(-armAhead))
	}
	d.mu.Unlock()
	for _, c := range due {
		c.armObserver()
	}
}

// armObserver registers the observer of c's deadline, unless c's cancellation is recorded.
// When this goroutine ran too late (the context is done already), it records the
// cancellation itself: an AfterFunc registered now would start its goroutine from here, and
// ctxtrail would take this goroutine for a canceller.
func (c *tctx) armObserver() {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.recorded:
	case c.Context.Err() != nil:
		c.recordObserved("")
	default:
		c.stopObserver = context.AfterFunc(c.Context, c.observe)
	}
}

// deadlineQueue is container/heap's min-heap of the contexts waiting for their observer;
// each knows its place (tctx.heapAt, the index + 1; 0 when out), so that a context
// cancelled early leaves in O(log n). deadlines.mu is held.
type deadlineQueue []*tctx

func (q deadlineQueue) Len() int           { return len(q) }
func (q deadlineQueue) Less(i, j int) bool { return q[i].info.Deadline.Before(q[j].info.Deadline) }

func (q deadlineQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].heapAt, q[j].heapAt = i+1, j+1
}

func (q *deadlineQueue) Push(x any) {
	c := x.(*tctx)
	*q = append(*q, c)
	c.heapAt = len(*q)
}

func (q *deadlineQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	c.heapAt = 0
	return c
}
