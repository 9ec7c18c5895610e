// Clean: the hand-rolled shutdown of many services: main starts a goroutine that waits for
// SIGINT and then cancels, and a pool of workers; when the jobs are done main cancels the workers
// itself. The signal goroutine never gets its signal and waits to the end, in main's care (was a
// false blocked-forever: the cancelled workers counted as siblings that could have woken it).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

func worker(ctx context.Context, jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case j := <-jobs:
			time.Sleep(time.Duration(j) * time.Millisecond)
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		<-sig
		fmt.Println("interrupted")
		cancel()
	}()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(ctx, jobs, &wg)
	}
	for j := 0; j < 10; j++ {
		jobs <- 10
	}
	time.Sleep(100 * time.Millisecond) // the last jobs finish; the workers wait on jobs and ctx
	cancel()
	wg.Wait()
	time.Sleep(1000 * time.Millisecond)
	stop()
}
