// Scenario (clean): main starts an admin endpoint that first warms up (loads its state for
// 150 ms) and then serves admin requests for the life of the process, and a batch of workers
// under a context. The batch is cancelled at 100 ms and the workers return; the admin loop, idle
// at its request queue from after that cancel, is not a leak: main may still send it requests.
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
