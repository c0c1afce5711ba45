#!/usr/bin/env bash
# run.sh BINARY — end-to-end tests: the built sdlint on real files, compared
# byte for byte with golden output (stdout, stderr and exit code).
#
# Cases are data: tests/e2e/*.cases, one per line, "NAME  ARGS..." (ARGS are
# split by the shell and run from the repository root, or from a scratch folder
# of generated inputs when ARGS start with @scratch).  Further prefixes, in this
# order after @scratch: @nobody runs the case as user nobody (when root),
# @nowrap runs it without SDLINT_WRAPPER (e.g. the 200 MB input under valgrind),
# and any number of "@env NAME=VALUE" set a variable for that case only.
# The golden file tests/e2e/golden/NAME.out holds stdout, then stderr after a
# "--- stderr" line when there is any, then "--- exit N".
# SDLINT_GOLDEN_UPDATE=1 rewrites the golden files and shows the diff
# (make golden-update).  SDLINT_E2E_ONLY=REGEX runs only the matching cases.
#
# Every case also must:
#   - finish within SDLINT_CASE_TIMEOUT seconds (default 20), and a hostile-*
#     case within SDLINT_HOSTILE_MAX_MS milliseconds (default 5000) unless it
#     runs under a wrapper;
#   - print no byte of the files outside the inputs that hostile inputs point
#     at (a marker secret file, /etc/passwd);
#   - leave every input unchanged (hashes before and after the run).
# SDLINT_WRAPPER="valgrind -q --error-exitcode=99 ..." runs sdlint under that
# command; valgrind's reports go to one log per case, printed on failure (a
# valgrind error also changes the exit code, so the golden comparison fails).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
update=${SDLINT_GOLDEN_UPDATE:-}
case_timeout=${SDLINT_CASE_TIMEOUT:-20}
hostile_ms=${SDLINT_HOSTILE_MAX_MS:-5000}  # hostile-* cases, when not under a wrapper
wrapper=${SDLINT_WRAPPER:-}
only=${SDLINT_E2E_ONLY:-}   # a regular expression: run only the cases it matches
scratch=$(mktemp -d)
writer_pid=
cleanup() {
  if [ -n "$writer_pid" ]; then kill "$writer_pid" 2>/dev/null; fi
  chmod -R u+rwx "$scratch" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

# Inputs that cannot live in git: made fresh for every run.
mkdir -p "$scratch/in/loop" "$scratch/in/empty-folder" "$scratch/in/folder.xml"
ln -s . "$scratch/in/loop/self"
cp tests/e2e/inputs/not-xml.xml "$scratch/in/loop/ok-not-xml.xml"
mkfifo "$scratch/in/fifo.xml"
printf '<?xml version="1.0"?>\n<secret/>\n' > "$scratch/in/unreadable.xml"
chmod 000 "$scratch/in/unreadable.xml"
printf 'A\0B\0\1\2\3\n' > "$scratch/in/binary.xml"
# Symbolic-link fan-out: 21 levels, two links per level to the next one (2^20
# paths) and a link to a file listed already; each file must be listed once.
for i in $(seq -w 0 20); do
  mkdir -p "$scratch/in/fanout/L$i"
  cp tests/e2e/inputs/v2/shuiwu.xml "$scratch/in/fanout/L$i/f$i.xml"
  if [ "$i" != 20 ]; then
    next=$(printf '%02d' $((10#$i + 1)))
    ln -s "../L$next" "$scratch/in/fanout/L$i/a"
    ln -s "../L$next" "$scratch/in/fanout/L$i/b"
  fi
done
ln -s ../L05/f05.xml "$scratch/in/fanout/L00/z-link.xml"
# Scratch cases name the repository's files by the same relative paths.
ln -s "$root/samples" "$scratch/in/samples"
ln -s "$root/tests" "$scratch/in/tests"

# Positions past line 65,535 on elements with no text beside them (positions.cases).
{
  printf '<?xml version="1.0"?>\n<p:root xmlns:p="urn:example:a/b/unit"><!--'
  head -c 70000 /dev/zero | tr '\0' '\n'
  printf -- '--><p:a/><p:单位 名称="x"/></p:root>\n'
} > "$scratch/in/positions-70k-lines.xml"

# The city sample is generated: it must be what tools/corpus/shenyang.py writes.
# The realistic samples broken once per plan rule and clause
# (tests/e2e/planvariants.cases): copies made by tools/corpus/shenyang_broken.py.
python3 tools/corpus/shenyang.py --check || exit 1
python3 tools/corpus/shenyang_broken.py "$scratch/in/plans" || exit 1

# Hostile inputs (tests/e2e/hostile.cases).  A secret outside the inputs: no
# output may ever contain its marker.
marker=SDLINT-SECRET-9c41f27e-never-print-me
mkdir -p "$scratch/outside"
printf '%s\n<%s/>\n' "$marker" "$marker" > "$scratch/outside/secret.txt"
ns='xmlns="urn:sdlint:schema:1"'
# XXE to a local file: a general entity by absolute URL, a parameter entity by
# a relative one, and an external DTD that is the secret itself.
cat > "$scratch/in/xxe-local.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sanding [
  <!ENTITY xxe SYSTEM "file://$scratch/outside/secret.txt">
  <!ENTITY % pe SYSTEM "../outside/secret.txt">
  %pe;
]>
<sanding $ns>&xxe;</sanding>
XML
cat > "$scratch/in/xxe-local-dtd.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sanding SYSTEM "../outside/secret.txt">
<sanding $ns/>
XML
# XXE to the network: a closed local port and a public host (nothing is fetched).
cat > "$scratch/in/xxe-network.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sanding [
  <!ENTITY xxe SYSTEM "http://127.0.0.1:9/sdlint-xxe">
]>
<sanding $ns>&xxe;</sanding>
XML
cat > "$scratch/in/xxe-public.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sanding PUBLIC "-//SDLINT//XXE//EN" "http://www.example.com/sdlint/xxe.dtd">
<sanding $ns/>
XML
# Quadratic blowup: one 50,000-character entity referenced 50,000 times (2.5 GB expanded).
{
  printf '<?xml version="1.0"?>\n<!DOCTYPE sanding [\n<!ENTITY a "'
  head -c 50000 /dev/zero | tr '\0' 'a'
  printf '">\n]>\n<sanding %s>' "$ns"
  for _ in $(seq 1000); do printf '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'; done
  printf '</sanding>\n'
} > "$scratch/in/quadratic.xml"
# 10,000-deep nesting.
{
  printf '<?xml version="1.0"?>\n<sanding %s>\n' "$ns"
  printf '<a>%.0s' $(seq 10000)
  printf '</a>%.0s' $(seq 10000)
  printf '\n</sanding>\n'
} > "$scratch/in/deep.xml"
# A 30 MB attribute value.
{
  printf '<?xml version="1.0"?>\n<sanding %s title="' "$ns"
  head -c 31457280 /dev/zero | tr '\0' 'A'
  printf '"/>\n'
} > "$scratch/in/attr-30mb.xml"
# A 200 MB file: an XML start, then zero bytes (sparse: no disk, made at once).
printf '<?xml version="1.0"?>\n<sanding %s>\n' "$ns" > "$scratch/in/huge-200mb.xml"
truncate -s 200M "$scratch/in/huge-200mb.xml"
# NUL bytes inside otherwise good XML.
printf '<?xml version="1.0"?>\n<sanding %s>\n  <title>a\0b</title>\n</sanding>\n' "$ns" \
  > "$scratch/in/nul-bytes.xml"
# A FIFO that never ends: a writer streams into it for the whole run (fd 7
# holds it open, so the writer starts at once and the reader never sees EOF).
mkfifo "$scratch/in/fifo-endless.xml"
exec 7<>"$scratch/in/fifo-endless.xml"
yes '<sanding>' >"$scratch/in/fifo-endless.xml" 2>/dev/null &
writer_pid=$!
# Looks like UTF-16 (a '<' then zero bytes) but does not decode: libxml2 used
# to print an "encoding error" line of its own on stderr (found by fuzzing).
printf '<\0\0\0\0' > "$scratch/in/utf16-broken.xml"
# Rule packs that are FIFOs nobody writes to, directly or by an include.
mkfifo "$scratch/in/fifo-pack.sch"
cat > "$scratch/in/include-fifo.sch" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:include href="fifo-pack.sch"/>
</sch:schema>
XML
# A user pack whose subordinate documents come from the checked document: a
# document may not name a file outside its own folder (directly or by a
# symlink), nor block the run with a FIFO.
mkdir -p "$scratch/in/subdoc"
printf '<secret>%s</secret>\n' "$marker" > "$scratch/outside/secret.xml"
cat > "$scratch/in/subdoc/subdoc.sch" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:pattern documents="/*/@href">
    <sch:rule context="/*"><sch:report test="true()">read: <sch:value-of select="."/></sch:report></sch:rule>
  </sch:pattern>
</sch:schema>
XML
printf '<doc href="../../outside/secret.xml"/>\n' > "$scratch/in/subdoc/relative.xml"
ln -s ../../outside/secret.xml "$scratch/in/subdoc/link.xml"
printf '<doc href="link.xml"/>\n' > "$scratch/in/subdoc/symlink.xml"
mkfifo "$scratch/in/subdoc/fifo-doc.xml"
printf '<doc href="fifo-doc.xml"/>\n' > "$scratch/in/subdoc/fifo.xml"
printf '<doc>inside</doc>\n' > "$scratch/in/subdoc/inside-sub.xml"
printf '<doc href="inside-sub.xml"/>\n' > "$scratch/in/subdoc/inside.xml"
# A symlink inside the folder whose target resolves, through two more
# symlinks, to a path longer than PATH_MAX: realpath() fails (ENAMETOOLONG)
# while open() succeeds, so a check made with realpath let the secret through.
long=$(printf 'd%.0s' $(seq 200))
(
  cd "$scratch/outside" && mkdir deep && cd deep || exit 1
  hop=
  for _ in $(seq 12); do mkdir "$long" && cd "$long" || exit 1; hop=$hop$long/; done
  for _ in $(seq 12); do mkdir "$long" && cd "$long" || exit 1; done
  printf '<secret>%s</secret>\n' "$marker" > secret.xml
  ln -s "${hop%/}" "$scratch/outside/deep/h1"
  ln -s "${hop}secret.xml" "$scratch/outside/deep/$hop/h2"
) || echo "run.sh: could not build the long-path symlink input" >&2
ln -s ../../outside/deep/h1/h2 "$scratch/in/subdoc/long-link.xml"
printf '<doc href="long-link.xml"/>\n' > "$scratch/in/subdoc/longpath.xml"
# An absolute name outside the folder.
printf '<doc href="/etc/passwd"/>\n' > "$scratch/in/subdoc/absolute.xml"
# Folder and file names with CJK characters and spaces (must work: they are
# file-system paths, not URIs to be percent-escaped).
mkdir -p "$scratch/in/目录 一/子 目录"
printf '<doc href="子 目录/目录 二.xml"/>\n' > "$scratch/in/目录 一/主 文件.xml"
printf '<doc>中文 内容</doc>\n' > "$scratch/in/目录 一/子 目录/目录 二.xml"
# A rule pack whose DOCTYPE points an entity at the secret.
cat > "$scratch/in/xxe-pack.sch" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE sch:schema [
  <!ENTITY xxe SYSTEM "file://$scratch/outside/secret.txt">
]>
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:pattern><sch:rule context="/*"><sch:report test="true()">&xxe;</sch:report></sch:rule></sch:pattern>
</sch:schema>
XML

# An unreadable file stays readable for root, so as root run that case as nobody.
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$scratch" "$scratch/in"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
# valgrind writes its report to a log per case (any user may write there).
vglogs=$scratch/vg
mkdir -p "$vglogs"
chmod 1777 "$vglogs"
is_valgrind=
case "$wrapper" in valgrind*|*/valgrind*) is_valgrind=1 ;; esac

export LANG=C LC_ALL= LC_MESSAGES= NO_COLOR=
unset LC_ALL LC_MESSAGES NO_COLOR
# A CI runner may set GITHUB_ACTIONS, which changes the default format: cases set it themselves.
unset GITHUB_ACTIONS
# Every input: the repository's and the generated ones (FIFOs are not hashed).
hash_inputs() {
  find samples rules schemas tests/e2e/inputs "$scratch/in" "$scratch/outside" \
    -type f -exec sha256sum {} + 2>/dev/null | sort
}
before_hashes=$(hash_inputs)
pass=0 fail=0 vgfail=0 slowest=0 slowest_name=
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  read -r name args <<<"$line"
  if [ -n "$only" ] && ! [[ $name =~ $only ]]; then continue; fi
  dir=$root
  runner=()
  wrap=$wrapper
  if [ "${args#@scratch }" != "$args" ]; then
    dir=$scratch/in
    args=${args#@scratch }
  fi
  if [ "${args#@nobody }" != "$args" ]; then
    runner=("${as_user[@]}")
    args=${args#@nobody }
  fi
  if [ "${args#@nowrap }" != "$args" ]; then
    wrap=
    args=${args#@nowrap }
  fi
  envs=
  while [ "${args#@env }" != "$args" ]; do
    args=${args#@env }
    envs="$envs ${args%% *}"
    args=${args#* }
  done
  if [ -n "$wrap" ] && [ -n "$is_valgrind" ]; then
    wrap="$wrap --log-file=$vglogs/$name.%p"
  fi
  out=$scratch/out.$name
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  (cd "$dir" && eval "${envs:+env $envs} timeout -k 5 $case_timeout ${runner[*]} $wrap \"$bin\" $args" \
     >"$out.stdout" 2>"$out.stderr" </dev/null)
  rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ "$ms" -gt "$slowest" ]; then slowest=$ms slowest_name=$name; fi
  {
    cat "$out.stdout"
    if [ -s "$out.stderr" ]; then echo "--- stderr"; cat "$out.stderr"; fi
    echo "--- exit $rc"
  } >"$out"
  golden=tests/e2e/golden/$name.out
  problem=
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    problem="TIMEOUT $name: no result after ${case_timeout}s"
  elif [ "${name#hostile-}" != "$name" ] && [ -z "$wrap" ] && [ "$ms" -gt "$hostile_ms" ]; then
    problem="SLOW $name: ${ms} ms, more than the ${hostile_ms} ms a hostile input may take"
  elif grep -aqF -e "$marker" -e "root:x:0:0" "$out"; then
    problem="LEAK $name: the output contains bytes of a file outside the inputs"
  fi
  vglog=
  # valgrind's own notes ("--PID-- WARNING: unhandled amd64-linux syscall: 437",
  # i.e. openat2, which valgrind 3.19 answers with ENOSYS and safeopen.c then
  # falls back from) are not errors; memcheck's reports are "==PID==" lines.
  for f in "$vglogs/$name".*; do
    if [ -s "$f" ] && grep -qv '^--[0-9]*-- ' "$f"; then vglog=$f; break; fi
  done
  if [ -n "$vglog" ]; then
    vgfail=$((vgfail + 1))
    problem="${problem:+$problem; }VALGRIND $name: errors or leaks (exit $rc)"
  fi
  if [ -n "$problem" ]; then
    fail=$((fail + 1))
    echo "FAIL $problem: sdlint $args"
    if [ -n "$vglog" ]; then head -60 "$vglog"; fi
  elif [ -n "$update" ]; then
    if ! cmp -s "$out" "$golden" 2>/dev/null; then
      diff -u "$golden" "$out" 2>/dev/null || true
      cp "$out" "$golden"
      echo "updated $golden"
    fi
    pass=$((pass + 1))
  elif cmp -s "$out" "$golden"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: sdlint $args"
    diff -u "$golden" "$out" | head -40
  fi
done < <(cat tests/e2e/*.cases)

# Reading must never change an input: every input hashes the same afterwards.
if [ "$(hash_inputs)" != "$before_hashes" ]; then
  fail=$((fail + 1))
  echo "FAIL inputs-untouched: an input file changed during the run:"
  diff <(echo "$before_hashes") <(hash_inputs) | head -20
fi
echo "e2e: $pass passed, $fail failed (slowest: $slowest_name, ${slowest} ms)"
if [ -n "$wrapper" ]; then
  echo "e2e under '$wrapper': $vgfail case(s) with wrapper reports"
fi
[ "$fail" = 0 ]
