// A service serving net/http/pprof on loopback, for the tests of `ctxtrail capture`
// (tests/capture_test.cc). It listens on 127.0.0.1:0 and prints its port, alone on a line, on
// stdout once it is ready. It calls its own /work handler every 20 ms while it runs.
//
// With -leaky, /work starts a goroutine per request that computes the answer and sends it on an
// unbuffered channel; the handler gives up after 5 ms and returns, so the sender blocks forever
// (the leak). A few such requests are made before the port is printed, so the service already
// holds leaked goroutines when a capture starts. Without -leaky (the clean twin) the channel has
// room for the answer, and every sender ends.
//
// -fault makes the service misbehave in one way a capture must report:
//
//	404    answer 404 everywhere (not a pprof server)
//	500    /debug/pprof/trace answers 500: tracing is already on (the real handler's error)
//	html   answer 200 with an HTML page everywhere
//	cut    /debug/pprof/trace sends half a real trace, then closes the connection mid-body
//	short  /debug/pprof/trace sends half a real trace as a whole response (a trace cut short)
//	slow   /debug/pprof/trace answers nothing until the client gives up
//
// Every service also redirects (307) any path under /moved/ to the same path without /moved,
// and any path under /loop/ to itself; with -token T it answers 401 to a request without the
// header "Authorization: Bearer T".
//
// The process ends by itself after -lifetime, so a test that dies never leaves it running.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/trace"
	"strconv"
	"strings"
	"time"
)

var (
	leaky    = flag.Bool("leaky", false, "leak a goroutine per /work request")
	fault    = flag.String("fault", "", "404, 500, html, cut, short or slow")
	lifetime = flag.Duration("lifetime", 2*time.Minute, "exit after this long")
	token    = flag.String("token", "", "require the header Authorization: Bearer TOKEN")
)

// compute stands for the slow part of a request: a backend call that outlasts the handler's patience.
func compute(n int) int {
	time.Sleep(20 * time.Millisecond)
	return n * n
}

func work(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	room := 1
	if *leaky {
		room = 0
	}
	answer := make(chan int, room)
	go func() {
		answer <- compute(n) // leaky: nobody receives once the handler timed out
	}()
	select {
	case v := <-answer:
		fmt.Fprintln(w, v)
	case <-time.After(5 * time.Millisecond):
		http.Error(w, "backend too slow", http.StatusServiceUnavailable)
	}
}

func pprofMux(trace http.HandlerFunc) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/work", work)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", trace)
	return mux
}

// recordTrace traces this process for the request's seconds, as the real handler would.
func recordTrace(r *http.Request) []byte {
	seconds, err := strconv.ParseFloat(r.FormValue("seconds"), 64)
	if err != nil || seconds <= 0 {
		seconds = 1
	}
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		log.Fatal(err)
	}
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	trace.Stop()
	return buf.Bytes()
}

// cutTrace sends the first half of a real trace in a chunked response and closes the
// connection without the final chunk: the process died mid-download.
func cutTrace(w http.ResponseWriter, r *http.Request) {
	data := recordTrace(r)
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	half := data[:len(data)/2]
	fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
	fmt.Fprintf(rw, "%x\r\n", len(half))
	rw.Write(half)
	rw.WriteString("\r\n")
	rw.Flush()
}

// shortTrace answers the first half of a real trace as a complete response.
func shortTrace(w http.ResponseWriter, r *http.Request) {
	data := recordTrace(r)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(data[:len(data)/2])
}

func handler() http.Handler {
	traceHandler := pprof.Trace
	switch *fault {
	case "":
	case "404":
		return http.NotFoundHandler()
	case "500":
		// The real handler's 500: a second tracer cannot start while this one runs.
		if err := trace.Start(io.Discard); err != nil {
			log.Fatal(err)
		}
	case "html":
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body>It works.</body></html>\n")
		})
	case "cut":
		traceHandler = cutTrace
	case "short":
		traceHandler = shortTrace
	case "slow":
		traceHandler = func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(*lifetime):
			}
		}
	default:
		log.Fatalf("unknown -fault %q", *fault)
	}
	return pprofMux(traceHandler)
}

// redirectsAndAuth wraps a service in the redirects and the token check every mode has.
func redirectsAndAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if *token != "" && r.Header.Get("Authorization") != "Bearer "+*token {
			http.Error(w, "unauthorized: a bearer token is required", http.StatusUnauthorized)
			return
		}
		if rest, ok := strings.CutPrefix(r.URL.RequestURI(), "/moved/"); ok {
			http.Redirect(w, r, "/"+rest, http.StatusTemporaryRedirect)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/loop/") {
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	flag.Parse()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, redirectsAndAuth(handler()))
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 5 * time.Second}
	call := func(n int) {
		req, _ := http.NewRequest("GET", base+"/work?n="+strconv.Itoa(n), nil)
		req.Header.Set("Authorization", "Bearer "+*token)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	// Requests before the capture: with -leaky, leaked senders already parked.
	for n := 0; n < 5; n++ {
		call(n)
	}
	go func() {
		for n := 5; ; n++ {
			call(n)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, ln.Addr().(*net.TCPAddr).Port)
	out.Flush()
	time.Sleep(*lifetime)
}
