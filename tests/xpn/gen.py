#!/usr/bin/env python3
"""gen.py — random XPath expressions checked against libxml2 (src/sch/xpn.c).

Why: src/sch/xpn.c evaluates the pack's XPath natively and must give exactly
libxml2 2.9's results (value, type, node order, number formatting, NaN and
-0, the string functions' corners).  The hand-written corners
(tests/e2e/inputs/xpn/corners.sch) cover what someone thought of; this
generator writes thousands of well-formed expressions within and around the
subset from a small grammar (paths with child, @, .., . and predicates,
numbers, last(), variables of every type, every function of xpn.c's
fn_table, every operator, unary minus, nested calls), wraps them into rule
packs (a let, a report test, value-ofs of the expression and of the let, a
rule context with the expression as predicate) and runs them with an sdlint
built with -DSCH_XPN_CHECK, which evaluates every native result with libxml2
too and aborts on any difference.

Place: `make check-xpn` runs a fixed seed for a bounded time; run it by hand
for longer (seeded, no network, nothing written outside a temporary folder).

Cost: one sdlint process per batch of --batch expressions; a batch that
libxml2 refuses (a type error, an undeclared name) is split in halves until
the expressions that fail alone are set aside (not a divergence: both
evaluators refuse them or libxml2 decides alone).

    python3 tests/xpn/gen.py --sdlint build-xpn/sdlint [--seed N] [--count N]
                             [--seconds S] [--batch N] [--keep DIR] [--print N]

Exit status 1 when some expression makes sdlint abort (printed, minimised to
the single expression and the rule context it ran in), else 0.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape, quoteattr

DOCS = {
    "r.xml": """<?xml version="1.0" encoding="UTF-8"?>
<!-- numbers, blanks, namespaces, mixed content for gen.py -->
<r xmlns:q="urn:example:q" code="x" n=" 3 " e="" w="  a  b  ">
  <a n="1" m="一">x</a>
  <a n="2" m="二">2</a>
  <a n=" 3 " m="">  two words
    here </a>
  <a n="1e3" m="-0">-0</a>
  <a n="-0" m=" -1.5 ">1.</a>
  <b n="2">2</b>
  <b n="NaN">x</b>
  <b n="Infinity">.5</b>
  <b n="-.5" m="+1">0.5</b>
  <mixed>a<!-- c --><i>b</i><![CDATA[c]]>d<?pi e?></mixed>
  <empty/>
  <empty n=""></empty>
  <q:a n="9" q:n="10">ns</q:a>
  <d xmlns="urn:example:default"><a n="5">in the default namespace</a></d>
  <dates>
    <d v="2024-02-29"/>
    <d v="2023-02-29"/>
    <d v="二〇二四年十二月三十一日"/>
    <d v=" 2024-01-01 "/>
  </dates>
  <t>沈阳市水务局</t>
  <t>  沈阳市  水务局 </t>
  <t>𠀀𠀁x 𠀀</t>
  <nested><a n="7"><a n="8"><b>deep</b></a></a><b n="9"/></nested>
  <num>12</num><num> 3 </num><num>1e3</num><num>-0</num><num>0.1</num><num/><num>2147483648</num>
</r>
""",
    "s.xml": """<?xml version="1.0" encoding="UTF-8"?>
<r xmlns:q="urn:example:q"><a n="1" m="x"><b n="2"><a n="3"/></b></a><b n="4">4</b><a n="  5  "><!--x-->5<?p?></a><q:b q:n="6" n="7"/><t xml:space="preserve">
	tab	</t><num>-1</num><num>1.0000000000000002</num><num>0.30000000000000004</num></r>
