// Program busy is the benchmark's load: many goroutines passing messages over channels,
// timers and sleeps, mutex contention and steady allocation (so GC runs often), traced for a
// given time. Usage: busy OUT.trace SECONDS
package main

import (
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

var sink atomic.Pointer[[]byte]

func main() {
	secs, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		panic(err)
	}
	traced.Run(os.Args[1], func() {
		var stop atomic.Bool
		var wg sync.WaitGroup
		var mu sync.Mutex
		shared := 0
		// Rings of goroutines passing a token around.
		for ring := 0; ring < 16; ring++ {
			const n = 32
			chans := make([]chan int, n)
			for i := range chans {
				chans[i] = make(chan int)
			}
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(in, out chan int) {
					defer wg.Done()
					for v := range in {
						if v%64 == 0 {
							b := make([]byte, 512+v%1024)
							sink.Store(&b)
						}
						if v%128 == 0 {
							mu.Lock()
							shared++
							mu.Unlock()
						}
						if stop.Load() {
							close(out)
							for range in {
							}
							return
						}
						out <- v + 1
					}
					close(out)
				}(chans[i], chans[(i+1)%n])
			}
			chans[0] <- ring
		}
		// Timer-driven goroutines.
		for i := 0; i < 64; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				t := time.NewTimer(time.Duration(i) * time.Microsecond)
				for !stop.Load() {
					<-t.C
					t.Reset(time.Duration(50+i) * time.Microsecond)
				}
				t.Stop()
			}(i)
		}
		time.Sleep(time.Duration(secs * float64(time.Second)))
		stop.Store(true)
		wg.Wait()
	})
}
