// Scenario: main calls gather, which fans lookups out to a pool of workers and collects their
// results until a 100 ms deadline. At the deadline gather returns what it has, and main goes on
// with its work. The workers never watch the context and send their results on an unbuffered
// channel: the ones that finish after the deadline block forever on a send nobody receives. (Was
// missed: with the creator, main.main, still running, nothing counted gather's return as the end
// of the collector.)
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
		results <- result{id, lookup(id)} // want orphaned-goroutine block
	}
}

// gather looks up ids 1..n within 100 ms and returns the results it got.
func gather(ctx context.Context, n int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	ids := make(chan int, n)
	// BUG: unbuffered, and the workers' sends do not watch ctx.
	results := make(chan result)
	for w := 0; w < n; w++ {
		go worker(ids, results) // want orphaned-goroutine creation
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
