// Scenario: an account store unlocks its mutex on the success path only. One request fails
// validation and returns with the lock held; the requests after it block in Lock forever, long
// after the goroutines that started them have returned. No context is involved.
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
	s.mu.Lock() // want leaked-goroutine block
	if s.balances[account] < amount {
		return errInsufficient // BUG: returns with s.mu held
	}
	s.balances[account] -= amount
	s.mu.Unlock()
	return nil
}

// handle serves one request in its own goroutine, as a server does, and reports the outcome.
func handle(s *store, account string, amount int, done chan<- error) {
	go func() { // want leaked-goroutine creation
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
