package main

import (
	"context"
	"example.com/analyze/tr"
	"sync"
	"time"
)

func worker(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	go func() { // want orphaned-goroutine creation
		for {
			time.Sleep(10 * time.Millisecond)
		}
	}()
	<-ctx.Done()
}

func main() {
	stop := tr.Start()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(ctx, &wg)
	time.Sleep(10 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(700 * time.Millisecond)
	stop()
}
