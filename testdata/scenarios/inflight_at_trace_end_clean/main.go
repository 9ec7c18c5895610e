// Clean: the trace stops while background work is in flight. A request handler starts a
// prefetch and returns; the prefetch, waiting on a slow backend, is parked when the trace ends,
// but only for 200 ms after its creator ended, less than the grace: the trace cannot tell it from
// a leak yet, so it must not call it one.
package main

import (
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

var cache sync.Map

// prefetch loads the rows for q into the cache; the backend answers after a second.
func prefetch(q string) {
	time.Sleep(time.Second)
	cache.Store(q, "rows for "+q)
}

// handle answers from the cache and warms it for next time without waiting.
func handle(q string, done chan<- struct{}) {
	if _, ok := cache.Load(q); !ok {
		go prefetch(q)
	}
	fmt.Println("served", q)
	close(done)
}

func main() {
	stop := tracefile.Start()
	time.Sleep(100 * time.Millisecond)
	done := make(chan struct{})
	go handle("SELECT 1", done)
	<-done
	time.Sleep(200 * time.Millisecond) // the trace stops with the prefetch in flight
	stop()
}
