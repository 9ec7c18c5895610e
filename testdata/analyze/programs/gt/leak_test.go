package gt

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestLeaks(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- 1 // want leaked-goroutine block
	}()
	time.Sleep(time.Millisecond)
}

func TestClean(t *testing.T) {
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ctx.Done()
		}()
	}
	time.Sleep(time.Millisecond)
	cancel()
	wg.Wait()
}

func TestParallel(t *testing.T) {
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "b" {
				go func() {
					select {} // want leaked-goroutine block
				}()
			}
			time.Sleep(2 * time.Millisecond)
		})
	}
}
