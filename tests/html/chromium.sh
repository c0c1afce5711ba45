#!/bin/sh
# chromium.sh [SDLINT] [ARTEFACTS] — the HTML page in a real browser (issue 12 item 3).
#
# Run by .ci/run, not by make check (it needs Debian's chromium, which .ci/run installs).
# Writes the page for the corpus of make-corpus.sh (hostile county included), opens it in
# headless Chromium twice — once dumping the DOM after the page's script ran, once taking a
# screenshot — and fails unless the page's self-check (its tables and charts against the
# JSON it embeds) says ok with as many findings as the JSON report counts, and the browser
# logged no console error or uncaught exception.  The page, the DOM, the browser's log and
# the screenshot are kept in ARTEFACTS (default build/ci-artefacts).
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${1:-build/sdlint}
art=${2:-build/ci-artefacts}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
browser=
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then browser=$c; break; fi
done
if [ -z "$browser" ]; then
    echo "html-browser: no chromium; install it with: sudo apt-get install -y chromium"
    exit 1
fi
mkdir -p "$art" || exit 2
art=$(cd "$art" && pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
sh tests/html/make-corpus.sh "$tmp/corpus" || exit 1
(cd "$tmp/corpus" && { "$bin" --format html -o "$art/audit.html" .; "$bin" --format json . >"$tmp/out.json"; })
[ -s "$art/audit.html" ] || { echo "html-browser: no page written"; exit 1; }
want=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["fatal"]+s["error"]+s["warning"]+s["info"])' "$tmp/out.json")
# A profile of its own, so no user's browser state is read or written.
flags="--headless --disable-gpu --no-sandbox --no-first-run --disable-extensions --user-data-dir=$tmp/profile"
flags="$flags --enable-logging=stderr --v=0 --virtual-time-budget=5000"
timeout 120 "$browser" $flags --dump-dom "file://$art/audit.html" >"$art/audit.dom.html" 2>"$art/chromium.log"
rc=$?
timeout 120 "$browser" $flags --window-size=1280,2000 --screenshot="$art/audit.png" \
    "file://$art/audit.html" >/dev/null 2>>"$art/chromium.log"
rc2=$?
bad=0
if [ $rc -ne 0 ]; then echo "html-browser: $browser --dump-dom exited $rc"; bad=1; fi
if [ $rc2 -ne 0 ] || [ ! -s "$art/audit.png" ]; then echo "html-browser: no screenshot ($rc2)"; bad=1; fi
# Every console message reaches the log as a CONSOLE line (errors too, at level INFO;
# uncaught exceptions as "Uncaught ..."): the page logs nothing when all is well, so any
# such line fails.
if grep -E ':CONSOLE|Uncaught' "$art/chromium.log" >"$tmp/console.txt"; then
    echo "html-browser: console errors:"; cat "$tmp/console.txt"; bad=1
fi
result=$(grep -o 'id="sd-selfcheck"[^>]*' "$art/audit.dom.html" | head -n 1)
case $result in
    *'data-result="ok"'*) ;;
    *) echo "html-browser: self-check did not say ok: $result"
       grep -o '<p id="sd-selfcheck"[^<]*' "$art/audit.dom.html"; bad=1 ;;
esac
case $result in
    *"data-findings=\"$want\""*) ;;
    *) echo "html-browser: the page counted other than the JSON report's $want findings: $result"; bad=1 ;;
esac
if [ $bad -ne 0 ]; then
    echo "html-browser: failed; artefacts in $art"; exit 1
fi
echo "html-browser: $browser ran the page: self-check ok, $want findings as in the JSON report, no console error; screenshot $art/audit.png"
