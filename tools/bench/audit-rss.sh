#!/bin/bash
# audit-rss.sh — peak memory of `sdlint audit` as the corpus grows ×10 (issue 12 item 4).
#
#   bash tools/bench/audit-rss.sh [SDLINT] [JOBS]
#
# Generates, with tools/corpus/gen.py (seed 1), a 100-county province (1 city × 100
# counties, ~3,100 files) and a 1,000-county one (10 cities × 100 counties, ~31,000 files,
# ~150 MB) under a temporary folder (TMPDIR, default /tmp; deleted afterwards), audits each
# with `sdlint audit -jJOBS --format json` (report to a file, as CI would keep it), and
# prints files, wall time and peak RSS (/usr/bin/time -v) of both and their ratio.  The
# target: the 1,000-county peak under twice the 100-county one — a plan's documents are
# freed once it is reported, so memory does not grow with the corpus.  Exit 1 when the
# target is missed, 2 when a tool is missing.  Not part of `make check` (a minute or two).
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${1:-build/sdlint}
jobs=${2:-2}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if [ ! -x /usr/bin/time ]; then
    echo "audit-rss: /usr/bin/time missing (Debian: apt-get install time)"; exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "audit-rss: python3 missing"; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/audit-rss.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

measure() { # NAME CITIES COUNTIES
    python3 tools/corpus/gen.py --seed 1 --cities "$2" --counties "$3" "$tmp/$1" >/dev/null || exit 2
    local files
    files=$(find "$tmp/$1" -name '*.xml' | wc -l)
    /usr/bin/time -v "$bin" audit -j"$jobs" --format json "$tmp/$1" > "$tmp/$1.json" 2> "$tmp/$1.time"
    local rc=$?
    if [ "$rc" -gt 1 ]; then echo "audit-rss: sdlint exited $rc on $1"; cat "$tmp/$1.time"; exit 2; fi
    local rss wall
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/$1.time")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/$1.time")
    printf 'audit-rss: %-13s %6d files  wall %8s  peak RSS %7d KiB\n' "$1" "$files" "$wall" "$rss"
    rm -rf "${tmp:?}/$1" "$tmp/$1.json"
    eval "rss_$1=$rss"
}
measure counties_100 1 100
measure counties_1000 10 100
# shellcheck disable=SC2154
ratio=$(awk -v a="$rss_counties_1000" -v b="$rss_counties_100" 'BEGIN { printf "%.2f", a / b }')
if awk -v r="$ratio" 'BEGIN { exit !(r < 2) }'; then
    echo "audit-rss: 1,000 / 100 counties peak RSS ratio $ratio (target < 2): met"
else
    echo "audit-rss: 1,000 / 100 counties peak RSS ratio $ratio (target < 2): NOT met"
    exit 1
fi
