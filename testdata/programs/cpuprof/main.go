// Program cpuprof burns CPU while both the CPU profiler and the tracer are on, so the trace
// holds CPU samples (StackSample events). Usage: cpuprof OUT.trace
package main

import (
	"io"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func spin(d time.Duration) uint64 {
	var x uint64 = 1
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 10000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	return x
}

func main() {
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		panic(err)
	}
	defer pprof.StopCPUProfile()
	traced.Run(os.Args[1], func() {
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				spin(150 * time.Millisecond)
			}()
		}
		wg.Wait()
	})
}
