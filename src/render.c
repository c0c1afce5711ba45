/*
 * render.c — XML 三定 → official text paragraphs (render.h says why).
 *
 * The wording written here is the one rules/import-zh.txt reads (the round
 * trip test, tests/import/roundtrip.sh, holds the two together).  A part
 * the document lacks is left out; an attribute the document lacks leaves its
 * words out, so a figure is never made up.
 */
#include "render.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define NS "urn:sdlint:schema:1"

typedef struct rctx {
    sd_render_doc *out;
    int oom;
    int article;
    const char *subject; /* the agency as sentences name it */
} rctx;

const char *sd_render_cnum(long n, char *buf, size_t size)
{
    static const char *const D[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const U[] = {"", "十", "百", "千", "万"};
    sd_buf b;
    if (size)
        buf[0] = 0;
    if (n < 1 || n > 99999)
        return buf;
    int digits[5], nd = 0;
    for (long v = n; v; v /= 10)
        digits[nd++] = (int)(v % 10);
    sd_buf_init(&b);
    int zero = 0;
    for (int i = nd - 1; i >= 0; i--) {
        int d = digits[i];
        if (d == 0) {
            zero = 1;
            continue;
        }
        if (zero) {
            sd_buf_puts(&b, D[0]);
            zero = 0;
        }
        /* 十二, not 一十二, at the head of the number */
        if (!(d == 1 && i == 1 && i == nd - 1))
            sd_buf_puts(&b, D[d]);
        sd_buf_puts(&b, U[i]);
    }
    if (b.data && b.len < size)
        memcpy(buf, b.data, b.len + 1);
    sd_buf_free(&b);
    return buf;
}

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 && n->ns &&
           strcmp((const char *)n->ns->href, NS) == 0;
}

static const xmlNode *kid(const xmlNode *p, const char *name)
{
    for (const xmlNode *k = p ? p->children : NULL; k; k = k->next)
        if (is(k, name))
            return k;
    return NULL;
}

static const xmlNode *next_kid(const xmlNode *k, const char *name)
{
    for (k = k ? k->next : NULL; k; k = k->next)
        if (is(k, name))
            return k;
    return NULL;
}

#define EACH(var, parent, name) for (const xmlNode *var = kid(parent, name); var; var = next_kid(var, name))

/* An attribute, trimmed (caller frees), or NULL. */
static char *att(const xmlNode *n, const char *name)
{
    if (!n)
        return NULL;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Text content with its lines joined and outer blanks dropped (caller frees). */
static char *txt(const xmlNode *n)
{
    if (!n)
        return NULL;
    xmlChar *v = xmlNodeGetContent(n);
    if (!v)
        return NULL;
    sd_buf b;
    sd_buf_init(&b);
    const char *s = (const char *)v;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n' || s[i] == '\r') {
            while (i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\n' || s[i + 1] == '\r'))
                i++;
            continue;
        }
        sd_buf_add(&b, s + i, 1);
    }
    sd_buf_add(&b, "", 0);
    xmlFree(v);
    char *r = b.data ? strdup(b.data) : strdup("");
    sd_buf_free(&b);
    return r;
}

static void emit(rctx *c, sd_render_style st, sd_buf *b)
{
    if (sd_buf_failed(b)) {
        c->oom = 1;
        sd_buf_free(b);
        return;
    }
    sd_render_para *p = realloc(c->out->items, (c->out->count + 1) * sizeof *p);
    char *t = strdup(b->data ? b->data : "");
    sd_buf_free(b);
    if (!p || !t) {
        if (p)
            c->out->items = p;
        free(t);
        c->oom = 1;
        return;
    }
    c->out->items = p;
    p[c->out->count].text = t;
    p[c->out->count].style = st;
    c->out->count++;
}

static void line(rctx *c, sd_render_style st, const char *s)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, s);
    emit(c, st, &b);
}

static void article_start(rctx *c, sd_buf *b)
{
    char n[64];
    sd_buf_init(b);
    sd_buf_printf(b, "第%s条　", sd_render_cnum(++c->article, n, sizeof n));
}

static void item(rctx *c, long n, const char *text)
{
    char cn[64];
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_printf(&b, "（%s）%s", sd_render_cnum(n, cn, sizeof cn), text ? text : "");
    emit(c, SD_RENDER_BODY, &b);
}

