#!/usr/bin/env python3
"""check_totals.py — the sample plans' stated figures equal the listed ones.

Why: the plan rules SD201–SD212 (issue 10) compare a plan's stated counts and
totals with what it lists; until they exist, this script recomputes them so the
samples are known to be consistent (a clean sample must give no finding), and
afterwards it stays an independent second opinion on the samples' arithmetic.
It follows the counting of schemas/plan.xsd's header and DOMAIN.md §3:
  - counted = kind counted (common.xsd AgencyKindType, 部门管理机构 included)
    and disposition neither plate nor co-located (SD201, SD211);
  - totals before/after: @agencies = counted entries, @adminPosts / @units =
    sums over all entries, levelTotal per rank = sum of levelPosts (SD206, SD212);
  - after <= before for 行政编制, internal units and every level (SD206, SD212);
  - reduction = before - after, positive, for what it states (SD212);
  - after within agencyCap and adminPostsCap (SD201);
  - transfers: @count, @adminPosts, @agencies (distinct @from/@to) equal the
    list; a @from in agenciesBefore is an abolished entry (SD204);
  - coordinationBodies/@count equals the list; a temporary body has an end date
    (SD208);
  - a plate or co-located entry with a host appears as plate / coLocatedWith on
    its host; @managedBy comes with @relation, a department-managed agency's
    relation is "managed";
  - with the plan's catalogue: every counterpart is an entry name or alias
    (SD203), every mandatory entry is covered by a name, alias, counterpart,
    or a mayCombine/mayBePlate partner at the plan's tier (SD202).
Cost: linear in the size of the plans. Usage: check_totals.py [plan.xml...]
(default: samples/*/plan.xml). Exit 0 when all hold, 1 otherwise, listing each
problem. Only the standard library is used.
"""
import glob, os, sys
import xml.etree.ElementTree as ET

NS = "{urn:sdlint:schema:1}"
COUNTED = {"party-department", "party-office", "government-department",
           "constituent-department", "special-affiliated", "directly-affiliated",
           "department-managed"}


def num(el, attr):
    v = el.get(attr)
    return int(v.strip()) if v is not None else 0


def sums(agencies):
    s = {"agencies": 0, "adminPosts": 0, "units": 0, "levels": {}}
    for a in agencies:
        if a.get("kind") in COUNTED and a.get("disposition") not in ("plate", "co-located"):
            s["agencies"] += 1
        s["adminPosts"] += num(a, "adminPosts")
        s["units"] += num(a, "units")
        for lp in a.findall(NS + "levelPosts"):
            s["levels"][lp.get("rank")] = s["levels"].get(lp.get("rank"), 0) + num(lp, "count")
    return s


def stated(el):
    return {"agencies": num(el, "agencies"), "adminPosts": num(el, "adminPosts"),
            "units": num(el, "units"),
            "levels": {lt.get("rank"): num(lt, "count") for lt in el.findall(NS + "levelTotal")}}


def local_part(name, jname):
    """What remains of an agency name after 中共/中国共产党, the jurisdiction and
    a 委 right after it (catalogue.xsd header)."""
    for p in ("中国共产党", "中共"):
        if name.startswith(p):
            name = name[len(p):]
            break
    if name.startswith(jname):
        name = name[len(jname):]
    elif jname.endswith(("市", "县", "区", "省")) and name.startswith(jname[:-1] + "委"):
        name = name[len(jname):]
    if name.startswith("委") and not name.startswith("委员会"):
        name = name[1:]
    if name.startswith("员会"):   # 中国共产党沈阳市委员会组织部
        name = name[2:]
    return name


def check_catalogue(plan_path, root, problems):
    ref = root.find(NS + "catalogueRef")
    if ref is None:
        return
    cpath = os.path.join(os.path.dirname(plan_path), ref.get("href"))
    cat = ET.parse(cpath).getroot()
    tier = root.find(NS + "jurisdiction").get("tier")
    jname = root.find(NS + "jurisdiction").get("name")
    entries = cat.findall(NS + "agency")
    by_name = {}
    for e in entries:
        by_name[e.get("name")] = e.get("id")
        for al in e.findall(NS + "alias"):
            by_name[al.get("name")] = e.get("id")
    covered = set()
    plates = {}   # catalogue entry id of a plate -> entry ids its host covers
    for a in root.find(NS + "agenciesAfter").findall(NS + "agency"):
        mine = set()
        lp = local_part(a.get("name"), jname)
        if lp in by_name:
            mine.add(by_name[lp])
        for c in a.findall(NS + "counterpart"):
            if c.get("name") not in by_name:
                problems.append(f"{a.get('id')}: counterpart {c.get('name')} is not in {ref.get('href')} (SD203)")
            else:
                mine.add(by_name[c.get("name")])
        covered |= mine
        for p in a.findall(NS + "plate"):
            pid = by_name.get(local_part(p.get("name"), jname))
            if pid is not None:
                plates.setdefault(pid, set()).update(mine)
    # mayCombine: covered at its tiers when the @with entry is (one way);
    # mayBePlate: covered when the agency covering @on carries it as a plate
    for e in entries:
        for m in e.findall(NS + "mayCombine"):
            if tier in m.get("tiers").split() and m.get("with") in covered:
                covered.add(e.get("id"))
        for m in e.findall(NS + "mayBePlate"):
            if tier in m.get("tiers").split() and m.get("on") in plates.get(e.get("id"), ()):
                covered.add(e.get("id"))
    for e in entries:
        if e.get("mandatory") in ("true", "1") and e.get("id") not in covered:
            problems.append(f"mandatory catalogue entry {e.get('name')} has no counterpart (SD202)")


