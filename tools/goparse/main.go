// Command goparse is the differential-test oracle: it reads a Go execution trace with Go's own
// parser (golang.org/x/exp/trace) and prints what ctxtrail prints for the same trace, in the
// shapes fixed by docs/event-stream.md.
//
//	goparse stats [--json] FILE    summary counts (text or one JSON object)
//	goparse events --json FILE     every event, one JSON object a line, in Go's global order
//	goparse bench FILE             times the bare ReadEvent loop (GOMAXPROCS=1): wall and CPU
//	                               seconds, events/s and MB/s (wall), peak RSS
//
// FILE may be gzip-compressed, or "-" for standard input. Exit codes follow ctxtrail's:
// 0 ok, 2 usage, 3 the parser rejected the input (the message goes to standard error; what
// was read before the error is still printed).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/exp/trace"
)

const (
	exitOK       = 0
	exitUsage    = 2
	exitBadInput = 3
)

func usage() int {
	fmt.Fprintln(os.Stderr, "usage: goparse stats [--json] FILE | goparse events --json FILE | goparse bench FILE")
	return exitUsage
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) < 2 {
		return usage()
	}
	cmd, rest := args[0], args[1:]
	jsonOut := false
	var file string
	for _, a := range rest {
		switch {
		case a == "--json":
			jsonOut = true
		case a == "-" || !strings.HasPrefix(a, "-"):
			if file != "" {
				return usage()
			}
			file = a
		default:
			return usage()
		}
	}
	if file == "" {
		return usage()
	}
	switch cmd {
	case "stats":
		return runStats(file, jsonOut)
	case "events":
		if !jsonOut {
			return usage()
		}
		return runEvents(file)
	case "bench":
		return runBench(file)
	}
	return usage()
}

// source is an opened trace: the header's format version and a reader positioned at byte 0.
type source struct {
	version string // "1.22", "1.23", ...; empty when the header is not a Go trace header
	r       io.Reader
	size    int64 // bytes of the (decompressed) file when known, else 0
	close   func()
}

func open(path string) (*source, error) {
	var f *os.File
	if path == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(path); err != nil {
			return nil, err
		}
	}
	var size int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	br := bufio.NewReaderSize(f, 1<<20)
	var r io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, err
		}
		r = bufio.NewReaderSize(zr, 1<<20)
		size = 0
	}
	s := &source{r: r, size: size, close: func() { f.Close() }}
	// The header is "go 1.N trace" padded with NULs to 16 bytes.
	if head, _ := r.(*bufio.Reader).Peek(16); len(head) == 16 {
		var minor int
		if n, _ := fmt.Sscanf(string(head), "go 1.%d trace", &minor); n == 1 {
			s.version = "1." + strconv.Itoa(minor)
		}
	}
	return s, nil
}

// stats accumulates the `stats --json` object of docs/event-stream.md.
type stats struct {
	syncs       int
	events      uint64
	first, last trace.Time
	byKind      map[string]uint64
	transitions map[string]uint64
	goroutines  map[trace.GoID]struct{}
}

func newStats() *stats {
	return &stats{byKind: map[string]uint64{}, transitions: map[string]uint64{},
		goroutines: map[trace.GoID]struct{}{}}
}

func (s *stats) add(ev *trace.Event) {
	if s.events == 0 {
		s.first = ev.Time()
	}
	s.last = ev.Time()
	s.events++
	s.byKind[ev.Kind().String()]++
	switch ev.Kind() {
	case trace.EventSync:
		s.syncs++
	case trace.EventStateTransition:
		st := ev.StateTransition()
		if st.Resource.Kind == trace.ResourceGoroutine {
			from, to := st.Goroutine()
			s.transitions[from.String()+"->"+to.String()]++
			s.goroutines[st.Resource.Goroutine()] = struct{}{}
		}
	}
}

func (s *stats) writeJSON(w *bufio.Writer, version string, complete bool) {
	gens := s.syncs
	if complete && gens > 0 {
		gens--
	}
	var dur int64
	if s.events > 0 {
		dur = int64(s.last - s.first)
	}
	fmt.Fprintf(w, `{"format_version":%s,"generations":%d,"events":%d,"duration_ns":%d,"goroutines":%d,`,
		quote(version), gens, s.events, dur, len(s.goroutines))
	w.WriteString(`"events_by_kind":`)
	writeCounts(w, s.byKind)
	w.WriteString(`,"goroutine_transitions":`)
	writeCounts(w, s.transitions)
	fmt.Fprintf(w, `,"complete":%t}`+"\n", complete)
}

