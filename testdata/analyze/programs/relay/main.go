package main

import (
	"context"
	"example.com/analyze/tr"
	"time"
)

func stage(ctx context.Context, next context.CancelFunc, done chan struct{}) {
	<-ctx.Done()
	time.Sleep(20 * time.Millisecond) // cleanup before relaying
	next()
	close(done)
}

func main() {
	stop := tr.Start()
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	d1, d2 := make(chan struct{}), make(chan struct{})
	go stage(ctx1, cancel2, d1)
	go func() { <-ctx2.Done(); close(d2) }()
	time.Sleep(5 * time.Millisecond)
	cancel1() // want slow-propagation cancel
	<-d1
	<-d2
	time.Sleep(100 * time.Millisecond)
	stop()
}
