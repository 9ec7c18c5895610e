// Program gcpressure allocates hard from several goroutines so that the trace holds GC cycles,
// mark assists, sweeps, STW phases and heap metrics. Usage: gcpressure OUT.trace
package main

import (
	"os"
	"runtime"
	"sync"

	"ctxtrail/testdata/programs/internal/traced"
)

var sink [64][]byte

func main() {
	traced.Run(os.Args[1], func() {
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				var keep [][]byte
				for i := 0; i < 3000; i++ {
					b := make([]byte, 1024+i%4096)
					if i%16 == 0 {
						keep = append(keep, b)
					}
					if len(keep) > 100 {
						keep = keep[:0]
					}
					sink[(g*7+i)%64] = b
				}
			}(g)
		}
		wg.Wait()
		runtime.GC()
	})
}
