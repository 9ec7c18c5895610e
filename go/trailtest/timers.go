// Goroutines a timer may still wake: a goroutine blocked on <-time.After(d), on a ticker's
// channel, or on a channel a pending time.AfterFunc will close is not a leak yet, but its
// dump looks exactly like one that nothing will ever wake ("chan receive"). The runtime
// shows no pending timers, so the check reads the code the goroutine runs.

package trailtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// timerFuncs are package time's functions that set up a timer that fires later.
var timerFuncs = map[string]bool{"After": true, "AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true}

// timerSite returns "file:line" of a call setting up a timer (timerFuncs) in a top-level
// function the goroutine runs in (a frame of its stack) or that declares it (the function
// of its go statement: a goroutine started as a closure is usually woken by a timer the
// enclosing function set up, e.g. time.AfterFunc(d, func() { close(done) })), or "".
// Frames of the standard library are skipped: their own timers are not the test's.
func timerSite(g *goroutine) string {
	frames := append(append([]frame(nil), g.Frames...), g.CreatedBy)
	for _, f := range frames {
		if f.File == "" || strings.HasPrefix(f.File, stdSrc) {
			continue
		}
		if site := timerCallIn(f.File, f.Line); site != "" {
			return site
		}
	}
	return ""
}

// stdSrc is the standard library's source directory as dumps name it (GOROOT/src/), found
// from a standard function's file rather than from the deprecated runtime.GOROOT.
var stdSrc = func() string {
	file, _ := runtime.FuncForPC(reflect.ValueOf(strings.Cut).Pointer()).FileLine(0)
	return filepath.Dir(filepath.Dir(file)) + "/"
}()

// Parsed files, by path: the dumps of one check show the same few test files many times.
var (
	timerFilesMu sync.Mutex
	timerFiles   = map[string][]timerFunc{}
)

// timerFunc is a top-level function's line span and its first timer call, if any.
type timerFunc struct {
	from, to int
	site     string
}

// timerCallIn returns the first timer call of the top-level function of file spanning line.
func timerCallIn(file string, line int) string {
	timerFilesMu.Lock()
	funcs, ok := timerFiles[file]
	if !ok {
		funcs = parseTimerFuncs(file)
		timerFiles[file] = funcs
	}
	timerFilesMu.Unlock()
	for _, f := range funcs {
		if f.from <= line && line <= f.to {
			return f.site
		}
	}
	return ""
}

// parseTimerFuncs lists the top-level functions of file with their first timer call; nil
// when the file cannot be read (e.g. tests run from a binary built elsewhere).
func parseTimerFuncs(file string) []timerFunc {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	timeName := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
			timeName = "time"
			if imp.Name != nil {
				timeName = imp.Name.Name
			}
		}
	}
	if timeName == "" || timeName == "_" || timeName == "." {
		return nil
	}
	var funcs []timerFunc
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		tf := timerFunc{from: fset.Position(fd.Pos()).Line, to: fset.Position(fd.End()).Line}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || tf.site != "" {
				return tf.site == ""
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && timerFuncs[sel.Sel.Name] {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == timeName {
					p := fset.Position(call.Pos())
					tf.site = p.Filename + ":" + strconv.Itoa(p.Line)
				}
			}
			return true
		})
		funcs = append(funcs, tf)
	}
	return funcs
}
