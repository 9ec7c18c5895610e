//go:build go1.26

package trailtest

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
)

var envMu sync.Mutex

// withTracebackLabels runs f with GODEBUG=tracebacklabels=1 (Go 1.26+), so that goroutine
// dumps show pprof labels; the environment is restored afterwards. The environment is the
// process's: for that moment parallel tests and subprocesses started then see the setting
// too. It is left alone when dumps show labels already: GODEBUG set by the user, or (Go
// 1.27; Go 1.26 rejects the setting there) `//go:debug tracebacklabels=1` in a test file.
func withTracebackLabels(f func()) {
	envMu.Lock()
	defer envMu.Unlock()
	if dumpsShowLabels() {
		f()
		return
	}
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

// dumpsShowLabels reports whether a traceback shows pprof labels now. It probes on a
// goroutine of its own: pprof.Do on the caller would leave it with the labels of the
// context passed, not with its own.
func dumpsShowLabels() bool {
	shown := make(chan bool)
	go func() {
		pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("ctxtrail.probe", "1")))
		buf := make([]byte, 4<<10)
		shown <- bytes.Contains(buf[:runtime.Stack(buf, false)], []byte("ctxtrail.probe"))
	}()
	return <-shown
}
