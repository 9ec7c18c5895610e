//go:build planted

// The planted bugs. Each line marked `// planted RULE` is where `ctxtrail analyze` must report
// that rule (scripts/quote-example checks it).
package main

import (
	"context"
	"time"
)

// callContext loses the cancel func: the call's timer lives on after the call returned.
func callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	call, _ := context.WithTimeout(ctx, 50*time.Millisecond) // planted lost-cancel
	return call, func() {}
}

func afterRequest(ctx context.Context, symbol string) {
	// An audit that never selects on Done: once the caller stops waiting, its send blocks
	// forever.
	audited := make(chan string)
	go func() { // planted blocked-forever
		time.Sleep(5 * time.Millisecond)
		audited <- symbol
	}()
	select {
	case <-audited:
	case <-time.After(time.Millisecond):
	}

	// A detached job: a fresh Background inside a `go func` started by the request.
	go func() {
		job, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond) // planted detached-context
		defer cancel()
		<-job.Done()
	}()

	// A log write after the request, under a timeout derived from the request's context once
	// it is done, and nobody checks the error.
	go func() {
		<-ctx.Done()
		write, cancel := context.WithTimeout(ctx, time.Second) // planted derived-from-done
		defer cancel()
		_, _ = backends[1].quote(write, symbol)
	}()
}
