/*
 * import.c — text of a 三定 → vocabulary-2 XML (import.h says why).
 *
 * The text is read paragraph by paragraph with a small state: the heading
 * (title, 文号, issuers), the body articles, the item lists an article opens
 * (functions, transfers, units, divisions) and the data appendix `render`
 * writes.  A body paragraph is cut into sentences and clauses at 。；
 * (outside brackets and quotes); each is tried against the constructs its
 * place allows, in the file's order.  All wording is in the patterns file;
 * here are only construct ids, group names and the XML they fill.
 * The tree is built in schema order whatever order the text gives (ordered
 * insertion), so the appendix can add to a unit named earlier.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "import.h"

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "embedded.h"

#define NS "urn:sdlint:schema:1"

/* ------------------------------------------------------------ patterns file */

typedef struct expect {
    char *name, *value;
} expect;

typedef struct pattern {
    char *id;
    char *src; /* expanded */
    pcre2_code *re;
    char *example;
    expect *expects;
    size_t nexpects;
    long line;
} pattern;

typedef struct mapent {
    char *table, *value;
    pcre2_code *re;
} mapent;

struct sd_import_rules {
    pattern *pats;
    size_t npats;
    mapent *maps;
    size_t nmaps;
};

typedef struct define {
    char *name, *re;
} define;

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

static pcre2_code *compile(const char *re, const char *name, long line, sd_error *err)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec,
                                  &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: pattern does not compile at offset %zu: %s", name, line,
                     (size_t)off, (const char *)msg);
    }
    return c;
}

/* Replaces each {NAME} of a define with (?:its regex). */
static char *expand(const char *s, const define *defs, size_t ndefs)
{
    sd_buf b;
    sd_buf_init(&b);
    while (*s) {
        if (*s == '{') {
            const char *e = strchr(s, '}');
            size_t i = 0;
            if (e)
                for (; i < ndefs; i++)
                    if (strlen(defs[i].name) == (size_t)(e - s - 1) &&
                        memcmp(defs[i].name, s + 1, (size_t)(e - s - 1)) == 0)
                        break;
            if (e && i < ndefs) {
                sd_buf_puts(&b, "(?:");
                sd_buf_puts(&b, defs[i].re);
                sd_buf_puts(&b, ")");
                s = e + 1;
                continue;
            }
        }
        sd_buf_add(&b, s, 1);
        s++;
    }
    if (b.len == 0)
        sd_buf_add(&b, "", 0);
    if (sd_buf_failed(&b) || b.data == NULL) {
        sd_buf_free(&b);
        return NULL;
    }
    return b.data;
}

void sd_import_rules_free(sd_import_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->npats; i++) {
        pattern *p = &r->pats[i];
        free(p->id);
        free(p->src);
        free(p->example);
        pcre2_code_free(p->re);
        for (size_t j = 0; j < p->nexpects; j++) {
            free(p->expects[j].name);
            free(p->expects[j].value);
        }
        free(p->expects);
    }
    for (size_t i = 0; i < r->nmaps; i++) {
        free(r->maps[i].table);
        free(r->maps[i].value);
        pcre2_code_free(r->maps[i].re);
    }
    free(r->pats);
    free(r->maps);
    free(r);
}

static int grow(void **arr, size_t n, size_t size)
{
    if ((n & (n - 1)) == 0) { /* 0, 1, 2, 4 ...: double */
        void *p = realloc(*arr, (n ? n * 2 : 1) * size);
        if (!p)
            return -1;
        *arr = p;
    }
    return 0;
}

