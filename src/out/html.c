/*
 * html.c — `--format html`: the audit summary (summary.h) as ONE
 * self-contained page: inline CSS, inline JavaScript and inline SVG, no
 * external resource of any kind, so it works offline and from an attachment.
 *
 * Place in the pipeline: file() only feeds the summary (nothing is written
 * until the end, since the page is ordered by jurisdiction, not by input);
 * end() writes the page.  Any runner that calls the formatter gets it.
 *
 * The page is well-formed XML as well as HTML (a polyglot: tests parse it
 * with an XML parser; script and style sit in commented CDATA sections), and
 * every name, path and message is escaped (sd_buf_xml_str): they come from
 * documents and folders we do not trust.  The data the page shows is embedded
 * once more as JSON (with <, > and & written as \u escapes, so it can never
 * close its script element); the page's script checks on load that the
 * tables and charts agree with it and writes the result into
 * #sd-selfcheck's data-result ("ok" or "mismatch"), which the browser test
 * reads.  Columns sort on a click on their heading.
 *
 * Cost: linear in findings and jurisdictions; the county chart shows at most
 * CHART_MAX bars (those with most findings), the caption says when it cut.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "summary.h"

#define CHART_MAX 60
/* Severity k (0 fatal … 3 info) as the reader says it: 致命, 错误, 警告, 提示. */
#define SEV_WORD(lang, k)                                                                      \
    ((lang) == SD_LANG_EN ? (const char *const[]){"fatal", "error", "warning", "info"}[k]       \
                          : (const char *const[]){"致命", "错误", "警告", "提示"}[k])
#define BAR_H 18
#define LABEL_W 170
#define BAR_W 420

static void html_begin(sd_buf *b, const sd_out_options *o)
{
    (void)b;
    (void)o;
}

static void html_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)b;
    (void)index;
    sd_summary_take(o->jurisdictions, r, o->min_severity);
}

/* Text from documents: made visible as for the terminal first (control and
 * bidi characters, bytes that are not UTF-8 shown as \u202e, \xff: a browser
 * would apply a character reference), then escaped for XML and HTML. */
static void esc(sd_buf *b, const char *s)
{
    sd_buf t;
    sd_buf_init(&t);
    sd_buf_term_str(&t, s);
    if (sd_buf_failed(&t))
        b->failed = 1;
    sd_buf_xml_str(b, t.len ? t.data : "");
    sd_buf_free(&t);
}

/* JSON that may sit inside a script element of HTML and of XML. */
static void script_json(sd_buf *b, const sd_buf *json)
{
    for (size_t i = 0; i < json->len; i++) {
        char c = json->data[i];
        if (c == '<')
            sd_buf_puts(b, "\\u003c");
        else if (c == '>')
            sd_buf_puts(b, "\\u003e");
        else if (c == '&')
            sd_buf_puts(b, "\\u0026");
        else
            sd_buf_add(b, &c, 1);
    }
}

/* The file:// address of a finding's file (made absolute against the
 * current folder), percent-encoded; nothing for standard input. */
static int file_uri(sd_buf *b, const char *file, const char *cwd)
{
    if (file == NULL || file[0] == '\0' || strcmp(file, "-") == 0)
        return 0;
    sd_buf_puts(b, "file://");
    if (file[0] != '/') {
        if (cwd == NULL)
            return 0;
        sd_out_uri(b, cwd);
        if (cwd[0] && cwd[strlen(cwd) - 1] != '/')
            sd_buf_puts(b, "/");
    }
    const char *f = file;
    while (f[0] == '.' && f[1] == '/')
        f += 2;
    sd_out_uri(b, f);
    return 1;
}

static void num_cell(sd_buf *b, const char *key, long v)
{
    sd_buf_printf(b, "<td class=\"num\" data-fig=\"%s\">", key);
    if (v == SD_SUMMARY_UNSTATED)
        sd_buf_puts(b, "–");
    else
        sd_buf_printf(b, "%ld", v);
    sd_buf_puts(b, "</td>");
}

