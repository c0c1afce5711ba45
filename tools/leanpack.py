#!/usr/bin/env python3
"""leanpack.py [--lang L] IN.sch OUT.sch — the built-in rule pack as a plain
check in language L runs it.

Why: a check never reads a rule's documentation (sch:title, sch:p) or the
pack's comments, yet parsing them was a sixth of checking one small document.
The build writes this copy next to the full pack and embeds both: a run that
shows no rule documentation (every format but svrl and sarif) compiles this
one; `sdlint rules`, `explain`, svrl and sarif compile the full pack.

With --lang L the copy is also cut to the messages a run in language L can
show (the pack carries every message twice, zh in the assert, en in a
diagnostic, and parsing the other half was a quarter of what was left).  The
engine (src/sch/eval.c fire_assert) shows the first diagnostic whose xml:lang
matches the run's, else the assert's own text when it is not empty, else the
first diagnostic; so, for each assert and report:
  - it refers to a diagnostic in L: only that one is kept, and its own text,
    never shown, is cut;
  - it does not, and its own text is not blank: its diagnostics are dropped;
  - else it keeps them all.
Diagnostics that nothing refers to any more are cut.  Only a plain check
compiles this copy: svrl, which writes every diagnostic, reads the full pack.

Blanks between attributes shrink to one, or to their line breaks.  Blank
text between the elements of a container (schema, pattern, rule, phase,
diagnostics, sdl:param) is a node libxml2 builds and the engine skips: its line
breaks move into the next tag, after its name (libxml2 dates an element by the
line of its tag's '>', which does not move).

Each removed comment or element is replaced by as many newlines as it spanned,
so every element of the copy is on the line it has in rules/*.sch (a message
about the pack points at the real line).  The output is a pure function of the
input (reproducible builds); the pack is our own, with no CDATA, DOCTYPE or
processing instruction but the XML declaration, so a textual cut is exact: a
comment is matched before anything that starts inside it.  What it cannot cut
exactly it refuses (the build stops), and the copy is checked well-formed.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

DOC = re.compile(
    r"<!--.*?-->"
    r"|<sch:(p|title)(?=[\s/>])[^>]*?/>"
    r"|<sch:(p|title)(?=[\s/>])[^>]*>.*?</sch:\2\s*>",
    re.S,
)

TAG = re.compile(
    r"<(/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
)
ATTR = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
PROLOG = re.compile(r"<\?xml[^?]*\?>")

# Elements whose children are elements only: blank text in them means nothing.
CONTAINERS = {"sch:schema", "sch:pattern", "sch:rule", "sch:phase", "sch:diagnostics",
              "sdl:param"}


class Node:
    def __init__(self, name, start, attrs, parent):
        self.name, self.start, self.attrs, self.parent = name, start, attrs, parent
        self.end = ""  # raw end tag; "" for an empty-element tag
        self.kids = []  # Node or str

    def lang(self):
        n = self
        while n is not None:
            if "xml:lang" in n.attrs:
                return n.attrs["xml:lang"]
            n = n.parent
        return None

    def text(self):
        return self.start + "".join(k if isinstance(k, str) else k.text() for k in self.kids) + self.end

    def inner(self):
        return "".join(k if isinstance(k, str) else k.text() for k in self.kids)

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()


def fail(msg):
    sys.exit("leanpack.py: " + msg)


def parse(text):
    """The prolog (text before the root) and the root Node."""
    m = PROLOG.match(text)
    pos = m.end() if m else 0
    head_end = text.index("<", pos)
    prolog = text[:head_end]
    pos = head_end
    root, cur = None, None
    while pos < len(text):
        if text[pos] == "<":
            m = TAG.match(text, pos)
            if m is None:
                fail("unexpected markup at offset %d" % pos)
            closing, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            raw = m.group(0)
            pos = m.end()
            if closing:
                if cur is None or cur.name != name:
                    fail("mismatched </%s>" % name)
                cur.end = raw
                cur = cur.parent
                continue
            av = {a.group(1): a.group(2) if a.group(2) is not None else a.group(3)
                  for a in ATTR.finditer(attrs)}
            n = Node(name, raw, av, cur)
            if cur is None:
                if root is not None:
                    fail("two root elements")
                root = n
            else:
                cur.kids.append(n)
            if not empty:
                cur = n
        else:
            nxt = text.find("<", pos)
            if nxt < 0:
                nxt = len(text)
            chunk = text[pos:nxt]
            if cur is None:
                if chunk.strip():
                    fail("text outside the root")
            else:
                cur.kids.append(chunk)
            pos = nxt
    if root is None or cur is not None:
        fail("no root element, or one not closed")
    tail = text[len(prolog) + len(root.text()):]
    return prolog, root, tail


def lines(s):
    return "\n" * s.count("\n")


def lang_match(want, have):
    """As sch_lang_match: "zh" ~ "zh-CN" either way; no lang never matches."""
    if not want or not have:
        return False
    want, have = want.lower(), have.lower()
    return want == have or have.startswith(want + "-") or want.startswith(have + "-")


def set_attr(node, name, value):
    """Rewrites attribute name in node's start tag (None: removes it), keeping
    the tag's line breaks."""
    pat = re.compile(r"(\s+)" + re.escape(name) + r"\s*=\s*(?:\"[^\"]*\"|'[^']*')")
    m = pat.search(node.start)
    if m is None:
        fail("no %s on <%s>" % (name, node.name))
    new = lines(m.group(0)) if value is None else m.group(1) + '%s="%s"' % (name, value)
    node.start = node.start[: m.start()] + new + node.start[m.end():]
    if value is None:
        del node.attrs[name]
    else:
        node.attrs[name] = value


