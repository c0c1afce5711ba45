#!/usr/bin/env bash
# The identity-constraint fast path (src/xsd.c, src/idc.c) against the full
# schema: the same sdlint, with SDLINT_XSD_FULL=1 forcing every document
# through the full schema, must print byte for byte the same JSON for many
# mutated 三定 (tests/idc/mutate.py: duplicate keys, missing fields, dangling
# keyrefs, values differing by blanks, case or leading zeros, other schema
# errors with them) and for the samples, alone and in an audit.
# usage: tests/idc/check.sh [SDLINT]    (COUNT=n for more variants)
set -u
SDLINT=${1:-build/sdlint}
COUNT=${COUNT:-800}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bases=()
for f in "$root"/samples/*/sanding/*.xml; do
    grep -q '<mergedFrom\|<formerUnit\|<levelTotal' "$f" && bases+=("$f")
done
# plans and catalogues: their constraints take the same path
for f in "$root"/samples/*/plan.xml "$root"/samples/*/catalogue-*.xml; do
    [ -f "$f" ] && bases+=("$f")
done
[ ${#bases[@]} -ge 3 ] || { echo "tests/idc: too few base documents"; exit 1; }
python3 "$here/mutate.py" "$tmp/v" 12 "$COUNT" "${bases[@]}" || exit 1
fail=0
compare() { # name, then the sdlint arguments
    local name=$1
    shift
    "$SDLINT" "$@" >"$tmp/fast.json" 2>"$tmp/fast.err"
    local rf=$?
    SDLINT_XSD_FULL=1 "$SDLINT" "$@" >"$tmp/full.json" 2>"$tmp/full.err"
    local rs=$?
    if [ $rf -ne $rs ] || ! cmp -s "$tmp/fast.json" "$tmp/full.json" ||
        ! cmp -s "$tmp/fast.err" "$tmp/full.err"; then
        echo "FAIL tests/idc: $name: the fast path differs from the full schema (exit $rf vs $rs)"
        diff "$tmp/full.json" "$tmp/fast.json" | head -20
        fail=1
    fi
}
compare "variants" --format json "$tmp/v"
compare "variants, audit" audit -j1 --format json "$tmp/v"
compare "variants, English" --lang en --format json "$tmp/v"
compare "samples" --format json "$root/samples"
compare "samples, audit -j2" audit -j2 --format json "$root/samples"
# The variants must meet both outcomes: some valid, some with
# identity-constraint errors only, some with other errors too.
SDLINT_XSD_FULL=1 "$SDLINT" --lang en --select SD002 --format json "$tmp/v" >"$tmp/sd002.json"
read -r valid idc_only other < <(python3 - "$tmp/sd002.json" <<'PY'
import json, re, sys
files = json.load(open(sys.argv[1]))["files"]
idc = re.compile("occurs more than once|which does not exist|lacks a field of the key")
counts = [0, 0, 0]
for f in files:
    msgs = [x["message"] for x in f.get("findings", []) if x["rule"] == "SD002"]
    counts[0 if not msgs else 1 if all(idc.search(m) for m in msgs) else 2] += 1
print(*counts)
PY
)
echo "tests/idc: $COUNT variants: $valid valid, $idc_only with identity-constraint errors only, $other with other schema errors"
if [ $valid -lt 20 ] || [ $idc_only -lt 20 ] || [ $other -lt 20 ]; then
    echo "FAIL tests/idc: the variants do not cover every outcome"
    fail=1
fi
[ $fail -eq 0 ] && echo "tests/idc: the fast path and the full schema agree"
exit $fail
