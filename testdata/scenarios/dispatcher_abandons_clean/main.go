// Clean: one dispatcher goroutine serves requests in order; a request carries its caller's
// context, and the dispatcher abandons it when that context is done (the caller gave up), then
// takes the next. After the last request it waits on its queue for more, for the rest of the run
// (was a false cancel-ignored: woken by the last request's deadline, it "blocked again" in the
// same function, at its queue's receive, where it had never had to wait before).
package main

import (
	"context"
	"fmt"
	"time"

	"scenarios/internal/tracefile"
)

type request struct {
	ctx   context.Context
	n     int
	reply chan int
}

// compute answers after 40 ms per unit of n.
func compute(n int) <-chan int {
	out := make(chan int, 1)
	go func() {
		time.Sleep(time.Duration(n) * 40 * time.Millisecond)
		out <- n * n
	}()
	return out
}

func dispatch(reqs <-chan request) {
	for req := range reqs {
		select {
		case <-req.ctx.Done():
			// the caller gave up: drop the request
		case r := <-compute(req.n):
			req.reply <- r
		}
	}
}

func main() {
	stop := tracefile.Start()
	reqs := make(chan request)
	go dispatch(reqs)
	// Requests come every 30 ms, each with 50 ms to live; the dispatcher is still busy with the
	// previous one when the next arrives, so it never waits on its queue until the last.
	var cancels []context.CancelFunc
	var replies []chan int
	for i := 1; i <= 4; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		cancels = append(cancels, cancel)
		reply := make(chan int, 1)
		replies = append(replies, reply)
		reqs <- request{ctx: ctx, n: i, reply: reply}
		time.Sleep(30 * time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond)
	for _, cancel := range cancels {
		cancel()
	}
	fmt.Println("first answered:", len(replies[0]) == 1)
	time.Sleep(1500 * time.Millisecond)
	stop()
}
