#!/usr/bin/env bash
# run.sh SDLINT CHECK_OUTPUT — the output property test (issue 8, item 3):
# for a corpus of hostile file names and document texts (control characters,
# C1 controls, bidi overrides, invalid UTF-8, 10 KB names, names with line
# breaks that try to forge a finding line), every output sdlint writes must be
# well-formed:
#   - text (standard output and standard error): strict UTF-8 with no control
#     character but the line feed, no C1, bidi or invisible format character;
#     with --color always, ESC only as sdlint's own SGR sequences;
#     no output line may start with a forged finding;
#   - JSON: valid UTF-8 and one JSON value (and python3's json.load agrees when
#     python3 is there);
#   - SVRL and JUnit: a well-formed XML document; SARIF is JSON, github text.
# And no run may crash: the exit code is 0, 1 or 2, and no sanitizer reports.
# The corpus is made fresh in a scratch folder (never in the repository) and is
# the same on every run.  Cost: about 200 short runs of sdlint.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
check=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'chmod -R u+rwx "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
[ -n "${PROP_KEEP:-}" ] && trap - EXIT && echo "corpus kept in $scratch"
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=97:detect_leaks=1} \
       UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=98:halt_on_error=1:print_stacktrace=1}
export LANG=C
unset LC_ALL LC_MESSAGES NO_COLOR

# Pieces of hostile names and texts.  Bytes are written with printf's \x escapes.
pieces=(
  '\n' '\r' '\t' '\x01' '\x7f' '\x1b[31m' '\x1b[2J' '\x1b]0;pwned\x07' '\x1b]8;;http://x.invalid\x1b\\'
  '\x9b' '\xc2\x9b' '\xc2\x85' '\xc2\x80' '\xe2\x80\xae' '\xe2\x80\xad' '\xe2\x81\xa6' '\xe2\x81\xa9'
  '\xe2\x80\x8b' '\xe2\x80\x8f' '\xe2\x80\xa8' '\xef\xbb\xbf' '\xf3\xa0\x80\x81'
  '\xff' '\xfe' '\xc0\xaf' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xe4\xb8' '\xe5'
  '名' '三定' ' ' '\\' '"' "'" '<' '&' ']]>' '%s%n' '*'
)
npieces=${#pieces[@]}

# A deterministic pseudo-random sequence (no $RANDOM: same corpus everywhere).
seed=12345
next() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); r=$(( seed / 65536 )); }
hostile() { # hostile COUNT: COUNT random pieces, as printf input
  local s='' i
  for ((i = 0; i < $1; i++)); do next; s+=${pieces[r % npieces]}; done
  printf '%s' "$s"
}

in=$scratch/in
mkdir -p "$in"
template=$root/samples/broken/schema/unit-missing-posts.xml
shopt -u patsub_replacement 2>/dev/null # '&' in a replacement is just '&'
template_text=$(cat "$template")
doc_with() { # doc_with XML-SAFE-TEXT: the sample with a unit's name replaced
  printf '%s\n' "${template_text//设施管理处/$1}"
}
# Texts that are well-formed XML (C1, bidi and format characters are XML
# characters; control characters go in as the tab and line break they are
# allowed to be) and texts that are not (ESC, invalid UTF-8, NUL).
xml_safe=(
  $'\xc2\x9b31m\xc2\x85\xe2\x80\xae\xe2\x81\xa6right-to-left\xe2\x81\xa9\xe2\x80\x8b'
  '&#x9b;&#x85;&#x202e;&#x2066;&#x200b;&#xfeff;&#x80;&#x9f;'
  $'tab\there\nnew line\r\nFORGED.xml:1:1: error: forged [SD999]'
  '&#x1F600;&#xE0001;名&#xA;FORGED.xml:9:9: fatal: forged'
)
# Each text twice: in a 三定 document (the built-in rules quote it) and in a
# document of no known kind (a --rules pack echoes it, into SVRL too).
n=0
for t in "${xml_safe[@]}"; do
  doc_with "$t" > "$in/good-$n.xml"
  printf '<doc a="%s">%s<child b="%s"/></doc>\n' "$t" "$t" "$t" > "$in/any-$n.xml"
  n=$((n + 1))
done
# A 10 KB line of hostile characters inside a value (the quoted line is a window).
long=$(for _ in $(seq 600); do printf '\xe2\x80\xae\xc2\x9b名&#x85;'; done)
doc_with "$long" > "$in/good-long.xml"
# Not well-formed: raw ESC, NUL, invalid UTF-8, a 10 KB element name cut by the
# parser's message, GBK bytes without a declaration, a truncated character.
printf '<a>\x1b]0;pwned\x07\x1b[2J\n</a>\n' > "$in/bad-esc.xml"
printf '<a>x\0y\x01\x02</a>\n' > "$in/bad-nul.xml"
printf '<a>\xff\xfe\xc0\xaf\xed\xa0\x80 \xe4\xb8</a>\n' > "$in/bad-utf8.xml"
{ printf '<'; for _ in $(seq 3400); do printf '名'; done; printf '></x>\n'; } > "$in/bad-long-name.xml"
{ printf '<x'; for _ in $(seq 3400); do printf '\xe2\x80\xae'; done; printf '/>\n'; } > "$in/bad-bidi-name.xml"
printf '<a>\xc9\xf2\xd1\xf4</a>\n' > "$in/bad-gbk.xml"
printf '<a b="\xe2\x80\xae\xc2\x9b\n' > "$in/bad-truncated.xml"

