#!/usr/bin/env bash
# The static binary (scripts/build static) runs where no shared library is: in a root that
# holds nothing but itself and the bundled example, with an empty environment. Usage:
# static_test.sh BINARY
set -euo pipefail
bin=$(readlink -f "$1")
fail() { echo "static_test: $*" >&2; exit 1; }
file "$bin" | grep -q "statically linked" || fail "$(file "$bin")"
if readelf -d "$bin" 2>/dev/null | grep -q NEEDED; then fail "it needs shared libraries: $(readelf -d "$bin" | grep NEEDED)"; fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
src=$(cd "$(dirname "$0")/../.." && pwd)
cp "$bin" "$root/ctxtrail"
cp "$src/testdata/demo/checkout.trace" "$root/checkout.trace"
mkdir "$root/tmp"
# chroot needs root, or a user namespace where this user is root.
chroot_bin=$(command -v chroot)
enter=("$chroot_bin" "$root")
if [ "$(id -u)" != 0 ]; then
  if unshare -r true 2>/dev/null; then enter=("$(command -v unshare)" -r "$chroot_bin" "$root"); else
    echo "static_test: skipped (needs root or user namespaces for the empty root)"
    exit 0
  fi
fi
out=$(env -i LD_LIBRARY_PATH= "${enter[@]}" /ctxtrail analyze --fail-on never /checkout.trace) ||
  fail "analyze failed in the empty root"
grep -q "cancel-ignored" <<<"$out" || fail "analyze in the empty root found no cancel-ignored: $out"
env -i "${enter[@]}" /ctxtrail report /checkout.trace -o /tmp/report.html || fail "report failed in the empty root"
[ -s "$root/tmp/report.html" ] || fail "no report written"
# capture: no HTTP client in this build, and it says so.
rc=0
err=$(env -i "${enter[@]}" /ctxtrail capture http://127.0.0.1:1 --seconds 1 -o /tmp/cap 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "capture succeeded without an HTTP client"
grep -q "static binary" <<<"$err" || fail "capture does not say why it cannot fetch: $err"
echo "static_test: ok"
