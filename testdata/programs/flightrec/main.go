// Program flightrec runs the Go 1.25+ flight recorder (runtime/trace.FlightRecorder) over a
// bit more than a second of mixed work and writes one snapshot, a trace whose first
// generation is not 1. Usage: flightrec OUT.trace
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 500 * time.Millisecond, MaxBytes: 4 << 20})
	if err := fr.Start(); err != nil {
		panic(err)
	}
	deadline := time.Now().Add(1300 * time.Millisecond)
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range ch {
				time.Sleep(time.Duration(v%3) * 100 * time.Microsecond)
			}
		}()
	}
	for i := 0; time.Now().Before(deadline); i++ {
		ch <- i
		if i%50 == 0 {
			time.Sleep(2 * time.Millisecond)
		}
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if _, err := fr.WriteTo(f); err != nil {
		panic(err)
	}
	close(ch)
	wg.Wait()
	fr.Stop()
	if err := f.Close(); err != nil {
		panic(err)
	}
}