/* "2019-01-01" → "2019年1月1日"; other text as it is. */
static void put_date(sd_buf *b, const char *iso)
{
    int y, m, d;
    char rest;
    if (iso && sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &rest) == 3)
        sd_buf_printf(b, "%d年%d月%d日", y, m, d);
    else if (iso)
        sd_buf_puts(b, iso);
}

static const char *kind_word(const char *kind)
{
    static const char *const K[][2] = {
        {"party-department", "委工作机关"}, {"party-office", "委办事机构"},
        {"constituent-department", "政府组成部门"}, {"government-department", "政府工作部门"},
        {"special-affiliated", "政府直属特设机构"}, {"directly-affiliated", "政府直属机构"},
        {"department-managed", "部门管理机构"}, {"coordination-body", "议事协调机构"},
        {"congress-office", "人大常委会机关"}, {"cppcc-office", "政协机关"},
        {"court", "人民法院"}, {"procuratorate", "人民检察院"}, {"mass-organization", "群团机关"},
        {"dispatched", "派出机构"}, {"development-zone", "开发区管理机构"}};
    for (size_t i = 0; kind && i < sizeof K / sizeof K[0]; i++)
        if (strcmp(K[i][0], kind) == 0)
            return K[i][1];
    return NULL;
}

/* The jurisdiction's one-character prefix for kind words that take one. */
static const char *tier_prefix(const char *tier, const char *kind)
{
    if (!kind || !(strncmp(kind, "party-", 6) == 0 || strstr(kind, "department") || strstr(kind, "affiliated") ||
                   strcmp(kind, "congress-office") == 0 || strcmp(kind, "cppcc-office") == 0))
        return "";
    if (kind && strcmp(kind, "department-managed") == 0)
        return "";
    if (!tier)
        return "";
    if (strcmp(tier, "province") == 0)
        return "省";
    if (strcmp(tier, "county") == 0)
        return "县";
    if (strcmp(tier, "sub-provincial-district") == 0)
        return "区";
    return "市";
}

static const char *tier_word(const char *t)
{
    static const char *const T[][2] = {{"province", "省级"}, {"sub-provincial", "副省级城市"},
        {"prefecture", "地级市"}, {"county", "县级"}, {"sub-provincial-district", "副省级城市的区"}};
    for (size_t i = 0; t && i < sizeof T / sizeof T[0]; i++)
        if (strcmp(T[i][0], t) == 0)
            return T[i][1];
    return t ? t : "";
}

static const char *staffing_word(const char *t)
{
    static const char *const T[][2] = {{"administrative", "行政"}, {"political-legal", "政法专项"},
        {"service", "工勤"}, {"retiree-service", "离退休干部工作人员"}, {"institution", "事业"}};
    for (size_t i = 0; t && i < sizeof T / sizeof T[0]; i++)
        if (strcmp(T[i][0], t) == 0)
            return T[i][1];
    return t ? t : "";
}

/* "正处级正职1名、副处级副职2名" of the post children of p. */
static void put_posts(sd_buf *b, const xmlNode *p)
{
    int first = 1;
    EACH(post, p, "post") {
        char *rank = att(post, "rank"), *role = att(post, "role"), *count = att(post, "count");
        sd_buf_printf(b, "%s%s%s%s名", first ? "" : "、", rank ? rank : "",
                      role && strcmp(role, "deputy") == 0 ? "副职" : "正职", count ? count : "");
        first = 0;
        free(rank);
        free(role);
        free(count);
    }
}

static void render_head(rctx *c, const xmlNode *root)
{
    const xmlNode *meta = kid(root, "meta");
    char *t = txt(kid(meta, "title"));
    if (t)
        line(c, SD_RENDER_TITLE, t);
    free(t);
    t = txt(kid(meta, "docNumber"));
    if (t)
        line(c, SD_RENDER_BODY, t);
    free(t);
    char *ad = txt(kid(meta, "approvalDate"));
    if (ad && kid(meta, "issuer")) {
        sd_buf b;
        sd_buf_init(&b);
        sd_buf_puts(&b, "（");
        put_date(&b, ad);
        sd_buf_puts(&b, "批准，");
        int first = 1;
        EACH(is, meta, "issuer") {
            char *v = txt(is);
            sd_buf_printf(&b, "%s%s", first ? "" : "、", v ? v : "");
            free(v);
            first = 0;
        }
        sd_buf_puts(&b, "印发）");
        emit(c, SD_RENDER_BODY, &b);
    }
    free(ad);
}

