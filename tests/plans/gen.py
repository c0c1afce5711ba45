#!/usr/bin/env python3
"""gen.py — writes the plan fixtures of the SD2xx rules (tests/plans/county/)
and the documented examples (rules/examples/SD2xx-{fail,pass}.xml with their
support files in rules/examples/plan/).

Why generated: a plan's stated totals must equal its lists, so every broken
variant changes one fact and the totals follow, unless the variant is about a
total.  Deterministic: the same files every run.  Run from the repository
root:  python3 tests/plans/gen.py   (then `make check-unit` compares findings
with tests/plans/golden/, SDLINT_GOLDEN_UPDATE=1 rewrites them).

Fictional county (康平县) of a fictional reading of Shenyang's 2019 reform,
written to the vocabulary-2 outline of schemas/README.md.
"""
import copy
import os
import sys
from xml.sax.saxutils import escape, quoteattr

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
J = "康平县"

# ------------------------------------------------------------------ data

CATALOGUE = [
    # id, name, kind, mandatory, aliases, mayCombine(with, tiers), mayBePlate(on, tiers)
    ("c-bgs", "委办公室", "party-office", True, ["办公室"], [], []),
    ("c-zzb", "委组织部", "party-department", True, ["组织部"], [], []),
    ("c-bb", "机构编制委员会办公室", "department-managed", True, [], [], []),
    ("c-zfb", "人民政府办公室", "government-department", True, [], [], []),
    ("c-fgj", "发展和改革局", "government-department", True, ["发展改革局"], [], []),
    ("c-czj", "财政局", "government-department", True, [], [], []),
    ("c-zrzy", "自然资源局", "government-department", True, ["自然资源和规划局"], [], []),
    ("c-yjgl", "应急管理局", "government-department", True, [], [], []),
    ("c-wh", "文化和旅游局", "government-department", True, [], [], []),
    ("c-gd", "广播电视局", "government-department", True, [], [("c-wh", "county")], []),
    ("c-ty", "体育局", "government-department", True, [], [], [("c-wh", "county")]),
    ("c-tyjr", "退役军人事务局", "government-department", True, [], [], []),
    ("c-sw", "水务局", "government-department", True, ["水利局"], [], []),
    ("c-ybj", "医疗保障局", "government-department", True, [], [], []),
    ("c-scjg", "市场监督管理局", "government-department", True, [], [], []),
    ("c-sjj", "审计局", "government-department", True, [], [], []),
    ("c-tjj", "统计局", "government-department", False, [], [], []),
    ("c-zjj", "质量技术监督局", "government-department", False, [], [], []),
]

def ag(id, name, kind, admin, units, levels, **kw):
    d = dict(id=id, name=name, kind=kind, admin=admin, units=units, levels=levels)
    d.update(kw)
    return d

BEFORE = [
    ag("b-bgs", "中共康平县委办公室", "party-office", 30, 5, {"副科级": 5, "股级": 5}, disposition="retained"),
    ag("b-zzb", "中共康平县委组织部", "party-department", 25, 4, {"副科级": 4, "股级": 4}, disposition="retained"),
    ag("b-bb", "中共康平县委机构编制委员会办公室", "department-managed", 10, 2, {"股级": 2}, disposition="retained"),
    ag("b-zfb", "康平县人民政府办公室", "government-department", 28, 5, {"副科级": 5, "股级": 5}, disposition="co-located"),
    ag("b-fgj", "康平县发展和改革局", "government-department", 26, 4, {"副科级": 2, "股级": 4}, disposition="optimized"),
    ag("b-czj", "康平县财政局", "government-department", 30, 5, {"副科级": 3, "股级": 5}, disposition="optimized"),
    ag("b-gtj", "康平县国土资源局", "government-department", 20, 4, {"副科级": 2, "股级": 4}, disposition="abolished"),
    ag("b-ajj", "康平县安全生产监督管理局", "government-department", 15, 3, {"副科级": 1, "股级": 3}, disposition="abolished"),
    ag("b-wgj", "康平县文化广播电视局", "government-department", 18, 3, {"副科级": 2, "股级": 3}, disposition="reorganized"),
    ag("b-tyj", "康平县体育局", "government-department", 8, 2, {"股级": 2}, disposition="abolished"),
    ag("b-slj", "康平县水利局", "government-department", 22, 3, {"副科级": 2, "股级": 3}, disposition="retained"),
    ag("b-gsj", "康平县工商行政管理局", "government-department", 30, 4, {"副科级": 3, "股级": 4}, disposition="abolished"),
    ag("b-zjj", "康平县质量技术监督局", "government-department", 15, 3, {"副科级": 1, "股级": 3}, disposition="abolished"),
    ag("b-sjj", "康平县审计局", "government-department", 14, 3, {"副科级": 1, "股级": 3}, disposition="retained"),
    ag("b-ghj", "康平县规划局", "government-department", 12, 2, {"副科级": 1, "股级": 2}, disposition="abolished"),
]

