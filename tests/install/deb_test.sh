#!/usr/bin/env bash
# `cpack -G DEB` makes a package that installs cleanly, runs, and removes cleanly, and that
# lintian finds no error or warning in. It installs into the system, so it needs root (the CI
# runs as root on a throwaway machine); elsewhere it is skipped. Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
fail() { echo "deb_test: $*" >&2; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null; then
  echo "deb_test: skipped (needs root and dpkg)"
  exit 0
fi
# dpkg, retried while another package manager (an apt run elsewhere on the machine) holds its lock.
dpkg_locked() {
  local i
  for i in $(seq 30); do
    if dpkg "$@" >"$out/dpkg.log" 2>&1; then return 0; fi
    grep -qi "lock" "$out/dpkg.log" || return 1
    sleep 10
  done
  return 1
}
out=$(mktemp -d)
trap 'rm -rf "$out"; dpkg -r ctxtrail >/dev/null 2>&1 || true' EXIT
(cd "$out" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1) ||
  { cat "$out/cpack.log"; fail "cpack failed"; }
deb=$(ls "$out"/ctxtrail_*.deb)
# Its dependencies are what dpkg-shlibdeps found: the C and C++ runtimes among them.
dpkg-deb -f "$deb" Depends | grep -q "libc6" || fail "Depends has no libc6: $(dpkg-deb -f "$deb" Depends)"
if command -v lintian >/dev/null; then
  tags=$(lintian --allow-root "$deb" 2>&1 | grep -E '^[EW]: ' || true)
  [ -z "$tags" ] || fail "lintian: $tags"
fi
dpkg_locked -r ctxtrail || true
dpkg_locked -i "$deb" || { cat "$out/dpkg.log"; fail "dpkg -i failed"; }
root=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/ctxtrail --version | grep -q '^ctxtrail ' || fail "the packaged binary does not run"
/usr/bin/ctxtrail analyze --fail-on never "$root/testdata/demo/checkout.trace" | grep -q "cancel-ignored" ||
  fail "the packaged binary does not analyze the bundled example"
[ "$(man -w ctxtrail)" = /usr/share/man/man1/ctxtrail.1.gz ] || fail "man ctxtrail finds no page"
dpkg_locked -r ctxtrail || { cat "$out/dpkg.log"; fail "dpkg -r failed"; }
[ ! -e /usr/bin/ctxtrail ] || fail "dpkg -r left /usr/bin/ctxtrail"
[ ! -e /usr/share/doc/ctxtrail ] || fail "dpkg -r left /usr/share/doc/ctxtrail"
echo "deb_test: ok"