def cut_lang(root, want):
    diags = {n.attrs["id"]: n for n in root.walk() if n.name == "sch:diagnostic" and "id" in n.attrs}
    used = set()
    for a in root.walk():
        if a.name not in ("sch:assert", "sch:report"):
            continue
        refs = a.attrs.get("diagnostics", "").split()
        if "properties" in a.attrs:
            fail("properties are not handled (%s)" % a.attrs.get("id"))
        for r in refs:
            if r not in diags:
                fail("unknown diagnostic %s" % r)
        match = [r for r in refs if lang_match(want, diags[r].lang())]
        if match:
            keep = match[:1]
            a.kids = [lines(a.inner())]
        elif a.inner().strip():
            keep = []
        else:
            keep = refs
        if keep != refs:
            set_attr(a, "diagnostics", " ".join(keep) if keep else None)
        used.update(keep)
    for n in list(root.walk()):
        if n.name == "sch:diagnostic" and n.attrs.get("id") not in used:
            p = n.parent
            p.kids[p.kids.index(n)] = lines(n.text())
    for n in list(root.walk()):
        if n.name == "sch:diagnostics" and not any(isinstance(k, Node) for k in n.kids):
            p = n.parent
            p.kids[p.kids.index(n)] = lines(n.text())


IN_TAG = re.compile(r"(\"[^\"]*\"|'[^']*')|\s+")


def squash(node):
    """Moves the line breaks of blank text in containers into the next tag;
    blanks between attributes become one blank or their line breaks."""
    node.start = IN_TAG.sub(lambda m: m.group(1) or lines(m.group(0)) or " ", node.start)
    for k in node.kids:
        if isinstance(k, Node):
            squash(k)
    if node.name not in CONTAINERS:
        return
    out, carry = [], ""
    for k in node.kids:
        if isinstance(k, str):
            if k.strip():
                fail("text in <%s>" % node.name)
            carry += lines(k)
            continue
        if carry:
            k.start = k.start[: 1 + len(k.name)] + carry + k.start[1 + len(k.name):]
            carry = ""
        out.append(k)
    if carry:
        if not node.end:
            fail("blank text in an empty <%s>" % node.name)
        node.end = node.end[: 2 + len(node.name)] + carry + node.end[2 + len(node.name):]
    node.kids = out


