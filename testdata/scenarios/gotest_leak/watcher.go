// Package gotestleak is a scenario traced with `go test -trace`: a small config watcher and a
// request server whose goroutines outlive the tests that forget to stop them.
package gotestleak

import (
	"strings"
	"time"
)

// Watcher serves the latest value of a config key until Close.
type Watcher struct {
	gets chan chan string
	quit chan struct{}
	done chan struct{}
}

// Watch starts the goroutine that owns the value; call Close to stop it.
func Watch(initial string) *Watcher {
	w := &Watcher{gets: make(chan chan string), quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop(initial) // want leaked-goroutine creation
	return w
}

func (w *Watcher) loop(value string) {
	defer close(w.done)
	for {
		select { // want leaked-goroutine block
		case <-w.quit:
			return
		case reply := <-w.gets:
			reply <- value
		}
	}
}

// Get returns the current value.
func (w *Watcher) Get() string {
	reply := make(chan string)
	w.gets <- reply
	return <-reply
}

// Close stops the watcher and waits for its goroutine.
func (w *Watcher) Close() {
	close(w.quit)
	<-w.done
}

// Poll calls fn every interval until the returned stop function is called.
func Poll(interval time.Duration, fn func()) (stop func()) {
	quit := make(chan struct{})
	go func() { // want leaked-goroutine creation
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select { // want leaked-goroutine block
			case <-quit:
				return
			case <-tick.C:
				fn()
			}
		}
	}()
	return func() { close(quit) }
}

// Server handles each submitted request in its own goroutine, which hands the reply to Replies.
type Server struct {
	requests chan string
	Replies  chan string
	quit     chan struct{}
	stopped  chan struct{}
}

// Start starts the accept loop.
func Start() *Server {
	s := &Server{requests: make(chan string), Replies: make(chan string),
		quit: make(chan struct{}), stopped: make(chan struct{})}
	go s.acceptLoop()
	return s
}

func (s *Server) acceptLoop() {
	defer close(s.stopped)
	for {
		select {
		case <-s.quit:
			return
		case req := <-s.requests:
			go s.handle(req) // want leaked-goroutine creation
		}
	}
}

func (s *Server) handle(req string) {
	time.Sleep(time.Millisecond)

	s.Replies <- strings.ToUpper(req) // want leaked-goroutine block
}

// Submit queues one request.
func (s *Server) Submit(req string) { s.requests <- req }

// Stop stops accepting requests; handlers still running finish on their own.
func (s *Server) Stop() {
	close(s.quit)
	<-s.stopped
}
