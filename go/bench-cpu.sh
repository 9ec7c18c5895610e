#!/usr/bin/env bash
# CPU time per operation of trail's benchmarks, for a loaded machine where wall time swings
# and hardware counters (perf stat -e instructions) are not available (a VM without a PMU):
# each sub-benchmark runs as its own process for N (what testing picks for 200 ms) and then
# 2N iterations, and (CPU(2N) - CPU(N)) / N is one sample (task-clock: user + system time of
# the whole process, so GC and the tracer's work count; start-up cancels out); the median
# of REPS samples is printed.
#   go/bench-cpu.sh                              # tracing on, the benchmarks below
#   TRACE=0 REPS=7 go/bench-cpu.sh WithCancel Done
set -euo pipefail
cd "$(dirname "$0")"
reps=${REPS:-5}
trace=${TRACE:-1}
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(WithCancel WithCancelRoot WithCancelCause WithTimeout WithTimeoutCause WithDeadline WithDeadlineCause WithoutCancel AfterFunc Background Done DoneRepeated)
bin=$(mktemp -d)/trail.test
go test -c -o "$bin" ./trail/
cpu_ns() { # cpu_ns BENCH SUB N: user+system ns of one run
  CTXTRAIL_BENCH_TRACE=$trace perf stat -x, -e task-clock -o "$bin.stat" \
    "$bin" -test.run '^$' -test.bench "^Benchmark$1\$/^$2\$" -test.benchtime "$3x" >/dev/null
  awk -F, '/task-clock/ {printf "%d\n", $1 * 1e6}' "$bin.stat"
}
iters() { # iters BENCH SUB: the N testing picks for about 200 ms (so cheap and costly benchmarks alike run long enough)
  CTXTRAIL_BENCH_TRACE=$trace "$bin" -test.run '^$' -test.bench "^Benchmark$1\$/^$2\$" -test.benchtime 200ms |
    awk '/^Benchmark/ {print $2; exit}'
}
printf '%-14s %12s %12s %8s   (tracing %s, median of %d, CPU ns/op)\n' benchmark plain trail delta "$([ "$trace" = 1 ] && echo on || echo off)" "$reps"
for b in "${benches[@]}"; do
  declare -A med
  for sub in plain trail; do
    n=$(iters "$b" "$sub")
    samples=()
    for ((r = 0; r < reps; r++)); do
      a=$(cpu_ns "$b" "$sub" "$n")
      c=$(cpu_ns "$b" "$sub" $((2 * n)))
      samples+=("$(awk -v a="$a" -v c="$c" -v n="$n" 'BEGIN {printf "%.1f", (c - a) / n}')")
    done
    med[$sub]=$(printf '%s\n' "${samples[@]}" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
  done
  printf '%-14s %12s %12s %8s\n' "$b" "${med[plain]}" "${med[trail]}" "$(awk -v p="${med[plain]}" -v t="${med[trail]}" 'BEGIN {printf "%+.0f", t - p}')"
done
