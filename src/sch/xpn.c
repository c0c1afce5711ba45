/*
 * xpn.c — the pack's XPath evaluated natively, without libxml2's XPath
 * machine, for the subset real packs are written in.
 *
 * Why: libxml2 2.9 spends most of a rule's cost around the work itself: a
 * parser context and a value stack per evaluation, an object allocated per
 * intermediate value, a copy of a variable's whole value per reference, a
 * string copied per node read.  The built-in pack runs about 140 evaluations
 * per 三定, each a few node reads and a comparison, so on a batch audit that
 * overhead was as large as parsing and validating the documents.  Here an
 * expression is parsed once (per thread, at first use) into a tree; values
 * live in a scratch arena that is released when the evaluation ends; node
 * strings are read in place; variables are read, never copied.
 *
 * Exactness: every operation is libxml2 2.9's, case for case, including its
 * corners (xmlXPathEqualValues, xmlXPathCompareValues, substring's rounding,
 * translate, number formatting and parsing through libxml2's own casts), so
 * a finding, a message and an SVRL byte are the same either way; the tests
 * compare both evaluators on every expression of the examples (SCH_XPN_CHECK).
 * What is not in the subset is not compiled here (sch_xpn_compile returns
 * NULL) and libxml2 evaluates it: unions, axes other than child, attribute,
 * parent and self, `//`, node tests other than names and `*`, functions
 * outside the list in fn_table.  And what could fail is not decided here:
 * a type error (sum() of a string), an undefined variable, a regex that does
 * not compile or reaches a limit, an undeclared sdl:param, a node kind it
 * does not read, or more than the operation limit all return SCH_XPN_PUNT,
 * and the caller evaluates the expression with libxml2, which fails exactly
 * as it always did.  Evaluation has no effect but the lazy lets it reads
 * (eval.c), which libxml2 would evaluate the same way.
 *
 * Place: between fn_regex.c (its regex environment and sdl:param) and eval.c,
 * which owns the compiled trees and the scratch arena per thread.  Nothing
 * global; a tree is read-only once compiled.
 *
 * Cost: linear in the nodes visited and the bytes of the strings made; an
 * evaluation allocates only from the arena (malloc once the arena holds the
 * largest evaluation), except the result handed to eval.c.
 */
#include "sch/sch_int.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

/* Kept out of line: see eval(). */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* ---- the scratch arena ---------------------------------------------------- */

#define CHUNK_MIN ((size_t)64 << 10)

typedef struct chunk {
    char *p;
    size_t cap, used;
} chunk;

struct sch_xpn_scratch {
    chunk *c;
    size_t n, cap; /* chunks allocated */
    size_t cur;    /* the chunk being filled */
};

typedef struct mark {
    size_t cur, used;
} mark;

sch_xpn_scratch *sch_xpn_scratch_new(void)
{
    return calloc(1, sizeof(sch_xpn_scratch));
}

void sch_xpn_scratch_free(sch_xpn_scratch *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->c[i].p);
    free(s->c);
    free(s);
}

static mark mark_of(const sch_xpn_scratch *s)
{
    return (mark){s->cur, s->n ? s->c[s->cur].used : 0};
}

static void release(sch_xpn_scratch *s, mark m)
{
    if (s->n == 0)
        return;
    for (size_t i = m.cur + 1; i <= s->cur && i < s->n; i++)
        s->c[i].used = 0;
    s->cur = m.cur;
    s->c[s->cur].used = m.used;
}

