#!/usr/bin/env python3
"""check_labels.py — every xs:element / xs:attribute declaration in schemas/*.xsd
(the vocabulary: config.xsd, sdlint's own configuration, is left out)
carries exactly two xs:documentation children, xml:lang zh then en, of the form
"标签：说明" (2-8 character label, full-width colon) and "label: explanation";
one local name has the same zh and en labels everywhere (attribute and element
alike). Exit 0 when all hold, 1 otherwise, listing every violation."""
import glob, os, re, sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "schemas")
errors, labels = [], {}

for path in sorted(glob.glob(os.path.join(root, "*.xsd"))):
    # config.xsd is sdlint's own configuration file, not part of the vocabulary
    # (schemas/README.md): its messages come from src/config.c, not from labels.
    if os.path.basename(path) == "config.xsd":
        continue
    tree = ET.parse(path)
    for decl in tree.iter():
        if decl.tag not in (XS + "element", XS + "attribute") or "name" not in decl.attrib:
            if decl.tag in (XS + "element", XS + "attribute") and "ref" in decl.attrib:
                errors.append(f"{os.path.basename(path)}: {decl.attrib['ref']}: use a local declaration, not ref")
            continue
        name = decl.attrib["name"]
        where = f"{os.path.basename(path)}: {decl.tag[len(XS):]} {name}"
        ann = decl.find(XS + "annotation")
        docs = ann.findall(XS + "documentation") if ann is not None else []
        if [d.get(XML_LANG) for d in docs] != ["zh", "en"]:
            errors.append(f"{where}: needs documentation xml:lang zh then en")
            continue
        zh, en = (d.text or "" for d in docs)
        mz = re.fullmatch(r"([^：:\s]{2,8})：(\S.*)", zh, re.S)
        me = re.fullmatch(r"([A-Za-z][A-Za-z -]{0,40}): (\S.*)", en, re.S)
        if not mz:
            errors.append(f"{where}: zh documentation is not '标签：说明' (2-8 character label): {zh!r}")
        if not me:
            errors.append(f"{where}: en documentation is not 'label: explanation': {en!r}")
        if mz and me:
            pair = (mz.group(1), me.group(1))
            seen = labels.setdefault(name, (pair, where))
            if seen[0] != pair:
                errors.append(f"{where}: labels {pair} differ from {seen[0]} at {seen[1]}")

for e in errors:
    print(e)
print(f"check_labels: {len(labels)} names, {len(errors)} problem(s)", file=sys.stderr)
sys.exit(1 if errors else 0)