static void render_agency(rctx *c, const xmlNode *root)
{
    const xmlNode *ag = kid(root, "agency");
    if (!ag)
        return;
    char *name = att(ag, "name"), *shortn = att(ag, "shortName"), *kind = att(ag, "kind"),
         *rank = att(ag, "rank"), *tier = att(kid(root, "jurisdiction"), "tier");
    sd_buf b;
    article_start(c, &b);
    sd_buf_puts(&b, name ? name : "");
    if (shortn)
        sd_buf_printf(&b, "（简称%s）", shortn);
    const char *kw = kind_word(kind);
    sd_buf_printf(&b, "是%s%s", tier_prefix(tier, kind), kw ? kw : (kind ? kind : ""));
    if (rank)
        sd_buf_printf(&b, "，为%s", rank);
    sd_buf_puts(&b, "。");
    EACH(pl, ag, "plate") {
        char *pn = att(pl, "name"), *pr = att(pl, "rank");
        sd_buf_printf(&b, "%s加挂%s牌子", c->subject, pn ? pn : "");
        if (pr)
            sd_buf_printf(&b, "（%s）", pr);
        sd_buf_puts(&b, "。");
        free(pn);
        free(pr);
    }
    EACH(co, ag, "coLocatedWith") {
        char *cn = att(co, "name");
        sd_buf_printf(&b, "%s与%s合署办公。", c->subject, cn ? cn : "");
        free(cn);
    }
    const xmlNode *mb = kid(ag, "managedBy");
    if (mb) {
        char *mn = att(mb, "name"), *rel = att(mb, "relation");
        sd_buf_printf(&b, rel && strcmp(rel, "managed") == 0 ? "%s由%s管理。" : "%s归口%s管理。",
                      c->subject, mn ? mn : "");
        free(mn);
        free(rel);
    }
    EACH(h, ag, "hostedOffice") {
        char *hn = att(h, "name"), *hb = att(h, "body");
        sd_buf_printf(&b, "%s的办事机构%s设在%s。", hb ? hb : "", hn ? hn : "", c->subject);
        free(hn);
        free(hb);
    }
    emit(c, SD_RENDER_BODY, &b);
    free(name);
    free(shortn);
    free(kind);
    free(rank);
    free(tier);
}

static void render_functions(rctx *c, const xmlNode *root)
{
    const xmlNode *fs = kid(root, "functions");
    if (!fs)
        return;
    sd_buf b;
    article_start(c, &b);
    sd_buf_printf(&b, "%s的主要职责是：", c->subject);
    emit(c, SD_RENDER_BODY, &b);
    long last = 0, pos = 0;
    EACH(f, fs, "function") {
        char *num = att(f, "number"), *t = txt(f);
        long n = num ? strtol(num, NULL, 10) : 0;
        pos++;
        if (n < 1)
            n = pos;
        if (n > last)
            last = n;
        item(c, n, t);
        free(num);
        free(t);
    }
    EACH(tr, fs, "transformation") {
        char *t = txt(tr);
        sd_buf tb;
        sd_buf_init(&tb);
        sd_buf_printf(&tb, "职能转变。%s", t ? t : "");
        item(c, ++last, tb.data);
        sd_buf_free(&tb);
        free(t);
    }
}

static void render_transfers(rctx *c, const xmlNode *root)
{
    const xmlNode *ts = kid(root, "transfers");
    if (!ts || !ts->children)
        return;
    sd_buf b;
    article_start(c, &b);
    sd_buf_printf(&b, "本次机构改革划入、划出%s的职责：", c->subject);
    emit(c, SD_RENDER_BODY, &b);
    long i = 0;
    for (const xmlNode *t = ts->children; t; t = t->next)
        if (is(t, "transferIn") || is(t, "transferOut")) {
            char *x = txt(t);
            item(c, ++i, x);
            free(x);
        }
}