def check(path):
    problems = []
    root = ET.parse(path).getroot()
    before = root.find(NS + "agenciesBefore").findall(NS + "agency")
    after = root.find(NS + "agenciesAfter").findall(NS + "agency")
    sb, sa = sums(before), sums(after)
    tb, ta = stated(root.find(NS + "totals/" + NS + "before")), stated(root.find(NS + "totals/" + NS + "after"))
    for label, s, t in (("before", sb, tb), ("after", sa, ta)):
        for k in ("agencies", "adminPosts", "units"):
            if s[k] != t[k]:
                problems.append(f"totals/{label}/@{k} states {t[k]}, the list gives {s[k]} (SD211/SD206/SD212)")
        if s["levels"] != t["levels"]:
            problems.append(f"totals/{label}/levelTotal states {t['levels']}, the list gives {s['levels']} (SD212)")
    for k in ("adminPosts", "units"):
        if sa[k] > sb[k]:
            problems.append(f"{k} grows: before {sb[k]}, after {sa[k]} (SD206/SD212)")
    for r in set(sa["levels"]) | set(sb["levels"]):
        if sa["levels"].get(r, 0) > sb["levels"].get(r, 0):
            problems.append(f"{r} posts grow: before {sb['levels'].get(r, 0)}, after {sa['levels'].get(r, 0)} (SD212)")
    red = root.find(NS + "totals/" + NS + "reduction")
    if red is not None:
        for k in ("agencies", "adminPosts", "units"):
            if red.get(k) is not None and num(red, k) != sb[k] - sa[k]:
                problems.append(f"reduction/@{k} states {red.get(k)}, before - after is {sb[k] - sa[k]} (SD212)")
        for lt in red.findall(NS + "levelTotal"):
            r = lt.get("rank")
            d = sb["levels"].get(r, 0) - sa["levels"].get(r, 0)
            if num(lt, "count") != d:
                problems.append(f"reduction {r} states {lt.get('count')}, before - after is {d} (SD212)")
    cap = root.find(NS + "agencyCap")
    if sa["agencies"] > int(cap.text.strip()):
        problems.append(f"{sa['agencies']} counted agencies exceed the cap {cap.text.strip()} (SD201)")
    pcap = root.find(NS + "adminPostsCap")
    if pcap is not None and sa["adminPosts"] > int(pcap.text.strip()):
        problems.append(f"{sa['adminPosts']} 行政编制 exceed the 总额 {pcap.text.strip()} (SD201)")

    before_by_id = {a.get("id"): a for a in before}
    after_by_id = {a.get("id"): a for a in after}
    tr = root.find(NS + "transfers")
    if tr is not None:
        items = tr.findall(NS + "transfer")
        if tr.get("count") is not None and num(tr, "count") != len(items):
            problems.append(f"transfers/@count states {tr.get('count')}, {len(items)} listed (SD204)")
        total = sum(num(t, "adminPosts") for t in items)
        if tr.get("adminPosts") is not None and num(tr, "adminPosts") != total:
            problems.append(f"transfers/@adminPosts states {tr.get('adminPosts')}, the sum is {total} (SD204)")
        ids = {t.get("from") for t in items} | {t.get("to") for t in items}
        if tr.get("agencies") is not None and num(tr, "agencies") != len(ids):
            problems.append(f"transfers/@agencies states {tr.get('agencies')}, {len(ids)} agencies are named (SD204)")
        for t in items:
            f = t.get("from")
            if f in before_by_id and before_by_id[f].get("disposition") != "abolished":
                problems.append(f"transfer {t.get('code')}: @from {f} is an agenciesBefore entry that is not abolished")
            if f == t.get("to"):
                problems.append(f"transfer {t.get('code')}: from and to are the same agency")
    cbs = root.find(NS + "coordinationBodies")
    if cbs is not None:
        items = cbs.findall(NS + "coordinationBody")
        if cbs.get("count") is not None and num(cbs, "count") != len(items):
            problems.append(f"coordinationBodies/@count states {cbs.get('count')}, {len(items)} listed")
        for c in items:
            if c.get("temporary") in ("true", "1") and not c.get("endDate"):
                problems.append(f"temporary body {c.get('name')} has no endDate (SD208)")

    for a in after:
        host = after_by_id.get(a.get("host"))
        if a.get("disposition") == "plate" and host is not None:
            if a.get("name") not in [p.get("name") for p in host.findall(NS + "plate")]:
                problems.append(f"plate {a.get('name')} is not a plate of its host {host.get('id')}")
        if a.get("disposition") == "co-located" and host is not None:
            if a.get("id") not in [p.get("ref") for p in host.findall(NS + "coLocatedWith")]:
                problems.append(f"{a.get('id')} is not a coLocatedWith of its host {host.get('id')}")
        if (a.get("managedBy") is None) != (a.get("relation") is None):
            problems.append(f"{a.get('id')}: managedBy and relation go together")
        if a.get("kind") == "department-managed" and a.get("relation") != "managed":
            problems.append(f"{a.get('id')}: a department-managed agency has relation managed")

    check_catalogue(path, root, problems)
    return problems


def main(argv):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    paths = argv[1:] or sorted(glob.glob(os.path.join(here, "samples", "*", "plan.xml")))
    bad = 0
    for p in paths:
        for msg in check(p):
            print(f"{os.path.relpath(p)}: {msg}")
            bad += 1
    print(f"check_totals: {len(paths)} plan(s), {bad} problem(s)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