AFTER = [
    ag("a-bgs", "中共康平县委办公室", "party-office", 32, 5, {"副科级": 5, "股级": 5}, rank="正科级",
       disposition="retained", sanding="bgs", pred=["b-bgs", "b-zfb"], counterparts=["委办公室"],
       team=(1, 3), coLocatedWith=["a-zfb"]),
    ag("a-zfb", "康平县人民政府办公室", "government-department", None, None, {}, rank="正科级",
       disposition="co-located", host="a-bgs", counterparts=["人民政府办公室"]),
    ag("a-zzb", "中共康平县委组织部", "party-department", 25, 4, {"副科级": 4, "股级": 4}, rank="正科级",
       disposition="retained", pred=["b-zzb"]),
    ag("a-bb", "中共康平县委机构编制委员会办公室", "department-managed", 10, 2, {"股级": 2}, rank="正科级",
       disposition="retained", pred=["b-bb"], managedBy="a-zzb", relation="centralized"),
    ag("a-fgj", "康平县发展和改革局", "government-department", 24, 4, {"副科级": 2, "股级": 4}, rank="正科级",
       disposition="optimized", pred=["b-fgj"], plates=["康平县营商环境建设局"]),
    ag("a-ysj", "康平县营商环境建设局", "government-department", None, None, {}, rank="正科级",
       disposition="plate", host="a-fgj", localReason="优化营商环境，在县发展和改革局加挂牌子。"),
    ag("a-czj", "康平县财政局", "government-department", 28, 5, {"副科级": 3, "股级": 5}, rank="正科级",
       disposition="optimized", sanding="czj", pred=["b-czj"], counterparts=["财政局"], team=(1, 2)),
    ag("a-zrzy", "康平县自然资源局", "government-department", 32, 5, {"副科级": 3, "股级": 5}, rank="正科级",
       disposition="new", sanding="zrzy", pred=["b-gtj", "b-ghj"], counterparts=["自然资源局"], team=(1, 3)),
    ag("a-yjgl", "康平县应急管理局", "government-department", 16, 3, {"副科级": 1, "股级": 3}, rank="正科级",
       disposition="new", sanding="yjgl", pred=["b-ajj"], counterparts=["应急管理局"], team=(1, 2)),
    ag("a-wlj", "康平县文化旅游和广播电视局", "government-department", 22, 4, {"副科级": 2, "股级": 4}, rank="正科级",
       disposition="new", sanding="wlj", pred=["b-wgj", "b-tyj"], counterparts=["文化和旅游局", "广播电视局"],
       plates=["康平县体育局"], team=(1, 2)),
    ag("a-tyjr", "康平县退役军人事务局", "government-department", 8, 2, {"股级": 2}, rank="正科级",
       disposition="new"),
    ag("a-sw", "康平县水利局", "government-department", 20, 3, {"副科级": 2, "股级": 3}, rank="正科级",
       disposition="retained", pred=["b-slj"]),
    ag("a-ybj", "康平县医疗保障局", "government-department", 8, 2, {"股级": 2}, rank="正科级",
       disposition="new"),
    ag("a-scjg", "康平县市场监督管理局", "government-department", 46, 6, {"副科级": 4, "股级": 6}, rank="正科级",
       disposition="reorganized", sanding="scjg", pred=["b-gsj", "b-zjj"], counterparts=["市场监督管理局"],
       team=(1, 3)),
    ag("a-sjj", "康平县审计局", "government-department", 14, 3, {"副科级": 1, "股级": 3}, rank="正科级",
       disposition="retained", pred=["b-sjj"]),
]

TRANSFERS = [
    # id, code, name, from, to, admin, lead, staff
    ("t1", "KP-GT-01", "国土资源管理", "b-gtj", "a-zrzy", 20, 2, 19),
    ("t2", "KP-GH-01", "城乡规划管理", "b-ghj", "a-zrzy", 10, 1, 10),
    ("t3", "KP-AJ-01", "安全生产监督管理", "b-ajj", "a-yjgl", 14, 1, 14),
    ("t4", "KP-GS-01", "工商行政管理", "b-gsj", "a-scjg", 28, 3, 27),
    ("t5", "KP-ZJ-01", "质量技术监督", "b-zjj", "a-scjg", 14, 1, 13),
    ("t6", "KP-JG-01", "价格监督检查", "a-fgj", "a-scjg", 2, 0, 2),
    ("t7", "KP-SL-03", "水旱灾害防治", "a-sw", "a-yjgl", 2, 0, 2),
    ("t8", "KP-CZ-09", "国有土地出让收支管理", "a-czj", "a-zrzy", 2, 0, 2),
]

COORD = [
    dict(name="中共康平县委全面深化改革委员会", kind="committee", lead="县委书记", officeHost="a-bgs",
         disposition="reorganized"),
    dict(name="康平县安全生产委员会", kind="committee", lead="县长", officeHost="a-yjgl", disposition="reorganized"),
    dict(name="康平县第四次全国经济普查领导小组", kind="leading-group", lead="副县长", officeHost="a-fgj",
         disposition="new", temporary="true", endDate="2020-12-31"),
]

BOILER = "负责本部门、本系统安全生产和消防安全工作。"
CLOSING = "完成县委、县政府交办的其他任务。"

