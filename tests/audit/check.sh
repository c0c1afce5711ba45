#!/bin/bash
# check.sh — `sdlint audit` on a generated province (issue 12 items 1 and 2).
#
#   bash tests/audit/check.sh [SDLINT]
#
# tools/corpus/gen.py writes, from a seed, 2 cities × 4 counties of plans with their 三定
# and injected violations; the tree gets a hidden folder (must be skipped), a symbolic
# link to a county folder (each real folder is audited once), a loop (reported, the audit
# goes on) and a file no plan names (checked on its own).  Then:
#   - the report is the same bytes for -j1, -j2 and -j4 (json and text), and the same as a
#     plain `sdlint` run over the same folder (the audit checks what a run checks);
#   - the exit code is the plain run's;
#   - --shard K/3: every entry in exactly one shard; `sdlint merge` of the three JSON
#     reports, given in any order, is the unsharded report byte for byte, with the same
#     exit code; a shard missing or given twice is refused (exit 2);
#   - shards agree whatever the mount point: the same tree reached through another path
#     puts the same files in each shard;
#   - the progress line appears on a terminal (through script(1)) and nothing on a
#     non-terminal standard error.
# Needs python3; prints one line per check and exits 1 at the first difference.
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${1:-build/sdlint}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if ! command -v python3 >/dev/null 2>&1; then
    echo "audit: python3 missing, skipped"; exit 0
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "audit: FAIL $*"; exit 1; }

python3 tools/corpus/gen.py --seed 5 --cities 2 --counties 4 --inject all --rate 0.5 \
    "$tmp/p" >/dev/null || fail "generator"
c=$tmp/p
rm -f "$c/expected.json"
# A hidden folder holding a broken document: never audited.
mkdir -p "$c/.hidden"
printf '<?xml version="1.0"?>\n<sanding xmlns="urn:sdlint:schema:1"><broken/></sanding>\n' > "$c/.hidden/h.xml"
# A document no plan names, with a schema problem: checked on its own.
cp "$c/.hidden/h.xml" "$c/zz-alone.xml"
# 三定 no plan names, of one jurisdiction under other names (one without), spread over
# folders so that shards share the jurisdiction: merge must add it up as one run would.
one=$(ls "$c"/c01/*/sanding/*.xml | head -1)
for k in 1 2 3 4 5 6; do
    mkdir -p "$c/loose$k"
    case $k in
        3) sed 's/<jurisdiction name="[^"]*"/<jurisdiction name=""/' "$one" > "$c/loose$k/d$k.xml" ;;
        *) sed "s/<jurisdiction name=\"[^\"]*\"/<jurisdiction name=\"散件$k县\"/" "$one" > "$c/loose$k/d$k.xml" ;;
    esac
done
# A second path to a county folder, and a loop.
county=$(cd "$c" && ls -d c*/* | grep -v '\.xml$' | head -1)
ln -s "../$county" "$c/c01/link-to-county"
mkdir -p "$c/loop" && ln -s .. "$c/loop/up"

cd "$tmp" || exit 2
"$bin" --format json p > plain.json 2>plain.err; prc=$?
for j in 1 2 4; do
    "$bin" audit -j$j --format json p > j$j.json 2>j$j.err; rc=$?
    [ "$rc" = "$prc" ] || fail "-j$j exits $rc, a plain run $prc"
    [ -s j$j.err ] && fail "-j$j wrote to a non-terminal standard error: $(head -c 200 j$j.err)"
    cmp -s plain.json j$j.json || fail "-j$j report differs from a plain run's: $(diff plain.json j$j.json | head -5)"
done
"$bin" audit -j1 p > t1.txt 2>/dev/null
"$bin" audit -j4 p > t4.txt 2>/dev/null
cmp -s t1.txt t4.txt || fail "text report differs between -j1 and -j4"
n=$(grep -c '"path": ' j1.json)
echo "audit: -j1, -j2, -j4 and a plain run give the same report ($n entries, exit $prc)"
grep -q '"path": "p/.hidden' j1.json && fail "a hidden folder was audited"
grep -q '"path": "p/zz-alone.xml", "kind": "sanding", "checked": true, "findings": \[$' j1.json \
    || fail "the document no plan names was not checked on its own"
grep -q 'link-to-county' j1.json && fail "a folder reached twice was audited twice"
grep -q '"rule": "SD001".*"file": "p/loop/up"' j1.json || fail "the loop was not reported"
echo "audit: hidden folder skipped, each real folder once, the loop reported, the lone document checked"

for k in 1 2 3; do
    "$bin" audit -j2 --shard $k/3 --format json p > s$k.json 2>/dev/null
    src[$k]=$?
done
total=0
for k in 1 2 3; do
    m=$(grep -c '"path": ' s$k.json)
    [ "$m" -gt 0 ] || fail "shard $k/3 is empty"
    total=$((total + m))
