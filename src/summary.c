/*
 * summary.c — the audit summary per jurisdiction (summary.h says why and what
 * it costs).  Reads a document's jurisdiction and a plan's stated figures with
 * libxml2's streaming reader over the bytes the checker kept, so a 三定 costs a
 * few elements and a plan one pass; everything else is bookkeeping.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "summary.h"

#define NS "urn:sdlint:schema:1"

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

sd_audit_summary *sd_summary_new(void)
{
    return calloc(1, sizeof(sd_audit_summary));
}

/* A whole number of at most 12 digits between blanks, else UNSTATED. */
static long parse_count(const char *s)
{
    if (s == NULL)
        return SD_SUMMARY_UNSTATED;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    long v = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 12)
            return SD_SUMMARY_UNSTATED;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return digits && *s == '\0' ? v : SD_SUMMARY_UNSTATED;
}

/* Lexical normalisation of a relative or absolute path: "." steps and
 * "x/.." pairs dropped, repeated slashes merged.  Returns a new string. */
static char *normalise(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n + 2);
    size_t *starts = malloc((n + 1) * sizeof *starts);
    if (out == NULL || starts == NULL) {
        free(out);
        free(starts);
        return NULL;
    }
    size_t len = 0, nseg = 0, keep = 0; /* keep: leading ".." segments that cannot go */
    int abs = p[0] == '/';
    if (abs)
        out[len++] = '/';
    const char *s = p;
    while (*s) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *e = strchr(s, '/');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == 1 && s[0] == '.') {
            /* nothing */
        } else if (k == 2 && s[0] == '.' && s[1] == '.' && nseg > keep) {
            len = starts[--nseg];
        } else if (k == 2 && s[0] == '.' && s[1] == '.' && abs) {
            /* above the root: stays at the root */
        } else {
            if (len > (size_t)abs && out[len - 1] != '/')
                out[len++] = '/';
            starts[nseg] = len > (size_t)abs ? len - 1 : len;
            if (nseg == 0)
                starts[nseg] = (size_t)abs;
            memcpy(out + len, s, k);
            len += k;
            nseg++;
            if (k == 2 && s[0] == '.' && s[1] == '.')
                keep = nseg;
        }
        s += k;
    }
    out[len] = '\0';
    free(starts);
    return out;
}

/* href resolved against the folder of base, normalised. */
static char *resolve(const char *base, const char *href)
{
    if (href[0] == '/' || base == NULL)
        return normalise(href);
    const char *slash = strrchr(base, '/');
    size_t dl = slash ? (size_t)(slash - base) + 1 : 0;
    size_t hl = strlen(href);
    char *j = malloc(dl + hl + 1);
    if (j == NULL)
        return NULL;
    memcpy(j, base, dl);
    memcpy(j + dl, href, hl + 1);
    char *r = normalise(j);
    free(j);
    return r;
}

/* What one document says about its jurisdiction and, for a plan, its figures. */
typedef struct doc_info {
    char *code, *name, *tier, *parent_href;
    int is_plan;
    long cap, admin_cap, ag[2], admin[2], units[2];
    sd_summary_level *levels;
    size_t nlevels;
    int failed;
} doc_info;

static void doc_info_free(doc_info *d)
{
    free(d->code);
    free(d->name);
    free(d->tier);
    free(d->parent_href);
    for (size_t i = 0; i < d->nlevels; i++)
        free(d->levels[i].rank);
    free(d->levels);
}

static char *attr(xmlTextReaderPtr rd, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(rd, (const xmlChar *)name);
    char *r = v ? strdup((const char *)v) : NULL;
    xmlFree(v);
    return r;
}

static void add_level(doc_info *d, const char *rank, int side, long count)
{
    if (rank == NULL)
        return;
    for (size_t i = 0; i < d->nlevels; i++)
        if (strcmp(d->levels[i].rank, rank) == 0) {
            if (side == 0)
                d->levels[i].before = count;
            else
                d->levels[i].after = count;
            return;
        }
    sd_summary_level *nl = realloc(d->levels, (d->nlevels + 1) * sizeof *nl);
    char *r = strdup(rank);
    if (nl == NULL || r == NULL) {
        free(r);
        if (nl)
            d->levels = nl;
        d->failed = 1;
        return;
    }
    d->levels = nl;
    nl[d->nlevels].rank = r;
    nl[d->nlevels].before = side == 0 ? count : SD_SUMMARY_UNSTATED;
    nl[d->nlevels].after = side == 1 ? count : SD_SUMMARY_UNSTATED;
    d->nlevels++;
}

