#!/usr/bin/env python3
"""Validates `ctxtrail analyze --format sarif` on real traces against the official SARIF 2.1.0
JSON schema, and checks what GitHub code scanning needs beyond the schema: rule IDs that
match the driver's rules, physical locations with repo-relative URIs and a start line."""
import json
import os
import subprocess
import sys

import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ctxtrail = sys.argv[1]
schema_path = os.path.join(here, "node_modules", "@microsoft", "sarif-multitool-linux", "sarif-2.1.0.json")
schema = json.load(open(schema_path))
validator = jsonschema.Draft202012Validator(schema)

traces = [os.path.join(root, "testdata", "demo", "checkout.trace")]
analyze_dir = os.path.join(root, "testdata", "analyze")
if os.path.isdir(analyze_dir):
    traces += sorted(os.path.join(analyze_dir, f) for f in os.listdir(analyze_dir) if f.endswith(".trace"))

problems = 0
results_seen = 0
for trace in traces:
    out = subprocess.run([ctxtrail, "analyze", "--format", "sarif", "--fail-on", "never", trace],
                         capture_output=True, text=True, cwd=root)
    if out.returncode != 0:
        print(f"FAIL {trace}: exit {out.returncode}: {out.stderr}")
        problems += 1
        continue
    log = json.loads(out.stdout)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"FAIL {trace}: {'/'.join(map(str, e.path))}: {e.message}")
    problems += len(errors)
    for run in log["runs"]:
        rule_ids = {r["id"] for r in run["tool"]["driver"].get("rules", [])}
        for res in run.get("results", []):
            results_seen += 1
            if res.get("ruleId") not in rule_ids:
                print(f"FAIL {trace}: result rule {res.get('ruleId')} not among the driver's rules")
                problems += 1
            locs = res.get("locations", [])
            if not locs:
                print(f"FAIL {trace}: result without a location")
                problems += 1
            for loc in locs:
                phys = loc.get("physicalLocation", {})
                uri = phys.get("artifactLocation", {}).get("uri", "")
                line = phys.get("region", {}).get("startLine", 0)
                if not uri or uri.startswith("/") or line < 1:
                    print(f"FAIL {trace}: physical location {uri!r} line {line} is not repo-relative with a line")
                    problems += 1

print(f"{len(traces)} SARIF logs, {results_seen} results checked against {os.path.basename(schema_path)}: "
      f"{problems} problems")
if results_seen == 0:
    print("FAIL: no SARIF result at all: the check proved nothing")
    problems += 1
sys.exit(1 if problems else 0)
