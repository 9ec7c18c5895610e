// Package traced runs a corpus program's work under runtime/trace, writing the trace to the
// file named on the command line.
package traced

import (
	"os"
	"runtime/trace"
)

// Run traces body into the file at path and panics on any I/O error: these programs exist
// only to make traces, and a half-written trace must not pass unnoticed.
func Run(path string, body func()) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	body()
	trace.Stop()
	if err := f.Close(); err != nil {
		panic(err)
	}
}
