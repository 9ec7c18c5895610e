// Clean twin of derived_from_done: the handler checks the request first.
package main

import (
	"context"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func query(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(5 * time.Millisecond):
		return nil
	}
}

func handle(req context.Context) {
	if req.Err() != nil {
		return
	}
	ctx, cancel := trail.WithTimeout(req, time.Second)
	defer cancel()
	_ = query(ctx)
}

func main() {
	stop := tracefile.Start()
	defer stop()
	req, cancelReq := trail.WithCancel(trail.Background())
	cancelReq() // the client went away
	done := make(chan struct{})
	go func() {
		defer close(done)
		handle(req)
	}()
	<-done
	time.Sleep(10 * time.Millisecond)
}
