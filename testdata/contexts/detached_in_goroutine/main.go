// detached-context inside a goroutine: a request handler starts a job in a `go func` whose
// first act is to make a fresh Background context. The new goroutine has no context of its
// own yet: it works under its creator's (the handler's) context as of its go statement, so
// the job outlives the request it belongs to.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

// refresh is started by main before any request exists: its Background contexts are roots,
// not detached (main worked under no context at its go statement).
func refresh(quit <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	time.Sleep(10 * time.Millisecond) // the request exists by now
	for {
		ctx, cancel := trail.WithTimeout(trail.Background(), 50*time.Millisecond)
		select {
		case <-quit:
			cancel()
			return
		case <-ctx.Done():
		case <-time.After(5 * time.Millisecond):
		}
		cancel()
	}
}

func handle(req context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	ctx, cancel := trail.WithCancel(req)
	defer cancel()
	wg.Add(1)
	go func() { // want detached-context creation
		defer wg.Done()
		bg := trail.Background() // want detached-context context
		job, cancelJob := trail.WithTimeout(bg, 300*time.Millisecond)
		defer cancelJob()
		<-job.Done()
	}()
	<-ctx.Done()
}

func main() {
	stop := tracefile.Start()
	defer stop()
	quit, refreshed := make(chan struct{}), make(chan struct{})
	go refresh(quit, refreshed)
	req, cancelReq := trail.WithCancel(trail.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go handle(req, &wg)
	time.Sleep(20 * time.Millisecond)
	cancelReq()
	wg.Wait()
	close(quit)
	<-refreshed
}
