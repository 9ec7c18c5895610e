// Command many parks N goroutines (default 100000) in a mix of waits with stacks a few frames
// deep and writes the goroutine profile with debug=2 to stdout: a large dump for benchmarks.
// Usage: go run ./many [-n N] > dump.txt
package main

import (
	"flag"
	"os"
	"runtime"
	"sync"
	"time"
)

// depth nests calls so stacks are as deep as a real server's.
func depth(n int, wait func()) {
	if n == 0 {
		wait()
		return
	}
	depth(n-1, wait)
}

func main() {
	n := flag.Int("n", 100000, "goroutines to park")
	flag.Parse()
	// Nothing sends on or closes these: a select between them never pairs up with a receiver.
	never, silent := make(chan int), make(chan int)
	var mu sync.Mutex
	mu.Lock()
	var started sync.WaitGroup
	for i := 0; i < *n; i++ {
		started.Add(1)
		var wait func()
		switch i % 4 {
		case 0:
			wait = func() { <-never }
		case 1:
			wait = func() {
				select {
				case <-never:
				case <-silent:
				}
			}
		case 2:
			wait = func() { mu.Lock() }
		default:
			wait = func() { time.Sleep(time.Hour) }
		}
		go func() {
			started.Done()
			depth(i%12, wait)
		}()
	}
	started.Wait()
	time.Sleep(500 * time.Millisecond)
	runtime.GC()
	// WriteTo(.., 2) gives up at 64 MB: print the whole dump from runtime.Stack directly.
	buf := make([]byte, 512<<20)
	os.Stdout.Write(buf[:runtime.Stack(buf, true)])
}
