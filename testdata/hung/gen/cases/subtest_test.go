//go:build hungcorpus

// ctxtrail's own hung-test case (not GoKer): a t.Run subtest hangs while its parent
// test waits in t.Run. The subtest waits for a reply from a worker that waits for a
// start signal the subtest never sends.
// Built into the hung-test package by testdata/hung/gen only (tag hungcorpus).

package hung

import "testing"

func replyWorker(start <-chan struct{}, reply chan<- int) {
	<-start // the subtest never sends on start nor closes it: this line can never proceed
	reply <- 42
}

func TestSubtestHang(t *testing.T) {
	t.Run("fast", func(t *testing.T) {}) // a subtest that passes, before the stuck one
	t.Run("stuck", func(t *testing.T) {
		start := make(chan struct{})
		reply := make(chan int)
		go replyWorker(start, reply)
		if got := <-reply; got != 42 { // the subtest waits on replyWorker forever
			t.Errorf("reply = %d, want 42", got)
		}
	})
}
