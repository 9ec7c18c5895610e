// The clean twin of http_leaking_handler: the same service, whose handler hands the backend's
// result over a channel with room for it, so the goroutine it started finishes its send and
// ends after the handler has given up on it. Nothing leaks; nothing is to be reported.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"ctxtrail.test/realworld/internal/tracefile"
)

const requests = 6

// slowBackend is the dependency the handler calls: slower than the handler will wait.
func slowBackend(q string) string {
	time.Sleep(30 * time.Millisecond)
	return "results for " + q
}

func search(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Millisecond)
	defer cancel()
	result := make(chan string, 1) // buffered: the send completes even when nobody receives
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

	client := &http.Client{Timeout: time.Second}
	for i := 0; i < requests; i++ {
		resp, err := client.Get(fmt.Sprintf("http://%s/search?q=%d", ln.Addr(), i))
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
		time.Sleep(15 * time.Millisecond) // the next request comes after this one's goroutine leaked
	}
	// The service stays up, idle, as a live capture would find it.
	time.Sleep(400 * time.Millisecond)
	stop()
}
