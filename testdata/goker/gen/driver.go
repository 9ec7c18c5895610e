// Command goker (ctxtrail.test/goker) runs Go's GoKer goroutine leak kernels under
// runtime/trace and writes, per kernel, the execution trace and Go's goroutine leak profile:
// the corpus in testdata/goker/ that ctxtrail is measured on. scripts/goker-corpus builds it
// (with GOEXPERIMENT=goroutineleakprofile) and drives it; see testdata/goker/README.md.
//
//	goker list                              the kernels (name, Go test kind)
//	goker run [-settle D] KERNEL DIR        one run of one kernel (a child process; see runKernel)
//	goker corpus [flags] OUT                every kernel, each in fresh processes, into OUT/<Kernel>/
//	goker measure -ctxtrail BIN OUT         ctxtrail analyze --format json on every OUT/<Kernel>/trace.out
//	goker readme OUT                        OUT/README.md from OUT/corpus.json and OUT/ctxtrail.json
//
// The kernel files (*.go other than driver.go, register.go, expect.go, report.go) are copied
// unchanged from $GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker/ (Go 1.26).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "list":
		for _, e := range expectations {
			fmt.Printf("%s\t%s\n", e.Name, e.kind())
		}
	case "run":
		fs := flag.NewFlagSet("run", flag.ExitOnError)
		settle := fs.Duration("settle", 100*time.Millisecond, "how long to wait after the kernel returns before taking the leak profile")
		fs.Parse(os.Args[2:])
		if fs.NArg() != 2 {
			usage()
		}
		err = runKernel(fs.Arg(0), fs.Arg(1), *settle)
	case "corpus":
		err = corpusCmd(os.Args[2:])
	case "measure":
		err = measureCmd(os.Args[2:])
	case "readme":
		if len(os.Args) != 3 {
			usage()
		}
		err = writeReadme(os.Args[2])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "goker:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: goker list
       goker run [-settle D] KERNEL DIR
       goker corpus [-attempts N] [-settle D] [-timeout D] [-only K1,K2] OUT
       goker measure -ctxtrail BIN [-only K1,K2] OUT
       goker readme OUT`)
	os.Exit(2)
}

func (e expectation) kind() string {
	switch {
	case e.Excluded != "":
		return "excluded"
	case e.Flaky:
		return "makeFlakyTest"
	}
	return "makeTest"
}

// gomaxprocs is the GOMAXPROCS a kernel runs with: 1 for makeTest kernels, as Go's test
// sets; Go's test leaves makeFlakyTest kernels at the machine's default, which we pin to 2
// (as scripts/make-traces does) so that the corpus does not depend on the machine.
func (e expectation) gomaxprocs() int {
	if e.Flaky {
		return flakyProcs
	}
	return 1
}

var flakyProcs = 2

// kernelFile is the base name of the source file that registered the kernel.
func kernelFile(name string) string {
	f := cmds[name]
	if f == nil {
		return ""
	}
	fn := runtime.FuncForPC(reflect.ValueOf(f).Pointer())
	if fn == nil {
		return ""
	}
	file, _ := fn.FileLine(fn.Entry())
	return filepath.Base(file)
}

// runKernel is one run of one kernel, in "main mode" as Go's test runs it: the kernel
// function is called on the main goroutine (Go's test program's main calls it directly), the
// kernel starts its goroutines, then its deferred function waits (time.Sleep or
// yieldCount×Gosched, as Go's test program does) and writes its own leak profile to
// os.Stdout, which we send to /dev/null. When the kernel returns the process stays alive,
// like a server would: after a further fixed settle time we write the leak profile at
// debug=2 (leak.txt) and debug=0 (leak.pb.gz), and only then stop the trace (trace.out),
// which was started before the kernel was called.
func runKernel(name, dir string, settle time.Duration) error {
	f := cmds[name]
	if f == nil {
		return fmt.Errorf("unknown kernel %q", name)
	}
	prof := pprof.Lookup("goroutineleak")
	if prof == nil {
		return errors.New(`no "goroutineleak" profile: build with GOEXPERIMENT=goroutineleakprofile (Go 1.26) or with Go 1.27`)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tf, err := os.Create(filepath.Join(dir, "trace.out"))
	if err != nil {
		return err
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	stdout := os.Stdout
	os.Stdout = devnull

	if err := trace.Start(tf); err != nil {
		return err
	}
	f()
	time.Sleep(settle)
	for i := 0; i < yieldCount; i++ {
		runtime.Gosched()
	}
	var text, pb bytes.Buffer
	if err := prof.WriteTo(&text, 2); err != nil {
		return err
	}
	if err := prof.WriteTo(&pb, 0); err != nil {
		return err
	}
	trace.Stop()

	os.Stdout = stdout
	devnull.Close()
	if err := tf.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "leak.txt"), text.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "leak.pb.gz"), pb.Bytes(), 0o644)
}

// leak is one goroutine the debug=2 leak profile marked "(leaked)".
type leak struct {
	ID      int64  `json:"id"`
	Reason  string `json:"reason"`   // wait reason, without " (leaked)"
	Start   string `json:"start"`    // start function (frame above "created by"), without "main."
	Top     string `json:"top"`      // innermost frame of package main (where it blocks)
	TopLine string `json:"top_line"` // file:line of Top
	Creator string `json:"creator"`  // "created by" line
	// CreatorID is the goroutine that created it; CreatorState says what that one is at the
	// profile (debug=2 lists every live goroutine): "main" (goroutine 1, the kernel's and the
	// driver's), "leaked" (itself marked leaked), "alive" (listed, not leaked) or "ended".
	CreatorID    int64  `json:"creator_id"`
	CreatorState string `json:"creator_state"`
	Key          string `json:"key"`     // "<Start>(<args>) [<Reason>]": what Go's regexps match
	Pattern      int    `json:"pattern"` // index of the first expected regexp matching Key, -1 if none
}

var argsRE = regexp.MustCompile(`\([^()]*\)$`)

// normFunc replaces a frame's argument list by "(...)": "f(0x1, 0x2)" is "f(...)".
func normFunc(s string) string {
	return argsRE.ReplaceAllString(s, "(...)")
}

var createdInRE = regexp.MustCompile(` in goroutine (\d+)`)

var headerRE = regexp.MustCompile(`^goroutine (\d+) \[([^\]]*)\]:`)

// parseLeaks reads a debug=2 goroutine leak profile the way Go's test (extractLeaks) does.
func parseLeaks(text string, pats []*regexp.Regexp) []leak {
	var out []leak
	live := map[int64]bool{}
	for _, stack := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(stack, "\n")
		m := headerRE.FindStringSubmatch(lines[0])
		if m == nil {
			continue
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		live[id] = true
		if !strings.Contains(m[2], "(leaked)") || len(lines) < 5 {
			continue
		}
		reason := m[2]
		reason = reason[:strings.Index(reason, " (leaked)")]
		l := leak{ID: id, Reason: reason, Pattern: -1}
		for i := len(lines) - 1; i >= 2; i-- {
			if strings.HasPrefix(lines[i], "created by") {
				l.Start = strings.TrimPrefix(lines[i-2], "main.")
				l.Creator = strings.TrimSpace(lines[i]) + " at " + shortLine(lines[i+1:])
				if m := createdInRE.FindStringSubmatch(lines[i]); m != nil {
					l.CreatorID, _ = strconv.ParseInt(m[1], 10, 64)
				}
				break
			}
		}
		for i := 1; i+1 < len(lines); i += 2 {
			if strings.HasPrefix(lines[i], "main.") {
				l.Top = normFunc(strings.TrimPrefix(lines[i], "main."))
				l.TopLine = shortLine(lines[i+1:])
				break
			}
		}
		l.Key = l.Start + " [" + reason + "]"
		for j, p := range pats {
			if p.MatchString(l.Key) {
				l.Pattern = j
				break
			}
		}
		out = append(out, l)
	}
	ids := map[int64]bool{}
	for _, l := range out {
		ids[l.ID] = true
	}
	for i := range out {
		switch c := out[i].CreatorID; {
		case c == 1:
			out[i].CreatorState = "main"
		case ids[c]:
			out[i].CreatorState = "leaked"
		case live[c]:
			out[i].CreatorState = "alive"
		default:
			out[i].CreatorState = "ended"
		}
	}
	return out
}

// shortLine turns "\t/abs/path/file.go:12 +0x1f" into "file.go:12".
func shortLine(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	s := strings.TrimSpace(lines[0])
	if i := strings.LastIndex(s, " +0x"); i >= 0 {
		s = s[:i]
	}
	return filepath.Base(s)
}

func compile(e expectation) []*regexp.Regexp {
	var pats []*regexp.Regexp
	for _, s := range e.Leaks {
		pats = append(pats, regexp.MustCompile(s))
	}
	return pats
}

// kernelResult is what corpus.json records per kernel.
type kernelResult struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"` // makeTest, makeFlakyTest, excluded
	File       string `json:"file"`
	Gomaxprocs int    `json:"gomaxprocs"`
	Skipped    string `json:"skipped,omitempty"`
	Attempts   int    `json:"attempts"` // runs made
	Kept       int    `json:"kept"`     // which run's files are kept (1-based)
	Leaked     int    `json:"leaked"`   // goroutines marked "(leaked)" in leak.txt
	Patterns   int    `json:"patterns"` // expected regexps
	Matched    int    `json:"matched"`  // expected regexps matched by some leak
	Unexpected int    `json:"unexpected"`
	// GoTest: would this run pass Go's test's check? (makeTest: every regexp matched and no
	// unexpected leak; makeFlakyTest: no unexpected leak.)
	GoTest     bool        `json:"go_test_pass"`
	TraceBytes int64       `json:"trace_bytes"`
	LeakBytes  int64       `json:"leak_txt_bytes"`
	Groups     []leakGroup `json:"groups"`
	RunLog     string      `json:"run_log,omitempty"` // stderr of failed runs

	leaks []leak
}

