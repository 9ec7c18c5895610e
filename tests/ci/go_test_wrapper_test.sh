#!/usr/bin/env bash
# End to end test of contrib/ctxtrail-go-test on this repository's own go test scenarios
# (testdata/scenarios: gotest_leak leaks three goroutines, gotest_leak_clean is its fixed twin)
# and on a small module written here with a failing test: findings, test failures, both, and
# usage errors each give their documented exit code, and the findings land in the right package.
# Usage: go_test_wrapper_test.sh CTXTRAIL_BINARY SOURCE_DIR
set -uo pipefail
ctxtrail=$1 src=$2
wrapper=$src/contrib/ctxtrail-go-test
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_exit() { # WANT GOT WHAT
  [[ $2 == "$1" ]] && echo "ok: $3 exits $1" || fail "$3: exit $2, want $1 (output in $work)"
}
# The scenarios check that a 20 ms poller ticked within 30 ms: on a loaded machine that test
# may fail, which the wrapper must then say (+4). The findings do not depend on it.
timing_flake() { # LOG WANT
  grep -q "never polled" "$1" && echo $(($2 + 4)) || echo "$2"
}
expect_line() { # FILE REGEX WHAT
  grep -qE -- "$2" "$1" && echo "ok: $3" || fail "$3: no line matching '$2' in $1"
}

# 1. A leaking package and its clean twin: exit 1, the leaks in gotest_leak only, one SARIF run.
(cd "$src/testdata/scenarios" && "$wrapper" --ctxtrail "$ctxtrail" --trace-dir "$work/scen" \
   --sarif "$work/all.sarif" --codequality "$work/cq.json" ./gotest_leak ./gotest_leak_clean) \
   >"$work/scen.log" 2>&1
rc=$?; expect_exit "$(timing_flake "$work/scen.log" 1)" $rc "a leaking package"
expect_line "$work/scen.log" '^  (ok  |FAIL) scenarios/gotest_leak: 3 findings \(3 errors, 0 warnings\)$' "summary: 3 leaks in gotest_leak"
expect_line "$work/scen.log" '^  (ok  |FAIL) scenarios/gotest_leak_clean: 0 findings' "summary: gotest_leak_clean is clean"
for line in watcher.go:27 watcher.go:56 watcher.go:98; do
  expect_line "$work/scen/scenarios_gotest_leak.txt" "block .*/gotest_leak/$line " "the leak blocked at $line"
done
python3 - "$work/all.sarif" "$work/cq.json" "$src/tests/sarif/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json" <<'PY' || fail "merged SARIF or code-quality report"
import json, os, sys
sarif, cq = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(sarif["runs"]) == 1, "one run"
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
assert len(uris) == 3 and all(u.startswith("gotest_leak/watcher") for u in uris), uris
assert [i["location"]["path"] for i in cq] == uris, cq
assert len({i["fingerprint"] for i in cq}) == 3, "distinct fingerprints"
if os.path.exists(sys.argv[3]):  # the official schema, installed by scripts/setup
    import jsonschema
    jsonschema.Draft202012Validator(json.load(open(sys.argv[3]))).validate(sarif)
print("ok: one SARIF run with the 3 leaks (schema-valid), 3 code-quality issues")
PY

# 2. The clean twin alone passes.
(cd "$src/testdata/scenarios" && "$wrapper" --ctxtrail "$ctxtrail" --trace-dir "$work/clean" ./gotest_leak_clean) \
  >"$work/clean.log" 2>&1
rc=$?; expect_exit "$(timing_flake "$work/clean.log" 0)" $rc "a clean package"

# 3. A module with a failing test, a leaking test, a passing one and a hanging one; -run,
#    -timeout and -tags pass through.
mkdir -p "$work/mod/fails" "$work/mod/leaks"
printf 'module example.com/mod\n\ngo 1.22\n' >"$work/mod/go.mod"
cat >"$work/mod/fails/fails_test.go" <<'GO'
package fails