""",
}

NAMES = ["a", "b", "d", "t", "num", "mixed", "empty", "dates", "nested", "i", "none", "q:a",
         "q:b", "*", "r"]
ATTRS = ["@n", "@m", "@v", "@code", "@e", "@w", "@*", "@q:n", "@none"]
STRS = ["''", "' '", "'a'", "'x'", "'2'", "' 3 '", "'1e3'", "'-0'", "'NaN'", "'Infinity'",
        "'-'", "'.5'", "'5.'", "' -1.5 '", "'+1'", "'0x10'", "'  a  b  '", "'abc'", "'abcbc'",
        "'沈阳市'", "'汉字测试'", "'水务'", "\"it's\"", "'2024-02-29'", "'1'", "'-'", "'.'",
        "'\t x\n'", "'12345'", "'𠀀𠀁x'", "'é'"]
NUMS = ["0", "1", "2", "3", "0.5", "1.5", "2.5", "-0", "-1", "3.0", "100000000000000000000",
        "0.0000001", "2147483647", "2147483648", "4294967296", "1 div 0", "-1 div 0", "0 div 0",
        ".5", "5.", "007", "0.1", "1.0000000000000002", "123456789012345678901234567890",
        "1e0"]
VARS_NUM = ["$n", "$z", "$nan", "$inf", "$g"]
VARS_STR = ["$s", "$txt", "$p"]
VARS_BOOL = ["$bt", "$bf"]
VARS_NS = ["$ns", "$e", "$u", "$me", "$att", "$frag", "$mix"]
PATTERNS = ["'^[0-9]+$'", "'a'", "'(a)(b)?'", "'\\s+'", "'\\p{Han}'", "'([0-9])'", "'.'",
            "'x*'", "'^'", "'(沈阳)(市)?'", "'[a-z]+'", "'A'", "'-'", "'(?:)'", "'b|c'"]
FLAGS = ["''", "'i'", "'x'", "'s'", "'m'", "'q'", "'ix'"]
REPLS = ["'$1'", "'\\$'", "'\\\\'", "'[$0]'", "'$12'", "'x'", "''", "'$2$1'", "'$'", "'\\n'"]
CONTEXTS = ["/r", "/r/a", "/r/dates/d", "/r/mixed", "/r/a/@n", "/r/nested/a", "/r/num", "/",
            "/r/*", "/r/b", "/r/mixed/comment()", "/r/mixed/text()", "/r/mixed/processing-instruction()",
            "/r/mixed/node()", "/r/@*", "/r/t/text()"]


class Gen:
    def __init__(self, rnd):
        self.r = rnd
        self.depth = 0

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def sp(self):
        return self.pick(["", "", "", " ", "  ", "\n"])

    def deeper(self, fn):
        self.depth += 1
        try:
            return fn()
        finally:
            self.depth -= 1

    # ---- node-sets
    def pred(self):
        k = self.r.randrange(12)
        if k < 3:
            return self.pick(["1", "2", "3", "0", "-1", "1.5", "last()", "100", "2.0"])
        if k == 3:
            return self.pick(["last()", "last() - 1", "position() = last()", "position() > 1",
                              "position() mod 2", "position()", "last() div 2"])
        if k < 7:
            return self.deeper(self.boolean)
        if k < 9:
            return self.deeper(self.number)
        if k < 10:
            return self.deeper(self.string)
        return self.deeper(self.nodeset)

    def step(self, last):
        k = self.r.randrange(10)
        if k == 0:
            return "."
        if k == 1:
            return ".."
        if last and k < 4:
            s = self.pick(ATTRS)
        else:
            s = self.pick(NAMES)
        if self.depth < 4 and self.chance(0.3):
            s += "".join("[" + self.sp() + self.pred() + self.sp() + "]"
                         for _ in range(1 + (self.r.random() < 0.2)))
        return s

    def nodeset(self):
        if self.depth > 5:
            return self.pick(["a", "b", "$ns", "."])
        k = self.r.randrange(16)
        if k == 0:
            return self.pick(VARS_NS)
        if k == 1:
            return "current()"
        if k == 2 and self.depth < 4:
            inner = self.deeper(self.nodeset)
            preds = "".join("[" + self.pred() + "]" for _ in range(self.r.randrange(3)))
            return "(" + inner + ")" + preds
        if k == 3:
            return self.pick(VARS_NS) + "[" + self.deeper(self.pred) + "]"
        start = self.pick(["", "", "", "", "/", "/r/", "./", "../", "$ns/", "$u/", "$me/",
                           "current()/", "$e/", "/ ", "(/r)/", "$mix/", "$frag/", "$att/"])
        n = 1 + self.r.randrange(3)
        steps = [self.step(i == n - 1) for i in range(n)]
        sep = self.pick(["/", "/", "/", " / ", "/ "])
        return start + sep.join(steps)

    # ---- strings
    def string(self):
        if self.depth > 5:
            return self.pick(STRS)
        k = self.r.randrange(22)
        d = self.deeper
        if k < 3:
            return self.pick(STRS)
        if k == 3:
            return self.pick(VARS_STR)
        if k == 4:
            return "string(" + (d(self.any) if self.chance(0.8) else "") + ")"
        if k == 5:
            return "concat(" + ", ".join(d(self.any) for _ in range(2 + self.r.randrange(3))) + ")"
        if k == 6:
            a = [d(self.any), d(self.num_or_any)]
            if self.chance(0.6):
                a.append(d(self.num_or_any))
            return "substring(" + ", ".join(a) + ")"
        if k == 7:
            return self.pick(["substring-before", "substring-after"]) + "(" + d(self.any) + ", " + d(self.any) + ")"
        if k == 8:
            return "normalize-space(" + (d(self.any) if self.chance(0.8) else "") + ")"
        if k == 9:
            return "translate(" + d(self.any) + ", " + d(self.string) + ", " + d(self.string) + ")"
        if k == 10:
            return "local-name(" + (d(self.nodeset) if self.chance(0.85) else "") + ")"
        if k == 11:
            a = [d(self.any), self.pick(PATTERNS), self.pick(REPLS)]
            if self.chance(0.3):
                a.append(self.pick(FLAGS))
            return "sdl:replace(" + ", ".join(a) + ")"
        if k == 12:
            return "sdl:param(" + self.pick(["'p'", "'ps'", "'p'"]) + ")"
        if k < 16:
            return self.nodeset()
        return self.pick(STRS)

    # ---- numbers
    def num_or_any(self):
        return self.number() if self.chance(0.7) else self.any()

    def number(self):
        if self.depth > 5:
            return self.pick(NUMS)
        d = self.deeper
        k = self.r.randrange(22)
        if k < 4:
            return self.pick(NUMS)
        if k == 4:
            return self.pick(VARS_NUM)
        if k == 5:
            return "number(" + (d(self.any) if self.chance(0.85) else "") + ")"
        if k == 6:
            return self.pick(["count(", "sum("]) + d(self.nodeset) + ")"
        if k == 7:
            return "string-length(" + (d(self.any) if self.chance(0.8) else "") + ")"
        if k == 8:
            return self.pick(["floor(", "ceiling(", "round("]) + d(self.num_or_any) + ")"
        if k == 9:
            return self.pick(["last()", "position()"])
        if k < 15:
            op = self.pick(["+", "-", "*", " div ", " mod ", " - ", "+ -", "*-", " div -"])
            return d(self.num_or_any) + self.sp() + op + self.sp() + d(self.num_or_any)
        if k < 17:
            return self.pick(["-", "- ", "--", "- -", "-(-"]).replace("(", "") + d(self.primaryish)
        if k == 17:
            return "(" + d(self.number) + ")"
        if k == 18:
            return "sdl:param('p')"
        return self.nodeset()

    def primaryish(self):
        k = self.r.randrange(5)
        if k == 0:
            return "(" + self.any() + ")"
        if k == 1:
            return self.pick(NUMS[:14])
        if k == 2:
            return self.pick(VARS_NUM + VARS_STR + VARS_BOOL + VARS_NS)
        if k == 3:
            return self.nodeset()
        return self.number()

    # ---- booleans
    def boolean(self):
        if self.depth > 5:
            return self.pick(["true()", "false()", "$bt"])
        d = self.deeper
        k = self.r.randrange(20)
        if k < 2:
            return self.pick(["true()", "false()"] + VARS_BOOL)
        if k == 2:
            return self.pick(["boolean(", "not("]) + d(self.any) + ")"
        if k == 3:
            return self.pick(["contains(", "starts-with("]) + d(self.any) + ", " + d(self.any) + ")"
        if k == 4:
            a = [d(self.any), self.pick(PATTERNS)]
            if self.chance(0.3):
                a.append(self.pick(FLAGS))
            return "sdl:matches(" + ", ".join(a) + ")"
        if k < 12:
            op = self.pick(["=", "!=", "<", "<=", ">", ">=", " = ", " != "])
            return d(self.any) + self.sp() + op + self.sp() + d(self.any)
        if k < 15:
            return d(self.any) + self.pick([" and ", " or "]) + d(self.any)
        if k == 15:
            return "(" + d(self.boolean) + ")"
        return self.nodeset()

    def any(self):
        k = self.r.randrange(4)
        return [self.nodeset, self.string, self.number, self.boolean][k]()

    def top(self):
        self.depth = 0
        return self.any()


def pack_text(exprs):
    """A rule pack running each (context, expression) in its own patterns."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" '
           'xmlns:sdl="urn:sdlint:functions" queryBinding="xslt" xml:lang="en">',
           '  <sch:ns prefix="q" uri="urn:example:q"/>',
           '  <sch:ns prefix="sdl" uri="urn:sdlint:functions"/>',
           '  <sdl:param name="p" type="number" default="2.5"><sch:title>p</sch:title></sdl:param>',
           '  <sdl:param name="ps" type="text" default=" a b "><sch:title>ps</sch:title></sdl:param>',
           '  <sch:let name="g" value="-0"/>']
    # the variables are the schema's (globals, seen by rule contexts too) but
    # $me, a rule's; $x below is the rule's let of the expression itself
    for name, val in [("s", "'  a  b '"), ("n", "2.5"), ("z", "-0"), ("nan", "0 div 0"),
                      ("inf", "-1 div 0"), ("bt", "true()"), ("bf", "1 = 0"),
                      ("ns", "/r/*"), ("e", "/r/none"),
                      ("u", "/r/nested/a | /r/nested//a | /r/b | /r/a/@n"),
                      ("att", "/r/a/@*"),
                      ("mix", "/r/dates/d | /r/text() | /r/mixed/node() | /r/nested//b"),
                      ("p", "string(sdl:param('p'))")]:
        out.append('  <sch:let name="%s" value=%s/>' % (name, quoteattr(val)))
    out.append('  <sch:let name="txt"> text  only </sch:let>')
    out.append('  <sch:let name="frag"><x n="1">a</x><y n=" 2 ">b<z/></y></sch:let>')
    for i, (ctx, e) in enumerate(exprs):
        ea = quoteattr(e)
        out.append('  <sch:pattern id="p%d"><sch:rule context=%s>' % (i, quoteattr(ctx)))
        out.append('    <sch:let name="me" value="."/>')
        out.append('    <sch:let name="x" value=%s/>' % ea)
        out.append('    <sch:report id="R%d" test=%s>[<sch:value-of select=%s/>|'
                   '<sch:value-of select="$x"/>]</sch:report>' % (i, ea, ea))
        out.append('  </sch:rule></sch:pattern>')
        if "$me" in e:
            continue
        out.append('  <sch:pattern id="c%d"><sch:rule context=%s>'
                   '<sch:report id="C%d" test="true()">c</sch:report></sch:rule></sch:pattern>'
                   % (i, quoteattr("/r/*[" + e + "]"), i))
    out.append('</sch:schema>')
    return "\n".join(out) + "\n"


