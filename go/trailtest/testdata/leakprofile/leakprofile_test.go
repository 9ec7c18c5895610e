// Package leakprofile is a fixture: its test fails on purpose, leaking a goroutine that the
// goroutine leak profile can prove leaked, so that trailtest writes the trace, the dump and
// the profile that trailtest's own tests read back.
package leakprofile

import (
	"testing"

	"github.com/ctxtrail/ctxtrail/go/trailtest"
)

func send(result chan<- int) { result <- 42 } // ABANDONED-SEND: nobody will ever receive

func TestAbandonsASender(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	result := make(chan int)
	go send(result) // ABANDONED-GO: the test returns without receiving
}