static void *salloc(sch_xpn_scratch *s, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    while (s->n != 0) {
        chunk *c = &s->c[s->cur];
        if (c->cap - c->used >= n) {
            void *p = c->p + c->used;
            c->used += n;
            return p;
        }
        if (s->cur + 1 >= s->n)
            break;
        s->cur++;
        s->c[s->cur].used = 0;
        if (s->c[s->cur].cap < n) { /* too small for this one: replace it */
            free(s->c[s->cur].p);
            s->c[s->cur].p = NULL;
            s->c[s->cur].cap = 0;
            size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
            char *p = malloc(cap);
            if (p == NULL)
                return NULL;
            s->c[s->cur].p = p;
            s->c[s->cur].cap = cap;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        chunk *c = realloc(s->c, cap * sizeof *c);
        if (c == NULL)
            return NULL;
        s->c = c;
        s->cap = cap;
    }
    size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
    char *p = malloc(cap);
    if (p == NULL)
        return NULL;
    s->c[s->n] = (chunk){p, cap, 0};
    s->cur = s->n++;
    s->c[s->cur].used = n;
    return p;
}

/* ---- the expression tree ------------------------------------------------ */

enum {
    N_NUM, N_STR, N_VAR, N_OR, N_AND, N_EQ, N_NE, N_LT, N_LE, N_GT, N_GE,
    N_ADD, N_SUB, N_MUL, N_DIV, N_MOD, N_NEG, N_NUMBER_OF, N_FN, N_PATH
};

enum {
    F_STRING, F_NUMBER, F_BOOLEAN, F_NOT, F_TRUE, F_FALSE, F_COUNT, F_SUM, F_CONCAT,
    F_CONTAINS, F_STARTS_WITH, F_SUBSTRING, F_SUBSTRING_BEFORE, F_SUBSTRING_AFTER,
    F_STRING_LENGTH, F_NORMALIZE_SPACE, F_TRANSLATE, F_FLOOR, F_CEILING, F_ROUND,
    F_LOCAL_NAME, F_LAST, F_POSITION, F_CURRENT, F_MATCHES, F_REPLACE, F_PARAM
};

enum { AX_CHILD, AX_ATTR, AX_PARENT, AX_SELF };
enum { T_NAME, T_ANY, T_NODE };
enum { P_ROOT, P_CONTEXT, P_FILTER };

typedef struct xnode xnode;

typedef struct xstep {
    int axis, test;
    const char *local; /* T_NAME */
    const char *uri;   /* its namespace, NULL for none */
    xnode **pred;
    size_t npred;
    /* per thread: a node name found equal to local in run irun (a document's
     * names are shared strings, so the next node of that name is the same
     * pointer: equal without strcmp; the nodes live as long as the run) */
    const xmlChar *iname;
    unsigned long irun;
} xstep;

struct xnode {
    int kind;
    int fn;        /* N_FN */
    double num;    /* N_NUM */
    const char *s; /* N_STR text, N_VAR name */
    size_t len;
    xnode *a, *b;  /* operands */
    xnode **arg;   /* N_FN */
    size_t narg;
    int from;      /* N_PATH */
    xnode *filter; /* P_FILTER: the primary expression */
    xnode **fpred; /* its predicates */
    size_t nfpred;
    xstep *step;
    size_t nstep;
    /* per-thread caches (the tree belongs to one thread's state): where an
     * N_VAR resolved; for matches()/replace(), the regex cache's entry and
     * generation used last (rx_gen 0: none), rx_literal when the pattern and
     * flags are literals (the entry is theirs without comparing them) */
    sch_var_cache var;
    int rx_literal;
    size_t rx_idx;
    unsigned long rx_gen;
    /* param('literal'): its value for the tier it was last read for (pv NULL:
     * none yet; the tier as a copy, NULL tier as pv_tier_null) */
    const char *pv;
    int pv_tier_null;
    char pv_tier[32];
};

struct sch_xpn {
    xnode *root;
};

/* ---- the parser ------------------------------------------------------------ */

typedef struct parser {
    const char *s;
    size_t i;
    sch_arena *a;
    const sd_sch_pack *pack;
    int bad;   /* outside the subset, or OOM */
    int depth;
} parser;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip(parser *p)
{
    while (is_blank(p->s[p->i]))
        p->i++;
}

/* ASCII names only: a name with other letters is left to libxml2. */
static int name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static size_t ncname_len(const char *s)
{
    if (!name_start(s[0])) {
        return 0;
    }
    size_t n = 1;
    while (name_char(s[n]))
        n++;
    if ((unsigned char)s[n] >= 0x80)
        return 0; /* a name going on with non-ASCII letters */
    return n;
}

static void *pnew(parser *p, size_t n)
{
    void *v = sch_alloc(p->a, n);
    if (v == NULL)
        p->bad = 1;
    return v;
}

static xnode *node_new(parser *p, int kind)
{
    xnode *n = pnew(p, sizeof *n);
    if (n != NULL)
        n->kind = kind;
    return n;
}

static const char *uri_of(parser *p, const char *prefix, size_t n)
{
    const sd_sch_pack *k = p->pack;
    for (size_t i = k->ns_prefix.n; i-- > 0;) {
        const char *pre = k->ns_prefix.v[i];
        if (strlen(pre) == n && memcmp(pre, prefix, n) == 0)
            return k->ns_uri.v[i];
    }
    return NULL;
}

static int at_word(parser *p, const char *w)
{
    size_t n = strlen(w);
    return strncmp(p->s + p->i, w, n) == 0 && !name_char(p->s[p->i + n]) &&
           (unsigned char)p->s[p->i + n] < 0x80 && p->s[p->i + n] != ':';
}

static xnode *p_expr(parser *p);

static int add_ptr(parser *p, xnode ***v, size_t *n, xnode *x)
{
    xnode **t = pnew(p, (*n + 1) * sizeof *t);
    if (t == NULL)
        return -1;
    if (*n)
        memcpy(t, *v, *n * sizeof *t);
    t[*n] = x;
    *v = t;
    (*n)++;
    return 0;
}

static int p_preds(parser *p, xnode ***v, size_t *n)
{
    skip(p);
    while (!p->bad && p->s[p->i] == '[') {
        p->i++;
        xnode *e = p_expr(p);
        skip(p);
        if (p->bad || e == NULL || p->s[p->i] != ']') {
            p->bad = 1;
            return -1;
        }
        p->i++;
        if (add_ptr(p, v, n, e) < 0)
            return -1;
        skip(p);
    }
    return p->bad ? -1 : 0;
}

static const struct {
    const char *name;
    int fn, min, max;
    int sdl; /* in SD_SCH_FN_NS */
} fn_table[] = {
    {"string", F_STRING, 0, 1, 0},
    {"number", F_NUMBER, 0, 1, 0},
    {"boolean", F_BOOLEAN, 1, 1, 0},
    {"not", F_NOT, 1, 1, 0},
    {"true", F_TRUE, 0, 0, 0},
    {"false", F_FALSE, 0, 0, 0},
    {"count", F_COUNT, 1, 1, 0},
    {"sum", F_SUM, 1, 1, 0},
    {"concat", F_CONCAT, 2, 64, 0},
    {"contains", F_CONTAINS, 2, 2, 0},
    {"starts-with", F_STARTS_WITH, 2, 2, 0},
    {"substring", F_SUBSTRING, 2, 3, 0},
    {"substring-before", F_SUBSTRING_BEFORE, 2, 2, 0},
    {"substring-after", F_SUBSTRING_AFTER, 2, 2, 0},
    {"string-length", F_STRING_LENGTH, 0, 1, 0},
    {"normalize-space", F_NORMALIZE_SPACE, 0, 1, 0},
    {"translate", F_TRANSLATE, 3, 3, 0},
    {"floor", F_FLOOR, 1, 1, 0},
    {"ceiling", F_CEILING, 1, 1, 0},
    {"round", F_ROUND, 1, 1, 0},
    {"local-name", F_LOCAL_NAME, 0, 1, 0},
    {"last", F_LAST, 0, 0, 0},
    {"position", F_POSITION, 0, 0, 0},
    {"current", F_CURRENT, 0, 0, 0},
    {"matches", F_MATCHES, 2, 3, 1},
    {"replace", F_REPLACE, 3, 4, 1},
    {"param", F_PARAM, 1, 1, 1},
};

/* A function call at p->i (the name is n bytes, prefix pn of them). */
static xnode *p_call(parser *p, size_t n, size_t pn)
{
    const char *name = p->s + p->i + (pn ? pn + 1 : 0);
    size_t ln = n - (pn ? pn + 1 : 0);
    int sdl = 0;
    if (pn) {
        const char *uri = uri_of(p, p->s + p->i, pn);
        if (uri == NULL || strcmp(uri, SD_SCH_FN_NS) != 0) {
            p->bad = 1;
            return NULL;
        }
        sdl = 1;
    }
    int k = -1;
    for (size_t i = 0; i < sizeof fn_table / sizeof fn_table[0]; i++)
        if (fn_table[i].sdl == sdl && strlen(fn_table[i].name) == ln &&
            memcmp(fn_table[i].name, name, ln) == 0)
            k = (int)i;
    if (k < 0) {
        p->bad = 1;
        return NULL;
    }
    p->i += n;
    skip(p);
    p->i++; /* ( */
    xnode *f = node_new(p, N_FN);
    if (f == NULL)
        return NULL;
    f->fn = fn_table[k].fn;
    skip(p);
    if (p->s[p->i] != ')') {
        for (;;) {
            xnode *e = p_expr(p);
            if (p->bad || e == NULL || add_ptr(p, &f->arg, &f->narg, e) < 0) {
                p->bad = 1;
                return NULL;
            }
            skip(p);
            if (p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            break;
        }
    }
    if (p->s[p->i] != ')') {
        p->bad = 1;
        return NULL;
    }
    p->i++;
    if ((int)f->narg < fn_table[k].min || (int)f->narg > fn_table[k].max) {
        p->bad = 1; /* libxml2 says what is wrong with it */
        return NULL;
    }
    if (f->fn == F_MATCHES || f->fn == F_REPLACE) {
        size_t fl = f->fn == F_MATCHES ? 2 : 3;
        f->rx_literal = f->arg[1]->kind == N_STR && (f->narg <= fl || f->arg[fl]->kind == N_STR);
    }
    return f;
}

/* One step at p->i: ., .., @name, @*, name, prefix:name, *, with predicates. */
static int p_step(parser *p, xstep *st)
{
    memset(st, 0, sizeof *st);
    skip(p);
    const char *s = p->s + p->i;
    if (s[0] == '.' && s[1] == '.') {
        p->i += 2;
        st->axis = AX_PARENT;
        st->test = T_NODE;
        return 0; /* no predicates on an abbreviated step */
    }
    if (s[0] == '.') {
        p->i += 1;
        st->axis = AX_SELF;
        st->test = T_NODE;
        return 0;
    }
    st->axis = AX_CHILD;
    if (s[0] == '@') {
        st->axis = AX_ATTR;
        p->i++;
        skip(p);
        s = p->s + p->i;
    }
    if (s[0] == '*') {
        p->i++;
        st->test = T_ANY;
    } else {
        size_t n = ncname_len(s);
        if (n == 0) {
            p->bad = 1;
            return -1;
        }
        size_t pn = 0;
        if (s[n] == ':' && s[n + 1] != ':') {
            size_t m = ncname_len(s + n + 1);
            if (m == 0) {
                p->bad = 1; /* prefix:* or worse */
                return -1;
            }
            pn = n;
            n += 1 + m;
        }
        size_t j = p->i + n;
        while (is_blank(p->s[j]))
            j++;
        if (p->s[j] == '(' || (p->s[j] == ':' && p->s[j + 1] == ':')) {
            p->bad = 1; /* node(), text(), an axis: not here */
            return -1;
        }
        st->test = T_NAME;
        if (pn) {
            st->uri = uri_of(p, s, pn);
            if (st->uri == NULL) {
                p->bad = 1;
                return -1;
            }
            st->local = sch_strndup(p->a, s + pn + 1, n - pn - 1);
        } else {
            st->local = sch_strndup(p->a, s, n);
        }
        if (st->local == NULL) {
            p->bad = 1;
            return -1;
        }
        p->i += n;
    }
    return p_preds(p, &st->pred, &st->npred);
}

static int p_steps(parser *p, xnode *path)
{
    for (;;) {
        xstep st;
        if (p_step(p, &st) < 0)
            return -1;
        xstep *t = pnew(p, (path->nstep + 1) * sizeof *t);
        if (t == NULL)
            return -1;
        if (path->nstep)
            memcpy(t, path->step, path->nstep * sizeof *t);
        t[path->nstep++] = st;
        path->step = t;
        skip(p);
        if (p->s[p->i] == '/' && p->s[p->i + 1] != '/') {
            p->i++;
            continue;
        }
        if (p->s[p->i] == '/') {
            p->bad = 1; /* // */
            return -1;
        }
        return 0;
    }
}

static xnode *p_path(parser *p)
{
    skip(p);
    const char *s = p->s + p->i;
    xnode *primary = NULL;
    if (s[0] == '$') {
        size_t n = ncname_len(s + 1);
        if (n == 0 || (s[1 + n] == ':' && s[2 + n] != ':')) {
            p->bad = 1; /* a prefixed variable: libxml2's */
            return NULL;
        }
        primary = node_new(p, N_VAR);
        if (primary == NULL)
            return NULL;
        primary->s = sch_strndup(p->a, s + 1, n);
        if (primary->s == NULL) {
            p->bad = 1;
            return NULL;
        }
        p->i += 1 + n;
    } else if (s[0] == '(') {
        p->i++;
        primary = p_expr(p);
        skip(p);
        if (p->bad || primary == NULL || p->s[p->i] != ')') {
            p->bad = 1;
            return NULL;
        }
        p->i++;
    } else if (s[0] == '\'' || s[0] == '"') {
        const char *e = strchr(s + 1, s[0]);
        if (e == NULL) {
            p->bad = 1;
            return NULL;
        }
        primary = node_new(p, N_STR);
        if (primary == NULL)
            return NULL;
        primary->len = (size_t)(e - s - 1);
        primary->s = sch_strndup(p->a, s + 1, primary->len);
        if (primary->s == NULL) {
            p->bad = 1;
            return NULL;
        }
        p->i += primary->len + 2;
    } else if ((s[0] >= '0' && s[0] <= '9') || (s[0] == '.' && s[1] >= '0' && s[1] <= '9')) {
        size_t n = 0;
        while (s[n] >= '0' && s[n] <= '9')
            n++;
        if (s[n] == '.') {
            n++;
            while (s[n] >= '0' && s[n] <= '9')
                n++;
        }
        if (s[n] == '.' || name_char(s[n]) || (unsigned char)s[n] >= 0x80) {
            p->bad = 1;
            return NULL;
        }
        char buf[64];
        if (n >= sizeof buf) {
            p->bad = 1;
            return NULL;
        }
        memcpy(buf, s, n);
        buf[n] = '\0';
        primary = node_new(p, N_NUM);
        if (primary == NULL)
            return NULL;
        primary->num = xmlXPathStringEvalNumber((const xmlChar *)buf);
        p->i += n;
    } else if (ncname_len(s) != 0) {
        size_t n = ncname_len(s), pn = 0;
        if (s[n] == ':' && s[n + 1] != ':' && ncname_len(s + n + 1) != 0) {
            pn = n;
            n += 1 + ncname_len(s + n + 1);
        }
        size_t j = p->i + n;
        while (is_blank(p->s[j]))
            j++;
        if (p->s[j] == '(') {
            primary = p_call(p, n, pn);
            if (primary == NULL)
                return NULL;
        }
    }
    xnode *path = node_new(p, N_PATH);
    if (path == NULL)
        return NULL;
    if (primary != NULL) {
        if (p_preds(p, &path->fpred, &path->nfpred) < 0)
            return NULL;
        skip(p);
        if (p->s[p->i] != '/') {
            if (path->nfpred == 0)
                return primary;
            path->from = P_FILTER;
            path->filter = primary;
            return path;
        }
        if (p->s[p->i + 1] == '/') {
            p->bad = 1;
            return NULL;
        }
        p->i++;
        path->from = P_FILTER;
        path->filter = primary;
        return p_steps(p, path) < 0 ? NULL : path;
    }
    s = p->s + p->i;
    if (s[0] == '/') {
        if (s[1] == '/') {
            p->bad = 1;
            return NULL;
        }
        path->from = P_ROOT;
        p->i++;
        skip(p);
        char c = p->s[p->i];
        if (!(c == '.' || c == '@' || c == '*' || name_start(c)))
            return path; /* "/" alone */
        return p_steps(p, path) < 0 ? NULL : path;
    }
    path->from = P_CONTEXT;
    return p_steps(p, path) < 0 ? NULL : path;
}

static xnode *p_unary(parser *p)
{
    skip(p);
    int minus = 0, found = 0;
    while (p->s[p->i] == '-') {
        minus = !minus;
        found = 1;
        p->i++;
        skip(p);
    }
    xnode *e = p_path(p);
    skip(p);
    if (p->s[p->i] == '|') {
        p->bad = 1; /* unions: libxml2's */
        return NULL;
    }
    if (e == NULL || !found)
        return e;
    xnode *u = node_new(p, minus ? N_NEG : N_NUMBER_OF);
    if (u != NULL)
        u->a = e;
    return u;
}

static xnode *binary(parser *p, int kind, xnode *a, xnode *b)
{
    if (a == NULL || b == NULL) {
        p->bad = 1;
        return NULL;
    }
    xnode *n = node_new(p, kind);
    if (n != NULL) {
        n->a = a;
        n->b = b;
    }
    return n;
}

static xnode *p_mul(parser *p)
{
    xnode *e = p_unary(p);
    for (;;) {
        skip(p);
        int k;
        if (p->s[p->i] == '*') {
            p->i++;
            k = N_MUL;
        } else if (at_word(p, "div")) {
            p->i += 3;
            k = N_DIV;
        } else if (at_word(p, "mod")) {
            p->i += 3;
            k = N_MOD;
        } else {
            return e;
        }
        e = binary(p, k, e, p_unary(p));
        if (e == NULL)
            return NULL;
    }
}

static xnode *p_add(parser *p)
{
    xnode *e = p_mul(p);
    for (;;) {
        skip(p);
        char c = p->s[p->i];
        if (c != '+' && c != '-')
            return e;
        p->i++;
        e = binary(p, c == '+' ? N_ADD : N_SUB, e, p_mul(p));
        if (e == NULL)
            return NULL;
    }
}

static xnode *p_rel(parser *p)
{
    xnode *e = p_add(p);
    for (;;) {
        skip(p);
        const char *s = p->s + p->i;
        int k;
        if (s[0] == '<')
            k = s[1] == '=' ? N_LE : N_LT;
        else if (s[0] == '>')
            k = s[1] == '=' ? N_GE : N_GT;
        else
            return e;
        p->i += s[1] == '=' ? 2 : 1;
        e = binary(p, k, e, p_add(p));
        if (e == NULL)
            return NULL;
    }
}

static xnode *p_eq(parser *p)
{
    xnode *e = p_rel(p);
    for (;;) {
        skip(p);
        const char *s = p->s + p->i;
        int k;
        if (s[0] == '=')
            k = N_EQ;
        else if (s[0] == '!' && s[1] == '=')
            k = N_NE;
        else
            return e;
        p->i += k == N_EQ ? 1 : 2;
        e = binary(p, k, e, p_rel(p));
        if (e == NULL)
            return NULL;
    }
}

static xnode *p_and(parser *p)
{
    xnode *e = p_eq(p);
    for (;;) {
        skip(p);
        if (!at_word(p, "and"))
            return e;
        p->i += 3;
        e = binary(p, N_AND, e, p_eq(p));
        if (e == NULL)
            return NULL;
    }
}

static xnode *p_expr(parser *p)
{
    if (++p->depth > 200) {
        p->bad = 1;
        return NULL;
    }
    xnode *e = p_and(p);
    for (;;) {
        skip(p);
        if (!at_word(p, "or"))
            break;
        p->i += 2;
        e = binary(p, N_OR, e, p_and(p));
        if (e == NULL)
            break;
    }
    p->depth--;
    return e;
}

const sch_xpn *sch_xpn_compile(sch_arena *a, const char *src, const sd_sch_pack *pack)
{
    if (src == NULL)
        return NULL;
    parser p = {src, 0, a, pack, 0, 0};
    xnode *e = p_expr(&p);
    skip(&p);
    if (p.bad || e == NULL || p.s[p.i] != '\0')
        return NULL;
    sch_xpn *x = sch_alloc(a, sizeof *x);
    if (x == NULL)
        return NULL;
    x->root = e;
    return x;
}

/* ---- values ------------------------------------------------------------------ */

enum { V_NS, V_STR, V_NUM, V_BOOL };

typedef struct xv {
    int t;
    int b; /* V_BOOL */
    union {
        double n; /* V_NUM */
        struct {
            const char *s; /* V_STR: NUL-terminated */
            size_t len;
        };
        struct {
            xmlNodePtr *ns; /* V_NS: document order, no duplicates */
            size_t nn;
        };
    };
} xv;

typedef struct ev {
    sch_xpn_env *env;
    sch_xpn_scratch *s;
} ev;

typedef struct cx {
    xmlNodePtr node;
    size_t pos, size;
} cx;

#define OK SCH_XPN_OK
#define PUNT SCH_XPN_PUNT
#define FAIL SCH_XPN_FAIL

static int oom(ev *e)
{
    e->env->oom = 1;
    return FAIL;
}

static int tick(ev *e, size_t n)
{
    e->env->ops += n;
    return e->env->ops > e->env->limit ? PUNT : OK;
}

/* The string value of a node, as xmlNodeGetContent makes it, read in place
 * when it is one text; PUNT for what it does not read (entity references). */
static int node_string(ev *e, xmlNodePtr n, const char **out, size_t *len)
{
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
    case XML_COMMENT_NODE:
    case XML_PI_NODE:
        if (n->content == NULL)
            return PUNT; /* xmlNodeGetContent gives NULL: number() reads 0 there */
        *out = (const char *)n->content;
        *len = strlen(*out);
        return OK;
    case XML_ATTRIBUTE_NODE:
    case XML_ELEMENT_NODE:
        break;
    default:
        return PUNT;
    }
    xmlNodePtr c = n->children;
    if (c == NULL) {
        *out = "";
        *len = 0;
        return OK;
    }
    if (c->next == NULL && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
        c->children == NULL) {
        *out = c->content ? (const char *)c->content : "";
        *len = strlen(*out);
        return OK;
    }
    /* two passes over the descendants: the length, then the bytes */
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        char *buf = NULL;
        if (pass == 1) {
            buf = salloc(e->s, total + 1);
            if (buf == NULL)
                return oom(e);
        }
        size_t at = 0;
        xmlNodePtr t = n->children;
        while (t != NULL) {
            if (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) {
                size_t k = t->content ? strlen((const char *)t->content) : 0;
                if (pass == 0)
                    total += k;
                else
                    memcpy(buf + at, t->content, k);
                at += k;
            } else if (t->type == XML_ENTITY_REF_NODE || t->type == XML_ENTITY_NODE) {
                return PUNT;
            }
            if (t->type == XML_ELEMENT_NODE && t->children != NULL) {
                t = t->children;
                continue;
            }
            while (t != NULL && t->next == NULL) {
                t = t->parent;
                if (t == n)
                    t = NULL;
            }
            if (t != NULL)
                t = t->next;
        }
        if (pass == 1) {
            buf[at] = '\0';
            *out = buf;
            *len = at;
        }
    }
    return OK;
}

