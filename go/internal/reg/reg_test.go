package reg

import "testing"

func TestGoid(t *testing.T) {
	a := Goid()
	ch := make(chan int64)
	go func() { ch <- Goid() }()
	if b := <-ch; a == 0 || b == 0 || a == b {
		t.Fatalf("goids %d %d", a, b)
	}
}

func BenchmarkGoid(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Goid()
	}
}