sd_status sd_import_rules_load(const char *text, size_t len, const char *name,
                               sd_import_rules **out, sd_error *err)
{
    *out = NULL;
    sd_import_rules *r = calloc(1, sizeof *r);
    define *defs = NULL;
    size_t ndefs = 0;
    sd_status st = SD_OK;
    if (!r)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    const char *p = text, *end = text + len;
    long line = 0;
    pattern *cur = NULL;
    while (p < end && st == SD_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        line++;
        size_t n = (size_t)(le - p);
        if (n && p[n - 1] == '\r')
            n--;
        char *l = dupn(p, n);
        p = nl ? nl + 1 : end;
        if (!l) {
            st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        char *kw = l;
        while (*kw == ' ' || *kw == '\t')
            kw++;
        char *arg = kw;
        while (*arg && *arg != ' ' && *arg != '\t')
            arg++;
        size_t kwlen = (size_t)(arg - kw);
        while (*arg == ' ' || *arg == '\t')
            arg++;
        if (*kw == 0 || *kw == '#') {
            /* comment or blank */
        } else if (kwlen == 6 && memcmp(kw, "define", 6) == 0) {
            char *sp = strpbrk(arg, " \t");
            if (!sp) {
                st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: define NAME REGEX", name, line);
            } else if (grow((void **)&defs, ndefs, sizeof *defs) != 0) {
                st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            } else {
                *sp = 0;
                char *re = sp + 1;
                while (*re == ' ' || *re == '\t')
                    re++;
                defs[ndefs].name = strdup(arg);
                defs[ndefs].re = expand(re, defs, ndefs);
                ndefs++;
                if (!defs[ndefs - 1].name || !defs[ndefs - 1].re)
                    st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            }
        } else if (kwlen == 3 && memcmp(kw, "map", 3) == 0) {
            char *a = arg, *b = strpbrk(a, " \t"), *c = NULL;
            if (b) {
                *b++ = 0;
                while (*b == ' ' || *b == '\t')
                    b++;
                c = strpbrk(b, " \t");
            }
            if (!c) {
                st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: map TABLE VALUE REGEX", name, line);
            } else if (grow((void **)&r->maps, r->nmaps, sizeof *r->maps) != 0) {
                st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            } else {
                *c++ = 0;
                while (*c == ' ' || *c == '\t')
                    c++;
                mapent *m = &r->maps[r->nmaps++];
                memset(m, 0, sizeof *m);
                m->table = strdup(a);
                m->value = strdup(b);
                m->re = compile(c, name, line, err);
                if (!m->re)
                    st = err->code;
                else if (!m->table || !m->value)
                    st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            }
        } else if (kwlen == 7 && memcmp(kw, "pattern", 7) == 0) {
            if (*arg == 0) {
                st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: pattern needs an ID", name, line);
            } else if (grow((void **)&r->pats, r->npats, sizeof *r->pats) != 0) {
                st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            } else {
                cur = &r->pats[r->npats++];
                memset(cur, 0, sizeof *cur);
                cur->id = strdup(arg);
                cur->line = line;
                if (!cur->id)
                    st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            }
        } else if (!cur) {
            st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: '%.*s' outside a pattern", name, line, (int)kwlen, kw);
        } else if (kwlen == 5 && memcmp(kw, "match", 5) == 0) {
            free(cur->src);
            pcre2_code_free(cur->re);
            cur->src = expand(arg, defs, ndefs);
            cur->re = cur->src ? compile(cur->src, name, line, err) : NULL;
            if (!cur->re)
                st = cur->src ? err->code : sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        } else if (kwlen == 7 && memcmp(kw, "example", 7) == 0) {
            free(cur->example);
            cur->example = strdup(arg);
        } else if (kwlen == 6 && memcmp(kw, "expect", 6) == 0) {
            if (*arg) {
                char *eq = strchr(arg, '=');
                if (!eq) {
                    st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: expect NAME=VALUE", name, line);
                } else if (grow((void **)&cur->expects, cur->nexpects, sizeof *cur->expects) != 0) {
                    st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                } else {
                    cur->expects[cur->nexpects].name = dupn(arg, (size_t)(eq - arg));
                    cur->expects[cur->nexpects].value = strdup(eq + 1);
                    cur->nexpects++;
                }
            }
        } else {
            st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: unknown statement '%.*s'", name, line, (int)kwlen, kw);
        }
        free(l);
    }
    for (size_t i = 0; st == SD_OK && i < r->npats; i++)
        if (!r->pats[i].re)
            st = sd_error_set(err, SD_EINVAL, NULL, 0, "%s:%ld: pattern %s has no match line", name,
                              r->pats[i].line, r->pats[i].id);
    for (size_t i = 0; i < ndefs; i++) {
        free(defs[i].name);
        free(defs[i].re);
    }
    free(defs);
    if (st != SD_OK) {
        sd_import_rules_free(r);
        return st;
    }
    *out = r;
    return SD_OK;
}

sd_status sd_import_rules_builtin(sd_import_rules **out, sd_error *err)
{
    const sd_embedded_file *f = sd_embedded_find("import-zh.txt");
    if (!f)
        return sd_error_set(err, SD_EINVAL, NULL, 0, "import-zh.txt is not built in");
    return sd_import_rules_load(f->bytes, f->len, "rules/import-zh.txt", out, err);
}

/* ------------------------------------------------------------ matching */

typedef struct match {
    const pattern *pat;
    pcre2_match_data *md;
    const char *subject;
} match;

static void match_free(match *m)
{
    pcre2_match_data_free(m->md);
    m->md = NULL;
}

/* Tries pattern p on s[0..n) from offset start; 1 on a match. */
static int try_at(const pattern *p, const char *s, size_t n, size_t start, match *m)
{
    m->pat = p;
    m->subject = s;
    m->md = pcre2_match_data_create_from_pattern(p->re, NULL);
    if (!m->md)
        return 0;
    int rc = pcre2_match(p->re, (PCRE2_SPTR)s, n, start, 0, m->md, NULL);
    if (rc < 0) {
        match_free(m);
        return 0;
    }
    return 1;
}

/* The first pattern with this id that matches all of s. */
static int try_id(const sd_import_rules *r, const char *id, const char *s, size_t n, match *m)
{
    for (size_t i = 0; i < r->npats; i++) {
        if (strcmp(r->pats[i].id, id) != 0)
            continue;
        if (try_at(&r->pats[i], s, n, 0, m)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
            if (ov[0] == 0 && ov[1] == n)
                return 1;
            match_free(m);
        }
    }
    return 0;
}

/* A named group's text (malloc'd), or NULL when unset or absent. */
static char *group(const match *m, const char *name)
{
    int num = pcre2_substring_number_from_name(m->pat->re, (PCRE2_SPTR)name);
    if (num < 0)
        return NULL;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    uint32_t cnt = pcre2_get_ovector_count(m->md);
    if ((uint32_t)num >= cnt || ov[2 * num] == PCRE2_UNSET)
        return NULL;
    return dupn(m->subject + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
}

static const char *map_value(const sd_import_rules *r, const char *table, const char *text)
{
    if (!text)
        return NULL;
    for (size_t i = 0; i < r->nmaps; i++) {
        if (strcmp(r->maps[i].table, table) != 0)
            continue;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->maps[i].re, NULL);
        if (!md)
            return NULL;
        int rc = pcre2_match(r->maps[i].re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
        pcre2_match_data_free(md);
        if (rc >= 0)
            return r->maps[i].value;
    }
    return NULL;
}

size_t sd_import_rules_selftest(const sd_import_rules *r, char **report, sd_error *err)
{
    sd_buf b;
    sd_buf_init(&b);
    size_t fails = 0;
    for (size_t i = 0; i < r->npats; i++) {
        const pattern *p = &r->pats[i];
        if (!p->example) {
            sd_buf_printf(&b, "line %ld: pattern %s has no example\n", p->line, p->id);
            fails++;
            continue;
        }
        match m;
        size_t n = strlen(p->example);
        /* An item pattern (no ^) is searched; the others must match the whole example. */
        int ok = try_at(p, p->example, n, 0, &m);
        if (ok && p->src[0] == '^') {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m.md);
            if (ov[0] != 0 || ov[1] != n) {
                match_free(&m);
                ok = 0;
            }
        }
        if (!ok) {
            sd_buf_printf(&b, "line %ld: pattern %s does not match its example: %s\n", p->line, p->id,
                          p->example);
            fails++;
            continue;
        }
        for (size_t j = 0; j < p->nexpects; j++) {
            char *g = group(&m, p->expects[j].name);
            if (!g || strcmp(g, p->expects[j].value) != 0) {
                sd_buf_printf(&b, "line %ld: pattern %s: group %s is \"%s\", expected \"%s\"\n", p->line,
                              p->id, p->expects[j].name, g ? g : "(unset)", p->expects[j].value);
                fails++;
            }
            free(g);
        }
        match_free(&m);
    }
    if (fails)
        sd_error_set(err, SD_EINVAL, NULL, 0, "%zu pattern example(s) fail", fails);
    if (report)
        *report = b.len ? b.data : (sd_buf_free(&b), NULL);
    else
        sd_buf_free(&b);
    return fails;
}

/* ------------------------------------------------------------ numbers */

static size_t utf8_next(const char *s, uint32_t *cp)
{
    size_t n = sd_utf8_decode(s, strlen(s) < 4 ? strlen(s) : 4, cp);
    return n ? n : 1;
}

static int cdigit(uint32_t c)
{
    switch (c) {
    case 0x3007: case 0x96F6: return 0;      /* 〇 零 */
    case 0x4E00: return 1;                    /* 一 */
    case 0x4E8C: case 0x4E24: return 2;       /* 二 两 */
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    /* the financial forms 壹贰叁肆伍陆柒捌玖 */
    case 0x58F9: return 1;
    case 0x8D30: return 2;
    case 0x53C1: return 3;
    case 0x8086: return 4;
    case 0x4F0D: return 5;
    case 0x9646: return 6;
    case 0x67D2: return 7;
    case 0x634C: return 8;
    case 0x7396: return 9;
    default: return -1;
    }
}

long sd_import_number(const char *s)
{
    if (!s || !*s)
        return -1;
    long val = 0, section = 0, digit = -1;
    int units = 0, n = 0;
    uint32_t cp;
    for (const char *p = s; *p; n++) {
        p += utf8_next(p, &cp);
        if (cp >= 0xFF10 && cp <= 0xFF19)
            cp -= 0xFF10 - '0';
        if (cp >= '0' && cp <= '9') {
            if (units)
                return -1;
            val = val * 10 + (long)(cp - '0');
            if (val > 1000000000L)
                return -1;
            digit = -2; /* Arabic */
            continue;
        }
        int d = cdigit(cp);
        if (d >= 0) {
            if (digit == -2)
                return -1;
            if (digit >= 0 && !units) /* digit by digit: 二〇一九 */
                val = val * 10 + digit;
            digit = d;
            continue;
        }
        long u = cp == 0x5341 || cp == 0x62FE ? 10 : cp == 0x767E || cp == 0x4F70 ? 100
               : cp == 0x5343 || cp == 0x4EDF ? 1000 : 0; /* 十拾 百佰 千仟 */
        if (!u || digit == -2)
            return -1;
        units = 1;
        section += (digit < 0 ? 1 : digit) * u;
        digit = -1;
    }
    if (digit == -2)
        return val;
    if (units)
        return section + (digit > 0 ? digit : 0);
    return digit >= 0 ? val * 10 + digit : -1;
}

/* A number group as a decimal string (malloc'd), NULL when unset or unreadable. */
static char *num_group(const match *m, const char *name)
{
    char *g = group(m, name);
    long v = sd_import_number(g);
    free(g);
    if (v < 0)
        return NULL;
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%ld", v);
    return strdup(tmp);
}

/* ------------------------------------------------------------ the tree */

typedef enum { S_HEAD, S_BODY, S_FUNCTIONS, S_TRANSFERS, S_UNITS, S_DIVISIONS, S_APPENDIX } state;

typedef struct ctx {
    const sd_import_rules *r;
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlNsPtr ns;
    long line;
    state st;
    xmlNodePtr section; /* where an unparsed sentence goes */
    int have_title, have_doc, saw_appendix;
    xmlNodePtr *transfers; /* in item order */
    size_t ntransfers;
    xmlNodePtr *units;
    size_t nunits;
    xmlNodePtr *divisions;
    size_t ndivisions;
    sd_import_unparsed *unparsed;
    size_t nunparsed;
    int bad_figure;    /* a construct met a figure it could not read */
    char *units_rank;  /* the rank the units intro gives them all, or NULL */
    char *clause_date; /* the effective clause's date, ISO */
    long clause_line;
    int oom;
} ctx;

static const char *const ORDER_ROOT[] = {"meta", "legalBasis", "jurisdiction", "agency", "functions",
    "transfers", "internalUnits", "formerUnits", "staffing", "affiliates", "divisions", "supplementary", NULL};
static const char *const ORDER_META[] = {"title", "docNumber", "issuer", "approvalDate", "effectiveDate", NULL};
static const char *const ORDER_LB[] = {"title", "docNumber", NULL};
static const char *const ORDER_AGENCY[] = {"plate", "coLocatedWith", "managedBy", "counterpart",
    "localReason", "hostedOffice", NULL};
static const char *const ORDER_FUNCS[] = {"function", "transformation", NULL};
static const char *const ORDER_TRANSFERS[] = {"transferIn", "transferOut", NULL};
static const char *const ORDER_UNIT[] = {"plate", "duties", "leadership", "before", "mergedFrom", NULL};
static const char *const ORDER_STAFF[] = {"allocation", "leadershipTeam", "unitLeadership", "beforeReform", NULL};
static const char *const ORDER_BEFORE[] = {"allocation", "levelTotal", NULL};
static const char *const ORDER_SUPP[] = {"interpreter", "clause", "effectiveClause", NULL};
static const char *const ORDER_DIV[] = {"relatedAgency", "text", NULL};

static const char *const *order_of(const xmlNode *parent)
{
    const char *n = (const char *)parent->name;
    const char *pn = parent->parent && parent->parent->type == XML_ELEMENT_NODE ? (const char *)parent->parent->name : "";
    if (strcmp(n, "sanding") == 0) return ORDER_ROOT;
    if (strcmp(n, "meta") == 0) return ORDER_META;
    if (strcmp(n, "legalBasis") == 0) return ORDER_LB;
    if (strcmp(n, "agency") == 0) return ORDER_AGENCY;
    if (strcmp(n, "functions") == 0) return ORDER_FUNCS;
    if (strcmp(n, "transfers") == 0) return ORDER_TRANSFERS;
    if (strcmp(n, "unit") == 0) return ORDER_UNIT;
    if (strcmp(n, "staffing") == 0) return ORDER_STAFF;
    if (strcmp(n, "beforeReform") == 0) return ORDER_BEFORE;
    if (strcmp(n, "supplementary") == 0) return ORDER_SUPP;
    if (strcmp(n, "division") == 0) return ORDER_DIV;
    (void)pn;
    return NULL;
}

static int rank_in(const char *const *order, const char *name)
{
    if (!order)
        return 1000;
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], name) == 0)
            return i;
    return 1000;
}

