// Program spinleak is the interval budget's load: a few goroutines that spin (channel
// ping-pong, runtime.Gosched loops), each making millions of state intervals, and then leak
// blocked forever after the goroutine that started them returned (leaked-goroutine), so that
// the goroutines of findings are the busiest of the trace; and a watcher of a cancelled
// context that spins, wakes on the cancel, spins again, and blocks on a channel nobody sends
// on (cancel-ignored). The leaks stay parked for a second and a half before the trace stops,
// longer than ctxtrail's grace. Usage: spinleak OUT.trace SECONDS
package main

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

// never is received from by the leaked goroutines: nothing sends on it.
var never = make(chan int)

// pingPong passes a token back and forth with its partner until stop, then leaks.
func pingPong(stop *atomic.Bool, in <-chan int, out chan<- int, first bool) {
	if first {
		out <- 0
	}
	for v := range in {
		if stop.Load() {
			break
		}
		out <- v + 1
	}
	<-never
}

// yielder gives up its P in a tight loop until stop, then leaks.
func yielder(stop *atomic.Bool) {
	for !stop.Load() {
		runtime.Gosched()
	}
	<-never
}

// watcher spins until its context is cancelled (checking Done between yields), waits for the
// cancel, spins again as if cleaning up, and then blocks on a channel nobody sends on.
func watcher(ctx context.Context, stop *atomic.Bool, ready chan<- struct{}) {
	for !stop.Load() {
		runtime.Gosched()
	}
	close(ready)
	select {
	case <-ctx.Done():
	case <-never:
	}
	for i := 0; i < 200_000; i++ {
		runtime.Gosched()
	}
	<-never
}

// startSpinners starts the spinners and returns, as a request handler would: they outlive it.
func startSpinners(stop *atomic.Bool, started chan<- struct{}) {
	for pair := 0; pair < 2; pair++ {
		a, b := make(chan int), make(chan int)
		go pingPong(stop, a, b, true)
		go pingPong(stop, b, a, false)
	}
	for i := 0; i < 2; i++ {
		go yielder(stop)
	}
	close(started)
}

func main() {
	secs, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		panic(err)
	}
	traced.Run(os.Args[1], func() {
		var stop atomic.Bool
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan struct{})
		go startSpinners(&stop, started)
		<-started
		ready := make(chan struct{})
		go watcher(ctx, &stop, ready)
		time.Sleep(time.Duration(secs * float64(time.Second)))
		stop.Store(true)
		<-ready
		time.Sleep(time.Millisecond)
		cancel()
		time.Sleep(1500 * time.Millisecond)
	})
}
