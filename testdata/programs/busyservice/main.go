// Command busyservice writes the trace of a long-lived service, taken the way
// /debug/pprof/trace takes one: the process first serves PRE requests untraced (1,100,000 by
// default, a goroutine each, so goroutine IDs are past 2^20 when the trace starts), then,
// traced, serves CHURN more (100,000). Each request's handler looks a key up with a 50 ms
// timeout; the lookup runs in a goroutine of its own that sends its answer on an unbuffered
// channel. One key (request LEAK, 5,000 by default) is slow: its handler gives up at the
// deadline and returns, and the lookup goroutine blocks forever on its send: one leaked
// goroutine among more than a million served requests. With LEAK 0 nothing leaks. With PAUSE
// (milliseconds) the traced requests come in two halves that far apart, so that a generation
// boundary of the trace (one a second) falls between them.
//
//	busyservice OUT [PRE [CHURN [LEAK [PAUSE]]]]
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

type request struct {
	key  int
	done *sync.WaitGroup
}

type server struct {
	slowKey  int
	timeouts atomic.Int64 // lookups that gave up at the deadline: each leaves its goroutine behind
}

// compute answers a key; the slow key takes longer than any handler waits.
func (s *server) compute(key int) int {
	if key == s.slowKey {
		time.Sleep(120 * time.Millisecond)
	}
	return key * 2
}

// lookup runs compute in a goroutine and waits for it or for ctx. The answer channel is
// unbuffered: when ctx ends first, nobody ever receives and the goroutine stays blocked on its
// send (the leak).
func (s *server) lookup(ctx context.Context, key int) (int, error) {
	answer := make(chan int)
	go func() {
		answer <- s.compute(key)
	}()
	select {
	case v := <-answer:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func (s *server) handle(ctx context.Context, req request) {
	defer req.done.Done()
	ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := s.lookup(ctx, req.key); errors.Is(err, context.DeadlineExceeded) {
		s.timeouts.Add(1)
	} else if err != nil {
		log.Print(err)
	}
}

// serve starts a goroutine per request, as net/http does per connection.
func (s *server) serve(ctx context.Context, requests <-chan request) {
	for req := range requests {
		go s.handle(ctx, req)
	}
}

// load sends n requests with keys from first, at most 256 in flight.
func load(requests chan<- request, first, n int) {
	var done sync.WaitGroup
	for i := 0; i < n; i += 256 {
		k := min(256, n-i)
		done.Add(k)
		for j := 0; j < k; j++ {
			requests <- request{key: first + i + j, done: &done}
		}
		done.Wait()
	}
}

func arg(i, def int) int {
	if len(os.Args) <= i {
		return def
	}
	n, err := strconv.Atoi(os.Args[i])
	if err != nil || n < 0 {
		log.Fatalf("bad argument %q", os.Args[i])
	}
	return n
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: busyservice OUT [PRE [CHURN [LEAK [PAUSE]]]]")
	}
	pre, churn, leak, pause := arg(2, 1100000), arg(3, 100000), arg(4, 5000), arg(5, 0)
	s := &server{slowKey: -1}
	if leak > 0 {
		s.slowKey = pre + leak
	}
	requests := make(chan request, 256)
	go s.serve(context.Background(), requests)
	load(requests, 0, pre)
	before := s.timeouts.Load()

	traced.Run(os.Args[1], func() {
		load(requests, pre, churn/2)
		time.Sleep(time.Duration(pause) * time.Millisecond)
		load(requests, pre+churn/2, churn-churn/2)
		// The service stays up a while after the leak, as a capture of a live process does.
		time.Sleep(600 * time.Millisecond)
	})
	// A machine too busy to run a lookup within 50 ms leaks more than the slow key's goroutine
	// (the program's own leak, not the trace's): say how many, for the test to expect.
	fmt.Printf("timeouts: %d before the trace, %d during it\n", before, s.timeouts.Load()-before)
}
