package main

import (
	"context"
	"example.com/analyze/tr"
	"io"
	"net"
	"net/http"
	"time"
)

func main() {
	stop := tr.Start()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Millisecond):
		case <-r.Context().Done():
		}
		io.WriteString(w, "ok")
	})}
	go srv.Serve(ln)
	for i := 0; i < 10; i++ {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err == nil {
			io.ReadAll(resp.Body)
			resp.Body.Close()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	srv.Shutdown(ctx)
	cancel()
	time.Sleep(700 * time.Millisecond)
	stop()
}
