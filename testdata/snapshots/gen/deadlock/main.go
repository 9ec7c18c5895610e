// Command deadlock blocks every goroutine, so the runtime stops it with
// "fatal error: all goroutines are asleep - deadlock!" and a dump of them.
package main

import "sync"

func relay(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v
	}
}

func main() {
	in, out := make(chan int), make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		relay(in, out)
	}()
	in <- 1 // relay takes it and blocks sending to out, which nobody reads
	wg.Wait()
}
