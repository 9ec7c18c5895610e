package main

import (
	"context"
	"example.com/analyze/tr"
	"sync"
	"time"
)

func main() {
	stop := tr.Start()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // want slow-cancel-exit block
	}()
	time.Sleep(5 * time.Millisecond)
	cancel()
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	stop()
}
