/*
 * planrules.c — the cross-document rules of a reform plan: SD201–SD206 and
 * SD208–SD213 (DOMAIN.md §3), as built-in checks over the plan, its parent
 * plan, its catalogue and the 三定 of its agencies, all loaded already.
 *
 * Why C and not a rule pack: these rules join documents by the plan's ids and
 * by normalised names, balance transfers seen from three places, and suggest
 * names by edit distance over characters — hash tables and loops, which
 * XPath 1.0 over one tree does not offer.
 *
 * Shape: one model is built first (every agency of the plan by id and by
 * name key, every catalogue entry by name and alias, each 三定 linked to its
 * plan entry); then each rule is one pass.  Cost O((n + m) log(n + m)) at most
 * for n agencies and m functions (hash tables; sorting is the caller's); a
 * did-you-mean costs the candidates' lengths per unknown name only.
 *
 * Memory: every string this file derives lives in one arena freed at the end;
 * the trees are only read.  No global mutable state.
 *
 * Names are compared by one key (names_key, on src/names.h): full-width
 * folded, without blanks or trailing punctuation, 中国共产党…委员会 read as
 * 中共…委, and the jurisdiction's name (or its short form 市/县/区…) taken off
 * the front; "did you mean" is sd_names_suggest over those keys.
 *
 * Where a finding goes: to the place where the fix belongs (the 三定 that
 * disagrees with its plan, the agency that gave a function away and still
 * claims it), with the other end as its related place.
 */
#include "planrules.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "buf.h"
#include "names.h"
#include "pos.h"
#include "xpathloc.h"

/* ------------------------------------------------------------------ arena */

typedef struct blk {
    struct blk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} blk;

typedef struct strmap {
    const char **keys;
    void **vals;
    size_t cap, n;
} strmap;

typedef struct agency agency;
typedef struct sdoc sdoc;

struct agency {
    const char *id, *name, *kind, *rank, *disp, *host;
    long admin, units;
    xmlNodePtr node;
    int after;       /* 1: agenciesAfter, 0: agenciesBefore */
    sdoc *sd;        /* its loaded 三定 (after only) */
    agency *hosted;  /* first after entry whose @host is this one */
    agency *next_hosted;
};

struct sdoc {
    const char *file;
    xmlDocPtr doc;
    xmlNodePtr root, agency_el;
    agency *ag;      /* the plan entry it belongs to; NULL when unknown */
    const char *name; /* agency/@name, or the file name */
    size_t index;
};

typedef struct catentry {
    const char *id, *name;
    int mandatory;
    xmlNodePtr node;
    int covered;     /* 1 directly (name, alias, counterpart), 2 by combine/plate */
    int as_plate;    /* named by a plate of the plan */
} catentry;

typedef struct catname {
    catentry *e;
    const char *shown; /* the name or alias as written */
    int alias;
} catname;

typedef struct ctx {
    sd_lang lang;
    sd_diags *out;
    sd_error *err;
    sd_status st;
    blk *arena;
    sd_xpathloc *xl;
    const sd_planrules_input *in;
    long param_cap;

    xmlNodePtr proot;   /* reformPlan */
    const char *pfile;
    const char *tier, *jname, *parent_jname, *cat_jname;

    agency *before, *after;
    size_t nbefore, nafter;
    strmap before_id, after_id, before_name, after_name, parent_name;
    strmap successor; /* before id → the after entry naming it as predecessor */
    strmap route;     /* a document's file → the list its findings go to */
    catentry *cat;
    size_t ncat;
    strmap cat_id, cat_name;
    catname **catnames; /* every name and alias, in document order (did you mean) */
    size_t ncatnames;
    const char **catkeys; /* their local keys, made once on the first unknown name */
    const char **catalias; /* for an alias, the name of its entry; else NULL */
    sdoc *sd;
    size_t nsd;
} ctx;

static void oom(ctx *c)
{
    if (c->st == SD_OK)
        c->st = sd_error_set(c->err, SD_ENOMEM, NULL, 0, "out of memory in the plan rules");
}

static void *ar_alloc(ctx *c, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (c->arena == NULL || c->arena->cap - c->arena->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        blk *b = malloc(sizeof *b + cap);
        if (b == NULL) {
            oom(c);
            return NULL;
        }
        b->next = c->arena;
        b->used = 0;
        b->cap = cap;
        c->arena = b;
    }
    void *p = c->arena->data + c->arena->used;
    c->arena->used += n;
    memset(p, 0, n);
    return p;
}

static char *ar_strndup(ctx *c, const char *s, size_t n)
{
    char *d = ar_alloc(c, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static char *ar_cat(ctx *c, const char *a, const char *b, const char *d)
{
    size_t la = strlen(a), lb = strlen(b), ld = d ? strlen(d) : 0;
    char *r = ar_alloc(c, la + lb + ld + 1);
    if (r) {
        memcpy(r, a, la);
        memcpy(r + la, b, lb);
        if (d)
            memcpy(r + la + lb, d, ld);
        r[la + lb + ld] = '\0';
    }
    return r;
}

static void ar_free(blk *b)
{
    while (b) {
        blk *n = b->next;
        free(b);
        b = n;
    }
}

/* --------------------------------------------------------------- strmap */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void *map_get(const strmap *m, const char *k)
{
    if (m->cap == 0 || k == NULL)
        return NULL;
    for (size_t i = hash_str(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == NULL)
            return NULL;
        if (strcmp(m->keys[i], k) == 0)
            return m->vals[i];
    }
}

/* Inserts k → v when k is absent (the first one wins); k must outlive m. */
static void map_put(ctx *c, strmap *m, const char *k, void *v)
{
    if (k == NULL || c->st != SD_OK)
        return;
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        const char **keys = calloc(cap, sizeof *keys);
        void **vals = calloc(cap, sizeof *vals);
        if (keys == NULL || vals == NULL) {
            free(keys);
            free(vals);
            oom(c);
            return;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->keys[i] == NULL)
                continue;
            size_t j = hash_str(m->keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t i = hash_str(k) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], k) == 0)
            return;
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = k;
    m->vals[i] = v;
    m->n++;
}

static void map_free(strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ xml */

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr next_el(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next)
        if (is_el(n, name))
            return n;
    return NULL;
}

static xmlNodePtr child(xmlNodePtr p, const char *name)
{
    return p ? next_el(p->children, name) : NULL;
}

#define FOR_CHILD(var, parent, name) \
    for (xmlNodePtr var = child((parent), (name)); var; var = next_el(var->next, (name)))

/* s with XML whitespace runs collapsed to one space, trimmed (arena). */
static const char *collapse(ctx *c, const char *s)
{
    size_t n = strlen(s);
    char *d = ar_alloc(c, n + 1);
    if (d == NULL)
        return NULL;
    size_t k = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = k > 0;
            continue;
        }
        if (sp)
            d[k++] = ' ';
        sp = 0;
        d[k++] = ch;
    }
    d[k] = '\0';
    return d;
}

static const char *attr(ctx *c, xmlNodePtr n, const char *name)
{
    if (n == NULL)
        return NULL;
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    const char *r = collapse(c, (const char *)v);
    xmlFree(v);
    return r;
}

/* The attribute node (for its position), else the element. */
static xmlNodePtr attr_node(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = n ? xmlHasNsProp(n, (const xmlChar *)name, NULL) : NULL;
    return a ? (xmlNodePtr)a : n;
}

static const char *text(ctx *c, xmlNodePtr n)
{
    if (n == NULL)
        return NULL;
    xmlChar *v = xmlNodeGetContent(n);
    if (v == NULL)
        return NULL;
    const char *r = collapse(c, (const char *)v);
    xmlFree(v);
    return r;
}

/* A non-negative integer as the schema reads it ("+3", "03"); -1 otherwise. */
static long num_of(const char *s)
{
    if (s == NULL)
        return -1;
    if (*s == '+')
        s++;
    if (*s < '0' || *s > '9')
        return -1;
    long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > 100000000000L)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return *s == '\0' ? v : -1;
}

static long attr_num(ctx *c, xmlNodePtr n, const char *name)
{
    return num_of(attr(c, n, name));
}

/* A count stated as element text (<agencyCap>53</agencyCap>) or @count. */
static long count_of(ctx *c, xmlNodePtr n)
{
    if (n == NULL)
        return -1;
    long v = attr_num(c, n, "count");
    return v >= 0 ? v : num_of(text(c, n));
}

static int truthy(const char *s)
{
    return s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

static int word_in(const char *list, const char *w)
{
    if (list == NULL || w == NULL)
        return 0;
    size_t n = strlen(w);
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == n && strncmp(p, w, n) == 0)
            return 1;
        p = e;
    }
    return 0;
}

/* ---------------------------------------------------------------- names */

static int starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static const char *ar_take(ctx *c, char *m)
{
    if (m == NULL) {
        oom(c);
        return NULL;
    }
    const char *r = ar_strndup(c, m, strlen(m));
    free(m);
    return r;
}

/* The comparison form of a name or a duty text: sd_names_normalize (full
 * width folded, blanks and trailing punctuation dropped), then
 * 中国共产党X委员会… (X a place ending in 省市县区州盟旗) read as 中共X委…, so
 * the two party forms of one name are equal. */
static const char *names_normalize(ctx *c, const char *s)
{
    if (s == NULL)
        return NULL;
    const char *d = ar_take(c, sd_names_normalize(s));
    if (d == NULL)
        return NULL;
    static const char cpc[] = "中国共产党", wyh[] = "委员会";
    if (starts(d, cpc)) {
        const char *x = d + strlen(cpc), *w = strstr(x, wyh);
        if (w && w - x >= 3) {
            static const char *const ends[] = {"省", "市", "县", "区", "州", "盟", "旗"};
            int place = 0;
            for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
                place |= strncmp(w - 3, ends[i], 3) == 0;
            if (place) {
                size_t n = strlen(d) + 1;
                char *r = ar_alloc(c, n);
                if (r == NULL)
                    return NULL;
                snprintf(r, n, "中共%.*s委%s", (int)(w - x), x, w + strlen(wyh));
                return r;
            }
        }
    }
    return d;
}

/* The local part of a normalised name (sd_names_local_part: 中共/中国共产党,
 * the jurisdiction j and a 委 after it taken off) and, when shortform is set
 * and j was not there, the short forms 市委/县委/…, 市/县/区/省 of a text
 * that names its own jurisdiction so (县财政局); then 人民政府… is read as
 * 政府… (县政府办公室). */
static const char *names_key(ctx *c, const char *norm, const char *j, int shortform)
{
    sd_names_split split = {0};
    const char *s = ar_take(c, sd_names_local_part(norm, j, &split));
    if (s == NULL)
        return "";
    if (!split.jurisdiction && shortform && split.form != SD_NAMES_FULL) {
        static const char *const P[] = {"市委", "县委", "区委", "省委", "州委", "旗委", "市", "县", "区", "省"};
        size_t np = split.form == SD_NAMES_ZHONGGONG ? 6 : sizeof P / sizeof P[0];
        for (size_t i = 0; i < np; i++)
            if (starts(s, P[i]) && s[strlen(P[i])]) {
                s += strlen(P[i]);
                break;
            }
    }
    if (*s == '\0')
        return norm; /* 中共沈阳市委 itself: the name is its own key */
    if (starts(s, "人民政府") && s[12])
        s += 6;
    return s;
}

/* Looks raw up in a table keyed by names_key(…, the table's jurisdiction, 0)
 * and by the full normalised name: the full form, then the local part taken
 * with j1 (the name's own jurisdiction) and with j2 (the table's), then the
 * short form. */
static void *lookup_name(ctx *c, const strmap *m, const char *raw, const char *j1, const char *j2)
{
    const char *norm = names_normalize(c, raw);
    if (norm == NULL || *norm == '\0')
        return NULL;
    void *v = map_get(m, norm);
    if (v == NULL)
        v = map_get(m, names_key(c, norm, j1, 0));
    if (v == NULL && j2)
        v = map_get(m, names_key(c, norm, j2, 0));
    if (v == NULL)
        v = map_get(m, names_key(c, norm, j1, 1));
    return v;
}

static void put_name(ctx *c, strmap *m, const char *raw, const char *j, void *v)
{
    const char *norm = names_normalize(c, raw);
    if (norm == NULL || *norm == '\0')
        return;
    map_put(c, m, norm, v);
    map_put(c, m, names_key(c, norm, j, 0), v);
    map_put(c, m, names_key(c, norm, j, 1), v); /* a table written in short forms (市委办公室) */
}

/* The closest of keys[0..n) (local parts; alias_of[i] the name of the entry
 * a key is an alias of, or NULL) to q by characters (sd_names_suggest), or -1. */
