// Scenario: a client asks every replica for a key and takes the first answer ("first response
// wins"). The answers go to an unbuffered channel, so every replica goroutine but the fastest
// blocks forever on its send once the caller has returned. No context is involved: nobody ever
// cancels anything, the senders simply have nobody left to receive from them.
package main

import (
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

type replica struct {
	name    string
	latency time.Duration
}

// get returns the value held by the fastest replica.
func (r replica) get(key string) string {
	time.Sleep(r.latency) // the network round trip
	return fmt.Sprintf("%s@%s", key, r.name)
}

// firstAnswer queries all replicas concurrently and returns the first answer.
func firstAnswer(replicas []replica, key string) string {
	answers := make(chan string) // BUG: unbuffered, so the losers block forever
	for _, r := range replicas {
		go func() { // want leaked-goroutine creation
			answers <- r.get(key) // want leaked-goroutine block
		}()
	}
	return <-answers
}

func main() {
	stop := tracefile.Start()
	replicas := []replica{{"a", 10 * time.Millisecond}, {"b", 40 * time.Millisecond}, {"c", 80 * time.Millisecond}}
	var wg sync.WaitGroup
	for _, key := range []string{"user:1", "user:2"} {
		wg.Add(1)
		go func() { // one request handler per key
			defer wg.Done()
			fmt.Println(firstAnswer(replicas, key))
		}()
	}
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
