// http_leaking_handler with concurrent clients: three clients, each on its own connection,
// send three requests each at the same time, so the handlers' 3 ms deadlines (main.go:33)
// fire interleaved, on three connection goroutines. Each timed-out handler leaves the
// goroutine it started (main.go:36) blocked forever on its unbuffered send (main.go:37):
// nine leaks, each after its own request's deadline, which only its own handler observed.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"ctxtrail.test/realworld/internal/tracefile"
)

const (
	clients  = 3
	requests = 3 // per client
)

// slowBackend is the dependency the handler calls: slower than the handler will wait.
func slowBackend(q string) string {
	time.Sleep(30 * time.Millisecond)
	return "results for " + q
}

func search(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Millisecond)
	defer cancel()
	result := make(chan string) // BUG: unbuffered; nobody receives once the deadline wins
	go func() {
		result <- slowBackend(r.URL.Query().Get("q"))
	}()
	select {
	case res := <-result:
		fmt.Fprintln(w, res)
	case <-ctx.Done():
		http.Error(w, "backend timeout", http.StatusGatewayTimeout)
	}
}

func main() {
	stop := tracefile.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/search", search)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)

	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One connection per client: its own transport.
			client := &http.Client{Timeout: time.Second, Transport: &http.Transport{}}
			for i := 0; i < requests; i++ {
				resp, err := client.Get(fmt.Sprintf("http://%s/search?q=%d-%d", ln.Addr(), c, i))
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusGatewayTimeout {
					// Every request must time out for the case to be what it says.
					fmt.Fprintln(os.Stderr, "want 504, got", resp.Status)
					os.Exit(1)
				}
				time.Sleep(4 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	// The service stays up, idle, as a live capture would find it.
	time.Sleep(400 * time.Millisecond)
	stop()
}
