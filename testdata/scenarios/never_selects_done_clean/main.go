// Clean twin of never_selects_done: the dispatcher closes the jobs channel when it stops, so the
// pool workers leave their range loops and exit with it.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type job struct{ id int }

func (j job) do() { time.Sleep(5 * time.Millisecond) }

// worker runs jobs until the jobs channel is closed.
func worker(jobs <-chan job) {
	for j := range jobs {
		j.do()
	}
}

// serve dispatches requests to a pool of three workers until ctx is cancelled.
func serve(ctx context.Context, requests <-chan job) {
	jobs := make(chan job)
	defer close(jobs) // ends the workers' range loops
	for i := 0; i < 3; i++ {
		go worker(jobs)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-requests:
			jobs <- r
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	requests := make(chan job)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serve(ctx, requests)
	}()
	for i := 0; i < 6; i++ {
		requests <- job{id: i}
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	fmt.Println("server stopped")
	time.Sleep(1500 * time.Millisecond)
	stop()
}