static void render_units(rctx *c, const xmlNode *root)
{
    const xmlNode *us = kid(root, "internalUnits");
    if (!us)
        return;
    char *count = att(us, "count");
    sd_buf b;
    article_start(c, &b);
    sd_buf_printf(&b, "根据上述职责，%s设下列%s%s内设机构：", c->subject, count ? count : "", count ? "个" : "");
    emit(c, SD_RENDER_BODY, &b);
    free(count);
    long i = 0;
    EACH(u, us, "unit") {
        char *name = att(u, "name"), *d = txt(kid(u, "duties"));
        sd_buf ub;
        sd_buf_init(&ub);
        sd_buf_puts(&ub, name ? name : "");
        if (kid(u, "plate")) {
            sd_buf_puts(&ub, "（加挂");
            int first = 1;
            EACH(pl, u, "plate") {
                char *pn = att(pl, "name");
                sd_buf_printf(&ub, "%s%s", first ? "" : "、", pn ? pn : "");
                free(pn);
                first = 0;
            }
            sd_buf_puts(&ub, "牌子）");
        }
        sd_buf_printf(&ub, "。%s", d ? d : "");
        item(c, ++i, ub.data);
        sd_buf_free(&ub);
        free(name);
        free(d);
    }
}

static void render_staffing(rctx *c, const xmlNode *root)
{
    const xmlNode *st = kid(root, "staffing");
    if (!st)
        return;
    sd_buf b;
    article_start(c, &b);
    if (kid(st, "allocation")) {
        sd_buf_printf(&b, "%s机关", c->subject);
        int first = 1;
        EACH(a, st, "allocation") {
            char *t = att(a, "type"), *p = att(a, "posts");
            sd_buf_printf(&b, "%s%s编制%s名", first ? "" : "，", staffing_word(t), p ? p : "");
            free(t);
            free(p);
            first = 0;
        }
        sd_buf_puts(&b, "。");
    }
    const xmlNode *lt = kid(st, "leadershipTeam");
    const xmlNode *ul = kid(st, "unitLeadership");
    if (lt) {
        char *h = att(lt, "head"), *d = att(lt, "deputy"), *ht = att(lt, "headTitle"),
             *dt = att(lt, "deputyTitle");
        if (ht && dt)
            sd_buf_printf(&b, "设%s%s名，%s%s名", ht, h ? h : "", dt, d ? d : "");
        else
            sd_buf_printf(&b, "设正职%s名，副职%s名", h ? h : "", d ? d : "");
        EACH(o, lt, "otherLeader") {
            char *on = att(o, "name"), *oc = att(o, "count"), *orank = att(o, "rank"), *in = att(o, "inTeam");
            int outside = in && (strcmp(in, "false") == 0 || strcmp(in, "0") == 0);
            sd_buf_printf(&b, "，%s%s名", on ? on : "", oc ? oc : "");
            if (orank || outside)
                sd_buf_printf(&b, "（%s%s%s）", orank ? orank : "", orank && outside ? "，" : "",
                              outside ? "不计入班子职数" : "");
            free(on);
            free(oc);
            free(orank);
            free(in);
        }
        sd_buf_puts(&b, ul && kid(ul, "level") ? "；" : "。");
        free(h);
        free(d);
        free(ht);
        free(dt);
    }
    if (ul && kid(ul, "level")) {
        int first = 1;
        EACH(lv, ul, "level") {
            char *r = att(lv, "rank"), *n = att(lv, "count");
            sd_buf_printf(&b, "%s%s领导职数%s名", first ? "" : "，", r ? r : "", n ? n : "");
            if (kid(lv, "included")) {
                sd_buf_puts(&b, "（含");
                int f2 = 1;
                EACH(in, lv, "included") {
                    char *iname = att(in, "name"), *ic = att(in, "count");
                    sd_buf_printf(&b, "%s%s%s名", f2 ? "" : "、", iname ? iname : "", ic ? ic : "");
                    free(iname);
                    free(ic);
                    f2 = 0;
                }
                sd_buf_puts(&b, "）");
            }
            free(r);
            free(n);
            first = 0;
        }
        sd_buf_puts(&b, "。");
    }
    emit(c, SD_RENDER_BODY, &b);
}

