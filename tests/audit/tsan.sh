#!/bin/bash
# tsan.sh — `sdlint audit`'s threads under ThreadSanitizer (issue 12 item 1).
#
#   bash tests/audit/tsan.sh
#
# Builds sdlint with clang -fsanitize=thread into build-tsan/ (the library and the
# command; libxml2 and PCRE2 are the system's, seen through TSan's interceptors), then
# audits a generated province (2 cities × 6 counties, ~380 files, every injectable
# violation in half the counties) three times with -j4 — more threads than cores, so
# units overtake one another — with halt_on_error: any data race fails the run.  Each
# report must also equal the -j1 report of the plain build.  Skipped in one line when
# clang or its TSan runtime is missing.
set -u
cd "$(dirname "$0")/../.." || exit 2
command -v clang >/dev/null 2>&1 || { echo "tsan: clang missing, skipped"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "tsan: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' > "$tmp/t.c"
if ! clang -fsanitize=thread -o "$tmp/t" "$tmp/t.c" -lpthread 2>/dev/null || ! "$tmp/t"; then
    echo "tsan: clang's ThreadSanitizer does not work here, skipped"; exit 0
fi
make --no-print-directory BUILD=build-tsan CC=clang OPT="-O1 -g" SAN="-fsanitize=thread" \
    CFLAGS="-Wno-unknown-warning-option" build-tsan/sdlint >/dev/null || { echo "tsan: build failed"; exit 1; }
make --no-print-directory build/sdlint >/dev/null || exit 1
python3 tools/corpus/gen.py --seed 9 --cities 2 --counties 6 --inject all --rate 0.5 "$tmp/p" >/dev/null || exit 1
cd "$tmp" || exit 2
"$OLDPWD/build/sdlint" audit -j1 --format json p > ref.json 2>/dev/null
for i in 1 2 3; do
    TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
        "$OLDPWD/build-tsan/sdlint" audit -j4 --format json p > run.json 2> tsan.err
    rc=$?
    if [ "$rc" = 66 ] || grep -q 'ThreadSanitizer' tsan.err; then
        echo "tsan: FAIL: a data race (run $i)"; head -60 tsan.err; exit 1
    fi
    cmp -s run.json ref.json || { echo "tsan: FAIL: run $i report differs from -j1"; exit 1; }
done
# SVRL reports are built on the workers too.
"$OLDPWD/build/sdlint" audit -j1 --format svrl p > ref.svrl 2>/dev/null
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$OLDPWD/build-tsan/sdlint" audit -j4 --format svrl p > run.svrl 2> tsan.err
if [ $? = 66 ] || grep -q 'ThreadSanitizer' tsan.err; then
    echo "tsan: FAIL: a data race (svrl)"; head -60 tsan.err; exit 1
fi
cmp -s run.svrl ref.svrl || { echo "tsan: FAIL: the svrl report differs from -j1"; exit 1; }
echo "tsan: 3 audits of $(grep -c '"path": ' ref.json) files with -j4 under ThreadSanitizer, and one in SVRL: no race, reports equal -j1's"
