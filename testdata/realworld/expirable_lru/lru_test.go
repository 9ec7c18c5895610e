// hashicorp/golang-lru's expirable LRU (github.com/hashicorp/golang-lru/v2 v2.0.7): NewLRU with
// a TTL starts a goroutine that deletes expired entries on a ticker (every TTL/100) until the
// LRU's done channel is closed, and its source says that channel "is never closed". Each of
// the four tests makes one LRU: four goroutines tick on after their tests returned.
package expirablelru

import (
	"testing"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

func useLRU(t *testing.T, key string) {
	c := expirable.NewLRU[string, int](16, nil, time.Second)
	c.Add(key, len(key))
	if v, ok := c.Get(key); !ok || v != len(key) {
		t.Fatalf("Get(%s) = %v, %v", key, v, ok)
	}
}

func TestUsers(t *testing.T)    { useLRU(t, "users") }
func TestOrders(t *testing.T)   { useLRU(t, "orders") }
func TestItems(t *testing.T)    { useLRU(t, "items") }
func TestSessions(t *testing.T) { useLRU(t, "sessions") }

// TestLater keeps the test binary (and the trace) running after the leaking tests.
func TestLater(t *testing.T) {
	time.Sleep(300 * time.Millisecond)
}
