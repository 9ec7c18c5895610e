// Package trailfix is a go/analysis analyzer that rewrites a package's calls of the
// context package's constructors (context.WithCancel, WithCancelCause, WithTimeout,
// WithTimeoutCause, WithDeadline, WithDeadlineCause, WithoutCancel, AfterFunc, Background,
// TODO) to the drop-in equivalents in package trail, and back with -undo. Each use is a
// diagnostic; the first one in a file carries a suggested fix with every edit of that file,
// including the imports: the trail import is added, and the context import is removed
// only when nothing else in the file uses it (e.g. the context.Context type keeps it).
package trailfix

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// TrailPath is the import path of package trail.
const TrailPath = "github.com/ctxtrail/ctxtrail/go/trail"

// funcs are the rewritten functions (same names and signatures in both packages); not
// exported, so that no importer can change what the analyzer rewrites (see Rewrites).
var funcs = map[string]bool{
	"WithCancel": true, "WithCancelCause": true, "WithTimeout": true, "WithTimeoutCause": true,
	"WithDeadline": true, "WithDeadlineCause": true, "WithoutCancel": true, "AfterFunc": true,
	"Background": true, "TODO": true,
}

// Rewrites reports whether the analyzer rewrites the function of that name (e.g.
// "WithTimeout") of package context to package trail's, and back.
func Rewrites(name string) bool { return funcs[name] }

var undo bool

// Analyzer rewrites context.* calls to trail.* (or back with -undo).
var Analyzer = &analysis.Analyzer{
	Name: "trailfix",
	Doc: "rewrite context constructors to package trail (github.com/ctxtrail/ctxtrail/go/trail)\n\n" +
		"Reports every use of context.WithCancel, WithCancelCause, WithTimeout, WithTimeoutCause,\n" +
		"WithDeadline, WithDeadlineCause, WithoutCancel, AfterFunc, Background and TODO, with a fix\n" +
		"that uses the trail equivalents and updates the imports. With -undo, the reverse.",
	URL: "https://github.com/ctxtrail/ctxtrail/blob/main/go/README.md",
	Run: run,
}

func init() {
	Analyzer.Flags.BoolVar(&undo, "undo", false, "rewrite trail.* back to context.*")
}

func run(pass *analysis.Pass) (any, error) {
	from, to := "context", TrailPath
	if undo {
		from, to = TrailPath, "context"
	}
	for _, f := range pass.Files {
		if ast.IsGenerated(f) {
			continue // generated code is left to its generator
		}
		fixFile(pass, f, from, to)
	}
	return nil, nil
}

// importOf finds the import spec of path in f and the local name it binds.
func importOf(pass *analysis.Pass, f *ast.File, path string) (*ast.ImportSpec, *types.PkgName) {
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil || p != path {
			continue
		}
		var obj types.Object
		if s.Name != nil {
			obj = pass.TypesInfo.Defs[s.Name]
		} else {
			obj = pass.TypesInfo.Implicits[s]
		}
		pn, _ := obj.(*types.PkgName)
		return s, pn
	}
	return nil, nil
}

func fixFile(pass *analysis.Pass, f *ast.File, from, to string) {
	spec, pkgName := importOf(pass, f, from)
	if spec == nil || pkgName == nil {
		return
	}
	// Uses of the from package in this file, and which of them are rewritten.
	var rewrite []*ast.SelectorExpr
	total := 0
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == pkgName {
			total++
		}
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && pass.TypesInfo.Uses[x] == pkgName && funcs[sel.Sel.Name] {
			rewrite = append(rewrite, sel)
		}
		return true
	})
	if len(rewrite) == 0 {
		return
	}
	// The name to use for the target package.
	toSpec, toPkg := importOf(pass, f, to)
	name := ""
	if toPkg != nil {
		name = toPkg.Name()
	} else {
		base := "trail"
		if to == "context" {
			base = "context"
		}
		name = base
		for i := 2; nameTaken(pass, f, name); i++ {
			name = base + strconv.Itoa(i)
		}
	}
	var edits []analysis.TextEdit
	for _, sel := range rewrite {
		edits = append(edits, analysis.TextEdit{Pos: sel.X.Pos(), End: sel.X.End(), NewText: []byte(name)})
	}
	removeFrom := total == len(rewrite)
	if toSpec == nil {
		newSpec := strconv.Quote(to)
		defaultName := "trail"
		if to == "context" {
			defaultName = "context"
		}
		if name != defaultName {
			newSpec = name + " " + newSpec
		}
		alone := len(f.Imports) == 1
		switch {
		case removeFrom && alone:
			// Replace the only import in place.
			edits = append(edits, analysis.TextEdit{Pos: spec.Pos(), End: spec.End(), NewText: []byte(newSpec)})
		case removeFrom:
			edits = append(edits, deleteImport(pass.Fset, f, spec), addImport(pass.Fset, f, to, newSpec, spec))
		default:
			edits = append(edits, addImport(pass.Fset, f, to, newSpec, nil))
		}
	} else if removeFrom {
		edits = append(edits, deleteImport(pass.Fset, f, spec))
	}
	verb := "can use " + name
	for i, sel := range rewrite {
		d := analysis.Diagnostic{
			Pos:     sel.Pos(),
			End:     sel.End(),
			Message: pkgName.Name() + "." + sel.Sel.Name + " " + verb + "." + sel.Sel.Name,
		}
		if i == 0 {
			msg := "use package trail"
			if undo {
				msg = "use package context"
			}
			d.SuggestedFixes = []analysis.SuggestedFix{{Message: msg, TextEdits: edits}}
		}
		pass.Report(d)
	}
}

