// Command trailfix rewrites context.With*/AfterFunc/Background/TODO/WithoutCancel calls to
// package trail (github.com/ctxtrail/ctxtrail/go/trail), or back with -undo, and checks
// that the cancel funcs of trail's constructors are called (lostcancel, which vet's own
// check does only for package context's).
//
//	go get -tool github.com/ctxtrail/ctxtrail/go/trailfix/cmd/trailfix
//	go tool trailfix -fix ./...                         # context.* -> trail.*
//	go tool trailfix -undo -fix ./...                   # trail.* -> context.*
//	go vet -vettool=$(go tool -n trailfix) ./...        # fails while a context.* call is left
package main

import (
	"flag"
	"os"

	"github.com/ctxtrail/ctxtrail/go/trailfix"
	"github.com/ctxtrail/ctxtrail/go/trailfix/lostcancel"
	"golang.org/x/tools/go/analysis/multichecker"
)

func main() {
	// -undo, not multichecker's analyzer-prefixed -trailfix.undo: the flag users know.
	undo := trailfix.Analyzer.Flags.Lookup("undo")
	flag.Var(undo.Value, undo.Name, undo.Usage)
	honourTags(os.Args[1:])
	multichecker.Main(trailfix.Analyzer, lostcancel.Analyzer)
}
