// Command profilegen writes the pprof goroutine profiles that ctxtrail's profile parser is
// tested on (testdata/snapshots/profile_*): goroutines blocked at known lines of this file (a
// channel receive, a select, a mutex), some under pprof labels, and, with
// GOEXPERIMENT=goroutineleakprofile, the goroutineleak profile of a goroutine leaked on a
// channel nothing else can reach. The tests name these lines: keep them where they are, or
// update profile_test.cc with them.
package main

import (
	"bytes"
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	never   = make(chan int) // nothing ever sends: its receivers stay blocked
	other   = make(chan int)
	mu      sync.Mutex
	started sync.WaitGroup
)

// receive is small enough to be inlined into its callers, so their profile location has two
// lines: receive (the innermost) and the caller.
func receive(ch chan int) int {
	return <-ch // line 31: chan receive, inlined
}

func worker() {
	started.Done()
	receive(never) // line 36
}

func selector() {
	started.Done()
	select { // line 41: select
	case <-never:
	case <-other:
	}
}

func locker() {
	started.Done()
	mu.Lock() // line 49: sync.Mutex.Lock
	mu.Unlock()
}

func labelled(shard string) {
	pprof.Do(context.Background(), pprof.Labels("role", "consumer", "shard", shard), func(context.Context) {
		started.Done()
		<-never // line 56: chan receive under labels
	})
}

// leak blocks on a channel only it can reach: the leak detector's GC finds it leaked.
func leak() {
	ch := make(chan int)
	started.Done()
	<-ch // line 64: leaked
}

func write(dir, name string, profile string, debug int) {
	var buf bytes.Buffer
	if err := pprof.Lookup(profile).WriteTo(&buf, debug); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	dir := flag.String("out", ".", "directory to write the profiles to")
	flag.Parse()

	mu.Lock() // held for good: locker blocks
	starts := []func(){worker, worker, worker, selector, locker,
		func() { labelled("1") }, func() { labelled("2") }, leak}
	started.Add(len(starts))
	for _, f := range starts {
		go f()
	}
	started.Wait()
	time.Sleep(200 * time.Millisecond) // from Done to parked: let every goroutine block

	write(*dir, "profile_goroutine.pb.gz", "goroutine", 0)
	write(*dir, "profile_goroutine.txt", "goroutine", 1)
	if pprof.Lookup("goroutineleak") == nil {
		log.Print("no goroutineleak profile: build with GOEXPERIMENT=goroutineleakprofile")
		return
	}
	write(*dir, "profile_goroutineleak.pb.gz", "goroutineleak", 0)
	write(*dir, "profile_goroutineleak.txt", "goroutineleak", 1)
}
