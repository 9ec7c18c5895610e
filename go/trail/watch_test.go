package trail

import (
	"testing"
)

// TestWatchOncePerGoroutine: the fast path for a repeated Done (Err) remembers one
// goroutine per context; goroutines taking turns, and a new goroutine that reuses an
// exited one's runtime g (the runtime recycles them), each still get exactly one watch
// (errseen) event.
func TestWatchOncePerGoroutine(t *testing.T) {
	_ = tracing(t)
	get, stop := captureLog()
	defer stop()
	ctx, cancel := WithCancel(Background())
	id := ID(ctx)
	turn := func() {
		for i := 0; i < 3; i++ {
			_ = ctx.Done()
			_ = ctx.Err()
		}
	}
	var want int
	for round := 0; round < 2; round++ {
		turn() // this goroutine, again and again
		for j := 0; j < 5; j++ {
			done := make(chan struct{})
			go func() { turn(); close(done) }()
			<-done // exited: the next one may run on its g
			want++
		}
	}
	want++ // this goroutine
	cancel()
	turn()
	var watches, errseens int
	for _, e := range parseAll(t, get()) {
		switch {
		case e.Kind == "watch" && e.ID == id:
			watches++
		case e.Kind == "errseen" && e.ID == id:
			errseens++
		}
	}
	if watches != want || errseens != 1 {
		t.Fatalf("%d watch and %d errseen events, want %d and 1 (one per goroutine)", watches, errseens, want)
	}
}
