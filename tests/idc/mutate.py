#!/usr/bin/env python3
"""Mutated 三定 for tests/idc/check.sh: each variant of a base document breaks
(or only seems to break) identity constraints of sanding.xsd — duplicate keys,
missing fields, dangling keyrefs, values differing by blanks, case or leading
zeros — sometimes together with other schema errors, so that the fast path of
src/xsd.c + src/idc.c meets every way a document can pass or fail them.

usage: mutate.py OUT_DIR SEED COUNT BASE.xml...   (deterministic for a seed)
"""
import os
import random
import sys
import xml.etree.ElementTree as ET

NS = "urn:sdlint:schema:1"
ET.register_namespace("", NS)


def q(local):
    return "{%s}%s" % (NS, local)


def all_(root, path):
    return root.findall(path.replace("sd:", "{%s}" % NS))


RANKS = ["正厅级", "副厅级", "正处级", "副处级", "正科级", "副科级"]


def pick(rng, xs):
    return rng.choice(xs) if xs else None


def blanks(rng, v):
    return rng.choice([" " + v, v + " ", " %s  " % v, "\t" + v, v + "\n",
                       v.replace("-", " - ", 1) if "-" in v else v + " x"])


# Each mutation changes root in place (or does nothing when it has no target).
def dup_attr(rng, root, path, attr):
    els = [e for e in all_(root, path) if e.get(attr) is not None]
    if len(els) >= 2:
        a, b = rng.sample(els, 2)
        b.set(attr, a.get(attr))


def blank_attr(rng, root, path, attr):
    e = pick(rng, [e for e in all_(root, path) if e.get(attr) is not None])
    if e is not None:
        e.set(attr, blanks(rng, e.get(attr)))


def near_dup(rng, root, path, attr):
    """Two values that differ by blanks, case or leading zeros only."""
    els = [e for e in all_(root, path) if e.get(attr) is not None]
    if len(els) >= 2:
        a, b = rng.sample(els, 2)
        v = a.get(attr)
        kind = rng.randrange(4)
        if kind == 0:
            b.set(attr, blanks(rng, v))
        elif kind == 1:
            b.set(attr, v.swapcase())
        elif kind == 2:
            b.set(attr, "0" + v if v[:1].isdigit() else v + "0")
        else:
            b.set(attr, "+" + v if v[:1].isdigit() else v.replace(" ", "  "))


def drop_attr(rng, root, path, attr):
    e = pick(rng, [e for e in all_(root, path) if e.get(attr) is not None])
    if e is not None:
        del e.attrib[attr]


def set_attr(rng, root, path, attr, values):
    e = pick(rng, all_(root, path))
    if e is not None:
        e.set(attr, rng.choice(values))


def drop_el(rng, root, path):
    for parent in root.iter():
        for c in list(parent):
            if c in all_(root, path) and rng.random() < 0.5:
                parent.remove(c)
                return


def other_error(rng, root):
    k = rng.randrange(3)
    if k == 0:
        drop_attr(rng, root, ".//sd:unit", "posts")
    elif k == 1:
        set_attr(rng, root, ".//sd:unit", "category", ["不存在的类别"])
    else:
        e = pick(rng, all_(root, ".//sd:unit"))
        if e is not None:
            ET.SubElement(e, q("unexpected"))


def generic(rng, root):
    """Any kind of document: an attribute that fields and references use
    takes the value of the same attribute elsewhere, blanks, another case,
    or a value nothing declares."""
    names = ["id", "ref", "host", "managedBy", "to", "from", "officeHost", "name", "code",
             "rank", "with", "on", "role", "type", "number"]
    els = [e for e in root.iter() if any(n in e.attrib for n in names)]
    e = pick(rng, els)
    if e is None:
        return
    n = rng.choice([n for n in names if n in e.attrib])
    others = [o.get(n) for o in root.iter() if o is not e and o.get(n) is not None]
    k = rng.randrange(4)
    if k == 0 and others:
        e.set(n, rng.choice(others))
    elif k == 1:
        e.set(n, blanks(rng, e.get(n)))
    elif k == 2:
        e.set(n, e.get(n).swapcase())
    else:
        e.set(n, "zz-nowhere")


