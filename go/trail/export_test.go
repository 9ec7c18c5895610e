package trail

import "sync"

// captureLog collects every logged message until the returned stop func is called.
func captureLog() (get func() []string, stop func()) {
	var mu sync.Mutex
	var msgs []string
	h := func(m string) { mu.Lock(); msgs = append(msgs, m); mu.Unlock() }
	logHook.Store(&h)
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), msgs...) },
		func() { logHook.Store(nil) }
}
