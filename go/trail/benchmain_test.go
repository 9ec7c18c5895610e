package trail

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	benchTracing = os.Getenv("CTXTRAIL_BENCH_TRACE") == "1"
	os.Exit(m.Run())
}
