#!/usr/bin/env python3
"""shenyang_broken.py — derives, from the clean city and county samples, one
broken plan per SD2xx rule and clause: a copy of samples/city (and, for the
county rules, samples/county beside it) with exactly one small change.

Why: issue 10 item 7 wants the realistic samples broken once per rule, with
golden findings; tests/plans/gen.py already does this for a small fixture
plan, so these variants exercise the rules at Shenyang scale (53 三定) instead.
They are made at test time (tests/e2e/run.sh calls this script into its
scratch folder; tests/e2e/planvariants.cases names them), so no copy of the
55 sample files sits in the repository per variant, and a change to the
samples flows into every variant.  Each change must match its text exactly
once, or the script fails: a sample edit that moves a variant's anchor is
caught here, not by a silently clean variant.
Cost: copies the two sample folders once per variant (about 0.3 MB each).
Usage: shenyang_broken.py OUTDIR  → OUTDIR/<variant>/{city,county}/...
"""
import os
import shutil
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# name, folder (city or county), file inside it, old text, new text.
VARIANTS = [
    ("SD201-cap", "city", "plan.xml", "<agencyCap>53</agencyCap>", "<agencyCap>52</agencyCap>"),
    ("SD201-posts", "city", "plan.xml", "<adminPostsCap>3900</adminPostsCap>", "<adminPostsCap>3800</adminPostsCap>"),
    ("SD202-uncovered", "city", "catalogue-liaoning.xml", '  <agency id="zyyj"',
     '  <agency id="lcj" name="林业和草原局" kind="department-managed" mandatory="true"/>\n  <agency id="zyyj"'),
    ("SD203-unknown", "city", "plan.xml", '<counterpart name="退役军人事务厅"/>', '<counterpart name="退伍军人事务厅"/>'),
    ("SD203-sanding", "city", "sanding/gen-tiyu.xml", '<counterpart name="体育局"/>', '<counterpart name="体育总局"/>'),
    ("SD204-figures", "city", "plan.xml", 'adminPosts="8" leadershipPosts="3" staff="7"',
     'adminPosts="8" leadershipPosts="3" staff="6"'),
    ("SD204-stated", "city", "plan.xml", 'adminPosts="1946" agencies="42"', 'adminPosts="1964" agencies="42"'),
    ("SD204-before-id", "city", "plan.xml", 'from="a-mzj" to="a-tyjr"', 'from="b-mzj" to="a-tyjr"'),
    ("SD204-unlisted", "city", "sanding/gen-xuanchuan.xml", 'fromRef="a-zfbgt" code="SY-XWFB-01"',
     'fromRef="a-zfbgt" code="SY-XWFB-02"'),
    ("SD205-code", "city", "sanding/gen-tiyu.xml", 'code="SY-TYJ-02"', 'code="SY-TJJ-02"'),
    ("SD205-text", "city", "sanding/gen-tiyu.xml", ">负责全市全民健身工作，", ">负责全市学校体育卫生和艺术教育工作，"),
    ("SD206-stated", "city", "plan.xml", '<after agencies="53" adminPosts="3839"', '<after agencies="53" adminPosts="3893"'),
    ("SD207-missing", "city", "plan.xml", 'sanding="sanding/gen-tiyu.xml"', 'sanding="sanding/gen-tiyu-2019.xml"'),
    ("SD207-catalogue", "city", "plan.xml", '<catalogueRef href="catalogue-liaoning.xml"/>',
     '<catalogueRef href="catalogue-liaoning-2018.xml"/>'),
    ("SD207-kind", "city", "plan.xml", 'sanding="sanding/gen-tiyu.xml"', 'sanding="catalogue-liaoning.xml"'),
    ("SD207-parent", "county", "plan.xml", 'href="../city/plan.xml"', 'href="../city/plan-2018.xml"'),
    ("SD208-posts", "city", "plan.xml", 'officeHost="a-sjs" disposition="new"/>',
     'officeHost="a-sjs" disposition="new" ownPosts="3"/>'),
    ("SD208-office", "city", "plan.xml", 'officeHost="a-jyj" disposition="new"/>',
     'officeHost="a-jyj" disposition="new" separateOffice="true"/>'),
    ("SD208-temporary", "city", "plan.xml", ' temporary="true" endDate="2020-12-31"', ' temporary="true"'),
    ("SD209-abolished", "city", "sanding/gen-tuiyi.xml", '<relatedAgency name="沈阳市民政局" ref="a-mzj"/>',
     '<relatedAgency name="沈阳市物价局"/>'),
    ("SD209-unknown", "city", "sanding/gen-tuiyi.xml", '<relatedAgency name="沈阳市民政局" ref="a-mzj"/>',
     '<relatedAgency name="沈阳市民正局"/>'),
    ("SD210-early", "county", "plan.xml", "<effectiveDate>2019-02-01</effectiveDate>",
     "<effectiveDate>2018-12-01</effectiveDate>"),
    ("SD210-copy", "county", "plan.xml", "    <effectiveDate>2019-01-01</effectiveDate>\n  </parentPlan>",
     "    <effectiveDate>2019-01-15</effectiveDate>\n  </parentPlan>"),
    ("SD211-before", "city", "plan.xml", '<before agencies="58"', '<before agencies="57"'),
    ("SD211-bodies", "city", "plan.xml", '<coordinationBodies count="12">', '<coordinationBodies count="11">'),
    ("SD211-after", "city", "plan.xml", '<after agencies="53"', '<after agencies="54"'),
    ("SD212-level", "city", "plan.xml", '<levelTotal rank="正处级" count="49"/>', '<levelTotal rank="正处级" count="48"/>'),
    ("SD212-units", "city", "plan.xml", 'adminPosts="313" units="53"', 'adminPosts="313" units="54"'),
    ("SD212-after-level", "city", "plan.xml", '<levelTotal rank="正处级" count="470"/>',
     '<levelTotal rank="正处级" count="471"/>'),
    ("SD213-name", "city", "sanding/gen-tiyu.xml", '<agency name="沈阳市体育局"', '<agency name="沈阳市体育运动局"'),
    ("SD213-kind", "city", "sanding/gen-tiyu.xml", 'kind="government-department" rank="正局级">',
     'kind="directly-affiliated" rank="正局级">'),
    ("SD213-rank", "city", "sanding/gen-tiyu.xml", 'shortName="市体育局" kind="government-department" rank="正局级"',
     'shortName="市体育局" kind="government-department" rank="副局级"'),
    ("SD213-posts", "city", "sanding/gen-tiyu.xml", '<allocation type="administrative" posts="38"/>',
     '<allocation type="administrative" posts="39"/>'),
    ("SD213-team", "city", "sanding/gen-tiyu.xml", 'deputy="3" headTitle="局长"', 'deputy="2" headTitle="局长"'),
    ("SD213-levels", "city", "sanding/gen-tiyu.xml", '<level rank="副处级" count="6"/>', '<level rank="副处级" count="5"/>'),
    ("SD213-plate", "city", "sanding/gen-jiyao.xml", '    <plate name="沈阳市国家保密局"/>\n', ""),
    ("SD213-colocated", "city", "sanding/gen-taiban.xml", '    <coLocatedWith name="沈阳市人民政府台湾事务办公室"/>\n', ""),
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: shenyang_broken.py OUTDIR")
    out = sys.argv[1]
    for name, folder, rel, old, new in VARIANTS:
        dst = os.path.join(out, name)
        shutil.copytree(os.path.join(ROOT, "samples", "city"), os.path.join(dst, "city"))
        if folder == "county":
            shutil.copytree(os.path.join(ROOT, "samples", "county"), os.path.join(dst, "county"))
        path = os.path.join(dst, folder, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.count(old) != 1:
            sys.exit("shenyang_broken.py: %s: %r occurs %d times in %s/%s" % (name, old, text.count(old), folder, rel))
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text.replace(old, new))
    return 0


if __name__ == "__main__":
    sys.exit(main())
