package a

import "context"

// No constructor: nothing to report.
func k(ctx context.Context) error { return context.Cause(ctx) }
