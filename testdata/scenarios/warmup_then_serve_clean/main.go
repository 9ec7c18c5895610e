// Scenario (clean): main starts two admin endpoints, one with a go statement in main.main and
// one through a helper that returns its request queue; each first warms up (loads its state for
// 150 ms) and then serves requests for the life of the process. A batch of workers under a
// context is cancelled at 100 ms and the workers return; the admin loops, idle at their request
// queues from after that cancel, are not leaks: main may still send them requests.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type adminReq struct{ reply chan string }

func admin(reqs <-chan adminReq) {
	time.Sleep(150 * time.Millisecond) // load state
	for r := range reqs {
		r.reply <- "ok"
	}
}

// startMetrics starts the metrics endpoint and returns its request queue.
func startMetrics() chan<- adminReq {
	reqs := make(chan adminReq)
	go admin(reqs)
	return reqs
}

func worker(ctx context.Context, id int, wg *sync.WaitGroup) {
	defer wg.Done()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func main() {
	stop := tracefile.Start()
	reqs := make(chan adminReq)
	go admin(reqs)
	metrics := startMetrics()
	defer close(metrics)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(ctx, i, &wg)
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	fmt.Println("batch done")
	time.Sleep(1500 * time.Millisecond) // serving
	stop()
}
