// Clean twin of outer_capture: the helper goroutine watches the derived context.
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
	ctx, cancel := trail.WithTimeout(req, 10*time.Millisecond)
	defer cancel()
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-ctx.Done()
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