static int mkstr(ev *e, xv *v, const char *s, size_t len)
{
    char *p = salloc(e->s, len + 1);
    if (p == NULL)
        return oom(e);
    memcpy(p, s, len);
    p[len] = '\0';
    *v = (xv){.t = V_STR, .s = p, .len = len};
    return OK;
}

static int num_string(ev *e, double d, const char **out, size_t *len)
{
    if (d == 0) {
        *out = "0";
        *len = 1;
        return OK;
    }
    if (d > INT_MIN && d < INT_MAX && d == (int)d) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "%d", (int)d);
        char *p = salloc(e->s, (size_t)n + 1);
        if (p == NULL)
            return oom(e);
        memcpy(p, buf, (size_t)n + 1);
        *out = p;
        *len = (size_t)n;
        return OK;
    }
    xmlChar *t = xmlXPathCastNumberToString(d);
    if (t == NULL)
        return oom(e);
    size_t n = strlen((const char *)t);
    char *p = salloc(e->s, n + 1);
    if (p == NULL) {
        xmlFree(t);
        return oom(e);
    }
    memcpy(p, t, n + 1);
    xmlFree(t);
    *out = p;
    *len = n;
    return OK;
}

static int to_str(ev *e, const xv *v, const char **out, size_t *len)
{
    switch (v->t) {
    case V_STR:
        *out = v->s;
        *len = v->len;
        return OK;
    case V_BOOL:
        *out = v->b ? "true" : "false";
        *len = strlen(*out);
        return OK;
    case V_NUM:
        return num_string(e, v->n, out, len);
    default:
        if (v->nn == 0) {
            *out = "";
            *len = 0;
            return OK;
        }
        return node_string(e, v->ns[0], out, len);
    }
}

