//go:build !go1.25

package trailtest

import (
	"io"
	"os"
	"runtime/trace"
	"sync"
)

// Before Go 1.25 there is no flight recorder: trace everything into a temporary file;
// recordedTrace stops tracing, copies the file and starts a new one.
var (
	recMu sync.Mutex
	recF  *os.File
)

const recorderKind = "runtime/trace (no flight recorder before Go 1.25: whole trace since start)"

func startRecorder() error {
	recMu.Lock()
	defer recMu.Unlock()
	return startLocked()
}

func startLocked() error {
	if recF != nil {
		return nil
	}
	f, err := os.CreateTemp("", "ctxtrail-*.trace")
	if err != nil {
		return err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	recF = f
	return nil
}

func stopRecorder() {
	recMu.Lock()
	defer recMu.Unlock()
	if recF != nil {
		trace.Stop()
		recF.Close()
		os.Remove(recF.Name())
		recF = nil
	}
}

func recordedTrace(w io.Writer) (bool, error) {
	recMu.Lock()
	defer recMu.Unlock()
	if recF == nil {
		return false, nil
	}
	trace.Stop()
	name := recF.Name()
	recF.Close()
	recF = nil
	defer os.Remove(name)
	defer startLocked()
	f, err := os.Open(name)
	if err != nil {
		return true, err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return true, err
}
