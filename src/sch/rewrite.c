/*
 * rewrite.c — the text libxml2 compiles for an expression, when it differs
 * from what the pack says (same results, lower cost).
 *
 * Place: called by compile.c when it compiles a pack's expressions (once per
 * compiled-expression set); the rewritten forms are answered by eval.c.  Two
 * rewrites, both because of costs libxml2 2.9's API imposes:
 *
 *   - a rule context becomes count(B1, 1) + count(B2, 1) ... for its
 *     top-level union branches: libxml2 sorts every node-set an expression
 *     returns (quadratic on long runs of text and comment siblings) but not
 *     the argument of count(); eval.c's count() keeps each branch's set;
 *   - count($v), boolean($v), not($v), string($v), number($v), and a test or
 *     value-of that is just $v, become $sdlint-internal-FN:v, and $v[N] for a
 *     whole number N becomes $sdlint-internal-item:v.N: libxml2 hands
 *     every variable reference its own copy of the value (it frees what the
 *     lookup returns and may change a node-set in place), O(size) per
 *     reference; eval.c answers these from the stored value in O(1).
 *
 * If a rewritten text does not compile, compile.c keeps the original.
 * Cost: linear in the expression's length; how each expression is used is
 * found by one walk of the pack (sch_expr_uses) when it compiles.
 */
#include "sch/sch_int.h"

#include <stdlib.h>
#include <string.h>

/* "item" is not a function: $v[N] (N a whole number) becomes
 * $sdlint-internal-item:v.N, the N-th node of the stored set. */
static const char *const cheap_fns[] = {"count", "boolean", "not", "string", "number", "item"};

static int is_ncname_text(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c >= 0x80))
            return 0;
    }
    return 1;
}

const char *sch_cheap_fn(size_t i)
{
    return i < sizeof cheap_fns / sizeof cheap_fns[0] ? cheap_fns[i] : NULL;
}

/* The top-level union branches of a rule context, each as count(B, 1). */
static char *context_text(const char *src)
{
    sch_tok *t = NULL;
    long n = sch_xp_lex(src, &t);
    if (n < 0)
        return NULL;
    sch_buf b = {0};
    size_t from = 0;
    int depth = 0;
    for (long i = 0; i < n; i++) {
        if (!sch_xp_branch_end(src, t, i, &depth))
            continue;
        size_t to = t[i].start;
        if (b.len)
            sch_buf_adds(&b, " + ");
        sch_buf_adds(&b, "count(");
        sch_buf_add(&b, src + from, to - from);
        sch_buf_adds(&b, ", 1)");
        from = t[i].start + t[i].len;
    }
    free(t);
    sch_buf_add(&b, "", 0);
    if (b.oom) {
        sch_buf_free(&b);
        return NULL;
    }
    return b.p;
}

char *sch_bare_var(const char *src)
{
    while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
        src++;
    if (*src++ != '$')
        return NULL;
    while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
        src++;
    size_t n = strlen(src);
    while (n && (src[n - 1] == ' ' || src[n - 1] == '\t' || src[n - 1] == '\n' ||
                 src[n - 1] == '\r'))
        n--;
    return is_ncname_text(src, n) ? strndup(src, n) : NULL;
}

static void mark(sd_sch_pack *pack, int expr, int use)
{
    if (expr >= 0 && (size_t)expr < pack->nexprs && pack->exprs[expr].use == 0)
        pack->exprs[expr].use = use;
}

static void mark_msg(sd_sch_pack *pack, const sch_msg *m)
{
    for (size_t k = 0; k < m->n; k++)
        if (m->seg[k].kind == SEG_VALUEOF)
            mark(pack, m->seg[k].expr, 'v');
}

/* The first use met in this order decides, when an expression is shared
 * (an abstract rule's lets and asserts). */
void sch_expr_uses(sd_sch_pack *pack)
{
    for (size_t i = 0; i < pack->nexprs; i++)
        pack->exprs[i].use = 0;
    for (size_t k = 0; k < pack->nconcrete; k++) {
        const sch_pattern *p = pack->concrete[k];
        for (size_t j = 0; j < p->rules.n; j++) {
            const sch_rule *ru = p->rules.v[j];
            if (!ru->abstract)
                mark(pack, ru->expr, 'c');
            for (size_t a = 0; a < ru->nasserts; a++) {
                mark(pack, ru->asserts[a]->expr, 't');
                mark_msg(pack, &ru->asserts[a]->msg);
            }
        }
    }
    for (size_t k = 0; k < pack->diags.n + pack->props.n; k++) {
        const sch_diag *d = k < pack->diags.n ? pack->diags.v[k] : pack->props.v[k - pack->diags.n];
        mark_msg(pack, &d->msg);
    }
}