static void silence(void *ctx, const xmlError *e)
{
    (void)ctx;
    (void)e;
}

/* The jurisdiction and figures as the streaming reader (below) reads them:
 * the same state machine, fed one element at a time in document order. */
typedef struct info_walk {
    doc_info *d;
    const char *path;
    int side, in_totals; /* side 0: totals/before, 1: totals/after */
} info_walk;

/* Returns 1 when the walk is over (a 三定 or a catalogue gave its jurisdiction). */
static int info_element(info_walk *w, const char *ln, int depth, char *(*get)(void *, const char *),
                        char *(*text)(void *), void *at)
{
    doc_info *d = w->d;
    if (depth == 1) {
        w->in_totals = strcmp(ln, "totals") == 0;
        w->side = -1;
    }
    if (depth == 1 && strcmp(ln, "jurisdiction") == 0) {
        free(d->code);
        free(d->name);
        free(d->tier);
        d->code = get(at, "code");
        d->name = get(at, "name");
        d->tier = get(at, "tier");
        if (!d->is_plan)
            return 1; /* all a 三定 or a catalogue gives the summary */
    } else if (!d->is_plan) {
        return 0;
    } else if (depth == 1 && strcmp(ln, "parentPlan") == 0) {
        char *h = get(at, "href");
        if (h && *h && d->parent_href == NULL)
            d->parent_href = resolve(w->path, h);
        free(h);
    } else if (depth == 1 && (strcmp(ln, "agencyCap") == 0 || strcmp(ln, "adminPostsCap") == 0)) {
        char *t = text(at);
        long v = parse_count(t);
        free(t);
        if (ln[0] == 'a' && ln[1] == 'g')
            d->cap = v;
        else
            d->admin_cap = v;
    } else if (depth == 2 && w->in_totals && (strcmp(ln, "before") == 0 || strcmp(ln, "after") == 0)) {
        w->side = ln[0] == 'b' ? 0 : 1;
        char *a = get(at, "agencies"), *p = get(at, "adminPosts"), *u = get(at, "units");
        d->ag[w->side] = parse_count(a);
        d->admin[w->side] = parse_count(p);
        d->units[w->side] = parse_count(u);
        free(a);
        free(p);
        free(u);
    } else if (depth == 2) {
        w->side = -1; /* reduction, or anything else */
    } else if (depth == 3 && w->side >= 0 && strcmp(ln, "levelTotal") == 0) {
        char *rank = get(at, "rank"), *c = get(at, "count");
        add_level(d, rank, w->side, parse_count(c));
        free(rank);
        free(c);
    }
    return 0;
}

static void info_init(doc_info *d)
{
    d->cap = d->admin_cap = SD_SUMMARY_UNSTATED;
    for (int k = 0; k < 2; k++)
        d->ag[k] = d->admin[k] = d->units[k] = SD_SUMMARY_UNSTATED;
}

static char *reader_attr(void *rd, const char *name)
{
    return attr(rd, name);
}

static char *reader_text(void *rd)
{
    xmlChar *t = xmlTextReaderReadString(rd);
    char *r = t ? strdup((const char *)t) : NULL;
    xmlFree(t);
    return r;
}

static void read_info(const sd_result *r, doc_info *d)
{
    info_init(d);
    if (r->src.bytes == NULL || !r->parsed || r->src.len > INT_MAX)
        return;
    if (r->kind != SD_KIND_PLAN && r->kind != SD_KIND_SANDING && r->kind != SD_KIND_CATALOGUE)
        return;
    /* The checker kept the text as UTF-8 (a declared GB18030 re-encoded,
     * load.c), so the declaration must not be believed again. */
    xmlTextReaderPtr rd = xmlReaderForMemory((const char *)r->src.bytes, (int)r->src.len, NULL, "UTF-8",
                                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                                 XML_PARSE_IGNORE_ENC);
    if (rd == NULL) {
        d->failed = 1;
        return;
    }
    xmlTextReaderSetStructuredErrorHandler(rd, (xmlStructuredErrorFunc)silence, NULL);
    d->is_plan = r->kind == SD_KIND_PLAN;
    info_walk w = {.d = d, .path = r->src.path, .side = -1};
    while (xmlTextReaderRead(rd) == 1) {
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
            continue;
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);
        if (ns == NULL || strcmp((const char *)ns, NS) != 0)
            continue;
        if (info_element(&w, (const char *)xmlTextReaderConstLocalName(rd), xmlTextReaderDepth(rd),
                         reader_attr, reader_text, rd))
            break;
    }
    xmlFreeTextReader(rd);
}

