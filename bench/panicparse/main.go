// Command panicparse times panicparse (github.com/maruel/panicparse/v2/stack), the Go tool
// engineers use to read goroutine dumps, on one dump file: open the file, ScanSnapshot, then
// Aggregate, the way panicparse's own command does. It is the other side of bench/dump.
//
//	go run . [-similarity pointer|value] DUMP
//
// It prints one line: goroutines=N groups=M seconds=S cpu_seconds=C peak_rss_kb=K.
//
// The options are panicparse's cheapest: no argument naming, no guessing of GOROOT/GOPATH on
// this disk, no reading of source files. Those are extra work ctxtrail does not do either, so
// turning them off times only what both sides do: read the file, parse every goroutine and
// group them. The similarity is AnyPointer, the default of panicparse's command (-aggressive
// gives AnyValue).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/maruel/panicparse/v2/stack"
)

func main() {
	similarity := flag.String("similarity", "pointer", "grouping: pointer (AnyPointer, panicparse's default) or value (AnyValue, its -aggressive)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: panicparse [-similarity pointer|value] DUMP")
		os.Exit(2)
	}
	similar := stack.AnyPointer
	switch *similarity {
	case "pointer":
	case "value":
		similar = stack.AnyValue
	default:
		fmt.Fprintf(os.Stderr, "panicparse: unknown -similarity %q\n", *similarity)
		os.Exit(2)
	}

	start, cpuStart := time.Now(), cpuTime()
	goroutines, groups, err := scan(flag.Arg(0), similar)
	secs, cpu := time.Since(start).Seconds(), (cpuTime() - cpuStart).Seconds()
	if err != nil {
		fmt.Fprintln(os.Stderr, "panicparse:", err)
		os.Exit(1)
	}
	fmt.Printf("goroutines=%d groups=%d seconds=%.3f cpu_seconds=%.3f peak_rss_kb=%d\n",
		goroutines, groups, secs, cpu, peakRSSKB())
}

// scan reads every snapshot in the file as panicparse's command does (ScanSnapshot again on the
// rest while it returns no error) and aggregates each.
func scan(path string, similar stack.Similarity) (goroutines, groups int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	opts := &stack.Opts{NameArguments: false, GuessPaths: false, AnalyzeSources: false}
	var in io.Reader = f
	for {
		s, suffix, err := stack.ScanSnapshot(in, io.Discard, opts)
		if s != nil {
			goroutines += len(s.Goroutines)
			groups += len(s.Aggregate(similar).Buckets)
		}
		if err == nil {
			in = io.MultiReader(strings.NewReader(string(suffix)), in)
			continue
		}
		if errors.Is(err, io.EOF) {
			return goroutines, groups, nil
		}
		return goroutines, groups, err
	}
}

// cpuTime answers the user plus system CPU time the process has used so far, all threads
// (parser and garbage collector).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSSKB answers the process's high-water resident set size (VmHWM), in KiB.
func peakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				if v, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return v
				}
			}
		}
	}
	return 0
}
