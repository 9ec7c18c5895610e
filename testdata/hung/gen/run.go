package main

// Runs one test of the hung-test package with `go test -timeout`, the way a CI job
// would, and tells whether it hung: Go's testing package then flushes the trace
// (m.after -> trace.Stop) and panics "test timed out after" with every goroutine's stack.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type outcome string

const (
	hung   outcome = "hung"   // "panic: test timed out after": what the corpus keeps
	passed outcome = "passed" // the test returned: the bug did not block the test goroutine
	failed outcome = "failed" // go test failed otherwise (a crash, a build error)
	killed outcome = "killed" // still running long after -timeout (the alarm could not run)
)

type runResult struct {
	Outcome outcome
	Output  []byte // go test's stdout and stderr, interleaved as written
	Trace   []byte
}

type runConfig struct {
	Work    string        // the package
	Timeout time.Duration // go test -timeout
	Kill    time.Duration // kill go test and the test binary after this
}

func (cfg runConfig) command(c hungCase, tracePath string) []string {
	return []string{"go", "test", "-tags=hungcorpus", "-run", "^Test" + c.Name + "$", "-count=1",
		"-timeout=" + cfg.Timeout.String(), "-trace=" + tracePath}
}

func runOnce(cfg runConfig, c hungCase) (runResult, error) {
	tmp, err := os.MkdirTemp("", "ctxtrail-hung-run")
	if err != nil {
		return runResult{}, err
	}
	defer os.RemoveAll(tmp)
	tracePath := filepath.Join(tmp, "trace.out")
	args := cfg.command(c, tracePath)

	ctx, cancel := context.WithTimeout(context.Background(), cfg.Kill)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = cfg.Work
	cmd.Env = append(withoutEnv(os.Environ(), "GOMAXPROCS", "GODEBUG", "GOFLAGS", "GOWORK", "GOTRACEBACK"),
		"GODEBUG=asyncpreemptoff=1", "GOMAXPROCS="+strconv.Itoa(c.Gomaxprocs), "GOWORK=off", "GOFLAGS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// go test runs the test binary as its child: kill the whole process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()

	res := runResult{Output: out.Bytes()}
	res.Trace, _ = os.ReadFile(tracePath)
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		res.Outcome = killed
	case bytes.Contains(res.Output, []byte("panic: test timed out after")):
		res.Outcome = hung
	case runErr == nil:
		res.Outcome = passed
	case errors.As(runErr, &exitErr):
		res.Outcome = failed
	default:
		return res, runErr
	}
	return res, nil
}

func withoutEnv(env []string, names ...string) []string {
	var kept []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		kept = append(kept, kv)
	}
	return kept
}
