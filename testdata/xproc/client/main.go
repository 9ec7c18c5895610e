// Command client calls the gateway's /work with a 1 s deadline and gives up after 60 ms (the
// backend's work takes 200 ms): the cancel should stop the gateway's call and the backend's work.
package main

import (
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"time"

	"ctxtrail/testdata/xproc/internal/work"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailhttp"
)

func main() {
	tracePath := flag.String("trace", "client.trace", "execution trace written until exit")
	gateway := flag.String("gateway", "", "the gateway's address")
	giveUp := flag.Duration("give-up", 60*time.Millisecond, "cancel the request after this long")
	flag.Parse()
	defer work.Begin("client", *tracePath)()
	ctx, cancel := trail.WithTimeout(trail.Background(), time.Second)
	defer cancel()
	ctx, giveUpNow := trail.WithCancelCause(ctx)
	time.AfterFunc(*giveUp, func() { giveUpNow(errors.New("client gave up")) })
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+*gateway+"/work?job=report", nil)
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: trailhttp.Transport(nil)}
	resp, err := client.Do(req)
	if err != nil {
		log.Printf("client: %v", err) // the transport recorded the abort before returning
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	log.Printf("client: %s", body)
}
