#!/usr/bin/env python3
"""The build's layers (docs/architecture.md): a stage includes only its own headers and the
public headers (include/ctxtrail/<stage>/) of the stages before it, and only the analysis stage
reads a trace or builds a model. Exits 1 naming every line that breaks a layer."""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent
ORDER = ["trace", "snapshot", "capture", "model", "diagnose", "analysis", "render", "cli", "cli_main"]
RANK = {s: i for i, s in enumerate(ORDER)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
# What reads a trace or builds a model: the analysis stage's job, and its stages' own.
PIPELINE = re.compile(r"\b(Reader::open|Reader::from_bytes|ModelBuilder|ContextTreeBuilder|for_each_event)\b")
PIPELINE_OWNERS = {"trace", "model", "analysis"}


def is_test(path):
    # Unit tests and the helpers only they include (rule_test_util.h).
    return path.name.endswith("_test.cc") or path.name.endswith("_test_util.h")


def check_include(stage, path, lineno, target, problems):
    parts = target.split("/")
    where = f"{path.relative_to(ROOT)}:{lineno}"
    if parts[0] == "ctxtrail":
        if len(parts) == 2:  # ctxtrail/status.h: below every stage
            return
        other = parts[1]
        if other not in RANK:
            problems.append(f"{where}: includes {target}, of no known stage")
        elif RANK[other] > RANK[stage]:
            problems.append(f"{where}: {stage} includes {target} of the later stage {other}")
        return
    if len(parts) == 1:  # a generated header or a sibling in the same folder
        return
    if parts[0] != stage:
        problems.append(f"{where}: {stage} includes {target}, a private header of {parts[0]} "
                        f"(use its include/ctxtrail/{parts[0]}/ headers)")


def main():
    problems = []
    files = []
    for stage in ORDER:
        for folder in (ROOT / "src" / stage, ROOT / "include" / "ctxtrail" / stage):
            if folder.is_dir():
                files += [(stage, p) for p in sorted(folder.iterdir()) if p.suffix in (".h", ".cc")]
    known = {p.name for p in (ROOT / "src").iterdir() if p.is_dir()}
    for extra in sorted(known - set(ORDER)):
        problems.append(f"src/{extra}: a folder that is no stage of the pipeline (tests/layering_test.py ORDER)")
    for stage, path in files:
        if is_test(path):
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if m:
                check_include(stage, path, lineno, m.group(1), problems)
            if stage not in PIPELINE_OWNERS and PIPELINE.search(line) and not line.lstrip().startswith("//"):
                problems.append(f"{path.relative_to(ROOT)}:{lineno}: {stage} reads the trace or builds "
                                f"a model itself; ask the analysis stage (include/ctxtrail/analysis/)")
    for p in problems:
        print(p)
    print(f"{len(files)} files checked, {len(problems)} layer problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