# Each 三定: units (name, category, rank, posts, [(rank, role, count)]), functions (name, code, text)
SANDINGS = {
    "bgs": dict(
        functions=[("文电会务", "KP-BG-01", "负责县委文电处理、会议组织和督促检查工作。"),
                   ("信息综合", "KP-BG-02", "负责县委信息综合和调查研究工作。")],
        coLocated=["康平县人民政府办公室"],
        counterparts=["委办公室"],
        units=[("秘书股", "comprehensive", "股级", 6, [("副科级", "head", 1)]),
               ("督查股", "business", "股级", 5, [("副科级", "head", 1)]),
               ("信息股", "business", "股级", 5, [("副科级", "head", 1)]),
               ("政务股", "business", "股级", 5, [("副科级", "head", 1)]),
               ("综合股", "business", "股级", 5, [("副科级", "head", 1)])],
        extra_levels={"股级": 5},
        divisions=[("与县人民政府办公室的职责分工", ["康平县人民政府办公室"], "合署办公，分别履行职责。")],
    ),
    "czj": dict(
        functions=[("预算管理", "KP-CZ-01", "负责编制县级预决算草案并组织执行。"),
                   ("国库管理", "KP-CZ-02", "负责国库集中收付和政府采购监督管理。")],
        counterparts=["财政局"],
        out=[("KP-CZ-09", "国有土地出让收支管理", "a-zrzy", "康平县自然资源局", 2, 0, 2)],
        units=[("办公室", "comprehensive", "股级", 5, [("副科级", "head", 1)]),
               ("预算股", "business", "股级", 5, [("副科级", "head", 1)]),
               ("国库股", "business", "股级", 5, [("副科级", "head", 1)]),
               ("综合股", "business", "股级", 4, []),
               ("监督股", "business", "股级", 4, [])],
        extra_levels={"股级": 5},
        divisions=[("与县自然资源局的职责分工", ["县自然资源局"], "国有土地出让收支由县自然资源局核算，县财政局监督。")],
    ),
    "zrzy": dict(
        functions=[("自然资源调查", "KP-ZR-01", "负责全县自然资源调查监测评价和统一确权登记。"),
                   ("国土空间规划", "KP-ZR-02", "负责建立全县国土空间规划体系并监督实施。"),
                   ("国有土地出让收支管理", "KP-CZ-09", "负责国有土地出让收支的核算管理。")],
        counterparts=["自然资源局"],
        into=[("KP-GT-01", "国土资源管理", "b-gtj", "康平县国土资源局", 20, 2, 19),
              ("KP-GH-01", "城乡规划管理", "b-ghj", "康平县规划局", 10, 1, 10),
              ("KP-CZ-09", "国有土地出让收支管理", "a-czj", "康平县财政局", 2, 0, 2)],
        units=[("办公室", "comprehensive", "股级", 6, [("副科级", "head", 1)]),
               ("调查股", "business", "股级", 6, [("副科级", "head", 1)]),
               ("规划股", "business", "股级", 6, [("副科级", "head", 1)]),
               ("确权股", "business", "股级", 5, []),
               ("执法股", "business", "股级", 5, [])],
        extra_levels={"股级": 5},
        divisions=[("与沈阳市自然资源局的关系", ["沈阳市自然资源局"], "业务上接受市自然资源局指导。"),
                   ("与县财政局的职责分工", ["康平县财政局"], "国有土地出让收支由县财政局监督。")],
    ),
    "yjgl": dict(
        functions=[("安全生产综合监管", "KP-YJ-01", "负责全县安全生产综合监督管理和工矿商贸行业安全生产监督管理。"),
                   ("应急救援", "KP-YJ-02", "负责组织编制全县总体应急预案，统筹应急救援力量建设。")],
        counterparts=["应急管理局"],
        into=[("KP-AJ-01", "安全生产监督管理", "b-ajj", "康平县安全生产监督管理局", 14, 1, 14),
              ("KP-SL-03", "水旱灾害防治", "a-sw", "康平县水利局", 2, 0, 2)],
        units=[("办公室", "comprehensive", "股级", 5, [("副科级", "head", 1)]),
               ("监管股", "business", "股级", 5, []),
               ("救援股", "business", "股级", 4, [])],
        extra_levels={"股级": 3},
        divisions=[("与县水利局的职责分工", ["康平县水利局"], "县水利局承担水情旱情监测预警。"),
                   ("与县安全生产委员会的关系", ["康平县安全生产委员会"], "承担县安全生产委员会的日常工作。")],
    ),
    "wlj": dict(
        functions=[("文化和旅游", "KP-WL-01", "负责全县文化和旅游事业、产业发展。"),
                   ("广播电视", "KP-WL-02", "负责全县广播电视管理。"),
                   ("体育", "KP-WL-03", "负责全县群众体育和竞技体育工作。")],
        counterparts=["文化和旅游局", "广播电视局"],
        plates=["康平县体育局"],
        units=[("办公室", "comprehensive", "股级", 5, [("副科级", "head", 1)]),
               ("文化股", "business", "股级", 5, [("副科级", "head", 1)]),
               ("广电股", "business", "股级", 4, []),
               ("体育股", "business", "股级", 4, [])],
        extra_levels={"股级": 4},
        divisions=[],
    ),
    "scjg": dict(
        functions=[("市场主体登记", "KP-SC-01", "负责全县市场主体统一登记注册。"),
                   ("质量监督", "KP-SC-02", "负责全县产品质量安全监督管理。"),
                   ("价格监督检查", "KP-JG-01", "负责全县价格监督检查和反不正当竞争。")],
        counterparts=["市场监督管理局"],
        into=[("KP-GS-01", "工商行政管理", "b-gsj", "康平县工商行政管理局", 28, 3, 27),
              ("KP-ZJ-01", "质量技术监督", "b-zjj", "康平县质量技术监督局", 14, 1, 13),
              ("KP-JG-01", "价格监督检查", "a-fgj", "康平县发展和改革局", 2, 0, 2)],
        units=[("办公室", "comprehensive", "股级", 6, [("副科级", "head", 1)]),
               ("登记股", "business", "股级", 8, [("副科级", "head", 1)]),
               ("质量股", "business", "股级", 8, [("副科级", "head", 1)]),
               ("价格股", "business", "股级", 6, [("副科级", "head", 1)]),
               ("执法股", "business", "股级", 8, []),
               ("食品股", "business", "股级", 6, [])],
        extra_levels={"股级": 6},
        divisions=[("与县发展和改革局的职责分工", ["县发展和改革局"], "价格监督检查由县市场监督管理局承担。")],
    ),
}

# ------------------------------------------------------------------ writing

def a(**kw):
    return "".join(" %s=%s" % (k, quoteattr(str(v))) for k, v in kw.items() if v is not None)

COMMENT = "<!-- 测试用虚构方案，不是正式文件。Fictional test plan, not an official text. -->"

def plan_xml(p):
    o = _plan_xml(p)
    if p.get("note"):
        o = o.replace("<!-- sdlint:example -->\n", "<!-- sdlint:example -->\n" +
                      "".join("  <!-- %s -->\n" % line for line in p["note"]), 1)
    return o

