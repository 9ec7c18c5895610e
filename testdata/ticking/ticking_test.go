package main

import (
	"testing"
	"time"

	"github.com/patrickmn/go-cache"
)

// TestCacheDropped leaves its cache's janitor ticking after it returns (goleak reports it).
func TestCacheDropped(t *testing.T) {
	c := cache.New(time.Minute, 2*time.Millisecond)
	c.Set("session", 1, cache.DefaultExpiration)
	if _, ok := c.Get("session"); !ok {
		t.Fatal("no session")
	}
}

// TestLater runs after it, long enough for the janitor to tick.
func TestLater(t *testing.T) {
	time.Sleep(30 * time.Millisecond)
}
