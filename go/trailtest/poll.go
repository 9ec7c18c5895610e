// Polling goroutine dumps: a goroutine still winding down right after a test is not a leak
// yet, so a check waits until what is left cannot exit.

package trailtest

import (
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

// leak is a leaked goroutine with what is known about it.
type leak struct {
	g       *goroutine
	owner   string
	start   *goStart
	watched []*reg.Info
	timer   string // "file:line" of a timer its code sets up (timerSite), or ""
}

// progressing reports whether the goroutine may still be winding down: not blocked, or
// blocked but watching a context that is done, or where a timer may still wake it.
func (l *leak) progressing() bool {
	if k := l.g.kind(); k != "blocked" {
		return true
	}
	switch l.g.State {
	case "select (no cases)", "chan receive (nil chan)", "chan send (nil chan)":
		return false // can never wake up
	}
	if strings.HasSuffix(l.g.State, " (leaked)") {
		// A goroutine leak profile written earlier in this process (trailtest writes one
		// on every failure) proved nothing can wake it, whatever contexts it watched.
		return false
	}
	if l.timer != "" {
		return true // a pending timer may still wake it: wait, up to MaxWait
	}
	for _, i := range l.watched {
		if i.IsDone() {
			return true
		}
	}
	return false
}

// waitsForTimer reports whether some goroutine is waited for only because a timer may wake it.
func waitsForTimer(leaks []*leak) bool {
	for _, l := range leaks {
		if l.timer != "" && l.g.kind() == "blocked" && l.progressing() {
			return true
		}
	}
	return false
}

// waitForLeaks takes goroutine dumps until no goroutine selected by mine is left, or
// none of those left is making progress, or maxWait has passed.
func waitForLeaks(o *options, mine func(*goroutine) bool) ([]*leak, string) {
	self := reg.Goid()
	start := time.Now()
	pause := time.Millisecond
	proved := false // a leak profile was taken for goroutines waiting for a timer
	for {
		gs := dumpGoroutines()
		alive := map[int64]bool{}
		mu.Lock()
		for _, g := range gs {
			alive[g.ID] = true
			if g.Creator != 0 {
				creators[g.ID] = g.Creator
			}
			if _, ok := ancestry[g.ID]; !ok {
				ancestry[g.ID] = ancestor{start: g.startFunc(), createdBy: g.CreatedBy}
			}
		}
		mu.Unlock()
		// Goroutine ids are never reused: what trail remembers about goroutines seen alive
		// in an earlier dump and gone now can go (not about goroutines never seen: they
		// may have started after this dump).
		mu.Lock()
		gone := map[int64]bool{}
		for id := range seenAlive {
			if !alive[id] {
				gone[id] = true
				delete(seenAlive, id)
			}
		}
		for id := range alive {
			seenAlive[id] = true
		}
		mu.Unlock()
		reg.Forget(func(id int64) bool { return !gone[id] })
		var leaks []*leak
		for _, g := range gs {
			if g.ID == self || o.ignored(g) || !mine(g) {
				continue
			}
			mu.Lock()
			st := goStarts[g.ID]
			mu.Unlock()
			leaks = append(leaks, &leak{g: g, owner: ownerOf(g), start: st, watched: reg.Watched(g.ID), timer: timerSite(g)})
		}
		if len(leaks) == 0 {
			return nil, ""
		}
		progressing := 0
		for _, l := range leaks {
			if l.progressing() {
				progressing++
			}
		}
		waited := time.Since(start).Round(time.Millisecond)
		if progressing > 0 && !proved && waitsForTimer(leaks) && snapshot.LeakProfileAvailable() {
			// A timer stopped before it fired wakes nothing: the leak profile's garbage
			// collection proves such a goroutine leaked ("(leaked)" in the next dump), where
			// a pending timer keeps what it will wake reachable. Once, and dump again at once.
			proved = true
			pprof.Lookup("goroutineleak").WriteTo(io.Discard, 0)
			continue
		}
		if progressing == 0 && proved {
			return leaks, fmt.Sprintf("after %v: all blocked, none watching a cancelled context, and those whose code sets up a timer proven leaked by the goroutine leak profile, so none can exit", waited)
		}
		if progressing == 0 {
			return leaks, fmt.Sprintf("after %v: all blocked, none watching a cancelled context or running code that sets up a timer, so none can exit", waited)
		}
		if waited >= o.maxWait {
			return leaks, fmt.Sprintf("gave up after waiting %v (MaxWait) with %d still running, sleeping, waiting for a timer or winding down after their context was cancelled", waited, progressing)
		}
		time.Sleep(pause)
		if pause < 20*time.Millisecond {
			pause *= 2
		}
	}
}
