#!/usr/bin/env bash
# install.sh BUILD — `make install PREFIX=… DESTDIR=…` into a temporary folder:
# the binary runs from another folder (its schemas and rules are built in),
# and the man page, bash and zsh completions and schemas are installed.  The
# man page and the completions name exactly the options --help lists.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL install.sh: $*"; }

make -C "$root" --no-print-directory -s BUILD="$build" install PREFIX=/opt/sdlint DESTDIR="$tmp/dest" >"$tmp/log" 2>&1 \
  || { cat "$tmp/log"; bad "make install failed"; }
p=$tmp/dest/opt/sdlint
for f in bin/sdlint share/man/man1/sdlint.1 share/bash-completion/completions/sdlint \
         share/zsh/site-functions/_sdlint share/sdlint/schemas/sanding.xsd share/sdlint/schemas/common.xsd \
         share/sdlint/rules/sanding.sch; do
  [ -s "$p/$f" ] && ok || bad "not installed: $f"
done
[ -x "$p/bin/sdlint" ] && ok || bad "bin/sdlint not executable"

# Run from another folder, on a copy of a sample: the schemas are built in.
mkdir -p "$tmp/elsewhere"
cp "$root/samples/broken/rules/yingshang-draft.xml" "$tmp/elsewhere/draft.xml"
(cd "$tmp/elsewhere" && "$p/bin/sdlint" --lang en draft.xml >"$tmp/out" 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q '^draft.xml:8:5: error: .*\[SD110\]' "$tmp/out" && ok || { bad "installed binary (exit $rc)"; head -5 "$tmp/out"; }
(cd "$tmp/elsewhere" && "$p/bin/sdlint" --version) | grep -q '^sdlint ' && ok || bad "--version"

# The man page and completions list exactly --help's options.
"$p/bin/sdlint" --lang en --help | grep -oE '^ +(-[A-Za-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort -u > "$tmp/help"
sed -n 's/^\\fB\\-\\-\([a-z\\-]*\)\\fR.*/--\1/p' "$p/share/man/man1/sdlint.1" | sed 's/\\-/-/g' | sort -u > "$tmp/man"
[ -s "$tmp/help" ] && diff "$tmp/help" "$tmp/man" >"$tmp/d" && ok || { bad "man page and --help differ"; cat "$tmp/d"; }
grep -oE -- "--[a-z-]+" "$p/share/bash-completion/completions/sdlint" | grep -v -- '--help-completion' | sort -u > "$tmp/bash"
diff "$tmp/help" "$tmp/bash" >"$tmp/d" && ok || { bad "bash completion and --help differ"; cat "$tmp/d"; }
grep -oE -- "^  '--[a-z-]+" "$p/share/zsh/site-functions/_sdlint" | sed "s/^  '//" | sort -u > "$tmp/zsh"
diff "$tmp/help" "$tmp/zsh" >"$tmp/d" && ok || { bad "zsh completion and --help differ"; cat "$tmp/d"; }
bash -n "$p/share/bash-completion/completions/sdlint" && ok || bad "bash completion does not parse"
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man -l "$p/share/man/man1/sdlint.1" 2>&1 | grep -q -- '--staged' && ok || bad "man -l cannot render sdlint.1"
fi

# --write-baseline through the installed binary, then --baseline: nothing new.
(cd "$tmp/elsewhere" && "$p/bin/sdlint" --write-baseline bl.xml draft.xml >/dev/null); rc=$?
[ "$rc" = 0 ] && [ -s "$tmp/elsewhere/bl.xml" ] && ok || bad "--write-baseline (exit $rc)"
(cd "$tmp/elsewhere" && "$p/bin/sdlint" --baseline bl.xml draft.xml >/dev/null); rc=$?
[ "$rc" = 0 ] && ok || bad "--baseline after --write-baseline: exit $rc"

echo "install.sh: $pass passed, $fail failed"
[ "$fail" = 0 ]
