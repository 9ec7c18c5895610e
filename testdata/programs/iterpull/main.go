// Program iterpull drives iter.Pull coroutines, which the tracer records as GoCreateBlocked,
// GoSwitch and GoSwitchDestroy. Usage: iterpull OUT.trace
package main

import (
	"iter"
	"os"

	"ctxtrail/testdata/programs/internal/traced"
)

func count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func main() {
	traced.Run(os.Args[1], func() {
		sum := 0
		for round := 0; round < 20; round++ {
			next, stop := iter.Pull(count(50))
			for {
				v, ok := next()
				if !ok {
					break
				}
				sum += v
				if round%2 == 1 && v == 25 {
					break // stop early: the coroutine is destroyed while suspended
				}
			}
			stop()
		}
		_ = sum
	})
}