def _plan_xml(p):
    o = ['<?xml version="1.0" encoding="UTF-8"?>', COMMENT]
    if p.get("comment"):
        o.append("<!-- %s -->" % p["comment"])
    o.append('<reformPlan xmlns="urn:sdlint:schema:1">')
    if p.get("mark") == "meta":
        o.append("  <!-- sdlint:example -->")
    o.append("  <meta>\n    <title>康平县机构改革方案</title>\n    <docNumber>沈委〔2019〕3号</docNumber>\n"
             "    <issuer>中共沈阳市委</issuer>\n    <approvalDate>2019-01-20</approvalDate>\n"
             "    <effectiveDate>%s</effectiveDate>\n  </meta>" % p["effective"])
    o.append('  <jurisdiction name="康平县" code="210123" tier="%s"/>' % p["tier"])
    if p.get("parent") is not None:
        pp = p["parent"]
        o.append("  <parentPlan%s>\n    <title>沈阳市机构改革方案</title>\n    <docNumber>辽委〔2018〕78号</docNumber>\n"
                 "    <effectiveDate>%s</effectiveDate>\n  </parentPlan>" % (a(href=pp.get("href")), pp["date"]))
    if p.get("mark") == "meta":
        o.append("  <!-- /sdlint:example -->")
    o.append('  <catalogueRef href="%s"/>' % p["catalogue"])
    mark = p.get("mark", "")
    if mark == "cap":
        o.append("  <!-- sdlint:example -->")
    o.append("  <agencyCap>%d</agencyCap>" % p["cap"])
    if p.get("admincap") is not None:
        o.append("  <adminPostsCap>%d</adminPostsCap>" % p["admincap"])
    if mark == "cap":
        o.append("  <!-- /sdlint:example -->")
    o.append("  <agenciesBefore>")
    for g in p["before"]:
        lv = g["levels"]
        attrs = a(id=g["id"], name=g["name"], kind=g["kind"], disposition=g.get("disposition"),
                  adminPosts=g["admin"], units=g["units"])
        if lv:
            o.append("    <agency%s>" % attrs)
            for r, n in lv.items():
                o.append('      <levelPosts rank="%s" count="%d"/>' % (r, n))
            o.append("    </agency>")
        else:
            o.append("    <agency%s/>" % attrs)
    o.append("  </agenciesBefore>")
    if mark == "after":
        o.append("  <!-- sdlint:example -->")
    o.append("  <agenciesAfter>")
    for g in p["after"]:
        if mark == "agency:" + g["id"]:
            o.append("    <!-- sdlint:example -->")
        attrs = a(id=g["id"], name=g["name"], kind=g["kind"], rank=g.get("rank"), disposition=g.get("disposition"),
                  sanding=("%s/%s.xml" % (g.get("sanding_dir", "sanding"), g["sanding"])) if g.get("sanding") else None,
                  host=g.get("host"), managedBy=g.get("managedBy"), relation=g.get("relation"),
                  adminPosts=g["admin"], units=g["units"])
        kids = []
        for r in g.get("pred", []):
            kids.append('<predecessor ref="%s"/>' % r)
        for cp in g.get("counterparts", []):
            kids.append("<counterpart%s/>" % a(name=cp))
        if g.get("localReason"):
            kids.append("<localReason>%s</localReason>" % escape(g["localReason"]))
        for pl in g.get("plates", []):
            kids.append("<plate%s/>" % a(name=pl))
        for cl in g.get("coLocatedWith", []):
            kids.append('<coLocatedWith ref="%s"/>' % cl)
        if g.get("team"):
            kids.append('<leadershipTeam head="%d" deputy="%d"/>' % g["team"])
        for r, n in g["levels"].items():
            kids.append('<levelPosts rank="%s" count="%d"/>' % (r, n))
        if kids:
            o.append("    <agency%s>" % attrs)
            o.extend("      " + k for k in kids)
            o.append("    </agency>")
        else:
            o.append("    <agency%s/>" % attrs)
        if mark == "agency:" + g["id"]:
            o.append("    <!-- /sdlint:example -->")
    o.append("  </agenciesAfter>")
    if mark == "after":
        o.append("  <!-- /sdlint:example -->")
    if p.get("transfers") is not None:
        ts = p["transfers"]
        st = p.get("transfer_totals") or dict(
            count=len(ts), adminPosts=sum(t[5] for t in ts),
            agencies=len({x for t in ts for x in (t[3], t[4])}))
        if mark == "transfers":
            o.append("  <!-- sdlint:example -->")
        o.append("  <transfers%s>" % a(**st))
        for t in ts:
            o.append('    <transfer%s>%s职责划入%s。</transfer>' % (
                a(id=t[0], code=t[1], name=t[2], **{"from": t[3]}, to=t[4], adminPosts=t[5],
                  leadershipPosts=t[6], staff=t[7]), escape(t[2]), escape(name_of(p, t[4]))))
        o.append("  </transfers>")
        if mark == "transfers":
            o.append("  <!-- /sdlint:example -->")
    if mark == "coord":
        o.append("  <!-- sdlint:example -->")
    cbs = p["coord"]
    o.append("  <coordinationBodies%s>" % a(count=p.get("coord_count", len(cbs))))
    for cb in cbs:
        o.append("    <coordinationBody%s/>" % a(**cb))
    o.append("  </coordinationBodies>")
    if mark == "coord":
        o.append("  <!-- /sdlint:example -->")
    o.append(totals_xml(p, mark == "totals"))
    o.append("</reformPlan>")
    return "\n".join(o) + "\n"

def name_of(p, id):
    for g in p["after"] + p["before"]:
        if g["id"] == id:
            return g["name"]
    return id

def counted(g):
    return g["kind"] in ("party-department", "party-office", "government-department", "constituent-department",
                         "special-affiliated", "directly-affiliated", "department-managed") and \
        g.get("disposition") not in ("plate", "co-located")

def sums(lst):
    lv = {}
    for g in lst:
        for r, n in g["levels"].items():
            lv[r] = lv.get(r, 0) + n
    return dict(agencies=sum(1 for g in lst if counted(g)), adminPosts=sum(g["admin"] or 0 for g in lst),
                units=sum(g["units"] or 0 for g in lst), levels=lv)

def totals_xml(p, marked):
    b, f = sums(p["before"]), sums(p["after"])
    b.update(p.get("tot_before", {}))
    f.update(p.get("tot_after", {}))
    red = dict(agencies=b["agencies"] - f["agencies"], adminPosts=b["adminPosts"] - f["adminPosts"],
               units=b["units"] - f["units"],
               levels={r: b["levels"].get(r, 0) - f["levels"].get(r, 0) for r in b["levels"]})
    red.update(p.get("tot_reduction", {}))
    o = []
    if marked:
        o.append("  <!-- sdlint:example -->")
    o.append("  <totals>")
    for tag, t in (("before", b), ("after", f), ("reduction", red)):
        attrs = a(agencies=t["agencies"], adminPosts=t["adminPosts"], units=t["units"])
        o.append("    <%s%s>" % (tag, attrs))
        for r, n in t["levels"].items():
            if n is not None:
                o.append('      <levelTotal rank="%s" count="%d"/>' % (r, n))
        o.append("    </%s>" % tag)
    o.append("  </totals>")
    if marked:
        o.append("  <!-- /sdlint:example -->")
    return "\n".join(o)