static void render_affiliates(rctx *c, const xmlNode *root)
{
    const xmlNode *as = kid(root, "affiliates");
    if (!as || !kid(as, "affiliate"))
        return;
    sd_buf b;
    article_start(c, &b);
    EACH(a, as, "affiliate") {
        char *k = att(a, "kind"), *n = att(a, "name"), *r = att(a, "rank"), *p = att(a, "posts");
        sd_buf_printf(&b, "%s%s%s", c->subject, k && strcmp(k, "branch") == 0 ? "派出机构" : "所属事业单位",
                      n ? n : "");
        if (r || p)
            sd_buf_printf(&b, "（%s%s%s%s%s）", r ? r : "", r && p ? "，" : "", p ? "编制" : "", p ? p : "",
                          p ? "名" : "");
        sd_buf_puts(&b, "。");
        free(k);
        free(n);
        free(r);
        free(p);
    }
    emit(c, SD_RENDER_BODY, &b);
}

static void render_divisions(rctx *c, const xmlNode *root)
{
    const xmlNode *ds = kid(root, "divisions");
    if (!ds || !kid(ds, "division"))
        return;
    sd_buf b;
    article_start(c, &b);
    sd_buf_puts(&b, "职责分工：");
    emit(c, SD_RENDER_BODY, &b);
    long i = 0;
    EACH(d, ds, "division") {
        char *n = att(d, "name"), *t = txt(kid(d, "text"));
        sd_buf db;
        sd_buf_init(&db);
        sd_buf_printf(&db, "%s。%s", n ? n : "", t ? t : "");
        item(c, ++i, db.data);
        sd_buf_free(&db);
        free(n);
        free(t);
    }
}

static void render_supplementary(rctx *c, const xmlNode *root)
{
    const xmlNode *s = kid(root, "supplementary");
    if (!s)
        return;
    sd_buf b;
    const xmlNode *in = kid(s, "interpreter");
    if (in) {
        char *n = att(in, "name");
        article_start(c, &b);
        sd_buf_printf(&b, "本规定由%s负责解释。", n ? n : "");
        emit(c, SD_RENDER_BODY, &b);
        free(n);
    }
    EACH(cl, s, "clause") {
        char *t = txt(cl);
        article_start(c, &b);
        sd_buf_puts(&b, t ? t : "");
        emit(c, SD_RENDER_BODY, &b);
        free(t);
    }
    const xmlNode *ec = kid(s, "effectiveClause");
    if (ec) {
        char *t = txt(ec);
        article_start(c, &b);
        sd_buf_puts(&b, t ? t : "");
        emit(c, SD_RENDER_BODY, &b);
        free(t);
    }
}

