package lostcancel_test

import (
	"path/filepath"
	"testing"

	"github.com/ctxtrail/ctxtrail/go/trailfix/lostcancel"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestTrailConstructors checks that a discarded or not-always-called cancel func of
// trail.With* is reported as vet reports context.With*'s.
func TestTrailConstructors(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, lostcancel.Analyzer, "lc") // trailfix's, with its trail stub
}
