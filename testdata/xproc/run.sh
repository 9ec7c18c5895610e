#!/usr/bin/env bash
# Runs the cross-process programs on loopback, each process writing its own execution trace,
# and keeps the traces in OUTDIR.
#   testdata/xproc/run.sh OUTDIR [--drop-deadline] [--ignore-cancel] [--leak-on-cancel]
#     client -> gateway (HTTP) -> backend (gRPC): client.trace, gateway.trace, backend.trace.
#     The client gives up after 60 ms on a 1 s deadline; the backend's work takes 200 ms.
#     --drop-deadline: the gateway calls the backend with a fresh 30 s timeout;
#     --ignore-cancel: the backend's work never looks at its context;
#     --leak-on-cancel: the backend's cancelled step leaves its helper goroutine blocked.
#   testdata/xproc/run.sh --k8s OUTDIR [--drop-deadline] [--ignore-cancel] [--slow-watch]
#     an operator and its Job's process, sharing a JSON file that stands in for the Job's
#     object (its annotations): operator.trace, job.trace. The reconcile has a 1 s deadline and
#     is superseded after 60 ms; the Job's work takes 200 ms.
#     --drop-deadline: the operator annotates from a context without the deadline;
#     --ignore-cancel: the Job's work never looks at its context;
#     --slow-watch: the Job's watch hands each change on 50 ms late (slow-remote-propagation).
set -euo pipefail
k8s=false
if [ "${1:-}" = --k8s ]; then k8s=true; shift; fi
out=${1:?usage: run.sh [--k8s] OUTDIR [--drop-deadline] [--ignore-cancel] [--leak-on-cancel] [--slow-watch]}
shift
caller_flags=() callee_flags=()
for f in "$@"; do
  case $f in
    --drop-deadline) caller_flags+=(-drop-deadline) ;;
    --ignore-cancel) callee_flags+=(-ignore-cancel) ;;
    --leak-on-cancel) callee_flags+=(-leak-on-cancel) ;;
    --slow-watch) $k8s || { echo "run.sh: --slow-watch is for --k8s" >&2; exit 2; }; callee_flags+=(-slow-watch) ;;
    *) echo "run.sh: unknown flag $f" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$bin"
}
trap cleanup EXIT

if $k8s; then
  (cd "$here" && go build -o "$bin/" ./k8s/operator ./k8s/job)
  "$bin/job" -trace "$out/job.trace" -object "$bin/object.json" "${callee_flags[@]}" &
  pids+=($!)
  "$bin/operator" -trace "$out/operator.trace" -object "$bin/object.json" "${caller_flags[@]}"
  wait "${pids[@]}"
  pids=()
  ls -l "$out"/*.trace >&2
  exit 0
fi

(cd "$here" && go build -o "$bin/" ./client ./gateway ./backend)
# wait_for FILE: until a server wrote its address (10 s at most).
wait_for() {
  for _ in $(seq 1000); do [ -s "$1" ] && return 0; sleep 0.01; done
  echo "run.sh: $1 never written" >&2; exit 1
}
"$bin/backend" -trace "$out/backend.trace" -addr-file "$bin/backend.addr" "${callee_flags[@]}" &
pids+=($!)
wait_for "$bin/backend.addr"
"$bin/gateway" -trace "$out/gateway.trace" -addr-file "$bin/gateway.addr" -backend "$(cat "$bin/backend.addr")" "${caller_flags[@]}" &
pids+=($!)
wait_for "$bin/gateway.addr"
"$bin/client" -trace "$out/client.trace" -gateway "$(cat "$bin/gateway.addr")"
sleep 0.3 # the backend's work, cancelled or not, is over
for p in "${pids[@]}"; do kill -TERM "$p"; done
for p in "${pids[@]}"; do wait "$p"; done
pids=()
ls -l "$out"/*.trace >&2
