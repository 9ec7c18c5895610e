// Clean: an HTTP server on 127.0.0.1 serves requests, one of them slow and watching its request
// context, then shuts down gracefully with Shutdown once the client has closed its idle connections.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

func handler(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/slow" {
		select {
		case <-time.After(150 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
	}
	fmt.Fprintf(w, "hello %s\n", r.URL.Path)
}

func main() {
	stop := tracefile.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(handler)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	tr := &http.Transport{}
	client := &http.Client{Transport: tr, Timeout: 2 * time.Second}
	var wg sync.WaitGroup
	for _, path := range []string{"/a", "/b", "/slow"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get("http://" + ln.Addr().String() + path)
			if err != nil {
				fmt.Println(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	tr.CloseIdleConnections() // the client is done

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		fmt.Println("shutdown:", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		fmt.Println("serve:", err)
	}
	time.Sleep(800 * time.Millisecond)
	stop()
}
