#!/usr/bin/env bash
# Runs client -> gateway (HTTP) -> backend (gRPC) as three processes on loopback, each writing
# its own execution trace, and keeps the three traces in OUTDIR (client.trace, gateway.trace,
# backend.trace). The client gives up after 60 ms on a 1 s deadline; the backend's work takes
# 200 ms. Planted bugs: --drop-deadline (the gateway calls the backend with a fresh 30 s
# timeout), --ignore-cancel (the backend's work never looks at its context).
#   testdata/xproc/run.sh OUTDIR [--drop-deadline] [--ignore-cancel]
set -euo pipefail
out=${1:?usage: run.sh OUTDIR [--drop-deadline] [--ignore-cancel]}
shift
gateway_flags=() backend_flags=()
for f in "$@"; do
  case $f in
    --drop-deadline) gateway_flags+=(-drop-deadline) ;;
    --ignore-cancel) backend_flags+=(-ignore-cancel) ;;
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
(cd "$here" && go build -o "$bin/" ./client ./gateway ./backend)

# wait_for FILE: until a server wrote its address (10 s at most).
wait_for() {
  for _ in $(seq 1000); do [ -s "$1" ] && return 0; sleep 0.01; done
  echo "run.sh: $1 never written" >&2; exit 1
}
"$bin/backend" -trace "$out/backend.trace" -addr-file "$bin/backend.addr" "${backend_flags[@]}" &
pids+=($!)
wait_for "$bin/backend.addr"
"$bin/gateway" -trace "$out/gateway.trace" -addr-file "$bin/gateway.addr" -backend "$(cat "$bin/backend.addr")" "${gateway_flags[@]}" &
pids+=($!)
wait_for "$bin/gateway.addr"
"$bin/client" -trace "$out/client.trace" -gateway "$(cat "$bin/gateway.addr")"
sleep 0.3 # the backend's work, cancelled or not, is over
for p in "${pids[@]}"; do kill -TERM "$p"; done
for p in "${pids[@]}"; do wait "$p"; done
pids=()
ls -l "$out"/*.trace >&2
