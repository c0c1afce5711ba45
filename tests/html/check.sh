#!/bin/sh
# check.sh [SDLINT] — `--format html` against `--format json` on the same inputs (make check).
#
# The page must be well-formed (parsed as XML: it is a polyglot page; and by xmllint --html
# when there), self-contained (no src=, no http(s) address, no url(), no @import), escape
# what documents say (the hostile county of make-corpus.sh: its name shows as text, one
# <script> for data and one for code), and show the JSON report's numbers: per jurisdiction
# the finding rows by severity and the plan figures, the totals, both charts, and the data
# embedded for the page's own self-check equal to summary.jurisdictions.
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${1:-build/sdlint}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if ! command -v python3 >/dev/null 2>&1; then
    echo "html: python3 missing, skipped"; exit 0
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
sh tests/html/make-corpus.sh "$tmp/corpus" || exit 1
for lang in zh en; do
    (cd "$tmp/corpus" && "$bin" --lang $lang --format json . >"$tmp/out.json" 2>"$tmp/err.txt"
     "$bin" --lang $lang --format html . >"$tmp/out.html" 2>>"$tmp/err.txt")
    if [ -s "$tmp/err.txt" ]; then echo "html: sdlint wrote to stderr:"; cat "$tmp/err.txt"; exit 1; fi
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$tmp/out.html" || { echo "html: not well-formed ($lang)"; exit 1; }
        # libxml2's HTML parser knows HTML 4 only: its complaints about HTML5 and SVG
        # tag names are not errors of the page.
        xmllint --html --noout "$tmp/out.html" 2>&1 | grep 'error' | grep -v 'Tag [a-z]* invalid' \
            && { echo "html: HTML parser errors ($lang)"; exit 1; }
    fi
    python3 tests/html/compare.py "$tmp/out.json" "$tmp/out.html" "$tmp/corpus" || exit 1
    # The page's words are the reader's: no severity word of the other language in its
    # text (a finding's severity cell keeps the keyword the text output prints, "error:").
    python3 - "$tmp/out.html" $lang <<'PY' || exit 1
import re, sys
page, lang = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
body = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
body = re.sub(r'<td data-v="\d">\w+</td>', "", body)
text = re.sub(r"<[^>]*>", " ", body)
zh, en = ("致命", "错误", "警告", "提示"), ("fatal", "error", "warning", "info")
want, other = (zh, en) if lang == "zh" else (en, zh)
bad = [w for w in other if re.search(r"(?<![\w-])" + w + r"(?![\w-])", text)]
missing = [w for w in want if w not in text]
if bad or missing:
    print("html: %s page: words of the other language %s, missing %s" % (lang, bad, missing))
    sys.exit(1)
PY
done
# Also from a plain run on one 三定 (no plan): a page with one jurisdiction, no figures.
"$bin" --format html samples/county >"$tmp/one.html" 2>"$tmp/err.txt"
"$bin" --format json samples/county >"$tmp/one.json" 2>>"$tmp/err.txt"
python3 tests/html/compare.py "$tmp/one.json" "$tmp/one.html" . || exit 1
echo "html: the pages are well-formed and self-contained, and their numbers equal the JSON report's"