/* The appendix: what the official wording does not carry, as import-zh.txt's a-* lines. */
static void render_appendix(rctx *c, const xmlNode *root)
{
    char cn[64];
    sd_buf b;
    line(c, SD_RENDER_HEADING, "附：机构编制数据");
    const xmlNode *j = kid(root, "jurisdiction");
    if (j) {
        char *n = att(j, "name"), *code = att(j, "code"), *t = att(j, "tier");
        sd_buf_init(&b);
        sd_buf_printf(&b, "行政区域：%s，代码%s，%s", n ? n : "", code ? code : "", tier_word(t));
        emit(c, SD_RENDER_BODY, &b);
        free(n);
        free(code);
        free(t);
    }
    char *ed = txt(kid(kid(root, "meta"), "effectiveDate"));
    if (ed) {
        sd_buf_init(&b);
        sd_buf_puts(&b, "施行日期：");
        put_date(&b, ed);
        emit(c, SD_RENDER_BODY, &b);
        free(ed);
    }
    const xmlNode *ag = kid(root, "agency");
    EACH(cp, ag, "counterpart") {
        char *n = att(cp, "name");
        sd_buf_init(&b);
        sd_buf_printf(&b, "上级对应机构：%s", n ? n : "");
        emit(c, SD_RENDER_BODY, &b);
        free(n);
    }
    EACH(lr, ag, "localReason") {
        char *t = txt(lr);
        sd_buf_init(&b);
        sd_buf_printf(&b, "特色机构理由：%s", t ? t : "");
        emit(c, SD_RENDER_BODY, &b);
        free(t);
    }
    const xmlNode *fs = kid(root, "functions");
    long i = 0;
    EACH(f, fs, "function") {
        char *n = att(f, "name"), *code = att(f, "code");
        i++;
        if (n || code) {
            sd_buf_init(&b);
            sd_buf_printf(&b, "职责（%s）：%s", sd_render_cnum(i, cn, sizeof cn), n ? n : "");
            if (code)
                sd_buf_printf(&b, "，编码%s", code);
            emit(c, SD_RENDER_BODY, &b);
        }
        free(n);
        free(code);
    }
    i = 0;
    EACH(tr, fs, "transformation") {
        char *n = att(tr, "name");
        i++;
        if (n) {
            sd_buf_init(&b);
            sd_buf_printf(&b, "职能转变（%s）：%s", sd_render_cnum(i, cn, sizeof cn), n);
            emit(c, SD_RENDER_BODY, &b);
        }
        free(n);
    }
    const xmlNode *ts = kid(root, "transfers");
    i = 0;
    for (const xmlNode *t = ts ? ts->children : NULL; t; t = t->next) {
        int in = is(t, "transferIn");
        if (!in && !is(t, "transferOut"))
            continue;
        char *n = att(t, "name"), *code = att(t, "code"), *ag2 = att(t, in ? "from" : "to"),
             *ref = att(t, in ? "fromRef" : "toRef"), *ap = att(t, "adminPosts"),
             *lp = att(t, "leadershipPosts"), *sf = att(t, "staff");
        sd_buf_init(&b);
        sd_buf_printf(&b, "%s职责（%s）：%s，编码%s，%s%s", in ? "划入" : "划出",
                      sd_render_cnum(++i, cn, sizeof cn), n ? n : "", code ? code : "",
                      in ? "来自" : "划给", ag2 ? ag2 : "");
        if (ref)
            sd_buf_printf(&b, "（%s）", ref);
        sd_buf_printf(&b, "，行政编制%s名", ap ? ap : "");
        if (lp)
            sd_buf_printf(&b, "，领导职数%s名", lp);
        if (sf)
            sd_buf_printf(&b, "，人员%s名", sf);
        emit(c, SD_RENDER_BODY, &b);
        free(n);
        free(code);
        free(ag2);
        free(ref);
        free(ap);
        free(lp);
        free(sf);
    }
    i = 0;
    EACH(u, kid(root, "internalUnits"), "unit") {
        const char *n = sd_render_cnum(++i, cn, sizeof cn);
        char *cat = att(u, "category"), *rank = att(u, "rank"), *posts = att(u, "posts");
        sd_buf_init(&b);
        sd_buf_printf(&b, "内设机构（%s）：%s，%s，编制%s名", n,
                      cat && strcmp(cat, "comprehensive") == 0 ? "综合管理类" : cat && strcmp(cat, "business") == 0 ? "业务类" : (cat ? cat : ""),
                      rank ? rank : "", posts ? posts : "");
        const xmlNode *ld = kid(u, "leadership");
        if (kid(ld, "post")) {
            sd_buf_puts(&b, "，");
            put_posts(&b, ld);
        }
        emit(c, SD_RENDER_BODY, &b);
        free(cat);
        free(rank);
        free(posts);
        const xmlNode *bf = kid(u, "before");
        if (bf) {
            char *bp = att(bf, "posts");
            sd_buf_init(&b);
            sd_buf_printf(&b, "内设机构（%s）改革前：编制%s名", n, bp ? bp : "");
            if (kid(bf, "post")) {
                sd_buf_puts(&b, "，");
                put_posts(&b, bf);
            }
            emit(c, SD_RENDER_BODY, &b);
            free(bp);
        }
        if (kid(u, "mergedFrom")) {
            sd_buf_init(&b);
            sd_buf_printf(&b, "内设机构（%s）整合自：", n);
            int first = 1;
            EACH(mf, u, "mergedFrom") {
                char *r = att(mf, "ref");
                sd_buf_printf(&b, "%s%s", first ? "" : "、", r ? r : "");
                free(r);
                first = 0;
            }
            emit(c, SD_RENDER_BODY, &b);
        }
    }
    EACH(fu, kid(root, "formerUnits"), "formerUnit") {
        char *id = att(fu, "id"), *n = att(fu, "name"), *fa = att(fu, "formerAgency"), *r = att(fu, "rank"),
             *p = att(fu, "posts");
        sd_buf_init(&b);
        sd_buf_printf(&b, "原内设机构：%s，%s", id ? id : "", n ? n : "");
        if (fa)
            sd_buf_printf(&b, "，原属%s", fa);
        if (r)
            sd_buf_printf(&b, "，%s", r);
        sd_buf_printf(&b, "，编制%s名", p ? p : "");
        if (kid(fu, "post")) {
            sd_buf_puts(&b, "，");
            put_posts(&b, fu);
        }
        emit(c, SD_RENDER_BODY, &b);
        free(id);
        free(n);
        free(fa);
        free(r);
        free(p);
    }
    const xmlNode *br = kid(kid(root, "staffing"), "beforeReform");
    if (br) {
        char *u = att(br, "units");
        sd_buf_init(&b);
        sd_buf_puts(&b, "改革前");
        if (u)
            sd_buf_printf(&b, "内设机构%s个", u);
        sd_buf_puts(&b, "：");
        int first = 1;
        EACH(a, br, "allocation") {
            char *t = att(a, "type"), *p = att(a, "posts");
            sd_buf_printf(&b, "%s%s编制%s名", first ? "" : "，", staffing_word(t), p ? p : "");
            free(t);
            free(p);
            first = 0;
        }
        EACH(lt, br, "levelTotal") {
            char *r = att(lt, "rank"), *n = att(lt, "count");
            sd_buf_printf(&b, "%s%s领导职数%s名", first ? "" : "，", r ? r : "", n ? n : "");
            free(r);
            free(n);
            first = 0;
        }
        emit(c, SD_RENDER_BODY, &b);
        free(u);
    }
    i = 0;
    EACH(d, kid(root, "divisions"), "division") {
        i++;
        if (!kid(d, "relatedAgency"))
            continue;
        sd_buf_init(&b);
        sd_buf_printf(&b, "职责分工（%s）相关机构：", sd_render_cnum(i, cn, sizeof cn));
        int first = 1;
        EACH(ra, d, "relatedAgency") {
            char *n = att(ra, "name"), *r = att(ra, "ref");
            sd_buf_printf(&b, "%s%s", first ? "" : "、", n ? n : "");
            if (r)
                sd_buf_printf(&b, "（%s）", r);
            free(n);
            free(r);
            first = 0;
        }
        emit(c, SD_RENDER_BODY, &b);
    }
}

