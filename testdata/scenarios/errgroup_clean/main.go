// Clean: an errgroup fetches several shards; one fails and the group's context cancels the
// others, which watch it and return at once. Wait returns the first error.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"scenarios/internal/tracefile"
)

var errShardDown = errors.New("shard unavailable")

// fetch simulates a request to one shard that takes latency, honouring ctx.
func fetch(ctx context.Context, shard int, latency time.Duration) (string, error) {
	if shard == 3 {
		time.Sleep(150 * time.Millisecond)
		return "", errShardDown
	}
	select {
	case <-time.After(latency):
		return fmt.Sprintf("shard %d", shard), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func fetchAll(ctx context.Context) ([]string, error) {
	g, ctx := errgroup.WithContext(ctx)
	results := make([]string, 5)
	for i := range results {
		g.Go(func() error {
			r, err := fetch(ctx, i, 2*time.Second)
			results[i] = r
			return err
		})
	}
	return results, g.Wait()
}

func main() {
	stop := tracefile.Start()
	_, err := fetchAll(context.Background())
	fmt.Println("fetchAll:", err)
	time.Sleep(900 * time.Millisecond)
	stop()
}
