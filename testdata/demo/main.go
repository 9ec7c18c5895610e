// Program checkout is ctxtrail's bundled example: a request handler whose context is
// cancelled by its deadline, with one worker that follows the cancellation, one that
// ignores it and blocks again, one that cleans up slowly, and one that never watches the
// context at all. It writes its execution trace to the file named by its first argument.
//
// Rebuild the bundled trace with: scripts/make-demo
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

type order struct{ id int }

// fetchPrices watches its context and returns as soon as it is cancelled: healthy.
func fetchPrices(ctx context.Context, wg *sync.WaitGroup, in <-chan order) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case o := <-in:
			_ = o
		}
	}
}

// reserveStock wakes up on cancellation but then blocks again on a channel that nobody
// drains any more: the cancel is noticed and ignored.
func reserveStock(ctx context.Context, confirmations chan<- string) {
	select {
	case <-ctx.Done():
		confirmations <- "released" // nobody receives: blocks for ever
	case <-time.After(time.Hour):
	}
}

// flushAudit exits on cancellation, but only after a slow cleanup.
func flushAudit(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	<-ctx.Done()
	time.Sleep(120 * time.Millisecond) // slow cleanup after cancel
}

// sendReceipt never looks at ctx: it waits for a result the cancelled handler will never send.
func sendReceipt(results <-chan string) {
	r := <-results
	fmt.Fprintln(os.Stderr, "receipt", r)
}

// handle serves one request under a 100ms deadline and returns when the deadline passes.
func handle(parent context.Context, done chan<- struct{}) {
	defer close(done)
	ctx, cancel := context.WithTimeout(parent, 100*time.Millisecond)
	defer cancel()

	var wg sync.WaitGroup
	in := make(chan order)
	results := make(chan string)
	confirmations := make(chan string)
	wg.Add(2)
	go fetchPrices(ctx, &wg, in)
	go flushAudit(ctx, &wg)
	go reserveStock(ctx, confirmations)
	go sendReceipt(results)
	for i := 0; i < 10; i++ {
		in <- order{id: i}
	}
	<-ctx.Done() // the deadline fires; results is never sent
	wg.Wait()
}

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	done := make(chan struct{})
	go handle(context.Background(), done)
	<-done
	time.Sleep(1500 * time.Millisecond) // long past the 500ms grace: the leaks stay parked
	trace.Stop()
	f.Close()
}
