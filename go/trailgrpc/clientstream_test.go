package trailgrpc

import (
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// uploadDesc is a client-streaming method: the client sends, closes, and gets one answer.
var uploadDesc = grpc.ServiceDesc{
	ServiceName: "test.C",
	HandlerType: (*any)(nil),
	Streams: []grpc.StreamDesc{{StreamName: "Upload", ClientStreams: true,
		Handler: func(_ any, ss grpc.ServerStream) error {
			m := new(wrapperspb.StringValue)
			for ss.RecvMsg(m) == nil {
			}
			return ss.SendMsg(m)
		}}},
}

// TestClientStreamDone: a client-streaming call is over when RecvMsg returns its one answer
// (nil, no io.EOF follows): cancelling the context afterwards (a deferred cancel) aborts
// nothing.
func TestClientStreamDone(t *testing.T) {
	events := crosstest.Tracing(t)
	cc := connect(t, false, func(srv *grpc.Server) { srv.RegisterService(&uploadDesc, struct{}{}) })

	ctx, cancel := trail.WithCancel(trail.Background())
	s, err := cc.NewStream(ctx, &uploadDesc.Streams[0], "/test.C/Upload")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SendMsg(wrapperspb.String("x")); err != nil {
		t.Fatal(err)
	}
	s.CloseSend()
	if err := s.RecvMsg(new(wrapperspb.StringValue)); err != nil {
		t.Fatal(err)
	}
	cancel()
	time.Sleep(5 * time.Millisecond) // an abort would come from an AfterFunc goroutine
	if a, ok := crosstest.ByKind(events())[wire.EventAbort]; ok {
		t.Errorf("a finished client stream was recorded as aborted: %+v", a)
	}
}