class Runner:
    def __init__(self, sdlint, tmp, docs, timeout):
        self.sdlint = sdlint
        self.tmp = tmp
        self.docs = docs
        self.timeout = timeout
        self.runs = 0
        self.checked = 0
        self.refused = []
        self.found = []

    def run(self, exprs):
        """0 ok, 1 refused (exit 2), 2 abort (divergence); and stderr."""
        path = os.path.join(self.tmp, "pack.sch")
        with open(path, "w", encoding="utf-8") as f:
            f.write(pack_text(exprs))
        self.runs += 1
        try:
            p = subprocess.run([self.sdlint, "--rules", path, "--lang", "en"] + self.docs,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return 1, "timeout"
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode < 0 or "SCH_XPN_CHECK" in err or "Sanitizer" in err:
            return 2, err
        if p.returncode >= 2 or "fatal" in err:
            return 1, err
        return 0, err

    def check(self, exprs):
        rc, err = self.run(exprs)
        if rc == 0:
            self.checked += len(exprs)
            return
        if len(exprs) == 1:
            if rc == 2:
                line = next((l for l in err.splitlines() if "SCH_XPN_CHECK" in l or "ERROR" in l),
                            err.strip()[:400])
                self.found.append((exprs[0], line))
            else:
                self.refused.append(exprs[0])
            return
        h = len(exprs) // 2
        self.check(exprs[:h])
        self.check(exprs[h:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdlint", default="build-xpn/sdlint")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=0, help="stop after this long (0: no limit)")
    ap.add_argument("--batch", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--keep", help="also write the generated expressions into this file")
    ap.add_argument("--print", type=int, default=0, help="print the first N expressions")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    g = Gen(rnd)
    tmp = tempfile.mkdtemp(prefix="sdlint-xpn-gen-")
    try:
        docs = []
        for name, text in DOCS.items():
            p = os.path.join(tmp, name)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            docs.append(p)
        run = Runner(a.sdlint, tmp, docs, a.timeout)
        t0 = time.monotonic()
        made = 0
        keep = open(a.keep, "w", encoding="utf-8") if a.keep else None
        while made < a.count:
            if a.seconds and time.monotonic() - t0 > a.seconds:
                break
            batch = []
            for _ in range(min(a.batch, a.count - made)):
                e = g.top()
                if len(e) > 600:
                    e = g.top()[:0] or "count(a)"
                batch.append((rnd.choice(CONTEXTS), e))
                if made + len(batch) <= a.print:
                    print(e)
                if keep:
                    keep.write(e + "\n")
            made += len(batch)
            run.check(batch)
        if keep:
            keep.close()
        for (ctx, e), line in run.found:
            print("DIVERGENCE in context %s: %s\n  %s" % (ctx, e, line))
        print("gen.py: seed %d: %d expressions generated, %d checked against libxml2 in %d runs "
              "(%.1f s), %d refused by libxml2, %d divergences"
              % (a.seed, made, run.checked, run.runs, time.monotonic() - t0, len(run.refused),
                 len(run.found)))
        return 1 if run.found else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
