// Program restart starts and stops tracing twice in one process and keeps only the second
// trace, whose generations continue the first run's numbering (its first generation is not 1)
// and whose goroutines already exist when it starts. Usage: restart OUT.trace
package main

import (
	"io"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func churn(wg *sync.WaitGroup, ch chan int) {
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range ch {
				time.Sleep(50 * time.Microsecond)
			}
		}()
	}
}

func main() {
	var wg sync.WaitGroup
	ch := make(chan int)
	churn(&wg, ch)
	if err := trace.Start(io.Discard); err != nil {
		panic(err)
	}
	for i := 0; i < 100; i++ {
		ch <- i
	}
	trace.Stop()

	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	for i := 0; i < 100; i++ {
		ch <- i
	}
	close(ch)
	wg.Wait()
	trace.Stop()
	if err := f.Close(); err != nil {
		panic(err)
	}
}
