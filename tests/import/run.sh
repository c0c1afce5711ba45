#!/bin/sh
# run.sh SDLINT — the import/render tests of issue 13 (make check-import):
#  1. each realistic text tests/import/texts/NAME.txt imports to exactly
#     golden/NAME.xml, with exactly golden/NAME.stderr (its SD301 list), and
#     `import --check` prints exactly golden/NAME.check (findings at source lines);
#  2. the round trip import(render(x)) = x (canon.py) on every 三定 sample, every
#     三定 rule example and a small generated corpus (tools/corpus/gen.py);
#  3. render and import write -o files atomically and refuse what they cannot do.
# SDLINT_GOLDEN_UPDATE=1 rewrites the goldens (review the diff).
set -u
export LC_ALL=C.UTF-8; unset LANG LC_MESSAGES
sdlint=$1
dir=$(dirname "$0")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; n=0
say() { echo "FAIL $*"; fail=$((fail + 1)); }

for t in "$dir"/texts/*.txt; do
  name=$(basename "$t" .txt); n=$((n + 1))
  "$sdlint" import "$t" > "$tmp/out.xml" 2> "$tmp/out.stderr"
  "$sdlint" import "$t" --check > "$tmp/out.check" 2>&1; echo "exit $?" >> "$tmp/out.check"
  for k in xml stderr check; do
    g="$dir/golden/$name.$k"
    if [ "${SDLINT_GOLDEN_UPDATE:-}" = 1 ]; then
      cp "$tmp/out.$k" "$g"
    elif ! cmp -s "$tmp/out.$k" "$g"; then
      say "$name.$k differs from its golden:"; diff "$g" "$tmp/out.$k" | head -20
    fi
  done
done
echo "import texts: $n checked"

# Round trip: samples, rule examples, a generated corpus.
set --
for f in samples/*/sanding/*.xml rules/examples/*.xml samples/broken/rules/*.xml; do
  grep -q '<sanding' "$f" && set -- "$@" "$f"
done
python3 tools/corpus/gen.py --seed 13 --cities 1 --counties 2 "$tmp/corpus" > /dev/null
for f in $(find "$tmp/corpus" -path '*sanding*' -name '*.xml' | sort); do set -- "$@" "$f"; done
sh "$dir/roundtrip.sh" "$sdlint" "$@" || fail=$((fail + 1))

# -o writes atomically; bad inputs are refused with exit 2.
"$sdlint" render samples/city/sanding/dashuju.xml -o "$tmp/r.txt" && "$sdlint" import "$tmp/r.txt" -o "$tmp/r.xml" \
  && python3 "$dir/canon.py" "$tmp/r.xml" > "$tmp/a" && python3 "$dir/canon.py" samples/city/sanding/dashuju.xml > "$tmp/b" \
  && cmp -s "$tmp/a" "$tmp/b" || say "render -o / import -o"
ls "$tmp" | grep -q '\.tmp' && say "a temporary file was left"
"$sdlint" render samples/city/plan.xml > /dev/null 2>&1; [ $? -eq 2 ] || say "render of a plan is not refused"
# --official: the text as published, the same but for the data appendix, which it leaves out.
"$sdlint" render --official samples/county/sanding/tuiyi.xml > "$tmp/off.txt" || say "render --official"
"$sdlint" render samples/county/sanding/tuiyi.xml > "$tmp/full.txt"
grep -q '附：机构编制数据' "$tmp/off.txt" && say "render --official keeps the data appendix"
n_off=$(wc -l < "$tmp/off.txt")
head -n "$n_off" "$tmp/full.txt" | cmp -s - "$tmp/off.txt" || say "render --official differs from the text before the appendix"
tail -n +"$((n_off + 1))" "$tmp/full.txt" | head -n 1 | grep -qx '附：机构编制数据' || say "render --official cut elsewhere than the appendix"
"$sdlint" import "$tmp/missing.txt" > /dev/null 2>&1; [ $? -eq 2 ] || say "import of a missing file is not exit 2"
printf 'a\377\377\n' > "$tmp/bad.txt"
"$sdlint" import "$tmp/bad.txt" > /dev/null 2>&1; [ $? -eq 2 ] || say "import of bytes that are not text is not exit 2"
"$sdlint" import --bogus x > /dev/null 2>&1; [ $? -eq 2 ] || say "an unknown import option is not exit 2"
# What the command line names reaches the terminal escaped, never raw (an ESC in a file
# name or an unknown option would recolour it).
esc=$(printf '\033')
"$sdlint" import "$tmp/x${esc}[31m.txt" > /dev/null 2> "$tmp/esc1"
"$sdlint" render "--x${esc}[31m" > /dev/null 2> "$tmp/esc2"
"$sdlint" import --format "j${esc}[31m" --check "$dir/texts/province-yingji.txt" > /dev/null 2> "$tmp/esc3"
for e in esc1 esc2 esc3; do
  grep -q "$esc" "$tmp/$e" && say "a raw escape reached standard error ($e)"
  [ -s "$tmp/$e" ] || say "nothing said about a bad name or option ($e)"
done
# --patterns: a 编办's own file replaces the built-in wording.
sed '/^match .*根据/s/根据/依据/' rules/import-zh.txt > "$tmp/p.txt"
printf '第一条　依据《甲市机构改革方案》（甲委〔2019〕1号），制定本规定。\n' > "$tmp/own.txt"
"$sdlint" import --patterns "$tmp/p.txt" "$tmp/own.txt" 2>&1 | grep -q '<title>甲市机构改革方案</title>' || say "--patterns is not used"
"$sdlint" import "$tmp/own.txt" 2>&1 | grep -q 'SD301' || say "the built-in wording read a sentence it should not"

# .docx and other encodings, when the build has them (src/docx.h, src/textenc.h:
# the SD_HAVE_DOCX switch of cmd/sdlint/textcmd.c): every sample round-trips
# through a .docx written by render, and a GB18030 text imports as its UTF-8 form.
if "$sdlint" render samples/city/sanding/dashuju.xml -o "$tmp/probe.docx" 2> /dev/null; then
  : > "$tmp/dpairs"; k=0
  for x in samples/*/sanding/*.xml; do
    k=$((k + 1))
    if "$sdlint" render "$x" -o "$tmp/d$k.docx" && "$sdlint" import "$tmp/d$k.docx" -o "$tmp/d$k.xml" 2> "$tmp/derr" \
       && [ ! -s "$tmp/derr" ]; then
      printf '%s\n%s\n' "$x" "$tmp/d$k.xml" >> "$tmp/dpairs"
    else
      say "docx round trip of $x"
    fi
  done
  python3 "$dir/canon.py" --pairs $(cat "$tmp/dpairs") || say "docx round trip"
  iconv -f UTF-8 -t GB18030 "$dir/texts/province-yingji.txt" > "$tmp/gb.txt" \
    && "$sdlint" import "$tmp/gb.txt" | cmp -s - "$dir/golden/province-yingji.xml" || say "GB18030 import"
  # a .docx's findings name the paragraph (its number) and quote it
  sed 's#<clause>本规定的调整#<clause>调整#' samples/city/sanding/bianban.xml > "$tmp/bb.xml"
  "$sdlint" render "$tmp/bb.xml" -o "$tmp/bb.docx" && "$sdlint" import "$tmp/bb.docx" --check > "$tmp/bb.out"
  grep -q 'bb.docx:26: warning: .*调整由中共沈阳市委机构编制委员会办公室按规定程序办理。 \[SD301\]' "$tmp/bb.out" \
    && grep -q '^   26 | 第九条　调整由' "$tmp/bb.out" || say "SD301 of a .docx at its paragraph"
  echo "docx: $k samples through .docx"
else
  echo "docx: not in this build (render -o X.docx refused), skipped"
fi

"$sdlint" import --lang en "$dir/texts/city-bianban.txt" 2>&1 >/dev/null | grep -q 'sentence not understood.*\[SD301\]' \
  || say "SD301 in English"

# SD301 is documented in both languages, with its examples.
"$sdlint" --lang en explain SD301 > "$tmp/ex" && grep -q '^SD301  warning  Sentence not understood on import' "$tmp/ex" \
  && grep -q 'Failing example (rules/examples/SD301-fail.xml)' "$tmp/ex" && grep -q 'SD301 第7行 未识别' "$tmp/ex" \
  && grep -q 'Passing example (rules/examples/SD301-pass.xml)' "$tmp/ex" || say "explain SD301 (en)"
"$sdlint" explain SD301 | grep -q '^SD301  warning  导入时未能识别的句子' || say "explain SD301 (zh)"
"$sdlint" rules | grep -q '^SD301 ' || say "SD301 in sdlint rules"

echo "import: $fail failures"
[ "$fail" -eq 0 ]
