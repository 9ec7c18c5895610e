// Clean twin of keeps_running_after_cancel: the indexer returns from its loop when cancelled.
package main

import (
	"context"
	"hash/fnv"
	"time"

	"scenarios/internal/tracefile"
)

type indexer struct {
	docs  chan []byte
	index map[uint64]int

	stopping bool
}

// run indexes documents until ctx is cancelled, rehashing the index every second.
func (ix *indexer) run(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			ix.stopping = true
			return
		case doc := <-ix.docs:
			ix.add(doc)
			continue
		case <-tick.C:
		}
		ix.rehash()
	}
}

func (ix *indexer) add(doc []byte) {
	h := fnv.New64a()
	h.Write(doc)
	ix.index[h.Sum64()]++
}

// rehash recomputes every key: milliseconds of pure CPU.
func (ix *indexer) rehash() {
	var sum uint64
	for i := 0; i < 2_000_000; i++ {
		sum = (sum ^ uint64(i)) * 1099511628211 % 1000000007
	}
	ix.index[sum]++
}

func main() {
	stop := tracefile.Start()
	ctx, cancel := context.WithCancel(context.Background())
	ix := &indexer{docs: make(chan []byte), index: map[uint64]int{}}
	go ix.run(ctx)
	for i := 0; i < 5; i++ {
		ix.docs <- []byte("document body")
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
