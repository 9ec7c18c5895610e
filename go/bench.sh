#!/usr/bin/env bash
# Runs trail's constructor benchmarks (/plain = context package, /trail = this module) and
# compares them with benchstat, tracing off and then tracing on (runtime/trace to io.Discard).
#   go/bench.sh                 # -count 10 -benchtime 200ms
#   COUNT=20 BENCHTIME=1s go/bench.sh
# benchstat is run with `go run golang.org/x/perf/cmd/benchstat@latest` unless it is on PATH.
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-10}
benchtime=${BENCHTIME:-200ms}
out=$(mktemp -d)
if command -v benchstat >/dev/null; then bs=(benchstat); else bs=(go run golang.org/x/perf/cmd/benchstat@latest); fi
for mode in off on; do
  trace=0; [ "$mode" = on ] && trace=1
  echo "== tracing $mode" >&2
  CTXTRAIL_BENCH_TRACE=$trace go test -run '^$' -bench . -benchmem -count "$count" -benchtime "$benchtime" ./trail/ >"$out/raw-$mode.txt"
  # Split /plain and /trail into two files with the same benchmark names, so benchstat
  # prints plain as the baseline and trail as the change.
  grep -v '^Benchmark.*/trail-' "$out/raw-$mode.txt" | sed 's#^\(Benchmark[A-Za-z]*\)/plain-#\1-#' >"$out/plain-tracing-$mode.txt"
  grep -v '^Benchmark.*/plain-' "$out/raw-$mode.txt" | sed 's#^\(Benchmark[A-Za-z]*\)/trail-#\1-#' >"$out/trail-tracing-$mode.txt"
  (cd "$out" && "${bs[@]}" "plain-tracing-$mode.txt" "trail-tracing-$mode.txt")
done
echo "raw results in $out" >&2