static long did_you_mean(ctx *c, const char *q, const char *j, const char *const *keys,
                         const char *const *alias_of, size_t n)
{
    const char *norm = names_normalize(c, q);
    if (norm == NULL || n == 0)
        return -1;
    sd_names_candidate *cands = malloc(n * sizeof *cands);
    if (cands == NULL) {
        oom(c);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        cands[i].name = keys[i] ? keys[i] : "";
        cands[i].alias_of = alias_of ? alias_of[i] : NULL;
    }
    /* The query as written, and in its short form (县应急管理所 → 应急管理所);
     * the closer of the two suggestions wins. */
    long found = -1;
    size_t bestd = (size_t)-1;
    for (int shortform = 0; shortform < 2; shortform++) {
        sd_names_suggestion best;
        size_t k = sd_names_suggest(names_key(c, norm, j, shortform), cands, n, &best, 1);
        if (k == (size_t)-1) {
            oom(c);
            break;
        }
        if (k == 1 && best.distance > 0 && best.distance < bestd) {
            bestd = best.distance;
            found = (long)best.index;
        }
    }
    free(cands);
    return found;
}

/* ------------------------------------------------------------- findings */

static void add_finding(ctx *c, const char *rule, sd_severity sev, const char *file, xmlNodePtr n,
                        const char *rfile, xmlNodePtr rn, const char *rmsg, const char *msg)
{
    if (c->st != SD_OK)
        return;
    sd_pos p = {0}, rp = {0};
    if (n)
        sd_pos_of(n, &p);
    char *loc = n ? sd_xpathloc_path(c->xl, n, SD_XPATHLOC_COMPACT) : NULL;
    char *rloc = rn ? sd_xpathloc_path(c->xl, rn, SD_XPATHLOC_COMPACT) : NULL;
    sd_related rel = {0};
    sd_finding f = {
        .rule_id = (char *)rule, .severity = sev, .file = (char *)file,
        .line = p.line, .col = p.col, .end_line = p.end_line, .end_col = p.end_col,
        .offset = (long)p.offset, .location = loc, .message = (char *)msg,
    };
    if (rfile) {
        if (rn)
            sd_pos_of(rn, &rp);
        rel.file = (char *)rfile;
        rel.line = rp.line;
        rel.col = rp.col;
        rel.location = rloc;
        rel.message = (char *)rmsg;
        f.related = &rel;
        f.nrelated = 1;
    }
    sd_diags *to = map_get(&c->route, file);
    sd_status st = sd_diags_add(to ? to : c->out, &f, c->err);
    if (st != SD_OK && c->st == SD_OK)
        c->st = st;
    free(loc);
    free(rloc);
}

static void report_(ctx *c, const char *rule, sd_severity sev, const char *file, xmlNodePtr n,
                    const char *rfile, xmlNodePtr rn, const char *rmsg_zh, const char *rmsg_en,
                    const char *fmt_zh, const char *fmt_en, ...)
{
    if (c->st != SD_OK)
        return;
    va_list ap;
    va_start(ap, fmt_en);
    const char *fmt = SD_TR(c->lang, fmt_zh, fmt_en);
    va_list aq;
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *m = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (m)
        vsnprintf(m, (size_t)len + 1, fmt, ap);
    va_end(ap);
    if (m == NULL) {
        oom(c);
        return;
    }
    add_finding(c, rule, sev, file, n, rfile, rn, rfile ? SD_TR(c->lang, rmsg_zh, rmsg_en) : NULL, m);
    free(m);
}

/* REPORT(c, rule, sev, file, node, rfile, rnode, rel_zh, rel_en, fmt_zh, fmt_en, args...):
 * both formats take the same arguments in the same order; the dead snprintf
 * calls let the compiler check them. */
#define REPORT(c, rule, sev, file, n, rfile, rn, rzh, ren, zh, en, ...)                 \
    do {                                                                               \
        if (0) {                                                                       \
            (void)snprintf(NULL, 0, zh, __VA_ARGS__);                                  \
            (void)snprintf(NULL, 0, en, __VA_ARGS__);                                  \
        }                                                                              \
        report_((c), (rule), (sev), (file), (n), (rfile), (rn), (rzh), (ren), zh, en,   \
                __VA_ARGS__);                                                          \
    } while (0)

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---------------------------------------------------------------- model */

static int counted_kind(const char *k)
{
    static const char *const K[] = {"party-department",    "party-office",       "government-department",
                                    "constituent-department", "special-affiliated", "directly-affiliated",
                                    "department-managed"};
    for (size_t i = 0; k && i < sizeof K / sizeof K[0]; i++)
        if (strcmp(k, K[i]) == 0)
            return 1;
    return 0;
}

static int counted(const agency *a)
{
    return counted_kind(a->kind) && !(a->disp && (strcmp(a->disp, "plate") == 0 ||
                                                  strcmp(a->disp, "co-located") == 0));
}

static int is_disp(const agency *a, const char *d)
{
    return a->disp && strcmp(a->disp, d) == 0;
}

