// Package trailgrpc carries a context's deadline and ctxtrail identity across gRPC, beside
// gRPC's own deadline propagation (grpc-timeout): client interceptors send them in metadata
// (the Ctxtrail-* carrier keys in lower case, docs/trail-events.md), server interceptors
// derive the handler's context from them, and both record their half of the call as ctxtrail
// trace events, including when the server learnt that the client cancelled (the stream reset
// gRPC turns into the cancel of the server's context).
//
// It is a module of its own (github.com/ctxtrail/ctxtrail/go/trailgrpc) so that the
// companion module stays free of dependencies.
package trailgrpc

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// send records the call (while tracing) and returns ctx with the link in its outgoing metadata,
// in place of any link already there (a proxy forwarding its incoming metadata: the server
// would read its caller's, the first value of each key).
func send(ctx context.Context, method string) (context.Context, trail.Link) {
	l := trail.Send(ctx, wire.TransportGRPC, method)
	if md, ok := metadata.FromOutgoingContext(ctx); ok && hasLink(md) {
		for _, k := range wire.Headers {
			delete(md, metadataKey[k])
		}
		l.Encode(func(k, v string) { md.Set(k, v) })
		return metadata.NewOutgoingContext(ctx, md), l
	}
	var kv []string
	l.Encode(func(k, v string) { kv = append(kv, metadataKey[k], v) })
	return metadata.AppendToOutgoingContext(ctx, kv...), l
}

// metadataKey is each carrier header's metadata key (lower case), made once rather than per call.
var metadataKey = func() map[string]string {
	m := make(map[string]string, len(wire.Headers))
	for _, k := range wire.Headers {
		m[k] = strings.ToLower(k)
	}
	return m
}()

func hasLink(md metadata.MD) bool {
	for _, k := range wire.Headers {
		if len(md.Get(k)) > 0 {
			return true
		}
	}
	return false
}

// UnaryClientInterceptor sends each call's deadline and identity, and records the call and,
// when its context ended first, the abort with its cause.
func UnaryClientInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		out, l := send(ctx, method)
		err := invoker(out, method, req, reply, cc, opts...)
		if err != nil {
			trail.SendAborted(ctx, l) // if it failed because ctx ended
		}
		return err
	}
}

// StreamClientInterceptor is UnaryClientInterceptor for streams: the stream is under way until
// RecvMsg returns an error (io.EOF included) or, for a client-streaming method, its one
// answer; a cancel before then is recorded as an abort.
func StreamClientInterceptor() grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		out, l := send(ctx, method)
		cs, err := streamer(out, desc, cc, method, opts...)
		if err != nil {
			trail.SendAborted(ctx, l)
			return nil, err
		}
		if l.Request == 0 { // not tracing: nothing to record
			return cs, nil
		}
		return &clientStream{ClientStream: cs, serverStreams: desc.ServerStreams,
			stop: context.AfterFunc(ctx, func() { trail.SendAborted(ctx, l) })}, nil
	}
}

type clientStream struct {
	grpc.ClientStream
	serverStreams bool // else the one answer ends the call (client streaming), no io.EOF follows
	stop          func() bool
}

func (s *clientStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err != nil || !s.serverStreams {
		s.stop() // the stream is over: a later cancel aborts nothing
	}
	return err
}
