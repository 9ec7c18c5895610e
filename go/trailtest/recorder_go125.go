//go:build go1.25

package trailtest

import (
	"io"
	"runtime/trace"
	"sync"
	"time"
)

// The flight recorder keeps the last seconds of the execution trace in memory (Go 1.25+).
var (
	recMu sync.Mutex
	fr    *trace.FlightRecorder
)

const recorderKind = "flight recorder"

func startRecorder() error {
	recMu.Lock()
	defer recMu.Unlock()
	if fr != nil {
		return nil
	}
	r := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 10 * time.Second, MaxBytes: 64 << 20})
	if err := r.Start(); err != nil {
		return err
	}
	fr = r
	return nil
}

func stopRecorder() {
	recMu.Lock()
	defer recMu.Unlock()
	if fr != nil {
		fr.Stop()
		fr = nil
	}
}

// recordedTrace writes the recorded window to w; ok is false when no recorder runs.
func recordedTrace(w io.Writer) (bool, error) {
	recMu.Lock()
	defer recMu.Unlock()
	if fr == nil {
		return false, nil
	}
	_, err := fr.WriteTo(w)
	return true, err
}