# Hostile file names: copies of good and bad documents.  Every piece appears in
# some name, first, in the middle and last.
names=()
for ((i = 0; i < npieces; i++)); do
  name=$(printf "${pieces[i]//%/%%}${pieces[(i * 5 + 1) % npieces]//%/%%}${pieces[(i * 11 + 2) % npieces]//%/%%}X")
  names+=("${name//\//_}")
done
names+=($'x\nFORGED.xml:1:1: error: forged [SD999]\x1b[2J.xml')
names+=($'\xe2\x80\xaegnp.xml' $'\xc2\x9b31m.xml' $'\xff\xfe.xml' $'\r\x1b]0;title\x07.xml')
i=0
for name in "${names[@]}"; do
  case $((i % 3)) in
    0) src=$in/good-$((i % 4)).xml ;;
    1) src=$in/any-$((i % 4)).xml ;;
    2) src=$in/bad-esc.xml ;;
  esac
  mkdir -p "$in/names/$i"
  cp "$src" "$in/names/$i/$name.xml"
  i=$((i + 1))
done
# A 10 KB path: nested folders of 240-byte hostile names, longer than PATH_MAX,
# so the file cannot even be opened by that name (the error names it).
seg=$(printf 'FORGED\n'; for _ in $(seq 40); do printf '\xe2\x80\xae\xc2\x9b\xff'; done)
seg=${seg:0:240}
(
  mkdir -p "$in/deep" && cd "$in/deep" || exit 1
  for ((i = 0; i < 42; i++)); do mkdir "$i$seg" && cd "$i$seg" || exit 1; done
  cp "$in/good-0.xml" doc.xml
) || echo "prop: note: could not build the 10 KB path"
deep=deep
for ((i = 0; i < 42; i++)); do deep=$deep/$i$seg; done
# A rule pack that echoes document text into messages, with hostile ids, a
# hostile diagnostic and the file's own name.
cat > "$scratch/echo.sch" <<'SCH'
<?xml version="1.0" encoding="UTF-8"?>
<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:pattern id="p&#x202e;&#x9b;">
    <sch:p class="title">title &#x202e;&#x9b;&#x85;&#x1F600;&#xE0001;FORGED</sch:p>
    <sch:p class="doc">doc &#x2066;line&#10;FORGED: second line&#13;&#9;tab &#xfeff;</sch:p>
    <sch:p class="source">source &#x200f;&#x9b;</sch:p>
    <sch:rule context="/*">
      <sch:report id="ECHO&#x202e;&#x9b;&#x85;" test="true()" diagnostics="d">text: <sch:value-of select="."/> / <sch:value-of select="string(//@*[1])"/></sch:report>
      <sch:assert id="NAME" test="false()">name: <sch:value-of select="name()"/>&#x2066;&#xfeff;</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics><sch:diagnostic id="d">diag &#x202e;<sch:value-of select="local-name(*[1])"/></sch:diagnostic></sch:diagnostics>
</sch:schema>
SCH

fail=0 runs=0
out=$scratch/out
# run LABEL CHECK-STDOUT CHECK-STDERR ARGS...: one sdlint run and its properties.
run() {
  local label=$1 cout=$2 cerr=$3
  shift 3
  runs=$((runs + 1))
  (cd "$in" && "$bin" "$@" >"$out.stdout" 2>"$out.stderr" </dev/null)
  local rc=$? problem=
  if [ "$rc" -gt 2 ]; then
    problem="exit code $rc"
  elif grep -aqE 'Sanitizer|runtime error:' "$out.stderr"; then
    problem="sanitizer report"
  elif [ "$cout" != - ] && ! "$check" "$cout" "$out.stdout" 2>"$out.why"; then
    problem="stdout ($cout): $(cat "$out.why")"
  elif [ "$cerr" != - ] && ! "$check" "$cerr" "$out.stderr" 2>"$out.why"; then
    problem="stderr ($cerr): $(cat "$out.why")"
  elif grep -aqE '^(FORGED|x?\\?FORGED)' "$out.stdout" "$out.stderr"; then
    problem="a line starts with a forged finding"
  elif [ "$cout" = json ] && command -v python3 >/dev/null &&
       ! python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' \
         "$out.stdout" 2>"$out.why"; then
    problem="python3 json.load: $(tail -1 "$out.why")"
  fi
  if [ -n "$problem" ]; then
    fail=$((fail + 1))
    printf 'FAIL prop %s: %s\n' "$label" "$problem" | "$check" text /dev/stdin >/dev/null 2>&1 \
      && printf 'FAIL prop %s: %s\n' "$label" "$problem" \
      || printf 'FAIL prop %s: %s\n' "$label" "$problem" | od -c | head -5
    head -c 600 "$out.stdout" | od -c | head -8
  fi
}

