// Program pileup prints a goroutine dump (or, with -profile, the goroutine profile in protobuf)
// of a process where 150 request goroutines pile up on a send nobody receives, a small pool of
// 4 workers idles on its job channel (a healthy pool: fewer than --pileup-count), and one
// goroutine waits on a nil channel (it can never proceed).
package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func publish(results chan<- int, v int) {
	results <- v // nobody receives: the pile-up
}

func handle(results chan<- int, v int) {
	go publish(results, v)
}

func worker(jobs <-chan int) {
	for range jobs {
	}
}

func waitForConfig() {
	var updates chan struct{} // never made: a receive on nil blocks for ever
	<-updates
}

func main() {
	profile := flag.Bool("profile", false, "write the goroutine profile (protobuf) instead of a dump")
	flag.Parse()
	results := make(chan int)
	for i := 0; i < 150; i++ {
		handle(results, i)
	}
	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		go worker(jobs)
	}
	go waitForConfig()
	for runtime.NumGoroutine() < 156 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	debug := 2
	if *profile {
		debug = 0
	}
	pprof.Lookup("goroutine").WriteTo(os.Stdout, debug)
}
