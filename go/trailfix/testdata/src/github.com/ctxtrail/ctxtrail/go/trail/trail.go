// Package trail is a stub of the real package for the analyzer's tests.
package trail

import (
	"context"
	"time"
)

func Background() context.Context { return context.Background() }
func TODO() context.Context       { return context.TODO() }
func WithCancel(p context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(p)
}
func WithTimeout(p context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(p, d)
}
func AfterFunc(ctx context.Context, f func()) func() bool { return context.AfterFunc(ctx, f) }
func ID(ctx context.Context) uint64                       { return 0 }
