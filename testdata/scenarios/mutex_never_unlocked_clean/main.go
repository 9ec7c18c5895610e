// Clean twin of mutex_never_unlocked: withdraw unlocks with defer, so a failed request releases
// the lock and the requests after it go through.
package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

var errInsufficient = errors.New("insufficient funds")

type store struct {
	mu       sync.Mutex
	balances map[string]int
}

// withdraw takes amount from account.
func (s *store) withdraw(account string, amount int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.balances[account] < amount {
		return errInsufficient
	}
	s.balances[account] -= amount
	return nil
}

// handle serves one request in its own goroutine, as a server does, and reports the outcome.
func handle(s *store, account string, amount int, done chan<- error) {
	go func() {
		done <- s.withdraw(account, amount)
	}()
}

func main() {
	stop := tracefile.Start()
	s := &store{balances: map[string]int{"alice": 100, "bob": 10}}
	done := make(chan error, 8)
	handle(s, "alice", 30, done)
	fmt.Println("alice:", <-done)
	handle(s, "bob", 50, done)
	fmt.Println("bob:", <-done)
	var wg sync.WaitGroup
	for _, acct := range []string{"alice", "bob"} {
		wg.Add(1)
		go func() { // a client that fires one request and does not wait for the answer
			defer wg.Done()
			handle(s, acct, 5, done)
		}()
	}
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	stop()
}
