package main

import (
	"example.com/analyze/tr"
	"sync"
	"time"
)

func main() {
	stop := tr.Start()
	jobs := make(chan int)
	results := make(chan int, 100)
	var mu sync.Mutex
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs {
				mu.Lock()
				results <- j * 2
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < 50; i++ {
		jobs <- i
	}
	for i := 0; i < 50; i++ {
		<-results
	}
	time.Sleep(700 * time.Millisecond) // idle pool, live creator
	stop()
}
