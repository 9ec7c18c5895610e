#!/usr/bin/env python3
"""The traces of testdata/ticking/ (make.sh) against what each must give: a leaked-goroutine
finding that "ticks forever", naming the janitor's start function and count, or silence.

usage: check.py CTXTRAIL   (exit 1 on any mismatch)"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# trace: (start function of the ticking goroutines, count), or None for no finding at all
WANT = {
    "gocache-dropped.trace": ("github.com/patrickmn/go-cache.(*janitor).Run", 1),
    "lru-dropped.trace": ("github.com/hashicorp/golang-lru/v2/expirable.NewLRU[...].func1", 4),
    "test-cache-dropped.trace": ("github.com/patrickmn/go-cache.(*janitor).Run", 1),
    "ticker-stopped.trace": None,
    "server-janitor.trace": None,
}


def main():
    ctxtrail, problems = sys.argv[1], []
    for trace, want in WANT.items():
        r = subprocess.run([ctxtrail, "analyze", "--format", "json", os.path.join(HERE, trace)],
                           capture_output=True, text=True)
        findings = json.loads(r.stdout)["findings"] if r.returncode in (0, 1) else None
        if findings is None:
            problems.append(f"{trace}: exit {r.returncode}: {r.stderr.strip()}")
        elif want is None:
            problems += [f"{trace}: want silence, got {f['rule']}: {f['message'][:120]}" for f in findings]
        else:
            start, count = want
            ticking = [f for f in findings if f["rule"] == "leaked-goroutine" and "ticks forever" in f["message"]
                       and any(l["role"] == "start" and l["function"] == start for l in f["locations"])]
            if len(ticking) != 1 or ticking[0]["count"] != count:
                problems.append(f"{trace}: want one leaked-goroutine 'ticks forever' x{count} at {start}, got "
                                f"{[(f['rule'], f['count'], f['message'][:80]) for f in findings]}")
            elif len(findings) != 1:
                problems.append(f"{trace}: other findings: {[f['message'][:80] for f in findings if f not in ticking]}")
    for p in problems:
        print("FAIL", p)
    print(f"ticking: {len(WANT) - len({p.split(':')[0] for p in problems})} of {len(WANT)} traces as wanted")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