static agency *read_agencies(ctx *c, xmlNodePtr list, int after, size_t *n)
{
    size_t k = 0;
    FOR_CHILD(a, list, "agency")
    k++;
    agency *v = ar_alloc(c, (k ? k : 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    k = 0;
    FOR_CHILD(a, list, "agency")
    {
        agency *g = &v[k++];
        g->node = a;
        g->after = after;
        g->id = attr(c, a, "id");
        g->name = attr(c, a, "name");
        g->kind = attr(c, a, "kind");
        g->rank = attr(c, a, "rank");
        g->disp = attr(c, a, "disposition");
        g->host = attr(c, a, "host");
        g->admin = attr_num(c, a, "adminPosts");
        g->units = attr_num(c, a, "units");
    }
    *n = k;
    return v;
}

static const char *jur_name(ctx *c, xmlNodePtr root)
{
    return names_normalize(c, attr(c, child(root, "jurisdiction"), "name"));
}

static void build_model(ctx *c)
{
    c->proot = xmlDocGetRootElement(c->in->plan.doc);
    c->pfile = nz(c->in->plan.file);
    if (c->in->plan.diags)
        map_put(c, &c->route, c->pfile, c->in->plan.diags);
    xmlNodePtr jur = child(c->proot, "jurisdiction");
    c->tier = attr(c, jur, "tier");
    c->jname = jur_name(c, c->proot);
    c->before = read_agencies(c, child(c->proot, "agenciesBefore"), 0, &c->nbefore);
    c->after = read_agencies(c, child(c->proot, "agenciesAfter"), 1, &c->nafter);
    for (size_t i = 0; i < c->nbefore; i++) {
        map_put(c, &c->before_id, c->before[i].id, &c->before[i]);
        put_name(c, &c->before_name, c->before[i].name, c->jname, &c->before[i]);
    }
    for (size_t i = 0; i < c->nafter; i++) {
        agency *a = &c->after[i];
        map_put(c, &c->after_id, a->id, a);
        if (is_disp(a, "abolished"))
            continue;
        put_name(c, &c->after_name, a->name, c->jname, a);
        FOR_CHILD(pr, a->node, "predecessor")
        {
            const char *ref = attr(c, pr, "ref");
            if (ref)
                map_put(c, &c->successor, ref, a);
        }
        FOR_CHILD(p, a->node, "plate")
        put_name(c, &c->after_name, attr(c, p, "name"), c->jname, a);
    }

    /* Entries hosted by each entry (plates, 合署 partners), in document order. */
    for (size_t i = c->nafter; i-- > 0;) {
        agency *a = &c->after[i];
        agency *h = a->host ? map_get(&c->after_id, a->host) : NULL;
        if (h && h != a) {
            a->next_hosted = h->hosted;
            h->hosted = a;
        }
    }
    /* Coordination bodies exist after the reform too (SD209). */
    FOR_CHILD(cb, child(c->proot, "coordinationBodies"), "coordinationBody")
    {
        agency *g = ar_alloc(c, sizeof *g);
        if (g == NULL)
            return;
        g->node = cb;
        g->after = 1;
        g->name = attr(c, cb, "name");
        g->admin = g->units = -1;
        put_name(c, &c->after_name, g->name, c->jname, g);
    }

    xmlNodePtr proot = c->in->parent.doc ? xmlDocGetRootElement(c->in->parent.doc) : NULL;
    if (is_el(proot, "reformPlan")) {
        c->parent_jname = jur_name(c, proot);
        FOR_CHILD(a, child(proot, "agenciesAfter"), "agency")
        {
            const char *disp = attr(c, a, "disposition");
            if (disp && strcmp(disp, "abolished") == 0)
                continue;
            put_name(c, &c->parent_name, attr(c, a, "name"), c->parent_jname, a);
        }
        FOR_CHILD(cb, child(proot, "coordinationBodies"), "coordinationBody")
        put_name(c, &c->parent_name, attr(c, cb, "name"), c->parent_jname, cb);
    }

    xmlNodePtr croot = c->in->catalogue.doc ? xmlDocGetRootElement(c->in->catalogue.doc) : NULL;
    if (is_el(croot, "catalogue")) {
        c->cat_jname = jur_name(c, croot);
        size_t k = 0, names = 0;
        FOR_CHILD(a, croot, "agency")
        {
            k++;
            names++;
            FOR_CHILD(al, a, "alias")
            names++;
        }
        c->cat = ar_alloc(c, (k ? k : 1) * sizeof *c->cat);
        c->catnames = ar_alloc(c, (names ? names : 1) * sizeof *c->catnames);
        if (c->cat == NULL || c->catnames == NULL)
            return;
        FOR_CHILD(a, croot, "agency")
        {
            catentry *e = &c->cat[c->ncat++];
            e->node = a;
            e->id = attr(c, a, "id");
            e->name = attr(c, a, "name");
            e->mandatory = truthy(attr(c, a, "mandatory"));
            map_put(c, &c->cat_id, e->id, e);
            catname *cn = ar_alloc(c, sizeof *cn);
            if (cn == NULL)
                return;
            cn->e = e;
            cn->shown = e->name;
            c->catnames[c->ncatnames++] = cn;
            put_name(c, &c->cat_name, e->name, c->cat_jname, cn);
            FOR_CHILD(al, a, "alias")
            {
                catname *an = ar_alloc(c, sizeof *an);
                if (an == NULL)
                    return;
                an->e = e;
                an->shown = attr(c, al, "name");
                an->alias = 1;
                c->catnames[c->ncatnames++] = an;
                put_name(c, &c->cat_name, an->shown, c->cat_jname, an);
            }
        }
    }

    c->sd = ar_alloc(c, (c->in->nsandings ? c->in->nsandings : 1) * sizeof *c->sd);
    if (c->sd == NULL)
        return;
    for (size_t i = 0; i < c->in->nsandings; i++) {
        const sd_planrules_sanding *s = &c->in->sandings[i];
        xmlNodePtr r = s->sanding.doc ? xmlDocGetRootElement(s->sanding.doc) : NULL;
        if (!is_el(r, "sanding"))
            continue; /* missing or not a 三定: SD207's business */
        sdoc *d = &c->sd[c->nsd];
        d->index = c->nsd++;
        d->file = nz(s->sanding.file);
        d->doc = s->sanding.doc;
        if (s->sanding.diags)
            map_put(c, &c->route, d->file, s->sanding.diags);
        d->root = r;
        d->agency_el = child(r, "agency");
        d->name = attr(c, d->agency_el, "name");
        if (d->name == NULL)
            d->name = d->file;
        d->ag = s->agency_id ? map_get(&c->after_id, s->agency_id) : NULL;
        if (d->ag && d->ag->sd == NULL)
            d->ag->sd = d;
    }
}

static const char *tier_label(ctx *c)
{
    static const struct { const char *id, *zh; } T[] = {
        {"province", "省级"}, {"sub-provincial", "副省级城市"}, {"prefecture", "地级市"},
        {"county", "县级"}, {"sub-provincial-district", "副省级城市的区"}};
    for (size_t i = 0; c->tier && i < sizeof T / sizeof T[0]; i++)
        if (strcmp(c->tier, T[i].id) == 0)
            return SD_TR(c->lang, T[i].zh, T[i].id);
    return nz(c->tier);
}

/* An agency kind with its Chinese meaning in zh: government-department（政府工作部门）. */
static const char *kind_label(ctx *c, const char *k)
{
    static const struct { const char *id, *zh; } K[] = {
        {"party-department", "党委工作机关"}, {"party-office", "党委办事机构"},
        {"government-department", "政府工作部门"}, {"constituent-department", "政府组成部门"},
        {"special-affiliated", "直属特设机构"}, {"directly-affiliated", "直属机构"},
        {"department-managed", "部门管理机构"}, {"coordination-body", "议事协调机构"},
        {"congress-office", "人大机关"}, {"cppcc-office", "政协机关"}, {"court", "人民法院"},
        {"procuratorate", "人民检察院"}, {"mass-organization", "群团机关"}, {"dispatched", "派出机构"},
        {"development-zone", "开发区管理委员会"}};
    for (size_t i = 0; k && i < sizeof K / sizeof K[0]; i++)
        if (strcmp(k, K[i].id) == 0)
            return ar_cat(c, k, SD_TR(c->lang, "（", " ("), ar_cat(c, K[i].zh, SD_TR(c->lang, "）", ")"), NULL));
    return nz(k);
}

static const char *ag_name(const agency *a)
{
    return a->name ? a->name : nz(a->id);
}

/* ---------------------------------------------------------------- SD201 */

static void sd201(ctx *c)
{
    xmlNodePtr capel = child(c->proot, "agencyCap");
    long cap = count_of(c, capel);
    if (cap < 0 && c->param_cap > 0)
        cap = c->param_cap;
    xmlNodePtr list = child(c->proot, "agenciesAfter");
    long n = 0;
    for (size_t i = 0; i < c->nafter; i++)
        n += counted(&c->after[i]);
    if (cap >= 0 && n > cap)
        REPORT(c, "SD201", SD_SEV_ERROR, c->pfile, list ? list : c->proot, capel ? c->pfile : NULL, capel,
               "机构限额", "the cap",
               "改革后计入机构限额的机构有%ld个，超过限额%ld个，多%ld个（合署办公、加挂牌子的机构和议事协调机构不计入，部门管理机构和归口管理的机构计入）：请撤并机构，或改为合署办公、加挂牌子",
               "%ld agencies count against the cap of %ld after the reform, %ld too many (co-located and plate "
               "bodies and coordination bodies do not count; department-managed and centrally managed ones do): "
               "merge agencies, or make some co-located or carried as plates",
               n, cap, n - cap);

    xmlNodePtr pcap = child(c->proot, "adminPostsCap");
    long acap = count_of(c, pcap);
    if (acap < 0)
        return;
    long sum = 0;
    int listed = 0;
    for (size_t i = 0; i < c->nafter; i++)
        if (c->after[i].admin >= 0) {
            sum += c->after[i].admin;
            listed = 1;
        }
    xmlNodePtr at = list;
    if (!listed) {
        xmlNodePtr ta = child(child(c->proot, "totals"), "after");
        sum = attr_num(c, ta, "adminPosts");
        at = attr_node(ta, "adminPosts");
    }
    if (sum > acap)
        REPORT(c, "SD201", SD_SEV_ERROR, c->pfile, at ? at : c->proot, c->pfile, pcap, "行政编制总额",
               "the total of administrative posts",
               "改革后行政编制合计%ld名，超过行政编制总额%ld名，多%ld名：请在总额内核减编制",
               "%ld administrative posts after the reform exceed the total of %ld by %ld: reduce them to "
               "within the total",
               sum, acap, sum - acap);
}

/* ---------------------------------------------------------- SD202, SD203 */

static catname *cat_lookup(ctx *c, const char *name)
{
    return name ? lookup_name(c, &c->cat_name, name, c->jname, c->cat_jname) : NULL;
}

/* Coverage state of SD202: which agency covers which entry directly (by
 * name, alias or declared counterpart), and the plates that name entries. */
typedef struct cover {
    strmap pairs;        /* "agency id\x1fentry id" → entry */
    struct plate_ref {
        catentry *e;
        const agency *by; /* the agency carrying the plate */
    } *plates;
    size_t nplates, capplates;
} cover;

static void cover_name(ctx *c, cover *cv, const agency *by, const char *name, int plate)
{
    catname *cn = cat_lookup(c, name);
    if (cn == NULL)
        return;
    if (!plate) {
        cn->e->covered = 1;
        if (by && by->id && cn->e->id)
            map_put(c, &cv->pairs, ar_cat(c, by->id, "\x1f", cn->e->id), cn->e);
        return;
    }
    cn->e->as_plate = 1;
    if (by == NULL)
        return;
    if (cv->nplates == cv->capplates) {
        size_t cap = cv->capplates ? cv->capplates * 2 : 16;
        struct plate_ref *v = realloc(cv->plates, cap * sizeof *v);
        if (v == NULL) {
            oom(c);
            return;
        }
        cv->plates = v;
        cv->capplates = cap;
    }
    cv->plates[cv->nplates].e = cn->e;
    cv->plates[cv->nplates++].by = by;
}

static void sd203_one(ctx *c, const char *file, xmlNodePtr cp, const char *owner)
{
    const char *name = attr(c, cp, "name");
    if (name == NULL || *name == '\0' || cat_lookup(c, name))
        return;
    if (c->catkeys == NULL) {
        c->catkeys = ar_alloc(c, (c->ncatnames ? c->ncatnames : 1) * sizeof *c->catkeys);
        c->catalias = ar_alloc(c, (c->ncatnames ? c->ncatnames : 1) * sizeof *c->catalias);
        if (c->catkeys == NULL || c->catalias == NULL)
            return;
        for (size_t i = 0; i < c->ncatnames; i++) {
            const char *nn = names_normalize(c, c->catnames[i]->shown);
            c->catkeys[i] = nn ? names_key(c, nn, c->cat_jname, 0) : NULL;
            c->catalias[i] = c->catnames[i]->alias ? c->catnames[i]->e->name : NULL;
        }
    }
    const char **keys = c->catkeys;
    long k = did_you_mean(c, name, c->jname, keys, c->catalias, c->ncatnames);
    xmlNodePtr at = attr_node(cp, "name");
    if (k < 0)
        REPORT(c, "SD203", SD_SEV_ERROR, file, at, c->in->catalogue.file, xmlDocGetRootElement(c->in->catalogue.doc),
               "上级机构目录", "the catalogue",
               "%s写明的上级对应机构“%s”不在上级机构目录中：请改为目录中的名称或别名，没有对应机构的写明理由（localReason）",
               "%s declares the counterpart “%s”, which is not in the higher-level catalogue: use a name or "
               "alias of the catalogue, or give a reason (localReason) when there is no counterpart",
               owner, name);
    else if (c->catnames[k]->alias)
        REPORT(c, "SD203", SD_SEV_ERROR, file, at, c->in->catalogue.file, c->catnames[k]->e->node,
               "上级机构目录中的该机构", "that catalogue entry",
               "%s写明的上级对应机构“%s”不在上级机构目录中：您是不是要写“%s”（“%s”的别名）？",
               "%s declares the counterpart “%s”, which is not in the higher-level catalogue: did you mean "
               "“%s” (an alias of “%s”)?",
               owner, name, nz(c->catnames[k]->shown), nz(c->catnames[k]->e->name));
    else
        REPORT(c, "SD203", SD_SEV_ERROR, file, at, c->in->catalogue.file, c->catnames[k]->e->node,
               "上级机构目录中的该机构", "that catalogue entry",
               "%s写明的上级对应机构“%s”不在上级机构目录中：您是不是要写“%s”？%s",
               "%s declares the counterpart “%s”, which is not in the higher-level catalogue: did you mean "
               "“%s”?%s",
               owner, name, nz(c->catnames[k]->shown), "");
}

static int entry_covered(const catentry *e)
{
    return e && e->covered;
}

static void sd202_203(ctx *c)
{
    if (c->ncat == 0)
        return;
    cover cv = {0};
    for (size_t i = 0; i < c->nafter; i++) {
        agency *a = &c->after[i];
        if (is_disp(a, "abolished"))
            continue;
        if (is_disp(a, "plate"))
            cover_name(c, &cv, a->host ? map_get(&c->after_id, a->host) : NULL, a->name, 1);
        else
            cover_name(c, &cv, a, a->name, 0);
        FOR_CHILD(p, a->node, "plate")
        cover_name(c, &cv, a, attr(c, p, "name"), 1);
        FOR_CHILD(cp, a->node, "counterpart")
        {
            cover_name(c, &cv, a, attr(c, cp, "name"), 0);
            sd203_one(c, c->pfile, cp, ag_name(a));
        }
    }
    for (size_t i = 0; i < c->nsd; i++) {
        sdoc *d = &c->sd[i];
        if (d->ag && is_disp(d->ag, "abolished"))
            continue;
        FOR_CHILD(p, d->agency_el, "plate")
        cover_name(c, &cv, d->ag, attr(c, p, "name"), 1);
        FOR_CHILD(cp, d->agency_el, "counterpart")
        {
            cover_name(c, &cv, d->ag, attr(c, cp, "name"), 0);
            sd203_one(c, d->file, cp, d->name);
        }
    }
    /* At the plan's tier, an entry is covered by combining it with a covered
     * entry (the permission, mayCombine, sits on the entry absorbed), or by a
     * plate of its name carried by the agency that covers the entry it may be
     * a plate of (mayBePlate: the permission alone covers nothing). */
    for (size_t k = 0; k < cv.nplates; k++) {
        catentry *e = cv.plates[k].e;
        const agency *by = cv.plates[k].by;
        if (e->covered || by->id == NULL)
            continue;
        FOR_CHILD(mp, e->node, "mayBePlate")
        {
            const char *on = attr(c, mp, "on");
            if (!e->covered && on && word_in(attr(c, mp, "tiers"), c->tier) &&
                map_get(&cv.pairs, ar_cat(c, by->id, "\x1f", on)))
                e->covered = 2;
        }
    }
    for (int round = 0, changed = 1; changed && round < 8; round++) {
        changed = 0;
        for (size_t i = 0; i < c->ncat; i++) {
            catentry *e = &c->cat[i];
            if (e->covered)
                continue;
            FOR_CHILD(mc, e->node, "mayCombine")
            if (!e->covered && word_in(attr(c, mc, "tiers"), c->tier) &&
                entry_covered(map_get(&c->cat_id, nz(attr(c, mc, "with"))))) {
                e->covered = 2;
                changed = 1;
            }
        }
    }
    xmlNodePtr list = child(c->proot, "agenciesAfter");
    for (size_t i = 0; i < c->ncat; i++) {
        catentry *e = &c->cat[i];
        if (!e->mandatory || e->covered)
            continue;
        if (e->as_plate) {
            /* Name the agency carrying the plate and where the catalogue lets it hang. */
            const char *by = NULL, *on = NULL;
            for (size_t k = 0; k < cv.nplates && by == NULL; k++)
                if (cv.plates[k].e == e)
                    by = ag_name(cv.plates[k].by);
            FOR_CHILD(mp, e->node, "mayBePlate")
            if (on == NULL && word_in(attr(c, mp, "tiers"), c->tier)) {
                catentry *w = map_get(&c->cat_id, nz(attr(c, mp, "on")));
                on = w ? w->name : NULL;
            }
            if (on)
                REPORT(c, "SD202", SD_SEV_ERROR, c->pfile, list ? list : c->proot, c->in->catalogue.file, e->node,
                       "上级机构目录中的该机构", "the catalogue entry",
                       "上级机构目录中必设的“%s”在本方案中只作为%s的牌子出现，而目录在%s只允许把它挂在对应“%s”的机构上：请改挂在该机构上，或单独设立对应机构",
                       "the mandatory catalogue entry “%s” appears in this plan only as a plate of %s, while the "
                       "catalogue lets it be a plate at the %s tier only of the agency covering “%s”: move the "
                       "plate there, or set up an agency for it",
                       nz(e->name), by ? by : "?", tier_label(c), on);
            else
                REPORT(c, "SD202", SD_SEV_ERROR, c->pfile, list ? list : c->proot, c->in->catalogue.file, e->node,
                       "上级机构目录中的该机构", "the catalogue entry",
                       "上级机构目录中必设的“%s”在本方案中只作为%s的牌子出现，而目录不允许在%s加挂：请单独设立对应机构",
                       "the mandatory catalogue entry “%s” appears in this plan only as a plate of %s, which the "
                       "catalogue does not allow at the %s tier: set up an agency for it",
                       nz(e->name), by ? by : "?", tier_label(c));
        }
        else
            REPORT(c, "SD202", SD_SEV_ERROR, c->pfile, list ? list : c->proot, c->in->catalogue.file, e->node,
                   "上级机构目录中的该机构", "the catalogue entry",
                   "上级机构目录中必设的“%s”在本方案中没有对应机构：请设立对应机构，或在承担其职能的机构上写明上级对应机构（counterpart name=\"%s\"）",
                   "the mandatory catalogue entry “%s” has no counterpart in this plan: set up an agency for "
                   "it, or declare it on the agency that carries its functions (counterpart name=\"%s\")",
                   nz(e->name), nz(e->name));
    }
    map_free(&cv.pairs);
    free(cv.plates);
}

/* ---------------------------------------------------------------- SD204 */

typedef struct tstmt {
    int src;             /* 0 the plan's list, 1 转出 in the giver's 三定, 2 转入 in the taker's */
    const char *file;
    xmlNodePtr node;
    const char *name;
    agency *from, *to;
    long admin, lead, staff;
} tstmt;

typedef struct tgroup {
    tstmt *s[3];
} tgroup;

static agency *resolve_agency(ctx *c, const char *ref, const char *name)
{
    agency *a = ref ? map_get(&c->after_id, ref) : NULL;
    if (a == NULL && ref)
        a = map_get(&c->before_id, ref);
    if (a == NULL && name)
        a = lookup_name(c, &c->after_name, name, c->jname, NULL);
    if (a == NULL && name)
        a = lookup_name(c, &c->before_name, name, c->jname, NULL);
    return a;
}

/* A transfer names its giving agency by the after id when the agency goes on
 * after the reform, by the before id only when the reform abolishes it, and
 * its taking agency by an after id.  Reports a wrong list at n and returns
 * the entry to identify the agency by (a continuing agency's after entry). */
static agency *check_list(ctx *c, const char *file, xmlNodePtr n, const char *tname, agency *a, int giving)
{
    if (a == NULL || a->after || is_disp(a, "abolished") || a->id == NULL)
        return a;
    agency *succ = map_get(&c->successor, a->id);
    if (giving && succ && succ->id)
        REPORT(c, "SD204", SD_SEV_ERROR, file, n, c->pfile, succ->node, "改革后的该机构", "the agency after the reform",
               "职责划转“%s”的转出机构写成改革前的标识“%s”，而该机构改革后仍存在（%s）：请改为改革后清单中的标识“%s”；只有本次改革撤销的机构才用改革前的标识",
               "the transfer “%s” names its giving agency by the before id “%s”, but the agency goes on after "
               "the reform (%s): use the after id “%s”; only an agency the reform abolishes is named by its "
               "before id",
               nz(tname), a->id, ag_name(succ), succ->id);
    else if (giving)
        REPORT(c, "SD204", SD_SEV_ERROR, file, n, c->pfile, a->node, "改革前的该机构", "the agency before",
               "职责划转“%s”的转出机构“%s”（%s）写的是改革前的标识，而方案没有写明撤销该机构（disposition=\"abolished\"）：请改为改革后清单中的标识，或写明撤销%s",
               "the transfer “%s” names its giving agency “%s” (%s) by a before id, but the plan does not "
               "abolish it (disposition=\"abolished\"): use its after id, or abolish it%s",
               nz(tname), a->id, ag_name(a), "");
    else
        REPORT(c, "SD204", SD_SEV_ERROR, file, n, c->pfile, a->node, "改革前的该机构", "the agency before",
               "职责划转“%s”的转入机构“%s”（%s）是改革前的机构：职责只能划入改革后存在的机构，请改为改革后清单中的标识%s",
               "the transfer “%s” moves the function into “%s” (%s), an agency before the reform: a function "
               "moves into an agency that exists after it; use an after id%s",
               nz(tname), a->id, ag_name(a), "");
    return succ ? succ : a;
}

static const char *fn_key(ctx *c, const char *code, const char *name)
{
    if (code && *code)
        return ar_cat(c, "c:", code, NULL);
    const char *n = names_normalize(c, name);
    return n ? ar_cat(c, "n:", n, NULL) : NULL;
}

static const char *src_name(ctx *c, const tstmt *s)
{
    if (s->src == 0)
        return SD_TR(c->lang, "方案的职责划转清单", "the plan's transfer list");
    const agency *a = s->src == 1 ? s->from : s->to;
    return ar_cat(c, ag_name(a), SD_TR(c->lang, "的三定规定", "'s 三定"), NULL);
}

static const char *verb(ctx *c, const tstmt *s)
{
    if (s->src == 0)
        return SD_TR(c->lang, "划转", "moves");
    return s->src == 1 ? SD_TR(c->lang, "转出", "moves out") : SD_TR(c->lang, "转入", "moves in");
}

/* Compares two statements of one transfer; reports at a (where the fix
 * belongs) with b as the related place. */
static void compare_tstmt(ctx *c, tstmt *a, tstmt *b)
{
    static const char *const fz[] = {"行政编制", "领导职数", "人员"};
    static const char *const fe[] = {"administrative posts", "leadership posts", "staff"};
    long va[3] = {a->admin, a->lead, a->staff}, vb[3] = {b->admin, b->lead, b->staff};
    sd_buf d;
    sd_buf_init(&d);
    for (int k = 0; k < 3; k++) {
        if (va[k] < 0 || vb[k] < 0 || va[k] == vb[k])
            continue;
        if (d.len)
            sd_buf_puts(&d, SD_TR(c->lang, "；", "; "));
        if (c->lang == SD_LANG_EN)
            sd_buf_printf(&d, "%s: %s %ld, %s %ld", fe[k], verb(c, b), vb[k], verb(c, a), va[k]);
        else
            sd_buf_printf(&d, "%s%s%ld名，%s%ld名", fz[k], verb(c, b), vb[k], verb(c, a), va[k]);
    }
    if (d.len && !sd_buf_failed(&d))
        REPORT(c, "SD204", SD_SEV_ERROR, a->file, a->node, b->file, b->node, "另一处记载", "the other record",
               "职责划转“%s”（%s→%s）两处记载不一致：%s写的与%s不同（%s）：编随事走、人随编走，请改为一致",
               "the transfer “%s” (%s → %s) is recorded with different figures: %s differs from %s (%s): "
               "posts and staff move with the function, make them agree",
               nz(a->name), ag_name(a->from), ag_name(a->to), src_name(c, a), src_name(c, b), d.data);
    else if (sd_buf_failed(&d))
        oom(c);
    sd_buf_free(&d);
}

static tstmt *new_stmt(ctx *c, int src, const char *file, xmlNodePtr n)
{
    tstmt *s = ar_alloc(c, sizeof *s);
    if (s == NULL)
        return NULL;
    s->src = src;
    s->file = file;
    s->node = n;
    s->name = attr(c, n, "name");
    s->admin = attr_num(c, n, "adminPosts");
    s->lead = attr_num(c, n, "leadershipPosts");
    s->staff = attr_num(c, n, "staff");
    return s;
}

static xmlNodePtr sd_anchor(const sdoc *d)
{
    xmlNodePtr t = child(d->root, "transfers");
    return t ? t : d->agency_el ? d->agency_el : d->root;
}

static void add_group(ctx *c, strmap *groups, tgroup ***order, size_t *norder, size_t *capo, tstmt *s,
                      const char *code)
{
    if (s->from == NULL || s->to == NULL)
        return;
    const char *fk = fn_key(c, code, s->name);
    const char *key = fk ? ar_cat(c, s->from->id ? s->from->id : "?", "\x1f", ar_cat(c, s->to->id ? s->to->id : "?", "\x1f", fk)) : NULL;
    if (key == NULL)
        return;
    tgroup *g = map_get(groups, key);
    if (g == NULL) {
        g = ar_alloc(c, sizeof *g);
        if (g == NULL)
            return;
        map_put(c, groups, key, g);
        if (*norder == *capo) {
            size_t cap = *capo ? *capo * 2 : 64;
            tgroup **o = realloc(*order, cap * sizeof *o);
            if (o == NULL) {
                oom(c);
                return;
            }
            *order = o;
            *capo = cap;
        }
        (*order)[(*norder)++] = g;
    }
    if (g->s[s->src] == NULL)
        g->s[s->src] = s;
}

static void sd204(ctx *c)
{
    strmap groups = {0};
    tgroup **order = NULL;
    size_t norder = 0, capo = 0;
    xmlNodePtr plist = child(c->proot, "transfers");
    strmap involved = {0};
    long count = 0, posts = 0, nag = 0;
    FOR_CHILD(t, plist, "transfer")
    {
        tstmt *s = new_stmt(c, 0, c->pfile, t);
        if (s == NULL)
            break;
        count++;
        if (s->admin > 0)
            posts += s->admin;
        const char *from = attr(c, t, "from"), *to = attr(c, t, "to");
        s->from = from ? resolve_agency(c, from, NULL) : NULL;
        s->to = to ? resolve_agency(c, to, NULL) : NULL;
        for (int k = 0; k < 2; k++) {
            const char *id = k ? to : from;
            agency *a = k ? s->to : s->from;
            if (id && a == NULL)
                REPORT(c, "SD204", SD_SEV_ERROR, c->pfile, attr_node(t, k ? "to" : "from"), NULL, NULL, "", "",
                       "职责划转“%s”的%s“%s”不是方案中任何机构的标识：请改为改革前后机构清单中的 id",
                       "the transfer “%s” names %s “%s”, which is no agency id of the plan: use an id of "
                       "agenciesBefore or agenciesAfter",
                       nz(s->name), k ? SD_TR(c->lang, "转入机构", "the taking agency")
                                      : SD_TR(c->lang, "转出机构", "the giving agency"), id);
            if (id && map_get(&involved, id) == NULL) {
                map_put(c, &involved, id, (void *)1);
                nag++;
            }
        }
        s->from = check_list(c, c->pfile, attr_node(t, "from"), s->name, s->from, 1);
        s->to = check_list(c, c->pfile, attr_node(t, "to"), s->name, s->to, 0);
        add_group(c, &groups, &order, &norder, &capo, s, attr(c, t, "code"));
    }
    if (plist) {
        struct { const char *a; long v; const char *zh, *en; } stated[] = {
            {"count", count, "项", "transfers"},
            {"adminPosts", posts, "名行政编制", "administrative posts"},
            {"agencies", nag, "个机构", "agencies"},
        };
        for (size_t k = 0; k < 3; k++) {
            long v = attr_num(c, plist, stated[k].a);
            if (v >= 0 && v != stated[k].v)
                REPORT(c, "SD204", SD_SEV_ERROR, c->pfile, attr_node(plist, stated[k].a), NULL, NULL, "", "",
                       "职责划转清单写明共%ld%s，所列划转合计%ld%s：请改正写明的合计数或清单",
                       "the transfer list states %ld %s, the listed transfers add up to %ld %s: correct the "
                       "stated total or the list",
                       v, SD_TR(c->lang, stated[k].zh, stated[k].en), stated[k].v,
                       SD_TR(c->lang, stated[k].zh, stated[k].en));
        }
    }
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++) {
        sdoc *d = &c->sd[i];
        if (d->ag == NULL)
            continue;
        xmlNodePtr tr = child(d->root, "transfers");
        for (int out = 0; out < 2; out++) {
            const char *el = out ? "transferOut" : "transferIn";
            FOR_CHILD(t, tr, el)
            {
                tstmt *s = new_stmt(c, out ? 1 : 2, d->file, t);
                if (s == NULL)
                    break;
                const char *ref = attr(c, t, out ? "toRef" : "fromRef");
                const char *nm = attr(c, t, out ? "to" : "from");
                agency *other = resolve_agency(c, ref, nm);
                if (other == NULL) {
                    REPORT(c, "SD204", SD_SEV_ERROR, d->file, attr_node(t, ref ? (out ? "toRef" : "fromRef") : (out ? "to" : "from")),
                           NULL, NULL, "", "",
                           "%s写明的职责划转“%s”%s“%s”，方案中没有这个机构：无法核对划转是否平衡，请写明方案中的机构（%s）",
                           "%s records the transfer “%s” %s “%s”, an agency the plan does not have: the "
                           "balance cannot be checked; name an agency of the plan (%s)",
                           d->name, nz(s->name), out ? SD_TR(c->lang, "转至", "to") : SD_TR(c->lang, "来自", "from"),
                           nz(ref ? ref : nm), out ? "toRef" : "fromRef");
                    continue;
                }
                if (ref)
                    other = check_list(c, d->file, attr_node(t, out ? "toRef" : "fromRef"), s->name, other, !out);
                else if (!other->after && !is_disp(other, "abolished") && other->id &&
                         map_get(&c->successor, other->id))
                    other = map_get(&c->successor, other->id); /* an old name of a continuing agency */
                s->from = out ? d->ag : other;
                s->to = out ? other : d->ag;
                add_group(c, &groups, &order, &norder, &capo, s, attr(c, t, "code"));
            }
        }
    }
    for (size_t i = 0; i < norder && c->st == SD_OK; i++) {
        tgroup *g = order[i];
        tstmt *p = g->s[0], *o = g->s[1], *n = g->s[2];
        if (p) {
            if (o)
                compare_tstmt(c, o, p);
            if (n)
                compare_tstmt(c, n, p);
            continue;
        }
        if (o && n)
            compare_tstmt(c, n, o);
        tstmt *s = o ? o : n;
        if (plist) {
            REPORT(c, "SD204", SD_SEV_ERROR, c->pfile, plist, s->file, s->node, "三定规定中的记载", "the 三定's record",
                   "%s写明职责“%s”从%s划转至%s（行政编制%ld名），方案的职责划转清单中没有这一项：请在清单中补列，或改正三定规定",
                   "%s records the function “%s” moving from %s to %s (%ld administrative posts), which the "
                   "plan's transfer list does not have: add it to the list, or correct the 三定",
                   src_name(c, s), nz(s->name), ag_name(s->from), ag_name(s->to), s->admin < 0 ? 0 : s->admin);
            continue;
        }
        if (o && n)
            continue;
        agency *other = o ? s->to : s->from;
        if (other->sd == NULL)
            continue; /* the other end has no 三定 here: nothing to balance against */
        REPORT(c, "SD204", SD_SEV_ERROR, other->sd->file, sd_anchor(other->sd), s->file, s->node,
               o ? "转出的记载" : "转入的记载", o ? "the record moving it out" : "the record moving it in",
               "职责划转不平衡：%s写明职责“%s”%s%s（行政编制%ld名），%s的三定规定中没有对应的%s：请补写 %s",
               "a transfer does not balance: %s records the function “%s” %s %s (%ld administrative posts), "
               "and %s's 三定 has no matching record (%s): add a %s",
               src_name(c, s), nz(s->name), o ? SD_TR(c->lang, "转至", "moving to") : SD_TR(c->lang, "来自", "coming from"),
               ag_name(other), s->admin < 0 ? 0 : s->admin, ag_name(other),
               o ? SD_TR(c->lang, "转入", "transferIn") : SD_TR(c->lang, "转出", "transferOut"),
               o ? "transferIn" : "transferOut");
    }
    free(order);
    map_free(&groups);
    map_free(&involved);
}

/* ---------------------------------------------------------------- SD205 */

typedef struct fnrec {
    sdoc *d;
    xmlNodePtr node;
    const char *label;
    size_t last_doc;  /* for counting the 三定 carrying a text */
    size_t ndocs;
} fnrec;

/* Duties every 三定 carries: the closing 交办的其他任务 item, and a duty about
 * the agency's own house (本部门、本系统的安全生产、党的建设…), which each
 * agency holds for itself and so never makes two agencies share a function. */
static int boilerplate_text(const char *norm)
{
    static const char *const B[] = {"交办的其他任务", "交办的其它任务", "交办的其他工作", "交办的其它工作",
                                    "交办的其他事项", "交办的其它事项", "本部门", "本系统", "本机关", "本单位"};
    for (size_t i = 0; i < sizeof B / sizeof B[0]; i++)
        if (strstr(norm, B[i]))
            return 1;
    return 0;
}

/* Leading item numbers like （一） or 1. are not part of the duty. */
static const char *strip_item_number(const char *s)
{
    if (*s == '(') {
        const char *e = strchr(s, ')');
        if (e && e - s <= 16)
            return e + 1;
    }
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p > s && (*p == '.' || starts(p, "、")))
        return *p == '.' ? p + 1 : p + 3;
    return s;
}

