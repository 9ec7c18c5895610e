// Package gotestbackgroundclean is a clean scenario traced with `go test -trace`: the package
// starts one process-wide flush daemon in init, as logging and metrics libraries do. It lives for
// the life of the test binary, started by no test, so no test leaked it.
package gotestbackgroundclean

import (
	"sync"
	"time"
)

var (
	mu      sync.Mutex
	pending []string
	flushed int
)

func init() {
	go func() {
		for range time.Tick(time.Minute) {
			Flush()
		}
	}()
}

// Record buffers one line.
func Record(line string) {
	mu.Lock()
	defer mu.Unlock()
	pending = append(pending, line)
}

// Flush writes out the buffered lines.
func Flush() {
	mu.Lock()
	defer mu.Unlock()
	flushed += len(pending)
	pending = nil
}
