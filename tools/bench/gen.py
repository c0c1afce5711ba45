#!/usr/bin/env python3
"""gen.py — the inputs of `make bench-engine` (issue 7, item 6).

Writes, for every family of engine cost, a document of n elements and one of
10n, and prints a manifest that tools/bench/run.sh reads: one row per
(family, output format), with the inputs, the pack, and what a correct run must
report (the number of findings, and a text one of them must contain), so a
fast but wrong engine does not pass.  Seeded: the same seed and scale give
byte-identical inputs.  Cost: linear in the elements written (the walk family
makes n folders, n files and 2n symbolic links).

    gen.py [--seed S] [--scale K] OUTDIR      (n of each family times K)

Families (names are the rows' prefixes):
  a-  every element fails its rule: findings in text, json and svrl;
  b-  tokenize() and replace() with n matches over one long text;
  c-  a pattern-level `let` holding all n elements, referenced on every element
      (count($all), and $all[1] in a second row);
  d-  a rule context of text() on mixed content (2n text nodes);
  e-  a folder of n/10 chains of 10 real levels, each level with two symbolic
      links to the next (3^10 paths per chain when links are followed blindly);
  f-  n failing elements on one line (columns on a very long line).
Manifest columns (tab-separated):
  row format pack n input_n input_10n count_n count_10n expect_n expect_10n max_ratio
where an input that is a folder has a list of its real files in INPUT.files
(for xmllint), count_* is the number of findings a correct run reports,
expect_* a text that must appear in the output ("-" for none) and max_ratio the
largest sdlint/xmllint time ratio the issue allows ("-" for no target; only the
every-element-fails document in SVRL has one: 2).
"""
import argparse
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Words with CJK and ASCII, so the regex subjects are real UTF-8.
WORDS = ["编制", "机构", "职能", "unit", "post", "内设", "处室", "a1", "b22", "领导职数",
         "x", "综合", "county", "改革", "z9y8"]

N = {"a": 20000, "b": 20000, "c": 20000, "d": 20000, "e": 1000, "f": 20000}


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def doc_every_fails(rng, n):
    """One element per line, each with an attribute and some text."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<doc>\n']
    for i in range(1, n + 1):
        out.append('  <item id="i%d" v="%d">%s</item>\n' % (i, rng.randrange(1000), rng.choice(WORDS)))
    out.append("</doc>\n")
    return "".join(out)


def doc_long_text(rng, n):
    """One element holding n words separated by single spaces.  Returns the
    document and the number of characters that are not spaces."""
    words = [rng.choice(WORDS) for _ in range(n)]
    # A newline every 20 words (a separator to \\s+ as well), so no line is long.
    parts = []
    for i in range(0, n, 20):
        parts.append(" ".join(words[i:i + 20]))
    text = "\n".join(parts)
    chars = sum(len(w) for w in words)
    return '<?xml version="1.0" encoding="UTF-8"?>\n<doc><text>%s</text></doc>\n' % text, chars


def doc_mixed(rng, n):
    """n text nodes alternating with n elements under one parent (plus the
    text inside each element), a newline every 50 pairs; the last text is "end"."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<doc>']
    for i in range(1, n + 1):
        out.append("t%d %s<b>%d</b>" % (i, rng.choice(WORDS), i))
        if i % 50 == 0 and i < n:
            out.append("\n")
    out.append("end</doc>\n")
    return "".join(out)


def doc_one_line(rng, n):
    """n elements on the second line, with CJK in their attributes."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<doc>']
    for i in range(1, n + 1):
        out.append('<e n="%s%d"/>' % (rng.choice(WORDS), i))
    out.append("</doc>\n")
    return "".join(out)


def walk_folder(rng, root, n):
    """n real folders: n/10 chains of 10 nested levels, each level with one
    document and two links (x, y) to its real child l.  Returns the real files."""
    if os.path.lexists(root):
        shutil.rmtree(root)
    files = []
    for c in range(n // 10):
        d = os.path.join(root, "c%04d" % c)
        for level in range(10):
            os.makedirs(d)
            f = os.path.join(d, "f.xml")
            write(f, '<?xml version="1.0"?>\n<doc chain="%d" level="%d">%s</doc>\n'
                  % (c, level, rng.choice(WORDS)))
            files.append(f)
            if level < 9:
                os.symlink("l", os.path.join(d, "x"))
                os.symlink("l", os.path.join(d, "y"))
            d = os.path.join(d, "l")
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("outdir")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    out = os.path.abspath(a.outdir)
    packs = os.path.join(HERE, "packs")
    rows = []

    def sizes(fam):
        n = max(10, int(N[fam] * a.scale) // 10 * 10)
        return n, 10 * n

    def path(fam, size, ext="xml"):
        return os.path.join(out, "%s-%d.%s" % (fam, size, ext))

    # Each family gets its own generator seeded from (seed, family, size), so
    # running a subset or another order gives the same bytes.
    def rng(fam, size):
        return random.Random("%d/%s/%d" % (a.seed, fam, size))

    n, n10 = sizes("a")
    for size in (n, n10):
        write(path("a", size), doc_every_fails(rng("a", size), size))
    for fmt in ("text", "json", "svrl"):
        rows.append(("a-every-fails-" + fmt, fmt, "every-fails.sch", n, path("a", n), path("a", n10),
                     n, n10, "-", "-"))

    n, n10 = sizes("b")
    chars = {}
    for size in (n, n10):
        doc, chars[size] = doc_long_text(rng("b", size), size)
        write(path("b", size), doc)
    rows.append(("b-regex-tokenize", "json", "tokenize.sch", n, path("b", n), path("b", n10),
                 1, 1, "tokens=%d;" % n, "tokens=%d;" % n10))
    rows.append(("b-regex-replace", "json", "replace.sch", n, path("b", n), path("b", n10),
                 1, 1, "chars=%d;" % chars[n], "chars=%d;" % chars[n10]))

    n, n10 = sizes("c")
    for size in (n, n10):
        write(path("c", size), doc_every_fails(rng("c", size), size))
    rows.append(("c-let-big-nodeset", "json", "big-let.sch", n, path("c", n), path("c", n10),
                 1, 1, "items=%d;" % n, "items=%d;" % n10))
    rows.append(("c-let-predicate", "json", "big-let-predicate.sch", n, path("c", n), path("c", n10),
                 1, 1, "items=%d;" % n, "items=%d;" % n10))

    n, n10 = sizes("d")
    for size in (n, n10):
        write(path("d", size), doc_mixed(rng("d", size), size))
    rows.append(("d-text-context", "json", "text-context.sch", n, path("d", n), path("d", n10),
                 1, 1, "last=end;", "last=end;"))

    n, n10 = sizes("e")
    for size in (n, n10):
        files = walk_folder(rng("e", size), path("e", size, "d"), size)
        write(path("e", size, "d.files"), "".join(f + "\n" for f in files))
    rows.append(("e-walk-fanout", "json", "per-file.sch", n, path("e", n, "d"), path("e", n10, "d"),
                 n, n10, "-", "-"))

    n, n10 = sizes("f")
    for size in (n, n10):
        write(path("f", size), doc_one_line(rng("f", size), size))
    for fmt in ("text", "json"):
        rows.append(("f-one-line-" + fmt, fmt, "one-line.sch", n, path("f", n), path("f", n10),
                     n, n10, "-", "-"))

    for r in rows:
        r = list(r)
        r[2] = os.path.join(packs, r[2])
        r.append("2" if r[0] == "a-every-fails-svrl" else "-")
        sys.stdout.write("\t".join(str(x) for x in r) + "\n")


if __name__ == "__main__":
    main()