static const char *fn_text_key(ctx *c, xmlNodePtr f)
{
    const char *n = names_normalize(c, text(c, f));
    return n ? strip_item_number(n) : NULL;
}

static int moved_out(ctx *c, const strmap *gone, const sdoc *d, const char *code, const char *name)
{
    if (d->ag == NULL || d->ag->id == NULL)
        return 0;
    const char *k1 = code ? ar_cat(c, d->ag->id, "\x1f", fn_key(c, code, NULL)) : NULL;
    const char *n = name ? fn_key(c, NULL, name) : NULL;
    const char *k2 = n ? ar_cat(c, d->ag->id, "\x1f", n) : NULL;
    return (k1 && map_get(gone, k1)) || (k2 && map_get(gone, k2));
}

static void sd205(ctx *c)
{
    strmap gone = {0}, bycode = {0}, bytext = {0};
    /* What each agency gives away: the plan's list and the 三定's 转出. */
    FOR_CHILD(t, child(c->proot, "transfers"), "transfer")
    {
        agency *a = resolve_agency(c, attr(c, t, "from"), NULL);
        if (a == NULL || a->id == NULL)
            continue;
        const char *code = attr(c, t, "code"), *name = attr(c, t, "name");
        if (code)
            map_put(c, &gone, ar_cat(c, a->id, "\x1f", fn_key(c, code, NULL)), (void *)1);
        if (name)
            map_put(c, &gone, ar_cat(c, a->id, "\x1f", fn_key(c, NULL, name)), (void *)1);
    }
    for (size_t i = 0; i < c->nsd; i++) {
        sdoc *d = &c->sd[i];
        if (d->ag == NULL || d->ag->id == NULL)
            continue;
        FOR_CHILD(t, child(d->root, "transfers"), "transferOut")
        {
            const char *code = attr(c, t, "code"), *name = attr(c, t, "name");
            if (code)
                map_put(c, &gone, ar_cat(c, d->ag->id, "\x1f", fn_key(c, code, NULL)), (void *)1);
            if (name)
                map_put(c, &gone, ar_cat(c, d->ag->id, "\x1f", fn_key(c, NULL, name)), (void *)1);
        }
    }
    /* First pass: how many 三定 carry each duty text (a text most 三定
     * carry is boilerplate, like the closing 交办的其他任务). */
    for (size_t i = 0; i < c->nsd; i++) {
        FOR_CHILD(f, child(c->sd[i].root, "functions"), "function")
        {
            const char *k = fn_text_key(c, f);
            if (k == NULL || *k == '\0')
                continue;
            fnrec *r = map_get(&bytext, k);
            if (r == NULL) {
                r = ar_alloc(c, sizeof *r);
                if (r == NULL)
                    goto done;
                r->d = &c->sd[i];
                r->node = f;
                r->last_doc = i;
                r->ndocs = 1;
                map_put(c, &bytext, k, r);
            } else if (r->last_doc != i) {
                r->last_doc = i;
                r->ndocs++;
            }
        }
    }
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++) {
        sdoc *d = &c->sd[i];
        FOR_CHILD(f, child(d->root, "functions"), "function")
        {
            const char *code = attr(c, f, "code"), *fname = attr(c, f, "name");
            const char *k = fn_text_key(c, f);
            fnrec *other = NULL;
            int by_code = 0;
            if (code && *code) {
                fnrec *r = map_get(&bycode, code);
                if (r == NULL) {
                    r = ar_alloc(c, sizeof *r);
                    if (r == NULL)
                        goto done;
                    r->d = d;
                    r->node = f;
                    map_put(c, &bycode, ar_cat(c, code, "", NULL), r);
                } else if (r->d != d && !(r->d->ag && r->d->ag == d->ag)) {
                    other = r;
                    by_code = 1;
                }
            }
            if (other == NULL && k && *k && !boilerplate_text(k)) {
                fnrec *r = map_get(&bytext, k);
                /* A text most 三定 carry (three or more, over half) is boilerplate. */
                int everywhere = r && r->ndocs >= 3 && r->ndocs * 2 > c->nsd;
                if (r && r->d != d && !everywhere && !(r->d->ag && r->d->ag == d->ag))
                    other = r;
            }
            if (other == NULL)
                continue;
            /* The fix belongs with the agency that gave the function away;
             * otherwise with the later claim. */
            sdoc *fix = d, *keep = other->d;
            xmlNodePtr fixn = f, keepn = other->node;
            const char *ocode = attr(c, other->node, "code"), *oname = attr(c, other->node, "name");
            if (!moved_out(c, &gone, d, code, fname) && moved_out(c, &gone, other->d, ocode, oname)) {
                fix = other->d;
                keep = d;
                fixn = other->node;
                keepn = f;
            }
            const char *shown = attr(c, fixn, "name");
            if (shown == NULL)
                shown = text(c, fixn);
            if (by_code)
                REPORT(c, "SD205", SD_SEV_ERROR, fix->file, fixn, keep->file, keepn, "另一机构的同一职能",
                       "the same function of the other agency",
                       "职能“%s”（职能代码%s）同时由%s和%s承担：一项职能只能由一个机构承担，请从%s的三定规定中删去，或写明职责划转",
                       "the function “%s” (code %s) is claimed by both %s and %s: one function, one agency; "
                       "remove it from %s's 三定, or record the transfer",
                       nz(shown), code, fix->name, keep->name, fix->name);
            else
                REPORT(c, "SD205", SD_SEV_ERROR, fix->file, fixn, keep->file, keepn, "另一机构的同一职能",
                       "the same function of the other agency",
                       "职能“%s”的表述与%s的一项职能相同，%s和%s承担同一职能：一项职能只能由一个机构承担，请从%s的三定规定中删去，或写明分工%s",
                       "the function “%s” reads the same as one of %s's; %s and %s would carry the same "
                       "function: one function, one agency; remove it from %s's 三定, or state the division of "
                       "work%s",
                       nz(shown), keep->name, fix->name, keep->name, fix->name, "");
        }
    }