static void set_line(xmlNodePtr n, long line)
{
    n->_private = (void *)(intptr_t)line;
}

/* A new element under parent, placed in schema order after its like. */
static xmlNodePtr add(ctx *c, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = xmlNewDocNode(c->doc, c->ns, (const xmlChar *)name, NULL);
    if (!n) {
        c->oom = 1;
        return NULL;
    }
    set_line(n, c->line);
    const char *const *order = order_of(parent);
    int rk = rank_in(order, name);
    for (xmlNodePtr k = parent->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && rank_in(order, (const char *)k->name) > rk) {
            xmlAddPrevSibling(k, n);
            return n;
        }
    xmlAddChild(parent, n);
    return n;
}

static xmlNodePtr find(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr k = parent ? parent->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, name) == 0)
            return k;
    return NULL;
}

static xmlNodePtr get(ctx *c, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = find(parent, name);
    return n ? n : add(c, parent, name);
}

static void attr(ctx *c, xmlNodePtr n, const char *name, const char *value)
{
    if (n && value && !xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value))
        c->oom = 1;
}

/* Sets an attribute from a group (text as written, or a figure when num). */
static void attr_g(ctx *c, xmlNodePtr n, const char *aname, const match *m, const char *g, int num)
{
    char *v = num ? num_group(m, g) : group(m, g);
    if (num && !v) {
        char *raw = group(m, g);
        if (raw)
            c->bad_figure = 1; /* stated but not read: the sentence is listed (SD301) */
        free(raw);
    }
    attr(c, n, aname, v);
    free(v);
}

