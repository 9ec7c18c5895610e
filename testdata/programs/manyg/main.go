// Command manyg writes the trace of the report's scale benchmark: N goroutines (100,000 by
// default) that each take one job, work briefly and then either end or wait for the
// cancellation of a shared context, which main cancels at the end (one wave waking half).
//
//	manyg OUT [N]
package main

import (
	"context"
	"log"
	"os"
	"runtime/trace"
	"strconv"
	"sync"
	"time"
)

func worker(ctx context.Context, id int, jobs <-chan int, started, done *sync.WaitGroup) {
	defer done.Done()
	job := <-jobs
	started.Done()
	sum := 0
	for k := 0; k < 200+job%300; k++ {
		sum += k * id
	}
	if id%2 == 0 {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(time.Minute):
	}
	_ = sum
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: manyg OUT [N]")
	}
	n := 100000
	if len(os.Args) > 2 {
		var err error
		if n, err = strconv.Atoi(os.Args[2]); err != nil {
			log.Fatal(err)
		}
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	jobs := make(chan int, 1024)
	var started, done sync.WaitGroup
	started.Add(n)
	done.Add(n)
	for i := 0; i < n; i++ {
		go worker(ctx, i, jobs, &started, &done)
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	started.Wait()
	time.Sleep(10 * time.Millisecond)
	cancel()
	done.Wait()
	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
