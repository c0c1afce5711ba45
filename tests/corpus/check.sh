#!/bin/sh
# check.sh — a generated province of plans gives exactly the findings injected into it.
#
# Issue 10 item 8: tools/corpus/gen.py writes, from a seed, C cities of K county plans, each
# with its catalogue, its parent (city) plan and a 三定 for every agency, clean by construction;
# it injects one violation into a share of the counties and lists the (file, rule) findings a
# correct sdlint reports in expected.json.  This runs sdlint over the whole corpus (one walk,
# the way an audit does) and compares the multiset of (file, rule) it reports with that list:
# a missing finding and an extra one both fail, and each is named.
#
#   sh tests/corpus/check.sh [SDLINT] [CITIES] [COUNTIES] [SEED]
# Default: build/sdlint, 4 cities × 25 counties = the 100-county corpus of the issue, 30 %
# of the counties given one violation each (CORPUS_RATE=1: every county, rules in turn).
# Needs python3 (the generator); prints one line and exits 0 when the sets are equal.
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${1:-build/sdlint}
cities=${2:-4}
counties=${3:-25}
seed=${4:-11}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if ! command -v python3 >/dev/null 2>&1; then
    echo "corpus: python3 missing, skipped"; exit 0
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 tools/corpus/gen.py --seed "$seed" --cities "$cities" --counties "$counties" \
    --inject "${INJECT:-all}" --rate "${CORPUS_RATE:-0.3}" "$tmp/corpus" || exit 1
# Run from inside the corpus so that reported paths are the generator's relative ones.
(cd "$tmp/corpus" && "$bin" --format json . >"$tmp/out.json" 2>"$tmp/err.txt")
rc=$?
if [ "$rc" -gt 1 ]; then
    echo "corpus: sdlint exited $rc"; cat "$tmp/err.txt"; exit 1
fi
python3 - "$tmp/corpus/expected.json" "$tmp/out.json" "$cities" "$counties" <<'PY'
import collections, json, sys
want = json.load(open(sys.argv[1], encoding="utf-8"))["findings"]
got = json.load(open(sys.argv[2], encoding="utf-8"))
def norm(p):
    return p[2:] if p.startswith("./") else p
w = collections.Counter((f["file"], f["rule"]) for f in want)
g = collections.Counter((norm(f["file"]), f["rule"]) for d in got["files"]
                        for f in d.get("findings", [])
                        if not f.get("suppressed") and not f.get("baselined"))
bad = 0
for k in sorted(w - g):
    print("corpus: missing %s %s" % k); bad += 1
for k in sorted(g - w):
    print("corpus: unexpected %s %s" % k); bad += 1
n = sum(w.values())
files = got.get("summary", {}).get("files", "?")
if bad:
    print("corpus: %d difference(s) (%s cities x %s counties, %d injected)" % (bad, sys.argv[3], sys.argv[4], n))
    sys.exit(1)
print("corpus: %s cities x %s counties, %s files, exactly the %d injected findings" % (sys.argv[3], sys.argv[4], files, n))
PY
