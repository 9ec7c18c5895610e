//go:build go1.26

package trailtest

import (
	"os"
	"sync"
)

var envMu sync.Mutex

// withTracebackLabels runs f with GODEBUG=tracebacklabels=1 (Go 1.26+), so that goroutine
// dumps show pprof labels; the environment is restored afterwards.
func withTracebackLabels(f func()) {
	envMu.Lock()
	defer envMu.Unlock()
	old, had := os.LookupEnv("GODEBUG")
	v := "tracebacklabels=1"
	if had && old != "" {
		v = old + ",tracebacklabels=1"
	}
	os.Setenv("GODEBUG", v)
	defer func() {
		if had {
			os.Setenv("GODEBUG", old)
		} else {
			os.Unsetenv("GODEBUG")
		}
	}()
	f()
}

const labelsInDumps = true
