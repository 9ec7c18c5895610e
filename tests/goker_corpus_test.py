#!/usr/bin/env python3
"""Go's GoKer leak kernels (testdata/goker/, made by scripts/goker-corpus): with the trace and
the goroutine leak profile of each kernel's run, ctxtrail must name every goroutine the profile
marks leaked, in a proven finding that points at kernel code (its blocking and creation lines),
and report nothing that names no kernel code; with the profile as debug=2 text (joined by
goroutine ID) and as protobuf (joined by stack). With the trace alone it must still name at
least the kernels it named when this test was written, and at least as many of the expected leak
patterns that the profile matched (want.txt: Go's regexps over "<start function>(...) [<wait
reason>]"; a pattern is named when a finding lists a goroutine the profile marks leaked that matches
it): two ratchets, printed every run, with the kernels short of all their patterns.

usage: goker_corpus_test.py CTXTRAIL SOURCE_DIR [--all] [--trace-alone] [--corpus DIR]
  --all: every kernel's patterns; --trace-alone: only the trace-alone measure (quick);
  --corpus DIR: another corpus of the same layout instead of testdata/goker (scripts/
  goker-goroutine-mode), measured without the ratchets; --every-pattern: with the trace alone,
  every expected pattern the profiles match must be named (testdata/goker-goroutine/, where each
  kernel's goroutine returns as a test's or a request's would)"""
import json
import os
import re
import sys

from ctxtrail_cli import analyze

TRACE_ALONE_AT_LEAST = 57  # of 62, measured 2026-12-07 (testdata/goker/README.md)
PATTERNS_AT_LEAST = 99  # of the 108 expected patterns the profiles match (97 before leaks started by leaks), 2026-12-07
KERNEL_CODE = "/testdata/goker/gen/"
HEADER = re.compile(r"^goroutine (\d+) \[([^\]]*)\]:")


def in_kernel(loc):
    return KERNEL_CODE in (loc.get("file") or "")


def expected_patterns(kernel_dir):
    """want.txt's regexps, in order (Go's RE2 syntax, here the common subset)."""
    lines = open(os.path.join(kernel_dir, "want.txt"), encoding="utf-8").read().splitlines()
    return [re.compile(l) for l in lines if l.strip() and not l.startswith("#")]


def leaked_patterns(dump, patterns):
    """{goroutine ID: index of the first pattern it matches, or -1} for every goroutine the dump
    marks leaked, matched as Go's test does: "<start function>(...) [<wait reason>]", the start
    function being the frame above "created by", without "main."."""
    out = {}
    for stack in dump.strip().split("\n\n"):
        lines = stack.split("\n")
        m = HEADER.match(lines[0])
        if not m or "(leaked)" not in m.group(2) or len(lines) < 5:
            continue
        reason = m.group(2)[: m.group(2).index(" (leaked)")]
        start = ""
        for i in range(len(lines) - 1, 1, -1):
            if lines[i].startswith("created by"):
                start = lines[i - 2].removeprefix("main.")
                break
        key = f"{start} [{reason}]"
        out[int(m.group(1))] = next((j for j, p in enumerate(patterns) if p.search(key)), -1)
    return out


def main():
    ctxtrail, source = sys.argv[1], sys.argv[2]
    show_all = "--all" in sys.argv[3:]
    profiles = () if "--trace-alone" in sys.argv[3:] else ("leak.txt", "leak.pb.gz")
    pattern_lines, profile_total, named_total, leaked_total, leaked_named = [], 0, 0, 0, 0
    args = sys.argv[3:]
    corpus = args[args.index("--corpus") + 1] if "--corpus" in args else None
    root = corpus or os.path.join(source, "testdata", "goker")
    problems, kernels, trace_alone = [], 0, 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "leak.txt")):
            continue
        kernels += 1
        dump = open(os.path.join(d, "leak.txt"), encoding="utf-8", errors="replace").read()
        leaked = {int(m.group(1)) for m in re.finditer(r"^goroutine (\d+) [^\n]*\(leaked\)", dump, re.M)}
        trace = os.path.join(d, "trace.out")
        for profile in profiles:
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
        by_id = leaked_patterns(dump, expected_patterns(d))
        matched = {p for p in by_id.values() if p >= 0}
        named = {by_id[g] for f in alone for g in f["goroutines"] if by_id.get(g, -1) >= 0}
        profile_total += len(matched)
        named_total += len(named)
        leaked_total += len(leaked)
        leaked_named += len(leaked & {g for f in alone for g in f["goroutines"]})
        if show_all or matched - named:
            missing = ", ".join(f"#{p}" for p in sorted(matched - named))
            pattern_lines.append(f"  {name}: {len(named)}/{len(matched)}" + (f" (not named: {missing})" if missing else ""))
    print(f"{kernels} kernels; with the leak profile: {kernels - len({p.split(' ')[0] for p in problems})} complete; "
          f"trace alone names {trace_alone}, and {named_total} of the {profile_total} expected patterns the "
          f"profiles match ({leaked_named} of the {leaked_total} leaked goroutines)")
    print("\n".join(pattern_lines))
    if kernels < 60:
        problems.append(f"only {kernels} kernels under {root}")
    if corpus is None and trace_alone < TRACE_ALONE_AT_LEAST:
        problems.append(f"trace alone names {trace_alone} kernels, fewer than {TRACE_ALONE_AT_LEAST}")
    if "--every-pattern" in args and named_total < profile_total:
        problems.append(f"trace alone names {named_total} of the {profile_total} expected patterns, not all")
    if corpus is None and named_total < PATTERNS_AT_LEAST:
        problems.append(f"trace alone names {named_total} expected patterns, fewer than {PATTERNS_AT_LEAST}")
    for p in problems:
        print("FAIL", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
