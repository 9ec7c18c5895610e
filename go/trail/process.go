package trail

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/trace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/crosslog"
	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// The process's identity in cross-process events (the proc event, docs/trail-events.md):
// drawn once, so that every trace of the process and every peer name it the same way.
var (
	processID   = randomID()
	processName atomic.Pointer[string]
	monoBase    = time.Now() // mono fields count from here, on the monotonic clock
)

// randomID is a non-zero random uint64: process and request ids, unique across processes
// with high probability.
func randomID() uint64 {
	for {
		if v := rand.Uint64(); v != 0 {
			return v
		}
	}
}

// ProcessID is this process's identity in cross-process events: random, non-zero, the same
// for the life of the process.
func ProcessID() uint64 { return processID }

// SetProcessName names this process in its proc events (default: the base name of os.Args[0]).
func SetProcessName(name string) { processName.Store(&name) }

func procName() string {
	if p := processName.Load(); p != nil {
		return *p
	}
	if len(os.Args) == 0 {
		return ""
	}
	return filepath.Base(os.Args[0])
}

// announcer decides when the proc event is written again: before the first cross-process
// event, then when the last one is over a second old or tracing was seen off since (a trace
// started later, or a flight recorder's window, then usually holds one).
var announcer struct {
	mu      sync.Mutex
	last    time.Time
	seenOff atomic.Bool
}

const reannounceAfter = time.Second

// noteTracingOff is called by cross-process code that found tracing off: the next trace needs
// its own proc event.
func noteTracingOff() { announcer.seenOff.Store(true) }

// announce writes the proc event if this trace may not have one yet; called only while tracing.
func announce(ctx context.Context) {
	announcer.mu.Lock()
	defer announcer.mu.Unlock()
	now := time.Now()
	if !announcer.seenOff.Swap(false) && !announcer.last.IsZero() && now.Sub(announcer.last) < reannounceAfter {
		return
	}
	announcer.last = now
	host, _ := os.Hostname()
	emitCross(ctx, "proc "+u(processID)+" "+strconv.Itoa(wire.Version)+" "+wire.Escape(procName())+" "+
		strconv.Itoa(os.Getpid())+" "+wire.Escape(host)+" "+i64(now.UnixNano())+" "+i64(int64(now.Sub(monoBase))))
}

// crossProcess reports whether cross-process events are to be written, announcing the process
// first when they are.
func crossProcess(ctx context.Context) bool {
	if !trace.IsEnabled() {
		noteTracingOff()
		return false
	}
	announce(ctx)
	return true
}

// emitCross writes a cross-process event (and shows it to crosslog.Hook, for tests).
func emitCross(ctx context.Context, msg string) {
	if h := crosslog.Hook.Load(); h != nil {
		(*h)(msg)
	}
	emit(ctx, msg)
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }
