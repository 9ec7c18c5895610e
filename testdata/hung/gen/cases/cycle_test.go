//go:build hungcorpus

// ctxtrail's own hung-test case (not GoKer): a real deadlock cycle. Two goroutines
// each hold one mutex and want the other's; the test waits on both through a
// WaitGroup. The barrier makes the cycle certain, not a matter of scheduling.
// Built into the hung-test package by testdata/hung/gen only (tag hungcorpus).

package hung

import (
	"sync"
	"testing"
)

func lockBoth(first, second *sync.Mutex, bothHold, wg *sync.WaitGroup) {
	defer wg.Done()
	first.Lock()
	bothHold.Done()
	bothHold.Wait() // both goroutines now hold their first mutex
	second.Lock()   // held by the other goroutine, which waits for ours: never proceeds
	second.Unlock()
	first.Unlock()
}

func TestCycle(t *testing.T) {
	var accounts, ledger sync.Mutex
	var bothHold, wg sync.WaitGroup
	bothHold.Add(2)
	wg.Add(2)
	go lockBoth(&accounts, &ledger, &bothHold, &wg) // holds accounts, wants ledger
	go lockBoth(&ledger, &accounts, &bothHold, &wg) // holds ledger, wants accounts
	wg.Wait()                                       // the test waits on both forever
}
