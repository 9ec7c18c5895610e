package trailgrpc

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// receive derives the handler's context from the call's context and the caller's metadata:
// values and gRPC's own deadline kept, the caller's deadline applied when earlier, and the
// client's cancel (a stream reset) recorded before it reaches the handler.
func receive(ctx context.Context, method string) (context.Context, *trail.Remote) {
	l := trail.DecodeLink(func(k string) string {
		// One key at a time: FromIncomingContext would copy the whole metadata per call.
		if v := metadata.ValueFromIncomingContext(ctx, metadataKey[k]); len(v) > 0 {
			return v[0]
		}
		return ""
	})
	return trail.ReceiveRequest(ctx, l, wire.TransportGRPC, method, wire.HowReset)
}

// UnaryServerInterceptor serves each call with the context derived from what the caller's
// interceptor sent (trail.ReceiveRequest).
func UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, remote := receive(ctx, info.FullMethod)
		defer remote.Release()
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streams.
func StreamServerInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, remote := receive(ss.Context(), info.FullMethod)
		defer remote.Release()
		return handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
	}
}

type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }
