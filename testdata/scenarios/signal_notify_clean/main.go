// Clean: a service runs under signal.NotifyContext (its stop func deferred in main, so the
// os/signal watcher goroutine lives to the end); a supervisor timer cancels a derived context,
// the workers return on it and main waits for them. The signal watcher shares no channel with
// the workers.
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

func work(ctx context.Context, id int, out chan<- string) {
	for i := 0; ; i++ {
		buf := make([]byte, 16<<10) // allocation-heavy work
		select {
		case out <- fmt.Sprintf("%d:%d:%d", id, i, len(buf)):
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	stop := tracefile.Start()
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stopSignals()
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan string, 16)
	var wg sync.WaitGroup
	for id := 0; id < 4; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(ctx, id, out)
		}()
	}
	n := 0
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for range out {
			n++
		}
	}()
	time.AfterFunc(200*time.Millisecond, cancel)
	<-ctx.Done()
	wg.Wait()
	close(out)
	<-drained
	fmt.Println("messages", n > 0)
	time.Sleep(800 * time.Millisecond)
	stop()
}
