// Clean twin of detached_background: the audit job is derived from the request's context.
package main

import (
	"context"
	"sync"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func audit(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	<-ctx.Done()
}

func handle(req context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	ctx, cancel := trail.WithCancel(req)
	defer cancel()
	job, cancelJob := trail.WithTimeout(ctx, 300*time.Millisecond)
	wg.Add(1)
	go func() {
		defer cancelJob()
		audit(job, wg)
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
	time.Sleep(20 * time.Millisecond)
	cancelReq()
	wg.Wait()
}
