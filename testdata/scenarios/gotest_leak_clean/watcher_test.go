// Package gotestleakclean is the clean twin of gotest_leak: the same watcher and server, whose
// tests all stop what they start.
package gotestleakclean

import (
	"sync/atomic"
	"testing"
	"time"

	"scenarios/gotest_leak"
)

func TestWatchClosed(t *testing.T) {
	w := gotestleak.Watch("blue")
	defer w.Close()
	if got := w.Get(); got != "blue" {
		t.Fatalf("Get() = %q, want blue", got)
	}
}

func TestWatchGreen(t *testing.T) {
	w := gotestleak.Watch("green")
	defer w.Close()
	if got := w.Get(); got != "green" {
		t.Fatalf("Get() = %q, want green", got)
	}
}

func TestServerReplies(t *testing.T) {
	s := gotestleak.Start()
	defer s.Stop()
	s.Submit("ping")
	if got := <-s.Replies; got != "PING" {
		t.Fatalf("reply = %q, want PING", got)
	}
}

func TestServerStopsAfterReply(t *testing.T) {
	s := gotestleak.Start()
	s.Submit("fire and forget")
	time.Sleep(20 * time.Millisecond)
	<-s.Replies
	s.Stop()
}

func TestPollStopped(t *testing.T) {
	var n atomic.Int32
	stop := gotestleak.Poll(5*time.Millisecond, func() { n.Add(1) })
	time.Sleep(30 * time.Millisecond)
	stop()
	if n.Load() == 0 {
		t.Fatal("never polled")
	}
}

func TestPollStoppedByCleanup(t *testing.T) {
	var n atomic.Int32
	t.Cleanup(gotestleak.Poll(20*time.Millisecond, func() { n.Add(1) }))
	time.Sleep(30 * time.Millisecond)
	if n.Load() == 0 {
		t.Fatal("never polled")
	}
}

func TestLast(t *testing.T) {
	// Keeps the binary (and the trace) running well past the other tests.
	time.Sleep(900 * time.Millisecond)
}
