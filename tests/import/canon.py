#!/usr/bin/env python3
"""canon.py FILE.xml — the canonical form the import/render round trip compares.

Normalised, and nothing else: comments and processing instructions are dropped,
text that is only white space (indentation) is dropped, the text of an element
has its leading and trailing white space removed, and attributes are written in
name order (their order carries no meaning in XML).  Element order, names,
namespaces, attribute values and all other text are compared as they are.
"""
import sys
import xml.etree.ElementTree as ET


def canon(el, out, depth=0):
    attrs = "".join(' %s="%s"' % (k, v) for k, v in sorted(el.attrib.items()))
    text = (el.text or "").strip()
    out.append("  " * depth + "<%s%s>%s" % (el.tag, attrs, text))
    for ch in el:
        if not isinstance(ch.tag, str):  # comment or PI
            continue
        canon(ch, out, depth + 1)


def form(path):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=False, insert_pis=False))
    out = []
    canon(ET.parse(path, parser=parser).getroot(), out)
    return out


def main():
    """canon.py FILE: prints the canonical form.  canon.py --pairs A B [A B...]:
    compares each pair, prints the first difference of each that differs and
    exits 1 when any does."""
    if sys.argv[1] != "--pairs":
        sys.stdout.write("\n".join(form(sys.argv[1])) + "\n")
        return 0
    bad = 0
    args = sys.argv[2:]
    for a, b in zip(args[0::2], args[1::2]):
        try:
            fa, fb = form(a), form(b)
        except ET.ParseError as e:
            print("FAIL round trip %s: %s" % (a, e))
            bad += 1
            continue
        if fa != fb:
            bad += 1
            i = next((k for k in range(min(len(fa), len(fb))) if fa[k] != fb[k]), min(len(fa), len(fb)))
            print("FAIL round trip %s:\n  - %s\n  + %s" % (a, fa[i] if i < len(fa) else "(end)", fb[i] if i < len(fb) else "(end)"))
    return 1 if bad else 0


sys.exit(main())
