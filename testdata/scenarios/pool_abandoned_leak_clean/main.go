// Clean twin of pool_abandoned_leak: the results channel has room for every worker's result, so
// the workers that finish after gather's deadline complete their send and exit.
package main

import (
	"context"
	"fmt"
	"time"

	"scenarios/internal/tracefile"
)

type result struct {
	id  int
	val string
}

// lookup is a slow call that takes no context.
func lookup(id int) string {
	time.Sleep(time.Duration(60*id) * time.Millisecond)
	return fmt.Sprint("v", id)
}

func worker(ids <-chan int, results chan<- result) {
	for id := range ids {
		results <- result{id, lookup(id)}
	}
}

// gather looks up ids 1..n within 100 ms and returns the results it got.
func gather(ctx context.Context, n int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	ids := make(chan int, n)
	results := make(chan result, n) // a slot for every result: late workers never block
	for w := 0; w < n; w++ {
		go worker(ids, results)
	}
	for i := 1; i <= n; i++ {
		ids <- i
	}
	close(ids)
	var out []string
	for len(out) < n {
		select {
		case r := <-results:
			out = append(out, r.val)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

func main() {
	stop := tracefile.Start()
	got, err := gather(context.Background(), 4)
	fmt.Println("gather:", len(got), "results,", err)
	time.Sleep(1500 * time.Millisecond) // main goes on with other work
	stop()
}
