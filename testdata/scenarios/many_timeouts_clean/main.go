// Clean: batches of short-lived lookups, each batch under its own 30 ms timeout (one lookup in a
// batch always times out); every lookup watches the batch's context and every batch waits for
// its lookups. Thousands of goroutines and constant allocation: the GC often readies goroutines
// from inside context.WithTimeout (a mark assist), which is no cancellation.
package main

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"scenarios/internal/tracefile"
)

func lookup(ctx context.Context, id int, out chan<- int) {
	d := time.Duration(rand.Intn(3000)) * time.Microsecond
	if id == 0 {
		d = 80 * time.Millisecond // slower than the batch timeout
	}
	select {
	case <-time.After(d):
		select {
		case out <- id:
		case <-ctx.Done():
		}
	case <-ctx.Done():
	}
}

func batch(parent context.Context, n int) int64 {
	ctx, cancel := context.WithTimeout(parent, 30*time.Millisecond)
	defer cancel()
	out := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			lookup(ctx, id, out)
		}(i)
	}
	wg.Wait()
	close(out)
	var got int64
	for range out {
		got++
	}
	return got
}

func main() {
	stop := tracefile.Start()
	var total atomic.Int64
	var wg sync.WaitGroup
	for b := 0; b < 20; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total.Add(batch(context.Background(), 500))
		}()
	}
	wg.Wait()
	fmt.Println("lookups answered", total.Load() > 0)
	time.Sleep(600 * time.Millisecond)
	stop()
}