static double str_number(const char *s)
{
    return xmlXPathStringEvalNumber((const xmlChar *)s);
}

static int to_num(ev *e, const xv *v, double *out)
{
    switch (v->t) {
    case V_NUM:
        *out = v->n;
        return OK;
    case V_BOOL:
        *out = v->b ? 1.0 : 0.0;
        return OK;
    case V_STR:
        *out = str_number(v->s);
        return OK;
    default: {
        const char *s;
        size_t len;
        mark m = mark_of(e->s);
        int rc = to_str(e, v, &s, &len);
        if (rc == OK)
            *out = str_number(s);
        release(e->s, m);
        return rc;
    }
    }
}

static int node_number(ev *e, xmlNodePtr n, double *out)
{
    const char *s;
    size_t len;
    mark m = mark_of(e->s);
    int rc = node_string(e, n, &s, &len);
    if (rc == OK)
        *out = str_number(s);
    release(e->s, m);
    return rc;
}

static int to_bool(const xv *v)
{
    switch (v->t) {
    case V_BOOL:
        return v->b;
    case V_NUM:
        return !isnan(v->n) && v->n != 0;
    case V_STR:
        return v->len != 0;
    default:
        return v->nn != 0;
    }
}

static xv num(double d)
{
    return (xv){.t = V_NUM, .n = d};
}

static xv boolean(int b)
{
    return (xv){.t = V_BOOL, .b = b != 0};
}

/* ---- comparisons, as xmlXPathEqualValues and xmlXPathCompareValues ------------ */

/* Non-node-set operands (xmlXPathEqualValuesCommon). */
static int eq_common(ev *e, const xv *a, const xv *b, int *out)
{
    if (a->t == V_BOOL || b->t == V_BOOL) {
        *out = to_bool(a) == to_bool(b);
        return OK;
    }
    if (a->t == V_STR && b->t == V_STR) {
        *out = a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
        return OK;
    }
    double x, y;
    int rc = to_num(e, a, &x);
    if (rc == OK)
        rc = to_num(e, b, &y);
    if (rc == OK)
        *out = x == y; /* NaN unequal to all; infinities equal their own sign */
    return rc;
}

/* a is a node-set. */
static int eq_nodeset(ev *e, const xv *a, const xv *b, int neq, int *out)
{
    *out = 0;
    if (b->t == V_BOOL) {
        *out = neq ? (a->nn != 0) != b->b : (a->nn != 0) == b->b;
        return OK;
    }
    if (a->nn == 0)
        return OK;
    if (b->t == V_NS) {
        if (b->nn == 0)
            return OK;
        if (!neq)
            for (size_t i = 0; i < a->nn; i++)
                for (size_t j = 0; j < b->nn; j++)
                    if (a->ns[i] == b->ns[j]) {
                        *out = 1;
                        return OK;
                    }
        int rc = tick(e, a->nn * b->nn);
        if (rc != OK)
            return rc;
        for (size_t i = 0; i < a->nn; i++) {
            mark m = mark_of(e->s);
            const char *s1;
            size_t l1;
            rc = node_string(e, a->ns[i], &s1, &l1);
            for (size_t j = 0; rc == OK && j < b->nn; j++) {
                mark m2 = mark_of(e->s);
                const char *s2;
                size_t l2;
                rc = node_string(e, b->ns[j], &s2, &l2);
                int same = rc == OK && l1 == l2 && memcmp(s1, s2, l1) == 0;
                release(e->s, m2);
                if (rc == OK && same != neq) {
                    *out = 1;
                    release(e->s, m);
                    return OK;
                }
            }
            release(e->s, m);
            if (rc != OK)
                return rc;
        }
        return OK;
    }
    if (b->t == V_NUM) {
        for (size_t i = 0; i < a->nn; i++) {
            double v;
            int rc = node_number(e, a->ns[i], &v);
            if (rc != OK)
                return rc;
            if (!isnan(v)) {
                if ((!neq && v == b->n) || (neq && v != b->n)) {
                    *out = 1;
                    return OK;
                }
            } else if (neq) {
                *out = 1;
            }
        }
        return OK;
    }
    /* a string */
    for (size_t i = 0; i < a->nn; i++) {
        mark m = mark_of(e->s);
        const char *s;
        size_t l;
        int rc = node_string(e, a->ns[i], &s, &l);
        int same = rc == OK && l == b->len && memcmp(s, b->s, l) == 0;
        release(e->s, m);
        if (rc != OK)
            return rc;
        if (same != neq) {
            *out = 1;
            return OK;
        }
    }
    return OK;
}

static int equal(ev *e, const xv *a, const xv *b, int neq, int *out)
{
    if (a->t == V_NS)
        return eq_nodeset(e, a, b, neq, out);
    if (b->t == V_NS)
        return eq_nodeset(e, b, a, neq, out);
    int rc = eq_common(e, a, b, out);
    if (rc == OK && neq)
        *out = !*out;
    return rc;
}

static int cmp_num(double x, double y, int inf, int strict)
{
    if (isnan(x) || isnan(y))
        return 0;
    if (inf)
        return strict ? x < y : x <= y;
    return strict ? x > y : x >= y;
}

/* a is a node-set, b is not (xmlXPathCompareNodeSetValue). */
static int cmp_nodeset_value(ev *e, const xv *a, const xv *b, int inf, int strict, int *out)
{
    *out = 0;
    if (b->t == V_BOOL) {
        *out = cmp_num(a->nn != 0 ? 1.0 : 0.0, b->b ? 1.0 : 0.0, inf, strict);
        return OK;
    }
    double y;
    if (b->t == V_NUM)
        y = b->n;
    else
        y = str_number(b->s);
    for (size_t i = 0; i < a->nn; i++) {
        double x;
        int rc = node_number(e, a->ns[i], &x);
        if (rc != OK)
            return rc;
        if (cmp_num(x, y, inf, strict)) {
            *out = 1;
            return OK;
        }
    }
    return OK;
}

