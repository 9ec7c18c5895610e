// Command backend serves xproc.Work/Do over gRPC: ten 20 ms steps of work, checking its
// context between steps. Planted bug -ignore-cancel: the steps never look at the context, so
// the client's cancel, which reaches this process as a stream reset, stops nothing. Planted
// bug -leak-on-cancel: each step's result comes from a goroutine of its own over an unbuffered
// channel, and a step the cancel ends leaves that goroutine blocked on its send for good.
package main

import (
	"context"
	"flag"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"ctxtrail/testdata/xproc/internal/work"
	"github.com/ctxtrail/ctxtrail/go/trailgrpc"
)

var (
	ignoreCancel = flag.Bool("ignore-cancel", false, "planted bug: work on after the caller cancelled")
	leakOnCancel = flag.Bool("leak-on-cancel", false, "planted bug: a cancelled step leaves its helper blocked")
)

// do is the work: ten steps, each ended early by the context unless the bug is planted.
func do(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
	steps := func(ctx context.Context) error { return work.Steps(ctx, *ignoreCancel) }
	if *leakOnCancel {
		steps = work.LeakySteps
	}
	if err := steps(ctx); err != nil {
		return nil, err
	}
	return wrapperspb.String("done: " + in.GetValue()), nil
}

func main() {
	tracePath := flag.String("trace", "backend.trace", "execution trace written until exit")
	addrFile := flag.String("addr-file", "", "write the listening address here once listening")
	flag.Parse()
	defer work.Begin("backend", *tracePath)()
	lis := work.Listen(*addrFile)
	srv := grpc.NewServer(grpc.UnaryInterceptor(trailgrpc.UnaryServerInterceptor()))
	srv.RegisterService(work.ServiceDesc(), work.Handler(do))
	go srv.Serve(lis)
	work.ServeUntilSignal()
	srv.Stop()
}
