#!/usr/bin/env bash
# Regenerates the traces of testdata/ticking/ (see main.go): one per case, and the go test run.
set -euo pipefail
cd "$(dirname "$0")"
export GOMAXPROCS=2 GOFLAGS=-mod=mod
go build -o /tmp/ticking-$$ .
trap 'rm -f /tmp/ticking-$$' EXIT
for c in gocache-dropped lru-dropped ticker-stopped server-janitor; do
  /tmp/ticking-$$ "$c" "$c.trace"
done
go test -count=1 -trace test-cache-dropped.trace . >/dev/null
ls -l ./*.trace
