#!/usr/bin/env python3
"""gen.py — a seeded province of reform plans, for the plan tests and the audit benchmark.

Issue 10 item 8 (and issue 12's `make bench`): a test of the plan rules needs more than a
handful of hand-written plans, and a benchmark needs a province's worth of them.  This writes,
from a seed, one province catalogue, C city plans each with the catalogue its counties follow,
and K county plans under each city, every county plan with a 三定 for each of its agencies, all in
vocabulary 2 (schemas/README.md).  Every document is clean by construction: the figures are
computed, not typed, so the stated totals equal the sums, transfers balance, names carry their
jurisdiction, and each 三定 agrees with its plan entry.

Then it injects chosen violations (--inject), each a small change to one county's model that
breaks exactly one rule once, and writes expected.json: the multiset of (file, rule) findings a
correct sdlint reports on the corpus.  A test runs sdlint on the corpus and compares.

    gen.py [--seed S] [--cities C] [--counties K] [--inject RULES|all] [--rate P] OUTDIR

Same seed and options, byte-identical output.  Cost: linear in the documents written.
Layout (the parent plan and catalogue lie above a county's folder, its 三定 inside it):
    OUTDIR/catalogue-province.xml
    OUTDIR/<city>/plan.xml, OUTDIR/<city>/catalogue-county.xml
    OUTDIR/<city>/<county>/plan.xml, OUTDIR/<city>/<county>/sanding/<agency>.xml
    OUTDIR/expected.json
"""
import argparse
import json
import os
import random
import sys
from xml.sax.saxutils import escape, quoteattr

NS = "urn:sdlint:schema:1"
HEADER = "<!-- 生成的测试文件（tools/corpus/gen.py），不是正式文件。Generated test document, not an official text. -->"

# The agencies of a county after the reform: (key, local name, kind, catalogue entry it
# corresponds to, domain words for its functions and units).  Modelled on the county lists of
# the 2019 reform (DOMAIN.md §1, §4); kinds per common.xsd.
COUNTY_AGENCIES = [
    ("bgs", "县委办公室", "party-office", "办公室", ["文电", "督查", "机要"]),
    ("zzb", "县委组织部", "party-department", "组织部", ["干部", "组织", "人才"]),
    ("xcb", "县委宣传部", "party-department", "宣传部", ["理论", "新闻", "文明"]),
    ("tzb", "县委统一战线工作部", "party-department", "统一战线工作部", ["党派", "民族", "侨务"]),
    ("zfw", "县委政法委员会", "party-department", "政法委员会", ["综治", "执法监督", "维稳"]),
    ("bb", "县委机构编制委员会办公室", "party-department", "机构编制委员会办公室", ["机构", "编制", "监督检查"]),
    ("zfb", "县人民政府办公室", "government-department", "人民政府办公室", ["政务", "信息", "应急值守"]),
    ("fgj", "县发展和改革局", "government-department", "发展和改革局", ["规划", "投资", "价格"]),
    ("jyj", "县教育局", "government-department", "教育局", ["基础教育", "职业教育", "学校安全"]),
    ("kgj", "县科学技术和工业信息化局", "government-department", "科学技术和工业信息化局", ["科技", "工业", "信息化"]),
    ("mzj", "县民政局", "government-department", "民政局", ["社会救助", "社会组织", "养老服务"]),
    ("sfj", "县司法局", "government-department", "司法局", ["法治", "普法", "人民调解"]),
    ("czj", "县财政局", "government-department", "财政局", ["预算", "国库", "政府采购"]),
    ("rsj", "县人力资源和社会保障局", "government-department", "人力资源和社会保障局", ["就业", "社会保险", "劳动关系"]),
    ("zrj", "县自然资源局", "government-department", "自然资源局", ["国土空间规划", "耕地保护", "不动产登记"]),
    ("zjj", "县住房和城乡建设局", "government-department", "住房和城乡建设局", ["建筑市场", "城乡建设", "住房保障"]),
    ("jtj", "县交通运输局", "government-department", "交通运输局", ["公路", "运输", "交通安全"]),
    ("slj", "县水利局", "government-department", "水利局", ["水资源", "河湖", "水旱灾害防御"]),
    ("nyj", "县农业农村局", "government-department", "农业农村局", ["种植业", "畜牧", "农村改革"]),
    ("swj", "县商务局", "government-department", "商务局", ["内贸", "外贸", "招商"]),
    ("wlj", "县文化旅游和广播电视局", "government-department", "文化旅游和广播电视局", ["文化", "旅游", "广播电视"]),
    ("wjj", "县卫生健康局", "government-department", "卫生健康局", ["医政", "疾病预防", "妇幼健康"]),
    ("tyj", "县退役军人事务局", "government-department", "退役军人事务局", ["优抚", "安置", "权益维护"]),
    ("yjj", "县应急管理局", "government-department", "应急管理局", ["安全生产", "救灾", "应急预案"]),
    ("sjj", "县审计局", "government-department", "审计局", ["财政审计", "经济责任审计", "投资审计"]),
    ("scj", "县市场监督管理局", "government-department", "市场监督管理局", ["市场主体", "食品安全", "质量"]),
    ("tjj", "县统计局", "government-department", "统计局", ["统计调查", "统计执法", "数据发布"]),
    ("ybj", "县医疗保障局", "government-department", "医疗保障局", ["医保基金", "医药价格", "待遇保障"]),
    ("ysj", "县营商环境建设局", "government-department", "营商环境建设局", ["审批改革", "政务服务", "营商评价"]),
    ("cgj", "县城市管理综合行政执法局", "government-department", "城市管理综合行政执法局", ["市容", "市政", "综合执法"]),
]
# Before the reform: the agencies that were merged away (key, local name, kind, the key of the
# agency that takes over its functions).
COUNTY_ABOLISHED = [
    ("gsj", "县工商行政管理局", "government-department", "scj"),
    ("zljj", "县质量技术监督局", "government-department", "scj"),
    ("ajj", "县安全生产监督管理局", "government-department", "yjj"),
    ("fzb", "县人民政府法制办公室", "government-department", "sfj"),
]
# Agencies formed new by the reform (组建): not in the before list, made of abolished ones.
NEW_AGENCIES = ("scj", "yjj")
SYLLABLES = "安宝昌大德东丰福阜古广海和河红华怀黄惠吉建江金锦晋开康兰乐黎临龙隆宁平普清庆仁瑞山尚寿顺泰通望文武西祥新兴阳永玉云长镇彰正"
CITY_SUFFIX = "市"
COUNTY_SUFFIX = "县"


