// Command trail writes testdata/report/trail.trace, the trace of the report's Contexts tab
// tests: a server context cancelled with a cause (holding markup, to test escaping) whose
// request context follows at once (a healthy edge) while a context behind a hand-written
// polling relay follows 30ms later (a slow edge); a goroutine watches each.
//
//	cd testdata/report/trail && go run . ../trail.trace
package main

import (
	"context"
	"errors"
	"log"
	"os"
	"runtime/trace"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
)

// relay is a Context whose Done channel is closed by a goroutine that polls the parent.
type relay struct {
	context.Context
	done chan struct{}
}

func newRelay(parent context.Context, every time.Duration) *relay {
	r := &relay{Context: parent, done: make(chan struct{})}
	go func() {
		for parent.Err() == nil {
			time.Sleep(every)
		}
		close(r.done)
	}()
	return r
}

func (r *relay) Done() <-chan struct{} { return r.done }

func (r *relay) Err() error {
	select {
	case <-r.done:
		return r.Context.Err()
	default:
		return nil
	}
}

func watch(ctx context.Context, done chan<- struct{}) {
	<-ctx.Done()
	done <- struct{}{}
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: trail TRACE-FILE")
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		log.Fatal(err)
	}
	server, stop := trail.WithCancelCause(trail.Background())
	request, cancelRequest := trail.WithTimeout(server, time.Hour)
	defer cancelRequest()
	polled, cancelPolled := trail.WithCancel(newRelay(server, 30*time.Millisecond))
	defer cancelPolled()
	done := make(chan struct{})
	go watch(request, done)
	go watch(polled, done)
	time.Sleep(5 * time.Millisecond)
	stop(errors.New(`<b>shutting down</b> & "quoted"`))
	<-done
	<-done
	time.Sleep(5 * time.Millisecond)
	trace.Stop()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
