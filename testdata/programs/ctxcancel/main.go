// Program ctxcancel exercises context cancellation: WithCancel trees, WithTimeout,
// WithDeadline, WithCancelCause and AfterFunc, with workers that watch ctx.Done().
// Usage: ctxcancel OUT.trace
package main

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func main() {
	traced.Run(os.Args[1], work)
}

func worker(ctx context.Context, wg *sync.WaitGroup, jobs <-chan int) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			time.Sleep(time.Duration(j%5) * 20 * time.Microsecond)
		}
	}
}

func work() {
	var wg sync.WaitGroup
	root, cancelRoot := context.WithCancel(context.Background())

	// A two-level tree: cancelling the root reaches every leaf.
	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		child, cancel := context.WithCancel(root)
		defer cancel()
		for k := 0; k < 3; k++ {
			wg.Add(1)
			go worker(child, &wg, jobs)
		}
	}
	for i := 0; i < 100; i++ {
		jobs <- i
	}
	cancelRoot()
	wg.Wait()

	// Timeouts and deadlines firing on their own.
	for i := 0; i < 5; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i+1)*time.Millisecond)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ctx.Done()
		}()
		defer cancel()
	}
	dl, cancelDL := context.WithDeadline(context.Background(), time.Now().Add(3*time.Millisecond))
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-dl.Done()
	}()
	wg.Wait()
	cancelDL()

	// Cancel with a cause, and AfterFunc callbacks.
	cc, cancelCause := context.WithCancelCause(context.Background())
	stopped := make(chan struct{})
	stop := context.AfterFunc(cc, func() { close(stopped) })
	defer stop()
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-cc.Done()
		_ = context.Cause(cc)
	}()
	time.Sleep(time.Millisecond)
	cancelCause(errors.New("shutting down"))
	<-stopped
	wg.Wait()
}