func (s *stats) writeText(w *bufio.Writer, version string, complete bool) {
	gens := s.syncs
	if complete && gens > 0 {
		gens--
	}
	fmt.Fprintf(w, "format:      go %s\n", version)
	fmt.Fprintf(w, "generations: %d\n", gens)
	fmt.Fprintf(w, "events:      %d\n", s.events)
	if s.events > 0 {
		fmt.Fprintf(w, "duration:    %v\n", time.Duration(s.last-s.first))
	}
	fmt.Fprintf(w, "goroutines:  %d\n", len(s.goroutines))
	fmt.Fprintf(w, "complete:    %t\n", complete)
	w.WriteString("events by kind:\n")
	for _, k := range sortedKeys(s.byKind) {
		fmt.Fprintf(w, "  %-16s %d\n", k, s.byKind[k])
	}
	w.WriteString("goroutine transitions:\n")
	for _, k := range sortedKeys(s.transitions) {
		fmt.Fprintf(w, "  %-24s %d\n", k, s.transitions[k])
	}
}

// readAll runs Go's ReadEvent loop over path and hands every event to fn. It answers the
// header version, whether the end was reached cleanly, and the parser's error if any.
func readAll(path string, fn func(*trace.Event)) (version string, complete bool, err error) {
	src, err := open(path)
	if err != nil {
		return "", false, err
	}
	defer src.close()
	r, err := trace.NewReader(src.r)
	if err != nil {
		return src.version, false, err
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF { // the clean end is io.EOF itself: errors that wrap it are failures
			return src.version, true, nil
		}
		if err != nil {
			return src.version, false, err
		}
		fn(&ev)
	}
}

func fail(path string, err error) int {
	fmt.Fprintf(os.Stderr, "goparse: %s: %v\n", path, err)
	return exitBadInput
}

func runStats(path string, jsonOut bool) int {
	s := newStats()
	version, complete, err := readAll(path, s.add)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err != nil && version == "" {
		return fail(path, err)
	}
	if jsonOut {
		s.writeJSON(w, version, complete)
	} else {
		s.writeText(w, version, complete)
	}
	if err != nil {
		w.Flush()
		return fail(path, err)
	}
	return exitOK
}

func runEvents(path string) int {
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	var buf []byte
	_, _, err := readAll(path, func(ev *trace.Event) {
		buf = appendEvent(buf[:0], ev)
		w.Write(buf)
	})
	if err != nil {
		w.Flush()
		return fail(path, err)
	}
	return exitOK
}

func runBench(path string) int {
	runtime.GOMAXPROCS(1)
	src, err := open(path)
	if err != nil {
		return fail(path, err)
	}
	defer src.close()
	start, cpuStart := time.Now(), cpuTime()
	r, err := trace.NewReader(src.r)
	if err != nil {
		return fail(path, err)
	}
	var n uint64
	for {
		_, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(path, err)
		}
		n++
	}
	secs, cpu := time.Since(start).Seconds(), (cpuTime() - cpuStart).Seconds()
	mb := float64(src.size) / 1e6
	fmt.Printf("events=%d seconds=%.3f cpu_seconds=%.3f events_per_sec=%.0f mb_per_sec=%.1f peak_rss_kb=%d\n",
		n, secs, cpu, float64(n)/secs, mb/secs, peakRSSKB())
	return exitOK
}

// cpuTime answers the user plus system CPU time the process has used so far (all threads:
// with GOMAXPROCS=1 that is the parser plus the garbage collector's background work).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSSKB answers the process's high-water resident set size: VmHWM from /proc/self/status,
// or getrusage's ru_maxrss (KiB on Linux) when /proc is not there.
func peakRSSKB() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				f := strings.Fields(rest)
				if len(f) > 0 {
					if v, err := strconv.ParseInt(f[0], 10, 64); err == nil {
						return v
					}
				}
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return ru.Maxrss
	}
	return 0
}
