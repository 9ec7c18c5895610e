package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/trace"
	"time"
)

// main serves on a local port, sends itself -requests requests, and shuts down; with -trace
// it records the whole run for `ctxtrail analyze`.
func main() {
	traceFile := flag.String("trace", "", "write an execution trace to this file")
	requests := flag.Int("requests", 5, "requests to send")
	flag.Parse()
	if *traceFile != "" {
		f, err := os.Create(*traceFile)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			log.Fatal(err)
		}
		defer trace.Stop()
	}
	root, stop := context.WithCancel(context.Background())
	quit, refreshed := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(refreshed)
		cache.refresh(root, 20*time.Millisecond, quit)
	}()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/quote", handleQuote)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	for i := 0; i < *requests; i++ {
		resp, err := http.Get(fmt.Sprintf("http://%s/quote?symbol=USD%d", ln.Addr(), i))
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(string(body))
	}
	http.DefaultClient.CloseIdleConnections()
	_ = srv.Shutdown(context.Background())
	close(quit)
	<-refreshed
	stop()
	time.Sleep(300 * time.Millisecond) // what outlives the requests shows in the trace
}
