// Command leak leaks a goroutine on a channel nothing else can reach, then writes the
// goroutineleak profile with debug=2 to stdout. Needs GOEXPERIMENT=goroutineleakprofile.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func produce(ch chan<- int) { ch <- 42 }

// start returns without keeping its channel: the sender can never be received from.
func start() {
	ch := make(chan int)
	go produce(ch)
}

func main() {
	start()
	alive := make(chan int)
	go func() { <-alive }() // blocked, but main still holds alive: not leaked
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
	pprof.Lookup("goroutineleak").WriteTo(os.Stdout, 2)
	close(alive)
}
