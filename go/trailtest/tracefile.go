// Writing the recorded execution trace on failure, with a goroutine dump and the goroutine
// leak profile taken at its end, so that the failure can still be analysed after the test
// binary has exited.

package trailtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

type stderrLogger struct{}

func (stderrLogger) Logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

type logger interface{ Logf(string, ...any) }

var traceMu sync.Mutex

// writeTrace writes the recorded trace, then the goroutine dump and the leak profile (when
// the running Go has one), next to each other, says how to analyze them together and, when
// the ctxtrail binary is found, does, keeping the findings about f (all, when f is nil).
func writeTrace(t logger, o *options, name string, f *focus) {
	traceMu.Lock()
	defer traceMu.Unlock()
	safe := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, name)
	prefix := fmt.Sprintf("%s-%s-%d", safe, time.Now().Format("20060102-150405.000"), os.Getpid())
	var buf bytes.Buffer
	var tr io.WriterTo = &buf
	ok, err := recordedTrace(&buf)
	switch {
	case !ok:
		t.Logf("trailtest: no trace recorded (tracing could not be started: %v)", startErr)
		tr = nil
	case err != nil:
		t.Logf("trailtest: writing the trace: %v", err)
		tr = nil
	}
	files, err := snapshot.Write(o.traceDir, prefix, tr)
	if err != nil {
		t.Logf("trailtest: %v", err)
	}
	if len(files) == 0 {
		return
	}
	args := append(append([]string{"analyze"}, f.args()...), files...)
	command := strings.Join(args, " ")
	t.Logf("trailtest: %s; analyze them together: ctxtrail %s", describeFiles(files), command)
	bin := os.Getenv("CTXTRAIL")
	if bin == "" {
		bin, _ = exec.LookPath("ctxtrail")
	}
	if bin == "" {
		t.Logf("trailtest: set $CTXTRAIL or put ctxtrail on PATH to have `ctxtrail analyze` run here")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		err = nil // ctxtrail's exit status 1 means findings: what was asked for, not an error
	}
	if err != nil {
		t.Logf("trailtest: %s %s: %v\n%s", bin, command, err, out)
		return
	}
	t.Logf("trailtest: %s %s:\n%s", bin, command, f.filter(string(out)))
}

// describeFiles names what snapshot.Write wrote: "execution trace (flight recorder) of the
// last seconds written to T, with the goroutine dump D and the goroutine leak profile L
// taken at its end".
func describeFiles(files []string) string {
	var trace string
	var atEnd []string
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, snapshot.TraceSuffix):
			trace = f
		case strings.HasSuffix(f, snapshot.DumpSuffix):
			atEnd = append(atEnd, "the goroutine dump "+f)
		case strings.HasSuffix(f, snapshot.LeakProfileSuffix):
			atEnd = append(atEnd, "the goroutine leak profile "+f)
		}
	}
	if trace == "" {
		return "written: " + strings.Join(atEnd, " and ")
	}
	s := fmt.Sprintf("execution trace (%s) of the last seconds written to %s", recorderKind, trace)
	if len(atEnd) > 0 {
		s += ", with " + strings.Join(atEnd, " and ") + " taken at its end"
	}
	return s
}