/* A chart label: at most LABEL_CHARS characters of s (then "…"), escaped;
 * the whole name is in the bar's title. */
#define LABEL_CHARS 10
static void short_label(sd_buf *b, const char *s)
{
    size_t n = strlen(s), off = 0, chars = 0;
    while (off < n && chars < LABEL_CHARS) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        off += k ? k : 1;
        chars++;
    }
    char *cut = strndup(s, off);
    if (cut == NULL) {
        b->failed = 1;
        return;
    }
    esc(b, cut);
    free(cut);
    if (off < n)
        sd_buf_puts(b, "…");
}

typedef struct bar {
    const char *label;
    const char *sub; /* a second label (the code), or NULL */
    size_t count;
    const char *attr; /* data-rule or data-code */
} bar;

static void chart(sd_buf *b, const char *id, const char *title, const bar *bars, size_t n,
                  size_t shown_of)
{
    size_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (bars[i].count > max)
            max = bars[i].count;
    sd_buf_printf(b, "<figure><figcaption>");
    esc(b, title);
    if (shown_of > n)
        sd_buf_printf(b, " (%zu / %zu)", n, shown_of);
    size_t h = n * BAR_H + 4;
    sd_buf_printf(b,
                  "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" role=\"img\" "
                  "width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\">",
                  id, LABEL_W + BAR_W + 60, h, LABEL_W + BAR_W + 60, h);
    for (size_t i = 0; i < n; i++) {
        size_t y = i * BAR_H + 2;
        size_t w = bars[i].count * BAR_W / max;
        sd_buf_printf(b, "<g class=\"bar\" %s=\"", bars[i].attr);
        esc(b, bars[i].sub ? bars[i].sub : bars[i].label);
        sd_buf_printf(b, "\" data-count=\"%zu\"><title>", bars[i].count);
        esc(b, bars[i].label);
        if (bars[i].sub) {
            sd_buf_puts(b, " ");
            esc(b, bars[i].sub);
        }
        sd_buf_printf(b, ": %zu</title><text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", bars[i].count,
                      LABEL_W - 6, y + BAR_H - 5);
        short_label(b, bars[i].label);
        sd_buf_printf(b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%zu\" height=\"%d\"/>"
                         "<text x=\"%zu\" y=\"%zu\">%zu</text></g>",
                      LABEL_W, y, w ? w : 1, BAR_H - 4, LABEL_W + w + 4, y + BAR_H - 5,
                      bars[i].count);
    }
    sd_buf_puts(b, "</svg></figure>\n");
}

static size_t node_total(const sd_summary_node *n)
{
    return n->by_severity[0] + n->by_severity[1] + n->by_severity[2] + n->by_severity[3];
}

static int cmp_bar_count(const void *a, const void *b)
{
    const bar *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->sub ? x->sub : "", y->sub ? y->sub : "");
}

static int cmp_bar_code(const void *a, const void *b)
{
    const bar *x = a, *y = b;
    return strcmp(x->sub ? x->sub : "", y->sub ? y->sub : "");
}

static int cmp_bar_label(const void *a, const void *b)
{
    return strcmp(((const bar *)a)->label, ((const bar *)b)->label);
}

static const char STYLE[] =
    "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;color:#1b1b1b}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin:1.2em 0 .4em}"
    "table{border-collapse:collapse;margin:.3em 0 1em;font-size:.9em}"
    "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}table.sortable th{cursor:pointer}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.sev-fatal td:first-child,tr.sev-error td:first-child{color:#b00020;font-weight:bold}"
    "tr.sev-warning td:first-child{color:#8a4b00}tr.sev-info td:first-child{color:#005a8a}"
    ".over{color:#b00020;font-weight:bold}"
    "section.jur{border-left:3px solid #ddd;padding-left:.8em}"
    ".charts{display:flex;flex-wrap:wrap;gap:2em}"
    "figure{margin:0}figcaption{font-weight:bold;margin-bottom:.3em}"
    "svg text{font-size:11px;fill:#333}svg rect{fill:#4a78b0}"
    "#sd-selfcheck{color:#666;font-size:.85em}";