def lean(text, lang=None):
    text = DOC.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    if lang is None:
        return text
    prolog, root, tail = parse(text)
    cut_lang(root, lang)
    squash(root)
    return prolog + root.text() + tail


IMAGE_MAGIC = "SDIMG1\n"
ENT = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);")
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def unescape(s):
    def one(m):
        e = m.group(1)
        if e in NAMED:
            return NAMED[e]
        return chr(int(e[2:], 16) if e[1] == "x" else int(e[1:]))
    if ENT.sub("", s).count("&"):
        fail("an entity that is not predefined")
    return ENT.sub(one, s)


def image(text):
    """The tree libxml2 would build from text, as records its loader (src/sch/
    parse.c image_xml) turns into nodes without reading XML: E name line (N
    prefix uri)* (A qname value)* children Z; T text line.  Each field ends
    with a NUL; a line is that of the tag's '>' for an element (libxml2 dates
    an element so), of its end for a text."""
    m = PROLOG.match(text)
    pos = m.end() if m else 0
    pos = text.index("<", pos)
    if text[m.end() if m else 0:pos].strip():
        fail("text before the root")
    out, depth, line = [IMAGE_MAGIC], 0, text.count("\n", 0, pos) + 1
    while pos < len(text):
        if text[pos] == "<":
            t = TAG.match(text, pos)
            if t is None:
                fail("unexpected markup at offset %d" % pos)
            line += text.count("\n", pos, t.end())
            pos = t.end()
            if t.group(1):
                out.append("Z")
                depth -= 1
                continue
            if line >= 65535:
                fail("line %d: too far for a node's line" % line)
            out.append("E%s\0%d\0" % (t.group(2), line))
            attrs = [(a.group(1), a.group(2) if a.group(2) is not None else a.group(3))
                     for a in ATTR.finditer(t.group(3))]
            for name, v in attrs:
                v = unescape(re.sub(r"[\t\n\r]", " ", v))
                if name == "xmlns" or name.startswith("xmlns:"):
                    out.append("N%s\0%s\0" % (name[6:], v))
            for name, v in attrs:
                v = unescape(re.sub(r"[\t\n\r]", " ", v))
                if not (name == "xmlns" or name.startswith("xmlns:")):
                    out.append("A%s\0%s\0" % (name, v))
            if t.group(4):
                out.append("Z")
            else:
                depth += 1
        else:
            nxt = text.find("<", pos)
            if nxt < 0:
                nxt = len(text)
            chunk = text[pos:nxt]
            line += chunk.count("\n")
            if depth > 0:
                out.append("T%s\0%d\0" % (unescape(chunk), line))
            elif chunk.strip():
                fail("text outside the root")
            pos = nxt
    if depth != 0:
        fail("an element is not closed")
    return "".join(out)


def main():
    args = sys.argv[1:]
    lang = img_out = None
    if len(args) >= 2 and args[0] == "--lang":
        lang, args = args[1], args[2:]
    if len(args) == 3:
        img_out, args = args[2], args[:2]
    if len(args) != 2:
        sys.exit("usage: leanpack.py [--lang L] IN.sch OUT.sch [OUT.img]")
    with open(args[0], encoding="utf-8", newline="") as f:
        text = f.read()
    out = lean(text, lang)
    if out.count("\n") != text.count("\n"):
        sys.exit("leanpack.py: line count changed (%s)" % args[0])
    try:
        ET.fromstring(out.encode("utf-8"))
    except ET.ParseError as e:
        sys.exit("leanpack.py: the copy is not well-formed (%s): %s" % (args[0], e))
    tmp = args[1] + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(out)
    os.replace(tmp, args[1])
    if img_out is not None:
        tmp = img_out + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(image(out))
        os.replace(tmp, img_out)


if __name__ == "__main__":
    main()
