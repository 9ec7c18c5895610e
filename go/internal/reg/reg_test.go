package reg

import (
	"runtime"
	"testing"
)

func TestGoid(t *testing.T) {
	a := Goid()
	ch := make(chan int64)
	go func() { ch <- Goid() }()
	if b := <-ch; a == 0 || b == 0 || a == b {
		t.Fatalf("goids %d %d", a, b)
	}
}

// TestGoidMatchesStack: the fast path reads the very id runtime.Stack prints, on fresh
// goroutines too (a reused g carries the new goroutine's id).
func TestGoidMatchesStack(t *testing.T) {
	if haveGetg && goidOffset == 0 {
		t.Fatalf("no goid offset found in the runtime's g on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	t.Logf("goid offset %d", goidOffset)
	for i := 0; i < 50; i++ {
		ch := make(chan [2]int64)
		go func() { ch <- [2]int64{Goid(), stackGoid()} }()
		if ids := <-ch; ids[0] != ids[1] {
			t.Fatalf("Goid %d, runtime.Stack says %d", ids[0], ids[1])
		}
	}
}

func BenchmarkGoid(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Goid()
	}
}
