package gotestbackgroundclean

import (
	"testing"
	"time"
)

func TestRecordFlush(t *testing.T) {
	Record("a")
	Record("b")
	Flush()
	if flushed != 2 {
		t.Fatalf("flushed = %d, want 2", flushed)
	}
}

func TestManyRecords(t *testing.T) {
	for i := 0; i < 100; i++ {
		Record("x")
	}
	time.Sleep(700 * time.Millisecond)
	Flush()
}
