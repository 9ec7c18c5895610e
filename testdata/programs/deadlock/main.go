// Program deadlock deadlocks under runtime/trace: main waits on a WaitGroup whose worker waits
// on a channel nobody sends to, and a second worker waits for a mutex main holds. Without the
// tracer Go would stop it with "all goroutines are asleep - deadlock!"; with it the program just
// stops moving, until a watchdog timer stops the trace and exits.
// Usage: deadlock OUT.trace
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func awaitJob(wg *sync.WaitGroup, jobs <-chan int) {
	defer wg.Done()
	<-jobs // nobody sends or closes: the deadlock
}

func takeLock(wg *sync.WaitGroup, mu *sync.Mutex) {
	defer wg.Done()
	mu.Lock() // main holds it while it waits for this goroutine
	mu.Unlock()
}

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	// The watchdog: a timer the program's own goroutines know nothing of.
	time.AfterFunc(time.Second, func() {
		trace.Stop()
		f.Close()
		os.Exit(0)
	})
	var wg sync.WaitGroup
	var mu sync.Mutex
	jobs := make(chan int)
	mu.Lock()
	wg.Add(2)
	go awaitJob(&wg, jobs)
	go takeLock(&wg, &mu)
	wg.Wait()
	mu.Unlock()
}