import "testing"

func TestPasses(t *testing.T) {}
func TestFails(t *testing.T) { t.Fatal("on purpose") }
GO
cat >"$work/mod/leaks/leaks_test.go" <<'GO'
package leaks

import (
	"testing"
	"time"
)

func TestLeaks(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }() // nobody receives
}

func TestOutlives(t *testing.T) { time.Sleep(300 * time.Millisecond) }
GO
# Built only with -tags hang (which the wrapper must pass to go list too): ./... stays quick.
mkdir -p "$work/mod/hangs"
cat >"$work/mod/hangs/hangs_test.go" <<'GO'
//go:build hang

package hangs

import "testing"

func TestHangs(t *testing.T) {
	ch := make(chan int)
	go func() { <-ch }()
	<-ch // nobody sends
}
GO
run_mod() { # LOG ARGS...
  local log=$1; shift
  (cd "$work/mod" && "$wrapper" --ctxtrail "$ctxtrail" --trace-dir "$work/modtraces" "$@") >"$work/$log" 2>&1
}
run_mod fails.log ./fails; expect_exit 4 $? "a failing test"
expect_line "$work/fails.log" '^  FAIL example.com/mod/fails: 0 findings' "summary: the failing package"
run_mod both.log; expect_exit 5 $? "a failing test and a leak (./...)"
expect_line "$work/both.log" '^  ok   example.com/mod/leaks: 1 finding' "summary: the leak in its package"
run_mod hang.log -tags hang -timeout 3s ./hangs; expect_exit 5 $? "a test that times out"
expect_line "$work/modtraces/example.com_mod_hangs.txt" '^error\[hung-test\]' "the hung test named"
expect_line "$work/modtraces/example.com_mod_hangs.txt" '^  \+ .*/example.com_mod_hangs.out: goroutine dump' "the timeout's traceback analyzed with the trace"
run_mod run.log -run 'TestPasses|TestOutlives' -count 1 ./...; expect_exit 0 $? "-run selecting the passing tests"
(cd "$work/mod" && "$wrapper" --ctxtrail "$ctxtrail" --trace-dir "$work/modtraces" -json ./leaks) \
  >"$work/json.out" 2>"$work/json.err"
expect_exit 1 $? "go test -json"
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$work/json.out" &&
  echo "ok: with -json, standard output is JSON lines" || fail "with -json, standard output is not JSON lines"
expect_line "$work/json.err" '^  ok   example.com/mod/leaks: 1 finding' "with -json, the summary on standard error"
cat >"$work/mod/leaks/args_test.go" <<'GO'
package leaks

import (
	"flag"
	"testing"
)

var word = flag.String("word", "", "set with -args")

func TestArgs(t *testing.T) {
	if *word != "" && *word != "bird" {
		t.Fatalf("-word %q", *word)
	}
}
GO
run_mod args.log -run TestArgs ./leaks -args -word bird -- --fail-on never; expect_exit 0 $? "-args to the test binary"
run_mod args_wrong.log -run TestArgs ./leaks -args -word cat; expect_exit 4 $? "-args to the test binary (a wrong word)"
run_mod fail_on.log ./leaks -- --fail-on never; expect_exit 0 $? "ctxtrail flags after -- (--fail-on never)"

# 4. Usage errors and an analysis that cannot read its trace.
run_mod usage.log -trace x.trace ./fails; expect_exit 2 $? "-trace given by the user"
printf '#!/bin/sh\nexit 3\n' >"$work/broken-ctxtrail"; chmod +x "$work/broken-ctxtrail"
(cd "$work/mod" && "$wrapper" --ctxtrail "$work/broken-ctxtrail" --trace-dir "$work/t3" -run TestPasses ./fails) \
  >"$work/unreadable.log" 2>&1
expect_exit 3 $? "ctxtrail exiting 3"

if ((failures)); then trap - EXIT; echo "$failures failures; files kept in $work"; exit 1; fi
echo "all passed"
