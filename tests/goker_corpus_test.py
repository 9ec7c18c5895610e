#!/usr/bin/env python3
"""Go's GoKer leak kernels (testdata/goker/, made by scripts/goker-corpus): with the trace and
the goroutine leak profile of each kernel's run, ctxtrail must name every goroutine the profile
marks leaked, in a proven finding that points at kernel code (its blocking and creation lines),
and report nothing that names no kernel code; with the profile as debug=2 text (joined by
goroutine ID) and as protobuf (joined by stack). With the trace alone it must still name at
least the kernels it named when this test was written (a ratchet, printed every run).

usage: goker_corpus_test.py CTXTRAIL SOURCE_DIR"""
import json
import os
import re
import sys

from ctxtrail_cli import analyze

TRACE_ALONE_AT_LEAST = 57  # of 62, measured 2026-12-07 (testdata/goker/README.md)
KERNEL_CODE = "/testdata/goker/gen/"


def in_kernel(loc):
    return KERNEL_CODE in (loc.get("file") or "")


def main():
    ctxtrail, source = sys.argv[1], sys.argv[2]
    root = os.path.join(source, "testdata", "goker")
    problems, kernels, trace_alone = [], 0, 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "leak.txt")):
            continue
        kernels += 1
        dump = open(os.path.join(d, "leak.txt"), encoding="utf-8", errors="replace").read()
        leaked = {int(m.group(1)) for m in re.finditer(r"^goroutine (\d+) [^\n]*\(leaked\)", dump, re.M)}
        trace = os.path.join(d, "trace.out")
        for profile in ("leak.txt", "leak.pb.gz"):
            where = f"{name} + {profile}"
            try:
                findings = analyze(ctxtrail, trace, os.path.join(d, profile))
            except Exception as e:  # noqa: BLE001 - any failure is a problem to report
                problems.append(f"{where}: {e}")
                continue
            named = set()
            for f in findings:
                roles = {l["role"] for l in f["locations"] if in_kernel(l)}
                if not roles:
                    problems.append(f"{where}: a finding that names no kernel code: {f['rule']}: {f['message'][:120]}")
                if f.get("proven_leak"):
                    named.update(f["goroutines"])
                    # The creation line, or the start function where the goroutine was started by
                    # the runtime for the kernel (time.AfterFunc's callbacks).
                    if "block" not in roles or not roles & {"creation", "start"}:
                        problems.append(f"{where}: proven leak without kernel block and creation or start lines: "
                                        f"{f['message'][:120]}")
            if leaked - named:
                problems.append(f"{where}: leaked goroutines not named: {sorted(leaked - named)[:10]}")
        alone = analyze(ctxtrail, trace)
        if any(set(f["goroutines"]) & leaked for f in alone):
            trace_alone += 1
    print(f"{kernels} kernels; with the leak profile: {kernels - len({p.split(' ')[0] for p in problems})} complete; "
          f"trace alone names {trace_alone}")
    if kernels < 60:
        problems.append(f"only {kernels} kernels under {root}")
    if trace_alone < TRACE_ALONE_AT_LEAST:
        problems.append(f"trace alone names {trace_alone} kernels, fewer than {TRACE_ALONE_AT_LEAST}")
    for p in problems:
        print("FAIL", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
