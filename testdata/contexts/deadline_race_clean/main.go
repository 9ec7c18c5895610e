// Clean twin of deadline_race: the timeout is far longer than the work.
package main

import (
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

func call() {
	ctx, cancel := trail.WithTimeout(trail.Background(), 50*time.Millisecond)
	_ = ctx
	time.Sleep(3 * time.Millisecond) // the work
	cancel()
}

func main() {
	stop := tracefile.Start()
	defer stop()
	for i := 0; i < 10; i++ {
		call()
	}
	time.Sleep(5 * time.Millisecond)
}
