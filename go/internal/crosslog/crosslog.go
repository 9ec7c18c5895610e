// Package crosslog lets the tests of the transport packages (trailhttp, trailgrpc, trailk8s)
// see the cross-process events trail writes, without parsing a trace: trail passes every
// proc, send, abort, remote and remotecancel message to Hook when it is set.
package crosslog

import (
	"sync"
	"sync/atomic"
)

// Hook, when set, receives every cross-process message trail logs.
var Hook atomic.Pointer[func(msg string)]

// Capture collects messages until stop is called; get returns those so far.
func Capture() (get func() []string, stop func()) {
	var mu sync.Mutex
	var msgs []string
	h := func(m string) { mu.Lock(); msgs = append(msgs, m); mu.Unlock() }
	Hook.Store(&h)
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), msgs...) },
		func() { Hook.Store(nil) }
}
