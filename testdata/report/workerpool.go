// Command workerpool writes the execution trace used by ctxtrail's report and export tests:
// a pool of workers that stop when their context is cancelled, except one that ignores
// cancellation and keeps sleeping, and a goroutine blocked forever on a channel. Its log
// messages hold markup and quotes so the report's escaping is tested on a real trace.
//
//	go run workerpool.go -o workerpool.trace
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func worker(ctx context.Context, id int, jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			time.Sleep(time.Duration(j) * 100 * time.Microsecond)
		}
	}
}

// stubbornWorker sees the cancel and carries on anyway: it goes back to sleep in the same
// loop instead of returning.
func stubbornWorker(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	trace.Log(ctx, "worker", `<script>alert("x")</script> & "quotes" 'single' &amp; </script>`)
	for i := 0; i < 12; i++ {
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitForever blocks on a channel nobody sends to: a leak.
func waitForever(ch chan struct{}) { <-ch }

func producer(ctx context.Context, jobs chan<- int) {
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case jobs <- i%5 + 1:
		}
	}
}

func main() {
	out := flag.String("o", "workerpool.trace", "trace file to write")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tctx, task := trace.NewTask(ctx, `pool <b>"run"</b> &amp;`)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go worker(tctx, i, jobs, &wg)
	}
	wg.Add(1)
	go stubbornWorker(tctx, &wg)
	go producer(tctx, jobs)
	go waitForever(make(chan struct{}))
	time.Sleep(20 * time.Millisecond)
	cancel()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(700 * time.Millisecond): // longer than ctxtrail's default --grace
	}
	task.End()
	trace.Stop()
	f.Close()
}
