// Writing the recorded execution trace on failure, so that the failure can still be analysed
// after the test binary has exited.

package trailtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

type stderrLogger struct{}

func (stderrLogger) Logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

type logger interface{ Logf(string, ...any) }

var traceMu sync.Mutex

// writeTrace writes the recorded trace next to the failing test and runs ctxtrail analyze.
func writeTrace(t logger, o *options, name string) {
	traceMu.Lock()
	defer traceMu.Unlock()
	if err := os.MkdirAll(o.traceDir, 0o755); err != nil {
		t.Logf("trailtest: cannot write trace: %v", err)
		return
	}
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, name)
	path := filepath.Join(o.traceDir, fmt.Sprintf("%s-%s-%d.trace", safe, time.Now().Format("20060102-150405.000"), os.Getpid()))
	var buf bytes.Buffer
	ok, err := snapshot(&buf)
	if !ok {
		t.Logf("trailtest: no trace recorded (tracing could not be started: %v)", startErr)
		return
	}
	if err != nil {
		t.Logf("trailtest: writing the trace: %v", err)
		return
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Logf("trailtest: cannot write trace: %v", err)
		return
	}
	t.Logf("trailtest: execution trace (%s) of the last seconds written to %s", recorderKind, path)
	bin := os.Getenv("CTXTRAIL")
	if bin == "" {
		bin, _ = exec.LookPath("ctxtrail")
	}
	if bin == "" {
		t.Logf("trailtest: set $CTXTRAIL or put ctxtrail on PATH to get `ctxtrail analyze` here; run: ctxtrail analyze %s", path)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "analyze", path).CombinedOutput()
	if err != nil {
		t.Logf("trailtest: %s analyze %s: %v\n%s", bin, path, err, out)
		return
	}
	t.Logf("trailtest: %s analyze %s:\n%s", bin, path, out)
}
