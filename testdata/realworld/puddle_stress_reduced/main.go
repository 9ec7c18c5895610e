// A reduced reproduction of github.com/jackc/puddle/v2 v2.2.4's TestStress pattern, on puddle
// itself: eight workers loop until a finish channel closes, 300 ms in. Each call either
// acquires a resource from a pool of four with context.Background() and holds it up to 100 ms,
// or makes a fresh context.WithTimeout of under 2 µs for one Acquire (its deadline fires while
// the worker waits for the pool's semaphore, or before) and holds what it got for a moment.
// Deadline waves wake workers all the time; each returns from Acquire and goes on to its next
// call. A worker ends only when finish closes, a reason no deadline had a part in, however
// long after its last deadline that is. Then the pool is closed. Nothing is slow, nothing
// leaks: no finding.
package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/jackc/puddle/v2"

	"ctxtrail.test/realworld/internal/tracefile"
)

const workers = 8

func worker(pool *puddle.Pool[int], finish <-chan struct{}, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for {
		select {
		case <-finish:
			return
		default:
		}
		if rng.IntN(2) == 0 {
			res, err := pool.Acquire(context.Background())
			if err != nil {
				continue
			}
			time.Sleep(time.Duration(rng.IntN(100)) * time.Millisecond)
			res.Release()
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(2000))*time.Nanosecond)
		res, err := pool.Acquire(ctx)
		cancel()
		if err != nil {
			continue // deadline exceeded: try again
		}
		time.Sleep(time.Duration(rng.IntN(2000)) * time.Nanosecond)
		res.Release()
	}
}

func main() {
	stop := tracefile.Start()
	pool, err := puddle.NewPool(&puddle.Config[int]{
		Constructor: func(context.Context) (int, error) { return 1, nil },
		Destructor:  func(int) {},
		MaxSize:     4,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	finish := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker(pool, finish, uint64(i))
		}()
	}
	time.AfterFunc(300*time.Millisecond, func() { close(finish) })
	wg.Wait()
	pool.Close()
	time.Sleep(50 * time.Millisecond)
	stop()
}