def cn_date(iso):
    y, m, d = iso.split("-")
    return "%s年%d月%d日" % (y, int(m), int(d))


class Doc:
    """Builds one XML document line by line, so the generator knows each element's line."""

    def __init__(self):
        self.lines = ['<?xml version="1.0" encoding="UTF-8"?>', HEADER]

    def add(self, depth, text):
        self.lines.append("  " * depth + text)
        return len(self.lines)

    def el(self, depth, name, attrs=(), text=None):
        a = "".join(" %s=%s" % (k, quoteattr(str(v))) for k, v in attrs if v is not None)
        if text is None:
            return self.add(depth, "<%s%s/>" % (name, a))
        return self.add(depth, "<%s%s>%s</%s>" % (name, a, escape(text), name))

    def write(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")


class Agency:
    def __init__(self, key, name, kind, entry, words):
        self.key, self.name, self.kind, self.entry, self.words = key, name, kind, entry, words
        self.rank = "正科级"
        self.disposition = "retained"
        self.predecessors = []
        self.units = []          # (name, category, posts, before_posts)
        self.deputies = 2
        self.functions = []      # (code, name, text)
        self.t_in = []           # transfer records
        self.t_out = []
        self.counterpart = entry
        self.local_reason = None
        self.managed_by = None   # (agency, relation)
        self.divisions = []      # other agencies (Agency), or a name
        self.admin_posts = 0
        self.before_admin = 0
        self.before_units = 0
        self.doc_number_override = None
        self.drop_closing = False

    @property
    def team(self):
        return 1 + self.deputies


def pick_names(rng, n, suffix, taken):
    out = []
    while len(out) < n:
        nm = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + suffix
        if nm not in taken:
            taken.add(nm)
            out.append(nm)
    return out


def build_county(rng, county, code, city, ctx):
    """The model of one county's reform: agencies before and after, their 三定 figures.
    Figures are derived so that every stated total is a sum and nothing grows: each agency's
    before-reform 行政编制 is its after figure minus what moved in plus what moved out plus a
    cut of at least 1; an abolished agency hands all its posts to its successor."""
    agencies = []
    for key, local, kind, entry, words in COUNTY_AGENCIES:
        if local.startswith("县委"):
            name = "中共%s委%s" % (county, local[2:])
        else:
            name = county + local[1:]
        agencies.append(Agency(key, name, kind, entry, words))
    by_key = {a.key: a for a in agencies}
    by_key["bb"].managed_by = (by_key["zzb"], "centralized")
    for a in agencies:
        names = ["办公室"] + ["%s股" % w for w in a.words]
        for i, nm in enumerate(names[:rng.randint(4, len(names))]):
            posts = rng.randint(3, 6)
            a.units.append([nm, "comprehensive" if i == 0 else "business", posts, posts + rng.randint(0, 1)])
        a.deputies = rng.randint(1, 3)
        for i, w in enumerate(a.words):
            code_ = "%s-%s-%02d" % (ctx["code_prefix"], a.key.upper(), i + 1)
            a.functions.append((code_, "%s工作" % w,
                                "负责全县%s工作，拟订%s相关政策措施并组织实施。" % (w, w)))
        a.admin_posts = sum(u[2] for u in a.units) + a.team + rng.randint(0, 2)
        a.before_units = len(a.units) + rng.randint(0, 1)
        a.predecessors = ["b-" + a.key]
    transfers = []
    abolished = []
    for key, local, kind, succ in COUNTY_ABOLISHED:
        s = by_key[succ]
        npred = sum(1 for x in COUNTY_ABOLISHED if x[3] == succ)
        if succ in NEW_AGENCIES:
            # A newly formed agency (组建) takes all its posts from the agencies merged into it.
            posts = -(-s.admin_posts // npred) + rng.randint(1, 3)
        else:
            posts = rng.randint(6, 12)
        units = rng.randint(4, 6)
        nm = county + local[1:]
        abolished.append((key, nm, kind, posts, units))
        tr = {"id": "t-%s" % key, "code": "%s-%s-01" % (ctx["code_prefix"], key.upper()),
              "name": "%s职责" % local[1:-1], "from": key, "from_name": nm, "to": succ,
              "to_name": s.name, "adminPosts": posts, "leadershipPosts": 1, "staff": posts}
        transfers.append(tr)
        s.t_in.append(tr)
    for succ in NEW_AGENCIES:
        by_key[succ].disposition = "new"
        by_key[succ].predecessors = [x[0] for x in COUNTY_ABOLISHED if x[3] == succ]
    for key, local, kind, succ in COUNTY_ABOLISHED:
        if succ not in NEW_AGENCIES:
            by_key[succ].disposition = "reorganized"
            by_key[succ].predecessors.append(key)
    # One transfer between two agencies that both remain (编随事走、人随编走).
    src, dst = by_key["zfb"], by_key["ysj"]
    tr = {"id": "t-zwfw", "code": "%s-ZFB-90" % ctx["code_prefix"], "name": "政务服务管理职责",
          "from": "zfb", "from_name": src.name, "to": "ysj", "to_name": dst.name,
          "adminPosts": 3, "leadershipPosts": 0, "staff": 3}
    transfers.append(tr)
    src.t_out.append(tr)
    dst.t_in.append(tr)
    src.disposition = dst.disposition = "optimized"
    for a in agencies:
        if a.key in NEW_AGENCIES:
            continue
        moved_in = sum(t["adminPosts"] for t in a.t_in)
        moved_out = sum(t["adminPosts"] for t in a.t_out)
        a.before_admin = max(1, a.admin_posts - moved_in + moved_out + rng.randint(1, 3))
    keys = [a.key for a in agencies]
    for a in agencies:
        a.divisions = [by_key[rng.choice([k for k in keys if k != a.key])]]
    return {"agencies": agencies, "abolished": abolished, "transfers": transfers, "by_key": by_key}


def write_sanding(path, a, county, code, ctx):
    d = Doc()
    d.add(0, '<sanding xmlns="%s">' % NS)
    d.add(1, "<meta>")
    d.el(2, "title", text="%s职能配置、内设机构和人员编制规定" % a.name)
    d.el(2, "docNumber", text=a.doc_number_override or "%s委办发〔%s〕%d号" % (
        county[0], ctx["approval"][:4], ctx["serial"]))
    d.el(2, "issuer", text="中共%s委办公室" % county)
    d.el(2, "issuer", text="%s人民政府办公室" % county)
    d.el(2, "approvalDate", text=ctx["approval"])
    d.el(2, "effectiveDate", text=ctx["effective"])
    d.add(1, "</meta>")
    d.add(1, "<legalBasis>")
    d.el(2, "title", text="%s机构改革方案" % county)
    d.el(2, "docNumber", text=ctx["plan_number"])
    d.add(1, "</legalBasis>")
    d.el(1, "jurisdiction", [("name", county), ("code", code), ("tier", "county")])
    d.add(1, "<agency name=%s kind=%s rank=%s>" % (quoteattr(a.name), quoteattr(a.kind), quoteattr(a.rank)))
    if a.managed_by:
        d.el(2, "managedBy", [("name", a.managed_by[0].name), ("relation", a.managed_by[1])])
    if a.local_reason:
        d.el(2, "localReason", text=a.local_reason)
    else:
        d.el(2, "counterpart", [("name", a.counterpart)])
    d.add(1, "</agency>")
    d.add(1, "<functions>")
    n = 0
    for code_, nm, text in a.functions:
        n += 1
        d.el(2, "function", [("number", n), ("name", nm), ("code", code_)], text)
    for t in a.t_in:
        n += 1
        d.el(2, "function", [("number", n), ("name", t["name"]), ("code", t["code"])],
             "承担原%s的%s。" % (t["from_name"], t["name"]))
    if not a.drop_closing:
        n += 1
        d.el(2, "function", [("number", n), ("name", "交办任务")], "完成县委、县政府交办的其他任务。")
    d.add(1, "</functions>")
    if a.t_in or a.t_out:
        d.add(1, "<transfers>")
        for t in a.t_in:
            d.el(2, "transferIn", [("name", t["name"]), ("from", t["from_name"]), ("fromRef", t["from"]),
                                   ("code", t["code"]), ("adminPosts", t["adminPosts"]),
                                   ("leadershipPosts", t["leadershipPosts"]), ("staff", t["staff"])],
                 "将%s划入%s。" % (t["name"], a.name))
        for t in a.t_out:
            d.el(2, "transferOut", [("name", t["name"]), ("to", t["to_name"]), ("toRef", t["to"]),
                                    ("code", t["code"]), ("adminPosts", t["adminPosts"]),
                                    ("leadershipPosts", t["leadershipPosts"]), ("staff", t["staff"])],
                 "将%s划入%s。" % (t["name"], t["to_name"]))
        d.add(1, "</transfers>")
    d.add(1, '<internalUnits count="%d">' % len(a.units))
    for nm, cat, posts, bposts in a.units:
        d.add(2, "<unit name=%s category=%s rank=\"股级\" posts=\"%d\">" % (quoteattr(nm), quoteattr(cat), posts))
        d.el(3, "duties", text="承担%s的%s工作。" % (a.name, nm[:-1] if nm.endswith("股") else "日常运转"))
        d.add(3, "<leadership>")
        d.el(4, "post", [("rank", "股级"), ("role", "head"), ("count", 1)])
        d.add(3, "</leadership>")
        d.add(3, '<before posts="%d">' % bposts)
        d.el(4, "post", [("rank", "股级"), ("role", "head"), ("count", 1)])
        d.add(3, "</before>")
        d.add(2, "</unit>")
    d.add(1, "</internalUnits>")
    d.add(1, "<staffing>")
    d.el(2, "allocation", [("type", "administrative"), ("posts", a.admin_posts)])
    d.el(2, "leadershipTeam", [("head", 1), ("deputy", a.deputies)])
    d.add(2, "<unitLeadership>")
    d.el(3, "level", [("rank", "股级"), ("count", len(a.units))])
    d.add(2, "</unitLeadership>")
    d.add(2, '<beforeReform units="%d">' % a.before_units)
    d.el(3, "allocation", [("type", "administrative"), ("posts", a.before_admin)])
    d.el(3, "levelTotal", [("rank", "股级"), ("count", a.before_units)])
    d.add(2, "</beforeReform>")
    d.add(1, "</staffing>")
    if a.divisions:
        d.add(1, "<divisions>")
        for other in a.divisions:
            other = other if isinstance(other, str) else other.name
            d.add(2, "<division name=%s>" % quoteattr("与%s的职责分工" % other))
            d.el(3, "relatedAgency", [("name", other)])
            d.el(3, "text", text="%s与%s按照各自职责分工负责，加强协作配合。" % (a.name, other))
            d.add(2, "</division>")
        d.add(1, "</divisions>")
    d.add(1, "<supplementary>")
    d.el(2, "interpreter", [("name", "中共%s委机构编制委员会办公室" % county)])
    d.el(2, "effectiveClause", text="本规定自%s起施行。" % cn_date(ctx["effective"]))
    d.add(1, "</supplementary>")
    d.add(0, "</sanding>")
    d.write(path)


def counted(kind, disposition):
    return kind not in ("coordination-body", "congress-office", "cppcc-office", "court",
                        "procuratorate", "mass-organization", "dispatched", "development-zone") \
        and disposition not in ("plate", "co-located")


def write_county_plan(path, m, county, code, city, ctx):
    agencies, abolished = m["agencies"], m["abolished"]
    d = Doc()
    d.add(0, '<reformPlan xmlns="%s">' % NS)
    d.add(1, "<meta>")
    d.el(2, "title", text="%s机构改革方案" % county)
    d.el(2, "docNumber", text=ctx["plan_number"])
    d.el(2, "issuer", text="中共%s委" % city)
    d.el(2, "issuer", text="%s人民政府" % city)
    d.el(2, "approvalDate", text=ctx["plan_approval"])
    d.el(2, "effectiveDate", text=ctx["effective"])
    d.add(1, "</meta>")
    d.el(1, "jurisdiction", [("name", county), ("code", code), ("tier", "county")])
    d.add(1, '<parentPlan href="../plan.xml">')
    d.el(2, "title", text="%s机构改革方案" % city)
    d.el(2, "docNumber", text=ctx["city_plan_number"])
    d.el(2, "effectiveDate", text=ctx["city_effective_copy"])
    d.add(1, "</parentPlan>")
    d.el(1, "catalogueRef", [("href", "../catalogue-county.xml")])
    n_after = sum(1 for a in agencies if counted(a.kind, a.disposition))
    d.el(1, "agencyCap", text=str(ctx["cap"] if ctx["cap"] is not None else n_after + 2))
    before_rows = []
    for a in agencies:
        if a.key not in NEW_AGENCIES:
            before_rows.append(("b-" + a.key, a.name, a.kind, a.before_admin, a.before_units))
    for key, nm, kind, posts, units in abolished:
        before_rows.append((key, nm, kind, posts, units))
    d.add(1, "<agenciesBefore>")
    for key, nm, kind, posts, units in before_rows:
        attrs = [("id", key), ("name", nm), ("kind", kind), ("rank", "正科级"),
                 ("disposition", "abolished" if not key.startswith("b-") else None),
                 ("adminPosts", posts), ("units", units)]
        d.add(2, "<agency%s>" % "".join(" %s=%s" % (k, quoteattr(str(v))) for k, v in attrs if v is not None))
        d.el(3, "levelPosts", [("rank", "股级"), ("count", units)])
        d.add(2, "</agency>")
    d.add(1, "</agenciesBefore>")
    d.add(1, "<agenciesAfter>")
    for a in agencies:
        attrs = [("id", a.key), ("name", ctx["entry_name"].get(a.key, a.name)), ("kind", a.kind),
                 ("rank", a.rank), ("disposition", a.disposition),
                 ("sanding", "sanding/%s.xml" % a.key)]
        if a.managed_by:
            attrs += [("managedBy", a.managed_by[0].key), ("relation", a.managed_by[1])]
        attrs += [("adminPosts", ctx["entry_posts"].get(a.key, a.admin_posts)), ("units", len(a.units))]
        d.add(2, "<agency%s>" % "".join(" %s=%s" % (k, quoteattr(str(v))) for k, v in attrs))
        for p in a.predecessors:
            d.el(3, "predecessor", [("ref", p if not p.startswith("b-") else p)])
        d.el(3, "leadershipTeam", [("head", 1), ("deputy", a.deputies)])
        d.el(3, "levelPosts", [("rank", "股级"), ("count", len(a.units))])
        d.add(2, "</agency>")
    d.add(1, "</agenciesAfter>")
    d.add(1, '<transfers count="%d" adminPosts="%d" agencies="%d">' % (
        len(m["transfers"]), sum(t["adminPosts"] for t in m["transfers"]),
        len({t["from"] for t in m["transfers"]} | {t["to"] for t in m["transfers"]})))
    for t in m["transfers"]:
        d.el(2, "transfer", [("id", t["id"]), ("code", t["code"]), ("name", t["name"]),
                             ("from", t["from"]), ("to", t["to"]), ("adminPosts", t["adminPosts"]),
                             ("leadershipPosts", t["leadershipPosts"]), ("staff", t["staff"])],
             "将%s的%s划入%s。" % (t["from_name"], t["name"], t["to_name"]))
    d.add(1, "</transfers>")
    d.add(1, '<coordinationBodies count="1">')
    d.el(2, "coordinationBody", [("name", "中共%s委全面深化改革委员会" % county), ("kind", "committee"),
                                 ("lead", "县委书记"), ("officeHost", "bgs"), ("disposition", "new"),
                                 ("ownPosts", ctx.get("cb_posts"))])
    d.add(1, "</coordinationBodies>")
    b_agencies = len(before_rows)
    b_posts = sum(r[3] for r in before_rows)
    b_units = sum(r[4] for r in before_rows)
    a_posts = sum(ctx["entry_posts"].get(a.key, a.admin_posts) for a in agencies)
    a_units = sum(len(a.units) for a in agencies)
    d.add(1, "<totals>")
    d.add(2, '<before agencies="%d" adminPosts="%d" units="%d">' % (b_agencies, b_posts, b_units))
    d.el(3, "levelTotal", [("rank", "股级"), ("count", b_units)])
    d.add(2, "</before>")
    d.add(2, '<after agencies="%d" adminPosts="%d" units="%d">' % (
        n_after + ctx["after_count_skew"], a_posts, a_units))
    d.el(3, "levelTotal", [("rank", "股级"), ("count", a_units)])
    d.add(2, "</after>")
    # A reduction is stated only where there is one (a plan whose 行政编制 grew states none).
    cut_posts = b_posts - a_posts
    d.add(2, '<reduction agencies="%d"%s units="%d">' % (
        b_agencies - n_after, ' adminPosts="%d"' % cut_posts if cut_posts >= 0 else "",
        b_units - a_units + ctx["reduction_skew"]))
    d.el(3, "levelTotal", [("rank", "股级"), ("count", b_units - a_units)])
    d.add(2, "</reduction>")
    d.add(1, "</totals>")
    d.add(0, "</reformPlan>")
    d.write(path)
    return a_posts, b_posts


def write_catalogue(path, title, juris, code, tier, applies, entries):
    d = Doc()
    d.add(0, '<catalogue xmlns="%s">' % NS)
    d.add(1, "<meta>")
    d.el(2, "title", text=title)
    d.el(2, "issuer", text="中共%s委机构编制委员会办公室" % juris)
    d.el(2, "approvalDate", text="2018-12-10")
    d.add(1, "</meta>")
    d.el(1, "jurisdiction", [("name", juris), ("code", code), ("tier", tier)])
    d.el(1, "appliesTo", [("tiers", applies)])
    for i, (nm, kind) in enumerate(entries):
        d.el(1, "agency", [("id", "e%02d" % (i + 1)), ("name", nm), ("kind", kind), ("mandatory", "true")])
    d.add(0, "</catalogue>")
    d.write(path)


def write_city_plan(path, city, code, ctx):
    """A city plan with its agency list only (no 三定): the parent of its counties' plans."""
    d = Doc()
    d.add(0, '<reformPlan xmlns="%s">' % NS)
    d.add(1, "<meta>")
    d.el(2, "title", text="%s机构改革方案" % city)
    d.el(2, "docNumber", text=ctx["city_plan_number"])
    d.el(2, "issuer", text="中共%s委" % ctx["province"])
    d.el(2, "issuer", text="%s人民政府" % ctx["province"])
    d.el(2, "approvalDate", text="2018-12-20")
    d.el(2, "effectiveDate", text=ctx["city_effective"])
    d.add(1, "</meta>")
    d.el(1, "jurisdiction", [("name", city), ("code", code), ("tier", "prefecture")])
    d.el(1, "catalogueRef", [("href", "../catalogue-province.xml")])
    rows = []
    for key, local, kind, entry, words in COUNTY_AGENCIES:
        nm = ("中共%s委%s" % (city, local[2:])) if local.startswith("县委") else city + local[1:]
        rows.append((key, nm, kind, 60))
    d.el(1, "agencyCap", text=str(len(rows) + 5))
    for section in ("agenciesBefore", "agenciesAfter"):
        d.add(1, "<%s>" % section)
        for key, nm, kind, posts in rows:
            attrs = [("id", ("b-" if section == "agenciesBefore" else "") + key), ("name", nm),
                     ("kind", kind), ("rank", "正县级"), ("disposition", "retained"),
                     ("adminPosts", posts), ("units", 6)]
            d.add(2, "<agency%s>" % "".join(" %s=%s" % (k, quoteattr(str(v))) for k, v in attrs))
            if section == "agenciesAfter":
                d.el(3, "predecessor", [("ref", "b-" + key)])
            d.el(3, "levelPosts", [("rank", "正科级"), ("count", 6)])
            d.add(2, "</agency>")
        d.add(1, "</%s>" % section)
    n = len(rows)
    d.add(1, "<totals>")
    for w in ("before", "after"):
        d.add(2, '<%s agencies="%d" adminPosts="%d" units="%d">' % (w, n, 60 * n, 6 * n))
        d.el(3, "levelTotal", [("rank", "正科级"), ("count", 6 * n)])
        d.add(2, "</%s>" % w)
    d.add(1, "</totals>")
    d.add(0, "</reformPlan>")
    d.write(path)


INJECTABLE = ["SD201", "SD202", "SD203", "SD204", "SD205", "SD206", "SD207", "SD208",
              "SD209", "SD210", "SD211", "SD212", "SD213", "SD106", "SD110", "SD112"]


def inject(rule, m, ctx, county):
    """Breaks one rule once in this county's model; returns the file (relative to the county
    folder) that the finding belongs to."""
    bk = m["by_key"]
    if rule == "SD201":
        ctx["cap"] = sum(1 for a in m["agencies"] if counted(a.kind, a.disposition)) - 1
        return "plan.xml"
    if rule == "SD202":
        a = bk["tjj"]
        a.name = a.name.replace("统计局", "统计调查局")
        a.local_reason = "统计调查职能因地制宜单设。"
        return "plan.xml"
    if rule == "SD203":
        bk["yjj"].counterpart = "应急管里局"
        return "sanding/yjj.xml"
    if rule == "SD204":
        t = m["transfers"][-1]
        dst = bk[t["to"]]
        t2 = dict(t)
        t2["adminPosts"] = t["adminPosts"] + 1
        dst.t_in = [t2 if x is t else x for x in dst.t_in]
        return "sanding/%s.xml" % t["to"]
    if rule == "SD205":
        a, b = bk["jyj"], bk["kgj"]
        b.functions[0] = (b.functions[0][0], a.functions[0][1], a.functions[0][2])
        return "sanding/kgj.xml"
    if rule == "SD206":
        # More 行政编制 after than before: one agency grows by more than all the cuts.
        bk["czj"].admin_posts += 1000
        return "plan.xml"
    if rule == "SD207":
        ctx["missing_sanding"] = "sjj"
        return "plan.xml"
    if rule == "SD208":
        ctx["cb_posts"] = 3
        return "plan.xml"
    if rule == "SD209":
        a = bk["scj"]
        a.divisions = [m["abolished"][0][1]]
        return "sanding/scj.xml"
    if rule == "SD210":
        # Earlier than the city's 2019-01-01, everything else in order (approvals before it,
        # 文号 years following the approvals); the copy in the county plan agrees with it.
        ctx["effective"] = "2018-12-31"
        ctx["approval"] = "2018-12-28"
        ctx["plan_approval"] = "2018-12-25"
        ctx["plan_number"] = ctx["plan_number"].replace("〔2019〕", "〔2018〕")
        return "plan.xml"
    if rule == "SD211":
        ctx["after_count_skew"] = 1
        return "plan.xml"
    if rule == "SD212":
        ctx["reduction_skew"] = 1
        return "plan.xml"
    if rule == "SD213":
        a = bk["czj"]
        ctx["entry_posts"][a.key] = a.admin_posts + 2
        # The 三定 must follow the approved plan: the finding is on the 三定, the plan entry
        # its related place.
        return "sanding/czj.xml"
    if rule == "SD106":
        a = bk["nyj"]
        a.deputies = 4
        a.admin_posts += 4
        return "sanding/nyj.xml"
    if rule == "SD110":
        bk["mzj"].doc_number_override = "%s委办发(%s)8号" % (county[0], ctx["approval"][:4])
        return "sanding/mzj.xml"
    if rule == "SD112":
        bk["tyj"].drop_closing = True
        return "sanding/tyj.xml"
    raise SystemExit("gen.py: cannot inject %s" % rule)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cities", type=int, default=2)
    ap.add_argument("--counties", type=int, default=5, help="counties per city")
    ap.add_argument("--inject", default="", help="comma-separated rule ids, or 'all'")
    ap.add_argument("--rate", type=float, default=0.2, help="share of counties given one violation")
    ap.add_argument("outdir")
    o = ap.parse_args()
    rng = random.Random(o.seed)
    rules = INJECTABLE if o.inject == "all" else [r for r in o.inject.split(",") if r]
    for r in rules:
        if r not in INJECTABLE:
            sys.exit("gen.py: unknown rule %s (can inject: %s)" % (r, " ".join(INJECTABLE)))
    taken = set()
    province, pcode = "示范省", "%d0000" % rng.choice([21, 22, 23, 36, 37, 41, 42, 43])
    catalogue_entries = [(e, k) for _, _, k, e, _ in COUNTY_AGENCIES]
    write_catalogue(os.path.join(o.outdir, "catalogue-province.xml"), "%s市级党政机构设置对应目录" % province,
                    province, pcode, "province", "prefecture", catalogue_entries)
    expected = []
    injections = 0
    for ci, city in enumerate(pick_names(rng, o.cities, CITY_SUFFIX, taken)):
        ccode = "%s%02d00" % (pcode[:2], ci + 1)
        cdir = os.path.join(o.outdir, "c%02d" % (ci + 1))
        cctx = {"province": province, "city_plan_number": "%s委〔2018〕%d号" % (province[0], 60 + ci),
                "city_effective": "2019-01-01"}
        write_city_plan(os.path.join(cdir, "plan.xml"), city, ccode, cctx)
        write_catalogue(os.path.join(cdir, "catalogue-county.xml"), "%s县级党政机构设置对应目录" % city,
                        city, ccode, "prefecture", "county", catalogue_entries)
        for ki, county in enumerate(pick_names(rng, o.counties, COUNTY_SUFFIX, taken)):
            kcode = "%s%02d" % (ccode[:4], 21 + ki)
            kdir = os.path.join(cdir, "k%02d" % (ki + 1))
            ctx = {"code_prefix": "K%s" % kcode, "serial": rng.randint(1, 40),
                   "approval": "2019-01-25", "effective": "2019-02-01",
                   "plan_approval": "2019-01-20", "plan_number": "%s委〔2019〕%d号" % (city[0], 5 + ki),
                   "city_plan_number": cctx["city_plan_number"], "city_effective_copy": "2019-01-01",
                   "cap": None, "entry_name": {}, "entry_posts": {}, "after_count_skew": 0,
                   "reduction_skew": 0}
            m = build_county(rng, county, kcode, city, ctx)
            rel = os.path.relpath(kdir, o.outdir)
            if rules and rng.random() < o.rate:
                rule = rules[injections % len(rules)]
                injections += 1
                where = inject(rule, m, ctx, county)
                expected.append({"file": os.path.join(rel, where), "rule": rule})
            for a in m["agencies"]:
                if ctx.get("missing_sanding") == a.key:
                    continue
                write_sanding(os.path.join(kdir, "sanding", "%s.xml" % a.key), a, county, kcode, ctx)
            write_county_plan(os.path.join(kdir, "plan.xml"), m, county, kcode, city, ctx)
    expected.sort(key=lambda e: (e["file"], e["rule"]))
    with open(os.path.join(o.outdir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": o.seed, "cities": o.cities, "counties": o.counties,
                   "findings": expected}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
