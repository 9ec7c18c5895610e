// Program pprofhttp serves net/http/pprof on 127.0.0.1 (a free port), keeps a few HTTP clients
// busy against it, and downloads /debug/pprof/trace?seconds=1 into OUT.trace, as an operator
// would from a live service. Usage: pprofhttp OUT.trace
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Microsecond)
		fmt.Fprintln(w, "hello")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()

	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 5000 && !stop.Load(); n++ {
				resp, err := http.Get(base + "/hello")
				if err != nil {
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				time.Sleep(time.Millisecond)
			}
		}()
	}
	resp, err := http.Get(base + "/debug/pprof/trace?seconds=1")
	if err != nil {
		panic(err)
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		panic(err)
	}
	resp.Body.Close()
	stop.Store(true)
	wg.Wait()
	srv.Close()
	if err := f.Close(); err != nil {
		panic(err)
	}
}
