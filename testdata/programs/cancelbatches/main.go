// Command cancelbatches writes the trace of a busy process in the shape of chi's
// TestMuxContextIsThreadSafe: BATCHES batches (1,000 by default); in each, PER goroutines
// (1,000) wait on the Done channel of their own WithCancel child of a batch context; after
// 2 ms half of the children are cancelled one by one, each from a goroutine of its own, and the
// rest by cancelling the batch context. About a million and a half goroutines, so goroutine IDs
// cross 2^20 during the trace. Nothing leaks: every goroutine ends on its cancellation.
//
//	cancelbatches OUT [BATCHES [PER]]
package main

import (
	"context"
	"log"
	"os"
	"strconv"
	"sync"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func waitForCancel(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	<-ctx.Done()
}

func batch(per int) {
	parent, cancelAll := context.WithCancel(context.Background())
	cancels := make([]context.CancelFunc, per)
	var wg sync.WaitGroup
	wg.Add(per)
	for i := range cancels {
		ctx, cancel := context.WithCancel(parent)
		cancels[i] = cancel
		go waitForCancel(ctx, &wg)
	}
	time.Sleep(2 * time.Millisecond)
	var cancellers sync.WaitGroup
	cancellers.Add(per / 2)
	for i := 0; i < per/2; i++ {
		go func(cancel context.CancelFunc) {
			defer cancellers.Done()
			cancel()
		}(cancels[i])
	}
	cancellers.Wait()
	cancelAll()
	wg.Wait()
	for _, cancel := range cancels[per/2:] {
		cancel()
	}
}

func arg(i, def int) int {
	if len(os.Args) <= i {
		return def
	}
	n, err := strconv.Atoi(os.Args[i])
	if err != nil || n < 1 {
		log.Fatalf("bad argument %q", os.Args[i])
	}
	return n
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: cancelbatches OUT [BATCHES [PER]]")
	}
	batches, per := arg(2, 1000), arg(3, 1000)
	traced.Run(os.Args[1], func() {
		for b := 0; b < batches; b++ {
			batch(per)
		}
	})
}
