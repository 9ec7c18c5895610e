#!/usr/bin/env python3
"""Real-world cases (testdata/realworld/, traces made by scripts/realworld-corpus): programs and
go test runs of public modules at pinned versions and of standard-library packages, each with a
want.json written by hand from the code, not from ctxtrail's output. For each case ctxtrail
analyze --format json (default flags) on CASE/trace.out must report exactly what want.json says.

want.json:
  "what"      what the case is (for people; README.md says where it came from)
  "findings"  the findings that must be there, each:
      "rule"               its rule
      "block"              FILE:LINE of its block location (file by base name): the finding is
                           the one with that block location; it must name its goroutines once
                           (no other finding names any of them)
      "count"              exact count (or "min_count")
      "start"              text in the function of its start location
      "creation"           FILE:LINE of a creation location
      "test"               FILE:LINE of a test location
      "cancel_or_context"  FILE:LINE of a cancel or context location (the user's WithTimeout or
                           cancel line, not context/context.go)
      "own_wave"           true: the waves it names are exactly its goroutines' own waves, a
                           goroutine's own wave being the first wave, after the goroutine was
                           created, that woke the goroutine's creator (so no wave that was over
                           before the goroutine existed, nor a later request's wave, and none
                           of its goroutines' left out)
      "message_contains"   text its message must contain
  "absent"    rules that must not fire at all (the false findings this case guards against)
  "others"    "info" | "warning" | "error": no finding beyond the wanted ones at this severity or
              above ("info": no other finding at all)
  "waves"     cancel waves that must be there: {"cancel": FILE:LINE of its cancel_location,
              "min_woken": N}
  "min_waves" at least this many cancel waves

Every mismatch is printed; the exit status is 1 when there is any.

usage: realworld_corpus_test.py CTXTRAIL SOURCE_DIR [CASE...]"""
import json
import os
import subprocess
import sys

SEVERITY = {"info": 0, "warning": 1, "error": 2}


def where(loc):
    return f"{os.path.basename(loc.get('file') or '')}:{loc.get('line')}"


def lines(finding, *roles):
    return {where(l) for l in finding["locations"] if l["role"] in roles}