sd_status sd_render_sanding(const xmlDoc *doc, sd_render_doc *out, sd_error *err)
{
    memset(out, 0, sizeof *out);
    const xmlNode *root = doc ? xmlDocGetRootElement((xmlDocPtr)doc) : NULL;
    if (!is(root, "sanding"))
        return sd_error_set(err, SD_EINVAL, NULL, 0, "not a 三定 (root sanding in %s)", NS);
    rctx c = {.out = out};
    const xmlNode *ag = kid(root, "agency");
    char *shortn = att(ag, "shortName"), *name = att(ag, "name");
    c.subject = shortn ? shortn : name ? name : "本机构";
    render_head(&c, root);
    const xmlNode *lb = kid(root, "legalBasis");
    if (lb) {
        char *t = txt(kid(lb, "title")), *d = txt(kid(lb, "docNumber"));
        sd_buf b;
        article_start(&c, &b);
        sd_buf_printf(&b, "根据《%s》（%s），制定本规定。", t ? t : "", d ? d : "");
        emit(&c, SD_RENDER_BODY, &b);
        free(t);
        free(d);
    }
    render_agency(&c, root);
    render_functions(&c, root);
    render_transfers(&c, root);
    render_units(&c, root);
    render_staffing(&c, root);
    render_affiliates(&c, root);
    render_divisions(&c, root);
    render_supplementary(&c, root);
    out->appendix = out->count;
    render_appendix(&c, root);
    free(shortn);
    free(name);
    if (c.oom) {
        sd_render_doc_free(out);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    return SD_OK;
}

sd_status sd_render_text(const sd_render_doc *d, char **text, size_t *len, sd_error *err)
{
    sd_buf b;
    sd_buf_init(&b);
    for (size_t i = 0; i < d->count; i++) {
        sd_buf_puts(&b, d->items[i].text);
        sd_buf_puts(&b, "\n");
    }
    sd_buf_add(&b, "", 0);
    if (sd_buf_failed(&b) || !b.data) {
        sd_buf_free(&b);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    *text = b.data;
    *len = b.len;
    return SD_OK;
}

void sd_render_doc_free(sd_render_doc *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->items[i].text);
    free(d->items);
    d->items = NULL;
    d->count = 0;
}
