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


def main():
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=False, insert_pis=False))
    root = ET.parse(sys.argv[1], parser=parser).getroot()
    out = []
    canon(root, out)
    sys.stdout.write("\n".join(out) + "\n")


main()