MUTATIONS = [
    lambda r, t: None,
    lambda r, t: dup_attr(r, t, "./sd:formerUnits/sd:formerUnit", "id"),
    lambda r, t: drop_attr(r, t, "./sd:formerUnits/sd:formerUnit", "id"),
    lambda r, t: set_attr(r, t, ".//sd:mergedFrom", "ref", ["zz-none", "fu-X"]),
    lambda r, t: blank_attr(r, t, ".//sd:mergedFrom", "ref"),
    lambda r, t: blank_attr(r, t, "./sd:formerUnits/sd:formerUnit", "id"),
    lambda r, t: (lambda e: e is not None and e.set("ref", e.get("ref").upper()))(
        pick(r, all_(t, ".//sd:mergedFrom"))),
    lambda r, t: dup_attr(r, t, "./sd:staffing/sd:unitLeadership/sd:level", "rank"),
    lambda r, t: blank_attr(r, t, "./sd:staffing/sd:unitLeadership/sd:level", "rank"),
    lambda r, t: drop_el(r, t, "./sd:staffing/sd:unitLeadership/sd:level"),
    lambda r, t: set_attr(r, t, ".//sd:post", "rank", RANKS),
    lambda r, t: blank_attr(r, t, ".//sd:post", "rank"),
    lambda r, t: dup_attr(r, t, "./sd:internalUnits/sd:unit", "name"),
    lambda r, t: near_dup(r, t, "./sd:internalUnits/sd:unit", "name"),
    lambda r, t: blank_attr(r, t, "./sd:internalUnits/sd:unit", "name"),
    lambda r, t: dup_attr(r, t, "./sd:functions/sd:function", "number"),
    lambda r, t: near_dup(r, t, "./sd:functions/sd:function", "number"),
    lambda r, t: blank_attr(r, t, "./sd:functions/sd:function", "number"),
    lambda r, t: dup_attr(r, t, "./sd:functions/sd:function", "code"),
    lambda r, t: near_dup(r, t, "./sd:functions/sd:function", "code"),
    lambda r, t: drop_attr(r, t, "./sd:functions/sd:function", "code"),
    lambda r, t: dup_attr(r, t, "./sd:staffing/sd:allocation", "type"),
    lambda r, t: near_dup(r, t, "./sd:staffing/sd:allocation", "type"),
    lambda r, t: dup_attr(r, t, ".//sd:leadership/sd:post", "rank"),
    lambda r, t: dup_attr(r, t, ".//sd:leadership/sd:post", "role"),
    lambda r, t: (lambda u: u is not None and len(u) and u.append(ET.fromstring(ET.tostring(u[0]))))(
        pick(r, all_(t, ".//sd:leadership"))),
    lambda r, t: dup_attr(r, t, ".//sd:beforeReform/sd:levelTotal", "rank"),
    lambda r, t: set_attr(r, t, ".//sd:beforeReform/sd:levelTotal", "rank", RANKS),
    lambda r, t: dup_attr(r, t, ".//sd:formerUnit/sd:post", "rank"),
    lambda r, t: drop_attr(r, t, ".//sd:post", "rank"),
    lambda r, t: other_error(r, t),
    # blank or empty values of fields (the length facets of NameType and the
    # patterns of IdType see them normalised, or not, by libxml2)
    lambda r, t: set_attr(r, t, "./sd:internalUnits/sd:unit", "name", ["", " ", "  \t ", " x "]),
    lambda r, t: set_attr(r, t, ".//sd:mergedFrom", "ref", ["", " ", " a "]),
    lambda r, t: set_attr(r, t, "./sd:functions/sd:function", "code", ["", " ", " A-1 "]),
    lambda r, t: set_attr(r, t, "./sd:functions/sd:function", "number", ["", " ", "0", "-1", " 3 ", "003"]),
    lambda r, t: set_attr(r, t, "./sd:staffing/sd:unitLeadership/sd:level", "rank", ["", " 正处级 ", "正处级  "]),
    lambda r, t: generic(r, t),
    lambda r, t: [generic(r, t) for _ in range(3)],
]


def main():
    out, seed, count, bases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    trees = [ET.parse(b) for b in bases]
    for i in range(count):
        base = i % len(bases)
        root = ET.fromstring(ET.tostring(trees[base].getroot()))
        if i < len(MUTATIONS) * len(bases):
            steps = [MUTATIONS[i // len(bases)]]  # each mutation alone on each base
        else:
            steps = rng.sample(MUTATIONS, rng.randrange(1, 4))
        for m in steps:
            m(rng, root)
        ET.ElementTree(root).write(os.path.join(out, "v%04d.xml" % i), encoding="UTF-8",
                                   xml_declaration=True)


if __name__ == "__main__":
    main()
