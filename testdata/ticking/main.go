// Command ticking makes the traces of testdata/ticking/: goroutines that wake only on their own
// timers after their owner is gone (leaked-goroutine: "ticks forever"), and their correct twins,
// which must stay silent. `ticking CASE OUT.trace`; make.sh runs every case (GOMAXPROCS=2).
//
//	gocache-dropped  a goroutine makes a go-cache Cache with a janitor and returns: the cache is
//	                 dropped, the janitor ticks forever (go-cache stops it from a finalizer, which
//	                 only a GC that collects the cache runs)
//	lru-dropped      a goroutine makes 4 expirable LRUs of golang-lru/v2 and returns: their
//	                 cleanup goroutines tick forever (their done channel "is never closed")
//	ticker-stopped   a goroutine's ticker loop returns when its owner cancels: silent
//	server-janitor   main keeps its cache for the life of the process: silent
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/trace"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/patrickmn/go-cache"
)

var kept *cache.Cache

// owner runs f on a goroutine of its own and waits for it to return.
func owner(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

func gocacheDropped() {
	owner(func() {
		c := cache.New(time.Minute, 2*time.Millisecond)
		c.Set("session", 1, cache.DefaultExpiration)
		_, _ = c.Get("session")
	})
	time.Sleep(40 * time.Millisecond)
}

func lruDropped() {
	owner(func() {
		for i := 0; i < 4; i++ {
			l := expirable.NewLRU[string, int](16, nil, 200*time.Millisecond)
			l.Add("k", i)
		}
	})
	time.Sleep(40 * time.Millisecond)
}

func tickerStopped() {
	ctx, cancel := context.WithCancel(context.Background())
	owner(func() {
		go func() {
			t := time.NewTicker(2 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-t.C:
				case <-ctx.Done():
					return
				}
			}
		}()
	})
	time.Sleep(20 * time.Millisecond)
	cancel()
	time.Sleep(20 * time.Millisecond)
}

func serverJanitor() {
	kept = cache.New(time.Minute, 2*time.Millisecond)
	kept.Set("session", 1, cache.DefaultExpiration)
	time.Sleep(40 * time.Millisecond)
}

var cases = map[string]func(){
	"gocache-dropped": gocacheDropped,
	"lru-dropped":     lruDropped,
	"ticker-stopped":  tickerStopped,
	"server-janitor":  serverJanitor,
}

func main() {
	if len(os.Args) != 3 || cases[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: ticking gocache-dropped|lru-dropped|ticker-stopped|server-janitor OUT.trace")
		os.Exit(2)
	}
	f, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := trace.Start(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cases[os.Args[1]]()
	trace.Stop()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