/* Kept free of the sequence that ends a CDATA section. */
static const char SCRIPT[] =
    "(function(){\n"
    "'use strict';\n"
    "function sortBy(th){\n"
    "  var table=th.closest('table'),tbody=table.tBodies[0];\n"
    "  var idx=Array.prototype.indexOf.call(th.parentNode.children,th);\n"
    "  var num=th.getAttribute('data-type')==='num';\n"
    "  var dir=th.getAttribute('data-dir')==='asc'?-1:1;\n"
    "  Array.prototype.forEach.call(th.parentNode.children,function(h){h.removeAttribute('data-dir');});\n"
    "  th.setAttribute('data-dir',dir===1?'asc':'desc');\n"
    "  var rows=Array.prototype.slice.call(tbody.rows);\n"
    "  rows.sort(function(a,b){\n"
    "    var x=a.cells[idx].getAttribute('data-v')||a.cells[idx].textContent;\n"
    "    var y=b.cells[idx].getAttribute('data-v')||b.cells[idx].textContent;\n"
    "    if(num){x=parseFloat(x)||0;y=parseFloat(y)||0;return (x-y)*dir;}\n"
    "    return x.localeCompare(y)*dir;\n"
    "  });\n"
    "  rows.forEach(function(r){tbody.appendChild(r);});\n"
    "}\n"
    "document.querySelectorAll('table.sortable th').forEach(function(th){\n"
    "  th.addEventListener('click',function(){sortBy(th);});\n"
    "});\n"
    "var out=document.getElementById('sd-selfcheck');\n"
    "try{\n"
    "  var data=JSON.parse(document.getElementById('sd-data').textContent);\n"
    "  var bad=[],sevs=['fatal','error','warning','info'],total={fatal:0,error:0,warning:0,info:0};\n"
    "  var rules={};\n"
    "  data.jurisdictions.forEach(function(j,i){\n"
    "    var sec=document.getElementById('j-'+i);\n"
    "    if(!sec){bad.push('no section '+i);return;}\n"
    "    var got={fatal:0,error:0,warning:0,info:0};\n"
    "    sec.querySelectorAll('table.findings tbody tr').forEach(function(tr){got[tr.getAttribute('data-sev')]++;});\n"
    "    sevs.forEach(function(s){\n"
    "      if(got[s]!==j.findings[s])bad.push(j.code+' '+s+' '+got[s]+'/'+j.findings[s]);\n"
    "      total[s]+=got[s];\n"
    "    });\n"
    "    j.rules.forEach(function(r){rules[r.rule]=(rules[r.rule]||0)+r.fatal+r.error+r.warning+r.info;});\n"
    "    if(j.figures){\n"
    "      var f=j.figures,want={'agency-cap':f.agencyCap,'admin-cap':f.adminPostsCap,\n"
    "        'agencies-before':f.agencies.before,'agencies-after':f.agencies.after,\n"
    "        'admin-before':f.adminPosts.before,'admin-after':f.adminPosts.after,\n"
    "        'units-before':f.units.before,'units-after':f.units.after};\n"
    "      f.levels.forEach(function(l,k){want['level-'+k+'-before']=l.before;want['level-'+k+'-after']=l.after;});\n"
    "      Object.keys(want).forEach(function(k){\n"
    "        var td=sec.querySelector('td[data-fig=\"'+k+'\"]');\n"
    "        var v=td?td.textContent:'missing';\n"
    "        var w=want[k]===null?'\\u2013':String(want[k]);\n"
    "        if(v!==w)bad.push(j.code+' '+k+' '+v+'/'+w);\n"
    "      });\n"
    "    }\n"
    "  });\n"
    "  sevs.forEach(function(s){if(total[s]!==data.totals[s])bad.push('total '+s+' '+total[s]+'/'+data.totals[s]);});\n"
    "  document.querySelectorAll('#chart-rules g.bar').forEach(function(g){\n"
    "    var r=g.getAttribute('data-rule'),c=parseInt(g.getAttribute('data-count'),10);\n"
    "    if(rules[r]!==c)bad.push('chart rule '+r+' '+c+'/'+rules[r]);\n"
    "  });\n"
    "  var nrules=document.querySelectorAll('#chart-rules g.bar').length;\n"
    "  if(nrules!==Object.keys(rules).length)bad.push('chart rules '+nrules+'/'+Object.keys(rules).length);\n"
    "  document.querySelectorAll('#chart-counties g.bar').forEach(function(g){\n"
    "    var code=g.getAttribute('data-code'),c=parseInt(g.getAttribute('data-count'),10);\n"
    "    var j=data.jurisdictions.filter(function(x){return x.code===code;})[0];\n"
    "    var t=j?j.findings.fatal+j.findings.error+j.findings.warning+j.findings.info:-1;\n"
    "    if(t!==c)bad.push('chart county '+code+' '+c+'/'+t);\n"
    "  });\n"
    "  var n=total.fatal+total.error+total.warning+total.info;\n"
    "  out.setAttribute('data-result',bad.length?'mismatch':'ok');\n"
    "  out.setAttribute('data-findings',String(n));\n"
    "  out.textContent=bad.length?'self-check: mismatch: '+bad.slice(0,20).join('; ')\n"
    "    :'self-check: ok ('+n+' findings in '+data.jurisdictions.length+' jurisdictions)';\n"
    "  if(bad.length)console.error('sdlint self-check: '+bad.join('; '));\n"
    "}catch(e){\n"
    "  out.setAttribute('data-result','error');\n"
    "  out.textContent='self-check: error: '+e;\n"
    "  console.error(e);\n"
    "}\n"
    "})();\n";

