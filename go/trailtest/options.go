// The options of VerifyNoLeaks, VerifyTestMain and AssertContextCancelled: which goroutines a
// check may ignore and where a failure trace goes.

package trailtest

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Option configures VerifyNoLeaks, VerifyTestMain and AssertContextCancelled.
type Option func(*options)

type options struct {
	maxWait   time.Duration
	ignoreTop []string
	ignoreAny []string
	ignoreIDs map[int64]bool
	traceDir  string
	noTrace   bool
}

func buildOptions(opts []Option) *options {
	o := &options{maxWait: 5 * time.Second, traceDir: os.Getenv("CTXTRAIL_TRACE_DIR")}
	if o.traceDir == "" {
		o.traceDir = filepath.Join(os.TempDir(), "ctxtrail-traces")
	}
	for _, f := range opts {
		f(o)
	}
	return o
}

// MaxWait bounds how long a check waits for goroutines that are still making progress
// (running, runnable, sleeping, in a syscall, watching a context that is done, or blocked
// in code that sets up a timer, which may still wake them: <-time.After(d), a ticker, a
// channel a time.AfterFunc closes) to exit; those left after MaxWait are reported.
// Goroutines that are all blocked otherwise are reported at once. The default is 5s.
func MaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

// IgnoreTopFunction ignores goroutines whose innermost frame is the function f
// (fully qualified, e.g. "net/http.(*persistConn).readLoop").
func IgnoreTopFunction(f string) Option {
	return func(o *options) { o.ignoreTop = append(o.ignoreTop, f) }
}

// IgnoreAnyFunction ignores goroutines with the function f anywhere on their stack.
func IgnoreAnyFunction(f string) Option {
	return func(o *options) { o.ignoreAny = append(o.ignoreAny, f) }
}

// IgnoreCurrent ignores the goroutines that exist when the option is made.
func IgnoreCurrent() Option {
	ids := map[int64]bool{}
	for _, g := range dumpGoroutines() {
		ids[g.ID] = true
	}
	return func(o *options) {
		if o.ignoreIDs == nil {
			o.ignoreIDs = map[int64]bool{}
		}
		for id := range ids {
			o.ignoreIDs[id] = true
		}
	}
}

// TraceDir sets where failure traces are written (default $CTXTRAIL_TRACE_DIR, else
// <os.TempDir()>/ctxtrail-traces).
func TraceDir(dir string) Option { return func(o *options) { o.traceDir = dir } }

// NoTrace disables writing a trace on failure.
func NoTrace() Option { return func(o *options) { o.noTrace = true } }

// defaultIgnore lists goroutines that belong to the runtime, testing, tracing or trail.
var defaultIgnore = []string{
	"testing.tRunner", "testing.(*M).", "testing.runTests", "testing.(*F).", "testing.runFuzz",
	"runtime/trace.", "os/signal.", "runtime.ensureSigM", "runtime.ReadTrace",
	"github.com/ctxtrail/ctxtrail/go/trail.(*tctx).observe",
}

func (o *options) ignored(g *goroutine) bool {
	if o.ignoreIDs[g.ID] {
		return true
	}
	for _, p := range defaultIgnore {
		if g.has(p) || strings.HasPrefix(g.CreatedBy.Func, p) && strings.HasPrefix(p, "runtime/trace.") {
			return true
		}
	}
	for _, f := range o.ignoreTop {
		if len(g.Frames) > 0 && g.Frames[0].Func == f {
			return true
		}
	}
	for _, f := range o.ignoreAny {
		if g.has(f) {
			return true
		}
	}
	return false
}
