// Program sched exercises the scheduler: goroutines, channels, select, mutexes, WaitGroup,
// sync.Cond, timers, tickers and sleeps. Usage: sched OUT.trace
package main

import (
	"os"
	"runtime"
	"sync"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func main() {
	traced.Run(os.Args[1], work)
}

func work() {
	var wg sync.WaitGroup
	// A pipeline of unbuffered and buffered channels.
	src := make(chan int)
	mid := make(chan int, 4)
	done := make(chan struct{})
	wg.Add(3)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			src <- i
		}
		close(src)
	}()
	go func() {
		defer wg.Done()
		for v := range src {
			mid <- v * 2
		}
		close(mid)
	}()
	go func() {
		defer wg.Done()
		sum := 0
		for v := range mid {
			sum += v
		}
		_ = sum
		close(done)
	}()

	// Select over channels and timers.
	tick := time.NewTicker(200 * time.Microsecond)
	timeout := time.After(20 * time.Millisecond)
loop:
	for {
		select {
		case <-tick.C:
		case <-done:
			done = nil
		case <-timeout:
			break loop
		}
	}
	tick.Stop()

	// Contended mutex and a condition variable.
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := 0
	counter := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 500; j++ {
				mu.Lock()
				counter++
				if j%100 == 0 {
					runtime.Gosched()
				}
				mu.Unlock()
			}
			mu.Lock()
			ready++
			cond.Broadcast()
			mu.Unlock()
		}()
	}
	mu.Lock()
	for ready < 8 {
		cond.Wait()
	}
	mu.Unlock()

	// Sleepers and a RWMutex.
	var rw sync.RWMutex
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 100 * time.Microsecond)
			if i%3 == 0 {
				rw.Lock()
				time.Sleep(50 * time.Microsecond)
				rw.Unlock()
			} else {
				rw.RLock()
				rw.RUnlock()
			}
		}(i)
	}
	wg.Wait()
}
