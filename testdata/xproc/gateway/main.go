// Command gateway serves GET /work over HTTP by calling the backend over gRPC with the
// request's context. Planted bug -drop-deadline: the backend call gets a fresh 30 s timeout
// instead of the request's context, so the client's deadline (and cancel) stop at the gateway.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"ctxtrail/testdata/xproc/internal/work"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailgrpc"
	"github.com/ctxtrail/ctxtrail/go/trailhttp"
)

var dropDeadline = flag.Bool("drop-deadline", false, "planted bug: call the backend with a fresh timeout")

func main() {
	tracePath := flag.String("trace", "gateway.trace", "execution trace written until exit")
	backend := flag.String("backend", "", "the backend's address")
	addrFile := flag.String("addr-file", "", "write the listening address here once listening")
	flag.Parse()
	defer work.Begin("gateway", *tracePath)()
	cc, err := grpc.NewClient(*backend, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithUnaryInterceptor(trailgrpc.UnaryClientInterceptor()))
	if err != nil {
		log.Fatal(err)
	}
	defer cc.Close()
	http.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if *dropDeadline {
			var cancel context.CancelFunc
			ctx, cancel = trail.WithTimeout(trail.Background(), 30*time.Second) // the bug
			defer cancel()
		}
		out := new(wrapperspb.StringValue)
		if err := cc.Invoke(ctx, work.Method, wrapperspb.String(r.URL.Query().Get("job")), out); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintln(w, out.GetValue())
	})
	srv := &http.Server{Handler: trailhttp.Handler(http.DefaultServeMux)}
	go srv.Serve(work.Listen(*addrFile))
	work.ServeUntilSignal()
	srv.Close()
}