def sanding_xml(key, s, g):
    o = ['<?xml version="1.0" encoding="UTF-8"?>', COMMENT, '<sanding xmlns="urn:sdlint:schema:1">']
    name = s.get("name", g["name"])
    o.append("  <meta>\n    <title>%s职能配置、内设机构和人员编制规定</title>\n    <docNumber>康委办发〔2019〕%d号</docNumber>\n"
             "    <issuer>中共康平县委办公室</issuer>\n    <approvalDate>2019-01-25</approvalDate>\n"
             "    <effectiveDate>2019-02-01</effectiveDate>\n  </meta>" % (escape(name), 10 + sorted(SANDINGS).index(key)))
    o.append("  <legalBasis>\n    <title>康平县机构改革方案</title>\n    <docNumber>沈委〔2019〕3号</docNumber>\n  </legalBasis>")
    o.append('  <jurisdiction name="康平县" code="210123" tier="county"/>')
    mark = s.get("mark")
    if mark == "agency":
        o.append("  <!-- sdlint:example -->")
    o.append("  <agency%s>" % a(name=name, kind=s.get("kind", g["kind"]), rank=s.get("rank", g["rank"])))
    for pl in s.get("plates", []):
        o.append("    <plate%s/>" % a(name=pl))
    for cl in s.get("coLocated", []):
        o.append("    <coLocatedWith%s/>" % a(name=cl))
    for cp in s.get("counterparts", []):
        o.append("    <counterpart%s/>" % a(name=cp))
    o.append("  </agency>")
    if mark == "agency":
        o.append("  <!-- /sdlint:example -->")
    if mark == "functions":
        o.append("  <!-- sdlint:example -->")
    o.append("  <functions>")
    fns = list(s["functions"]) + [("安全生产", None, BOILER), ("交办任务", None, CLOSING)]
    for i, (n, code, t) in enumerate(fns, 1):
        o.append("    <function%s>%s</function>" % (a(number=i, name=n, code=code), escape(t)))
    o.append("  </functions>")
    if mark == "functions":
        o.append("  <!-- /sdlint:example -->")
    if s.get("into") or s.get("out"):
        if mark == "transfers":
            o.append("  <!-- sdlint:example -->")
        o.append("  <transfers>")
        for code, n, ref, other, ap, lp, sf in s.get("into", []):
            o.append("    <transferIn%s>%s职责划入。</transferIn>" % (
                a(name=n, code=code, **{"from": other}, fromRef=ref, adminPosts=ap, leadershipPosts=lp, staff=sf),
                escape(n)))
        for code, n, ref, other, ap, lp, sf in s.get("out", []):
            o.append("    <transferOut%s>%s职责划出。</transferOut>" % (
                a(name=n, code=code, to=other, toRef=ref, adminPosts=ap, leadershipPosts=lp, staff=sf), escape(n)))
        o.append("  </transfers>")
        if mark == "transfers":
            o.append("  <!-- /sdlint:example -->")
    units = s["units"]
    o.append('  <internalUnits count="%d">' % len(units))
    for un, cat, rank, posts, posts_l in units:
        o.append("    <unit%s>" % a(name=un, category=cat, rank=rank, posts=posts))
        o.append("      <duties>承担%s的工作。</duties>" % escape(un))
        o.append("      <leadership>")
        for r, role, n in posts_l + [("股级", "head", 1)]:
            o.append('        <post rank="%s" role="%s" count="%d"/>' % (r, role, n))
        o.append("      </leadership>")
        o.append("    </unit>")
    o.append("  </internalUnits>")
    if mark == "staffing":
        o.append("  <!-- sdlint:example -->")
    o.append("  <staffing>")
    o.append('    <allocation type="administrative" posts="%d"/>' % s.get("admin", g["admin"]))
    team = s.get("team", g.get("team", (1, 2)))
    o.append('    <leadershipTeam head="%d" deputy="%d"/>' % team)
    o.append("    <unitLeadership>")
    for r, n in s.get("levels", g["levels"]).items():
        o.append('      <level rank="%s" count="%d"/>' % (r, n))
    o.append("    </unitLeadership>")
    o.append("  </staffing>")
    if mark == "staffing":
        o.append("  <!-- /sdlint:example -->")
    if s.get("divisions"):
        if mark == "divisions":
            o.append("  <!-- sdlint:example -->")
        o.append("  <divisions>")
        for dn, rel, t in s["divisions"]:
            o.append("    <division%s>" % a(name=dn))
            for r in rel:
                if isinstance(r, tuple):
                    o.append("      <relatedAgency%s/>" % a(name=r[0], ref=r[1]))
                else:
                    o.append("      <relatedAgency%s/>" % a(name=r))
            o.append("      <text>%s</text>" % escape(t))
            o.append("    </division>")
        o.append("  </divisions>")
        if mark == "divisions":
            o.append("  <!-- /sdlint:example -->")
    o.append("  <supplementary>\n    <effectiveClause>本规定自2019年2月1日起施行。</effectiveClause>\n  </supplementary>")
    o.append("</sanding>")
    return "\n".join(o) + "\n"

def catalogue_xml(entries, name="沈阳市"):
    o = ['<?xml version="1.0" encoding="UTF-8"?>', COMMENT, '<catalogue xmlns="urn:sdlint:schema:1">',
         "  <meta>\n    <title>沈阳市县级党政机构设置对应目录</title>\n    <issuer>中共沈阳市委机构编制委员会办公室</issuer>\n"
         "    <approvalDate>2018-12-30</approvalDate>\n  </meta>",
         '  <jurisdiction name="%s" code="210100" tier="sub-provincial"/>' % name,
         '  <appliesTo tiers="county"/>']
    for id, n, kind, mand, aliases, comb, plate in entries:
        kids = ["<alias%s/>" % a(name=x) for x in aliases]
        kids += ['<mayCombine with="%s" tiers="%s"/>' % x for x in comb]
        kids += ['<mayBePlate on="%s" tiers="%s"/>' % x for x in plate]
        attrs = a(id=id, name=n, kind=kind, mandatory="true" if mand else None)
        if kids:
            o.append("  <agency%s>" % attrs)
            o.extend("    " + k for k in kids)
            o.append("  </agency>")
        else:
            o.append("  <agency%s/>" % attrs)
    o.append("</catalogue>")
    return "\n".join(o) + "\n"

