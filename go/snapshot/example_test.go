//go:build go1.25

package snapshot_test

import (
	"log"
	"runtime"
	"runtime/trace"
	"strings"
	"time"

	"github.com/ctxtrail/ctxtrail/go/snapshot"
)

// snapshotWhenGoroutinesGrow checks the goroutine count every interval and, once it has grown
// at `checks` checks in a row, writes the flight recorder's last seconds, a goroutine dump
// and the goroutine leak profile into dir and returns their paths.
func snapshotWhenGoroutinesGrow(fr *trace.FlightRecorder, dir string, interval time.Duration, checks int) ([]string, error) {
	last, grew := runtime.NumGoroutine(), 0
	for range time.Tick(interval) {
		n := runtime.NumGoroutine()
		if n > last {
			grew++
		} else {
			grew = 0
		}
		last = n
		if grew == checks {
			return snapshot.Write(dir, "", fr)
		}
	}
	return nil, nil
}

// A service keeps a flight recorder running (the last 10 s of its execution trace, in
// memory) and, when its goroutine count has grown for a minute, saves the trace, the leak
// profile and a dump for `ctxtrail analyze`.
func Example() {
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 10 * time.Second, MaxBytes: 16 << 20})
	if err := fr.Start(); err != nil {
		log.Fatal(err)
	}
	go func() {
		files, err := snapshotWhenGoroutinesGrow(fr, "/var/tmp/goroutine-growth", 10*time.Second, 6)
		log.Printf("goroutines kept growing: ctxtrail analyze %s (%v)", strings.Join(files, " "), err)
	}()
	// ... serve
}
