package trailgrpc

import (
	"context"
	"testing"

	"google.golang.org/grpc/metadata"
)

// TestReceiveAllocations: with tracing off, a call's link costs the contexts it derives and a
// copy of each value found (ValueFromIncomingContext's), not a copy of the whole metadata and
// lower-cased keys per call (28 allocations with the metadata below).
func TestReceiveAllocations(t *testing.T) {
	md := metadata.Pairs(":authority", "backend", "content-type", "application/grpc", "user-agent", "grpc-go/1.85.0",
		"ctxtrail-deadline", "1796676441161584489", "ctxtrail-timeout", "999902754", "ctxtrail-sent", "1796676440161584489")
	ctx := metadata.NewIncomingContext(context.Background(), md)
	n := testing.AllocsPerRun(100, func() {
		_, r := receive(ctx, "/pkg.S/M")
		r.Release()
	})
	if n > 17 {
		t.Errorf("receive: %v allocations per call, want at most 17", n)
	}
}