def city_plan_xml():
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>', COMMENT,
        "<!-- 上级（市级）方案的节选：只列出县级方案和三定规定用到的部分。 -->",
        '<reformPlan xmlns="urn:sdlint:schema:1">',
        "  <meta>\n    <title>沈阳市机构改革方案</title>\n    <docNumber>辽委〔2018〕78号</docNumber>\n"
        "    <issuer>中共辽宁省委</issuer>\n    <approvalDate>2018-12-20</approvalDate>\n"
        "    <effectiveDate>2019-01-01</effectiveDate>\n  </meta>",
        '  <jurisdiction name="沈阳市" code="210100" tier="sub-provincial"/>',
        "  <agencyCap>53</agencyCap>",
        "  <agenciesBefore>",
        '    <agency id="b-ghgt" name="沈阳市规划和国土资源局" kind="government-department" disposition="abolished" adminPosts="78"/>',
        "  </agenciesBefore>",
        "  <agenciesAfter>",
        '    <agency id="a-zrzy" name="沈阳市自然资源局" kind="government-department" rank="正局级" disposition="new" adminPosts="80">',
        '      <predecessor ref="b-ghgt"/>',
        "    </agency>",
        "  </agenciesAfter>",
        "  <totals>",
        '    <before agencies="1" adminPosts="78"/>',
        '    <after agencies="1" adminPosts="80"/>',
        "  </totals>",
        "</reformPlan>", ""])

def base_plan():
    return dict(effective="2019-02-01", tier="county", parent=dict(href="city-plan.xml", date="2019-01-01"),
                catalogue="catalogue.xml", cap=14, admincap=320, before=copy.deepcopy(BEFORE),
                after=copy.deepcopy(AFTER), transfers=list(TRANSFERS), coord=copy.deepcopy(COORD))

def find(p, id):
    for g in p["after"] + p["before"]:
        if g["id"] == id:
            return g
    raise KeyError(id)

# ------------------------------------------------------------------ variants
# Each: name -> (description, function(plan, sandings) mutating them).  A
# variant that changes a 三定 gets its own copy under sanding-NAME/.

def v(desc):
    def deco(f):
        VARIANTS.append((f.__name__.replace("_", "-").replace("SD", "SD", 1), desc, f))
        return f
    return deco

VARIANTS = []

@v("计入限额的机构13个，限额写成12个")
def SD201_cap(p, s):
    p["cap"] = 12
    p["mark"] = "cap"

@v("行政编制总额写成250名，改革后合计285名")
def SD201_adminposts(p, s):
    p["admincap"] = 250
    p["mark"] = "cap"

@v("必设的退役军人事务局没有对应：名称写成退伍军人服务局，也没有写明上级对应机构")
def SD202_missing(p, s):
    find(p, "a-tyjr")["name"] = "康平县退伍军人服务局"
    p["mark"] = "agency:a-tyjr"

@v("目录只允许地级市合并设置广播电视局、加挂体育局牌子，县级不允许；文旅局只写明对应文化和旅游局")
def SD202_tiers(p, s):
    p["catalogue"] = "catalogue-prefecture-only.xml"
    find(p, "a-wlj")["counterparts"] = ["文化和旅游局"]
    s["wlj"]["counterparts"] = ["文化和旅游局"]
    p["mark"] = "agency:a-wlj"

@v("通过：文旅局只写明对应文化和旅游局，目录允许县级合并设置广播电视局、加挂体育局牌子")
def pass_combine(p, s):
    find(p, "a-wlj")["counterparts"] = ["文化和旅游局"]
    s["wlj"]["counterparts"] = ["文化和旅游局"]
    p["mark"] = "agency:a-wlj"

@v("体育局的牌子挂在审计局上，而目录只允许挂在对应文化和旅游局的机构上")
def SD202_plate_host(p, s):
    find(p, "a-wlj")["plates"] = []
    s["wlj"]["plates"] = []
    find(p, "a-sjj")["plates"] = ["康平县体育局"]
    p["mark"] = "agency:a-sjj"

@v("没有加挂体育局牌子：目录的加挂许可本身不算对应")
def SD202_no_plate(p, s):
    find(p, "a-wlj")["plates"] = []
    s["wlj"]["plates"] = []
    p["mark"] = "agency:a-wlj"

@v("方案条目写明的上级对应机构“自然资源和规划厅”不在目录中（目录有别名“自然资源和规划局”）")
def SD203_plan(p, s):
    find(p, "a-zrzy")["counterparts"] = ["自然资源和规划厅"]
    p["mark"] = "agency:a-zrzy"

@v("三定规定写明的上级对应机构“应急管理厅”不在目录中；另一个“县长办公会”没有相近的名称")
def SD203_sanding(p, s):
    s["yjgl"]["counterparts"] = ["应急管理厅", "县长办公会"]
    s["yjgl"]["mark"] = "agency"

@v("三定规定写明的上级对应机构“市场监督管理厅”（以“市”开头的名称不当作简称“市”）")
def SD203_market(p, s):
    s["scjg"]["counterparts"] = ["市场监督管理厅"]
    s["scjg"]["mark"] = "agency"

@v("职责划转清单写明的项数、编制数和涉及机构数与所列不符")
def SD204_totals(p, s):
    p["transfer_totals"] = dict(count=9, adminPosts=100, agencies=12)
    p["mark"] = "transfers"

@v("应急管理局的三定规定写转入安全生产监督管理行政编制12名，方案清单写14名")
def SD204_plan_vs_sanding(p, s):
    s["yjgl"]["into"][0] = ("KP-AJ-01", "安全生产监督管理", "b-ajj", "康平县安全生产监督管理局", 12, 1, 14)
    s["yjgl"]["mark"] = "transfers"

@v("应急管理局的三定规定写转入水旱灾害防治领导职数1名、人员3名，方案清单写0名、2名（编制数一致）")
def SD204_posts_and_staff(p, s):
    s["yjgl"]["into"][1] = ("KP-SL-03", "水旱灾害防治", "a-sw", "康平县水利局", 2, 1, 3)
    s["yjgl"]["mark"] = "transfers"

@v("方案没有划转清单；财政局的三定规定写转出2名，自然资源局的三定规定写转入3名")
def SD204_pair(p, s):
    p["transfers"] = None
    s["zrzy"]["into"][2] = ("KP-CZ-09", "国有土地出让收支管理", "a-czj", "康平县财政局", 3, 0, 2)
    s["zrzy"]["mark"] = "transfers"

@v("方案没有划转清单；财政局的三定规定写了转出，自然资源局的三定规定没有对应的转入")
def SD204_missing_in(p, s):
    p["transfers"] = None
    del s["zrzy"]["into"][2]
    s["zrzy"]["mark"] = "transfers"