static int compare(ev *e, const xv *a, const xv *b, int inf, int strict, int *out)
{
    *out = 0;
    if (a->t == V_NS && b->t == V_NS) {
        if (a->nn == 0 || b->nn == 0)
            return OK;
        int rc = tick(e, a->nn * b->nn);
        if (rc != OK)
            return rc;
        double *vals = salloc(e->s, b->nn * sizeof *vals);
        if (vals == NULL)
            return oom(e);
        for (size_t j = 0; j < b->nn; j++)
            if ((rc = node_number(e, b->ns[j], &vals[j])) != OK)
                return rc;
        for (size_t i = 0; i < a->nn; i++) {
            double x;
            if ((rc = node_number(e, a->ns[i], &x)) != OK)
                return rc;
            if (isnan(x))
                continue;
            for (size_t j = 0; j < b->nn; j++)
                if (cmp_num(x, vals[j], inf, strict)) {
                    *out = 1;
                    return OK;
                }
        }
        return OK;
    }
    if (a->t == V_NS)
        return cmp_nodeset_value(e, a, b, inf, strict, out);
    if (b->t == V_NS)
        return cmp_nodeset_value(e, b, a, !inf, strict, out);
    double x, y;
    int rc = to_num(e, a, &x);
    if (rc == OK)
        rc = to_num(e, b, &y);
    if (rc == OK)
        *out = cmp_num(x, y, inf, strict);
    return rc;
}

/* ---- node-sets ----------------------------------------------------------------- */

typedef struct nsb {
    xmlNodePtr *v;
    size_t n, cap;
} nsb;

static int nsb_add(ev *e, nsb *b, xmlNodePtr n)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        xmlNodePtr *v = salloc(e->s, cap * sizeof *v);
        if (v == NULL)
            return oom(e);
        if (b->n)
            memcpy(v, b->v, b->n * sizeof *v);
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = n;
    return OK;
}

static int name_match(ev *e, const xstep *cst, xmlNodePtr n)
{
    xstep *st = (xstep *)cst; /* its name cache is written (see xstep) */
    if (st->test == T_ANY)
        return 1;
    if (n->name != st->iname || st->irun != e->env->run) {
        if (n->name[0] != (xmlChar)st->local[0] || strcmp((const char *)n->name, st->local) != 0)
            return 0;
        st->iname = n->name;
        st->irun = e->env->run;
    }
    if (st->uri == NULL)
        return n->ns == NULL;
    return n->ns != NULL && n->ns->href != NULL && strcmp((const char *)n->ns->href, st->uri) == 0;
}

/* The order of two nodes, for a set made from several context nodes (eval.c
 * numbered the elements with xmlXPathOrderDocElems): 1 a before b, 0 the
 * same node, -1 after, -2 not comparable (two documents: left to libxml2). */
static int doc_order(xmlNodePtr a, xmlNodePtr b)
{
    return xmlXPathCmpNodes(a, b);
}

static int eval(ev *e, const xnode *x, cx c, xv *out);

/* The position a predicate selects without being evaluated per node: a
 * number literal ([1], [2.5]: none) or last(); 0 when it is not one of those. */
static double fixed_position(const xnode *pred, size_t size)
{
    if (pred->kind == N_NUM)
        return pred->num;
    if (pred->kind == N_FN && pred->fn == F_LAST)
        return (double)size;
    return 0;
}

/* Filters set (in place) by the predicates, positions counted in set order. */
static int filter(ev *e, nsb *set, xnode *const *pred, size_t npred)
{
    for (size_t k = 0; k < npred; k++) {
        if (pred[k]->kind == N_NUM || (pred[k]->kind == N_FN && pred[k]->fn == F_LAST)) {
            /* O(1), as the value at that position is all it keeps */
            double at = fixed_position(pred[k], set->n);
            if (at >= 1 && at <= (double)set->n && at == (double)(size_t)at) {
                set->v[0] = set->v[(size_t)at - 1];
                set->n = 1;
            } else {
                set->n = 0;
            }
            continue;
        }
        size_t w = 0, size = set->n;
        for (size_t i = 0; i < size; i++) {
            mark m = mark_of(e->s);
            xv r;
            int rc = eval(e, pred[k], (cx){set->v[i], i + 1, size}, &r);
            int keep = 0;
            if (rc == OK)
                keep = r.t == V_NUM ? r.n == (double)(i + 1) : to_bool(&r);
            release(e->s, m);
            if (rc != OK)
                return rc;
            if (keep)
                set->v[w++] = set->v[i];
        }
        set->n = w;
    }
    return OK;
}

/* One step from each node of in (document order); out in document order. */
static int step(ev *e, const xstep *st, const xmlNodePtr *in, size_t nin, nsb *out)
{
    int rc = OK;
    for (size_t i = 0; i < nin && rc == OK; i++) {
        xmlNodePtr n = in[i];
        size_t from = out->n;
        switch (st->axis) {
        case AX_SELF:
            rc = nsb_add(e, out, n);
            break;
        case AX_PARENT: {
            xmlNodePtr p = NULL;
            if (n->type == XML_ATTRIBUTE_NODE || n->type == XML_ELEMENT_NODE ||
                n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE ||
                n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
                p = n->parent;
            else if (n->type != XML_DOCUMENT_NODE)
                return PUNT;
            if (p != NULL)
                rc = nsb_add(e, out, p);
            break;
        }
        case AX_ATTR: {
            size_t seen = 0; /* counted against the limit once per node */
            if (n->type == XML_ELEMENT_NODE)
                for (xmlAttrPtr a = n->properties; a != NULL && rc == OK; a = a->next) {
                    seen++;
                    if (name_match(e, st, (xmlNodePtr)a))
                        rc = nsb_add(e, out, (xmlNodePtr)a);
                }
            if (rc == OK)
                rc = tick(e, seen);
            break;
        }
        default: { /* child */
            if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE)
                break;
            size_t seen = 0;
            for (xmlNodePtr k = n->children; k != NULL && rc == OK; k = k->next) {
                seen++;
                if (k->type == XML_ELEMENT_NODE && name_match(e, st, k))
                    rc = nsb_add(e, out, k);
            }
            if (rc == OK)
                rc = tick(e, seen);
        }
        }
        if (rc == OK && st->npred && out->n > from) { /* positions along the axis, per context node */
            nsb part = {out->v + from, out->n - from, out->n - from};
            rc = filter(e, &part, st->pred, st->npred);
            out->n = from + part.n;
        }
    }
    if (rc != OK || nin < 2 || out->n < 2)
        return rc;
    /* several context nodes: the union in document order, without duplicates
     * (siblings share a parent; nested context nodes interleave children).
     * Only elements and attributes: libxml2 sorts text, comment and PI nodes
     * (and nodes next to them) in an order of its own (xmlXPathCmpNodesExt
     * puts the text after <a><b/></a> before b), so such sets are its. */
    int sorted = 1;
    for (size_t i = 0; i < out->n; i++)
        if (out->v[i]->type != XML_ELEMENT_NODE && out->v[i]->type != XML_ATTRIBUTE_NODE)
            return PUNT;
    for (size_t i = 1; i < out->n; i++) {
        int o = doc_order(out->v[i - 1], out->v[i]);
        if (o == -2)
            return PUNT;
        if (o != 1)
            sorted = 0;
    }
    if (sorted)
        return OK;
    /* insertion sort with duplicates dropped: sets here are small */
    if ((rc = tick(e, out->n * out->n)) != OK)
        return rc;
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
        xmlNodePtr v = out->v[i];
        size_t j = w;
        int dup = 0;
        while (j > 0 && doc_order(out->v[j - 1], v) != 1) {
            if (out->v[j - 1] == v) {
                dup = 1;
                break;
            }
            j--;
        }
        if (dup)
            continue;
        memmove(out->v + j + 1, out->v + j, (w - j) * sizeof *out->v);
        out->v[j] = v;
        w++;
    }
    out->n = w;
    return OK;
}

