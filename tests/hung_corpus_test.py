#!/usr/bin/env python3
"""Hung `go test` runs (testdata/hung/, made by testdata/hung/gen): GoKer kernels whose bug blocks
the test goroutine, and three cases of ctxtrail's own, each with the trace the testing package
flushed when its -timeout alarm fired and the go test output with the goroutine dump. Each
want.txt, checked by hand, names the test, the test goroutine, the goroutine it waits on and the
lines that can never proceed. ctxtrail must name them, in one hung-test finding per hung test:

- trace + go test output: the test by name, its goroutine and the one it waits on by ID, every
  line of want.txt's "never proceeds" among the finding's block locations (all but the few
  cases listed in PARTIAL, where the line belongs to a goroutine the test did not start: at
  least one line there), and no other error finding;
- the go test output alone, and the trace alone: the test by name and its goroutine.

usage: hung_corpus_test.py CTXTRAIL SOURCE_DIR"""
import json
import os
import re
import sys

from ctxtrail_cli import analyze

# want.txt lines outside the test's own goroutines (an AfterFunc goroutine stuck on the same
# mutex): named in the corpus, not reachable by following the test's `go` statements.
PARTIAL = {"Grpc3017"}


def want_of(path):
    text = open(path, encoding="utf-8").read()
    field = lambda name: (re.search(rf"^{name}: (.*)$", text, re.M) or [None, ""])[1].strip()
    test_goroutine = int(re.match(r"(\d+)", field("test goroutine")).group(1))
    # A goroutine that has ended (returned holding the lock) is no party the finding can show.
    waits = None if "has ended" in field("waits on") else re.match(r"(\d+)", field("waits on"))
    lines = {x.strip() for x in field("never proceeds").split(",") if x.strip()}
    return field("test").split(" ")[0], test_goroutine, int(waits.group(1)) if waits else None, lines


def main():
    ctxtrail, source = sys.argv[1], sys.argv[2]
    root = os.path.join(source, "testdata", "hung")
    problems, cases = [], 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "want.txt")):
            continue
        cases += 1
        test, tg, waits, lines = want_of(os.path.join(d, "want.txt"))
        trace, out = os.path.join(d, "trace.out"), os.path.join(d, "gotest.out")
        top = test.split("/")[0]
        for inputs in ((trace, out), (out,), (trace,)):
            where = f"{name} [{' + '.join(os.path.basename(i) for i in inputs)}]"
            try:
                findings = analyze(ctxtrail, *inputs)
            except Exception as e:  # noqa: BLE001 - any failure is a problem to report
                problems.append(f"{where}: {e}")
                continue
            hung = [f for f in findings if f["rule"] == "hung-test"]
            if len(hung) != 1:
                problems.append(f"{where}: {len(hung)} hung-test findings, want 1")
                continue
            f = hung[0]
            named = test if len(inputs) != 1 or inputs[0] == out else top
            if f"test {named}" not in f["message"]:
                problems.append(f"{where}: the finding does not name test {named}: {f['message'][:200]}")
            if tg not in f["goroutines"]:
                problems.append(f"{where}: the test goroutine G{tg} is not among {f['goroutines'][:10]}")
            if len(inputs) == 2:
                if waits is not None and waits not in f["goroutines"]:
                    problems.append(f"{where}: G{waits}, which the test waits on, is not named")
                blocks = {f"{os.path.basename(l['file'])}:{l['line']}" for l in f["locations"] if l["role"] == "block"}
                missing = lines - blocks
                if missing and (name not in PARTIAL or not lines & blocks):
                    problems.append(f"{where}: never-proceeding lines not named: {sorted(missing)} (named {sorted(blocks)})")
                others = [g for g in findings if g["rule"] != "hung-test" and g["severity"] == "error"]
                for g in others:
                    problems.append(f"{where}: another error finding: {g['rule']}: {g['message'][:160]}")
    print(f"{cases} hung go test runs checked")
    if cases < 30:
        problems.append(f"only {cases} cases in {root}: the corpus is missing")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
