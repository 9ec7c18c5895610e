#!/usr/bin/env bash
# Regenerates testdata/snapshots/dump_*.txt (the real dumps dump_text_test.cc reads) and the
# real-dump seeds of fuzz/corpus/dump/. Needs Go 1.26 (the goroutineleak profile is behind
# GOEXPERIMENT=goroutineleakprofile). blocked and leak are built with -trimpath, as production
# binaries often are; the others print absolute paths, as on a developer's machine.
set -euo pipefail
cd "$(dirname "$0")"
out=..
GODEBUG=tracebacklabels=1 go run -trimpath ./blocked > "$out/dump_blocked.txt"
GOEXPERIMENT=goroutineleakprofile go run -trimpath ./leak > "$out/dump_leak.txt"
# These three fail on purpose: keep their exit status from stopping the script.
go test -v -count=1 -timeout 2s ./hang > "$out/dump_test_timeout.txt" 2>&1 || true
go run ./deadlock > "$out/dump_deadlock.txt" 2>&1 || true
GOTRACEBACK=system go run ./crash > "$out/dump_panic_system.txt" 2>&1 || true
corpus=../../../fuzz/corpus/dump
mkdir -p "$corpus"
for f in blocked leak test_timeout deadlock panic_system; do
  cp "$out/dump_$f.txt" "$corpus/real_$f.txt"
done