done:
    map_free(&gone);
    map_free(&bycode);
    map_free(&bytext);
}

/* ---------------------------------------------------------------- SD206 */

static long list_sum(const agency *v, size_t n, int *listed)
{
    long s = 0;
    *listed = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].admin >= 0) {
            s += v[i].admin;
            *listed = 1;
        }
    return s;
}

static void sd206(ctx *c)
{
    xmlNodePtr totals = child(c->proot, "totals");
    xmlNodePtr tb = child(totals, "before"), ta = child(totals, "after"), tr = child(totals, "reduction");
    int lb, la;
    long sb = list_sum(c->before, c->nbefore, &lb), sa = list_sum(c->after, c->nafter, &la);
    long stb = attr_num(c, tb, "adminPosts"), sta = attr_num(c, ta, "adminPosts");
    if (lb && stb >= 0 && stb != sb)
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, attr_node(tb, "adminPosts"), NULL, NULL, "", "",
               "写明的改革前行政编制合计%ld名，与所列改革前机构的行政编制之和%ld名不符：请改正合计数或所列编制",
               "the stated total of %ld administrative posts before the reform differs from the sum over "
               "the agencies listed before, %ld: correct the total or the listed posts",
               stb, sb);
    if (la && sta >= 0 && sta != sa)
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, attr_node(ta, "adminPosts"), NULL, NULL, "", "",
               "写明的改革后行政编制合计%ld名，与所列改革后机构的行政编制之和%ld名不符：请改正合计数或所列编制",
               "the stated total of %ld administrative posts after the reform differs from the sum over "
               "the agencies listed after, %ld: correct the total or the listed posts",
               sta, sa);
    long b = lb ? sb : stb, a = la ? sa : sta;
    if (b >= 0 && a >= 0 && a > b) {
        xmlNodePtr at = la ? child(c->proot, "agenciesAfter") : attr_node(ta, "adminPosts");
        xmlNodePtr rb = lb ? child(c->proot, "agenciesBefore") : attr_node(tb, "adminPosts");
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, at, c->pfile, rb, "改革前的行政编制", "the posts before the reform",
               "改革后行政编制合计%ld名，多于改革前的%ld名，增加%ld名：行政编制只能在总额内调整，请核减%ld名",
               "%ld administrative posts after the reform, more than the %ld before (%ld more): posts move "
               "within the total; reduce them by %ld",
               a, b, a - b, a - b);
    }
    long red = attr_num(c, tr, "adminPosts");
    if (red >= 0 && b >= 0 && a >= 0 && red != b - a)
        REPORT(c, "SD206", SD_SEV_ERROR, c->pfile, attr_node(tr, "adminPosts"), NULL, NULL, "", "",
               "写明精简行政编制%ld名，而改革前%ld名、改革后%ld名，相差%ld名：请改正写明的精简数",
               "the stated cut of %ld administrative posts differs from %ld before less %ld after, %ld: "
               "correct the stated cut",
               red, b, a, b - a);
}

/* ---------------------------------------------------------------- SD208 */

static void sd208(ctx *c)
{
    FOR_CHILD(cb, child(c->proot, "coordinationBodies"), "coordinationBody")
    {
        const char *name = nz(attr(c, cb, "name"));
        long own = attr_num(c, cb, "ownPosts");
        if (own > 0)
            REPORT(c, "SD208", SD_SEV_ERROR, c->pfile, attr_node(cb, "ownPosts"), NULL, NULL, "", "",
                   "议事协调机构“%s”核定了%ld名编制：县级以上议事协调机构不单独核定人员编制，其具体工作由承担办公室职能的机构承担，请删去",
                   "the coordination body “%s” has %ld posts of its own: coordination bodies at county level "
                   "and above get no staffing of their own; their work is done by the agency hosting their "
                   "office; remove them",
                   name, own);
        if (truthy(attr(c, cb, "separateOffice")))
            REPORT(c, "SD208", SD_SEV_ERROR, c->pfile, attr_node(cb, "separateOffice"), NULL, NULL, "", "",
                   "议事协调机构“%s”设立了单独的办事机构：县级以上议事协调机构不单设办事机构，请设在相关机构（officeHost）",
                   "the coordination body “%s” has an office of its own: coordination bodies at county level "
                   "and above have no separate office; host it in an agency (officeHost)",
                   name);
        const char *end = attr(c, cb, "endDate");
        if (truthy(attr(c, cb, "temporary")) && (end == NULL || *end == '\0'))
            REPORT(c, "SD208", SD_SEV_WARNING, c->pfile, attr_node(cb, "temporary"), NULL, NULL, "", "",
                   "临时性议事协调机构“%s”没有写明撤销时限：请写明完成任务后撤销的日期（endDate）",
                   "the temporary coordination body “%s” does not state when it ends: give the date it is "
                   "wound up (endDate)",
                   name);
    }
    for (size_t i = 0; i < c->nafter; i++) {
        agency *a = &c->after[i];
        if (a->kind && strcmp(a->kind, "coordination-body") == 0 && a->admin > 0)
            REPORT(c, "SD208", SD_SEV_ERROR, c->pfile, attr_node(a->node, "adminPosts"), NULL, NULL, "", "",
                   "议事协调机构“%s”核定了%ld名行政编制：县级以上议事协调机构不单独核定人员编制，请删去",
                   "the coordination body “%s” has %ld administrative posts: coordination bodies at county "
                   "level and above get no staffing of their own; remove them",
                   ag_name(a), a->admin);
    }
}

