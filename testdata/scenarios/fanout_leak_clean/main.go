// Clean twin of fanout_leak: the answers channel has room for every replica, so the replicas
// that lose the race still complete their send and exit.
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
	answers := make(chan string, len(replicas)) // room for every answer: the losers never block
	for _, r := range replicas {
		go func() {
			answers <- r.get(key)
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
