"""compare.py REPORT.json PAGE.html BASE — the HTML page's numbers against the JSON report.

Exits 1 naming each difference.  BASE is the folder the run's relative paths start from
(for the file:// links)."""
import collections, json, os, re, sys, urllib.parse
import xml.etree.ElementTree as ET

H = "{http://www.w3.org/1999/xhtml}"
S = "{http://www.w3.org/2000/svg}"
rep = json.load(open(sys.argv[1], encoding="utf-8"))
raw = open(sys.argv[2], encoding="utf-8").read()
base = os.path.realpath(sys.argv[3])
bad = []

def check(cond, what):
    if not cond:
        bad.append(what)

root = ET.fromstring(raw)
# Self-contained: nothing fetched from anywhere.
for pat in (r'\ssrc=', r'https?://(?!www\.w3\.org/(1999/xhtml|2000/svg))', r'url\(', r'@import',
            r'<link\b', r'<iframe\b', r'<object\b'):
    check(re.search(pat, raw) is None, "external resource: " + pat)
scripts = root.findall(".//" + H + "script")
check(len(scripts) == 2, "%d script elements, want 2 (data, code)" % len(scripts))
data = json.loads(root.find(".//" + H + "script[@id='sd-data']").text)

summ = rep["summary"]
counted = [f for d in rep["files"] for f in d["findings"]
           if not f.get("suppressed") and not f.get("baselined")]
sev = collections.Counter(f["severity"] for f in counted)
for s in ("fatal", "error", "warning", "info"):
    check(data["totals"][s] == summ[s], "embedded total %s %s != %s" % (s, data["totals"][s], summ[s]))
    span = root.find(".//" + H + "span[@data-total='%s']" % s)
    check(span is not None and int(span.text) == summ[s], "page total %s" % s)
    check(sev[s] == summ[s], "json findings %s" % s)
check(int(root.find(".//" + H + "span[@data-total='files']").text) == summ["files"], "files")

juris = summ.get("jurisdictions")
if juris is None:  # a run without a plan has no jurisdictions in JSON: the page still has them
    check(all(j["figures"] is None for j in data["jurisdictions"]), "figures without a plan")
    juris = data["jurisdictions"]
check(data["jurisdictions"] == juris, "embedded jurisdictions differ from summary.jurisdictions")
check(sum(j["files"] for j in juris) == summ["files"], "jurisdiction files do not add up")

sections = root.findall(".//" + H + "section")
check(len(sections) == len(juris), "%d sections for %d jurisdictions" % (len(sections), len(juris)))
rows_total = 0
for i, j in enumerate(juris):
    sec = root.find(".//" + H + "section[@id='j-%d']" % i)
    if sec is None:
        bad.append("no section for %s" % j["code"]); continue
    check(sec.get("data-code") == j["code"], "section %d code" % i)
    h2 = "".join(sec.find(H + "h2").itertext())
    # Shown as text, with control and bidi characters made visible (\u202e), none raw.
    vis = re.sub("[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]",
                 lambda m: "\\u%04x" % ord(m.group()), j["name"])
    check(vis in h2 or j["code"] == "", "name of %s not shown as text: %r" % (j["code"], h2))
    check(re.search("[\u202a-\u202e\u2066-\u2069]", h2) is None, "raw bidi control in a heading")
    rows = sec.findall(".//" + H + "table[@class='findings sortable']/" + H + "tbody/" + H + "tr")
    rows_total += len(rows)
    got = collections.Counter(r.get("data-sev") for r in rows)
    for s in ("fatal", "error", "warning", "info"):
        check(got[s] == j["findings"][s], "%s %s rows %d != %d" % (j["code"], s, got[s], j["findings"][s]))
    for r in rows:  # each finding linked to its file, as an absolute file:// address
        a = r.find(".//" + H + "a")
        if a is None:
            bad.append("%s: a finding without a link" % j["code"]); break
        path = urllib.parse.unquote(urllib.parse.urlsplit(a.get("href")).path)
        check(os.path.exists(path), "link to a missing file: " + path)
    f = j["figures"]
    figs = {td.get("data-fig"): td.text for td in sec.iter(H + "td") if td.get("data-fig")}
    if f is None:
        check(not figs, "%s: figures without a plan" % j["code"]); continue
    want = {"agency-cap": f["agencyCap"], "admin-cap": f["adminPostsCap"],
            "agencies-before": f["agencies"]["before"], "agencies-after": f["agencies"]["after"],
            "admin-before": f["adminPosts"]["before"], "admin-after": f["adminPosts"]["after"],
            "units-before": f["units"]["before"], "units-after": f["units"]["after"]}
    for k, l in enumerate(f["levels"]):
        want["level-%d-before" % k] = l["before"]
        want["level-%d-after" % k] = l["after"]
    for k, v in want.items():
        check(figs.get(k) == ("\u2013" if v is None else str(v)), "%s %s: %r != %r" % (j["code"], k, figs.get(k), v))
check(rows_total == len(counted), "finding rows %d != %d findings" % (rows_total, len(counted)))

by_rule = collections.Counter(f["rule"] for f in counted)
bars = {g.get("data-rule"): int(g.get("data-count"))
        for g in root.find(".//" + S + "svg[@id='chart-rules']").iter(S + "g")}
check(bars == dict(by_rule), "rule chart %s != %s" % (bars, dict(by_rule)))
for g in root.find(".//" + S + "svg[@id='chart-counties']").iter(S + "g"):
    j = [x for x in juris if x["code"] == g.get("data-code")]
    check(len(j) == 1 and int(g.get("data-count")) == sum(j[0]["findings"].values()),
          "county chart " + str(g.get("data-code")))

if bad:
    for b in bad[:40]:
        print("html: " + b)
    sys.exit(1)
print("html: %s: %d jurisdictions, %d findings, equal to the JSON report" % (
    os.path.basename(sys.argv[2]), len(juris), len(counted)))