/* ---------------------------------------------------------------- SD209 */

static void sd209(ctx *c)
{
    const char **keys = NULL;
    const char **shown = NULL, **aliasof = NULL;
    size_t nk = 0;
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++) {
        sdoc *d = &c->sd[i];
        FOR_CHILD(dv, child(d->root, "divisions"), "division")
        FOR_CHILD(ra, dv, "relatedAgency")
        {
            const char *ref = attr(c, ra, "ref"), *name = attr(c, ra, "name");
            agency *a = ref ? map_get(&c->after_id, ref) : NULL;
            agency *gone = NULL;
            if (a && is_disp(a, "abolished")) {
                gone = a;
                a = NULL;
            }
            if (a == NULL && ref && gone == NULL) {
                agency *b = map_get(&c->before_id, ref);
                if (b && is_disp(b, "abolished"))
                    gone = b;
            }
            if (a)
                continue;
            /* After the reform in this plan; else gone in this reform (even
             * when the catalogue knows the name); else the parent plan's or
             * the catalogue's. */
            if (gone == NULL && name) {
                if (lookup_name(c, &c->after_name, name, c->jname, NULL))
                    continue;
                gone = lookup_name(c, &c->before_name, name, c->jname, NULL);
                if (gone == NULL && (lookup_name(c, &c->parent_name, name, c->jname, c->parent_jname) ||
                                     cat_lookup(c, name)))
                    continue;
            }
            const char *shownname = name ? name : nz(ref);
            if (gone) {
                /* The entry that took it over, when the plan says (predecessor). */
                agency *succ = gone->id ? map_get(&c->successor, gone->id) : NULL;
                const char *verb_zh = is_disp(gone, "abolished") ? "撤销" : "调整";
                const char *verb_en = is_disp(gone, "abolished") ? "abolishes" : "reorganises";
                if (succ)
                    REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, c->pfile, gone->node, "方案中的该机构",
                           "the plan's entry",
                           "%s的职责分工写到“%s”，该机构在本次改革中已%s，改革后不存在：请改为承接其职责的“%s”",
                           "%s's division of work names “%s”, which this reform %s, so it does not exist after "
                           "it: name “%s”, which took over its duties",
                           d->name, shownname, SD_TR(c->lang, verb_zh, verb_en), ag_name(succ));
                else
                    REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, c->pfile, gone->node, "方案中的该机构",
                           "the plan's entry",
                           "%s的职责分工写到“%s”，该机构在本次改革中已%s，改革后不存在：请改为承接其职责的机构%s",
                           "%s's division of work names “%s”, which this reform %s, so it does not exist after "
                           "it: name the agency that took over its duties%s",
                           d->name, shownname, SD_TR(c->lang, verb_zh, verb_en), "");
                continue;
            }
            if (keys == NULL) {
                size_t cap = c->nafter + c->ncatnames + 1;
                keys = calloc(cap, sizeof *keys);
                shown = calloc(cap, sizeof *shown);
                aliasof = calloc(cap, sizeof *aliasof);
                if (keys == NULL || shown == NULL || aliasof == NULL) {
                    oom(c);
                    break;
                }
                for (size_t k = 0; k < c->nafter; k++) {
                    if (is_disp(&c->after[k], "abolished") || c->after[k].name == NULL)
                        continue;
                    const char *nn = names_normalize(c, c->after[k].name);
                    keys[nk] = nn ? names_key(c, nn, c->jname, 0) : NULL;
                    shown[nk++] = c->after[k].name;
                }
                for (size_t k = 0; k < c->ncatnames; k++) {
                    const char *nn = names_normalize(c, c->catnames[k]->shown);
                    keys[nk] = nn ? names_key(c, nn, c->cat_jname, 0) : NULL;
                    aliasof[nk] = c->catnames[k]->alias ? c->catnames[k]->e->name : NULL;
                    shown[nk++] = c->catnames[k]->shown;
                }
            }
            long k = did_you_mean(c, shownname, c->jname, keys, aliasof, nk);
            if (k >= 0 && (size_t)k >= nk - c->ncatnames && c->catnames[(size_t)k - (nk - c->ncatnames)]->alias) {
                const catname *cn = c->catnames[(size_t)k - (nk - c->ncatnames)];
                REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, NULL, NULL, "", "",
                       "%s的职责分工写到“%s”，改革后没有这个机构（方案、上级方案和上级机构目录中都没有）：您是不是要写“%s”（“%s”的别名）？",
                       "%s's division of work names “%s”, an agency that does not exist after the reform (not in "
                       "the plan, its parent plan or the catalogue): did you mean “%s” (an alias of “%s”)?",
                       d->name, shownname, nz(cn->shown), nz(cn->e->name));
            } else if (k >= 0)
                REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, NULL, NULL, "", "",
                       "%s的职责分工写到“%s”，改革后没有这个机构（方案、上级方案和上级机构目录中都没有）：您是不是要写“%s”？",
                       "%s's division of work names “%s”, an agency that does not exist after the reform (not in "
                       "the plan, its parent plan or the catalogue): did you mean “%s”?",
                       d->name, shownname, nz(shown[k]));
            else
                REPORT(c, "SD209", SD_SEV_WARNING, d->file, ra, NULL, NULL, "", "",
                       "%s的职责分工写到“%s”，改革后没有这个机构（方案、上级方案和上级机构目录中都没有）：请改为改革后存在的机构%s",
                       "%s's division of work names “%s”, an agency that does not exist after the reform (not in "
                       "the plan, its parent plan or the catalogue): name an agency that exists after it%s",
                       d->name, shownname, "");
        }
    }
    free(keys);
    free(shown);
    free(aliasof);
}

/* ---------------------------------------------------------------- SD210 */

static const char *date_of(ctx *c, xmlNodePtr n)
{
    const char *t = text(c, n);
    if (t == NULL || strlen(t) < 10)
        return NULL;
    return ar_strndup(c, t, 10);
}

static void sd210(ctx *c)
{
    xmlNodePtr pp = child(c->proot, "parentPlan");
    xmlNodePtr proot = c->in->parent.doc ? xmlDocGetRootElement(c->in->parent.doc) : NULL;
    if (!is_el(proot, "reformPlan"))
        proot = NULL;
    if (pp == NULL && proot == NULL)
        return;
    xmlNodePtr own = child(child(c->proot, "meta"), "effectiveDate");
    xmlNodePtr copy = child(pp, "effectiveDate");
    xmlNodePtr real = proot ? child(child(proot, "meta"), "effectiveDate") : NULL;
    const char *dcopy = date_of(c, copy), *dreal = date_of(c, real), *down = date_of(c, own);
    if (dcopy && dreal && strcmp(dcopy, dreal) != 0)
        REPORT(c, "SD210", SD_SEV_WARNING, c->pfile, copy, c->in->parent.file, real, "上级方案的施行日期",
               "the parent plan's effective date",
               "本方案抄录的上级方案施行日期%s与上级方案文件中的%s不一致：以上级方案文件为准，请改为%s",
               "the parent plan's effective date copied here, %s, differs from %s in the parent plan file: "
               "the file wins; write %s",
               dcopy, dreal, dreal);
    const char *city = dreal ? dreal : dcopy;
    xmlNodePtr cityn = dreal ? real : copy;
    const char *cityf = dreal ? c->in->parent.file : c->pfile;
    if (city && down && strcmp(down, city) < 0)
        REPORT(c, "SD210", SD_SEV_WARNING, c->pfile, own, cityf, cityn, "上级方案的施行日期",
               "the parent plan's effective date",
               "本方案自%s起施行，早于上级方案的%s：下级机构改革不能早于上级，请改为%s或以后",
               "this plan takes effect on %s, before its parent plan's %s: a county's reform cannot take "
               "effect before its city's; use %s or later",
               down, city, city);
}

/* ---------------------------------------------------------------- SD211 */

static void sd211(ctx *c)
{
    xmlNodePtr totals = child(c->proot, "totals");
    long nb = 0, na = 0;
    for (size_t i = 0; i < c->nbefore; i++)
        nb += counted(&c->before[i]);
    for (size_t i = 0; i < c->nafter; i++)
        na += counted(&c->after[i]);
    xmlNodePtr tb = child(totals, "before"), ta = child(totals, "after"), tr = child(totals, "reduction");
    long sb = attr_num(c, tb, "agencies"), sa = attr_num(c, ta, "agencies"), sr = attr_num(c, tr, "agencies");
    if (sb >= 0 && c->nbefore && sb != nb)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, attr_node(tb, "agencies"), c->pfile, child(c->proot, "agenciesBefore"),
               "改革前机构清单", "the list of agencies before",
               "写明改革前机构%ld个，所列改革前计入限额的机构%ld个（合署办公、加挂牌子和不计入限额的机构不计）：请改正写明的数目或清单",
               "%ld agencies stated before the reform, %ld counted in the list before (co-located, plate and "
               "uncounted kinds left out): correct the stated number or the list",
               sb, nb);
    if (sa >= 0 && c->nafter && sa != na)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, attr_node(ta, "agencies"), c->pfile, child(c->proot, "agenciesAfter"),
               "改革后机构清单", "the list of agencies after",
               "写明改革后机构%ld个，所列改革后计入限额的机构%ld个（合署办公、加挂牌子和不计入限额的机构不计）：请改正写明的数目或清单",
               "%ld agencies stated after the reform, %ld counted in the list after (co-located, plate and "
               "uncounted kinds left out): correct the stated number or the list",
               sa, na);
    if (sr >= 0 && c->nbefore && c->nafter && sr != nb - na)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, attr_node(tr, "agencies"), NULL, NULL, "", "",
               "写明减少机构%ld个，而所列改革前%ld个、改革后%ld个，相差%ld个：请改正写明的数目",
               "%ld fewer agencies stated, while the lists count %ld before and %ld after, %ld fewer: correct "
               "the stated number",
               sr, nb, na, nb - na);
    xmlNodePtr cbs = child(c->proot, "coordinationBodies");
    long scb = attr_num(c, cbs, "count"), ncb = 0;
    FOR_CHILD(cb, cbs, "coordinationBody")
    ncb++;
    if (scb >= 0 && scb != ncb)
        REPORT(c, "SD211", SD_SEV_ERROR, c->pfile, attr_node(cbs, "count"), NULL, NULL, "", "",
               "写明议事协调机构%ld个，所列%ld个：请改正写明的数目或清单",
               "%ld coordination bodies stated, %ld listed: correct the stated number or the list", scb, ncb);
}

/* ---------------------------------------------------------------- SD212 */

typedef struct rankrow {
    const char *rank;
    long before, after;       /* listed sums */
    int has_b, has_a;
} rankrow;

enum { MAXRANKS = 32 };

static rankrow *rank_row(rankrow *rows, size_t *n, const char *rank)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(rows[i].rank, rank) == 0)
            return &rows[i];
    if (*n == MAXRANKS)
        return NULL;
    rankrow *r = &rows[(*n)++];
    memset(r, 0, sizeof *r);
    r->rank = rank;
    return r;
}

static xmlNodePtr level_total(ctx *c, xmlNodePtr parent, const char *rank)
{
    FOR_CHILD(lt, parent, "levelTotal")
    {
        const char *r = attr(c, lt, "rank");
        if (r && strcmp(r, rank) == 0)
            return lt;
    }
    return NULL;
}