// nameTaken reports whether name is declared or used in the file for something else than
// an import of the target package (so that it cannot be the package's local name).
func nameTaken(pass *analysis.Pass, f *ast.File, name string) bool {
	if pass.Pkg.Scope().Lookup(name) != nil {
		return true
	}
	taken := false
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			if obj := pass.TypesInfo.ObjectOf(id); obj != nil {
				if _, isPkg := obj.(*types.PkgName); !isPkg {
					taken = true
				}
			}
		}
		return !taken
	})
	for _, s := range f.Imports {
		if s.Name != nil && s.Name.Name == name {
			taken = true
		}
	}
	return taken
}

func isStd(path string) bool {
	first := path
	if i := strings.IndexByte(path, '/'); i >= 0 {
		first = path[:i]
	}
	return !strings.Contains(first, ".")
}

func specPath(s *ast.ImportSpec) string {
	p, _ := strconv.Unquote(s.Path.Value)
	return p
}

func specEnd(s *ast.ImportSpec) token.Pos {
	if s.Comment != nil {
		return s.Comment.End()
	}
	return s.End()
}

// addImport adds the import newSpec (of path) in gofmt/goimports order: in the standard
// library group or the last third-party group of the file's parenthesized import
// declaration, sorted, or as a group of its own; skip is a spec being deleted.
func addImport(fset *token.FileSet, f *ast.File, path, newSpec string, skip *ast.ImportSpec) analysis.TextEdit {
	var decl *ast.GenDecl
	var last *ast.GenDecl
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		last = gd
		if gd.Lparen.IsValid() && decl == nil {
			decl = gd
		}
	}
	if decl == nil {
		return analysis.TextEdit{Pos: last.End(), End: last.End(), NewText: []byte("\nimport " + newSpec)}
	}
	// Groups of consecutive lines.
	var groups [][]*ast.ImportSpec
	prevLine := -1
	for _, sp := range decl.Specs {
		is := sp.(*ast.ImportSpec)
		line := fset.Position(is.Pos()).Line
		if is.Doc != nil {
			line = fset.Position(is.Doc.Pos()).Line
		}
		if prevLine < 0 || line > prevLine+1 {
			groups = append(groups, nil)
		}
		prevLine = fset.Position(specEnd(is)).Line
		if is != skip {
			groups[len(groups)-1] = append(groups[len(groups)-1], is)
		}
	}
	std := isStd(path)
	var target []*ast.ImportSpec
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		allStd, allOther := true, true
		for _, is := range g {
			if isStd(specPath(is)) {
				allOther = false
			} else {
				allStd = false
			}
		}
		if std && allStd {
			target = g
			break
		}
		if !std && allOther {
			target = g // the last such group wins
		}
	}
	if target == nil {
		var all []*ast.ImportSpec
		for _, g := range groups {
			all = append(all, g...)
		}
		if len(all) == 0 {
			return analysis.TextEdit{Pos: decl.Lparen + 1, End: decl.Lparen + 1, NewText: []byte("\n\t" + newSpec)}
		}
		if std {
			return analysis.TextEdit{Pos: all[0].Pos(), End: all[0].Pos(), NewText: []byte(newSpec + "\n\n\t")}
		}
		end := specEnd(all[len(all)-1])
		return analysis.TextEdit{Pos: end, End: end, NewText: []byte("\n\n\t" + newSpec)}
	}
	for _, is := range target {
		if specPath(is) > path {
			pos := is.Pos()
			if is.Doc != nil {
				pos = is.Doc.Pos()
			}
			return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(newSpec + "\n\t")}
		}
	}
	end := specEnd(target[len(target)-1])
	return analysis.TextEdit{Pos: end, End: end, NewText: []byte("\n\t" + newSpec)}
}

// deleteImport removes spec: its whole lines, or the whole declaration when it is alone.
func deleteImport(fset *token.FileSet, f *ast.File, spec *ast.ImportSpec) analysis.TextEdit {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			if s != spec {
				continue
			}
			if len(gd.Specs) == 1 {
				return analysis.TextEdit{Pos: gd.Pos(), End: gd.End()}
			}
			tf := fset.File(spec.Pos())
			first := tf.Line(spec.Pos())
			if spec.Doc != nil {
				first = tf.Line(spec.Doc.Pos())
			}
			lastLine := tf.Line(specEnd(spec))
			end := token.Pos(tf.Base() + tf.Size())
			if lastLine < tf.LineCount() {
				end = tf.LineStart(lastLine + 1)
			}
			return analysis.TextEdit{Pos: tf.LineStart(first), End: end}
		}
	}
	return analysis.TextEdit{Pos: spec.Pos(), End: spec.End()}
}