static void text_g(ctx *c, xmlNodePtr n, const match *m, const char *g)
{
    char *v = group(m, g);
    if (n && v)
        xmlNodeAddContent(n, (const xmlChar *)v);
    if (n && v && *v && !n->children)
        c->oom = 1;
    free(v);
}

static xmlNodePtr text_el(ctx *c, xmlNodePtr parent, const char *name, const char *value)
{
    xmlNodePtr n = add(c, parent, name);
    if (n && value)
        xmlNodeAddContent(n, (const xmlChar *)value);
    return n;
}

static int push(ctx *c, xmlNodePtr **arr, size_t *n, xmlNodePtr v)
{
    if (grow((void **)arr, *n, sizeof **arr) != 0) {
        c->oom = 1;
        return -1;
    }
    (*arr)[(*n)++] = v;
    return 0;
}

/* The ISO date of a date group, or NULL. */
static char *date_g(ctx *c, const match *m, const char *g)
{
    char *s = group(m, g);
    char *out = NULL;
    match d;
    if (s && try_id(c->r, "date", s, strlen(s), &d)) {
        char *y = num_group(&d, "y"), *mo = num_group(&d, "m"), *dd = num_group(&d, "d");
        if (y && mo && dd) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", strtol(y, NULL, 10), strtol(mo, NULL, 10),
                     strtol(dd, NULL, 10));
            out = strdup(tmp);
        }
        free(y);
        free(mo);
        free(dd);
        match_free(&d);
    }
    free(s);
    return out;
}

/* Calls fn for each match of the item pattern id in s, left to right. */
typedef void (*item_fn)(ctx *c, const match *m, void *arg);

static void each(ctx *c, const char *id, const char *s, item_fn fn, void *arg)
{
    if (!s)
        return;
    size_t n = strlen(s), off = 0;
    const pattern *p = NULL;
    for (size_t i = 0; i < c->r->npats && !p; i++)
        if (strcmp(c->r->pats[i].id, id) == 0)
            p = &c->r->pats[i];
    while (p && off < n) {
        match m;
        if (!try_at(p, s, n, off, &m))
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m.md);
        size_t next = ov[1] > off ? ov[1] : off + 1;
        fn(c, &m, arg);
        match_free(&m);
        off = next;
    }
}

static void keep_as_comment(ctx *c, const char *what, const char *s, size_t n);

static void unparsed(ctx *c, const char *s, size_t n)
{
    char *t = dupn(s, n);
    if (!t || grow((void **)&c->unparsed, c->nunparsed, sizeof *c->unparsed) != 0) {
        free(t);
        c->oom = 1;
        return;
    }
    c->unparsed[c->nunparsed].line = c->line;
    c->unparsed[c->nunparsed].text = t;
    c->nunparsed++;
    keep_as_comment(c, "未识别: ", s, n);
}

/* The sentence s[0..n) of the current line kept in place as an XML comment
 * (" SD301 第N行 未识别: …" for one not read; " 第N行 原文: …" for known wording
 * that carries no data), so that nothing of the text is lost.  "--" cannot
 * appear in a comment, so it is spaced. */
static void keep_as_comment(ctx *c, const char *what, const char *s, size_t n)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_printf(&b, " %s第%ld行 %s", strcmp(what, "未识别: ") == 0 ? "SD301 " : "", c->line, what);
    for (size_t i = 0; i < n; i++) {
        sd_buf_add(&b, s + i, 1);
        if (s[i] == '-' && (i + 1 == n || s[i + 1] == '-'))
            sd_buf_add(&b, " ", 1);
    }
    sd_buf_puts(&b, " ");
    xmlNodePtr com = b.data ? xmlNewDocComment(c->doc, (const xmlChar *)b.data) : NULL;
    sd_buf_free(&b);
    if (!com) {
        c->oom = 1;
        return;
    }
    set_line(com, c->line);
    xmlAddChild(c->section ? c->section : c->root, com);
}

/* ------------------------------------------------------------ constructs */

static void issuer_one(ctx *c, const match *m, void *arg)
{
    xmlNodePtr meta = arg;
    char *v = group(m, "name");
    if (v && *v)
        text_el(c, meta, "issuer", v);
    free(v);
}

static void issuer_item(ctx *c, const char *list)
{
    xmlNodePtr meta = get(c, c->root, "meta");
    if (!find(meta, "issuer"))
        each(c, "issuer-item", list, issuer_one, meta);
}

static void alloc_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr parent = arg;
    char *t = group(m, "type");
    xmlNodePtr a = add(c, parent, "allocation");
    attr(c, a, "type", map_value(c->r, "staffing", t));
    attr_g(c, a, "posts", m, "posts", 1);
    free(t);
}

static void other_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr team = arg;
    xmlNodePtr o = add(c, team, "otherLeader");
    attr_g(c, o, "name", m, "name", 0);
    attr_g(c, o, "count", m, "count", 1);
    attr_g(c, o, "rank", m, "rank", 0);
    char *out = group(m, "outside");
    attr(c, o, "inTeam", out ? "false" : "true");
    free(out);
}

static void included_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr inc = add(c, arg, "included");
    attr_g(c, inc, "name", m, "name", 0);
    attr_g(c, inc, "count", m, "count", 1);
}

