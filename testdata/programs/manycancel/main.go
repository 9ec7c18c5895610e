// Command manycancel writes the trace of the analysis's scale benchmark, the shape of chi's
// TestMuxContextIsThreadSafe: 100 request loops serve N requests in all (1,000,000 by default);
// each request derives a context with WithCancel, hands its cancel to a goroutine of its own
// that calls it, and waits for the cancellation: N short-lived goroutines and N cancel waves,
// each waking a loop that goes on. Nothing leaks: `analyze` must say so, in a few lines.
//
//	manycancel OUT [N]
package main

import (
	"context"
	"log"
	"os"
	"strconv"
	"sync"

	"ctxtrail/testdata/programs/internal/traced"
)

const loops = 100

func serve(parent context.Context, requests int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < requests; i++ {
		ctx, cancel := context.WithCancel(parent)
		go func() { cancel() }()
		<-ctx.Done()
	}
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: manycancel OUT [N]")
	}
	n := 1000000
	if len(os.Args) > 2 {
		var err error
		if n, err = strconv.Atoi(os.Args[2]); err != nil || n < loops {
			log.Fatalf("N: want a number of at least %d, got %q", loops, os.Args[2])
		}
	}
	traced.Run(os.Args[1], func() {
		var wg sync.WaitGroup
		for l := 0; l < loops; l++ {
			wg.Add(1)
			go serve(context.Background(), n/loops, &wg)
		}
		wg.Wait()
	})
}
