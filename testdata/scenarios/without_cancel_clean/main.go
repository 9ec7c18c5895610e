// Clean: a request handler records an audit entry after replying, under
// context.WithoutCancel and its own timeout, so the write survives the request's cancellation on
// purpose; it outlives the cancelled handler briefly and finishes on its own.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type auditLog struct {
	mu      sync.Mutex
	entries []string
}

// write stores entry, taking latency, unless ctx ends first.
func (a *auditLog) write(ctx context.Context, entry string, latency time.Duration) error {
	select {
	case <-time.After(latency):
		a.mu.Lock()
		defer a.mu.Unlock()
		a.entries = append(a.entries, entry)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handle serves one request until the client goes away, auditing it in the background.
func handle(ctx context.Context, audit *auditLog, wg *sync.WaitGroup, req string) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		if err := audit.write(actx, "served "+req, 150*time.Millisecond); err != nil {
			fmt.Println("audit:", err)
		}
	}()
	<-ctx.Done() // a long poll: answer when the client goes away
}

func main() {
	stop := tracefile.Start()
	audit := &auditLog{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() {
		defer close(done)
		handle(ctx, audit, &wg, "GET /events")
	}()
	time.Sleep(50 * time.Millisecond)
	cancel() // the client disconnects
	<-done
	wg.Wait()
	fmt.Println("audit entries:", len(audit.entries))
	time.Sleep(1000 * time.Millisecond)
	stop()
}
