// Package tracefile starts the execution tracer for a realworld corpus program, writing to the
// path given as the program's first argument.
package tracefile

import (
	"fmt"
	"os"
	"runtime/trace"
)

// Start starts tracing to os.Args[1]; the returned func stops tracing and closes the file.
func Start() (stop func()) {
	if len(os.Args) < 2 {
		fmt.Fprintf(os.Stderr, "usage: %s TRACE-FILE\n", os.Args[0])
		os.Exit(2)
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := trace.Start(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return func() {
		trace.Stop()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