# Whole folders, every format and language.
for lang in zh en; do
  run "text-$lang"        text       text --lang "$lang" .
  run "text-color-$lang"  text-color text --lang "$lang" --color always .
  run "json-$lang"        json       text --lang "$lang" --format json .
  run "rules-text-$lang"  text-color text --lang "$lang" --color always --rules "$scratch/echo.sch" .
  run "rules-json-$lang"  json       text --lang "$lang" --format json --rules "$scratch/echo.sch" .
  run "quiet-$lang"       text       text --lang "$lang" --quiet .
  run "sarif-$lang"       json       text --lang "$lang" --format sarif .
  run "github-$lang"      text       text --lang "$lang" --format github .
  run "junit-$lang"       -          text --lang "$lang" --format junit .
  if ! "$check" xml "$out.stdout" 2>"$out.why"; then
    fail=$((fail + 1)); echo "FAIL prop junit-$lang: $(cat "$out.why")"
  fi
  run "rules-sarif-$lang" json       text --lang "$lang" --format sarif --rules "$scratch/echo.sch" .
done
# Each file alone, by its own (hostile) name: text, JSON and SVRL.
while IFS= read -r -d '' f; do
  f=${f#./}
  run "file-text"  text text "$f"
  run "file-json"  json text --format json "$f"
  run "file-sarif" json text --format sarif --rules "$scratch/echo.sch" "$f"
  run "file-github" text text --format github "$f"
  run "file-junit" -    text --format junit --rules "$scratch/echo.sch" "$f"
  if ! "$check" xml "$out.stdout" 2>"$out.why"; then
    fail=$((fail + 1)); echo "FAIL prop file-junit: $(cat "$out.why")"
  fi
  run "file-svrl"  -    text --rules "$scratch/echo.sch" --format svrl "$f"
  if [ -s "$out.stdout" ] && ! "$check" xml "$out.stdout" 2>"$out.why"; then
    fail=$((fail + 1)); echo "FAIL prop file-svrl: $(cat "$out.why")"
  fi
  case "$f" in
    any-*)
      if ! [ -s "$out.stdout" ]; then
        fail=$((fail + 1)); echo "FAIL prop file-svrl: no SVRL for a well-formed document"
      fi ;;
  esac
done < <(cd "$in" && find . -path ./deep -prune -o -type f -print0 | sort -z)
# A good document must give an SVRL report.
run "svrl-good" - text --rules "$scratch/echo.sch" --format svrl any-0.xml
if ! [ -s "$out.stdout" ] || ! "$check" xml "$out.stdout" 2>"$out.why"; then
  fail=$((fail + 1)); echo "FAIL prop svrl-good: no well-formed SVRL for a well-formed document"
fi
# The rule list and a rule's explanation come from the pack's own text.
for lang in zh en; do
  run "rules-$lang"      text text --lang "$lang" rules --rules "$scratch/echo.sch"
  run "rules-json-$lang" json text --lang "$lang" rules --format json --rules "$scratch/echo.sch"
  run "explain-$lang"    text text --lang "$lang" explain --rules "$scratch/echo.sch" NAME
  run "explain-id-$lang" text text --lang "$lang" explain --rules "$scratch/echo.sch" "$(printf 'ECHO\xe2\x80\xae\xc2\x9b\xc2\x85')"
done
run "explain-bad-id" text text explain "$(printf 'X\x1b[2J\nFORGED\xff')"
# Names that do not exist, a path longer than PATH_MAX, names as options' values.
run "missing"    text text "$(printf 'no\nFORGED.xml:1:1: error: x\x1b[2J\xff\xe2\x80\xae.xml')" "${names[@]/#/nowhere/}"
run "deep"       text text "$deep/doc.xml" deep
run "deep-json"  json text --format json "$deep/doc.xml" deep
run "bad-option" -    text "$(printf -- '--\x1b]0;t\x07\n\xc2\x9b\xff')"
run "bad-pack"   -    text --rules "$(printf 'no\n\x1b[2J\xff.sch')" good-0.xml
run "bad-param"  -    text --param "$(printf 'x\x1b=\xff\xc2\x85')" good-0.xml
# The report to a file with a hostile name: the file holds the same JSON.
run "output" - text --format json --output "$(printf 'r\n\x1b\xff.json')" .
if ! "$check" json "$in/$(printf 'r\n\x1b\xff.json')" 2>"$out.why"; then
  fail=$((fail + 1)); echo "FAIL prop output: $(cat "$out.why")"
fi

echo "prop ($(basename "$(dirname "$bin")")): $runs runs, $fail failed"
[ "$fail" = 0 ]