static void sd212(ctx *c)
{
    rankrow rows[MAXRANKS];
    size_t nr = 0;
    int listed_b = 0, listed_a = 0;
    for (int after = 0; after < 2; after++) {
        agency *v = after ? c->after : c->before;
        size_t n = after ? c->nafter : c->nbefore;
        for (size_t i = 0; i < n; i++)
            FOR_CHILD(lp, v[i].node, "levelPosts")
            {
                const char *rank = attr(c, lp, "rank");
                long cnt = attr_num(c, lp, "count");
                rankrow *r = rank ? rank_row(rows, &nr, rank) : NULL;
                if (r == NULL || cnt < 0)
                    continue;
                if (after) {
                    r->after += cnt;
                    r->has_a = 1;
                    listed_a = 1;
                } else {
                    r->before += cnt;
                    r->has_b = 1;
                    listed_b = 1;
                }
            }
    }
    xmlNodePtr totals = child(c->proot, "totals");
    xmlNodePtr tb = child(totals, "before"), ta = child(totals, "after"), tr = child(totals, "reduction");
    /* Ranks stated only in the totals join the table too. */
    xmlNodePtr tots[3] = {tb, ta, tr};
    for (int k = 0; k < 3; k++)
        FOR_CHILD(lt, tots[k], "levelTotal")
        {
            const char *rank = attr(c, lt, "rank");
            if (rank)
                rank_row(rows, &nr, rank);
        }
    for (size_t i = 0; i < nr && c->st == SD_OK; i++) {
        rankrow *r = &rows[i];
        xmlNodePtr lb = level_total(c, tb, r->rank), la = level_total(c, ta, r->rank),
                   lr = level_total(c, tr, r->rank);
        long stb = attr_num(c, lb, "count"), sta = attr_num(c, la, "count"), str = attr_num(c, lr, "count");
        if (listed_b && stb >= 0 && stb != r->before)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, attr_node(lb, "count"), NULL, NULL, "", "",
                   "写明改革前%s领导职数合计%ld名，所列改革前机构之和为%ld名：请改正合计数或所列职数",
                   "the stated total of %s leadership posts before the reform is %ld, the agencies listed "
                   "before add up to %ld: correct the total or the listed posts",
                   r->rank, stb, r->before);
        if (listed_a && sta >= 0 && sta != r->after)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, attr_node(la, "count"), NULL, NULL, "", "",
                   "写明改革后%s领导职数合计%ld名，所列改革后机构之和为%ld名：请改正合计数或所列职数",
                   "the stated total of %s leadership posts after the reform is %ld, the agencies listed after "
                   "add up to %ld: correct the total or the listed posts",
                   r->rank, sta, r->after);
        long b = listed_b ? r->before : stb, a = listed_a ? r->after : sta;
        if (b >= 0 && a >= 0 && a > b)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, listed_a ? child(c->proot, "agenciesAfter") : la,
                   c->pfile, listed_b ? child(c->proot, "agenciesBefore") : lb, "改革前的职数", "the posts before",
                   "改革后%s内设机构领导职数合计%ld名，多于改革前的%ld名：内设机构领导职数只减不增，请核减%ld名",
                   "%s internal-unit leadership posts after the reform total %ld, more than the %ld before: they "
                   "may only decrease; cut %ld",
                   r->rank, a, b, a - b);
        if (str >= 0 && b >= 0 && a >= 0 && str != b - a)
            REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, attr_node(lr, "count"), NULL, NULL, "", "",
                   "写明核减%s领导职数%ld名，而改革前%ld名、改革后%ld名，相差%ld名：请改正写明的核减数",
                   "the stated cut of %s leadership posts, %ld, differs from %ld before less %ld after, %ld: "
                   "correct the stated cut",
                   r->rank, str, b, a, b - a);
    }
    /* Internal units. */
    long ub = 0, ua = 0;
    int hub = 0, hua = 0;
    for (size_t i = 0; i < c->nbefore; i++)
        if (c->before[i].units >= 0) {
            ub += c->before[i].units;
            hub = 1;
        }
    for (size_t i = 0; i < c->nafter; i++)
        if (c->after[i].units >= 0) {
            ua += c->after[i].units;
            hua = 1;
        }
    long sub = attr_num(c, tb, "units"), sua = attr_num(c, ta, "units"), sur = attr_num(c, tr, "units");
    if (hub && sub >= 0 && sub != ub)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, attr_node(tb, "units"), NULL, NULL, "", "",
               "写明改革前内设机构%ld个，所列改革前机构之和为%ld个：请改正合计数或所列数目",
               "%ld internal units stated before the reform, the agencies listed before add up to %ld: correct "
               "the total or the listed numbers",
               sub, ub);
    if (hua && sua >= 0 && sua != ua)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, attr_node(ta, "units"), NULL, NULL, "", "",
               "写明改革后内设机构%ld个，所列改革后机构之和为%ld个：请改正合计数或所列数目",
               "%ld internal units stated after the reform, the agencies listed after add up to %ld: correct "
               "the total or the listed numbers",
               sua, ua);
    long b = hub ? ub : sub, a = hua ? ua : sua;
    if (b >= 0 && a >= 0 && a > b)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, hua ? child(c->proot, "agenciesAfter") : attr_node(ta, "units"),
               c->pfile, hub ? child(c->proot, "agenciesBefore") : attr_node(tb, "units"), "改革前的内设机构",
               "the units before",
               "改革后内设机构合计%ld个，多于改革前的%ld个：内设机构只减不增，请精简%ld个",
               "%ld internal units after the reform, more than the %ld before: they may only decrease; cut %ld",
               a, b, a - b);
    if (sur >= 0 && b >= 0 && a >= 0 && sur != b - a)
        REPORT(c, "SD212", SD_SEV_ERROR, c->pfile, attr_node(tr, "units"), NULL, NULL, "", "",
               "写明精简内设机构%ld个，而改革前%ld个、改革后%ld个，相差%ld个：请改正写明的精简数",
               "the stated cut of %ld internal units differs from %ld before less %ld after, %ld: correct the "
               "stated cut",
               sur, b, a, b - a);
}

/* ---------------------------------------------------------------- SD213 */

/* The names in a set, normalised to local keys, joined for a message. */
typedef struct nameset {
    strmap keys;
    const char *shown[64];
    const char *key[64];
    size_t n;
} nameset;

static void set_add(ctx *c, nameset *s, const char *name, const char *j)
{
    const char *norm = names_normalize(c, name);
    if (norm == NULL || *norm == '\0' || s->n == 64)
        return;
    const char *k = names_key(c, norm, j, 1);
    if (map_get(&s->keys, k))
        return;
    map_put(c, &s->keys, k, (void *)name);
    s->shown[s->n] = name;
    s->key[s->n++] = k;
}

static const char *set_join(ctx *c, const nameset *s)
{
    if (s->n == 0)
        return SD_TR(c->lang, "（无）", "(none)");
    const char *r = "";
    for (size_t i = 0; i < s->n; i++)
        r = ar_cat(c, r, i ? SD_TR(c->lang, "、", ", ") : "", s->shown[i]);
    return r ? r : "";
}

static int set_equal(const nameset *a, const nameset *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (map_get(&b->keys, a->key[i]) == NULL)
            return 0;
    return 1;
}

static void sd213_one(ctx *c, sdoc *d)
{
    agency *a = d->ag;
    xmlNodePtr ae = d->agency_el;
    const char *file = d->file;
    xmlNodePtr pn = a->node;
    const char *nm = attr(c, ae, "name");
    if (nm && a->name) {
        const char *x = names_normalize(c, nm), *y = names_normalize(c, a->name);
        if (x && y && strcmp(x, y) != 0)
            REPORT(c, "SD213", SD_SEV_ERROR, file, attr_node(ae, "name"), c->pfile, attr_node(pn, "name"),
                   "方案中的该机构", "the plan's entry",
                   "三定规定的机构名称“%s”与方案中的“%s”不一致：请按方案改为“%s”",
                   "the 三定 names the agency “%s”, the plan “%s”: use the plan's name “%s”", nm, a->name, a->name);
    }
    struct { const char *attr, *zh, *en; } pairs[] = {{"kind", "机构类别", "kind"}, {"rank", "机构规格", "rank"}};
    for (size_t k = 0; k < 2; k++) {
        const char *x = attr(c, ae, pairs[k].attr), *y = attr(c, pn, pairs[k].attr);
        if (x && y && strcmp(x, y) != 0)
            REPORT(c, "SD213", SD_SEV_ERROR, file, attr_node(ae, pairs[k].attr), c->pfile, attr_node(pn, pairs[k].attr),
                   "方案中的该机构", "the plan's entry",
                   "%s的三定规定写明%s为“%s”，方案中为“%s”：请改为一致",
                   "%s's 三定 states the %s “%s”, the plan “%s”: make them agree", d->name,
                   SD_TR(c->lang, pairs[k].zh, pairs[k].en), k == 0 ? kind_label(c, x) : x,
                   k == 0 ? kind_label(c, y) : y);
    }
    xmlNodePtr staffing = child(d->root, "staffing");
    long admin = -1;
    xmlNodePtr admin_el = NULL;
    FOR_CHILD(al, staffing, "allocation")
    {
        const char *t = attr(c, al, "type");
        long p = attr_num(c, al, "posts");
        if (t && strcmp(t, "administrative") == 0 && p >= 0) {
            admin = (admin < 0 ? 0 : admin) + p;
            if (admin_el == NULL)
                admin_el = al;
        }
    }
    if (admin >= 0 && a->admin >= 0 && admin != a->admin)
        REPORT(c, "SD213", SD_SEV_ERROR, file, attr_node(admin_el, "posts"), c->pfile, attr_node(pn, "adminPosts"),
               "方案中的该机构", "the plan's entry",
               "%s的三定规定核定行政编制%ld名，方案中为%ld名：请改为一致",
               "%s's 三定 allocates %ld administrative posts, the plan %ld: make them agree", d->name, admin, a->admin);
    xmlNodePtr lt3 = child(staffing, "leadershipTeam"), ltp = child(pn, "leadershipTeam");
    static const char *const roles[] = {"head", "deputy"};
    static const char *const rzh[] = {"正职", "副职"};
    for (int k = 0; k < 2 && lt3 && ltp; k++) {
        long x = attr_num(c, lt3, roles[k]), y = attr_num(c, ltp, roles[k]);
        if (x >= 0 && y >= 0 && x != y)
            REPORT(c, "SD213", SD_SEV_ERROR, file, attr_node(lt3, roles[k]), c->pfile, attr_node(ltp, roles[k]),
                   "方案中的该机构", "the plan's entry",
                   "%s的三定规定核定领导班子%s%ld名，方案中为%ld名：请改为一致",
                   "%s's 三定 sets the leadership team's %s at %ld, the plan at %ld: make them agree", d->name,
                   SD_TR(c->lang, rzh[k], k ? "deputies" : "heads"), x, y);
    }
    xmlNodePtr ul = child(staffing, "unitLeadership");
    if (ul && child(pn, "levelPosts")) {
        FOR_CHILD(lp, pn, "levelPosts")
        {
            const char *rank = attr(c, lp, "rank");
            long y = attr_num(c, lp, "count"), x = -1;
            xmlNodePtr lv = NULL;
            FOR_CHILD(l, ul, "level")
            {
                const char *r = attr(c, l, "rank");
                if (rank && r && strcmp(r, rank) == 0) {
                    lv = l;
                    x = attr_num(c, l, "count");
                    break;
                }
            }
            if (rank && y >= 0 && (x < 0 ? 0 : x) != y)
                REPORT(c, "SD213", SD_SEV_ERROR, file, lv ? attr_node(lv, "count") : ul, c->pfile, attr_node(lp, "count"),
                       "方案中的该机构", "the plan's entry",
                       "%s的三定规定核定%s内设机构领导职数%ld名，方案中为%ld名：请改为一致",
                       "%s's 三定 sets %s internal-unit leadership posts at %ld, the plan at %ld: make them agree",
                       d->name, rank, x < 0 ? 0 : x, y);
        }
        FOR_CHILD(l, ul, "level")
        {
            const char *r = attr(c, l, "rank");
            long x = attr_num(c, l, "count");
            int found = 0;
            FOR_CHILD(lp, pn, "levelPosts")
            {
                const char *rank = attr(c, lp, "rank");
                found |= rank && r && strcmp(rank, r) == 0;
            }
            if (r && !found && x > 0)
                REPORT(c, "SD213", SD_SEV_ERROR, file, attr_node(l, "count"), c->pfile, pn, "方案中的该机构",
                       "the plan's entry",
                       "%s的三定规定核定%s内设机构领导职数%ld名，方案中为%ld名：请改为一致",
                       "%s's 三定 sets %s internal-unit leadership posts at %ld, the plan at %ld: make them agree",
                       d->name, r, x, 0L);
        }
    }
    /* Plates and 合署 partners, as sets of names. */
    nameset p3 = {0}, pp = {0}, c3 = {0}, cp = {0};
    FOR_CHILD(p, ae, "plate")
    set_add(c, &p3, attr(c, p, "name"), c->jname);
    FOR_CHILD(p, pn, "plate")
    set_add(c, &pp, attr(c, p, "name"), c->jname);
    FOR_CHILD(p, ae, "coLocatedWith")
    set_add(c, &c3, attr(c, p, "name"), c->jname);
    FOR_CHILD(p, pn, "coLocatedWith")
    {
        agency *o = map_get(&c->after_id, nz(attr(c, p, "ref")));
        if (o)
            set_add(c, &cp, o->name, c->jname);
    }
    if (a->host && is_disp(a, "co-located")) {
        agency *o = map_get(&c->after_id, a->host);
        if (o)
            set_add(c, &cp, o->name, c->jname);
    }
    for (agency *o = a->hosted; o; o = o->next_hosted) {
        if (is_disp(o, "plate"))
            set_add(c, &pp, o->name, c->jname);
        else if (is_disp(o, "co-located"))
            set_add(c, &cp, o->name, c->jname);
    }
    if (!set_equal(&p3, &pp))
        REPORT(c, "SD213", SD_SEV_ERROR, file, ae, c->pfile, pn, "方案中的该机构", "the plan's entry",
               "%s的三定规定加挂的牌子为%s，方案中为%s：请改为一致",
               "%s's 三定 lists the plates %s, the plan %s: make them agree", d->name, set_join(c, &p3),
               set_join(c, &pp));
    if (!set_equal(&c3, &cp))
        REPORT(c, "SD213", SD_SEV_ERROR, file, ae, c->pfile, pn, "方案中的该机构", "the plan's entry",
               "%s的三定规定写明的合署办公机构为%s，方案中为%s：请改为一致",
               "%s's 三定 lists the co-located partners %s, the plan %s: make them agree", d->name,
               set_join(c, &c3), set_join(c, &cp));
    map_free(&p3.keys);
    map_free(&pp.keys);
    map_free(&c3.keys);
    map_free(&cp.keys);
}

