#!/usr/bin/env bash
# `cmake --install` of a build tree into a fresh prefix gives a working tool: the binary
# stripped and running, its man page rendering, and shell completions that complete commands,
# flags and a flag's values. Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
bin=$prefix/bin/ctxtrail
[ -x "$bin" ] || fail "no bin/ctxtrail"
"$bin" --version | grep -Eq '^ctxtrail [0-9]+\.[0-9]+\.[0-9]+' || fail "--version: $("$bin" --version)"
# Stripped: no symbol table and no debug information left.
if readelf -S "$bin" | grep -Eq '\.symtab|\.debug_info'; then fail "bin/ctxtrail is not stripped"; fi
root=$(cd "$(dirname "$0")/../.." && pwd)
"$bin" analyze --fail-on never "$root/testdata/demo/checkout.trace" | grep -q "cancel-ignored" ||
  fail "the installed binary does not analyze the bundled example"

"$prefix/bin/ctxtrail-go-test" --help | grep -q "Exit codes" || fail "bin/ctxtrail-go-test does not run"
[ -f "$prefix/share/man/man1/ctxtrail-go-test.1.gz" ] || fail "no man page for ctxtrail-go-test"

man_page=$prefix/share/man/man1/ctxtrail.1.gz
[ -f "$man_page" ] || fail "no man page"
rendered=$(MANWIDTH=100 man -l "$man_page" 2>&1)
for want in "NAME" "ctxtrail analyze" "--format FORMAT" "EXIT STATUS" "EXAMPLES"; do
  grep -qF -- "$want" <<<"$rendered" || fail "the man page lacks '$want'"
done
grep -qE "^ +3 +Unreadable +or +malformed +input" <<<"$rendered" || fail "the man page lacks exit code 3"

# bash: source the completion, complete as readline would.
bash_completion=$prefix/share/bash-completion/completions/ctxtrail
got=$(bash -c 'source "$1"
  COMP_WORDS=(ctxtrail an); COMP_CWORD=1; _ctxtrail; echo "${COMPREPLY[*]}"
  COMP_WORDS=(ctxtrail analyze --format ""); COMP_CWORD=3; _ctxtrail; echo "${COMPREPLY[*]}"
  COMP_WORDS=(ctxtrail analyze --rule leak); COMP_CWORD=3; _ctxtrail; echo "${COMPREPLY[*]}"
  COMP_WORDS=(ctxtrail export --fo); COMP_CWORD=2; _ctxtrail; echo "${COMPREPLY[*]}"' _ "$bash_completion")
want=$'analyze\ntext json sarif\nleaked-goroutine\n--format'
[ "$got" = "$want" ] || fail "bash completion: got
$got
want
$want"

# zsh and fish: the scripts parse (when the shells are installed).
if command -v zsh >/dev/null; then zsh -n "$prefix/share/zsh/vendor-completions/_ctxtrail" || fail "zsh completion does not parse"; fi
if command -v fish >/dev/null; then fish --no-execute "$prefix/share/fish/vendor_completions.d/ctxtrail.fish" || fail "fish completion does not parse"; fi

for doc in README.md ci.md LICENSE copyright changelog.gz; do
  [ -f "$prefix/share/doc/ctxtrail/$doc" ] || fail "no share/doc/ctxtrail/$doc"
done
echo "install_test: ok"
