// Command tracegen writes small real execution traces for ctxtrail's reader tests.
//
// Usage: go run ./tracegen MODE OUT.trace
//
//	busy       goroutines, channels, a mutex, a ticker, syscalls, allocation (GC) and a
//	           cancelled context whose children never return
//	annotated  user tasks, regions and logs (with quotes and control bytes), runtime.GC
//	cpu        CPU profile samples merged into the trace, GOMAXPROCS changes, and a
//	           second generation (it runs for about 1.3 s)
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tracegen busy|annotated|cpu OUT.trace")
		os.Exit(2)
	}
	modes := map[string]func(){"busy": busy, "annotated": annotated, "cpu": cpu}
	run, ok := modes[os.Args[1]]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
	f, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()
	run()
}

func busy() {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan int, 16)
	var sink [][]byte
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case n := <-work:
					mu.Lock()
					sink = append(sink, make([]byte, 1024*(n%64+1)))
					if len(sink) > 256 {
						sink = sink[:0]
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				os.Stat("/")
			case work <- i:
			}
		}
	}()
	// Children of a cancelled context that never return.
	child, stop := context.WithCancel(ctx)
	for i := 0; i < 4; i++ {
		go func() { <-child.Done(); select {} }()
	}
	wg.Wait()
	stop()
	time.Sleep(5 * time.Millisecond)
}

func annotated() {
	ctx, task := trace.NewTask(context.Background(), "request")
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sub, t := trace.NewTask(ctx, "subtask")
			defer t.End()
			trace.WithRegion(sub, "compute", func() {
				trace.Logf(sub, "step", "worker %d", i)
				spin(1e6)
			})
			time.Sleep(time.Millisecond)
			runtime.GC()
		}(i)
	}
	wg.Wait()
	task.End()
	trace.Log(context.Background(), "done", "\"quoted\"\tand\x01control \xff bytes")
}

func cpu() {
	if err := pprof.StartCPUProfile(discard{}); err != nil {
		panic(err)
	}
	defer pprof.StopCPUProfile()
	prev := runtime.GOMAXPROCS(1)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); spinFor(1300 * time.Millisecond) }()
	}
	wg.Wait()
	runtime.GOMAXPROCS(prev)
}

func spin(n int) int {
	x := 0
	for j := 0; j < n; j++ {
		x += j ^ (x >> 3)
	}
	return x
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// spinFor burns CPU for about d, so the trace crosses a generation boundary (1 s) with CPU
// samples in both generations.
func spinFor(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
		spin(1e5)
	}
}
