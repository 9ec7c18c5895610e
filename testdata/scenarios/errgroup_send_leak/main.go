// Scenario: an errgroup fetches pages and streams them to the caller over an unbuffered channel,
// sending without watching the group's context. The caller stops at the first bad page and
// cancels; the fetchers still waiting for their page return, but those already blocked in
// their send, and the goroutine waiting on the group to close the channel, stay blocked forever.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"scenarios/internal/tracefile"
)

var errBadPage = errors.New("bad page")

type page struct {
	n   int
	bad bool
}

// fetch waits latency for page n, honouring ctx.
func fetch(ctx context.Context, n int, latency time.Duration) (page, error) {
	select {
	case <-time.After(latency):
		return page{n: n, bad: n == 0}, nil
	case <-ctx.Done():
		return page{}, ctx.Err()
	}
}

// crawl fetches pages 0..5 concurrently and checks them in arrival order.
func crawl(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	pages := make(chan page)
	for n := 0; n < 6; n++ {
		latency := time.Duration(n+1) * 10 * time.Millisecond
		if n >= 4 {
			latency = 5 * time.Second // slow pages: still in flight at the cancel
		}
		g.Go(func() error {
			p, err := fetch(gctx, n, latency)
			if err != nil {
				return err
			}
			pages <- p // BUG: no select on gctx.Done() // want blocked-forever block // want? leaked-goroutine block
			return nil
		})
	}
	go func() { // want blocked-forever creation
		g.Wait()
		close(pages)
	}()
	time.Sleep(100 * time.Millisecond) // the caller is busy; pages 0..3 are ready and waiting
	for p := range pages {
		if p.bad {
			return errBadPage
		}
	}
	return nil
}

func main() {
	stop := tracefile.Start()
	fmt.Println("crawl:", crawl(context.Background()))
	time.Sleep(1500 * time.Millisecond)
	stop()
}
