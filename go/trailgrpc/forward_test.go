package trailgrpc

import (
	"context"
	"strconv"
	"testing"
	"time"

	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// TestForwardedMetadataReplaced: a proxy that forwards its incoming metadata as outgoing (a
// common gRPC pattern) must not pass its caller's link on as this call's: the server sees this
// hop's request id only, and nothing of the caller's link this hop does not send.
func TestForwardedMetadataReplaced(t *testing.T) {
	events := crosstest.Tracing(t)
	cc, got := dial(t, false)
	ctx, cancel := trail.WithTimeout(trail.Background(), time.Hour)
	defer cancel()
	ctx = metadata.NewOutgoingContext(ctx, metadata.Pairs("ctxtrail-request", "42", "ctxtrail-process", "43", "other", "kept"))
	if err := cc.Invoke(ctx, "/test.S/Echo", wrapperspb.String("x"), new(wrapperspb.StringValue)); err != nil {
		t.Fatal(err)
	}
	md, _ := metadata.FromIncomingContext(<-got)
	send := crosstest.ByKind(events())[wire.EventSend]
	if r := md.Get("ctxtrail-request"); len(r) != 1 || r[0] != strconv.FormatUint(send.Request, 10) {
		t.Errorf("ctxtrail-request %q, want only this call's %d", r, send.Request)
	}
	if p := md.Get("ctxtrail-process"); len(p) != 1 || p[0] == "43" {
		t.Errorf("ctxtrail-process %q", p)
	}
	if o := md.Get("other"); len(o) != 1 {
		t.Errorf("other metadata lost: %q", o)
	}
}

// TestForwardedMetadataTracingOff: with tracing off and no deadline, nothing of the caller's
// link leaves with a forwarded metadata.
func TestForwardedMetadataTracingOff(t *testing.T) {
	cc, got := dial(t, false)
	plain := metadata.NewOutgoingContext(context.Background(), metadata.Pairs("ctxtrail-request", "42", "ctxtrail-deadline", "1"))
	if err := cc.Invoke(plain, "/test.S/Echo", wrapperspb.String("x"), new(wrapperspb.StringValue)); err != nil {
		t.Fatal(err)
	}
	md, _ := metadata.FromIncomingContext(<-got)
	if r, d := md.Get("ctxtrail-request"), md.Get("ctxtrail-deadline"); len(r)+len(d) != 0 {
		t.Errorf("forwarded with tracing off: request %q deadline %q", r, d)
	}
}
