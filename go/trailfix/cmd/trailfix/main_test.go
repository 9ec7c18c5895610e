package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const prog = `package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(ctx.Err() == nil, special())
}
`

// taggedProg is behind a build tag: only "-tags special" makes trailfix see it.
const taggedProg = `//go:build special

package main

import "context"

func special() bool { return context.TODO() != nil }
`

const untaggedProg = `//go:build !special

package main

func special() bool { return true }
`

// lostProg loses the cancel func of a trail constructor: vet's lostcancel is silent on it.
const lostProg = `package lost

import (
	"context"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
)

func Start(parent context.Context) context.Context {
	ctx, _ := trail.WithTimeout(parent, time.Second)
	return ctx
}
`

// TestEndToEnd installs trailfix as README says (go get -tool) with each toolchain (the
// preinstalled one and Go 1.27) and uses it on a fresh module that still calls context.*: as a vet tool it must fail there
// (Go 1.26+ runs vet tools with -json and decides from their JSON output, which
// x/tools v0.30 wrote to the wrong place: vet passed), -fix must rewrite it (files behind
// the given -tags included) and exit 0, the result must build, run and pass vet, a lost
// trail cancel func must fail vet, and -undo must restore the files byte for byte.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs go commands")
	}
	for _, toolchain := range []string{"local", "go1.27.3"} {
		t.Run(toolchain, func(t *testing.T) { endToEnd(t, toolchain) })
	}
}

func endToEnd(t *testing.T, toolchain string) {
	env := append(os.Environ(), "GOTOOLCHAIN="+toolchain, "GOFLAGS=-mod=mod")
	if out, err := command(env, ".", "go", "version"); err != nil {
		t.Skipf("toolchain %s cannot be run or fetched (no module proxy?): %v\n%s", toolchain, err, out)
	}
	trailfixModule, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	trailModule := filepath.Dir(trailfixModule) // go/: package trail
	dir := t.TempDir()
	// run runs a command that must exit with status want.
	run := func(wd string, want int, name string, args ...string) string {
		t.Helper()
		out, err := command(env, wd, name, args...)
		got := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			got = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		if got != want {
			t.Fatalf("%s %v: exit status %d, want %d\n%s", name, args, got, want, out)
		}
		return out
	}
	app := filepath.Join(dir, "app")
	files := map[string]string{
		"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire (\n" +
			"\tgithub.com/ctxtrail/ctxtrail/go v0.0.0\n\tgithub.com/ctxtrail/ctxtrail/go/trailfix v0.0.0\n)\n\n" +
			"replace (\n\tgithub.com/ctxtrail/ctxtrail/go => " + trailModule + "\n" +
			"\tgithub.com/ctxtrail/ctxtrail/go/trailfix => " + trailfixModule + "\n)\n",
		"main.go": prog, "tagged.go": taggedProg, "untagged.go": untaggedProg, "lost/lost.go": lostProg,
	}
	for name, content := range files {
		write(t, filepath.Join(app, name), content)
	}
	// The checksums of trailfix's own requirements (x/tools...), as a user's go.sum gets them
	// from the checksum database: with GOPROXY=off, go would ask sum.golang.org directly,
	// which a machine that reaches only the module proxy cannot, unless an earlier lookup
	// left them in the module cache's sumdb tiles (why this passed on a used machine only).
	sums, err := os.ReadFile(filepath.Join(trailfixModule, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(app, "go.sum"), string(sums))
	// Installed as README says. The modules are not published: GOPROXY=off, or go get asks
	// the proxy about .../trailfix/cmd/trailfix as a module path and this proxy says 403.
	withProxy := env
	env = append(slices.Clip(env), "GOPROXY=off")
	run(app, 0, "go", "get", "-tool", "github.com/ctxtrail/ctxtrail/go/trailfix/cmd/trailfix")
	bin := strings.TrimSpace(run(app, 0, "go", "tool", "-n", "trailfix"))
	// tidy wants the test dependencies of x/tools too (go-cmp), which a fresh module cache
	// lacks: from the proxy, and the ctxtrail modules (replaced) never asked of it.
	env = append(slices.Clip(withProxy), "GONOPROXY=github.com/ctxtrail", "GONOSUMDB=github.com/ctxtrail")
	run(app, 0, "go", "mod", "tidy")
	env = append(slices.Clip(withProxy), "GOPROXY=off")

	// As a vet tool, on unfixed code: fails, naming the call.
	out := run(app, 1, "go", "vet", "-vettool="+bin, ".")
	if !strings.Contains(out, "main.go:10:17: context.WithTimeout can use trail.WithTimeout") {
		t.Fatalf("go vet -vettool on unfixed code did not report the call:\n%s", out)
	}
	// Standalone, without -fix: exit status 3 = diagnostics.
	if out := run(app, 3, bin, "./..."); !strings.Contains(out, "context.WithTimeout can use trail.WithTimeout") {
		t.Fatalf("no diagnostic:\n%s", out)
	}

	run(app, 0, "go", "tool", "trailfix", "-tags", "special", "-fix", "./...")
	src := read(t, filepath.Join(app, "main.go"))
	if !strings.Contains(src, "trail.WithTimeout(trail.Background(), time.Second)") ||
		strings.Contains(src, `"context"`) || !strings.Contains(src, `"github.com/ctxtrail/ctxtrail/go/trail"`) {
		t.Fatalf("not rewritten:\n%s", src)
	}
	if tagged := read(t, filepath.Join(app, "tagged.go")); !strings.Contains(tagged, "trail.TODO()") {
		t.Fatalf("the file behind -tags special was not rewritten:\n%s", tagged)
	}
	if out := run(app, 0, "gofmt", "-l", "."); strings.TrimSpace(out) != "" {
		t.Fatalf("not gofmt-formatted: %s\n%s", out, src)
	}
	run(app, 0, "go", "mod", "tidy")
	if out := run(app, 0, "go", "run", "-tags", "special", "."); strings.TrimSpace(out) != "true true" {
		t.Fatalf("rewritten program printed %q", out)
	}
	run(app, 0, "go", "vet", "-vettool="+bin, "-tags", "special", ".") // nothing left to report
	out = run(app, 1, "go", "vet", "-vettool="+bin, "./lost")
	if !strings.Contains(out, "the cancel function returned by trail.WithTimeout should be called") {
		t.Fatalf("go vet -vettool did not report the lost trail cancel func:\n%s", out)
	}

	// lost/ has no context version; go.mod has grown (tool, x/tools).
	run(app, 0, "go", "tool", "trailfix", "-tags", "special", "-undo", "-fix", ".")
	for _, name := range []string{"main.go", "tagged.go", "untagged.go"} {
		if got := read(t, filepath.Join(app, name)); got != files[name] {
			t.Fatalf("-undo did not restore %s:\n%s", name, got)
		}
	}
}

func command(env []string, wd, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = wd
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