def creation_of(ctxtrail, trace, goroutine):
    """(creator goroutine, creation time as the trace clock says it) of a goroutine."""
    events = subprocess.run([ctxtrail, "events", trace, "--goroutine", str(goroutine), "--json"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for line in events:
        e = json.loads(line)
        if e.get("kind") == "StateTransition" and e.get("id") == goroutine and e.get("from") == "NotExist":
            return e["g"], e["time"]
    return None, None


def first_event_time(ctxtrail, trace):
    """The trace clock at its first event: time_ns in analyze's JSON counts from there."""
    with subprocess.Popen([ctxtrail, "events", trace, "--json"], stdout=subprocess.PIPE, text=True) as p:
        first = json.loads(p.stdout.readline())["time"]
        p.kill()
    return first


def own_waves(ctxtrail, trace, goroutines, waves):
    """Each goroutine's own wave id: the first wave at or after its creation that woke its creator."""
    base = first_event_time(ctxtrail, trace)
    own = set()
    for g in goroutines:
        creator, created = creation_of(ctxtrail, trace, g)
        if creator is None:
            continue
        later = [w for w in waves if w["time_ns"] >= created - base and creator in w.get("woken", [])]
        if later:
            own.add(min(later, key=lambda w: w["time_ns"])["id"])
    return own


def check_finding(want, findings, waves, ctxtrail, trace):
    """Problems with the wanted finding; the findings that block at its line (judged here)."""
    block = want["block"]
    matches = [f for f in findings if block in lines(f, "block")]
    if not matches:
        said = sorted({f"{f['rule']} at {', '.join(sorted(lines(f, 'block')))}" for f in findings})
        return [f"no finding blocks at {block} (want {want['rule']}); findings: {said or 'none'}"], []
    f = max(matches, key=lambda f: (f["rule"] == want["rule"], f["count"]))
    problems = []
    head = f"{want['rule']} at {block}"
    if f["rule"] != want["rule"]:
        problems.append(f"{head}: reported as {f['rule']}")
    if len(matches) > 1:
        problems.append(f"{head}: {len(matches)} findings block there ({', '.join(m['rule'] for m in matches)}), want one")
    named_elsewhere = [g for m in findings if m is not f for g in m["goroutines"] if g in f["goroutines"]]
    if named_elsewhere:
        problems.append(f"{head}: goroutines {sorted(set(named_elsewhere))[:10]} are named by other findings too")
    if "count" in want and f["count"] != want["count"]:
        problems.append(f"{head}: count {f['count']}, want {want['count']}")
    if "min_count" in want and f["count"] < want["min_count"]:
        problems.append(f"{head}: count {f['count']}, want at least {want['min_count']}")
    if "start" in want and not any(want["start"] in (l.get("function") or "")
                                   for l in f["locations"] if l["role"] == "start"):
        problems.append(f"{head}: no start location in {want['start']} "
                        f"(start: {sorted({l.get('function') for l in f['locations'] if l['role'] == 'start'})})")
    for key, roles in (("creation", ("creation",)), ("test", ("test",)),
                       ("cancel_or_context", ("cancel", "context"))):
        if key in want and want[key] not in lines(f, *roles):
            problems.append(f"{head}: no {'/'.join(roles)} location at {want[key]} (named: {sorted(lines(f, *roles))})")
    if "message_contains" in want and want["message_contains"] not in f["message"]:
        problems.append(f"{head}: message lacks {want['message_contains']!r}: {f['message'][:160]}")
    if want.get("own_wave"):
        named = set(f.get("waves") or [])
        own = own_waves(ctxtrail, trace, f["goroutines"], waves)
        if named - own:
            problems.append(f"{head}: names waves {sorted(named - own)[:10]} that are no goroutine's own "
                            f"(own waves: {sorted(own)[:10]})")
        if own - named:
            problems.append(f"{head}: does not name its goroutines' own waves {sorted(own - named)[:10]} "
                            f"(named: {sorted(named)[:10]})")
    return problems, matches


def analyze_report(ctxtrail, trace):
    """The whole JSON report (findings and waves; ctxtrail_cli.analyze keeps only the findings)."""
    out = subprocess.run([ctxtrail, "analyze", "--format", "json", trace], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"exit {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def check_case(ctxtrail, d):
    want = json.load(open(os.path.join(d, "want.json"), encoding="utf-8"))
    trace = os.path.join(d, "trace.out")
    if not os.path.isfile(trace):
        return ["no trace.out (scripts/realworld-corpus)"]
    report = analyze_report(ctxtrail, trace)
    findings, waves = report["findings"], report.get("waves", [])
    problems, matched = [], []
    for w in want.get("findings", []):
        p, judged = check_finding(w, findings, waves, ctxtrail, trace)
        problems += p
        matched += judged
    for rule in want.get("absent", []):
        n = [f for f in findings if f["rule"] == rule]
        if n:
            problems.append(f"{rule} fired ({len(n)}): {n[0]['message'][:160]}")
    floor = SEVERITY[want.get("others", "warning")]
    for f in findings:
        if f not in matched and f["rule"] not in want.get("absent", []) and SEVERITY[f["severity"]] >= floor:
            problems.append(f"unwanted {f['severity']} {f['rule']} (count {f['count']}, block "
                            f"{', '.join(sorted(lines(f, 'block'))) or '-'}): {f['message'][:160]}")
    if len(waves) < want.get("min_waves", 0):
        problems.append(f"{len(waves)} cancel waves, want at least {want['min_waves']}")
    for w in want.get("waves", []):
        there = [x for x in waves if x.get("cancel_location") and where(x["cancel_location"]) == w["cancel"]
                 and len(x.get("woken", [])) >= w.get("min_woken", 0)]
        if not there:
            problems.append(f"no cancel wave cancelled at {w['cancel']} waking at least {w.get('min_woken', 0)}")
    return problems


def main():
    ctxtrail, source = sys.argv[1], sys.argv[2]
    only = set(sys.argv[3:])
    root = os.path.join(source, "testdata", "realworld")
    cases, failed = 0, 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "want.json")) or (only and name not in only):
            continue
        cases += 1
        try:
            problems = check_case(ctxtrail, d)
        except Exception as e:  # noqa: BLE001 - any failure is a problem to report
            problems = [f"{type(e).__name__}: {e}"]
        if problems:
            failed += 1
        print(f"{'FAIL' if problems else 'ok  '} {name}")
        for p in problems:
            print(f"     {p}")
    if not only and cases < 12:
        print(f"FAIL only {cases} cases under {root}")
        failed += 1
    print(f"realworld: {cases - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