static void level_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr lv = add(c, arg, "level");
    attr_g(c, lv, "rank", m, "rank", 0);
    attr_g(c, lv, "count", m, "count", 1);
    char *inc = group(m, "included");
    each(c, "included-item", inc, included_item, lv);
    free(inc);
}

static void post_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr p = add(c, arg, "post");
    char *role = group(m, "role");
    attr_g(c, p, "rank", m, "rank", 0);
    attr(c, p, "role", map_value(c->r, "role", role));
    attr_g(c, p, "count", m, "count", 1);
    free(role);
}

static void level_total_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr p = add(c, arg, "levelTotal");
    attr_g(c, p, "rank", m, "rank", 0);
    attr_g(c, p, "count", m, "count", 1);
}

static void related_item(ctx *c, const match *m, void *arg)
{
    xmlNodePtr p = add(c, arg, "relatedAgency");
    attr_g(c, p, "name", m, "name", 0);
    attr_g(c, p, "ref", m, "ref", 0);
}

static void plates_list(ctx *c, xmlNodePtr unit, const char *list)
{
    const char *p = list;
    while (p && *p) {
        const char *e = strstr(p, "、");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *v = dupn(p, n);
        attr(c, add(c, unit, "plate"), "name", v);
        free(v);
        p = e ? e + strlen("、") : NULL;
    }
}

/* The n-th (1-based, by group "n") element of a list, or NULL. */
static xmlNodePtr nth(const match *m, xmlNodePtr *arr, size_t count)
{
    char *s = group(m, "n");
    long v = sd_import_number(s);
    free(s);
    return v >= 1 && (size_t)v <= count ? arr[v - 1] : NULL;
}

static int sentence(ctx *c, const char *s, size_t n);

/* A body sentence: 1 when a construct read it. */
static int sentence(ctx *c, const char *s, size_t n)
{
    match m;
    xmlNodePtr agency = NULL;
    if (try_id(c->r, "basis", s, n, &m)) {
        xmlNodePtr lb = get(c, c->root, "legalBasis");
        text_g(c, get(c, lb, "title"), &m, "title");
        text_g(c, get(c, lb, "docNumber"), &m, "doc");
        c->section = c->root;
    } else if (try_id(c->r, "agency", s, n, &m)) {
        agency = get(c, c->root, "agency");
        char *kind = group(&m, "kind");
        attr_g(c, agency, "name", &m, "name", 0);
        attr_g(c, agency, "shortName", &m, "short", 0);
        attr(c, agency, "kind", map_value(c->r, "kind", kind));
        attr_g(c, agency, "rank", &m, "rank", 0);
        free(kind);
        c->section = agency;
        char *rest = group(&m, "rest");
        match_free(&m);
        if (rest && *rest && !sentence(c, rest, strlen(rest)))
            unparsed(c, rest, strlen(rest));
        free(rest);
        return 1;
    } else if (try_id(c->r, "plate", s, n, &m)) {
        xmlNodePtr pl = add(c, get(c, c->root, "agency"), "plate");
        attr_g(c, pl, "name", &m, "name", 0);
        attr_g(c, pl, "rank", &m, "rank", 0);
    } else if (try_id(c->r, "colocated", s, n, &m)) {
        attr_g(c, add(c, get(c, c->root, "agency"), "coLocatedWith"), "name", &m, "name", 0);
    } else if (try_id(c->r, "managed-centralized", s, n, &m) || try_id(c->r, "managed", s, n, &m)) {
        xmlNodePtr mb = get(c, get(c, c->root, "agency"), "managedBy");
        attr_g(c, mb, "name", &m, "name", 0);
        attr(c, mb, "relation", strcmp(m.pat->id, "managed") == 0 ? "managed" : "centralized");
    } else if (try_id(c->r, "hosted", s, n, &m)) {
        xmlNodePtr h = add(c, get(c, c->root, "agency"), "hostedOffice");
        attr_g(c, h, "name", &m, "name", 0);
        attr_g(c, h, "body", &m, "body", 0);
    } else if (try_id(c->r, "functions-intro", s, n, &m)) {
        c->section = get(c, c->root, "functions");
        c->st = S_FUNCTIONS;
    } else if (try_id(c->r, "transfers-intro", s, n, &m)) {
        c->section = get(c, c->root, "transfers");
        c->st = S_TRANSFERS;
    } else if (try_id(c->r, "units-intro", s, n, &m)) {
        c->section = get(c, c->root, "internalUnits");
        attr_g(c, c->section, "count", &m, "count", 1);
        free(c->units_rank); /* 均为正处级: the rank of every unit listed */
        c->units_rank = group(&m, "rank");
        c->st = S_UNITS;
    } else if (try_id(c->r, "allocations", s, n, &m)) {
        xmlNodePtr staff = get(c, c->root, "staffing");
        char *list = group(&m, "list");
        each(c, "allocation-item", list, alloc_item, staff);
        free(list);
        c->section = staff;
    } else if (try_id(c->r, "leaders-untitled", s, n, &m) || try_id(c->r, "leaders", s, n, &m)) {
        xmlNodePtr team = add(c, get(c, c->root, "staffing"), "leadershipTeam");
        attr_g(c, team, "head", &m, "head", 1);
        attr_g(c, team, "deputy", &m, "deputy", 1);
        attr_g(c, team, "headTitle", &m, "headTitle", 0);
        attr_g(c, team, "deputyTitle", &m, "deputyTitle", 0);
        char *others = group(&m, "others");
        each(c, "other-leader", others, other_item, team);
        free(others);
    } else if (try_id(c->r, "levels", s, n, &m)) {
        xmlNodePtr ul = get(c, get(c, c->root, "staffing"), "unitLeadership");
        char *list = group(&m, "list");
        each(c, "level-item", list, level_item, ul);
        free(list);
    } else if (try_id(c->r, "affiliate", s, n, &m)) {
        xmlNodePtr a = add(c, get(c, c->root, "affiliates"), "affiliate");
        char *k = group(&m, "kind");
        attr(c, a, "kind", map_value(c->r, "affiliate", k));
        free(k);
        attr_g(c, a, "name", &m, "name", 0);
        attr_g(c, a, "rank", &m, "rank", 0);
        attr_g(c, a, "posts", &m, "posts", 1);
    } else if (try_id(c->r, "boilerplate", s, n, &m)) {
        keep_as_comment(c, "原文: ", s, n); /* known wording without data, kept */
    } else if (try_id(c->r, "divisions-intro", s, n, &m)) {
        c->section = get(c, c->root, "divisions");
        c->st = S_DIVISIONS;
    } else if (try_id(c->r, "interpreter", s, n, &m)) {
        c->section = get(c, c->root, "supplementary");
        attr_g(c, get(c, c->section, "interpreter"), "name", &m, "name", 0);
    } else if (try_id(c->r, "effective", s, n, &m)) {
        c->section = get(c, c->root, "supplementary");
        char *t = dupn(s, n);
        text_el(c, c->section, "effectiveClause", t);
        free(t);
        /* the meta date is read from the clause unless an appendix states it (sd_import_run) */
        free(c->clause_date);
        c->clause_date = date_g(c, &m, "date");
        c->clause_line = c->line;
    } else if (try_id(c->r, "clause", s, n, &m)) {
        c->section = get(c, c->root, "supplementary");
        text_g(c, add(c, c->section, "clause"), &m, "text");
    } else {
        return 0;
    }
    match_free(&m);
    return 1;
}

