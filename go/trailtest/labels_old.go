//go:build !go1.26

package trailtest

// withTracebackLabels: dumps show no labels before Go 1.26.
func withTracebackLabels(f func()) { f() }

const labelsInDumps = false
