// Package snapshot writes, from inside a running Go program, the files `ctxtrail analyze`
// joins: the execution trace (from a runtime/trace.FlightRecorder, say) and, taken at its
// end, the goroutine leak profile and a dump of every goroutine's stack. ctxtrail joins the
// dump to the trace by goroutine ID and the leak profile by blocking stack, and reports every
// goroutine the garbage collector proved leaked with its creator, its blocking line and what
// the trace knows of its cause.
//
// The leak profile exists only where the running Go has it: Go 1.26 built with
// GOEXPERIMENT=goroutineleakprofile, and Go 1.27 on; elsewhere Write leaves it out.
package snapshot

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

// What Write appends to its prefix for each file.
const (
	TraceSuffix       = ".trace"               // the execution trace, as tr wrote it
	DumpSuffix        = ".goroutines.txt"      // every goroutine's stack: /debug/pprof/goroutine?debug=2
	LeakProfileSuffix = ".goroutineleak.pb.gz" // proven leaks, protobuf: /debug/pprof/goroutineleak
)

// leakProfileName is the runtime/pprof profile that runs a leak-detecting GC and lists the
// goroutines it proved can never run again.
const leakProfileName = "goroutineleak"

// LeakProfileAvailable reports whether the running Go has the goroutine leak profile.
func LeakProfileAvailable() bool { return pprof.Lookup(leakProfileName) != nil }

// Write writes into dir (made if missing) the files ctxtrail analyzes together, named prefix
// plus TraceSuffix, DumpSuffix and LeakProfileSuffix (prefix "" means "<time>-<pid>"), one
// after the other so that the dump and the profile describe the moment the trace ends:
//   - the execution trace tr writes, when tr is not nil (a *trace.FlightRecorder, whose
//     WriteTo writes the recorded window, or a bytes.Buffer holding a trace);
//   - the goroutine dump (debug=2 text), which gives ctxtrail every goroutine's ID, state,
//     wait time and creator;
//   - the goroutine leak profile (protobuf, gzip), when the running Go has one. Its garbage
//     collection marks the goroutines it proves leaked "(leaked)" in every later dump; the
//     dump is taken before it so that the dump shows the process as it was (ctxtrail, given
//     a marked dump and the profile, counts each proven leak once either way).
//
// files lists what was written, in that order, ready for `ctxtrail analyze`; a file that
// could not be written is left out (a partial one removed) and its error joined into err,
// and the others are still written.
func Write(dir, prefix string, tr io.WriterTo) (files []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if prefix == "" {
		prefix = fmt.Sprintf("%s-%d", time.Now().Format("20060102-150405.000"), os.Getpid())
	}
	base := filepath.Join(dir, prefix)
	var errs []error
	write := func(path string, to func(io.Writer) error) bool {
		if e := writeFile(path, to); e != nil {
			errs = append(errs, e)
			return false
		}
		return true
	}
	if tr != nil && write(base+TraceSuffix, func(w io.Writer) error { _, e := tr.WriteTo(w); return e }) {
		files = append(files, base+TraceSuffix)
	}
	if write(base+DumpSuffix, func(w io.Writer) error { return pprof.Lookup("goroutine").WriteTo(w, 2) }) {
		files = append(files, base+DumpSuffix)
	}
	if leak := pprof.Lookup(leakProfileName); leak != nil &&
		write(base+LeakProfileSuffix, func(w io.Writer) error { return leak.WriteTo(w, 0) }) {
		files = append(files, base+LeakProfileSuffix)
	}
	return files, errors.Join(errs...)
}

// writeFile creates path, fills it with to and removes it again if that fails.
func writeFile(path string, to func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = to(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
