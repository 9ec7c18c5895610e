// http_leaking_handler with the companion module: the handler's deadline is trail.WithTimeout,
// so the trace carries the context's creation line (the WithTimeout call) and its cancel.
//
// A small HTTP search service on loopback whose handler gives its backend call a 3 ms deadline
// and hands the result over an unbuffered channel: when the deadline wins, the handler answers
// 504 and returns, and the goroutine it started blocks forever on the send nobody receives
// (the classic leak). Six requests, each timing out: six goroutines leak, one per request, each
// after its own request's deadline. The service keeps serving (idle) while the trace runs on.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"

	"ctxtrail.test/realworld/internal/tracefile"
)

const requests = 6

// slowBackend is the dependency the handler calls: slower than the handler will wait.
func slowBackend(q string) string {
	time.Sleep(30 * time.Millisecond)
	return "results for " + q
}

func search(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := trail.WithTimeout(r.Context(), 3*time.Millisecond)
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
