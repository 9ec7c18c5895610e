#!/usr/bin/env bash
# Rebuilds the real traces of testdata/analyze from the Go programs in programs/ (each writes
# its own trace; gt is a go test package). Traces differ run to run: after this, regenerate
# the golden JSON with
#   CTXTRAIL_UPDATE_GOLDEN=1 build/release/pipeline_tests --gtest_filter='AnalyzeGolden*'
# and review the diff.
set -euo pipefail
cd "$(dirname "$0")/programs"
for d in */; do
  d=${d%/}
  [ "$d" = tr ] && continue
  if [ "$d" = gt ]; then
    go test -count=1 -trace "../$d.trace" "./$d" >/dev/null
    rm -f gt.test
  else
    go run "./$d" "../$d.trace"
  fi
done
