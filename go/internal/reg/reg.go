// Package reg holds what trail records about traced contexts in memory, shared with
// trailtest: per-context metadata, which goroutines watched which contexts, and which
// test started which goroutine. It is internal: its API may change at any time.
package reg

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Key is the context value key under which a traced context answers its own *Info.
// ctx.Value(reg.Key) returns the nearest traced context's Info.
type keyT struct{}

// Key is the context.Value key of traced contexts.
var Key any = keyT{}

// Site is a source position with its function.
type Site struct {
	Func string
	File string
	Line int
}

func (s Site) String() string {
	if s.File == "" {
		return "?"
	}
	return s.File + ":" + strconv.Itoa(s.Line) + " (" + s.Func + ")"
}

// Cancel reasons.
const (
	ReasonOwn      = "own"      // its own cancel func
	ReasonParent   = "parent"   // propagated from an ancestor
	ReasonDeadline = "deadline" // its own deadline passed
)

// Info describes one traced context.
type Info struct {
	ID       uint64
	Parent   *Info // nearest traced ancestor, nil for roots and untraced parents
	Kind     string
	Deadline time.Time // requested deadline, zero if none
	Created  Site
	Goid     int64 // goroutine that created it
	Ambient  uint64
	DoneCh   <-chan struct{} // the real context's Done channel (nil if never done)

	mu       sync.Mutex
	done     bool
	when     time.Time
	reason   string
	from     uint64
	cause    string
	cancelAt Site
	watchers []int64 // goroutines that called Done (first time each), capped
	errSeen  []int64 // goroutines that saw a non-nil Err, capped

	// The goroutine recorded last in watchers (errSeen): a repeated Done (Err) by it, as
	// in a select loop, is answered by one atomic load instead of the mutex and the scan.
	lastWatcher, lastErrSeen atomic.Int64
}

// CancelInfo is a snapshot of a context's cancellation.
type CancelInfo struct {
	Done   bool
	When   time.Time
	Reason string
	From   uint64
	Cause  string
	Site   Site
}

// SetCancelled records the cancellation; it reports false if it was already recorded.
func (i *Info) SetCancelled(c CancelInfo) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.done {
		return false
	}
	i.done, i.when, i.reason, i.from, i.cause, i.cancelAt = true, c.When, c.Reason, c.From, c.Cause, c.Site
	return true
}

// IsDone reports whether the real context is done (even if not yet recorded).
func (i *Info) IsDone() bool {
	if i.DoneCh == nil {
		return false
	}
	select {
	case <-i.DoneCh:
		return true
	default:
		return false
	}
}

// Cancelled returns the recorded cancellation.
func (i *Info) Cancelled() CancelInfo {
	i.mu.Lock()
	defer i.mu.Unlock()
	return CancelInfo{i.done, i.when, i.reason, i.from, i.cause, i.cancelAt}
}

// MaxPerContext caps the goroutines remembered (and logged) per context and event kind.
const MaxPerContext = 256

// FirstWatch records that goroutine g called Done; it reports whether this is the first
// time for g (false too once MaxPerContext goroutines were recorded).
func (i *Info) FirstWatch(g int64) bool { return i.first(&i.watchers, &i.lastWatcher, g) }

// FirstErr records that goroutine g saw a non-nil Err; true the first time for g.
func (i *Info) FirstErr(g int64) bool { return i.first(&i.errSeen, &i.lastErrSeen, g) }

// Watched reports whether g was recorded as a watcher (or no more can be recorded).
func (i *Info) Watched(g int64) bool {
	return i.lastWatcher.Load() == g || i.has(&i.watchers, &i.lastWatcher, g)
}

// SawErr reports whether g was recorded as having seen Err (or no more can be).
func (i *Info) SawErr(g int64) bool {
	return i.lastErrSeen.Load() == g || i.has(&i.errSeen, &i.lastErrSeen, g)
}

// Watchers returns the goroutines recorded as watchers.
func (i *Info) Watchers() []int64 {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]int64(nil), i.watchers...)
}

func (i *Info) has(list *[]int64, last *atomic.Int64, g int64) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(*list) >= MaxPerContext {
		last.Store(g)
		return true
	}
	for _, x := range *list {
		if x == g {
			last.Store(g)
			return true
		}
	}
	return false
}

func (i *Info) first(list *[]int64, last *atomic.Int64, g int64) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(*list) >= MaxPerContext {
		return false
	}
	for _, x := range *list {
		if x == g {
			return false
		}
	}
	*list = append(*list, g)
	last.Store(g)
	return true
}

// Saturated reports whether no more watchers can be recorded (a fast path for Done).
func (i *Info) Saturated() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return len(i.watchers) >= MaxPerContext && len(i.errSeen) >= MaxPerContext
}

// Tracking of goroutine -> watched contexts, enabled by trailtest (it costs memory).
var (
	tracking atomic.Bool
	wmu      sync.Mutex
	watched  = map[int64][]*Info{}
)

// SetTracking turns the goroutine->context map on or off.
func SetTracking(on bool) { tracking.Store(on) }

// Tracking reports whether the map is on.
func Tracking() bool { return tracking.Load() }

// NoteWatch remembers that goroutine g watched (Done or Err) the context i.
func NoteWatch(g int64, i *Info) {
	if !tracking.Load() {
		return
	}
	wmu.Lock()
	defer wmu.Unlock()
	l := watched[g]
	for _, x := range l {
		if x == i {
			return
		}
	}
	if len(l) < 64 {
		watched[g] = append(l, i)
	}
}

// Watched returns the contexts goroutine g watched, oldest first.
func Watched(g int64) []*Info {
	wmu.Lock()
	defer wmu.Unlock()
	return append([]*Info(nil), watched[g]...)
}

// Forget drops goroutines that no longer exist (alive reports whether a goroutine exists).
func Forget(alive func(int64) bool) {
	wmu.Lock()
	defer wmu.Unlock()
	for g := range watched {
		if !alive(g) {
			delete(watched, g)
		}
	}
}

// Ambient context per goroutine: the last cancelable traced context a goroutine created or
// watched. It is kept only while tracing (entries are small; capped).
var (
	amu     sync.Mutex
	ambient = map[int64]*Info{}
)

// SetAmbient records i as goroutine g's current cancelable context.
func SetAmbient(g int64, i *Info) {
	amu.Lock()
	if len(ambient) > 1<<16 {
		ambient = map[int64]*Info{}
	}
	ambient[g] = i
	amu.Unlock()
}

// Ambient returns the id of the last cancelable traced context goroutine g created or
// watched that is not known to be done, or 0.
func Ambient(g int64) uint64 {
	amu.Lock()
	i := ambient[g]
	amu.Unlock()
	if i == nil {
		return 0
	}
	if i.IsDone() {
		return 0
	}
	return i.ID
}