/* ---- the same from a parsed tree, on the thread that checked it ---- */

struct sd_summary_info {
    doc_info d;
};

static char *tree_attr(void *node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    char *r = v ? strdup((const char *)v) : NULL;
    xmlFree(v);
    return r;
}

/* As xmlTextReaderReadString: the text of every descendant, concatenated. */
static char *tree_text(void *node)
{
    xmlChar *t = xmlNodeGetContent(node);
    char *r = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return r;
}

/* Whether the reader would read src as the tree was parsed: UTF-8 text that
 * starts with ASCII markup (or a UTF-8 BOM).  Anything else (UTF-16 that
 * libxml2 detected on its own) keeps the reader's way, whatever it gives. */
static int plain_utf8(const sd_source *src)
{
    const unsigned char *b = src->bytes;
    size_t n = src->len, i = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t k = i; k < i + 4; k++)
        if (k >= n || b[k] == 0 || b[k] >= 0x80)
            return 0;
    return b[i] == '<' || b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r';
}

sd_summary_info *sd_summary_info_of(const struct _xmlDoc *doc, sd_kind kind, const sd_source *src)
{
    if (doc == NULL || src->bytes == NULL || src->len > INT_MAX || !plain_utf8(src) ||
        (kind != SD_KIND_PLAN && kind != SD_KIND_SANDING && kind != SD_KIND_CATALOGUE))
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)doc);
    if (root == NULL)
        return NULL;
    sd_summary_info *in = calloc(1, sizeof *in);
    if (in == NULL)
        return NULL;
    doc_info *d = &in->d;
    info_init(d);
    d->is_plan = kind == SD_KIND_PLAN;
    info_walk w = {.d = d, .path = src->path, .side = -1};
    /* Every element in document order with its depth (the root's is 0), as
     * the reader meets them; a 三定 or a catalogue stops at its first
     * jurisdiction, which only a child of the root can be. */
    int depth = 0;
    for (xmlNodePtr n = root; n != NULL;) {
        if (n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
            strcmp((const char *)n->ns->href, NS) == 0 &&
            info_element(&w, (const char *)n->name, depth, tree_attr, tree_text, n))
            break;
        if (n->type == XML_ELEMENT_NODE && n->children != NULL && (d->is_plan || depth == 0)) {
            n = n->children;
            depth++;
            continue;
        }
        while (n != root && n->next == NULL) {
            n = n->parent;
            depth--;
        }
        n = n == root ? NULL : n->next;
    }
    if (d->failed) {
        sd_summary_info_free(in);
        return NULL;
    }
    return in;
}

void sd_summary_info_free(sd_summary_info *in)
{
    if (in == NULL)
        return;
    doc_info_free(&in->d);
    free(in);
}

sd_summary_node *sd_summary_node_for(sd_audit_summary *s, const char *code)
{
    for (size_t i = s->nnodes; i-- > 0;)
        if (strcmp(s->nodes[i].code, code) == 0)
            return &s->nodes[i];
    if (s->nnodes == s->capnodes) {
        size_t nc = s->capnodes ? s->capnodes * 2 : 16;
        sd_summary_node *nn = realloc(s->nodes, nc * sizeof *nn);
        if (nn == NULL)
            return NULL;
        s->nodes = nn;
        s->capnodes = nc;
    }
    sd_summary_node *n = &s->nodes[s->nnodes];
    memset(n, 0, sizeof *n);
    n->code = strdup(code);
    n->name = strdup("");
    n->tier = strdup("");
    if (n->code == NULL || n->name == NULL || n->tier == NULL) {
        free(n->code);
        free(n->name);
        free(n->tier);
        return NULL;
    }
    n->agency_cap = n->admin_cap = SD_SUMMARY_UNSTATED;
    n->agencies_before = n->agencies_after = n->admin_before = n->admin_after = SD_SUMMARY_UNSTATED;
    n->units_before = n->units_after = SD_SUMMARY_UNSTATED;
    n->parent = -1;
    n->first_take = (long)s->takes;
    n->name_take = n->tier_take = n->plan_take = -1;
    s->nnodes++;
    return n;
}