done
[ "$total" = "$n" ] || fail "the shards hold $total entries, the unsharded report $n"
"$bin" merge s3.json s1.json s2.json > merged.json; mrc=$?
grep -q '"jurisdictions": \[$' j1.json || fail "the unsharded report has no jurisdictions"
cmp -s merged.json j1.json || fail "merged shards differ from the unsharded run: $(diff j1.json merged.json | head -5)"
# The test means something only if shards share a jurisdiction.
python3 - s1.json s2.json s3.json <<'PY' || fail "no jurisdiction is shared by two shards"
import re, sys
seen = {}
for f in sys.argv[1:]:
    for code in set(re.findall(r'^    \{"first": \d+, "code": "(\d+)"', open(f, encoding="utf-8").read(), re.M)):
        seen[code] = seen.get(code, 0) + 1
sys.exit(0 if any(n > 1 for n in seen.values()) else 1)
PY
[ "$mrc" = "$prc" ] || fail "merge exits $mrc, the unsharded run $prc"
"$bin" merge s1.json s2.json > /dev/null 2>&1; [ $? = 2 ] || fail "merge took a missing shard"
"$bin" merge s1.json s1.json s2.json > /dev/null 2>&1; [ $? = 2 ] || fail "merge took a shard twice"
"$bin" merge j1.json > /dev/null 2>&1; [ $? = 2 ] || fail "merge took an unsharded report"
sed 's/^\(  "summary": {.*\)},$/\1, "jurisdictions": []},/' s2.json > sj.json
"$bin" --lang en merge s1.json sj.json s3.json > /dev/null 2> sj.err; [ $? = 2 ] && grep -q 'per-jurisdiction summary' sj.err \
    || fail "merge took a report with a per-jurisdiction summary it cannot add up"
# Parts that are not sdlint's, or missing from one shard, are refused.
sed 's/"nameAt": /"nameAt": x/' s2.json > sp.json
"$bin" --lang en merge s1.json sp.json s3.json > /dev/null 2> sp.err; [ $? = 2 ] && grep -q 'jurisdictionParts' sp.err \
    || fail "merge took a broken jurisdiction part: $(cat sp.err)"
python3 - s2.json sq.json <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
i = t.index(',\n  "jurisdictionParts"')
open(sys.argv[2], "w", encoding="utf-8").write(t[:i] + "\n}\n")
PY
"$bin" --lang en merge s1.json sq.json s3.json > /dev/null 2> sq.err; [ $? = 2 ] && grep -q 'another audit' sq.err \
    || fail "merge took shards with and without jurisdiction parts: $(cat sq.err)"
echo "audit: 3 shards ($total entries in all), merged in any order = the unsharded report, exit $mrc"
# --max-warnings over the shards' summed warnings, --quiet: as the unsharded run decides.
"$bin" audit -q --max-warnings 0 --format json p/c01 > mw.json 2>/dev/null; urc=$?
for k in 1 2; do "$bin" audit -q --max-warnings 0 --shard $k/2 --format json p/c01 > mw$k.json 2>/dev/null; done
"$bin" merge mw2.json mw1.json > mwm.json 2>/dev/null; mrc=$?
cmp -s mwm.json mw.json && [ "$mrc" = "$urc" ] || fail "with -q --max-warnings 0: merge exit $mrc, unsharded $urc"
echo "audit: with -q --max-warnings 0 too (exit $urc)"

# Another mount point: the same tree through an absolute path elsewhere.
ln -s "$tmp/p" "$tmp/mnt-elsewhere"
"$bin" audit --shard 2/3 --format json "$tmp/mnt-elsewhere" 2>/dev/null | grep '"path": ' \
    | sed 's|"path": "[^"]*mnt-elsewhere/|"path": "|' > abs.paths
grep '"path": ' s2.json | sed 's|"path": "p/|"path": "|' > rel.paths
cmp -s abs.paths rel.paths || fail "shard 2/3 differs between two mount points"
echo "audit: a shard holds the same files from another mount point"

if command -v script >/dev/null 2>&1; then
    script -qec "$bin audit -j2 p > /dev/null" /dev/null > tty.out 2>&1 </dev/null
    grep -q 'files/s' tty.out && grep -q 'ETA' tty.out && grep -q "\] [0-9]*/[0-9]* files" tty.out \
        || fail "no progress line on a terminal: $(head -c 300 tty.out | od -c | head -5)"
    # The report on the same terminal: the progress line is erased before report lines.
    script -qec "$bin audit -j2 p" /dev/null > tty2.out 2>&1 </dev/null
    grep -q 'files' tty2.out || fail "no progress line when the report goes to the terminal too"
    python3 - tty2.out <<'PY' || fail "a report line was written after the progress line"
import re, sys
data = open(sys.argv[1], "rb").read()
for m in re.finditer(rb"\r\[[#.]{24}\][^\r\n]*?\x1b\[K", data):
    nxt = data[m.end():m.end() + 1]
    if nxt not in (b"\r", b""):
        sys.exit(1)
PY
    echo "audit: progress line on a terminal (done/total, files/s, ETA), erased before report lines, none elsewhere"
else
    echo "audit: script(1) missing, progress on a terminal not checked"
fi
"$bin" audit - < /dev/null > /dev/null 2>&1; [ $? = 2 ] || fail "audit read standard input"
"$bin" -j2 p > /dev/null 2>&1; [ $? = 2 ] || fail "-j without audit accepted"
"$bin" audit --shard 4/3 p > /dev/null 2>&1; [ $? = 2 ] || fail "--shard 4/3 accepted"
echo "audit: usage errors refused"
