#!/usr/bin/env bash
# eval-growth.sh [BINARY] [N] — a timing check run by hand, not by make check:
# the growth of sdlint's run time for ×10 input in the eval.c families of
# issue 7: rule contexts on text nodes in mixed content (between elements and
# between comments), a union context, and a let holding a large node-set
# referenced in a test on every element.  Linear means about ×10;
# the target is ≤ ×12.  Prints one line per family and size.
set -eu
bin=${1:-build/sdlint}
n=${2:-8000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S='xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt"'
cat > "$tmp/text.sch" <<XML
<sch:schema $S><sch:pattern><sch:rule context="text()">
<sch:assert test="string-length(.) &gt; 0">empty</sch:assert></sch:rule></sch:pattern></sch:schema>
XML
cat > "$tmp/text2.sch" <<XML
<sch:schema $S><sch:pattern><sch:rule context="p/text()">
<sch:assert test="true()">x</sch:assert></sch:rule>
<sch:rule context="b"><sch:assert test="true()">x</sch:assert></sch:rule></sch:pattern></sch:schema>
XML
cat > "$tmp/union.sch" <<XML
<sch:schema $S><sch:pattern><sch:rule context="e | f">
<sch:assert test="true()">x</sch:assert></sch:rule></sch:pattern></sch:schema>
XML
cat > "$tmp/let.sch" <<XML
<sch:schema $S><sch:let name="all" value="//e"/><sch:pattern><sch:rule context="e">
<sch:assert test="count(\$all) &gt; 0">none</sch:assert></sch:rule></sch:pattern></sch:schema>
XML
cat > "$tmp/bare.sch" <<XML
<sch:schema $S><sch:let name="all" value="//e"/><sch:pattern><sch:rule context="e">
<sch:assert test="\$all">none</sch:assert></sch:rule></sch:pattern></sch:schema>
XML
gen_text() { awk -v n="$1" 'BEGIN{printf "<r><p>"; for(i=0;i<n;i++) printf "t%d<b/>", i; print "</p></r>"}'; }
gen_comment() { awk -v n="$1" 'BEGIN{printf "<r><p>"; for(i=0;i<n;i++) printf "t%d<!--c-->", i; print "</p></r>"}'; }
gen_ef() { awk -v n="$1" 'BEGIN{printf "<r>"; for(i=0;i<n;i++) printf "<e/><f/>"; print "</r>"}'; }
gen_e() { awk -v n="$1" 'BEGIN{printf "<r>"; for(i=0;i<n;i++) printf "<e/>"; print "</r>"}'; }
# A run that stops early (exit 2: a run-time limit) would look fast: say so.
t() {
  local s e rc=0; s=$(date +%s%N); "$bin" --rules "$1" "$2" >/dev/null 2>"$tmp/err" || rc=$?
  e=$(date +%s%N)
  if [ "$rc" -gt 1 ]; then echo "run failed (exit $rc): $(head -c 300 "$tmp/err")" >&2; fi
  echo $(( (e - s) / 1000000 ))
}
fam() { # name sch generator
  "$3" "$n" > "$tmp/a.xml"; "$3" $((n * 10)) > "$tmp/b.xml"
  local a b; a=$(t "$tmp/$2" "$tmp/a.xml"); b=$(t "$tmp/$2" "$tmp/b.xml")
  awk -v f="$1" -v n="$n" -v a="$a" -v b="$b" \
    'BEGIN{printf "%-22s n=%-7d %8d ms   10n: %8d ms   growth x%.1f\n", f, n, a, b, (a ? b / a : 0)}'
}
fam "text() contexts" text.sch gen_text
fam "p/text() + b" text2.sch gen_text
fam "text() between comments" text.sch gen_comment
fam "union e | f" union.sch gen_ef
fam "let //e, count(\$all)" let.sch gen_e
fam "let //e, test \$all" bare.sch gen_e