static void set_str(sd_audit_summary *s, char **dst, const char *v)
{
    if (v == NULL || (**dst && !v[0]))
        return;
    char *c = strdup(v);
    if (c == NULL) {
        s->failed = 1;
        return;
    }
    free(*dst);
    *dst = c;
}

static int count_rule(sd_summary_node *n, const char *rule, sd_severity sev)
{
    for (size_t i = 0; i < n->nrules; i++)
        if (strcmp(n->rules[i].rule, rule) == 0) {
            n->rules[i].by_severity[sev]++;
            return 0;
        }
    sd_summary_rule *nr = realloc(n->rules, (n->nrules + 1) * sizeof *nr);
    if (nr == NULL)
        return -1;
    n->rules = nr;
    memset(&nr[n->nrules], 0, sizeof nr[n->nrules]);
    if ((nr[n->nrules].rule = strdup(rule)) == NULL)
        return -1;
    nr[n->nrules++].by_severity[sev]++;
    return 0;
}

static int add_finding(sd_summary_node *n, const sd_finding *f)
{
    if (n->nfindings == n->capfindings) {
        size_t nc = n->capfindings ? n->capfindings * 2 : 8;
        sd_summary_finding *nf = realloc(n->findings, nc * sizeof *nf);
        if (nf == NULL)
            return -1;
        n->findings = nf;
        n->capfindings = nc;
    }
    sd_summary_finding *c = &n->findings[n->nfindings];
    c->rule = strdup(f->rule_id);
    c->file = strdup(f->file ? f->file : "");
    c->message = strdup(f->message);
    c->severity = f->severity;
    c->line = f->line;
    c->col = f->col;
    n->nfindings++;
    if (c->rule == NULL || c->file == NULL || c->message == NULL)
        return -1;
    return count_rule(n, f->rule_id, f->severity);
}

void sd_summary_take(sd_audit_summary *s, const sd_result *r, sd_severity min)
{
    if (s == NULL || s->finished)
        return;
    doc_info d = {0};
    if (r->info != NULL && r->parsed) {
        d = r->info->d; /* moved out: the result is not read again */
        memset(&r->info->d, 0, sizeof r->info->d);
    } else {
        read_info(r, &d);
    }
    if (d.failed)
        s->failed = 1;
    sd_summary_node *n = sd_summary_node_for(s, d.code ? d.code : "");
    if (n == NULL) {
        s->failed = 1;
        doc_info_free(&d);
        return;
    }
    set_str(s, &n->name, d.name);
    set_str(s, &n->tier, d.tier);
    if (d.name && d.name[0])
        n->name_take = (long)s->takes;
    if (d.tier && d.tier[0])
        n->tier_take = (long)s->takes;
    if (d.is_plan) {
        s->plans++;
        n->plans++;
        if (n->plan == NULL) { /* the first plan of a jurisdiction gives its figures */
            n->plan_take = (long)s->takes;
            n->plan = dup_or_null(r->src.path);
            n->parent_href = d.parent_href;
            d.parent_href = NULL;
            n->agency_cap = d.cap;
            n->admin_cap = d.admin_cap;
            n->agencies_before = d.ag[0];
            n->agencies_after = d.ag[1];
            n->admin_before = d.admin[0];
            n->admin_after = d.admin[1];
            n->units_before = d.units[0];
            n->units_after = d.units[1];
            n->levels = d.levels;
            n->nlevels = d.nlevels;
            d.levels = NULL;
            d.nlevels = 0;
            if (n->plan == NULL)
                s->failed = 1;
        }
    }
    n->files++;
    s->files++;
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < min || f->suppressed || f->baselined)
            continue;
        n->by_severity[f->severity]++;
        s->by_severity[f->severity]++;
        if (add_finding(n, f) != 0)
            s->failed = 1;
    }
    s->takes++;
    doc_info_free(&d);
}

