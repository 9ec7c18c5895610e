// Clean twin of slow_propagation: the jobs' context is derived from the server's base context,
// so Shutdown's cancel reaches the jobs' watchers in the same call; in-flight requests are waited
// for separately.
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
	stopJobs context.CancelFunc
	inflight sync.WaitGroup
	jobs     sync.WaitGroup
}

func newServer() *server {
	s := &server{}
	s.base, s.stop = context.WithCancel(context.Background())
	s.jobsCtx, s.stopJobs = context.WithCancel(s.base)
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

// Shutdown cancels the server's base context, which stops the jobs at once, and waits for the
// jobs and the in-flight requests.
func (s *server) Shutdown() {
	s.stop()
	s.jobs.Wait()
	s.inflight.Wait()
	s.stopJobs()
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
