//go:build hungcorpus

// ctxtrail's own hung-test case (not GoKer): the simplest hang. The test waits on a
// WaitGroup whose only worker waits on a channel that nobody ever sends to.
// Built into the hung-test package by testdata/hung/gen only (tag hungcorpus).

package hung

import (
	"sync"
	"testing"
)

func plainWorker(wg *sync.WaitGroup, jobs <-chan int) {
	defer wg.Done()
	<-jobs // nobody ever sends on jobs: this line can never proceed
}

func TestPlain(t *testing.T) {
	var wg sync.WaitGroup
	jobs := make(chan int)
	wg.Add(1)
	go plainWorker(&wg, jobs)
	wg.Wait() // the test waits on plainWorker forever
}