/* The code one level up: a county XXYYZZ → XXYY00, a city XXYY00 → XX0000. */
static int code_parent(const char *code, char out[7])
{
    if (strlen(code) != 6)
        return 0;
    for (int i = 0; i < 6; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    memcpy(out, code, 7);
    if (code[4] != '0' || code[5] != '0') {
        out[4] = out[5] = '0';
        return 1;
    }
    if (code[2] != '0' || code[3] != '0') {
        out[2] = out[3] = '0';
        return 1;
    }
    return 0;
}

typedef struct sort_item {
    const sd_audit_summary *s;
    size_t idx;
    long chain[16]; /* ancestors from the root, then the node itself */
    size_t nchain;
} sort_item;

static int cmp_items(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    for (size_t i = 0; i < x->nchain && i < y->nchain; i++) {
        if (x->chain[i] == y->chain[i])
            continue;
        int c = strcmp(x->s->nodes[x->chain[i]].code, y->s->nodes[y->chain[i]].code);
        if (c)
            return c;
        return x->chain[i] < y->chain[i] ? -1 : 1;
    }
    return x->nchain < y->nchain ? -1 : x->nchain > y->nchain;
}

static int cmp_rules(const void *a, const void *b)
{
    return strcmp(((const sd_summary_rule *)a)->rule, ((const sd_summary_rule *)b)->rule);
}

void sd_summary_finish(sd_audit_summary *s)
{
    if (s == NULL || s->finished)
        return;
    s->finished = 1;
    size_t n = s->nnodes;
    if (n == 0)
        return;
    char **paths = calloc(n, sizeof *paths);
    sort_item *items = calloc(n, sizeof *items);
    long *newidx = calloc(n, sizeof *newidx);
    sd_summary_node *sorted = calloc(n, sizeof *sorted);
    if (paths == NULL || items == NULL || newidx == NULL || sorted == NULL) {
        s->failed = 1;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (s->nodes[i].plan && (paths[i] = normalise(s->nodes[i].plan)) == NULL)
            s->failed = 1;
    for (size_t i = 0; i < n; i++) {
        sd_summary_node *x = &s->nodes[i];
        x->parent = -1;
        if (x->parent_href)
            for (size_t k = 0; k < n; k++)
                if (k != i && paths[k] && strcmp(paths[k], x->parent_href) == 0) {
                    x->parent = (long)k;
                    break;
                }
        char up[7]; /* one step by code: a county without its city's node is a root */
        if (x->parent < 0 && code_parent(x->code, up))
            for (size_t k = 0; k < n; k++)
                if (k != i && strcmp(s->nodes[k].code, up) == 0) {
                    x->parent = (long)k;
                    break;
                }
    }
    /* A loop of parent links (plans naming each other as parent) is cut where
     * it is first met in input order: that plan becomes a root, the others
     * hang under it. */
    for (size_t i = 0; i < n; i++) {
        long p = s->nodes[i].parent;
        size_t steps = 0;
        while (p >= 0 && steps <= n) {
            p = s->nodes[p].parent;
            steps++;
        }
        if (p >= 0 || steps > n)
            s->nodes[i].parent = -1;
    }
    for (size_t i = 0; i < n; i++) {
        items[i].s = s;
        items[i].idx = i;
        long chain[16], p = (long)i;
        size_t k = 0;
        while (p >= 0 && k < 16) {
            chain[k++] = p;
            p = s->nodes[p].parent;
        }
        if (p >= 0) { /* deeper than 16: listed under its 16th ancestor */
            s->nodes[chain[k - 1]].parent = -1;
        }
        items[i].nchain = k;
        for (size_t j = 0; j < k; j++)
            items[i].chain[j] = chain[k - 1 - j];
    }
    qsort(items, n, sizeof *items, cmp_items);
    for (size_t i = 0; i < n; i++)
        newidx[items[i].idx] = (long)i;
    for (size_t i = 0; i < n; i++) {
        sorted[i] = s->nodes[items[i].idx];
        sorted[i].depth = items[i].nchain - 1;
        if (sorted[i].parent >= 0)
            sorted[i].parent = newidx[sorted[i].parent];
        if (sorted[i].nrules > 1)
            qsort(sorted[i].rules, sorted[i].nrules, sizeof *sorted[i].rules, cmp_rules);
    }
    free(s->nodes);
    s->nodes = sorted;
    s->capnodes = n;
    sorted = NULL;
out:
    if (paths)
        for (size_t i = 0; i < n; i++)
            free(paths[i]);
    free(paths);
    free(items);
    free(newidx);
    free(sorted);
}

void sd_summary_free(sd_audit_summary *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nnodes; i++) {
        sd_summary_node *n = &s->nodes[i];
        free(n->code);
        free(n->name);
        free(n->tier);
        free(n->plan);
        free(n->parent_href);
        for (size_t k = 0; k < n->nlevels; k++)
            free(n->levels[k].rank);
        free(n->levels);
        for (size_t k = 0; k < n->nrules; k++)
            free(n->rules[k].rule);
        free(n->rules);
        for (size_t k = 0; k < n->nfindings; k++) {
            free(n->findings[k].rule);
            free(n->findings[k].file);
            free(n->findings[k].message);
        }
        free(n->findings);
    }
    free(s->nodes);
    free(s);
}

/* ---- text ---- */

static void fig(sd_buf *b, long v)
{
    if (v == SD_SUMMARY_UNSTATED)
        sd_buf_puts(b, "?");
    else
        sd_buf_printf(b, "%ld", v);
}

static void pair(sd_buf *b, long before, long after)
{
    fig(b, before);
    sd_buf_puts(b, "→");
    fig(b, after);
}

void sd_summary_text(sd_audit_summary *s, sd_buf *b, sd_lang lang)
{
    sd_summary_finish(s);
    int en = lang == SD_LANG_EN;
    if (s->failed) {
        sd_buf_puts(b, en ? "summary by jurisdiction: out of memory\n" : "按辖区汇总：内存不足\n");
        return;
    }
    if (en)
        sd_buf_printf(b, "By jurisdiction (%zu plan%s):\n", s->plans, s->plans == 1 ? "" : "s");
    else
        sd_buf_printf(b, "按辖区汇总（%zu 个方案）：\n", s->plans);
    for (size_t i = 0; i < s->nnodes; i++) {
        const sd_summary_node *n = &s->nodes[i];
        for (size_t d = 0; d <= n->depth && d < 16; d++)
            sd_buf_puts(b, "  ");
        if (n->code[0] == '\0') {
            sd_buf_puts(b, en ? "(no jurisdiction)" : "（无行政区划）");
        } else {
            sd_buf_term_str(b, n->name);
            sd_buf_puts(b, " ");
            sd_buf_term_str(b, n->code);
            if (n->tier[0]) {
                sd_buf_puts(b, " ");
                sd_buf_term_str(b, n->tier);
            }
        }
        sd_buf_printf(b, en ? ": %zu file%s" : "：%zu 个文件", n->files, en && n->files != 1 ? "s" : "");
        if (n->plan) {
            sd_buf_puts(b, en ? "; agencies " : "；机构 ");
            pair(b, n->agencies_before, n->agencies_after);
            sd_buf_puts(b, en ? " (cap " : "（限额 ");
            fig(b, n->agency_cap);
            sd_buf_puts(b, en ? "), admin posts " : "），行政编制 ");
            pair(b, n->admin_before, n->admin_after);
            if (n->admin_cap != SD_SUMMARY_UNSTATED) {
                sd_buf_puts(b, en ? " (cap " : "（总额 ");
                fig(b, n->admin_cap);
                sd_buf_puts(b, en ? ")" : "）");
            }
            sd_buf_puts(b, en ? ", units " : "，内设机构 ");
            pair(b, n->units_before, n->units_after);
            for (size_t k = 0; k < n->nlevels; k++) {
                sd_buf_puts(b, k ? (en ? ", " : "，") : (en ? ", posts " : "，职数 "));
                sd_buf_term_str(b, n->levels[k].rank);
                sd_buf_puts(b, " ");
                pair(b, n->levels[k].before, n->levels[k].after);
            }
        }
        size_t f = n->by_severity[SD_SEV_FATAL], e = n->by_severity[SD_SEV_ERROR];
        size_t w = n->by_severity[SD_SEV_WARNING], in = n->by_severity[SD_SEV_INFO];
        if (en) {
            sd_buf_puts(b, "; ");
            if (f)
                sd_buf_printf(b, "%zu fatal, ", f);
            sd_buf_printf(b, "%zu error%s, %zu warning%s, %zu info", e, e == 1 ? "" : "s", w,
                          w == 1 ? "" : "s", in);
        } else {
            sd_buf_puts(b, "；");
            if (f)
                sd_buf_printf(b, "%zu 个致命错误，", f);
            sd_buf_printf(b, "%zu 个错误，%zu 个警告，%zu 个提示", e, w, in);
        }
        for (size_t k = 0; k < n->nrules; k++) {
            const sd_summary_rule *r = &n->rules[k];
            size_t t = r->by_severity[0] + r->by_severity[1] + r->by_severity[2] + r->by_severity[3];
            sd_buf_puts(b, k ? " " : (en ? ": " : "："));
            sd_buf_term_str(b, r->rule);
            sd_buf_printf(b, "×%zu", t);
        }
        sd_buf_puts(b, "\n");
    }
}

/* ---- JSON ---- */

static void jnum(sd_buf *b, long v)
{
    if (v == SD_SUMMARY_UNSTATED)
        sd_buf_puts(b, "null");
    else
        sd_buf_printf(b, "%ld", v);
}


static void jsev(sd_buf *b, const size_t by[4])
{
    sd_buf_printf(b, "\"fatal\": %zu, \"error\": %zu, \"warning\": %zu, \"info\": %zu",
                  by[SD_SEV_FATAL], by[SD_SEV_ERROR], by[SD_SEV_WARNING], by[SD_SEV_INFO]);
}

void sd_summary_json(sd_audit_summary *s, sd_buf *b, const char *indent)
{
    sd_summary_finish(s);
    if (s->failed) {
        b->failed = 1; /* the report must not claim a summary it lacks */
        return;
    }
    sd_buf_puts(b, "[");
    for (size_t i = 0; i < s->nnodes; i++) {
        const sd_summary_node *n = &s->nodes[i];
        sd_buf_puts(b, i ? ",\n" : "\n");
        sd_buf_puts(b, indent);
        sd_buf_puts(b, "{\"code\": ");
        sd_buf_json_str_or_null(b, n->code);
        sd_buf_puts(b, ", \"name\": ");
        sd_buf_json_str_or_null(b, n->name);
        sd_buf_puts(b, ", \"tier\": ");
        sd_buf_json_str_or_null(b, n->tier);
        sd_buf_puts(b, ", \"parent\": ");
        sd_buf_json_str_or_null(b, n->parent >= 0 ? s->nodes[n->parent].code : NULL);
        sd_buf_printf(b, ", \"depth\": %zu, \"plan\": ", n->depth);
        sd_buf_json_str_or_null(b, n->plan);
        sd_buf_printf(b, ", \"files\": %zu, \"findings\": {", n->files);
        jsev(b, n->by_severity);
        sd_buf_puts(b, "}, \"rules\": [");
        for (size_t k = 0; k < n->nrules; k++) {
            sd_buf_puts(b, k ? ", {\"rule\": " : "{\"rule\": ");
            sd_buf_json_str_or_null(b, n->rules[k].rule);
            sd_buf_puts(b, ", ");
            jsev(b, n->rules[k].by_severity);
            sd_buf_puts(b, "}");
        }
        sd_buf_puts(b, "], \"figures\": ");
        if (n->plan == NULL) {
            sd_buf_puts(b, "null}");
            continue;
        }
        sd_buf_puts(b, "{\"agencyCap\": ");
        jnum(b, n->agency_cap);
        sd_buf_puts(b, ", \"adminPostsCap\": ");
        jnum(b, n->admin_cap);
        sd_buf_puts(b, ", \"agencies\": {\"before\": ");
        jnum(b, n->agencies_before);
        sd_buf_puts(b, ", \"after\": ");
        jnum(b, n->agencies_after);
        sd_buf_puts(b, "}, \"adminPosts\": {\"before\": ");
        jnum(b, n->admin_before);
        sd_buf_puts(b, ", \"after\": ");
        jnum(b, n->admin_after);
        sd_buf_puts(b, "}, \"units\": {\"before\": ");
        jnum(b, n->units_before);
        sd_buf_puts(b, ", \"after\": ");
        jnum(b, n->units_after);
        sd_buf_puts(b, "}, \"levels\": [");
        for (size_t k = 0; k < n->nlevels; k++) {
            sd_buf_puts(b, k ? ", {\"rank\": " : "{\"rank\": ");
            sd_buf_json_str_or_null(b, n->levels[k].rank);
            sd_buf_puts(b, ", \"before\": ");
            jnum(b, n->levels[k].before);
            sd_buf_puts(b, ", \"after\": ");
            jnum(b, n->levels[k].after);
            sd_buf_puts(b, "}");
        }
        sd_buf_puts(b, "]}}");
    }
    sd_buf_puts(b, s->nnodes ? "\n" : "");
    if (s->nnodes) {
        /* closing bracket aligned with the member that holds the array */
        size_t il = strlen(indent);
        sd_buf_add(b, indent, il >= 2 ? il - 2 : 0);
    }
    sd_buf_puts(b, "]");
}