static int item(ctx *c, long num, const char *s, size_t n)
{
    match m;
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%ld", num);
    switch (c->st) {
    case S_FUNCTIONS: {
        xmlNodePtr f = get(c, c->root, "functions");
        if (try_id(c->r, "transformation", s, n, &m)) {
            text_g(c, add(c, f, "transformation"), &m, "text");
        } else if (try_id(c->r, "function", s, n, &m)) {
            xmlNodePtr fn = add(c, f, "function");
            attr(c, fn, "number", num > 0 ? tmp : NULL);
            text_g(c, fn, &m, "text");
        } else {
            return 0;
        }
        break;
    }
    case S_TRANSFERS: {
        xmlNodePtr t = get(c, c->root, "transfers");
        if (try_id(c->r, "transfer-out", s, n, &m) || try_id(c->r, "transfer-in", s, n, &m)) {
            xmlNodePtr x = add(c, t, strcmp(m.pat->id, "transfer-out") == 0 ? "transferOut" : "transferIn");
            text_g(c, x, &m, "text");
            push(c, &c->transfers, &c->ntransfers, x);
        } else {
            return 0;
        }
        break;
    }
    case S_UNITS:
        if (try_id(c->r, "unit", s, n, &m)) {
            xmlNodePtr u = add(c, get(c, c->root, "internalUnits"), "unit");
            attr_g(c, u, "name", &m, "name", 0);
            attr(c, u, "rank", c->units_rank);
            char *pl = group(&m, "plates");
            plates_list(c, u, pl);
            free(pl);
            text_g(c, add(c, u, "duties"), &m, "duties");
            push(c, &c->units, &c->nunits, u);
        } else {
            return 0;
        }
        break;
    case S_DIVISIONS:
        if (try_id(c->r, "division", s, n, &m)) {
            xmlNodePtr d = add(c, get(c, c->root, "divisions"), "division");
            attr_g(c, d, "name", &m, "name", 0);
            text_g(c, add(c, d, "text"), &m, "text");
            push(c, &c->divisions, &c->ndivisions, d);
            char *dn = group(&m, "name");
            match dm;
            if (dn && try_id(c->r, "division-agency", dn, strlen(dn), &dm)) {
                attr_g(c, add(c, d, "relatedAgency"), "name", &dm, "name", 0);
                match_free(&dm);
            }
            free(dn);
        } else {
            return 0;
        }
        break;
    default:
        return 0;
    }
    match_free(&m);
    return 1;
}

static xmlNodePtr nth_function(ctx *c, const char *elname, const match *m)
{
    char *s = group(m, "n");
    long v = sd_import_number(s);
    free(s);
    long k = 0;
    for (xmlNodePtr f = find(c->root, "functions") ? find(c->root, "functions")->children : NULL; f; f = f->next)
        if (f->type == XML_ELEMENT_NODE && strcmp((const char *)f->name, elname) == 0 && ++k == v)
            return f;
    return NULL;
}

