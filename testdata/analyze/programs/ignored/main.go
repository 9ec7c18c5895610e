package main

import (
	"context"
	"example.com/analyze/tr"
	"sync"
	"time"
)

func watcher(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	select {
	case <-ctx.Done():
	}
}

func ignorer(ctx context.Context, ch chan int) {
	<-ctx.Done()
	<-ch // want cancel-ignored block
}

func main() {
	stop := tr.Start()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go watcher(ctx, &wg)
	}
	go ignorer(ctx, make(chan int))
	tctx, tcancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer tcancel()
	wg.Add(1)
	go watcher(tctx, &wg)
	time.Sleep(20 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(600 * time.Millisecond)
	stop()
}