static void figures(sd_buf *b, const sd_summary_node *n, sd_lang lang)
{
    sd_buf_printf(b, "<table class=\"figures\"><thead><tr><th></th><th>%s</th><th>%s</th><th>%s</th>"
                     "</tr></thead><tbody>\n",
                  SD_TR(lang, "改革前", "before"), SD_TR(lang, "改革后", "after"),
                  SD_TR(lang, "限额", "cap"));
    int over = n->agency_cap != SD_SUMMARY_UNSTATED && n->agencies_after != SD_SUMMARY_UNSTATED &&
               n->agencies_after > n->agency_cap;
    sd_buf_printf(b, "<tr%s><th>%s</th>", over ? " class=\"over\"" : "", SD_TR(lang, "机构数", "agencies"));
    num_cell(b, "agencies-before", n->agencies_before);
    num_cell(b, "agencies-after", n->agencies_after);
    num_cell(b, "agency-cap", n->agency_cap);
    over = n->admin_cap != SD_SUMMARY_UNSTATED && n->admin_after != SD_SUMMARY_UNSTATED &&
           n->admin_after > n->admin_cap;
    sd_buf_printf(b, "</tr>\n<tr%s><th>%s</th>", over ? " class=\"over\"" : "",
                  SD_TR(lang, "行政编制", "administrative posts"));
    num_cell(b, "admin-before", n->admin_before);
    num_cell(b, "admin-after", n->admin_after);
    num_cell(b, "admin-cap", n->admin_cap);
    sd_buf_printf(b, "</tr>\n<tr><th>%s</th>", SD_TR(lang, "内设机构", "internal units"));
    num_cell(b, "units-before", n->units_before);
    num_cell(b, "units-after", n->units_after);
    sd_buf_puts(b, "<td></td></tr>\n");
    for (size_t k = 0; k < n->nlevels; k++) {
        char key[48];
        sd_buf_printf(b, "<tr><th>%s ", SD_TR(lang, "领导职数", "leadership posts"));
        esc(b, n->levels[k].rank);
        sd_buf_puts(b, "</th>");
        snprintf(key, sizeof key, "level-%zu-before", k);
        num_cell(b, key, n->levels[k].before);
        snprintf(key, sizeof key, "level-%zu-after", k);
        num_cell(b, key, n->levels[k].after);
        sd_buf_puts(b, "<td></td></tr>\n");
    }
    sd_buf_puts(b, "</tbody></table>\n");
}