// leakGroup is the leaked goroutines with the same start function (arguments left out) and
// wait reason, with one example.
type leakGroup struct {
	Key      string         `json:"key"`
	Pattern  int            `json:"pattern"`
	Count    int            `json:"count"`
	Creators map[string]int `json:"creators"` // CreatorState counts
	Example  leak           `json:"example"`
}

func (r *kernelResult) score() [3]int {
	ok := 0
	if r.success() {
		ok = 1
	}
	return [3]int{ok, r.Matched, -r.Unexpected}
}

// success is what a run must show to stop retrying: Go's test passes, and at least one
// expected leak happened (for flaky kernels Go's test passes even with no leak at all).
func (r *kernelResult) success() bool {
	return r.Skipped == "" && r.GoTest && r.Matched > 0
}

func evaluate(e expectation, leakText string) kernelResult {
	pats := compile(e)
	r := kernelResult{Name: e.Name, Kind: e.kind(), Patterns: len(pats)}
	r.leaks = parseLeaks(leakText, pats)
	seen := make([]bool, len(pats))
	byKey := map[string]int{}
	for _, l := range r.leaks {
		key := normFunc(l.Start) + " [" + l.Reason + "]"
		i, ok := byKey[key]
		if !ok {
			i = len(r.Groups)
			byKey[key] = i
			r.Groups = append(r.Groups, leakGroup{Key: key, Pattern: l.Pattern, Creators: map[string]int{}, Example: l})
		}
		r.Groups[i].Count++
		r.Groups[i].Creators[l.CreatorState]++
		r.Leaked++
		if l.Pattern < 0 {
			r.Unexpected++
		} else {
			seen[l.Pattern] = true
		}
	}
	for _, s := range seen {
		if s {
			r.Matched++
		}
	}
	if e.Flaky {
		r.GoTest = r.Unexpected == 0
	} else {
		r.GoTest = r.Unexpected == 0 && r.Matched == r.Patterns
	}
	return r
}

