#!/usr/bin/env bash
# Regenerates testdata/snapshots/profile_* (the profiles profile_test.cc reads) and the seeds of
# fuzz/corpus/profile/: real profiles, and the hand-made ones of broken_seeds.py. Needs Go 1.26 (the goroutineleak profile is
# behind GOEXPERIMENT=goroutineleakprofile). -trimpath keeps file names stable across machines.
set -euo pipefail
cd "$(dirname "$0")"
out=..
GOEXPERIMENT=goroutineleakprofile go run -trimpath . -out "$out"
cd "$out"
gunzip -c profile_goroutine.pb.gz > profile_goroutine.pb
# What Go's own reader makes of each sample: the tests compare their frames with these.
for p in goroutine goroutineleak; do
  go tool pprof -traces "profile_$p.pb.gz" > "profile_$p.traces.txt"
done
corpus=../../fuzz/corpus/profile
mkdir -p "$corpus"
cp profile_goroutineleak.pb.gz profile_goroutineleak.txt "$corpus/"
gunzip -c profile_goroutineleak.pb.gz > "$corpus/profile_goroutineleak.pb"
cp profile_goroutine.txt "$corpus/"
profilegen/broken_seeds.py "$corpus"
