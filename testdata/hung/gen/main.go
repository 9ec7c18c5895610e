// Command gen makes ctxtrail's hung-test corpus (testdata/hung): for each GoKer kernel
// and each of ctxtrail's own cases (gen/cases), a `go test` run that timed out, kept as
// the trace that `go test -trace` flushed and the whole `go test` output with the
// goroutine dump. See testdata/hung/README.md.
//
//	cd testdata/hung/gen && go run .                 # every case
//	cd testdata/hung/gen && go run . -only Plain,Cockroach24808
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	log.SetFlags(0)
	gokerDir := flag.String("goker", "../../goker/gen", "the GoKer kernels (testdata/goker/gen)")
	casesDir := flag.String("cases", "cases", "ctxtrail's own cases")
	outDir := flag.String("out", "..", "the corpus (testdata/hung)")
	work := flag.String("work", filepath.Join(os.TempDir(), "ctxtrail-hung"),
		"where the test package is written (its path is in the traces and dumps)")
	attempts := flag.Int("attempts", 5, "runs per case at most, until one hangs")
	timeout := flag.Duration("timeout", 3*time.Second, "go test -timeout")
	kill := flag.Duration("kill", 60*time.Second, "kill a run still going after this")
	flakyProcs := flag.Int("flaky-procs", 2, "GOMAXPROCS for makeFlakyTest kernels (as testdata/goker)")
	maxTrace := flag.Int("max-trace", 2<<20, "a hung run whose trace is larger is not kept (result too-big)")
	only := flag.String("only", "", "comma-separated cases to run; the others keep their rows in runs.tsv")
	flag.Parse()

	cases, err := writePackage(*gokerDir, *casesDir, *work, *flakyProcs)
	if err != nil {
		log.Fatal(err)
	}
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	rows, err := readRows(filepath.Join(*outDir, "runs.tsv"))
	if err != nil {
		log.Fatal(err)
	}
	cfg := runConfig{Work: *work, Timeout: *timeout, Kill: *kill}
	runAll := len(want) == 0
	for _, c := range cases {
		if !runAll && !want[c.Name] {
			continue
		}
		delete(want, c.Name)
		row, err := runCase(cfg, c, *attempts, *maxTrace, *outDir)
		if err != nil {
			log.Fatalf("%s: %v", c.Name, err)
		}
		rows[c.Name] = row
		log.Printf("%-16s %s", c.Name, strings.Join(row[4:8], " "))
	}
	for n := range want {
		log.Fatalf("-only: no case %s", n)
	}
	if err := writeRows(filepath.Join(*outDir, "runs.tsv"), rows, cases); err != nil {
		log.Fatal(err)
	}
}

var header = []string{"case", "file", "go_line", "gomaxprocs", "result", "attempts", "outcomes", "trace_bytes", "gotest_bytes"}

// runCase runs c until it hangs (at most attempts times) and keeps the first hung run
// in outDir/<case>/; a case that never hangs (result no-hang), or whose hung run has a
// trace larger than maxTrace (result too-big), loses any trace.out and gotest.out it had.
func runCase(cfg runConfig, c hungCase, attempts, maxTrace int, outDir string) ([]string, error) {
	dir := filepath.Join(outDir, c.Name)
	var outcomes []string
	var kept *runResult
	for i := 0; i < attempts && kept == nil; i++ {
		res, err := runOnce(cfg, c)
		if err != nil {
			return nil, err
		}
		outcomes = append(outcomes, string(res.Outcome))
		if res.Outcome == hung && len(res.Trace) > 0 {
			kept = &res
		}
	}
	row := []string{c.Name, c.File, strconv.Itoa(c.GoLine), strconv.Itoa(c.Gomaxprocs), "", strconv.Itoa(len(outcomes)),
		strings.Join(outcomes, ","), "-", "-"}
	if kept != nil && len(kept.Trace) > maxTrace {
		row[4], row[7] = "too-big", strconv.Itoa(len(kept.Trace))
		kept = nil
	} else if kept == nil {
		row[4] = "no-hang"
	}
	if kept == nil {
		for _, f := range []string{"trace.out", "gotest.out"} {
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !os.IsNotExist(err) {
				return nil, err
			}
		}
		return row, nil
	}
	row[4] = "hung"
	if _, err := os.Stat(filepath.Join(dir, "want.txt")); err == nil {
		log.Printf("%s: new run kept; want.txt is from the previous run: check it again (goroutine IDs, iterations)", c.Name)
	}
	row[7], row[8] = strconv.Itoa(len(kept.Trace)), strconv.Itoa(len(kept.Output))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "trace.out"), kept.Trace, 0o644); err != nil {
		return nil, err
	}
	return row, os.WriteFile(filepath.Join(dir, "gotest.out"), kept.Output, 0o644)
}

func readRows(path string) (map[string][]string, error) {
	rows := map[string][]string{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return rows, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) == len(header) && fields[0] != header[0] {
			rows[fields[0]] = fields
		}
	}
	return rows, sc.Err()
}

// writeRows writes runs.tsv in the order of cases (kernels by name, then own cases).
func writeRows(path string, rows map[string][]string, cases []hungCase) error {
	order := map[string]int{}
	for i, c := range cases {
		order[c.Name] = i
	}
	var names []string
	for n := range rows {
		if _, ok := order[n]; ok {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	var b strings.Builder
	b.WriteString(strings.Join(header, "\t") + "\n")
	for _, n := range names {
		b.WriteString(strings.Join(rows[n], "\t") + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func init() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run . [flags]  (in testdata/hung/gen)\n")
		flag.PrintDefaults()
	}
}
