#!/bin/sh
# roundtrip.sh SDLINT [FILE.xml...] — the round-trip property of issue 13:
# for every 三定 given (default: samples/*/sanding/*.xml), import(render(x))
# equals x in canonical form (tests/import/canon.py says what is normalised),
# and the import reports no SD301.  Prints one line per failure and a summary.
set -u
sdlint=$1; shift
dir=$(dirname "$0")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- samples/*/sanding/*.xml
n=0; bad=0; pairs=""
for x in "$@"; do
  n=$((n + 1))
  if ! "$sdlint" render "$x" > "$tmp/t.txt" 2> "$tmp/err"; then
    echo "FAIL render $x: $(cat "$tmp/err")"; bad=$((bad + 1)); continue
  fi
  if ! "$sdlint" import "$tmp/t.txt" > "$tmp/$n.xml" 2> "$tmp/err" || [ -s "$tmp/err" ]; then
    echo "FAIL import $x:"; sed 's/^/  /' "$tmp/err" | head -5; bad=$((bad + 1)); continue
  fi
  echo "$x" >> "$tmp/pairs"; echo "$tmp/$n.xml" >> "$tmp/pairs"
done
if [ -s "$tmp/pairs" ]; then
  python3 "$dir/canon.py" --pairs $(cat "$tmp/pairs") || bad=$((bad + 1))
fi
echo "roundtrip: $n documents, $bad failures"
[ "$bad" -eq 0 ]
