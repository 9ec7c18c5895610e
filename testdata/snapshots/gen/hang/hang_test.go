// Package hang has a test that never returns, so `go test -timeout 2s` panics and dumps every
// goroutine.
package hang

import (
	"sync"
	"testing"
)

func TestFine(t *testing.T) {}

func TestHang(t *testing.T) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-done // never closed
	}()
	wg.Wait()
}
