package main

import (
	"context"
	"example.com/analyze/tr"
	"time"
)

func call(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel()
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func serve(jobs chan time.Duration, done chan struct{}) {
	for d := range jobs {
		call(context.Background(), d)
	}
	close(done)
}

func main() {
	stop := tr.Start()
	jobs := make(chan time.Duration)
	done := make(chan struct{})
	go serve(jobs, done)
	for i := 0; i < 20; i++ {
		if i%2 == 0 {
			jobs <- time.Millisecond
		} else {
			jobs <- 20 * time.Millisecond
		}
	}
	time.Sleep(600 * time.Millisecond)
	close(jobs)
	<-done
	stop()
}