static int appendix(ctx *c, const char *s, size_t n)
{
    match m;
    xmlNodePtr x;
    if (try_id(c->r, "a-jurisdiction", s, n, &m)) {
        x = get(c, c->root, "jurisdiction");
        char *t = group(&m, "tier");
        attr_g(c, x, "name", &m, "name", 0);
        attr_g(c, x, "code", &m, "code", 0);
        attr(c, x, "tier", map_value(c->r, "tier", t));
        free(t);
    } else if (try_id(c->r, "a-effective", s, n, &m)) {
        char *d = date_g(c, &m, "date");
        text_el(c, get(c, c->root, "meta"), "effectiveDate", d);
        free(d);
    } else if (try_id(c->r, "a-counterpart", s, n, &m)) {
        attr_g(c, add(c, get(c, c->root, "agency"), "counterpart"), "name", &m, "name", 0);
    } else if (try_id(c->r, "a-localreason", s, n, &m)) {
        text_g(c, add(c, get(c, c->root, "agency"), "localReason"), &m, "text");
    } else if (try_id(c->r, "a-function", s, n, &m)) {
        if (!(x = nth_function(c, "function", &m))) {
            match_free(&m);
            return 0;
        }
        attr_g(c, x, "name", &m, "name", 0);
        attr_g(c, x, "code", &m, "code", 0);
    } else if (try_id(c->r, "a-transformation", s, n, &m)) {
        if (!(x = nth_function(c, "transformation", &m))) {
            match_free(&m);
            return 0;
        }
        attr_g(c, x, "name", &m, "name", 0);
    } else if (try_id(c->r, "a-transfer", s, n, &m)) {
        if (!(x = nth(&m, c->transfers, c->ntransfers))) {
            match_free(&m);
            return 0;
        }
        char *dir = group(&m, "dir");
        int out = dir && strcmp(dir, "划出") == 0;
        free(dir);
        xmlNodeSetName(x, (const xmlChar *)(out ? "transferOut" : "transferIn"));
        attr_g(c, x, "name", &m, "name", 0);
        attr_g(c, x, out ? "to" : "from", &m, "agency", 0);
        attr_g(c, x, out ? "toRef" : "fromRef", &m, "ref", 0);
        attr_g(c, x, "code", &m, "code", 0);
        attr_g(c, x, "adminPosts", &m, "admin", 1);
        attr_g(c, x, "leadershipPosts", &m, "lead", 1);
        attr_g(c, x, "staff", &m, "staff", 1);
    } else if (try_id(c->r, "a-unit", s, n, &m)) {
        if (!(x = nth(&m, c->units, c->nunits))) {
            match_free(&m);
            return 0;
        }
        char *cat = group(&m, "category"), *pl = group(&m, "posts_list");
        attr(c, x, "category", map_value(c->r, "category", cat));
        attr_g(c, x, "rank", &m, "rank", 0);
        attr_g(c, x, "posts", &m, "posts", 1);
        each(c, "post-item", pl, post_item, get(c, x, "leadership"));
        free(cat);
        free(pl);
    } else if (try_id(c->r, "a-unit-before", s, n, &m)) {
        if (!(x = nth(&m, c->units, c->nunits))) {
            match_free(&m);
            return 0;
        }
        xmlNodePtr b = add(c, x, "before");
        char *pl = group(&m, "posts_list");
        attr_g(c, b, "posts", &m, "posts", 1);
        each(c, "post-item", pl, post_item, b);
        free(pl);
    } else if (try_id(c->r, "a-unit-merged", s, n, &m)) {
        if (!(x = nth(&m, c->units, c->nunits))) {
            match_free(&m);
            return 0;
        }
        char *refs = group(&m, "refs");
        const char *p = refs;
        while (p && *p) {
            const char *e = strstr(p, "、");
            char *v = dupn(p, e ? (size_t)(e - p) : strlen(p));
            attr(c, add(c, x, "mergedFrom"), "ref", v);
            free(v);
            p = e ? e + strlen("、") : NULL;
        }
        free(refs);
    } else if (try_id(c->r, "a-former-unit", s, n, &m)) {
        x = add(c, get(c, c->root, "formerUnits"), "formerUnit");
        char *pl = group(&m, "posts_list");
        attr_g(c, x, "id", &m, "id", 0);
        attr_g(c, x, "name", &m, "name", 0);
        attr_g(c, x, "formerAgency", &m, "agency", 0);
        attr_g(c, x, "rank", &m, "rank", 0);
        attr_g(c, x, "posts", &m, "posts", 1);
        each(c, "post-item", pl, post_item, x);
        free(pl);
    } else if (try_id(c->r, "a-before-reform", s, n, &m)) {
        x = add(c, get(c, c->root, "staffing"), "beforeReform");
        char *list = group(&m, "list");
        attr_g(c, x, "units", &m, "units", 1);
        each(c, "allocation-item", list, alloc_item, x);
        each(c, "level-total-item", list, level_total_item, x);
        free(list);
    } else if (try_id(c->r, "a-division", s, n, &m)) {
        if (!(x = nth(&m, c->divisions, c->ndivisions))) {
            match_free(&m);
            return 0;
        }
        /* the appendix's list replaces what the division's name gave */
        for (xmlNodePtr k = x->children, nx; k; k = nx) {
            nx = k->next;
            if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, "relatedAgency") == 0) {
                xmlUnlinkNode(k);
                xmlFreeNode(k);
            }
        }
        char *list = group(&m, "list");
        each(c, "related-item", list, related_item, x);
        free(list);
    } else {
        return 0;
    }
    match_free(&m);
    return 1;
}

/* ------------------------------------------------------------ the text */

static int is_blank_at(const char *s, size_t n, size_t *len)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\f' || s[0] == '\v')) {
        *len = 1;
        return 1;
    }
    if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) { /* U+3000 */
        *len = 3;
        return 1;
    }
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { /* a stray BOM */
        *len = 3;
        return 1;
    }
    return 0;
}

static void trim(const char **s, size_t *n)
{
    size_t l;
    while (*n && is_blank_at(*s, *n, &l)) {
        *s += l;
        *n -= l;
    }
    for (;;) {
        if (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r')) {
            (*n)--;
            continue;
        }
        if (*n >= 3 && memcmp(*s + *n - 3, "\xE3\x80\x80", 3) == 0) {
            *n -= 3;
            continue;
        }
        break;
    }
}

/* Cuts a body paragraph into sentences at 。；; outside brackets and quotes. */
static void body(ctx *c, const char *s, size_t n)
{
    int depth = 0;
    size_t start = 0, i = 0;
    while (i < n) {
        uint32_t cp = 0;
        size_t l = sd_utf8_decode(s + i, n - i, &cp);
        if (!l)
            l = 1;
        if (cp == 0xFF08 || cp == '(' || cp == 0x300A || cp == 0x201C || cp == 0x3010 || cp == 0x3014)
            depth++;
        else if ((cp == 0xFF09 || cp == ')' || cp == 0x300B || cp == 0x201D || cp == 0x3011 || cp == 0x3015) && depth)
            depth--;
        i += l;
        if (depth == 0 && (cp == 0x3002 || cp == 0xFF1B || cp == ';' || i == n)) {
            const char *t = s + start;
            size_t tn = i - start;
            trim(&t, &tn);
            c->bad_figure = 0;
            if (tn && (!sentence(c, t, tn) || c->bad_figure))
                unparsed(c, t, tn);
            start = i;
        }
    }
}

static void para(ctx *c, const char *s, size_t n)
{
    match m;
    trim(&s, &n);
    if (!n)
        return;
    if (try_id(c->r, "appendix", s, n, &m)) {
        match_free(&m);
        c->st = S_APPENDIX;
        c->saw_appendix = 1;
        c->section = c->root;
        return;
    }
    if (c->st == S_APPENDIX) {
        c->bad_figure = 0;
        if (!appendix(c, s, n) || c->bad_figure)
            unparsed(c, s, n);
        return;
    }
    if (c->st == S_HEAD) {
        xmlNodePtr meta = get(c, c->root, "meta");
        c->section = meta;
        if (!c->have_title && try_id(c->r, "title", s, n, &m)) {
            text_g(c, add(c, meta, "title"), &m, "title");
            c->have_title = 1;
            match_free(&m);
            return;
        }
        if (!c->have_doc && try_id(c->r, "docnumber", s, n, &m)) {
            text_g(c, add(c, meta, "docNumber"), &m, "doc");
            c->have_doc = 1;
            match_free(&m);
            return;
        }
        if (try_id(c->r, "notice", s, n, &m)) {
            char *is = group(&m, "issuers");
            issuer_item(c, is);
            free(is);
            match_free(&m);
            return;
        }
        if (try_id(c->r, "issued", s, n, &m)) {
            char *d = date_g(c, &m, "date"), *is = group(&m, "issuers");
            issuer_item(c, is);
            if (d)
            text_el(c, meta, "approvalDate", d);
            free(d);
            free(is);
            match_free(&m);
            return;
        }
        /* a covering notice or other heading line: kept, and the heading goes on
         * until the first article */
        if (!try_id(c->r, "article", s, n, &m)) {
            unparsed(c, s, n);
            return;
        }
        match_free(&m);
        c->st = S_BODY;
    }
    char *rest = NULL;
    if (try_id(c->r, "article", s, n, &m)) {
        rest = group(&m, "rest");
        match_free(&m);
        c->st = S_BODY;
        if (!rest)
            return;
        s = rest;
        n = strlen(rest);
        trim(&s, &n);
    }
    if (n && c->st != S_BODY && try_id(c->r, "item", s, n, &m)) {
        char *num = group(&m, "n"), *r2 = group(&m, "rest");
        match_free(&m);
        const char *t = r2 ? r2 : "";
        size_t tn = strlen(t);
        trim(&t, &tn);
        c->bad_figure = 0;
        if (!item(c, sd_import_number(num), t, tn) || c->bad_figure)
            unparsed(c, s, n);
        free(num);
        free(r2);
        free(rest);
        return;
    }
    if (n)
        body(c, s, n);
    free(rest);
}

