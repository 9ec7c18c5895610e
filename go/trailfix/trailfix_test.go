package trailfix_test

import (
	"testing"

	"github.com/ctxtrail/ctxtrail/go/trailfix"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestToTrail(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), trailfix.Analyzer, "a")
}

func TestUndo(t *testing.T) {
	if err := trailfix.Analyzer.Flags.Set("undo", "true"); err != nil {
		t.Fatal(err)
	}
	defer trailfix.Analyzer.Flags.Set("undo", "false")
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), trailfix.Analyzer, "b")
}

func TestRewrites(t *testing.T) {
	if !trailfix.Rewrites("WithTimeout") || !trailfix.Rewrites("Background") || trailfix.Rewrites("WithValue") {
		t.Error("Rewrites: want WithTimeout and Background, not WithValue")
	}
}
