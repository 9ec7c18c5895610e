// Scenario: a fan-in merges replica answers into one channel through a forwarder per replica;
// the consumer returns on cancel, and a replica that answers late hands its forwarder a value
// the forwarder then sends on with no select on Done(): it blocks forever, parked only after
// the cancel that ended its sibling consumer.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

// replica answers once after delay, then closes its channel; it does not watch the context.
func replica(delay time.Duration, v int) <-chan int {
	c := make(chan int)
	go func() {
		defer close(c)
		time.Sleep(delay)
		c <- v
	}()
	return c
}

func merge(srcs ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, s := range srcs {
		wg.Add(1)
		go func(s <-chan int) { // want blocked-forever creation
			defer wg.Done()
			for v := range s {
				out <- v // want blocked-forever block
			}
		}(s)
	}
	go func() { wg.Wait(); close(out) }() // want blocked-forever creation
	return out
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	out := merge(replica(20*time.Millisecond, 1), replica(250*time.Millisecond, 2))
	go func() {
		for {
			select {
			case v := <-out:
				fmt.Println("answer", v)
			case <-ctx.Done():
				return
			}
		}
	}()
	time.Sleep(150 * time.Millisecond)
	cancel() // want blocked-forever cancel
	time.Sleep(1500 * time.Millisecond)
	stop()
}
