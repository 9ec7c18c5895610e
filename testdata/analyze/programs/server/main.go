package main

import (
	"context"
	"example.com/analyze/tr"
	"time"
)

func handle(ctx context.Context, req int, out chan<- int) {
	ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	select {
	case <-time.After(time.Duration(req%3) * time.Millisecond):
		out <- req
	case <-ctx.Done():
	}
}

func main() {
	stop := tr.Start()
	ctx, cancel := context.WithCancel(context.Background())
	reqs := make(chan int)
	out := make(chan int, 1000)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case r := <-reqs:
				go handle(ctx, r, out)
			}
		}
	}()
	for i := 0; i < 100; i++ {
		reqs <- i
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	time.Sleep(600 * time.Millisecond)
	stop()
}
