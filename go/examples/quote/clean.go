//go:build !planted

package main

import (
	"context"
	"time"
)

// callContext bounds one backend call.
func callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, 50*time.Millisecond)
}

// afterRequest: nothing outlives the request in the clean build.
func afterRequest(ctx context.Context, symbol string) {}
