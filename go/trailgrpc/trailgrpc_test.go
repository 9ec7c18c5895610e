package trailgrpc

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ctxtrail/ctxtrail/go/internal/crosstest"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// A hand-written service (no generated code): Block and Stream report their context and
// wait until it is done, Echo answers at once.
type service struct{ got chan context.Context }

func (s *service) block(ctx context.Context) {
	s.got <- ctx
	<-ctx.Done()
}

func unary(name string, h func(s *service, ctx context.Context, in *wrapperspb.StringValue) (any, error)) grpc.MethodDesc {
	return grpc.MethodDesc{MethodName: name, Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
		in := new(wrapperspb.StringValue)
		if err := dec(in); err != nil {
			return nil, err
		}
		call := func(ctx context.Context, req any) (any, error) {
			return h(srv.(*service), ctx, req.(*wrapperspb.StringValue))
		}
		if icpt == nil {
			return call(ctx, in)
		}
		return icpt(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/test.S/" + name}, call)
	}}
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: "test.S",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{
		unary("Block", func(s *service, ctx context.Context, _ *wrapperspb.StringValue) (any, error) {
			s.block(ctx)
			return nil, ctx.Err()
		}),
		unary("Echo", func(s *service, ctx context.Context, in *wrapperspb.StringValue) (any, error) {
			s.got <- ctx
			return in, nil
		}),
	},
	Streams: []grpc.StreamDesc{{StreamName: "Stream", ServerStreams: true, ClientStreams: true,
		Handler: func(srv any, ss grpc.ServerStream) error {
			srv.(*service).block(ss.Context())
			return ss.Context().Err()
		}}},
}

// dial starts an in-process server with the server interceptors and returns a client, with
// the client interceptors unless plain.
func dial(t *testing.T, plain bool) (*grpc.ClientConn, chan context.Context) {
	svc := &service{got: make(chan context.Context, 1)}
	return connect(t, plain, func(srv *grpc.Server) { srv.RegisterService(&serviceDesc, svc) }), svc.got
}

// connect starts an in-process server with the server interceptors and the services register
// adds, and returns a client, with the client interceptors unless plain.
func connect(t *testing.T, plain bool, register func(*grpc.Server)) *grpc.ClientConn {
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.UnaryInterceptor(UnaryServerInterceptor()), grpc.StreamInterceptor(StreamServerInterceptor()))
	register(srv)
	go srv.Serve(lis)
	opts := []grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}
	if !plain {
		opts = append(opts, grpc.WithUnaryInterceptor(UnaryClientInterceptor()), grpc.WithStreamInterceptor(StreamClientInterceptor()))
	}
	cc, err := grpc.NewClient("passthrough:///bufnet", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close(); srv.Stop() })
	return cc
}

// TestCancelAcross: unary and stream calls carry the caller's deadline and identity; the
// client's cancel reaches the handler as a recorded stream reset, the cause in the client's
// abort, all with one request id.
func TestCancelAcross(t *testing.T) {
	for _, c := range []struct {
		name string
		call func(ctx context.Context, cc *grpc.ClientConn) error
	}{
		{"unary", func(ctx context.Context, cc *grpc.ClientConn) error {
			return cc.Invoke(ctx, "/test.S/Block", wrapperspb.String("x"), new(wrapperspb.StringValue))
		}},
		{"stream", func(ctx context.Context, cc *grpc.ClientConn) error {
			s, err := cc.NewStream(ctx, &serviceDesc.Streams[0], "/test.S/Stream")
			if err != nil {
				return err
			}
			return s.RecvMsg(new(wrapperspb.StringValue))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			events := crosstest.Tracing(t)
			cc, got := dial(t, false)
			ctx, cancel := trail.WithTimeout(trail.Background(), time.Hour)
			defer cancel()
			ctx, cancelCause := trail.WithCancelCause(ctx)
			want, _ := ctx.Deadline()
			sctx := crosstest.CancelMidCall(t, ctx, cancelCause, func() error { return c.call(ctx, cc) }, got)
			var rc *trail.RemoteCancelError
			if !errors.As(context.Cause(sctx), &rc) || rc.How != wire.HowReset {
				t.Errorf("server context's cause %v, want a remote cancel by reset", context.Cause(sctx))
			}
			crosstest.WaitFor(t, "both halves", func() bool {
				ev := crosstest.ByKind(events())
				_, abort := ev[wire.EventAbort]
				_, rcancel := ev[wire.EventRemoteCancel]
				return abort && rcancel
			})
			ev := crosstest.ByKind(events())
			send, abort, remote, rcancel := ev[wire.EventSend], ev[wire.EventAbort], ev[wire.EventRemote], ev[wire.EventRemoteCancel]
			if send.Request == 0 || abort.Request != send.Request || remote.Request != send.Request || rcancel.Request != send.Request {
				t.Fatalf("request ids differ: %+v", ev)
			}
			if send.ID != trail.ID(ctx) || remote.RemoteCtx != send.ID || remote.ID != trail.ID(sctx) || remote.Deadline != want.UnixNano() || remote.Flags != "t" {
				t.Errorf("send %+v remote %+v", send, remote)
			}
			if send.Target != remote.Target || remote.Transport != wire.TransportGRPC || abort.Cause != "user gave up" || rcancel.How != wire.HowReset {
				t.Errorf("send %+v remote %+v abort %+v remotecancel %+v", send, remote, abort, rcancel)
			}
		})
	}
}

// TestGRPCDeadlineOnly: a caller without the interceptors still bounds the handler by
// grpc-timeout (its expiry reaches the server as the client's stream reset or the server's own
// timer, whichever comes first); a call that completed records no remote cancel.
func TestGRPCDeadlineOnly(t *testing.T) {
	events := crosstest.Tracing(t)
	cc, got := dial(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := cc.Invoke(ctx, "/test.S/Block", wrapperspb.String("x"), new(wrapperspb.StringValue)); err == nil {
		t.Fatal("Block returned before its deadline")
	}
	sctx := <-got
	crosstest.WaitFor(t, "the server's deadline", func() bool { return sctx.Err() != nil })
	if d, ok := sctx.Deadline(); !ok || d.After(time.Now()) {
		t.Errorf("server context: deadline %v %v", d, ok)
	}
	if err := cc.Invoke(context.Background(), "/test.S/Echo", wrapperspb.String("x"), new(wrapperspb.StringValue)); err != nil {
		t.Fatal(err)
	}
	echo := <-got
	time.Sleep(5 * time.Millisecond) // a remotecancel would come from an AfterFunc goroutine
	if rc, ok := crosstest.ByKind(events())[wire.EventRemoteCancel]; ok && rc.ID == trail.ID(echo) {
		t.Errorf("a completed call was recorded as a remote cancel: %+v", rc)
	}
}