func selected(only string) []expectation {
	if only == "" {
		return expectations
	}
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		want[s] = true
	}
	var out []expectation
	for _, e := range expectations {
		if want[e.Name] {
			out = append(out, e)
		}
	}
	return out
}

func corpusCmd(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ExitOnError)
	attempts := fs.Int("attempts", 100, "runs per kernel at most: stop at the first run that passes Go's test's check with at least one expected leak, else keep the best run")
	settle := fs.Duration("settle", 100*time.Millisecond, "passed to run")
	timeout := fs.Duration("timeout", 30*time.Second, "a run taking longer is killed (the kernel hangs the process)")
	only := fs.String("only", "", "comma-separated kernels (default all)")
	fs.IntVar(&flakyProcs, "flaky-procs", flakyProcs, "GOMAXPROCS for makeFlakyTest kernels")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	out := fs.Arg(0)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	results := map[string]kernelResult{}
	if old, err := os.ReadFile(filepath.Join(out, "corpus.json")); err == nil && *only != "" {
		var prev corpusFile
		if json.Unmarshal(old, &prev) == nil {
			for _, r := range prev.Kernels {
				results[r.Name] = r
			}
		}
	}
	for _, e := range selected(*only) {
		r := runAttempts(self, e, out, *attempts, *settle, *timeout)
		results[e.Name] = r
		status := fmt.Sprintf("leaked %d, matched %d/%d regexps, %d unexpected, Go test check %v, run %d of %d",
			r.Leaked, r.Matched, r.Patterns, r.Unexpected, r.GoTest, r.Kept, r.Attempts)
		if r.Skipped != "" {
			status = "SKIPPED: " + r.Skipped
		}
		fmt.Printf("%-16s %s\n", e.Name, status)
	}
	cf := corpusFile{
		GoVersion: runtime.Version(),
		Source:    "$GOROOT/src/runtime/testdata/testgoroutineleakprofile/goker/",
		Settle:    settle.String(),
		Attempts:  *attempts,
		Timeout:   timeout.String(),
	}
	for _, e := range expectations {
		if r, ok := results[e.Name]; ok {
			cf.Kernels = append(cf.Kernels, r)
		}
	}
	return writeJSON(filepath.Join(out, "corpus.json"), cf)
}

