// derived-from-done: the client gave up (the request context is cancelled), and the handler
// still derives a timeout context from it and starts work under it.
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
	ctx, cancel := trail.WithTimeout(req, time.Second) // want derived-from-done context
	// want-text derived-from-done ", already done since [^;]*; work went on under it"
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
