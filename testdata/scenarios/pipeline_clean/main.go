// Clean: a three-stage pipeline (generate, square, merge) in which every send also watches the
// context. The consumer takes what it needs and cancels; every stage exits at once.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

func generate(ctx context.Context, nums ...int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for {
			for _, n := range nums {
				select {
				case out <- n:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

func square(ctx context.Context, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for n := range in {
			select {
			case out <- n * n:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func merge(ctx context.Context, ins ...<-chan int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range in {
				select {
				case out <- n:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	src := generate(ctx, 1, 2, 3, 4)
	out := merge(ctx, square(ctx, src), square(ctx, src), square(ctx, src))
	sum := 0
	for i := 0; i < 10; i++ {
		sum += <-out
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	for range out { // drain until every stage has closed its channel
	}
	fmt.Println("sum", sum)
	time.Sleep(800 * time.Millisecond)
	stop()
}