static void findings(sd_buf *b, const sd_summary_node *n, sd_lang lang, const char *cwd)
{
    if (n->nfindings == 0)
        return;
    sd_buf_printf(b,
                  "<table class=\"findings sortable\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                  "<th data-type=\"num\">%s</th><th>%s</th></tr></thead><tbody>\n",
                  SD_TR(lang, "严重程度", "severity"), SD_TR(lang, "规则", "rule"),
                  SD_TR(lang, "文件", "file"), SD_TR(lang, "行", "line"),
                  SD_TR(lang, "问题", "message"));
    for (size_t k = 0; k < n->nfindings; k++) {
        const sd_summary_finding *f = &n->findings[k];
        const char *sev = sd_severity_name(f->severity);
        sd_buf_printf(b, "<tr class=\"sev-%s\" data-sev=\"%s\"><td data-v=\"%d\">%s</td><td>", sev, sev,
                      3 - (int)f->severity, sev);
        esc(b, f->rule);
        sd_buf_puts(b, "</td><td>");
        sd_buf uri;
        sd_buf_init(&uri);
        int link = file_uri(&uri, f->file, cwd);
        if (link && !sd_buf_failed(&uri)) {
            sd_buf_puts(b, "<a href=\"");
            esc(b, uri.data);
            if (f->line > 0)
                sd_buf_printf(b, "#L%ld", f->line);
            sd_buf_puts(b, "\">");
        }
        esc(b, f->file);
        if (f->line > 0)
            sd_buf_printf(b, ":%ld:%ld", f->line, f->col);
        if (link)
            sd_buf_puts(b, "</a>");
        sd_buf_free(&uri);
        sd_buf_printf(b, "</td><td class=\"num\">%ld</td><td>", f->line);
        esc(b, f->message);
        sd_buf_puts(b, "</td></tr>\n");
    }
    sd_buf_puts(b, "</tbody></table>\n");
}

