// go-cache's janitor (github.com/patrickmn/go-cache v2.1.0+incompatible): a cache made with a
// cleanup interval starts a goroutine that deletes expired items on a ticker until the cache
// is garbage collected (a finalizer stops it). The test drops its cache without that
// happening (the corpus runs it with GOGC=off), so the janitor ticks on, every 10 ms, after
// the test that made it returned: the goroutine goleak would name.
package gocachejanitor

import (
	"testing"
	"time"

	"github.com/patrickmn/go-cache"
)

func TestSessionCache(t *testing.T) {
	sessions := cache.New(5*time.Millisecond, 10*time.Millisecond)
	sessions.Set("alice", "token-1", cache.DefaultExpiration)
	if v, ok := sessions.Get("alice"); !ok || v != "token-1" {
		t.Fatalf("Get(alice) = %v, %v", v, ok)
	}
	// BUG: the cache (and its janitor) outlives the test; nothing stops the janitor.
}

// TestLater keeps the test binary (and the trace) running after the leaking test.
func TestLater(t *testing.T) {
	time.Sleep(300 * time.Millisecond)
}