sd_status sd_import_split_lines(const char *text, size_t len, sd_import_para **paras, size_t *n,
                                sd_error *err)
{
    *paras = NULL;
    *n = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    size_t cap = 0;
    long line = 1;
    size_t i = 0, start = 0;
    while (i <= len) {
        if (i == len || text[i] == '\n' || text[i] == '\r') {
            if (i == len && start == len)
                break;
            if (*n == cap) {
                cap = cap ? cap * 2 : 64;
                sd_import_para *p = realloc(*paras, cap * sizeof *p);
                if (!p) {
                    free(*paras);
                    *paras = NULL;
                    *n = 0;
                    return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                }
                *paras = p;
            }
            (*paras)[*n].text = text + start;
            (*paras)[*n].len = i - start;
            (*paras)[*n].line = line++;
            (*n)++;
            if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
                i++;
            start = i + 1;
        }
        i++;
    }
    return SD_OK;
}

/* A copy of s[0..n) that XML can carry: bytes that are not UTF-8, controls
 * other than tab, and U+FFFE/U+FFFF become U+FFFD (the output must be
 * well-formed whatever the input); NUL ends the line. */
static char *clean(const char *s, size_t n)
{
    sd_buf b;
    sd_buf_init(&b);
    for (size_t i = 0; i < n && s[i];) {
        uint32_t cp;
        size_t l = sd_utf8_decode(s + i, n - i, &cp);
        if (!l || (cp < 0x20 && cp != '\t') || cp == 0xFFFE || cp == 0xFFFF) {
            sd_buf_puts(&b, "\xEF\xBF\xBD");
            i += l ? l : 1;
            continue;
        }
        sd_buf_add(&b, s + i, l);
        i += l;
    }
    sd_buf_add(&b, "", 0);
    if (sd_buf_failed(&b)) {
        sd_buf_free(&b);
        return NULL;
    }
    char *r = b.data ? b.data : strdup("");
    return r;
}

sd_status sd_import_run(const sd_import_rules *r, const sd_import_para *paras, size_t n,
                        sd_import_result *res, sd_error *err)
{
    memset(res, 0, sizeof *res);
    ctx c = {0};
    c.r = r;
    c.doc = xmlNewDoc((const xmlChar *)"1.0");
    if (!c.doc)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    c.root = xmlNewDocNode(c.doc, NULL, (const xmlChar *)"sanding", NULL);
    if (c.root) {
        c.ns = xmlNewNs(c.root, (const xmlChar *)NS, NULL);
        xmlSetNs(c.root, c.ns);
        xmlDocSetRootElement(c.doc, c.root);
        set_line(c.root, 1);
    }
    for (size_t i = 0; c.root && i < n && !c.oom; i++) {
        c.line = paras[i].line;
        char *t = clean(paras[i].text, paras[i].len);
        if (!t) {
            c.oom = 1;
            break;
        }
        /* a NUL inside a line ends what can be read of it */
        para(&c, t, strlen(t));
        free(t);
    }
    if (c.root && c.clause_date && !c.saw_appendix && !find(find(c.root, "meta"), "effectiveDate")) {
        c.line = c.clause_line;
        text_el(&c, get(&c, c.root, "meta"), "effectiveDate", c.clause_date);
    }
    free(c.clause_date);
    free(c.units_rank);
    free(c.transfers);
    free(c.units);
    free(c.divisions);
    res->doc = c.doc;
    res->unparsed = c.unparsed;
    res->nunparsed = c.nunparsed;
    if (c.oom || !c.root) {
        sd_import_result_free(res);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(c.doc, &mem, &size, "UTF-8", 1);
    if (!mem) {
        sd_import_result_free(res);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    res->xml = dupn((const char *)mem, (size_t)size);
    res->xml_len = (size_t)size;
    xmlFree(mem);
    if (!res->xml) {
        sd_import_result_free(res);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    return SD_OK;
}

void sd_import_result_free(sd_import_result *res)
{
    if (res->doc)
        xmlFreeDoc(res->doc);
    for (size_t i = 0; i < res->nunparsed; i++)
        free(res->unparsed[i].text);
    free(res->unparsed);
    free(res->xml);
    memset(res, 0, sizeof *res);
}

long sd_import_source_line(const sd_import_result *res, const char *location)
{
    if (!res->doc || !location || !*location)
        return 0;
    xmlXPathContextPtr xc = xmlXPathNewContext(res->doc);
    if (!xc)
        return 0;
    xmlXPathRegisterNs(xc, (const xmlChar *)"sd", (const xmlChar *)NS);
    char *path = strdup(location);
    long line = 0;
    while (path && *path && !line) {
        xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)path, xc);
        if (o && o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0) {
            xmlNodePtr nd = o->nodesetval->nodeTab[0];
            for (; nd && !line; nd = nd->parent)
                if (nd->type == XML_ELEMENT_NODE || nd->type == XML_COMMENT_NODE)
                    line = (long)(intptr_t)nd->_private;
        }
        xmlXPathFreeObject(o);
        char *slash = strrchr(path, '/');
        if (!slash)
            break;
        *slash = 0;
    }
    free(path);
    xmlXPathFreeContext(xc);
    return line;
}