@v("三定规定写明的划转（财政局→自然资源局）不在方案的划转清单中")
def SD204_not_listed(p, s):
    p["transfers"] = [t for t in TRANSFERS if t[0] != "t8"]
    p["mark"] = "transfers"

@v("改革后仍存在的财政局在划转清单中写成改革前的标识 b-czj；转入机构写成改革前的 b-slj")
def SD204_wrong_list(p, s):
    p["transfers"] = [t if t[0] != "t8" else t[:3] + ("b-czj",) + t[4:] for t in TRANSFERS]
    p["transfers"].append(("t9", "KP-FG-05", "农田水利规划", "a-fgj", "b-slj", 1, 0, 1))
    p["mark"] = "transfers"

@v("划转清单中的转出机构标识 b-gtj 写成 b-gtjx")
def SD204_unknown_id(p, s):
    p["transfers"] = [t if t[0] != "t1" else t[:3] + ("b-gtjx",) + t[4:] for t in TRANSFERS]
    p["transfer_totals"] = dict(count=8, adminPosts=92, agencies=11)
    p["mark"] = "transfers"

@v("财政局已把国有土地出让收支管理（KP-CZ-09）划出，三定规定仍列为本机构职能")
def SD205_code(p, s):
    s["czj"]["functions"] = s["czj"]["functions"] + [("国有土地出让收支", "KP-CZ-09", "负责国有土地出让收支管理。")]
    s["czj"]["mark"] = "functions"

@v("市场监督管理局的一项职能与应急管理局的相同（全角字符、空白和句末标点不同）")
def SD205_text(p, s):
    s["scjg"]["functions"] = s["scjg"]["functions"] + [
        ("安全监管", None, "负责全县安全生产综合监督管理和工矿商贸行业安全生产监督管理 ；")]
    s["scjg"]["mark"] = "functions"

@v("改革后行政编制合计多于改革前")
def SD206_grow(p, s):
    find(p, "a-tyjr")["admin"] = 48
    p["admincap"] = None
    p["tot_reduction"] = dict(adminPosts=None)
    p["mark"] = "agency:a-tyjr"

@v("写明的改革前、改革后行政编制合计和精简数与所列不符")
def SD206_stated(p, s):
    p["tot_before"] = dict(adminPosts=300)
    p["tot_after"] = dict(adminPosts=260)
    p["tot_reduction"] = dict(adminPosts=30)
    p["mark"] = "totals"

@v("议事协调机构核定了编制")
def SD208_ownposts(p, s):
    p["coord"][1]["ownPosts"] = "3"
    p["mark"] = "coord"

@v("议事协调机构单设办事机构")
def SD208_office(p, s):
    p["coord"][0]["separateOffice"] = "true"
    p["mark"] = "coord"

@v("临时性议事协调机构没有写明撤销时限（警告）")
def SD208_temporary(p, s):
    del p["coord"][2]["endDate"]
    p["mark"] = "coord"

@v("列为方案条目的议事协调机构核定了行政编制")
def SD208_entry(p, s):
    p["after"].append(ag("a-mwb", "康平县防汛抗旱指挥部", "coordination-body", 3, None, {}, rank="正科级",
                         disposition="new"))
    p["admincap"] = None
    p["mark"] = "agency:a-mwb"

@v("职责分工写到本次改革撤销的县规划局（按名称）和县国土资源局（按标识）")
def SD209_abolished(p, s):
    s["zrzy"]["divisions"] = s["zrzy"]["divisions"] + [
        ("与县规划局的职责分工", ["康平县规划局", ("康平县国土资源局", "b-gtj")], "（已撤销的机构）")]
    s["zrzy"]["mark"] = "divisions"

@v("职责分工写到本次改革撤销的县质量技术监督局（简称“县”；上级目录里虽有此名，本县已撤销）")
def SD209_abolished_in_catalogue(p, s):
    s["scjg"]["divisions"] = s["scjg"]["divisions"] + [("与县质量技术监督局的关系", ["县质量技术监督局"], "。")]
    s["scjg"]["mark"] = "divisions"

@v("职责分工写到不存在的“康平县应急管理所”（相近：康平县应急管理局）和“县农机安全监理站”（没有相近的名称）")
def SD209_unknown(p, s):
    s["yjgl"]["divisions"] = [("与县应急管理所的职责分工", ["康平县应急管理所", "县农机安全监理站"], "。")]
    s["yjgl"]["mark"] = "divisions"

@v("县级方案自2018年12月25日起施行，早于市级方案（2019年1月1日）")
def SD210_early(p, s):
    p["effective"] = "2018-12-25"
    p["mark"] = "meta"

@v("抄录的市级方案施行日期写成2019年2月1日，与市级方案文件的2019年1月1日不符")
def SD210_copy(p, s):
    p["parent"]["date"] = "2019-02-01"
    p["mark"] = "meta"

@v("没有上级方案文件时，以抄录的日期为准：抄录为2019年3月1日，晚于本方案")
def SD210_copy_only(p, s):
    p["parent"] = dict(href=None, date="2019-03-01")
    p["mark"] = "meta"

@v("写明的改革前、改革后机构数与清单不符，减少数也不符")
def SD211_counts(p, s):
    p["tot_before"] = dict(agencies=16)
    p["tot_after"] = dict(agencies=14)
    p["tot_reduction"] = dict(agencies=3)
    p["mark"] = "totals"

@v("写明的议事协调机构数与所列不符")
def SD211_coord(p, s):
    p["coord_count"] = 4
    p["mark"] = "coord"

@v("改革后副科级领导职数合计多于改革前")
def SD212_levels(p, s):
    find(p, "a-tyjr")["levels"] = {"副科级": 8, "股级": 2}
    p["tot_reduction"] = dict(levels={"股级": 4})
    p["mark"] = "agency:a-tyjr"

@v("改革后内设机构多于改革前")
def SD212_units(p, s):
    find(p, "a-tyjr")["units"] = 12
    p["tot_reduction"] = dict(units=None)
    p["mark"] = "agency:a-tyjr"