static NOINLINE int eval_path(ev *e, const xnode *x, cx c, xv *out)
{
    nsb cur = {0};
    if (x->from == P_FILTER) {
        xv v;
        int rc = eval(e, x->filter, c, &v);
        if (rc != OK)
            return rc;
        if (v.t != V_NS)
            return PUNT; /* a filter or a step on a non-node-set: libxml2's error */
        if (x->nfpred && (x->fpred[0]->kind == N_NUM ||
                          (x->fpred[0]->kind == N_FN && x->fpred[0]->fn == F_LAST))) {
            /* $v[N], $v[last()]: the one node, not a copy of a large set */
            double at = fixed_position(x->fpred[0], v.nn);
            cur.v = salloc(e->s, sizeof *cur.v);
            if (cur.v == NULL)
                return oom(e);
            cur.n = cur.cap = 0;
            if (at >= 1 && at <= (double)v.nn && at == (double)(size_t)at) {
                cur.v[0] = v.ns[(size_t)at - 1];
                cur.n = cur.cap = 1;
            }
            if ((rc = filter(e, &cur, x->fpred + 1, x->nfpred - 1)) != OK)
                return rc;
        } else if (x->nfpred) { /* a copy: the value may be a variable's */
            cur.v = salloc(e->s, (v.nn ? v.nn : 1) * sizeof *cur.v);
            if (cur.v == NULL)
                return oom(e);
            if (v.nn)
                memcpy(cur.v, v.ns, v.nn * sizeof *cur.v);
            cur.n = cur.cap = v.nn;
            if ((rc = filter(e, &cur, x->fpred, x->nfpred)) != OK)
                return rc;
        } else {
            cur.v = v.ns;
            cur.n = v.nn;
        }
    } else {
        xmlNodePtr start = c.node;
        if (x->from == P_ROOT) {
            if (c.node->doc == NULL)
                return PUNT;
            start = (xmlNodePtr)c.node->doc;
            if (c.node->type == XML_DOCUMENT_NODE)
                start = c.node;
        }
        cur.v = salloc(e->s, sizeof *cur.v);
        if (cur.v == NULL)
            return oom(e);
        cur.v[0] = start;
        cur.n = cur.cap = 1;
    }
    for (size_t i = 0; i < x->nstep; i++) {
        nsb next = {0};
        int rc = step(e, &x->step[i], cur.v, cur.n, &next);
        if (rc != OK)
            return rc;
        cur = next;
        if (cur.n == 0)
            break;
    }
    *out = (xv){.t = V_NS, .ns = cur.v, .nn = cur.n};
    return OK;
}

/* ---- functions --------------------------------------------------------------- */

static int arg_str(ev *e, const xnode *x, cx c, size_t i, const char **s, size_t *len)
{
    xv v;
    int rc = eval(e, x->arg[i], c, &v);
    if (rc == OK)
        rc = to_str(e, &v, s, len);
    return rc;
}

static int arg_num(ev *e, const xnode *x, cx c, size_t i, double *d)
{
    xv v;
    int rc = eval(e, x->arg[i], c, &v);
    if (rc == OK)
        rc = to_num(e, &v, d);
    return rc;
}

/* Bytes of the first n characters of UTF-8 s (or all of it). */
static size_t utf8_skip(const char *s, size_t len, size_t n)
{
    size_t i = 0;
    while (n > 0 && i < len) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n--;
    }
    return i;
}

static size_t utf8_len(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static size_t utf8_char(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '\0')
            return i;
    return n;
}

/* Strings here are valid UTF-8: the document's (the parser checked it), the
 * pack's and what functions made of them; translate() and substring() count
 * characters as libxml2 does on such strings. */
static NOINLINE int fn_substring(ev *e, const xnode *x, cx c, xv *out)
{
    const char *s;
    size_t len;
    double in, le = 0;
    int rc = arg_str(e, x, c, 0, &s, &len);
    if (rc == OK)
        rc = arg_num(e, x, c, 1, &in);
    if (rc == OK && x->narg == 3)
        rc = arg_num(e, x, c, 2, &le);
    if (rc != OK)
        return rc;
    int i = 1, j = INT_MAX;
    if (!(in < INT_MAX)) {
        i = INT_MAX;
    } else if (in >= 1.0) {
        i = (int)in;
        if (in - floor(in) >= 0.5)
            i += 1;
    }
    if (x->narg == 3) {
        double rin = floor(in);
        if (in - rin >= 0.5)
            rin += 1.0;
        double rle = floor(le);
        if (le - rle >= 0.5)
            rle += 1.0;
        double end = rin + rle;
        if (!(end >= 1.0))
            j = 1;
        else if (end < INT_MAX)
            j = (int)end;
    }
    if (i >= j) {
        *out = (xv){.t = V_STR, .s = "", .len = 0};
        return OK;
    }
    size_t a = utf8_skip(s, len, (size_t)(i - 1));
    size_t b = a + utf8_skip(s + a, len - a, (size_t)(j - i));
    if (b == len) { /* a tail of s: s itself from a on (NUL-terminated) */
        *out = (xv){.t = V_STR, .s = s + a, .len = b - a};
        return OK;
    }
    return mkstr(e, out, s + a, b - a);
}

static NOINLINE int fn_translate(ev *e, const xnode *x, cx c, xv *out)
{
    const char *s, *from, *to;
    size_t ls, lf, lt;
    int rc = arg_str(e, x, c, 0, &s, &ls);
    if (rc == OK)
        rc = arg_str(e, x, c, 1, &from, &lf);
    if (rc == OK)
        rc = arg_str(e, x, c, 2, &to, &lt);
    if (rc != OK)
        return rc;
    uint64_t lead[4] = {0, 0, 0, 0}; /* the first bytes of from's characters */
    for (size_t at = 0; at < lf; at += utf8_char(from + at))
        lead[(unsigned char)from[at] >> 6] |= (uint64_t)1 << ((unsigned char)from[at] & 63);
    size_t first = 0; /* the first byte that may change: before it, s as it is */
    while (first < ls && !(lead[(unsigned char)s[first] >> 6] >> ((unsigned char)s[first] & 63) & 1))
        first++;
    if (first == ls) { /* nothing to translate (UTF-8 lead bytes never follow bytes) */
        *out = (xv){.t = V_STR, .s = s, .len = ls};
        return OK;
    }
    /* a character becomes at most one of to's, of at most 4 bytes */
    char *buf = salloc(e->s, 4 * ls + 1);
    if (buf == NULL)
        return oom(e);
    size_t w = 0, nto = utf8_len(to, lt);
    for (size_t i = 0; i < ls;) {
        size_t k = utf8_char(s + i);
        unsigned char c0 = (unsigned char)s[i];
        if (!(lead[c0 >> 6] >> (c0 & 63) & 1)) { /* not in from: kept as it is */
            memcpy(buf + w, s + i, k);
            w += k;
            i += k;
            continue;
        }
        size_t idx = 0, at = 0; /* the character's first place in from */
        int found = 0;
        while (at < lf) {
            size_t fk = utf8_char(from + at);
            if (fk == k && memcmp(from + at, s + i, k) == 0) {
                found = 1;
                break;
            }
            at += fk;
            idx++;
        }
        if (!found) {
            memcpy(buf + w, s + i, k);
            w += k;
        } else if (idx < nto) {
            size_t p = utf8_skip(to, lt, idx);
            size_t tk = utf8_char(to + p);
            memcpy(buf + w, to + p, tk);
            w += tk;
        }
        i += k;
    }
    buf[w] = '\0';
    *out = (xv){.t = V_STR, .s = buf, .len = w};
    return OK;
}

static int fn_normalize(ev *e, const char *s, size_t len, xv *out)
{
    /* already normal (the common case: a name, a role, a number): itself */
    int normal = len == 0 || (s[0] != ' ' && s[len - 1] != ' ');
    for (size_t i = 0; normal && i < len; i++)
        if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || (s[i] == ' ' && s[i + 1] == ' '))
            normal = 0;
    if (normal) {
        *out = (xv){.t = V_STR, .s = s, .len = len};
        return OK;
    }
    char *buf = salloc(e->s, len + 1);
    if (buf == NULL)
        return oom(e);
    size_t w = 0;
    size_t i = 0;
    while (i < len && is_blank(s[i]))
        i++;
    int blank = 0;
    for (; i < len; i++) {
        if (is_blank(s[i])) {
            blank = 1;
        } else {
            if (blank) {
                buf[w++] = ' ';
                blank = 0;
            }
            buf[w++] = s[i];
        }
    }
    buf[w] = '\0';
    *out = (xv){.t = V_STR, .s = buf, .len = w};
    return OK;
}

