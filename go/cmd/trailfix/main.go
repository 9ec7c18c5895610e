// Command trailfix rewrites context.With*/AfterFunc/Background/TODO/WithoutCancel calls to
// package trail (github.com/ctxtrail/ctxtrail/go/trail), or back with -undo.
//
//	go run github.com/ctxtrail/ctxtrail/go/cmd/trailfix -fix ./...
//	go run github.com/ctxtrail/ctxtrail/go/cmd/trailfix -undo -fix ./...
//	go build -o trailfix github.com/ctxtrail/ctxtrail/go/cmd/trailfix && go vet -vettool=$PWD/trailfix ./...
package main

import (
	"github.com/ctxtrail/ctxtrail/go/trailfix"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(trailfix.Analyzer) }