@v("写明的领导职数合计、内设机构数和核减数与所列不符")
def SD212_stated(p, s):
    b = sums(p["before"])["levels"]
    p["tot_before"] = dict(levels=dict(b, 股级=b["股级"] + 1), units=49)
    p["tot_reduction"] = dict(levels={"副科级": 9, "股级": 4}, units=5)
    p["mark"] = "totals"

def sd213(key, **changes):
    def f(p, s):
        s[key].update(changes)
        s[key]["mark"] = "staffing" if set(changes) & {"admin", "team", "levels"} else "agency"
    return f

for n, desc, key, ch in [
        ("SD213-name", "财政局三定规定的机构名称与方案不一致", "czj", dict(name="康平县财政事务局")),
        ("SD213-kind", "财政局三定规定的机构类别与方案不一致", "czj", dict(kind="directly-affiliated")),
        ("SD213-rank", "财政局三定规定的规格与方案不一致", "czj", dict(rank="副科级")),
        ("SD213-admin", "财政局三定规定的行政编制与方案不一致", "czj", dict(admin=27)),
        ("SD213-team", "财政局三定规定的领导班子副职与方案不一致", "czj", dict(team=(1, 3))),
        ("SD213-levels", "财政局三定规定的副科级领导职数与方案不一致，并多了方案没有的副处级", "czj",
         dict(levels={"副科级": 4, "股级": 5, "副处级": 1})),
        ("SD213-plates", "文旅局三定规定没有加挂体育局牌子，方案有", "wlj", dict(plates=[])),
        ("SD213-colocated", "县委办公室三定规定没有写合署办公的县政府办公室", "bgs", dict(coLocated=[]))]:
    VARIANTS.append((n, desc, sd213(key, **ch)))

# ------------------------------------------------------------------ output

def write(path, text):
    path = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

def write_case(folder, name, p, s, changed):
    """Writes plan folder/name.xml; changed 三定 go to folder/sanding-name/."""
    for key in changed:
        g = find(p, "a-" + key)
        g["sanding_dir"] = "sanding-" + name
        write("%s/sanding-%s/%s.xml" % (folder, name, key), sanding_xml(key, s[key], g))
    write("%s/%s.xml" % (folder, name), plan_xml(p))

def support(folder):
    write(folder + "/catalogue.xml", catalogue_xml(CATALOGUE))
    strict = [(i, n, k, m, al, [(w, "prefecture") for w, _ in c], [(w, "prefecture") for w, _ in pl])
              for i, n, k, m, al, c, pl in CATALOGUE]
    write(folder + "/catalogue-prefecture-only.xml", catalogue_xml(strict))
    write(folder + "/city-plan.xml", city_plan_xml())
    p = base_plan()
    for key, s in SANDINGS.items():
        write("%s/sanding/%s.xml" % (folder, key), sanding_xml(key, s, find(p, "a-" + key)))

def main():
    folder = "tests/plans/county"
    support(folder)
    write(folder + "/plan.xml", plan_xml(dict(base_plan(), comment="干净的县级方案：没有任何 SD2xx 问题。")))
    cases = ["# tests/plans/cases.txt — written by gen.py: NAME PLAN [en]; golden in tests/plans/golden/NAME.txt",
             "clean %s/plan.xml" % folder, "clean-en %s/plan.xml en" % folder]
    examples = {}
    for name, desc, f in VARIANTS:
        p, s = base_plan(), copy.deepcopy(SANDINGS)
        before = copy.deepcopy(s)
        f(p, s)
        p["comment"] = desc
        changed = [k for k in s if s[k] != before[k]]
        write_case(folder, name, p, s, changed)
        cases.append("%s %s/%s.xml" % (name, folder, name))
        rule = name.split("-")[0]
        if rule.startswith("SD2") and rule not in examples:
            examples[rule] = (name, desc, f)
    cases.append("SD204-pair-en %s/SD204-pair.xml en" % folder)
    cases.append("SD209-unknown-en %s/SD209-unknown.xml en" % folder)
    # The documented examples: the first variant of each rule fails; the
    # clean plan, shown at the same place, passes.
    ex = "rules/examples"
    support(ex + "/plan")
    for rule, (name, desc, f) in sorted(examples.items()):
        p, s = base_plan(), copy.deepcopy(SANDINGS)
        before = copy.deepcopy(s)
        f(p, s)
        p["comment"] = "%s 不通过的例子：%s。sdlint explain %s 显示两处标记注释之间的部分。" % (rule, desc, rule)
        changed = [k for k in s if s[k] != before[k]]
        mark = p.get("mark")
        for key in changed:
            g = find(p, "a-" + key)
            g["sanding_dir"] = "plan/sanding-" + rule + "-fail"
            write("%s/plan/sanding-%s-fail/%s.xml" % (ex, rule, key), sanding_xml(key, s[key], g))
        fix_paths(p)
        if changed and not mark:
            p["mark"] = "agency:a-" + changed[0]
        p["note"] = [desc] + (["（改动在 plan/sanding-%s-fail/%s.xml）" % (rule, k) for k in changed])
        write("%s/%s-fail.xml" % (ex, rule), plan_xml(p))
        q = base_plan()
        q["comment"] = "%s 通过的例子。sdlint explain %s 显示两处标记注释之间的部分。" % (rule, rule)
        fix_paths(q)
        q["mark"] = p.get("mark") or "agency:a-" + (changed[0] if changed else "czj")
        q["note"] = ["与不通过的例子同一处，改正后（Same place as the failing example, corrected.）"]
        if not q["mark"] or q["mark"] in ("cap",):
            q["mark"] = "cap"
        write("%s/%s-pass.xml" % (ex, rule), plan_xml(q))
        cases.append("%s-fail %s/%s-fail.xml" % (rule, ex, rule))
        cases.append("%s-pass %s/%s-pass.xml" % (rule, ex, rule))
    write("tests/plans/cases.txt", "\n".join(cases) + "\n")

def fix_paths(p):
    """Examples live in rules/examples/ with their support files in plan/."""
    p["catalogue"] = "plan/" + p["catalogue"]
    if p.get("parent") and p["parent"].get("href"):
        p["parent"]["href"] = "plan/" + p["parent"]["href"]
    for g in p["after"]:
        if g.get("sanding") and not g.get("sanding_dir"):
            g["sanding_dir"] = "plan/sanding"

if __name__ == "__main__":
    sys.exit(main())
