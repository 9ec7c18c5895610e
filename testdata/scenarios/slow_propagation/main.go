// Scenario: a server stops its background jobs from a context.AfterFunc on its base context, but
// the callback first waits for the in-flight requests to finish. Shutdown's cancel therefore
// reaches the jobs' watchers only when the slowest request is done, some 200 ms later.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type server struct {
	base     context.Context
	stop     context.CancelFunc
	jobsCtx  context.Context
	inflight sync.WaitGroup
	jobs     sync.WaitGroup
}

func newServer() *server {
	s := &server{}
	s.base, s.stop = context.WithCancel(context.Background())
	var stopJobs context.CancelFunc
	s.jobsCtx, stopJobs = context.WithCancel(context.Background())
	context.AfterFunc(s.base, func() {
		s.inflight.Wait() // BUG: the jobs hear of the shutdown only once every request is done
		stopJobs()
	})
	return s
}

// startJob runs a periodic background job until the server stops its jobs.
func (s *server) startJob(every time.Duration, run func()) {
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-s.jobsCtx.Done():
				return
			case <-tick.C:
				run()
			}
		}
	}()
}

// serve handles one request, which takes cost and does not depend on the server's context.
func (s *server) serve(cost time.Duration) {
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		time.Sleep(cost)
	}()
}

// Shutdown cancels the server's base context and waits for the background jobs.
func (s *server) Shutdown() {
	s.stop() // want slow-propagation cancel
	s.jobs.Wait()
}

func main() {
	stop := tracefile.Start()
	s := newServer()
	for i := 0; i < 3; i++ {
		s.startJob(time.Second, func() { fmt.Println("job ran") })
	}
	time.Sleep(100 * time.Millisecond)
	s.serve(300 * time.Millisecond)
	s.serve(50 * time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	s.Shutdown()
	time.Sleep(700 * time.Millisecond)
	stop()
}
