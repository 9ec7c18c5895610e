package a

import (
	"context"
	"fmt"
	"time"
)

// f keeps using context.Context, so the context import stays.
func f(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want `context.WithCancel can use trail.WithCancel`
	defer cancel()
	tctx, tcancel := context.WithTimeoutCause(ctx, time.Second, fmt.Errorf("slow")) // want `context.WithTimeoutCause can use trail.WithTimeoutCause`
	defer tcancel()
	stop := context.AfterFunc(tctx, func() {}) // want `context.AfterFunc can use trail.AfterFunc`
	defer stop()
	d := context.WithoutCancel(context.TODO()) // want `context.WithoutCancel can use trail.WithoutCancel` `context.TODO can use trail.TODO`
	mk := context.WithCancelCause              // want `context.WithCancelCause can use trail.WithCancelCause`
	_, _ = mk(d)
	_ = context.Canceled
	return ctx.Err()
}
