// Clean twin of fanin_forwarder_leak: each forwarder sends in a select on ctx.Done(), so the
// late answer is dropped and every forwarder, and the closer, return.
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

func merge(ctx context.Context, srcs ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, s := range srcs {
		wg.Add(1)
		go func(s <-chan int) {
			defer wg.Done()
			for v := range s {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}(s)
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	out := merge(ctx, replica(20*time.Millisecond, 1), replica(250*time.Millisecond, 2))
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
	cancel()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