static NOINLINE int fn_regex_call(ev *e, const xnode *cx_node, cx c, xv *out)
{
    xnode *x = (xnode *)cx_node; /* its regex cache is written (see xnode) */
    const char *a[4] = {"", "", "", ""};
    size_t l[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < x->narg; i++) {
        int rc = arg_str(e, x, c, i, &a[i], &l[i]);
        if (rc != OK)
            return rc;
    }
    sch_fn_env *fe = e->env->fn;
    const char *flags = x->fn == F_MATCHES ? (x->narg == 3 ? a[2] : "")
                                           : (x->narg == 4 ? a[3] : "");
    const pcre2_code *code = NULL;
    if (x->rx_gen != 0)
        code = sch_regex_at(&fe->rx, x->rx_idx, x->rx_gen - 1, x->rx_literal ? NULL : a[1],
                            flags);
    if (code == NULL) {
        sd_status st = SD_OK;
        char why[256];
        code = sch_regex_get(&fe->rx, a[1], flags, &st, why, sizeof why);
        if (code == NULL)
            return PUNT;
        x->rx_idx = fe->rx.last; /* most likely the same entry next time */
        x->rx_gen = fe->rx.gen + 1;
    }
    if (x->fn == F_MATCHES) {
        if (fe->md1 == NULL && (fe->md1 = pcre2_match_data_create(1, NULL)) == NULL)
            return oom(e);
        int rc = sch_regex_match(&fe->rx, code, a[0], l[0], 0, 0, fe->md1);
        if (rc == PCRE2_ERROR_NOMATCH) {
            *out = boolean(0);
            return OK;
        }
        if (rc < 0)
            return PUNT;
        *out = boolean(1);
        return OK;
    }
    /* replace(): only the plain case here (no empty match, a replacement of
     * $N, \$, \\ and text); anything else is libxml2's and fn_regex.c's */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (md == NULL)
        return oom(e);
    int rc = sch_regex_match(&fe->rx, code, "", 0, 0, 0, md);
    if (rc != PCRE2_ERROR_NOMATCH) {
        pcre2_match_data_free(md);
        return PUNT;
    }
    uint32_t ngroups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
    sch_buf b = {0};
    size_t pos = 0;
    uint32_t opts = 0;
    int res = OK;
    const char *s = a[0], *rep = a[2];
    while (pos <= l[0]) {
        rc = sch_regex_match(&fe->rx, code, s, l[0], pos, opts, md);
        opts = PCRE2_NO_UTF_CHECK;
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            res = PUNT;
            break;
        }
        if (rc == 0)
            rc = 1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] <= ov[0]) {
            res = PUNT;
            break;
        }
        sch_buf_add(&b, s + pos, ov[0] - pos);
        if (sch_fn_expand_rep(&b, rep, s, md, rc, ngroups) < 0) {
            res = PUNT; /* a bad replacement: fn_regex.c says so */
            break;
        }
        pos = ov[1];
        if (b.oom)
            break;
    }
    pcre2_match_data_free(md);
    if (res == OK && pos <= l[0])
        sch_buf_add(&b, s + pos, l[0] - pos);
    if (res == OK && b.oom)
        res = PUNT; /* too large: fn_regex.c says so */
    if (res == OK)
        res = mkstr(e, out, b.p ? b.p : "", b.len);
    sch_buf_free(&b);
    return res;
}

static NOINLINE int fn_concat(ev *e, const xnode *x, cx c, xv *out)
{
    int rc;
    /* the arguments' strings, then one copy of them all */
    const char **part = salloc(e->s, x->narg * sizeof *part);
    size_t *plen = salloc(e->s, x->narg * sizeof *plen);
    if (part == NULL || plen == NULL)
        return oom(e);
    size_t total = 0;
    for (size_t i = 0; i < x->narg; i++) {
        if ((rc = arg_str(e, x, c, i, &part[i], &plen[i])) != OK)
            return rc;
        total += plen[i];
    }
    char *buf = salloc(e->s, total + 1);
    if (buf == NULL)
        return oom(e);
    size_t at = 0;
    for (size_t i = 0; i < x->narg; i++) {
        memcpy(buf + at, part[i], plen[i]);
        at += plen[i];
    }
    buf[at] = '\0';
    *out = (xv){.t = V_STR, .s = buf, .len = at};
    return OK;
}

/* contains(), starts-with(), substring-before(), substring-after() */
static NOINLINE int fn_pair(ev *e, const xnode *x, cx c, xv *out)
{
    const char *s, *t;
    size_t ls, lt;
    int rc;
    if ((rc = arg_str(e, x, c, 0, &s, &ls)) != OK || (rc = arg_str(e, x, c, 1, &t, &lt)) != OK)
        return rc;
    if (x->fn == F_STARTS_WITH) {
        *out = boolean(lt <= ls && memcmp(s, t, lt) == 0);
        return OK;
    }
    const char *at = lt == 0 ? s : strstr(s, t);
    if (x->fn == F_CONTAINS) {
        *out = boolean(at != NULL);
        return OK;
    }
    if (at == NULL) {
        *out = (xv){.t = V_STR, .s = "", .len = 0};
        return OK;
    }
    if (x->fn == F_SUBSTRING_BEFORE)
        return mkstr(e, out, s, (size_t)(at - s));
    *out = (xv){.t = V_STR, .s = at + lt, .len = ls - (size_t)(at - s) - lt};
    return OK;
}

static NOINLINE int eval_fn(ev *e, const xnode *x, cx c, xv *out)
{
    int rc = OK;
    const char *s;
    size_t ls;
    double d;
    xv v;
    switch (x->fn) {
    case F_TRUE:
    case F_FALSE:
        *out = boolean(x->fn == F_TRUE);
        return OK;
    case F_LAST:
        *out = num((double)c.size);
        return OK;
    case F_POSITION:
        *out = num((double)c.pos);
        return OK;
    case F_CURRENT: {
        xmlNodePtr *ns = salloc(e->s, sizeof *ns);
        if (ns == NULL)
            return oom(e);
        ns[0] = e->env->current;
        *out = (xv){.t = V_NS, .ns = ns, .nn = e->env->current ? 1 : 0};
        return OK;
    }
    case F_STRING:
    case F_NORMALIZE_SPACE:
    case F_STRING_LENGTH:
    case F_NUMBER:
        if (x->narg == 0) {
            v = (xv){.t = V_NS, .ns = &c.node, .nn = 1};
        } else if ((rc = eval(e, x->arg[0], c, &v)) != OK) {
            return rc;
        }
        if (x->fn == F_NUMBER) {
            if ((rc = to_num(e, &v, &d)) == OK)
                *out = num(d);
            return rc;
        }
        if ((rc = to_str(e, &v, &s, &ls)) != OK)
            return rc;
        if (x->fn == F_STRING) {
            *out = (xv){.t = V_STR, .s = s, .len = ls};
            return OK;
        }
        if (x->fn == F_STRING_LENGTH) {
            *out = num((double)utf8_len(s, ls));
            return OK;
        }
        return fn_normalize(e, s, ls, out);
    case F_BOOLEAN:
    case F_NOT:
        if ((rc = eval(e, x->arg[0], c, &v)) != OK)
            return rc;
        *out = boolean(x->fn == F_NOT ? !to_bool(&v) : to_bool(&v));
        return OK;
    case F_COUNT:
    case F_SUM:
    case F_LOCAL_NAME:
        if (x->narg == 0) {
            v = (xv){.t = V_NS, .ns = &c.node, .nn = 1};
        } else if ((rc = eval(e, x->arg[0], c, &v)) != OK) {
            return rc;
        }
        if (v.t != V_NS)
            return PUNT;
        if (x->fn == F_COUNT) {
            *out = num((double)v.nn);
            return OK;
        }
        if (x->fn == F_LOCAL_NAME) {
            if (v.nn == 0) {
                *out = (xv){.t = V_STR, .s = "", .len = 0};
                return OK;
            }
            xmlNodePtr n = v.ns[0];
            if (n->type == XML_ELEMENT_NODE || n->type == XML_ATTRIBUTE_NODE ||
                n->type == XML_PI_NODE) {
                const char *name = n->name[0] == ' ' ? "" : (const char *)n->name;
                *out = (xv){.t = V_STR, .s = name, .len = strlen(name)};
            } else if (n->type == XML_NAMESPACE_DECL) {
                return PUNT;
            } else {
                *out = (xv){.t = V_STR, .s = "", .len = 0};
            }
            return OK;
        }
        d = 0.0;
        for (size_t i = 0; i < v.nn; i++) {
            double k;
            if ((rc = node_number(e, v.ns[i], &k)) != OK)
                return rc;
            d += k;
        }
        *out = num(d);
        return OK;
    case F_CONCAT:
        return fn_concat(e, x, c, out);
    case F_CONTAINS:
    case F_STARTS_WITH:
    case F_SUBSTRING_BEFORE:
    case F_SUBSTRING_AFTER:
        return fn_pair(e, x, c, out);
    case F_SUBSTRING:
        return fn_substring(e, x, c, out);
    case F_TRANSLATE:
        return fn_translate(e, x, c, out);
    case F_FLOOR:
    case F_CEILING:
    case F_ROUND:
        if ((rc = arg_num(e, x, c, 0, &d)) != OK)
            return rc;
        if (x->fn == F_FLOOR) {
            d = floor(d);
        } else if (x->fn == F_CEILING) {
            d = ceil(d);
        } else if (d >= -0.5 && d < 0.5) {
            d *= 0.0; /* keeps the sign of zero */
        } else {
            double r = floor(d);
            if (d - r >= 0.5)
                r += 1.0;
            d = r;
        }
        *out = num(d);
        return OK;
    case F_PARAM: {
        sch_fn_env *fe = e->env->fn;
        const char *tier = fe->pack->tier ? fe->pack->tier : fe->tier;
        xnode *px = (xnode *)x; /* its cache is written (see xnode) */
        int literal = x->arg[0]->kind == N_STR;
        if (literal && px->pv != NULL &&
            (tier == NULL ? px->pv_tier_null : !px->pv_tier_null && strcmp(tier, px->pv_tier) == 0)) {
            *out = (xv){.t = V_STR, .s = px->pv, .len = strlen(px->pv)};
            return OK;
        }
        if ((rc = arg_str(e, x, c, 0, &s, &ls)) != OK)
            return rc;
        if (sch_param_find(fe->pack, s) == NULL)
            return PUNT;
        const char *pv = sd_sch_param_value(fe->pack, s, tier);
        pv = pv ? pv : "";
        /* the value lives in the pack, as long as this tree */
        if (literal && (tier == NULL || strlen(tier) < sizeof px->pv_tier)) {
            px->pv = pv;
            px->pv_tier_null = tier == NULL;
            if (tier != NULL)
                memcpy(px->pv_tier, tier, strlen(tier) + 1);
        }
        *out = (xv){.t = V_STR, .s = pv, .len = strlen(pv)};
        return OK;
    }
    default: /* F_MATCHES, F_REPLACE */
        return fn_regex_call(e, x, c, out);
    }
}

