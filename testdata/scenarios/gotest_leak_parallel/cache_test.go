package gotestleakparallel

import (
	"testing"
	"time"
)

func TestPutGet(t *testing.T) {
	t.Parallel()
	c := New()
	defer c.Close()
	c.Put("k", "v", time.Hour)
	time.Sleep(100 * time.Millisecond) // runs alongside TestExpiry
	if v, ok := c.Get("k"); !ok || v != "v" {
		t.Fatalf("Get(k) = %q, %v", v, ok)
	}
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	c := New() // want leaked-goroutine test
	c.Put("k", "v", 10*time.Millisecond)
	time.Sleep(100 * time.Millisecond) // runs alongside TestPutGet
	if _, ok := c.Get("k"); ok {
		t.Fatal("entry did not expire")
	}
	// BUG: no c.Close(): the janitor outlives the test.
}

func TestCacheSubtests(t *testing.T) {
	t.Run("overwrite", func(t *testing.T) {
		t.Parallel()
		c := New()
		t.Cleanup(c.Close)
		c.Put("k", "old", time.Hour)
		c.Put("k", "new", time.Hour)
		time.Sleep(50 * time.Millisecond)
		if v, _ := c.Get("k"); v != "new" {
			t.Fatalf("Get(k) = %q, want new", v)
		}
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		c := New() // want leaked-goroutine test
		time.Sleep(50 * time.Millisecond)
		if _, ok := c.Get("nope"); ok {
			t.Fatal("found a key never stored")
		}
		// BUG: no t.Cleanup(c.Close): the janitor outlives the subtest.
	})
}

func TestSlowSuite(t *testing.T) {
	t.Parallel()
	// Keeps the binary (and the trace) running well past the leaking tests.
	time.Sleep(700 * time.Millisecond)
}
