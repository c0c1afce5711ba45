#!/usr/bin/env python3
"""leanpack.py IN.sch OUT.sch — the built-in rule pack as a plain check runs it.

Why: a check never reads a rule's documentation (sch:title, sch:p) or the
pack's comments, yet parsing them was a sixth of checking one small document.
The build writes this copy next to the full pack and embeds both: a run that
shows no rule documentation (every format but svrl and sarif) compiles this
one; `sdlint rules`, `explain`, svrl and sarif compile the full pack.

Each removed comment or element is replaced by as many newlines as it spanned,
so every line of the copy is the line it has in rules/*.sch (a message about
the pack points at the real line).  The output is a pure function of the input
(reproducible builds); the pack is our own, with no CDATA, so a textual cut is
exact: a comment is matched before anything that starts inside it.
"""
import os
import re
import sys

DOC = re.compile(
    r"<!--.*?-->"
    r"|<sch:(p|title)(?=[\s/>])[^>]*?/>"
    r"|<sch:(p|title)(?=[\s/>])[^>]*>.*?</sch:\2\s*>",
    re.S,
)


def lean(text):
    return DOC.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: leanpack.py IN.sch OUT.sch")
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        text = f.read()
    out = lean(text)
    if out.count("\n") != text.count("\n"):
        sys.exit("leanpack.py: line count changed (%s)" % sys.argv[1])
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(out)
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