type corpusFile struct {
	GoVersion string         `json:"go_version"`
	Source    string         `json:"source"`
	Settle    string         `json:"settle"`
	Attempts  int            `json:"attempts"`
	Timeout   string         `json:"timeout"`
	Kernels   []kernelResult `json:"kernels"`
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

var corpusFiles = []string{"trace.out", "leak.txt", "leak.pb.gz"}

func runAttempts(self string, e expectation, out string, attempts int, settle, timeout time.Duration) kernelResult {
	dir := filepath.Join(out, e.Name)
	os.MkdirAll(dir, 0o755)
	writeWant(e, filepath.Join(dir, "want.txt"))
	var best *kernelResult
	bestDir := ""
	var logs []string
	n := 0
	for n < attempts {
		n++
		tmp := filepath.Join(out, fmt.Sprintf(".run-%s-%d", e.Name, n))
		os.RemoveAll(tmp)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		cmd := exec.CommandContext(ctx, self, "run", "-settle", settle.String(), e.Name, tmp)
		cmd.Env = append(filterEnv(os.Environ(), "GOMAXPROCS", "GODEBUG", "GOTRACEBACK"),
			"GODEBUG=asyncpreemptoff=1", "GOMAXPROCS="+strconv.Itoa(e.gomaxprocs()))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Stdout = io.Discard
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		if err != nil {
			msg := fmt.Sprintf("run %d: %v", n, err)
			if timedOut {
				msg = fmt.Sprintf("run %d: killed after %v (the kernel hangs the process)", n, timeout)
			}
			logs = append(logs, msg+"\n"+tail(stderr.String(), 2000))
			os.RemoveAll(tmp)
			continue
		}
		text, err := os.ReadFile(filepath.Join(tmp, "leak.txt"))
		if err != nil {
			logs = append(logs, fmt.Sprintf("run %d: %v", n, err))
			os.RemoveAll(tmp)
			continue
		}
		r := evaluate(e, string(text))
		r.Kept = n
		if best == nil || better(r.score(), best.score()) {
			if bestDir != "" {
				os.RemoveAll(bestDir)
			}
			best, bestDir = &r, tmp
		} else {
			os.RemoveAll(tmp)
		}
		if r.success() {
			break
		}
	}
	for _, f := range corpusFiles {
		os.Remove(filepath.Join(dir, f))
	}
	if best == nil || best.Matched == 0 {
		why := fmt.Sprintf("every one of %d runs failed", n)
		if best != nil {
			why = fmt.Sprintf("no expected leak in %d runs (the leak profile marked %d goroutines leaked in the best run)", n, best.Leaked)
			os.RemoveAll(bestDir)
		}
		return kernelResult{Name: e.Name, Kind: e.kind(), File: kernelFile(e.Name), Gomaxprocs: e.gomaxprocs(),
			Attempts: n, Patterns: len(e.Leaks), Skipped: why, RunLog: strings.Join(logs, "\n")}
	}
	for _, f := range corpusFiles {
		os.Rename(filepath.Join(bestDir, f), filepath.Join(dir, f))
	}
	os.RemoveAll(bestDir)
	best.Attempts = n
	best.File = kernelFile(e.Name)
	best.Gomaxprocs = e.gomaxprocs()
	best.RunLog = strings.Join(logs, "\n")
	if st, err := os.Stat(filepath.Join(dir, "trace.out")); err == nil {
		best.TraceBytes = st.Size()
	}
	if st, err := os.Stat(filepath.Join(dir, "leak.txt")); err == nil {
		best.LeakBytes = st.Size()
	}
	return *best
}

func better(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func filterEnv(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

func writeWant(e expectation, path string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: the leaks Go's test expects (gokerTestCases in $GOROOT/src/runtime/goroutineleakprofile_test.go, Go 1.26).\n", e.Name)
	fmt.Fprintf(&b, "# Each line is a Go regexp matched against \"<start function>(...) [<wait reason>]\" of a goroutine\n")
	fmt.Fprintf(&b, "# that leak.txt marks \"(leaked)\" (start function: the frame above \"created by\", without \"main.\").\n")
	switch e.kind() {
	case "makeTest":
		fmt.Fprintf(&b, "# makeTest: Go's test (GOMAXPROCS=1, 2 runs) requires every line to match a leak and every leak to match a line.\n")
	case "makeFlakyTest":
		fmt.Fprintf(&b, "# makeFlakyTest: leaks too flaky to require; Go's test only requires every leak to match a line.\n")
	default:
		fmt.Fprintf(&b, "# Not run by Go's test (%s); the lines are from the comment there.\n", e.Excluded)
	}
	if e.Note != "" {
		fmt.Fprintf(&b, "# %s\n", e.Note)
	}
	for _, l := range e.Leaks {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// sortedKeys is a helper for deterministic output.
func sortedKeys[M ~map[K]V, K ~string, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
