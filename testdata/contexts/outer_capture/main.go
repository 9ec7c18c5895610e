// watcher-outlived-context: the handler derives a short timeout for its work, but the helper
// goroutine's closure captures the outer request context instead of the derived one, so it
// keeps running long after the timeout, until the whole request ends.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func handle(req context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	ctx, cancel := trail.WithTimeout(req, 10*time.Millisecond) // want watcher-outlived-context context
	defer cancel()
	wg.Add(1)
	go func() { // want watcher-outlived-context creation
		defer wg.Done()
		<-req.Done() // the outer context, not ctx
	}()
	<-ctx.Done()
}

func main() {
	stop := tracefile.Start()
	defer stop()
	req, cancelReq := trail.WithCancel(trail.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go handle(req, &wg)
	time.Sleep(250 * time.Millisecond)
	cancelReq()
	wg.Wait()
}