static void sd213(ctx *c)
{
    for (size_t i = 0; i < c->nsd && c->st == SD_OK; i++)
        if (c->sd[i].ag && c->sd[i].ag->sd == &c->sd[i] && c->sd[i].agency_el)
            sd213_one(c, &c->sd[i]);
}

/* ------------------------------------------------------------------ run */

sd_status sd_planrules_check(const sd_planrules_input *in, const sd_planrules_params *params, sd_lang lang,
                             sd_diags *out, sd_error *err)
{
    if (in == NULL || in->plan.doc == NULL)
        return SD_OK;
    xmlNodePtr root = xmlDocGetRootElement(in->plan.doc);
    if (!is_el(root, "reformPlan"))
        return SD_OK;
    ctx c = {0};
    c.lang = lang;
    c.out = out;
    c.err = err;
    c.in = in;
    c.param_cap = params ? params->agency_cap : 0;
    c.xl = sd_xpathloc_new();
    if (c.xl == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory in the plan rules");
    build_model(&c);
    void (*const rules[])(ctx *) = {sd201, sd202_203, sd204, sd205, sd206, sd208,
                                    sd209, sd210, sd211, sd212, sd213};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] && c.st == SD_OK; i++)
        rules[i](&c);
    map_free(&c.before_id);
    map_free(&c.after_id);
    map_free(&c.before_name);
    map_free(&c.after_name);
    map_free(&c.parent_name);
    map_free(&c.successor);
    map_free(&c.route);
    map_free(&c.cat_id);
    map_free(&c.cat_name);
    sd_xpathloc_free(c.xl);
    ar_free(c.arena);
    return c.st;
}

/* ----------------------------------------------------------------- docs */

#define SRC_SY "沈阳市机构改革情况报告"

static const sd_planrules_ruledoc DOCS[] = {
    {"SD201", SD_SEV_ERROR, "机构数超过限额，或行政编制超过总额", "Agencies above the cap, or posts above the total",
     "改革后计入机构限额的机构数不得超过方案写明的限额（agencyCap；方案没有写明时用配置的层级默认值）。合署办公、加挂牌子的机构和议事协调机构不计入；部门管理机构和归口管理的机构（如编办）计入。方案写明行政编制总额（adminPostsCap）的，改革后行政编制合计不得超过它。",
     "The agencies counted against the cap after the reform may not exceed the plan's cap (agencyCap; a "
     "tier default from configuration when the plan states none). Co-located and plate bodies and "
     "coordination bodies are not counted; department-managed agencies and those under centralized "
     "management (编办) are. When the plan states a total of administrative posts (adminPostsCap), the "
     "posts after the reform may not exceed it.",
     "机构限额按层级（县级：七省大县不超过37个，广东不超过35个）", "DOMAIN.md#SD201"},
    {"SD202", SD_SEV_ERROR, "上级必设机构没有对应", "Mandatory catalogue agency without a counterpart",
     "上级机构目录中标为必设（mandatory）的每个机构，本方案都要有对应：名称或别名相同，或某机构写明以它为上级对应机构（counterpart，方案条目或三定规定中）。一个机构可以对应多个目录条目（文化旅游和广播电视局对应文化和旅游厅、广播电视局）；目录允许在本层级合并设置（mayCombine）或加挂牌子（mayBePlate）的条目，按合并或加挂即为有对应。",
     "Every catalogue entry marked mandatory needs a counterpart in the plan: the same name or alias, or an "
     "agency declaring it as its counterpart (in its plan entry or its 三定). One agency may cover several "
     "entries (文化旅游和广播电视局 for 文化和旅游厅 and 广播电视局); an entry the catalogue lets be combined "
     "(mayCombine) or carried as a plate (mayBePlate) at the plan's tier is covered that way.",
     SRC_SY "：“新组建自然资源、卫生健康、退役军人事务、应急管理、医疗保障、市场监督等…与中央及省基本对应”", "DOMAIN.md#SD202"},
    {"SD203", SD_SEV_ERROR, "上级对应机构不在目录中", "Declared counterpart not in the catalogue",
     "方案条目或三定规定写明的每个上级对应机构（counterpart）都必须是上级机构目录中的名称或别名。不认识的名称按字符（不是字节）计算编辑距离，提示最接近的目录名称或别名，并说明它是哪个机构的别名。",
     "Every counterpart declared in a plan entry or a 三定 must be a name or alias of the higher-level "
     "catalogue. An unknown name gets the closest catalogue name or alias by edit distance over characters "
     "(not bytes), saying whose alias it is.",
     SRC_SY "：“实现了市级机构职能与上级机构基本对应”", "DOMAIN.md#SD203"},
    {"SD204", SD_SEV_ERROR, "职责划转不平衡", "Transfers do not balance",
     "一项职责从甲划转到乙，连同行政编制、领导职数和人员（编随事走、人随编走）：无论写在方案的职责划转清单里还是写在两个机构的三定规定里，各处记载的数字必须一致，甲的转出必须有乙的转入（或清单中的一项）。机构按方案中的标识（三定规定所属的方案条目）认定。方案写明的划转项数、编制数和涉及机构数必须等于清单之和。",
     "A function moved from A to B carries its administrative posts, leadership posts and staff: wherever it "
     "is recorded — the plan's transfer list, A's 三定 (transferOut), B's 三定 (transferIn) — the figures "
     "must agree, and A's move out needs B's move in (or an item of the list). Agencies are identified by the "
     "plan's ids (the entry a 三定 belongs to). The list's stated totals of transfers, posts and agencies "
     "equal its sums.",
     SRC_SY "：“编随事走、人随编走”；《地方各级人民政府机构设置和编制管理条例》第十八条", "DOMAIN.md#SD204"},
    {"SD205", SD_SEV_ERROR, "同一职能由两个机构承担", "One function claimed by two agencies",
     "同一职能代码，或规范化后相同的职责表述（全角半角统一，去掉空白和句末标点），出现在两个机构的三定规定中。每个三定规定都有的套话不算：最后一项“完成…交办的其他任务”，讲本机构自身事务的职责（本部门、本系统的安全生产等），以及半数以上（至少3个）三定规定都有的表述。问题报在已把该职能划出的机构处，另一机构作为相关位置。",
     "The same function code, or the same normalised duty text (full and half width folded, blanks and "
     "trailing punctuation dropped), appears in the 三定 of two agencies. Boilerplate every 三定 carries is "
     "exempt: the closing “完成…交办的其他任务”, a duty about the agency's own house (本部门、本系统的安全生产 "
     "and the like), and a text over half of the 三定 (three or more) carry. The finding goes to the agency that moved the "
     "function away, the other one is its related place.",
     "《地方各级人民政府机构设置和编制管理条例》第十条“职责相同或者相近的，原则上由一个行政机构承担”；" SRC_SY "：职责交叉", "DOMAIN.md#SD205"},
    {"SD206", SD_SEV_ERROR, "行政编制增加，或合计数不符", "Administrative posts grow, or totals disagree",
     "改革后行政编制合计不得多于改革前（编制只能在总额内调整）；方案写明的改革前、改革后行政编制合计和精简数必须等于所列机构之和与其差。",
     "The administrative posts after the reform may not exceed those before (posts move within the total); "
     "the plan's stated totals before and after, and its stated cut, equal the sums over the listed agencies "
     "and their difference.",
     "《地方各级人民政府机构设置和编制管理条例》第十八条（在总额内调整）", "DOMAIN.md#SD206"},
    {"SD208", SD_SEV_ERROR, "议事协调机构单设编制或办事机构", "Coordination body with own staff or office",
     "县级以上议事协调机构不单独核定人员编制（ownPosts，或作为方案条目的行政编制），不单设办事机构（separateOffice），具体工作由有关机构承担（officeHost）：违反为错误。临时性议事协调机构（temporary）没有写明撤销时限（endDate）为警告。",
     "Coordination bodies at county level and above get no staffing of their own (ownPosts, or posts as a "
     "plan entry) and no separate office (separateOffice); an agency hosts their work (officeHost): errors. A "
     "temporary body (temporary) without the date it ends (endDate) is a warning.",
     "《地方各级人民政府机构设置和编制管理条例》第十一条、第十二条、第十九条", "DOMAIN.md#SD208"},
    {"SD209", SD_SEV_WARNING, "职责分工写到不存在的机构", "Division of work names an agency that does not exist",
     "三定规定的职责分工（divisions/relatedAgency）只能写改革后存在的机构：本方案、上级方案或上级机构目录中的机构。写到本次改革撤销或更名前的机构，指出方案中的该机构；不认识的名称按字符编辑距离提示最接近的名称或别名。",
     "A 三定's division of work (divisions/relatedAgency) may only name agencies that exist after the reform: "
     "in the plan, its parent plan or the catalogue. Naming one this reform abolishes (or an old name) points "
     "at the plan's entry; an unknown name gets the closest name or alias by edit distance over characters.",
     "机构改革后职责分工须与改革后的机构设置相符", "DOMAIN.md#SD209"},
    {"SD210", SD_SEV_WARNING, "下级方案早于上级方案施行", "County plan takes effect before its city's",
     "县级方案的施行日期不得早于其上级（市）方案。上级方案文件自己的施行日期为准，县级方案中抄录的上级日期（parentPlan/effectiveDate）与之不一致的，也报告。",
     "A county plan may not take effect before its city's plan. The parent plan file's own date wins over "
     "the date copied into the county plan (parentPlan/effectiveDate); a disagreement between the two is "
     "reported too.",
     SRC_SY "：市级机构2019年1月1日、县级2019年2月1日起以新名称运行", "DOMAIN.md#SD210"},
    {"SD211", SD_SEV_ERROR, "写明的机构数与清单不符", "Stated agency counts disagree with the lists",
     "方案写明的改革前、改革后机构数（totals/before、after 的 agencies）等于清单中计入限额的机构数（合署办公、加挂牌子和不计入限额的种类不计），写明的减少数等于两者之差，写明的议事协调机构数等于所列数目。",
     "The stated counts of agencies before and after (totals/before, after @agencies) equal the counted "
     "entries of the lists (co-located, plate and uncounted kinds left out); the stated reduction equals "
     "their difference; the stated number of coordination bodies equals those listed.",
     SRC_SY "：58个→53个", "DOMAIN.md#SD211"},
    {"SD212", SD_SEV_ERROR, "内设机构或其领导职数增加", "Internal units or their leadership posts grow",
     "全方案按级别合计的内设机构领导职数，改革后不得多于改革前（只减不增），内设机构总数也不得增加；写明的合计数与核减数（totals 的 levelTotal、units 和 reduction）必须等于所列机构之和与其差。",
     "Plan-wide, internal-unit leadership posts per level after the reform may not exceed those before "
     "(they only decrease), nor may the number of internal units grow; the stated totals and cuts (totals' "
     "levelTotal, units and reduction) equal the sums over the listed agencies and their differences.",
     SRC_SY "：正处级领导职数减少49名，内设机构减少53个；“只减不增”", "DOMAIN.md#SD212"},
    {"SD213", SD_SEV_ERROR, "方案条目与三定规定不一致", "Plan entry and its 三定 disagree",
     "方案中的机构条目与它的三定规定必须一致：名称、机构类别、规格、行政编制、领导班子和各级内设机构领导职数、加挂的牌子、合署办公的机构。问题报在三定规定处，方案条目作为相关位置。",
     "A plan entry and its 三定 must agree: name, kind, rank, administrative posts, the leadership team and "
     "the internal-unit leadership posts per level, plates, and co-located partners. The finding goes to the "
     "三定, the plan entry is its related place.",
     SRC_SY, "DOMAIN.md#SD213"},
};

size_t sd_planrules_doc_count(void)
{
    return sizeof DOCS / sizeof DOCS[0];
}

const sd_planrules_ruledoc *sd_planrules_doc_at(size_t i)
{
    return i < sd_planrules_doc_count() ? &DOCS[i] : NULL;
}
