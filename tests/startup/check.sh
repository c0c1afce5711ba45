#!/bin/sh
# check.sh SDLINT — what a run costs before and after the check itself (issue 12, fast start):
#  1. the binary does not load libzip or what it pulled in (libcrypto, libbz2): their
#     dynamic linking cost every run more than checking a small document;
#  2. with valgrind present: a check run leaves its compiled checker allocated at exit
#     (freeing it was 7 % of a one-document run), still reachable, never lost; and
#     SDLINT_FREE_AT_EXIT=1 frees every heap block;
#  3. with strace present: each folder's .sdlint.xml is looked up once per run, however
#     many inputs it holds and though each input's configuration is resolved twice.
set -u
sdlint=$1
doc=samples/county/sanding/tuiyi.xml
fail=0
say() { echo "FAIL $*"; fail=$((fail + 1)); }
libs=$(ldd "$sdlint" 2>&1) || say "ldd $sdlint"
for l in libzip libcrypto libbz2; do
  echo "$libs" | grep -q "$l" && say "$sdlint loads $l"
done
if command -v valgrind > /dev/null 2>&1; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  supp=tests/hostile/valgrind.supp
  valgrind --leak-check=full --show-leak-kinds=reachable --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=99 --suppressions="$supp" "$sdlint" "$doc" > /dev/null 2> "$tmp/kept"
  [ $? -eq 99 ] && say "memory lost at exit (see below)" && grep -B2 -A12 'definitely lost in' "$tmp/kept"
  grep -q 'by 0x[0-9A-F]*: sd_checker_new' "$tmp/kept" || say "the checker is freed at exit"
  SDLINT_FREE_AT_EXIT=1 valgrind --leak-check=full --suppressions="$supp" "$sdlint" "$doc" \
    > /dev/null 2> "$tmp/freed"
  grep -q 'All heap blocks were freed' "$tmp/freed" || { say "SDLINT_FREE_AT_EXIT=1 leaves blocks allocated"; grep -A6 'HEAP SUMMARY' "$tmp/freed"; }
  echo "startup: libraries and exit path checked"
else
  echo "startup: libraries checked; exit path skipped (no valgrind)"
fi
if command -v strace > /dev/null 2>&1; then
  tmp2=$(mktemp -d)
  strace -f -e trace=%file -o "$tmp2/trace" "$sdlint" "$doc" samples/county/sanding/*.xml \
    > /dev/null 2>&1
  twice=$(grep -o '"[^"]*\.sdlint\.xml"' "$tmp2/trace" | sort | uniq -d)
  [ -n "$twice" ] && say "looked up more than once: $twice"
  grep -q '\.sdlint\.xml' "$tmp2/trace" || say "no .sdlint.xml lookup traced (strace output changed?)"
  rm -rf "$tmp2"
  echo "startup: configuration lookups checked"
fi
[ "$fail" -eq 0 ]