static void html_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    sd_audit_summary *js = o->jurisdictions;
    if (js == NULL || s == NULL) {
        b->failed = 1; /* no page rather than a page that claims to be complete */
        return;
    }
    sd_summary_finish(js);
    sd_lang lang = o->lang;
    char cwdbuf[PATH_MAX];
    const char *cwd = getcwd(cwdbuf, sizeof cwdbuf);

    sd_buf json;
    sd_buf_init(&json);
    sd_buf_printf(&json, "{\"files\": %zu, \"totals\": {\"fatal\": %zu, \"error\": %zu, \"warning\": %zu, "
                         "\"info\": %zu}, \"jurisdictions\": ",
                  s->files, js->by_severity[SD_SEV_FATAL], js->by_severity[SD_SEV_ERROR],
                  js->by_severity[SD_SEV_WARNING], js->by_severity[SD_SEV_INFO]);
    sd_summary_json(js, &json, "  ");
    sd_buf_puts(&json, "}");

    sd_buf_printf(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"%s\">\n"
                     "<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n"
                     "<style>/*<![CDATA[*/%s/*]]>*/</style>\n</head>\n<body>\n<h1>%s</h1>\n",
                  lang == SD_LANG_EN ? "en" : "zh", SD_TR(lang, "sdlint 审计报告", "sdlint audit report"),
                  STYLE, SD_TR(lang, "sdlint 审计报告", "sdlint audit report"));
    /* The words in the reader's language; the data-* names stay the JSON's. */
    sd_buf_printf(b, "<p class=\"totals\">%s <span data-total=\"files\">%zu</span>%s%s "
                     "<span data-total=\"plans\">%zu</span>%s%s <span data-total=\"fatal\">%zu</span>%s"
                     "%s <span data-total=\"error\">%zu</span>%s%s "
                     "<span data-total=\"warning\">%zu</span>%s%s <span data-total=\"info\">%zu</span></p>\n",
                  SD_TR(lang, "文件", "files"), s->files, SD_TR(lang, "；", "; "), SD_TR(lang, "方案", "plans"),
                  js->plans, SD_TR(lang, "；", "; "), SEV_WORD(lang, 0), js->by_severity[SD_SEV_FATAL],
                  SD_TR(lang, "，", ", "), SEV_WORD(lang, 1), js->by_severity[SD_SEV_ERROR],
                  SD_TR(lang, "，", ", "), SEV_WORD(lang, 2), js->by_severity[SD_SEV_WARNING],
                  SD_TR(lang, "，", ", "), SEV_WORD(lang, 3), js->by_severity[SD_SEV_INFO]);

    /* Charts: findings by rule (over every jurisdiction), and by county. */
    size_t nr = 0, cap = 0;
    bar *rules = NULL;
    for (size_t i = 0; i < js->nnodes && !b->failed; i++)
        for (size_t k = 0; k < js->nodes[i].nrules; k++) {
            const sd_summary_rule *r = &js->nodes[i].rules[k];
            size_t t = r->by_severity[0] + r->by_severity[1] + r->by_severity[2] + r->by_severity[3];
            size_t j = 0;
            while (j < nr && strcmp(rules[j].label, r->rule) != 0)
                j++;
            if (j == nr) {
                if (nr == cap) {
                    size_t nc = cap ? cap * 2 : 32;
                    bar *nb = realloc(rules, nc * sizeof *nb);
                    if (nb == NULL) {
                        b->failed = 1;
                        break;
                    }
                    rules = nb;
                    cap = nc;
                }
                rules[nr++] = (bar){r->rule, NULL, 0, "data-rule"};
            }
            rules[j].count += t;
        }
    if (nr)
        qsort(rules, nr, sizeof *rules, cmp_bar_label);
    int any_county = 0;
    for (size_t i = 0; i < js->nnodes; i++)
        any_county |= strcmp(js->nodes[i].tier, "county") == 0 ||
                      strcmp(js->nodes[i].tier, "sub-provincial-district") == 0;
    bar *counties = calloc(js->nnodes ? js->nnodes : 1, sizeof *counties);
    size_t nc = 0;
    if (counties == NULL)
        b->failed = 1;
    for (size_t i = 0; counties && i < js->nnodes; i++) {
        const sd_summary_node *n = &js->nodes[i];
        int county = strcmp(n->tier, "county") == 0 || strcmp(n->tier, "sub-provincial-district") == 0;
        if (n->code[0] == '\0' || (any_county && !county))
            continue;
        counties[nc++] = (bar){n->name, n->code, node_total(n), "data-code"};
    }
    size_t all_counties = nc;
    if (nc > CHART_MAX) {
        qsort(counties, nc, sizeof *counties, cmp_bar_count);
        nc = CHART_MAX;
    }
    if (nc)
        qsort(counties, nc, sizeof *counties, cmp_bar_code);
    sd_buf_puts(b, "<div class=\"charts\">\n");
    chart(b, "chart-rules", SD_TR(lang, "按规则统计的问题", "Findings by rule"), rules, nr, nr);
    chart(b, "chart-counties",
          any_county ? SD_TR(lang, "按县统计的问题", "Findings by county")
                     : SD_TR(lang, "按辖区统计的问题", "Findings by jurisdiction"),
          counties, nc, all_counties);
    sd_buf_puts(b, "</div>\n");
    free(rules);
    free(counties);

    for (size_t i = 0; i < js->nnodes; i++) {
        const sd_summary_node *n = &js->nodes[i];
        sd_buf_printf(b, "<section class=\"jur\" id=\"j-%zu\" data-code=\"", i);
        esc(b, n->code);
        sd_buf_printf(b, "\" style=\"margin-left:%zuem\">\n<h2>", (n->depth < 16 ? n->depth : 16) * 2);
        if (n->code[0] == '\0') {
            sd_buf_puts(b, SD_TR(lang, "（无行政区划）", "(no jurisdiction)"));
        } else {
            esc(b, n->name);
            sd_buf_puts(b, " <small>");
            esc(b, n->code);
            if (n->tier[0]) {
                sd_buf_puts(b, " · ");
                esc(b, n->tier);
            }
            sd_buf_puts(b, "</small>");
        }
        const char *semi = SD_TR(lang, "；", "; "), *comma = SD_TR(lang, "，", ", ");
        sd_buf_printf(b, "</h2>\n<p>%s %zu%s%s %zu%s%s %zu%s%s %zu%s%s %zu", SD_TR(lang, "文件", "files"),
                      n->files, semi, SEV_WORD(lang, 0), n->by_severity[SD_SEV_FATAL], comma,
                      SEV_WORD(lang, 1), n->by_severity[SD_SEV_ERROR], comma, SEV_WORD(lang, 2),
                      n->by_severity[SD_SEV_WARNING], comma, SEV_WORD(lang, 3),
                      n->by_severity[SD_SEV_INFO]);
        if (n->plan) {
            sd_buf_printf(b, "%s%s <code>", semi, SD_TR(lang, "方案", "plan"));
            esc(b, n->plan);
            sd_buf_puts(b, "</code>");
        }
        sd_buf_puts(b, "</p>\n");
        if (n->plan)
            figures(b, n, lang);
        if (n->nrules) {
            sd_buf_printf(b, "<table class=\"rules sortable\"><thead><tr><th>%s</th><th data-type=\"num\">"
                             "%s</th><th data-type=\"num\">%s</th><th data-type=\"num\">%s</th>"
                             "<th data-type=\"num\">%s</th></tr></thead><tbody>\n",
                          SD_TR(lang, "规则", "rule"), SEV_WORD(lang, 0), SEV_WORD(lang, 1),
                          SEV_WORD(lang, 2), SEV_WORD(lang, 3));
            for (size_t k = 0; k < n->nrules; k++) {
                const sd_summary_rule *r = &n->rules[k];
                sd_buf_puts(b, "<tr><td>");
                esc(b, r->rule);
                sd_buf_printf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">"
                                 "%zu</td><td class=\"num\">%zu</td></tr>\n",
                              r->by_severity[SD_SEV_FATAL], r->by_severity[SD_SEV_ERROR],
                              r->by_severity[SD_SEV_WARNING], r->by_severity[SD_SEV_INFO]);
            }
            sd_buf_puts(b, "</tbody></table>\n");
        }
        findings(b, n, lang, cwd);
        sd_buf_puts(b, "</section>\n");
    }
    sd_buf_puts(b, "<p id=\"sd-selfcheck\" data-result=\"pending\">self-check: pending (needs JavaScript)</p>\n"
                   "<script type=\"application/json\" id=\"sd-data\">");
    script_json(b, &json);
    if (sd_buf_failed(&json))
        b->failed = 1;
    sd_buf_free(&json);
    sd_buf_printf(b, "</script>\n<script>//<![CDATA[\n%s//]]></script>\n</body>\n</html>\n", SCRIPT);
}

const sd_formatter sd_out_html = {"html", html_begin, html_file, html_end};
