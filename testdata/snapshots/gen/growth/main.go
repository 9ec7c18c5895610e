// Program growth writes three goroutine dumps of one process, taken one after another, to the
// files named on its command line: between each two, 40 more request goroutines leak on a send
// nobody receives, while a pool of 8 workers stays the same and a batch of 30 short-lived
// goroutines is gone by the last dump (load, not a leak).
package main

import (
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

func reply(out chan<- string) {
	out <- "done" // the caller timed out and left: nobody receives
}

func serve(out chan<- string) {
	go reply(out)
}

func worker(jobs <-chan int) {
	for range jobs {
	}
}

func batch(release <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	<-release
}

func dump(path string) {
	time.Sleep(20 * time.Millisecond)
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	pprof.Lookup("goroutine").WriteTo(f, 2)
	f.Close()
}

func main() {
	jobs := make(chan int)
	for i := 0; i < 8; i++ {
		go worker(jobs)
	}
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go batch(release, &wg)
	}
	for step, path := range os.Args[1:] {
		for i := 0; i < 40; i++ {
			serve(make(chan string))
		}
		if step == 1 {
			close(release)
			wg.Wait()
		}
		dump(path)
	}
}
