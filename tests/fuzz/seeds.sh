#!/usr/bin/env bash
# seeds.sh OUTDIR — writes the seed corpora of the fuzz targets into
# OUTDIR/<target>/ from files already in the repository (so big corpora are
# never committed): documents from samples/, rules/examples/ and
# tests/e2e/inputs/; packs from rules/ and tests/e2e/inputs/; documents and
# packs of the Schematron conformance cases (../shared/conformance, or
# SDLINT_CONFORMANCE_DIR; skipped when absent; needs xmllint); regex inputs
# from the patterns the built-in packs use.  The small hand-written seeds in
# tests/fuzz/seeds/<target>/ and the regression inputs are added too.
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
conf=${SDLINT_CONFORMANCE_DIR:-$root/../shared/conformance/schematron-v1}
for t in fuzz_document fuzz_pack fuzz_regex fuzz_docx fuzz_xpath; do mkdir -p "$out/$t"; done

n=0
add() { # add TARGET FILE: copy under a name unique in the corpus
  n=$((n + 1))
  cp "$2" "$out/$1/seed-$n-$(basename "$2")"
}
while IFS= read -r f; do add fuzz_document "$f"; done < <(
  find samples rules/examples tests/e2e/inputs -name '*.xml' -type f | sort)
while IFS= read -r f; do add fuzz_pack "$f"; done < <(
  find rules tests/e2e/inputs -name '*.sch' -type f | sort)
for t in fuzz_document fuzz_pack fuzz_regex fuzz_docx fuzz_xpath; do
  for d in tests/fuzz/seeds/$t tests/fuzz/regressions/$t; do
    if [ -d "$d" ]; then
      while IFS= read -r f; do add "$t" "$f"; done < <(find "$d" -maxdepth 1 -type f | sort)
    fi
  done
done

# The conformance cases: each case's schema and primary document.
if [ -d "$conf/tests" ] && command -v xmllint >/dev/null; then
  while IFS= read -r c; do
    n=$((n + 1))
    xmllint --xpath '//*[local-name()="schemas"]/*' "$c" > "$out/fuzz_pack/conf-$n.sch" 2>/dev/null || true
    xmllint --xpath '//*[local-name()="primary"]/*' "$c" > "$out/fuzz_document/conf-$n.xml" 2>/dev/null || true
  done < <(find "$conf/tests" -name '*.xml' -type f | sort)
fi

# XPath inputs (fuzz_xpath.c): byte 0 picks the document and rule context, the
# rest is one expression: each test, select, value and context of the XPath
# corners and the built-in pack (with xmllint).
if command -v xmllint >/dev/null; then
  j=0
  while IFS= read -r e; do
    [ -n "$e" ] || continue
    j=$((j + 1))
    printf '%b%s' "\\$(printf '%03o' $((j % 16)))" "$e" > "$out/fuzz_xpath/expr-$j"
  done < <(for f in tests/e2e/inputs/xpn/corners.sch rules/sanding.sch; do
             xmllint --xpath '//@test | //@select | //@value | //@context' "$f" 2>/dev/null |
               sed -E 's/^ *(test|select|value|context)="(.*)"$/\2/' |
               sed -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
           done | sort -u)
fi

# Regex inputs: SELECTOR PATTERN \n FLAGS \n REPLACEMENT \n SUBJECT (see fuzz_regex.c);
# selector 0/1/2 = matches/replace/tokenize at run time, +128 = literal in the pack.
i=0
rx() {
  for sel in '\000' '\001' '\002' '\200' '\201' '\202'; do
    i=$((i + 1))
    printf "$sel%s\n%s\n%s\n%s" "$1" "$2" "$3" "$4" > "$out/fuzz_regex/gen-$i"
  done
}
rx '〔(19|20)[0-9]{2}〕' '' '[$1]' '沈委办发〔2019〕12号'
rx '^[^〔〕\[\]［］【】()（）第\s]+〔(19|20)[0-9]{2}〕[1-9][0-9]*号$' '' 'x' '沈委办发〔2019〕12号'
rx '[〕\]］】)）]第?0[0-9]*号' '' '' '沈委办发[2019]第012号'
rx '^(中共)?\p{Han}{1,12}(市|州|盟|地区)$' '' '$2' '中共沈阳市'
rx '处$' 'i' '科' '水资源管理处'
rx '\s+' '' ' ' 'a  b	c
d'
rx ',' 'q' ';' 'a,b,,c'
rx '(a+)+$' '' '' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab'
rx '^.*$' 'sm' '\$0' 'line one
line two'
rx '(?<y>[0-9]{4})-(?<m>[0-9]{2})' 'x' '$2/$1' '2019-03-01'
rx 'A B # comment' 'x' '$1$' 'AB'
echo "seeds.sh: wrote $(find "$out" -type f | wc -l) seeds into $out"
