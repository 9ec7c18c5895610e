package trail

import (
	"container/heap"
	"math/rand"
	"testing"
	"time"
)

// TestDeadlineQueueOrderAndPlaces: contexts leave the queue earliest deadline first, and a
// context taken out from the middle (cancelled before its deadline) leaves exactly itself:
// its recorded place must follow every swap, or heap.Remove takes out another context.
func TestDeadlineQueueOrderAndPlaces(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	base := time.Unix(1_000_000, 0)
	var q deadlineQueue
	all := make([]*tctx, 200)
	for i := range all {
		all[i] = &tctx{}
		all[i].info = &all[i].infoVal
		all[i].info.Deadline = base.Add(time.Duration(rng.Intn(1000)) * time.Millisecond)
		heap.Push(&q, all[i])
	}
	removed := map[*tctx]bool{}
	for _, i := range rng.Perm(len(all))[:80] {
		c := all[i]
		if got := heap.Remove(&q, c.heapAt-1).(*tctx); got != c {
			t.Fatalf("removing context %d took out another", i)
		}
		if c.heapAt != 0 {
			t.Fatalf("a removed context keeps place %d", c.heapAt)
		}
		removed[c] = true
	}
	for i, c := range q {
		if c.heapAt != i+1 {
			t.Fatalf("context at %d records place %d", i, c.heapAt)
		}
	}
	var last time.Time
	for n := 0; q.Len() > 0; n++ {
		c := heap.Pop(&q).(*tctx)
		if removed[c] || c.info.Deadline.Before(last) {
			t.Fatalf("pop %d: deadline %v after %v (removed: %v)", n, c.info.Deadline, last, removed[c])
		}
		last = c.info.Deadline
	}
}
