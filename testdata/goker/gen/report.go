package main

// measure: runs ctxtrail on every kernel's trace (the trace alone) and says which findings
// name the leaks that Go's leak profile found. readme: testdata/goker/README.md.

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

type ctLocation struct {
	Role     string `json:"role"`
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

type ctFinding struct {
	Rule       string       `json:"rule"`
	Severity   string       `json:"severity"`
	Message    string       `json:"message"`
	Goroutines []int64      `json:"goroutines"`
	Count      int          `json:"count"`
	Locations  []ctLocation `json:"locations"`
}

// Classes of a finding, against the leak profile of the same run.
const (
	classExpected    = "expected"     // names a goroutine the profile marked leaked that matches a want.txt regexp
	classLeakedOther = "leaked-other" // names a profile-leaked goroutine that matches no regexp
	classKernelOnly  = "kernel-code"  // names kernel code, but none of its goroutines is profile-leaked
	classFalse       = "false"        // names neither kernel code nor a profile-leaked goroutine
)

type findingResult struct {
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Count     int      `json:"count"`
	Message   string   `json:"message"`
	Class     string   `json:"class"`
	Patterns  []int    `json:"patterns,omitempty"`    // expected regexps whose leaked goroutines it names (by goroutine ID)
	ByFunc    []int    `json:"by_function,omitempty"` // expected regexps whose start function a location names
	LeakedIDs int      `json:"leaked_ids"`            // how many of its goroutines the profile marked leaked
	Funcs     []string `json:"functions"`
}

type kernelMeasure struct {
	Name     string          `json:"name"`
	Exit     int             `json:"exit"`
	Error    string          `json:"error,omitempty"`
	Profile  int             `json:"profile_patterns"` // expected regexps the leak profile matched
	Named    int             `json:"named_patterns"`   // of those, how many a finding names by goroutine ID
	Found    bool            `json:"found"`            // some finding names an expected leaked goroutine
	ByFunc   bool            `json:"found_by_function"`
	Findings []findingResult `json:"findings"`
}

type measureFile struct {
	Ctxtrail string          `json:"ctxtrail"`
	Version  string          `json:"version"`
	Command  string          `json:"command"`
	Kernels  []kernelMeasure `json:"kernels"`
}

// funcPart is the part of an expected regexp before " \[<wait reason>\]": it matches the
// start function, as "<function>(...)".
func funcPart(p string) *regexp.Regexp {
	if i := strings.LastIndex(p, ` \[`); i >= 0 {
		p = p[:i]
	}
	return regexp.MustCompile(p)
}

func measureCmd(args []string) error {
	fs := flag.NewFlagSet("measure", flag.ExitOnError)
	bin := fs.String("ctxtrail", "", "the ctxtrail binary")
	only := fs.String("only", "", "comma-separated kernels (default all)")
	fs.Parse(args)
	if fs.NArg() != 1 || *bin == "" {
		usage()
	}
	out := fs.Arg(0)
	cf, err := readCorpus(out)
	if err != nil {
		return err
	}
	mf := measureFile{Ctxtrail: *bin, Command: "ctxtrail analyze --format json testdata/goker/<Kernel>/trace.out"}
	if v, err := exec.Command(*bin, "--version").Output(); err == nil {
		mf.Version = strings.TrimSpace(string(v))
	}
	want := map[string]bool{}
	if *only != "" {
		for _, s := range strings.Split(*only, ",") {
			want[s] = true
		}
	}
	prev := map[string]kernelMeasure{}
	if old, err := readMeasure(out); err == nil && *only != "" {
		for _, k := range old.Kernels {
			prev[k.Name] = k
		}
	}
	exps := map[string]expectation{}
	for _, e := range expectations {
		exps[e.Name] = e
	}
	for _, r := range cf.Kernels {
		if r.Skipped != "" {
			continue
		}
		if *only != "" && !want[r.Name] {
			if k, ok := prev[r.Name]; ok {
				mf.Kernels = append(mf.Kernels, k)
			}
			continue
		}
		k := measureKernel(*bin, out, exps[r.Name], r)
		mf.Kernels = append(mf.Kernels, k)
		fmt.Printf("%-16s found %-5v named %d/%d regexps, %d findings\n", r.Name, k.Found, k.Named, k.Profile, len(k.Findings))
	}
	return writeJSON(filepath.Join(out, "ctxtrail.json"), mf)
}

func measureKernel(bin, out string, e expectation, r kernelResult) kernelMeasure {
	k := kernelMeasure{Name: r.Name}
	cmd := exec.Command(bin, "analyze", "--format", "json", filepath.Join(out, r.Name, "trace.out"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		k.Exit = ee.ExitCode()
	} else if err != nil {
		k.Exit, k.Error = -1, err.Error()
		return k
	}
	if k.Exit > 1 {
		k.Error = strings.TrimSpace(tail(stderr.String(), 500))
	}
	var rep struct {
		Findings []ctFinding `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		if k.Error == "" {
			k.Error = "bad JSON: " + err.Error()
		}
		return k
	}
	// The goroutines the profile marked leaked, by ID, with the regexp each matches.
	text, err := os.ReadFile(filepath.Join(out, r.Name, "leak.txt"))
	if err != nil {
		k.Error = err.Error()
		return k
	}
	leakedPat := map[int64]int{}
	profilePats := map[int]bool{}
	for _, l := range parseLeaks(string(text), compile(e)) {
		leakedPat[l.ID] = l.Pattern
		if l.Pattern >= 0 {
			profilePats[l.Pattern] = true
		}
	}
	k.Profile = len(profilePats)
	var fparts []*regexp.Regexp
	for _, p := range e.Leaks {
		fparts = append(fparts, funcPart(p))
	}
	named := map[int]bool{}
	for _, f := range rep.Findings {
		fr := findingResult{Rule: f.Rule, Severity: f.Severity, Count: f.Count, Message: f.Message}
		pats := map[int]bool{}
		for _, g := range f.Goroutines {
			if p, ok := leakedPat[g]; ok {
				fr.LeakedIDs++
				if p >= 0 {
					pats[p] = true
				}
			}
		}
		byFunc := map[int]bool{}
		kernelCode := false
		seenFn := map[string]bool{}
		for _, loc := range f.Locations {
			if filepath.Base(loc.File) == r.File {
				kernelCode = true
			}
			if !seenFn[loc.Function] {
				seenFn[loc.Function] = true
				fr.Funcs = append(fr.Funcs, loc.Role+"="+strings.TrimPrefix(loc.Function, "main."))
			}
			if loc.Role != "start" {
				continue
			}
			fn := strings.TrimPrefix(loc.Function, "main.") + "()"
			for i, re := range fparts {
				if re.MatchString(fn) {
					byFunc[i] = true
				}
			}
		}
		fr.Patterns = sortedInts(pats)
		fr.ByFunc = sortedInts(byFunc)
		switch {
		case len(pats) > 0:
			fr.Class = classExpected
		case fr.LeakedIDs > 0:
			fr.Class = classLeakedOther
		case kernelCode:
			fr.Class = classKernelOnly
		default:
			fr.Class = classFalse
		}
		for p := range pats {
			named[p] = true
		}
		if len(byFunc) > 0 {
			k.ByFunc = true
		}
		k.Findings = append(k.Findings, fr)
	}
	k.Named = len(named)
	k.Found = k.Named > 0
	return k
}

func sortedInts(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

func readCorpus(out string) (corpusFile, error) {
	var cf corpusFile
	b, err := os.ReadFile(filepath.Join(out, "corpus.json"))
	if err != nil {
		return cf, err
	}
	return cf, json.Unmarshal(b, &cf)
}

func readMeasure(out string) (measureFile, error) {
	var mf measureFile
	b, err := os.ReadFile(filepath.Join(out, "ctxtrail.json"))
	if err != nil {
		return mf, err
	}
	return mf, json.Unmarshal(b, &mf)
}
