// Package work is what the three programs share: the backend's gRPC service (hand-written,
// no generated code: one unary method on wrapperspb strings), each process's trace file and
// the servers' start and stop.
package work

import (
	"context"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime/trace"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ctxtrail/ctxtrail/go/trail"
)

// Method is the backend's one method.
const Method = "/xproc.Work/Do"

// Handler is the backend's implementation of Do.
type Handler func(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error)

// ServiceDesc registers h as the xproc.Work service.
func ServiceDesc() *grpc.ServiceDesc {
	return &grpc.ServiceDesc{
		ServiceName: "xproc.Work",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Do", Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := srv.(Handler)
			call := func(ctx context.Context, req any) (any, error) { return h(ctx, req.(*wrapperspb.StringValue)) }
			if icpt == nil {
				return call(ctx, in)
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: Method}, call)
		}}},
	}
}

// Begin names this process in its traces and writes its execution trace to path until the
// returned func is called.
func Begin(name, path string) (end func()) {
	trail.SetProcessName(name)
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	return func() { trace.Stop(); f.Close() }
}

// Listen listens on a free loopback port and writes its address to addrFile, for run.sh.
func Listen(addrFile string) net.Listener {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(addrFile, []byte(lis.Addr().String()), 0o644); err != nil {
		log.Fatal(err)
	}
	return lis
}

// ServeUntilSignal returns on SIGTERM or SIGINT, a moment later: a handler that ignored a
// cancel is then seen working on in the trace.
func ServeUntilSignal() {
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	<-ctx.Done()
	time.Sleep(250 * time.Millisecond)
}

// Steps is the work of the backend and of the Job: ten 20 ms steps, each ended early by ctx,
// unless ignoreCancel plants the bug of never looking at it.
func Steps(ctx context.Context, ignoreCancel bool) error {
	for step := 0; step < 10; step++ {
		if ignoreCancel {
			time.Sleep(20 * time.Millisecond) // the bug: the context is never looked at
			continue
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// LeakySteps is Steps with planted bug -leak-on-cancel: each step's result comes from a
// goroutine of its own over an unbuffered channel; when ctx ends first, the step returns and
// that goroutine blocks on its send for as long as the process lives.
func LeakySteps(ctx context.Context) error {
	for step := 0; step < 10; step++ {
		result := make(chan int)
		go func() {
			time.Sleep(20 * time.Millisecond)
			result <- step // the bug: nobody receives once ctx ended
		}()
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-result:
		}
	}
	return nil
}