char *sch_compile_text(const sd_sch_pack *pack, size_t i)
{
    int use = pack->exprs[i].use;
    if (use == 'c')
        return context_text(pack->exprs[i].src);
    if (strchr(pack->exprs[i].src, '$') == NULL) /* no variable: nothing to rewrite */
        return NULL;
    /* a test that is just "$v" needs only the value's truth, a value-of only
     * its string: neither needs the copy */
    char *name = use ? sch_bare_var(pack->exprs[i].src) : NULL;
    if (name != NULL) {
        sch_buf b = {0};
        sch_buf_adds(&b, use == 't' ? "boolean($" : "string($");
        sch_buf_adds(&b, name);
        sch_buf_adds(&b, ")");
        sch_buf_add(&b, "", 0);
        free(name);
        char *out = b.oom ? NULL : sch_cheap_var_refs(b.p);
        sch_buf_free(&b);
        return out;
    }
    return sch_cheap_var_refs(pack->exprs[i].src);
}

/* The rewritten text: b, then what is left of src after byte done; NULL when
 * nothing changed or memory ran out (the caller keeps the original). */
static char *finish(sch_buf *b, const char *src, size_t done, int changed)
{
    if (changed && !b->oom) {
        sch_buf_adds(b, src + done);
        sch_buf_add(b, "", 0);
    }
    if (!changed || b->oom) {
        sch_buf_free(b);
        return NULL;
    }
    return b->p;
}

/* $v[N] for a whole number N from 1 to 999999999: the N-th node of v. */
static char *cheap_items(const char *src)
{
    sch_tok *t = NULL;
    long n = sch_xp_lex(src, &t);
    if (n < 0)
        return NULL;
    sch_buf b = {0};
    size_t done = 0;
    int changed = 0;
    for (long i = 0; i + 3 < n; i++) {
        if (t[i].kind != TK_VAR || t[i + 1].kind != TK_LB || t[i + 2].kind != TK_NUM ||
            t[i + 3].kind != TK_RB)
            continue;
        const char *num = src + t[i + 2].start;
        size_t nl = t[i + 2].len;
        int whole = nl > 0 && nl < 10 && num[0] != '0';
        for (size_t k = 0; k < nl && whole; k++)
            whole = num[k] >= '0' && num[k] <= '9';
        const char *v = src + t[i].start + 1;
        size_t vl = t[i].len - 1;
        while (vl && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')) {
            v++;
            vl--;
        }
        if (!whole || !is_ncname_text(v, vl))
            continue;
        sch_buf_add(&b, src + done, t[i].start - done);
        sch_buf_adds(&b, "$" SCH_CHEAP_PREFIX "item:");
        sch_buf_add(&b, v, vl);
        sch_buf_adds(&b, ".");
        sch_buf_add(&b, num, nl);
        sch_buf_adds(&b, " "); /* $v[3]-1: the name must not run on into "-1" */
        done = t[i + 3].start + t[i + 3].len;
        changed = 1;
        i += 3;
    }
    free(t);
    return finish(&b, src, done, changed);
}

static char *cheap_fn_refs(const char *src);

char *sch_cheap_var_refs(const char *src)
{
    /* each rewrite needs a variable and its bracket: no lexing without them */
    if (strchr(src, '$') == NULL)
        return NULL;
    char *items = strchr(src, '[') != NULL ? cheap_items(src) : NULL;
    char *out = strchr(src, '(') != NULL ? cheap_fn_refs(items ? items : src) : NULL;
    if (out == NULL)
        return items;
    free(items);
    return out;
}

static char *cheap_fn_refs(const char *src)
{
    sch_tok *t = NULL;
    long n = sch_xp_lex(src, &t);
    if (n < 0)
        return NULL;
    sch_buf b = {0};
    size_t done = 0; /* bytes of src already copied to b */
    int changed = 0;
    for (long i = 0; i + 3 < n; i++) {
        if (t[i].kind != TK_NAME || t[i + 1].kind != TK_LP || t[i + 2].kind != TK_VAR ||
            t[i + 3].kind != TK_RP)
            continue;
        if (i > 0 && (t[i - 1].kind == TK_AXIS || t[i - 1].kind == TK_AT ||
                      (t[i - 1].kind == TK_OP && src[t[i - 1].start] == '/')))
            continue;
        const char *fn = NULL;
        for (size_t k = 0; k + 1 < sizeof cheap_fns / sizeof cheap_fns[0]; k++)
            if (t[i].len == strlen(cheap_fns[k]) &&
                memcmp(src + t[i].start, cheap_fns[k], t[i].len) == 0)
                fn = cheap_fns[k];
        const char *v = src + t[i + 2].start + 1;
        size_t vl = t[i + 2].len - 1;
        while (vl && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')) {
            v++;
            vl--;
        }
        if (fn == NULL || !is_ncname_text(v, vl)) /* a prefixed name is left alone */
            continue;
        sch_buf_add(&b, src + done, t[i].start - done);
        sch_buf_adds(&b, "$" SCH_CHEAP_PREFIX);
        sch_buf_adds(&b, fn);
        sch_buf_adds(&b, ":");
        sch_buf_add(&b, v, vl);
        sch_buf_adds(&b, " "); /* count($v)-1: the name must not run on into "-1" */
        done = t[i + 3].start + t[i + 3].len;
        changed = 1;
        i += 3;
    }
    free(t);
    return finish(&b, src, done, changed);
}
