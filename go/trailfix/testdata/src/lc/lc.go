package lc

import (
	"context"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
)

func discarded() {
	ctx, _ := trail.WithTimeout(trail.Background(), time.Second) // want `the cancel function returned by trail.WithTimeout should be called, not discarded, to avoid a context leak`
	_ = ctx
}

func notOnEveryPath(fail bool) error {
	ctx, cancel := trail.WithCancel(trail.Background()) // want `the cancel function is not used on all paths \(possible context leak\)`
	if fail {
		return ctx.Err() // want `this return statement may be reached without using the cancel var defined on line 16`
	}
	cancel()
	return nil
}

func deferred() error {
	ctx, cancel := trail.WithTimeout(trail.Background(), time.Second)
	defer cancel()
	return ctx.Err()
}

// context's own constructors are vet's lostcancel's to report, not this one's.
func plainIsVets() {
	ctx, _ := context.WithCancel(context.Background())
	_ = ctx
}
