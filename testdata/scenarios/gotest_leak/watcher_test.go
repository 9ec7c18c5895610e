package gotestleak

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestWatchClosed(t *testing.T) {
	w := Watch("blue")
	defer w.Close()
	if got := w.Get(); got != "blue" {
		t.Fatalf("Get() = %q, want blue", got)
	}
}

func TestWatchForgetsClose(t *testing.T) {
	w := Watch("green") // want leaked-goroutine test
	if got := w.Get(); got != "green" {
		t.Fatalf("Get() = %q, want green", got)
	}
	// BUG: no w.Close(): the watcher's goroutine outlives the test.
}

func TestServerReplies(t *testing.T) {
	s := Start()
	defer s.Stop()
	s.Submit("ping")
	if got := <-s.Replies; got != "PING" {
		t.Fatalf("reply = %q, want PING", got)
	}
}

func TestServerIgnoresReply(t *testing.T) {
	s := Start() // want leaked-goroutine test
	s.Submit("fire and forget")
	time.Sleep(20 * time.Millisecond)
	s.Stop()
	// BUG: nobody reads the reply: the handler, started by the accept loop, blocks forever.
}

func TestPollStopped(t *testing.T) {
	var n atomic.Int32
	stop := Poll(5*time.Millisecond, func() { n.Add(1) })
	time.Sleep(30 * time.Millisecond)
	stop()
	if n.Load() == 0 {
		t.Fatal("never polled")
	}
}

func TestPollForgetsStop(t *testing.T) {
	var n atomic.Int32
	Poll(20*time.Millisecond, func() { n.Add(1) }) // want leaked-goroutine test
	time.Sleep(30 * time.Millisecond)
	if n.Load() == 0 {
		t.Fatal("never polled")
	}
	// BUG: the stop function is dropped: the poller keeps ticking after the test.
}

func TestLast(t *testing.T) {
	// Keeps the binary (and the trace) running well past the leaking tests.
	time.Sleep(900 * time.Millisecond)
}
