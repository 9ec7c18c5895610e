// Program pool is the report's showcase of a worker pool at shutdown: 200 workers share a
// context that main cancels after 100 ms. 170 fast workers select on ctx.Done() and return at
// once; 28 slow workers only check ctx.Err() between 50 ms sleeps, so they end up to a sleep
// later with no wake from the cancel; 2 leaky workers, woken by the cancel, then try to report
// on a results channel nobody reads any more and block there forever (cancel-ignored). The
// trace runs a second past the cancel, longer than ctxtrail's grace. Usage: pool OUT.trace
package main

import (
	"context"
	"log"
	"os"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func fastWorker(ctx context.Context, jobs <-chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-jobs:
		}
	}
}

func slowWorker(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
}

func leakyWorker(ctx context.Context, results chan<- error) {
	<-ctx.Done()
	results <- ctx.Err() // nobody receives any more
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: pool OUT.trace")
	}
	traced.Run(os.Args[1], func() {
		ctx, cancel := context.WithCancel(context.Background())
		jobs := make(chan int)
		results := make(chan error)
		for i := 0; i < 170; i++ {
			go fastWorker(ctx, jobs)
		}
		for i := 0; i < 28; i++ {
			go slowWorker(ctx)
		}
		for i := 0; i < 2; i++ {
			go leakyWorker(ctx, results)
		}
		for i := 0; i < 1000; i++ {
			jobs <- i
		}
		time.Sleep(100 * time.Millisecond)
		cancel()
		time.Sleep(time.Second)
	})
}
