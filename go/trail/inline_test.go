package trail

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRootsInline: with tracing off, Background and TODO cost what context's do only if
// the compiler inlines them (one load of trace.IsEnabled, then the constant); a call costs
// more than the whole of context.Background. Their bodies sit at the inliner's budget, so
// an innocent edit (an argument to the traced path, a package variable) would lose it.
func TestRootsInline(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goTool, "build", "-gcflags=-m", "-o", "/dev/null", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, fn := range []string{"Background", "TODO"} {
		if !hasLine(string(out), ": can inline "+fn) {
			t.Errorf("%s is not inlined:\n%s", fn, grepLines(string(out), fn))
		}
	}
}

// hasLine: a line of -m's output ends with suffix ("can inline TODOx" is another function).
func hasLine(text, suffix string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasSuffix(line, suffix) {
			return true
		}
	}
	return false
}

func grepLines(text, word string) string {
	var kept []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, word) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}
