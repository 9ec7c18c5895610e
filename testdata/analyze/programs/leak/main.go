package main

import (
	"example.com/analyze/tr"
	"time"
)

func fetch() int {
	ch := make(chan int)
	go func() {
		time.Sleep(5 * time.Millisecond)
		ch <- 1 // want leaked-goroutine block
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Millisecond):
		return 0
	}
}

func main() {
	stop := tr.Start()
	done := make(chan struct{})
	go func() {
		for i := 0; i < 3; i++ {
			fetch()
		}
		close(done)
	}()
	<-done
	time.Sleep(700 * time.Millisecond)
	stop()
}
