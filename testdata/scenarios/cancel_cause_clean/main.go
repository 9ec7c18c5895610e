// Clean: a supervisor stops its workers with WithCancelCause, giving the reason; each worker
// watches the context, reports the cause and exits at once.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

var errReload = errors.New("config reloaded")

func worker(ctx context.Context, id int, tasks <-chan string, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			fmt.Printf("worker %d stopping: %v\n", id, context.Cause(ctx))
			return
		case t := <-tasks:
			_ = t
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancelCause(context.Background())
	tasks := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(ctx, i, tasks, &wg)
	}
	for i := 0; i < 8; i++ {
		tasks <- fmt.Sprintf("task %d", i)
	}
	time.Sleep(200 * time.Millisecond)
	cancel(errReload)
	wg.Wait()
	time.Sleep(800 * time.Millisecond)
	stop()
}
