#!/bin/sh
# make-corpus.sh DIR — the input of the HTML tests: a seeded province of 2 cities × 3 counties
# with every injectable rule (tools/corpus/gen.py), plus one county whose names, paths and
# plan figures are hostile: a jurisdiction name with markup and quotes, a folder name with
# <, >, & and a quote, a figure that is not a number.  Needs python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
python3 "$here/../../tools/corpus/gen.py" --seed 5 --cities 2 --counties 3 --inject all --rate 1 "$dir" >/dev/null
evil="$dir/c01/k9\"<&>'"
mkdir -p "$evil"
# The first county plan, renamed: hostile name, a new code, a cap that is not a number.
python3 - "$dir/c01/k01/plan.xml" "$evil/plan.xml" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r'<jurisdiction name="[^"]*" code="[^"]*"',
           '<jurisdiction name="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;\u202e县" code="430199"', s, count=1)
s = re.sub(r'<agencyCap>\d+</agencyCap>', '<agencyCap>3x</agencyCap>', s, count=1)
s = s.replace('href="../', 'href="../../c01/')  # still the same parent plan, by another path
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