/* ---- the evaluator ------------------------------------------------------------- */

/* The evaluator is a small dispatcher: leaves are answered in it, the rest
 * in functions of their own kept out of line (NOINLINE), so that the
 * hundreds of thousands of calls for a literal or a variable do not pay for
 * the stack frame of the largest case. */

static NOINLINE int eval_var(ev *e, const xnode *x, xv *out)
{
    xmlXPathObjectPtr o = e->env->var(e->env->arg, x->s, (sch_var_cache *)&x->var);
    if (o == NULL)
        return e->env->failed(e->env->arg) ? FAIL : PUNT;
    switch (o->type) {
    case XPATH_NODESET:
        *out = (xv){.t = V_NS,
                    .ns = o->nodesetval ? o->nodesetval->nodeTab : NULL,
                    .nn = o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0};
        return OK;
    case XPATH_STRING:
        *out = (xv){.t = V_STR,
                    .s = o->stringval ? (const char *)o->stringval : "",
                    .len = o->stringval ? strlen((const char *)o->stringval) : 0};
        return OK;
    case XPATH_NUMBER:
        *out = num(o->floatval);
        return OK;
    case XPATH_BOOLEAN:
        *out = boolean(o->boolval);
        return OK;
    default:
        return PUNT;
    }
}

static NOINLINE int eval_logic(ev *e, const xnode *x, cx c, xv *out)
{
    xv a;
    int rc = eval(e, x->a, c, &a);
    if (rc != OK)
        return rc;
    int r = to_bool(&a);
    if (x->kind == N_OR ? r : !r) {
        *out = boolean(r);
        return OK;
    }
    if ((rc = eval(e, x->b, c, &a)) != OK)
        return rc;
    *out = boolean(to_bool(&a));
    return OK;
}

static NOINLINE int eval_relation(ev *e, const xnode *x, cx c, xv *out)
{
    xv a, b;
    int rc, r;
    if ((rc = eval(e, x->a, c, &a)) != OK || (rc = eval(e, x->b, c, &b)) != OK)
        return rc;
    if (x->kind == N_EQ || x->kind == N_NE)
        rc = equal(e, &a, &b, x->kind == N_NE, &r);
    else
        rc = compare(e, &a, &b, x->kind == N_LT || x->kind == N_LE,
                     x->kind == N_LT || x->kind == N_GT, &r);
    if (rc == OK)
        *out = boolean(r);
    return rc;
}

static NOINLINE int eval_arith(ev *e, const xnode *x, cx c, xv *out)
{
    xv a, b;
    double p, q = 0;
    int rc;
    if (x->kind == N_NEG || x->kind == N_NUMBER_OF) {
        if ((rc = eval(e, x->a, c, &a)) != OK || (rc = to_num(e, &a, &p)) != OK)
            return rc;
        *out = num(x->kind == N_NEG ? -p : p);
        return OK;
    }
    if ((rc = eval(e, x->a, c, &a)) != OK || (rc = eval(e, x->b, c, &b)) != OK)
        return rc;
    if ((rc = to_num(e, &a, &p)) != OK || (rc = to_num(e, &b, &q)) != OK)
        return rc;
    switch (x->kind) {
    case N_ADD:
        p += q;
        break;
    case N_SUB:
        p -= q;
        break;
    case N_MUL:
        p *= q;
        break;
    case N_DIV:
        p = q == 0 ? (isnan(p) || p == 0 ? NAN : (signbit(p) != signbit(q) ? -INFINITY : INFINITY))
                   : p / q;
        break;
    default:
        p = q == 0 ? NAN : fmod(p, q);
    }
    *out = num(p);
    return OK;
}

static int eval(ev *e, const xnode *x, cx c, xv *out)
{
    switch (x->kind) {
    case N_NUM:
        *out = num(x->num);
        return OK;
    case N_STR:
        *out = (xv){.t = V_STR, .s = x->s, .len = x->len};
        return OK;
    case N_VAR:
        return eval_var(e, x, out);
    case N_OR:
    case N_AND:
        return eval_logic(e, x, c, out);
    case N_EQ:
    case N_NE:
    case N_LT:
    case N_LE:
    case N_GT:
    case N_GE:
        return eval_relation(e, x, c, out);
    case N_ADD:
    case N_SUB:
    case N_MUL:
    case N_DIV:
    case N_MOD:
    case N_NEG:
    case N_NUMBER_OF:
        return eval_arith(e, x, c, out);
    case N_FN:
        return eval_fn(e, x, c, out);
    default:
        return eval_path(e, x, c, out);
    }
}

static int run(const sch_xpn *x, xmlNodePtr node, sch_xpn_env *env, xv *v, mark *m)
{
    ev e = {env, env->scratch};
    *m = mark_of(env->scratch);
    env->oom = 0;
    return eval(&e, x->root, (cx){node, 1, 1}, v);
}

int sch_xpn_bool(const sch_xpn *x, xmlNodePtr node, sch_xpn_env *env, int *out)
{
    xv v;
    mark m;
    int rc = run(x, node, env, &v, &m);
    if (rc == OK)
        *out = to_bool(&v);
    release(env->scratch, m);
    return rc;
}

int sch_xpn_value(const sch_xpn *x, xmlNodePtr node, sch_xpn_env *env, xmlXPathObjectPtr *out)
{
    xv v;
    mark m;
    int rc = run(x, node, env, &v, &m);
    /* a namespace node in a set is a copy its set owns (libxml2 duplicates
     * them): one read from a variable is not this result's to hand out */
    for (size_t i = 0; rc == OK && v.t == V_NS && i < v.nn; i++)
        if (v.ns[i]->type == XML_NAMESPACE_DECL)
            rc = PUNT;
    if (rc == OK) {
        xmlXPathObjectPtr o = NULL;
        sch_objpool *pool = env->pool;
        switch (v.t) {
        case V_NUM:
            if ((o = sch_obj_scalar(pool, XPATH_NUMBER)) != NULL)
                o->floatval = v.n;
            break;
        case V_BOOL:
            if ((o = sch_obj_scalar(pool, XPATH_BOOLEAN)) != NULL)
                o->boolval = v.b;
            break;
        case V_STR:
            if ((o = sch_obj_scalar(pool, XPATH_STRING)) != NULL &&
                (o->stringval = xmlStrndup((const xmlChar *)v.s, (int)v.len)) == NULL) {
                sch_obj_drop(pool, o);
                o = NULL;
            }
            break;
        default:
            if ((o = sch_obj_nodeset(pool)) != NULL && v.nn != 0) {
                xmlNodeSetPtr set = o->nodesetval;
                if ((size_t)set->nodeMax < v.nn) {
                    xmlNodePtr *t = xmlRealloc(set->nodeTab, v.nn * sizeof *t);
                    if (t == NULL) {
                        sch_obj_drop(pool, o);
                        o = NULL;
                        break;
                    }
                    set->nodeTab = t;
                    set->nodeMax = (int)v.nn;
                }
                memcpy(set->nodeTab, v.ns, v.nn * sizeof *set->nodeTab);
                set->nodeNr = (int)v.nn;
            }
        }
        if (o == NULL) {
            env->oom = 1;
            rc = FAIL;
        }
        *out = o;
    }
    release(env->scratch, m);
    return rc;
}
