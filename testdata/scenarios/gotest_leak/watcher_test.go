package gotestleak

import (
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

func TestLast(t *testing.T) {
	// Keeps the binary (and the trace) running well past the leaking tests.
	time.Sleep(700 * time.Millisecond)
}
