/*
 * compile.c — turns the parsed, expanded model into a runnable pack: phase
 * choice, variable scoping, static checks and one compilation of every XPath.
 *
 * Place: last step of sd_sch_compile_*; eval.c only reads what is built here.
 *
 * Variables.  The conformance suite contradicts itself on pattern variables
 * (let-scope-pattern-01 wants a pattern let to shadow a schema let of the same
 * name; let-name-collision-error-05 wants exactly that to be an error).  We
 * follow ISO 19757-3 5.4.5 ("an error for a variable to be multiply defined in
 * the current schema, phase, pattern and rule") with two allowances the suite
 * and real packs need: a let of the active phase may redefine a schema let
 * (phase settings override defaults: let-scope-phase-01), and a pattern let is
 * also visible from other patterns when its name is defined by one pattern only
 * (let-pattern-global-01).  Resolution order: rule lets (earlier siblings),
 * own pattern, active phase, schema, the unique other pattern.  Every $name in
 * every expression is resolved here, so an undefined or ambiguous reference
 * is a rule-pack error at its .sch line, and the evaluation order of the
 * global lets is a topological order of their references (cycles are errors).
 *
 * Threads.  libxml2 2.9.14 writes into a compiled expression while evaluating
 * it: XPATH_OP_FUNCTION caches the looked-up function and the namespace URI
 * string of the calling context in the step (xpath.c, xmlXPathCompOpEval,
 * `op->cache = func; op->cacheURI = URI`).  Sharing one xmlXPathCompExpr
 * between threads is therefore a data race (and cacheURI can point into a
 * freed context).  So the pack keeps the expression *texts* once, checked
 * here, and hands each concurrent run its own compiled set from a small
 * mutex-guarded pool (sch_inst_get/put): compilation happens once per thread
 * that ever runs the pack at the same time, never per document.
 *
 * When.  A user's pack is compiled whole when it loads (the first set, which
 * joins the pool), so bad XPath or a bad literal pattern is an error naming
 * its .sch line before any document is read.  A trusted pack (the embedded
 * ones, checked whole by make check's test_embedded) skips those checks: a
 * set compiles each expression at its first use (sch_inst_expr), so one small
 * document pays only for the expressions it meets.
 *
 * Lets computed once.  After the rules compile, let_memo reads each rule let's
 * value (the lexer's tokens, conservatively: anything not understood keeps
 * the per-node evaluation) for what eval.c may reuse: a value that cannot
 * depend on the rule's node (absolute paths, literals, sdl:param, invariant
 * variables), one of the same text as another let's without variables, one
 * of a few plain shapes, and one that is a function of its variables alone.
 *
 * Left out: XSLT functions other than current() (key, document, format-number
 * ...): unknown functions are errors.  Cost: linear in the pack's size plus one
 * xmlXPathCompile per expression and set (per expression used, trusted).
 */
#include "sch/sch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

/* ---- expressions ----------------------------------------------------- */

int sch_expr_add(sd_sch_pack *pack, const char *src, const char *file, long line)
{
    if (pack->nexprs == pack->capexprs) {
        size_t cap = pack->capexprs ? pack->capexprs * 2 : 64;
        sch_expr *e = sch_alloc(&pack->arena, cap * sizeof *e);
        if (e == NULL)
            return -1;
        if (pack->nexprs)
            memcpy(e, pack->exprs, pack->nexprs * sizeof *e);
        pack->exprs = e;
        pack->capexprs = cap;
    }
    sch_expr *e = &pack->exprs[pack->nexprs];
    e->src = sch_strdup(&pack->arena, src);
    if (e->src == NULL)
        return -1;
    e->file = file;
    e->line = line;
    return (int)pack->nexprs++;
}

const char *sch_ns_lookup(const sd_sch_pack *pack, const char *prefix)
{
    for (size_t i = 0; i < pack->ns_prefix.n; i++)
        if (strcmp(pack->ns_prefix.v[i], prefix) == 0)
            return pack->ns_uri.v[i];
    if (strcmp(prefix, "xml") == 0)
        return "http://www.w3.org/XML/1998/namespace";
    return NULL;
}

typedef struct cerr {
    char msg[512];
    int pos;
    int set;
} cerr;

static void xpath_error(void *data, xmlErrorPtr e)
{
    cerr *c = data;
    if (c == NULL || c->set || e == NULL)
        return;
    snprintf(c->msg, sizeof c->msg, "%s", e->message ? e->message : sch_xpath_error_text(e->code));
    sch_normalize_space(c->msg);
    c->pos = e->int1;
    c->set = 1;
}

static xmlXPathContextPtr new_compile_ctx(const sd_sch_pack *pack, cerr *ce)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(NULL);
    if (ctx == NULL)
        return NULL;
    ctx->error = xpath_error;
    ctx->userData = ce;
    for (size_t i = 0; i < pack->ns_prefix.n; i++)
        xmlXPathRegisterNs(ctx, (const xmlChar *)pack->ns_prefix.v[i],
                           (const xmlChar *)pack->ns_uri.v[i]);
    return ctx;
}

static void inst_free(const sd_sch_pack *pack, sch_inst *in)
{
    if (in == NULL)
        return;
    if (in->state_free != NULL)
        in->state_free(in->state);
    if (in->comp != NULL) {
        for (size_t i = 0; i < pack->nexprs; i++)
            if (in->comp[i] != NULL)
                xmlXPathFreeCompExpr(in->comp[i]);
        free(in->comp);
    }
    if (in->cctx != NULL)
        xmlXPathFreeContext(in->cctx);
    free(in);
}

/* Compiles expression i with ctx (whose error data is ce): the cheaper text
 * of sch_compile_text when there is one and it compiles, else the source.
 * NULL with err set when the source does not compile. */
static xmlXPathCompExprPtr compile_one(const sd_sch_pack *pack, xmlXPathContextPtr ctx, cerr *ce,
                                       size_t i, sd_error *err, sd_status *st)
{
    const sch_expr *e = &pack->exprs[i];
    if (pack->trusted) { /* checked when built: the cheaper text first, alone */
        char *text = sch_compile_text(pack, i);
        xmlXPathCompExprPtr alt = text ? xmlXPathCtxtCompile(ctx, (const xmlChar *)text) : NULL;
        free(text);
        if (alt != NULL)
            return alt;
    }
    ce->set = 0;
    xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)e->src);
    char *text = comp != NULL && !pack->trusted ? sch_compile_text(pack, i) : NULL;
    xmlXPathCompExprPtr alt = text ? xmlXPathCtxtCompile(ctx, (const xmlChar *)text) : NULL;
    free(text);
    if (alt != NULL) { /* linear rule contexts and let references (eval.c) */
        xmlXPathFreeCompExpr(comp);
        comp = alt;
    }
    if (comp == NULL)
        *st = sd_error_set(err, SD_ERULES, e->file, e->line,
                           "bad XPath \"%s\": %s (at character %d)", e->src,
                           ce->set ? ce->msg : "cannot be compiled", ce->set ? ce->pos + 1 : 0);
    return comp;
}

/* A set for the pack; eager: every expression compiled now (a user's pack:
 * bad XPath is an error at load, naming its line), else at first use. */
static sch_inst *inst_new(const sd_sch_pack *pack, int eager, sd_error *err)
{
    sch_inst *in = calloc(1, sizeof *in);
    if (in != NULL)
        in->comp = calloc(pack->nexprs + 1, sizeof *in->comp);
    if (in == NULL || in->comp == NULL) {
        inst_free(pack, in);
        sd_error_set(err, SD_ENOMEM, pack->path, 0, "out of memory compiling the rule pack");
        return NULL;
    }
    if (!eager)
        return in;
    cerr ce = {{0}, 0, 0};
    xmlXPathContextPtr ctx = new_compile_ctx(pack, &ce);
    if (ctx == NULL) {
        inst_free(pack, in);
        sd_error_set(err, SD_ENOMEM, pack->path, 0, "out of memory compiling the rule pack");
        return NULL;
    }
    for (size_t i = 0; i < pack->nexprs; i++) {
        sd_status st = SD_OK;
        in->comp[i] = compile_one(pack, ctx, &ce, i, err, &st);
        if (in->comp[i] == NULL) {
            xmlXPathFreeContext(ctx);
            inst_free(pack, in);
            return NULL;
        }
    }
    xmlXPathFreeContext(ctx);
    return in;
}

xmlXPathCompExprPtr sch_inst_expr(const sd_sch_pack *pack, sch_inst *in, int i, sd_error *err,
                                  sd_status *st)
{
    if (in->comp[i] != NULL)
        return in->comp[i];
    /* the error data lives in the inst's context only while it compiles */
    cerr ce = {{0}, 0, 0};
    if (in->cctx == NULL && (in->cctx = new_compile_ctx(pack, NULL)) == NULL) {
        *st = sd_error_set(err, SD_ENOMEM, pack->path, 0, "out of memory compiling the rule pack");
        return NULL;
    }
    in->cctx->userData = &ce;
    in->comp[i] = compile_one(pack, in->cctx, &ce, (size_t)i, err, st);
    in->cctx->userData = NULL;
    return in->comp[i];
}

sch_inst *sch_inst_get(const sd_sch_pack *cpack, sd_error *err)
{
    /* The pool is the one mutable part of a compiled pack; the mutex makes
     * taking and returning sets safe from several threads. */
    sd_sch_pack *pack = (sd_sch_pack *)cpack;
    pthread_mutex_lock(&pack->pool_mu);
    sch_inst *in = pack->pool;
    if (in != NULL)
        pack->pool = in->next;
    pthread_mutex_unlock(&pack->pool_mu);
    if (in != NULL)
        return in;
    return inst_new(pack, 0, err);
}

void sch_inst_put(const sd_sch_pack *cpack, sch_inst *in)
{
    sd_sch_pack *pack = (sd_sch_pack *)cpack;
    if (in == NULL)
        return;
    pthread_mutex_lock(&pack->pool_mu);
    in->next = pack->pool;
    pack->pool = in;
    pthread_mutex_unlock(&pack->pool_mu);
}

/* ---- static checks --------------------------------------------------- */

typedef struct scope {
    sch_let **rule_lets; /* visible rule lets */
    size_t nrule;
    const sch_pattern *pat;
    int lenient; /* diagnostics/properties: variables resolved at run time */
    sch_let *global; /* the global let whose value is checked (collects deps) */
} scope;

typedef struct comp {
    sd_sch_pack *pack;
    sd_error *err;
    sd_status st;
} comp;

static int cfail(comp *c, const char *file, long line, const char *fmt, const char *a,
                 const char *b2)
{
    if (c->st == SD_OK) {
        char m[900];
        snprintf(m, sizeof m, fmt, a ? a : "", b2 ? b2 : "");
        c->st = sd_error_set(c->err, SD_ERULES, file, line, "%s", m);
    }
    return -1;
}

static int coom(comp *c)
{
    if (c->st == SD_OK)
        c->st = sd_error_set(c->err, SD_ENOMEM, c->pack->path, 0, "out of memory");
    return -1;
}

static sch_let *find_in(sch_let **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->name, name) == 0)
            return v[i];
    return NULL;
}

static sch_let *find_vec(const sch_vec *v, const char *name)
{
    return find_in((sch_let **)v->v, v->n, name);
}

/* Resolves $name; sets *ambiguous when several other patterns define it. */
static sch_let *resolve(comp *c, const scope *sc, const char *name, int *ambiguous)
{
    sd_sch_pack *pk = c->pack;
    sch_let *l;
    *ambiguous = 0;
    if ((l = find_in(sc->rule_lets, sc->nrule, name)) != NULL)
        return l;
    if (sc->pat != NULL && (l = find_vec(&sc->pat->lets, name)) != NULL)
        return l;
    if (pk->phase_p != NULL && (l = find_vec(&pk->phase_p->lets, name)) != NULL)
        return l;
    if ((l = find_vec(&pk->schema_lets, name)) != NULL)
        return l;
    sch_let *found = NULL;
    for (size_t i = 0; i < pk->nconcrete; i++) {
        if (pk->concrete[i] == sc->pat)
            continue;
        sch_let *m = find_vec(&pk->concrete[i]->lets, name);
        if (m != NULL) {
            if (found != NULL)
                *ambiguous = 1;
            found = m;
        }
    }
    return found;
}

static const char *const core_fns[] = {
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
    "concat", "starts-with", "contains", "substring-before", "substring-after",
    "substring", "string-length", "normalize-space", "translate", "boolean", "not",
    "true", "false", "lang", "number", "sum", "floor", "ceiling", "round",
    "current", NULL};
static const char *const node_type_tests[] = {"node", "text", "comment", "processing-instruction",
                                         NULL};
static const char *const our_fns[] = {"matches", "replace", "tokenize", "param", NULL};

static int in_list(const char *const *l, const char *s, size_t n)
{
    for (; *l; l++)
        if (strlen(*l) == n && strncmp(*l, s, n) == 0)
            return 1;
    return 0;
}

/* The text of a string-literal token without its quotes, or NULL. */
static char *literal(const char *src, const sch_tok *t)
{
    if (t->kind != TK_STR || t->len < 2)
        return NULL;
    char *s = malloc(t->len - 1);
    if (s == NULL)
        return NULL;
    memcpy(s, src + t->start + 1, t->len - 2);
    s[t->len - 2] = '\0';
    return s;
}

/* Arguments of the call whose '(' is at index lp: fills arg[i] with the
 * literal token of argument i when that argument is one literal, else NULL. */
static int call_args(const char *src, const sch_tok *t, long n, long lp, char **arg, int max)
{
    int nargs = 0, depth = 0;
    long start = lp + 1;
    for (int i = 0; i < max; i++)
        arg[i] = NULL;
    for (long i = lp + 1; i < n; i++) {
        int k = t[i].kind;
        if (k == TK_LP || k == TK_LB) {
            depth++;
        } else if ((k == TK_RP || k == TK_RB) && depth > 0) {
            depth--;
        } else if ((k == TK_COMMA && depth == 0) || (k == TK_RP && depth == 0) || k == TK_EOF) {
            if (i > start || k == TK_COMMA) {
                if (nargs < max && i == start + 1)
                    arg[nargs] = literal(src, &t[start]);
                nargs++;
            }
            if (k != TK_COMMA)
                break;
            start = i + 1;
        }
    }
    return nargs;
}

static int check_call(comp *c, const char *src, const sch_tok *t, long n, long i,
                      const char *file, long line)
{
    const char *name = src + t[i].start;
    size_t len = t[i].len;
    const char *colon = memchr(name, ':', len);
    if (colon == NULL) {
        if (in_list(node_type_tests, name, len))
            return 0;
        if (!in_list(core_fns, name, len)) {
            char fn[128];
            snprintf(fn, sizeof fn, "%.*s", (int)(len < 100 ? len : 100), name);
            return cfail(c, file, line,
                         "unknown function %s() (XPath 1.0 functions, current() and " SD_SCH_FN_NS
                         " functions only)%s",
                         fn, "");
        }
        return 0;
    }
    char prefix[128], local[128];
    snprintf(prefix, sizeof prefix, "%.*s", (int)((size_t)(colon - name) < 100 ? colon - name : 100), name);
    size_t ll = len - (size_t)(colon - name) - 1;
    snprintf(local, sizeof local, "%.*s", (int)(ll < 100 ? ll : 100), colon + 1);
    const char *uri = sch_ns_lookup(c->pack, prefix);
    if (uri == NULL)
        return cfail(c, file, line, "undeclared namespace prefix \"%s\" (declare it with <sch:ns>)",
                     prefix, NULL);
    if (strcmp(uri, SD_SCH_FN_NS) != 0 || !in_list(our_fns, local, strlen(local)))
        return cfail(c, file, line, "unknown function %s:%s()", prefix, local);
    char *arg[4];
    int nargs = call_args(src, t, n, i + 1, arg, 4);
    int rc = 0;
    if (strcmp(local, "param") == 0) {
        if (nargs != 1)
            rc = cfail(c, file, line, "%s:param() takes one argument, the parameter name", prefix, NULL);
        else if (arg[0] != NULL && sch_param_find(c->pack, arg[0]) == NULL)
            rc = cfail(c, file, line, "undeclared parameter \"%s\" (declare it with <sdl:param>)",
                       arg[0], NULL);
    } else {
        int is_replace = strcmp(local, "replace") == 0;
        int minargs = is_replace ? 3 : 2, maxargs = is_replace ? 4 : 3;
        if (nargs < minargs || nargs > maxargs) {
            rc = cfail(c, file, line, "wrong number of arguments to %s:%s()", prefix, local);
        } else if (arg[1] != NULL) {
            const char *flags = "";
            int have_flags = nargs == maxargs;
            if (have_flags)
                flags = arg[maxargs - 1];
            if ((!have_flags || flags != NULL) && !c->pack->trusted) {
                sd_status st = sch_regex_literal(arg[1], flags ? flags : "", file, line, c->err);
                if (st != SD_OK) {
                    c->st = st;
                    rc = -1;
                }
            }
        }
    }
    for (int k = 0; k < 4; k++)
        free(arg[k]);
    return rc;
}

/* Lexes src and checks variables, functions and prefixes against scope.  A
 * trusted pack was checked when it was built: only a global let's value is
 * read, for the order of evaluation its references give. */
static int check_expr(comp *c, const char *src, const scope *sc, const char *file, long line)
{
    if (c->pack->trusted && sc->global == NULL)
        return 0;
    sch_tok *t = NULL;
    long n = sch_xp_lex(src, &t);
    if (n < 0)
        return coom(c);
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++) {
        if (t[i].kind == TK_VAR) {
            const char *v = src + t[i].start + 1;
            size_t len = t[i].len - 1;
            while (len && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')) {
                v++;
                len--;
            }
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(len < 250 ? len : 250), v);
            if (sc->lenient)
                continue;
            int amb = 0;
            sch_let *l = resolve(c, sc, name, &amb);
            if (l == NULL)
                rc = cfail(c, file, line, "undefined variable $%s", name, NULL);
            else if (amb)
                rc = cfail(c, file, line,
                           "variable $%s is defined by several patterns; which one is meant is ambiguous",
                           name, NULL);
            else if (sc->global != NULL && l->owner != -1000 &&
                     sch_vec_push(&c->pack->arena, &sc->global->deps, l) < 0)
                rc = coom(c);
        } else if (t[i].kind == TK_NAME) {
            int call = t[i + 1].kind == TK_LP;
            int axis = t[i + 1].kind == TK_AXIS;
            if (call) {
                rc = check_call(c, src, t, n, i, file, line);
            } else if (!axis) {
                const char *nm = src + t[i].start;
                const char *colon = memchr(nm, ':', t[i].len);
                if (colon != NULL) {
                    char prefix[128];
                    size_t pl = (size_t)(colon - nm);
                    snprintf(prefix, sizeof prefix, "%.*s", (int)(pl < 100 ? pl : 100), nm);
                    if (sch_ns_lookup(c->pack, prefix) == NULL)
                        rc = cfail(c, file, line,
                                   "undeclared namespace prefix \"%s\" (declare it with <sch:ns>)",
                                   prefix, NULL);
                }
            }
        }
    }
    free(t);
    return rc;
}

/* Checks and registers one expression; returns its index or -1. */
static int add_expr(comp *c, const char *src, const scope *sc, const char *file, long line)
{
    if (check_expr(c, src, sc, file, line) < 0)
        return -1;
    int i = sch_expr_add(c->pack, src, file, line);
    if (i < 0)
        coom(c);
    return i;
}

static int add_msg(comp *c, sch_msg *m, const scope *sc)
{
    for (size_t i = 0; i < m->n; i++) {
        sch_seg *g = &m->seg[i];
        if (g->kind == SEG_TEXT || g->text == NULL || g->expr >= 0)
            continue;
        g->expr = add_expr(c, g->text, sc, g->file, g->line);
        if (g->expr < 0)
            return -1;
    }
    return 0;
}

/* Element-content lets have no expression; the value is built at run time. */
static int add_let(comp *c, sch_let *l, const scope *sc)
{
    if (l->value == NULL || l->expr >= 0)
        return 0;
    l->expr = add_expr(c, l->value, sc, l->file, l->line);
    return l->expr < 0 ? -1 : 0;
}

/* ---- lets: collisions and evaluation order --------------------------- */

static int dup_check(comp *c, const sch_vec *v, const char *where)
{
    for (size_t i = 0; i < v->n; i++) {
        sch_let *a = v->v[i];
        for (size_t j = 0; j < i; j++) {
            sch_let *b = v->v[j];
            if (strcmp(a->name, b->name) == 0)
                return cfail(c, a->file, a->line, "variable $%s is defined twice in the same %s",
                             a->name, where);
        }
    }
    return 0;
}

static int topo(comp *c, sch_let *l, sch_vec *order)
{
    if (l->state == 2)
        return 0;
    if (l->state == 1)
        return cfail(c, l->file, l->line, "variable $%s depends on itself", l->name, NULL);
    l->state = 1;
    for (size_t i = 0; i < l->deps.n; i++)
        if (topo(c, l->deps.v[i], order) < 0)
            return -1;
    l->state = 2;
    l->slot = (int)order->n;
    return sch_vec_push(&c->pack->arena, order, l) < 0 ? coom(c) : 0;
}

static int cmp_let_name(const void *a, const void *b)
{
    const sch_let *x = *(sch_let *const *)a, *y = *(sch_let *const *)b;
    return strcmp(x->name, y->name);
}

static int setup_lets(comp *c)
{
    sd_sch_pack *pk = c->pack;
    if (dup_check(c, &pk->schema_lets, "schema") < 0)
        return -1;
    for (size_t i = 0; i < pk->phases.n; i++)
        if (dup_check(c, &((sch_phase *)pk->phases.v[i])->lets, "phase") < 0)
            return -1;
    for (size_t i = 0; i < pk->nconcrete; i++) {
        sch_pattern *p = pk->concrete[i];
        if (dup_check(c, &p->lets, "pattern") < 0)
            return -1;
        for (size_t j = 0; j < p->lets.n; j++) {
            sch_let *l = p->lets.v[j];
            l->owner = p->index;
            sch_let *o = find_vec(&pk->schema_lets, l->name);
            if (o == NULL && pk->phase_p)
                o = find_vec(&pk->phase_p->lets, l->name);
            if (o != NULL)
                return cfail(c, l->file, l->line,
                             "variable $%s is already defined globally (schema or phase let)",
                             l->name, NULL);
        }
        for (size_t j = 0; j < p->rules.n; j++) {
            sch_rule *r = p->rules.v[j];
            if (r->abstract)
                continue;
            for (size_t k = 0; k < r->nlets; k++) {
                sch_let *l = r->lets[k];
                if (find_in(r->lets, k, l->name) != NULL)
                    return cfail(c, l->file, l->line, "variable $%s is defined twice in the same rule",
                                 l->name, NULL);
                if (find_vec(&p->lets, l->name) || find_vec(&pk->schema_lets, l->name) ||
                    (pk->phase_p && find_vec(&pk->phase_p->lets, l->name)))
                    return cfail(c, l->file, l->line,
                                 "variable $%s is already defined in the pattern, phase or schema",
                                 l->name, NULL);
            }
        }
    }
    /* check the values of the global lets and collect their dependencies */
    sch_vec all = {0};
    for (size_t i = 0; i < pk->schema_lets.n; i++) {
        sch_let *l = pk->schema_lets.v[i];
        if (pk->phase_p && find_vec(&pk->phase_p->lets, l->name))
            continue; /* redefined by the active phase */
        if (sch_vec_push(&pk->arena, &all, l) < 0)
            return coom(c);
    }
    if (pk->phase_p)
        for (size_t i = 0; i < pk->phase_p->lets.n; i++)
            if (sch_vec_push(&pk->arena, &all, pk->phase_p->lets.v[i]) < 0)
                return coom(c);
    for (size_t i = 0; i < pk->nconcrete; i++)
        for (size_t j = 0; j < pk->concrete[i]->lets.n; j++)
            if (sch_vec_push(&pk->arena, &all, pk->concrete[i]->lets.v[j]) < 0)
                return coom(c);
    for (size_t i = 0; i < all.n; i++) {
        sch_let *l = all.v[i];
        scope sc = {NULL, 0, NULL, 0, l};
        if (l->owner >= 0)
            sc.pat = pk->patterns.v[l->owner];
        if (add_let(c, l, &sc) < 0)
            return -1;
    }
    sch_vec order = {0};
    for (size_t i = 0; i < all.n; i++)
        if (topo(c, all.v[i], &order) < 0)
            return -1;
    pk->globals = (sch_let **)order.v;
    pk->nglobals = order.n;
    /* the names visible everywhere: phase, schema, unique pattern lets */
    sch_vec vis = {0};
    for (size_t i = 0; i < all.n; i++) {
        sch_let *l = all.v[i];
        if (l->owner >= 0) {
            int amb = 0;
            scope sc = {NULL, 0, NULL, 0, NULL};
            sch_let *r = resolve(c, &sc, l->name, &amb);
            if (amb || r != l)
                continue;
        }
        if (sch_vec_push(&pk->arena, &vis, l) < 0)
            return coom(c);
    }
    if (vis.n)
        qsort(vis.v, vis.n, sizeof *vis.v, cmp_let_name);
    pk->gmap = (sch_let **)vis.v;
    pk->ngmap = vis.n;
    return 0;
}

/* ---- patterns -------------------------------------------------------- */

static sch_diag *find_diag(const sch_vec *v, const char *id, size_t n)
{
    for (size_t i = 0; i < v->n; i++) {
        sch_diag *d = v->v[i];
        if (strlen(d->id) == n && strncmp(d->id, id, n) == 0)
            return d;
    }
    return NULL;
}

static int link_ids(comp *c, sch_assert *a, const char *ids, const sch_vec *from,
                    sch_diag ***out, size_t *nout, const char *what)
{
    if (ids == NULL || *out != NULL)
        return 0;
    size_t cap = 1;
    for (const char *p = ids; *p; p++)
        if (*p == ' ')
            cap++;
    *out = sch_alloc(&c->pack->arena, cap * sizeof **out);
    if (*out == NULL)
        return coom(c);
    const char *p = ids;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
            e++;
        if (e > p) {
            sch_diag *d = find_diag(from, p, (size_t)(e - p));
            if (d == NULL) {
                char id[200];
                snprintf(id, sizeof id, "%.*s", (int)((e - p) < 190 ? (e - p) : 190), p);
                return cfail(c, a->file, a->line, "no %s with id \"%s\"", what, id);
            }
            if (*nout < cap)
                (*out)[(*nout)++] = d;
        }
        p = e;
    }
    return 0;
}

static int path_byte(unsigned char ch, int first)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80 ||
           (!first && ((ch >= '0' && ch <= '9') || ch == '-' || ch == '.'));
}

static int xml_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* One step "name" or "prefix:name" in s[0..n) (spaces around it allowed):
 * 1 and *st filled, 0 when it is anything else. */
static int path_step(comp *c, const char *s, size_t n, sch_step *st)
{
    while (n && xml_space(*s)) {
        s++;
        n--;
    }
    while (n && xml_space(s[n - 1]))
        n--;
    const char *colon = memchr(s, ':', n);
    size_t pl = colon ? (size_t)(colon - s) : 0;
    const char *local = colon ? colon + 1 : s;
    size_t ll = n - (colon ? pl + 1 : 0);
    if (ll == 0 || (colon && pl == 0))
        return 0;
    for (size_t i = 0; i < pl; i++)
        if (!path_byte((unsigned char)s[i], i == 0))
            return 0;
    for (size_t i = 0; i < ll; i++)
        if (!path_byte((unsigned char)local[i], i == 0))
            return 0;
    st->uri = NULL;
    if (colon) {
        char prefix[128];
        if (pl >= sizeof prefix)
            return 0;
        memcpy(prefix, s, pl);
        prefix[pl] = '\0';
        st->uri = sch_ns_lookup(c->pack, prefix);
        if (st->uri == NULL)
            return 0;
    }
    st->local = sch_strndup(&c->pack->arena, local, ll);
    return st->local != NULL ? 1 : -1;
}

/* Fills r->paths when the context is a union of plain paths of element
 * names, each relative (a/b:c) or from the root (/a/b:c): no predicate,
 * axis, wildcard, function, "//", "." or "..".  Such a context selects
 * exactly the elements the tree's structure names, which eval.c finds
 * without XPath.  Returns 0 (also when the context is not such a path) or
 * -1 on OOM. */
static int same_path(const sch_path *a, const sch_path *b)
{
    if (a->n != b->n || a->absolute != b->absolute)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const sch_step *x = &a->step[i], *y = &b->step[i];
        if (strcmp(x->local, y->local) != 0 || (x->uri == NULL) != (y->uri == NULL) ||
            (x->uri != NULL && strcmp(x->uri, y->uri) != 0))
            return 0;
    }
    return 1;
}

static int rule_paths(comp *c, sch_rule *r)
{
    const char *ctx = r->context;
    size_t nb = 1;
    for (const char *q = ctx; *q; q++) {
        unsigned char ch = (unsigned char)*q;
        if (ch == '|')
            nb++;
        else if (!path_byte(ch, 0) && ch != ':' && ch != '/' && !xml_space(*q))
            return 0;
    }
    sch_path *paths = sch_alloc(&c->pack->arena, nb * sizeof *paths);
    if (paths == NULL)
        return coom(c);
    const char *b = ctx;
    for (size_t k = 0; k < nb; k++) {
        const char *e = strchr(b, '|');
        if (e == NULL)
            e = b + strlen(b);
        while (b < e && xml_space(*b))
            b++;
        sch_path *pa = &paths[k];
        pa->absolute = b < e && *b == '/';
        if (pa->absolute)
            b++;
        size_t ns = 1;
        for (const char *q = b; q < e; q++)
            ns += *q == '/';
        pa->step = sch_alloc(&c->pack->arena, ns * sizeof *pa->step);
        if (pa->step == NULL)
            return coom(c);
        for (const char *q = b; pa->n < ns; pa->n++) {
            const char *slash = memchr(q, '/', (size_t)(e - q));
            const char *end = slash ? slash : e;
            int ok = path_step(c, q, (size_t)(end - q), &pa->step[pa->n]);
            if (ok < 0)
                return coom(c);
            if (ok == 0)
                return 0; /* "//", an empty step, a bad name: XPath then */
            q = end + 1;
        }
        b = *e ? e + 1 : e;
    }
    for (size_t k = 0; k < nb; k++) { /* rules of one context share its selection */
        sch_path *pa = &paths[k];
        pa->canon = -1;
        for (size_t j = 0; j < c->pack->canon_paths.n && pa->canon < 0; j++)
            if (same_path(pa, c->pack->canon_paths.v[j]))
                pa->canon = (int)j;
        if (pa->canon < 0) {
            pa->canon = (int)c->pack->canon_paths.n;
            if (sch_vec_push(&c->pack->arena, &c->pack->canon_paths, pa) < 0)
                return coom(c);
        }
    }
    r->paths = paths;
    r->npaths = nb;
    return 0;
}

/* ---- lets computed once ----------------------------------------------- */

/* Functions of XPath 1.0 that read the context node when called without an
 * argument, and those that always read the context (position, size, node). */
static const char *const implicit_fns[] = {"string", "normalize-space", "number",
                                           "string-length", "name", "local-name",
                                           "namespace-uri", NULL};
static const char *const context_fns[] = {"position", "last", "lang", "id", "current", NULL};
/* Side-effect-free functions of every argument (core XPath 1.0 and ours but
 * tokenize, whose nodes are new on each call). */
static const char *const pure_fns[] = {
    "string", "concat", "starts-with", "contains", "substring-before", "substring-after",
    "substring", "string-length", "normalize-space", "translate", "boolean", "not", "true",
    "false", "number", "sum", "floor", "ceiling", "round", "count", "name", "local-name",
    "namespace-uri", NULL};

static int tok_is(const char *src, const sch_tok *t, const char *w)
{
    return strlen(w) == t->len && strncmp(src + t->start, w, t->len) == 0;
}

static int tok_in(const char *src, const sch_tok *t, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (tok_is(src, t, list[i]))
            return 1;
    return 0;
}

/* Reads rule let k of r (scope: the lets before it, the pattern):
 * *inv when its value cannot depend on the rule's node (every path is
 * absolute or starts at an invariant variable, no function reads the
 * context, every variable is global or an invariant let before it), *novars
 * when it reads no variable; both 0 for anything not understood (then the
 * let is evaluated per node, as always).  Whether the value is pure: the
 * functions are those of pure_fns and sdl:matches/replace/param, whose
 * values depend on their arguments and the run's tier only. */
static int let_analyse(comp *c, const scope *sc, sch_let *l, int *inv, int *novars)
{
    *inv = *novars = 0;
    l->vmemo = -1;
    int vfree = 1, param = 0; /* no context at all: a function of the variables (and tier) */
    int safe = 1; /* and nothing that can fail on strings, numbers, booleans */
    static const char *const safe_fns[] = {
        "string", "concat", "starts-with", "contains", "substring-before", "substring-after",
        "substring", "string-length", "normalize-space", "translate", "boolean", "not", "true",
        "false", "number", "floor", "ceiling", "round", NULL};
    sch_vec deps = {0};
    if (l->value == NULL)
        return 0;
    sch_tok *t = NULL;
    long n = sch_xp_lex(l->value, &t);
    if (n < 0)
        return coom(c);
    const char *s = l->value;
    int ok_inv = 1, ok_pure = 1, vars = 0, pred = 0;
    for (long i = 0; i < n && (ok_inv || ok_pure); i++) {
        const sch_tok *k = &t[i];
        int prev = i > 0 ? t[i - 1].kind : TK_EOF;
        int after_slash = i > 0 && prev == TK_OP && s[t[i - 1].start] == '/';
        int step_ok = after_slash || prev == TK_AT || prev == TK_AXIS;
        if (k->kind == TK_LB || k->kind == TK_AT || k->kind == TK_DOT || k->kind == TK_AXIS ||
            k->kind == TK_OTHER ||
            (k->kind == TK_OP && (s[k->start] == '/' || s[k->start] == '|')) ||
            (k->kind == TK_NAME && !(t[i + 1].kind == TK_LP && tok_in(s, k, safe_fns))))
            safe = 0;
        switch (k->kind) {
        case TK_LB:
            pred++;
            break;
        case TK_RB:
            pred--;
            break;
        case TK_VAR: {
            vars = 1;
            const char *v = s + k->start + 1;
            size_t len = k->len - 1;
            while (len && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')) {
                v++;
                len--;
            }
            char name[256];
            if (len >= sizeof name) {
                ok_inv = 0;
                break;
            }
            memcpy(name, v, len);
            name[len] = '\0';
            int amb = 0;
            sch_let *r = resolve(c, sc, name, &amb);
            if (r == NULL || amb)
                ok_inv = vfree = 0;
            else if (find_in(sc->rule_lets, sc->nrule, name) == r && !r->inv)
                ok_inv = 0;
            if (r != NULL && !amb && sch_vec_push(&c->pack->arena, &deps, r) < 0) {
                free(t);
                return coom(c);
            }
            break;
        }
        case TK_NAME: {
            int call = t[i + 1].kind == TK_LP;
            if (call && !in_list(node_type_tests, s + k->start, k->len)) {
                const char *colon = memchr(s + k->start, ':', k->len);
                if (colon != NULL) {
                    char prefix[128];
                    size_t pl = (size_t)(colon - (s + k->start));
                    snprintf(prefix, sizeof prefix, "%.*s", (int)(pl < 100 ? pl : 100),
                             s + k->start);
                    const char *uri = sch_ns_lookup(c->pack, prefix);
                    sch_tok loc = {TK_NAME, (size_t)(colon + 1 - s), k->len - pl - 1};
                    static const char *const ours[] = {"matches", "replace", "param", NULL};
                    if (uri == NULL || strcmp(uri, SD_SCH_FN_NS) != 0 || !tok_in(s, &loc, ours))
                        ok_inv = ok_pure = 0;
                    else if (tok_is(s, &loc, "param"))
                        param = 1;
                    break;
                }
                if (tok_in(s, k, context_fns) ||
                    (t[i + 2].kind == TK_RP && tok_in(s, k, implicit_fns)))
                    ok_inv = vfree = 0;
                if (!tok_in(s, k, pure_fns) && !tok_is(s, k, "current") &&
                    !tok_is(s, k, "position") && !tok_is(s, k, "last") && !tok_is(s, k, "lang"))
                    ok_pure = 0;
                break;
            }
            /* a step: fine inside a predicate or continuing a path */
            if (pred == 0 && !step_ok)
                ok_inv = vfree = 0;
            break;
        }
        case TK_AT:
        case TK_DOT:
            if (pred == 0 && !step_ok)
                ok_inv = vfree = 0;
            break;
        case TK_OP: /* a path from the root reads the document */
            if (s[k->start] == '/' && (i == 0 || !(prev == TK_VAR || prev == TK_RP ||
                                                   prev == TK_RB || prev == TK_NAME ||
                                                   prev == TK_DOT)))
                vfree = 0;
            break;
        case TK_OTHER:
            ok_inv = ok_pure = vfree = 0;
            break;
        default:
            break;
        }
    }
    free(t);
    *inv = ok_inv && ok_pure;
    *novars = !vars && ok_pure;
    l->vmemo = -1;
    if (vfree && ok_pure && vars && pred == 0) {
        l->vdep = sch_alloc(&c->pack->arena, deps.n * sizeof *l->vdep);
        if (l->vdep == NULL)
            return coom(c);
        l->nvdep = 0;
        for (size_t i = 0; i < deps.n; i++) {
            const sch_let *d = deps.v[i];
            int at = -1;
            for (size_t k2 = 0; k2 < sc->nrule && at < 0; k2++)
                if (sc->rule_lets[k2] == d)
                    at = (int)k2;
            l->vdep[l->nvdep++] = at >= 0 ? at : -1 - d->slot;
        }
        l->vparam = param;
        l->vsafe = safe;
        l->vmemo = (int)c->pack->nvmemo++;
    }
    return 0;
}

/* The shapes of let values eval.c computes without XPath (sch_let.shape),
 * the commonest in real packs: an attribute's or the node's string value,
 * normalised, without blanks, or as a number.  Text as written (blanks at
 * the ends aside); anything else is left to XPath. */
static int let_shape(comp *c, sch_let *l)
{
    static const struct {
        const char *pre, *post;
        int attr, dot;
    } forms[] = {
        {"string(@", ")", LET_SHAPE_STR_ATTR, LET_SHAPE_NONE},
        {"normalize-space(@", ")", LET_SHAPE_NORM_ATTR, LET_SHAPE_NONE},
        {"translate(normalize-space(@", "), ' ', '')", LET_SHAPE_NOSP_ATTR, LET_SHAPE_NONE},
        {"number(@", ")", LET_SHAPE_NUM_ATTR, LET_SHAPE_NONE},
        {"normalize-space(", ")", LET_SHAPE_NONE, LET_SHAPE_NORM_DOT},
        {"translate(normalize-space(", "), ' ', '')", LET_SHAPE_NONE, LET_SHAPE_NOSP_DOT},
    };
    l->shape = LET_SHAPE_NONE;
    if (l->value == NULL)
        return 0;
    const char *v = l->value;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
        n--;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        size_t a = strlen(forms[f].pre), b = strlen(forms[f].post);
        if (n <= a + b || strncmp(v, forms[f].pre, a) != 0 ||
            strncmp(v + n - b, forms[f].post, b) != 0)
            continue;
        const char *x = v + a;
        size_t xl = n - a - b;
        if (forms[f].dot != LET_SHAPE_NONE) {
            if (xl == 1 && x[0] == '.')
                l->shape = forms[f].dot;
            continue;
        }
        int ok = (x[0] >= 'a' && x[0] <= 'z') || (x[0] >= 'A' && x[0] <= 'Z') || x[0] == '_';
        for (size_t i = 1; ok && i < xl; i++)
            ok = (x[i] >= 'a' && x[i] <= 'z') || (x[i] >= 'A' && x[i] <= 'Z') ||
                 (x[i] >= '0' && x[i] <= '9') || x[i] == '_' || x[i] == '-' || x[i] == '.';
        if (!ok)
            continue;
        l->shape_attr = sch_strndup(&c->pack->arena, x, xl);
        if (l->shape_attr == NULL)
            return coom(c);
        l->shape = forms[f].attr;
        return 0;
    }
    return 0;
}

/* Memo classes (sch_let.memo) for every rule let of the compiled rules:
 * an invariant let gets one of its own; lets that read no variable share
 * one per text when the text occurs more than once (e.g. the same sum over
 * a unit's posts in two patterns: evaluated once per unit). */
static int let_memo(comp *c)
{
    sd_sch_pack *pk = c->pack;
    sch_vec plain = {0};
    for (size_t i = 0; i < pk->nconcrete; i++) {
        sch_pattern *p = pk->concrete[i];
        for (size_t j = 0; j < p->rules.n; j++) {
            sch_rule *r = p->rules.v[j];
            if (r->abstract)
                continue;
            scope sc = {r->lets, 0, p, 0, NULL};
            for (size_t k = 0; k < r->nlets; k++) {
                sch_let *l = r->lets[k];
                sc.nrule = k;
                int inv = 0, novars = 0;
                if (let_analyse(c, &sc, l, &inv, &novars) < 0 || let_shape(c, l) < 0)
                    return -1;
                if (l->seen) { /* in several rules: the same value only without variables */
                    if (!novars)
                        l->inv = 0, l->memo = -1;
                    l->vmemo = -1; /* its variables are other lets there */
                    continue;
                }
                l->seen = 1;
                l->inv = inv;
                l->memo = inv ? (int)pk->nmemo++ : -1;
                if (novars && sch_vec_push(&pk->arena, &plain, l) < 0)
                    return coom(c);
            }
        }
    }
    /* same text, no variables: one class (an invariant one keeps its own
     * unless another let of its text joins it) */
    for (size_t i = 0; i < plain.n; i++) {
        sch_let *a = plain.v[i];
        if (a->state == -7)
            continue;
        int cls = -1;
        for (size_t j = i + 1; j < plain.n; j++) {
            sch_let *b = plain.v[j];
            if (b != a && b->state != -7 && b->inv == a->inv &&
                strcmp(a->value, b->value) == 0) {
                if (cls < 0)
                    cls = a->memo >= 0 ? a->memo : (int)pk->nmemo++;
                a->memo = cls;
                b->memo = cls;
                b->state = -7; /* grouped */
            }
        }
    }
    for (size_t i = 0; i < plain.n; i++)
        ((sch_let *)plain.v[i])->state = 0;
    return 0;
}

static int compile_rule(comp *c, sch_pattern *p, sch_rule *r)
{
    scope sc = {NULL, 0, p, 0, NULL};
    char *sel = sch_xp_match_to_select(r->context);
    if (sel == NULL)
        return coom(c);
    r->select = sch_strdup(&c->pack->arena, sel);
    free(sel);
    if (r->select == NULL)
        return coom(c);
    r->expr = add_expr(c, r->select, &sc, r->file, r->line);
    if (r->expr < 0 || rule_paths(c, r) < 0)
        return -1;
    for (size_t k = 0; k < r->nlets; k++) {
        sc.rule_lets = r->lets;
        sc.nrule = k;
        sch_let *l = r->lets[k];
        if (l->value != NULL) {
            if (check_expr(c, l->value, &sc, l->file, l->line) < 0)
                return -1;
            if (l->expr < 0 && (l->expr = sch_expr_add(c->pack, l->value, l->file, l->line)) < 0)
                return coom(c);
        }
    }
    sc.rule_lets = r->lets;
    sc.nrule = r->nlets;
    for (size_t k = 0; k < r->nasserts; k++) {
        sch_assert *a = r->asserts[k];
        if (check_expr(c, a->test, &sc, a->file, a->line) < 0)
            return -1;
        if (a->expr < 0 && (a->expr = sch_expr_add(c->pack, a->test, a->file, a->line)) < 0)
            return coom(c);
        char *bare = a->bare == NULL ? sch_bare_var(a->test) : NULL;
        if (bare != NULL) {
            a->bare = sch_strdup(&c->pack->arena, bare);
            free(bare);
            if (a->bare == NULL)
                return coom(c);
        }
        for (size_t i = 0; i < a->msg.n; i++) {
            sch_seg *g = &a->msg.seg[i];
            if (g->kind == SEG_TEXT || g->text == NULL)
                continue;
            if (check_expr(c, g->text, &sc, g->file, g->line) < 0)
                return -1;
            if (g->expr < 0 && (g->expr = sch_expr_add(c->pack, g->text, g->file, g->line)) < 0)
                return coom(c);
        }
        if (link_ids(c, a, a->diag_ids, &c->pack->diags, &a->diags, &a->ndiags, "diagnostic") < 0 ||
            link_ids(c, a, a->prop_ids, &c->pack->props, &a->props, &a->nprops, "property") < 0)
            return -1;
    }
    return 0;
}

static int choose_phase(comp *c, const char *want)
{
    sd_sch_pack *pk = c->pack;
    if (want == NULL || strcmp(want, "#DEFAULT") == 0)
        want = pk->default_phase;
    if (want == NULL || strcmp(want, "#ALL") == 0)
        return 0;
    for (size_t i = 0; i < pk->phases.n; i++) {
        sch_phase *ph = pk->phases.v[i];
        if (strcmp(ph->id, want) == 0) {
            pk->phase_p = ph;
            pk->phase = ph->id;
            return 0;
        }
    }
    return cfail(c, pk->path, 0, "unknown phase \"%s\"", want, NULL);
}

static int build_patterns(comp *c)
{
    sd_sch_pack *pk = c->pack;
    pk->concrete = sch_alloc(&pk->arena, (pk->patterns.n + 1) * sizeof *pk->concrete);
    pk->run = sch_alloc(&pk->arena, (pk->patterns.n + 1) * sizeof *pk->run);
    if (pk->concrete == NULL || pk->run == NULL)
        return coom(c);
    for (size_t i = 0; i < pk->phases.n; i++) {
        sch_phase *ph = pk->phases.v[i];
        for (size_t j = 0; j < ph->active.n; j++) {
            const char *id = ph->active.v[j];
            int found = 0;
            for (size_t k = 0; k < pk->patterns.n; k++) {
                sch_pattern *p = pk->patterns.v[k];
                if (!p->abstract && p->id && strcmp(p->id, id) == 0)
                    found = 1;
            }
            if (!found)
                return cfail(c, ph->file, ph->line, "phase \"%s\" activates unknown pattern \"%s\"",
                             ph->id, id);
        }
    }
    for (size_t i = 0; i < pk->patterns.n; i++) {
        sch_pattern *p = pk->patterns.v[i];
        if (p->abstract)
            continue;
        pk->concrete[pk->nconcrete++] = p;
        int active = 1;
        if (pk->phase_p != NULL) {
            active = 0;
            for (size_t j = 0; j < pk->phase_p->active.n; j++)
                if (p->id && strcmp(p->id, pk->phase_p->active.v[j]) == 0)
                    active = 1;
        }
        p->active = active;
        if (active)
            pk->run[pk->nrun++] = p;
    }
    return 0;
}

static int compile_patterns(comp *c)
{
    sd_sch_pack *pk = c->pack;
    for (size_t i = 0; i < pk->nconcrete; i++) {
        sch_pattern *p = pk->concrete[i];
        if (p->documents != NULL) {
            scope sc = {NULL, 0, p, 0, NULL};
            p->documents_expr = add_expr(c, p->documents, &sc, p->file, p->line);
            if (p->documents_expr < 0)
                return -1;
        }
        for (size_t j = 0; j < p->rules.n; j++) {
            sch_rule *r = p->rules.v[j];
            if (!r->abstract && compile_rule(c, p, r) < 0)
                return -1;
        }
    }
    scope lenient = {NULL, 0, NULL, 1, NULL};
    for (size_t i = 0; i < pk->diags.n; i++)
        if (add_msg(c, &((sch_diag *)pk->diags.v[i])->msg, &lenient) < 0)
            return -1;
    for (size_t i = 0; i < pk->props.n; i++)
        if (add_msg(c, &((sch_diag *)pk->props.v[i])->msg, &lenient) < 0)
            return -1;
    for (size_t i = 0; i < pk->xdiags.n; i++) /* is-a instances' copies (expand.c) */
        if (add_msg(c, &((sch_diag *)pk->xdiags.v[i])->msg, &lenient) < 0)
            return -1;
    if (pk->tier_select != NULL) {
        scope sc = {NULL, 0, NULL, 0, NULL};
        pk->tier_select_expr = add_expr(c, pk->tier_select, &sc, pk->path, 0);
        if (pk->tier_select_expr < 0)
            return -1;
    }
    return 0;
}

/* Adds to names each NAME of param('NAME') / param("NAME") in expr (any prefix). */
static int scan_param_names(sch_arena *a, sch_vec *names, const char *expr)
{
    for (const char *p = expr ? strstr(expr, "param(") : NULL; p; p = strstr(p + 1, "param(")) {
        const char *q = p + 6;
        while (*q == ' ')
            q++;
        if (*q != '\'' && *q != '"')
            continue;
        const char *end = strchr(q + 1, *q);
        if (end == NULL)
            continue;
        size_t n = (size_t)(end - q - 1);
        int seen = 0;
        for (size_t i = 0; i < names->n && !seen; i++)
            seen = strlen(names->v[i]) == n && strncmp(names->v[i], q + 1, n) == 0;
        char *name = seen ? NULL : sch_strndup(a, q + 1, n);
        if (!seen && (name == NULL || sch_vec_push(a, names, name) < 0))
            return -1;
    }
    return 0;
}

static int scan_msg_params(sch_arena *a, sch_vec *names, const sch_msg *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->seg[i].kind != SEG_TEXT && scan_param_names(a, names, m->seg[i].text) < 0)
            return -1;
    return 0;
}

/* The parameters a pattern reads, in order of first use: for `sdlint explain`. */
static int pattern_params(sch_arena *a, const sch_pattern *p, sch_vec *names)
{
    int rc = scan_param_names(a, names, p->documents);
    for (size_t i = 0; rc == 0 && i < p->lets.n; i++)
        rc = scan_param_names(a, names, ((sch_let *)p->lets.v[i])->value);
    for (size_t j = 0; rc == 0 && j < p->rules.n; j++) {
        const sch_rule *r = p->rules.v[j];
        if (r->abstract)
            continue;
        rc = scan_param_names(a, names, r->context);
        for (size_t k = 0; rc == 0 && k < r->nlets; k++)
            rc = scan_param_names(a, names, r->lets[k]->value);
        for (size_t k = 0; rc == 0 && k < r->nasserts; k++) {
            const sch_assert *as = r->asserts[k];
            rc = scan_param_names(a, names, as->test);
            if (rc == 0)
                rc = scan_msg_params(a, names, &as->msg);
            for (size_t d = 0; rc == 0 && d < as->ndiags; d++)
                rc = scan_msg_params(a, names, &as->diags[d]->msg);
        }
    }
    return rc;
}

static int build_rule_info(comp *c)
{
    sd_sch_pack *pk = c->pack;
    size_t cap = 0;
    for (size_t i = 0; i < pk->nconcrete; i++)
        for (size_t j = 0; j < pk->concrete[i]->rules.n; j++)
            cap += ((sch_rule *)pk->concrete[i]->rules.v[j])->nasserts;
    pk->rinfo = sch_alloc(&pk->arena, (cap + 1) * sizeof *pk->rinfo);
    if (pk->rinfo == NULL)
        return coom(c);
    for (size_t i = 0; i < pk->nconcrete; i++) {
        sch_pattern *p = pk->concrete[i];
        sch_vec names = {0};
        int scanned = 0;
        for (size_t j = 0; j < p->rules.n; j++) {
            sch_rule *r = p->rules.v[j];
            if (r->abstract)
                continue;
            for (size_t k = 0; k < r->nasserts; k++) {
                sch_assert *a = r->asserts[k];
                /* the id a finding carries (eval.c finding_id) */
                const char *id = a->id ? a->id : r->id ? r->id : p->id;
                if (id == NULL)
                    continue;
                int dup = 0;
                for (size_t m = 0; m < pk->nrinfo && !dup; m++)
                    dup = strcmp(pk->rinfo[m].id, id) == 0;
                if (dup)
                    continue;
                if (!scanned++ && pattern_params(&pk->arena, p, &names) < 0)
                    return coom(c);
                sd_sch_rule_info *ri = &pk->rinfo[pk->nrinfo++];
                ri->id = id;
                ri->severity = a->sev;
                ri->title = p->title ? p->title : "";
                ri->doc = p->doc ? p->doc : "";
                ri->see = a->see;
                ri->source = p->source ? p->source : "";
                ri->pattern = p->id;
                ri->params = (const char *const *)names.v;
                ri->param_count = names.n;
            }
        }
    }
    return 0;
}

/* ---- public ---------------------------------------------------------- */

static sd_status compile_common(const char *path, const char *bytes, size_t len,
                                const sd_sch_options *opt, sd_sch_pack **out, sd_error *err)
{
    if (out == NULL)
        return sd_error_set(err, SD_EINVAL, path, 0, "no place for the compiled pack");
    *out = NULL;
    if (path == NULL)
        path = "(rules)";
    sd_sch_pack *pk = calloc(1, sizeof *pk);
    if (pk == NULL)
        return sd_error_set(err, SD_ENOMEM, path, 0, "out of memory");
    pthread_mutex_init(&pk->pool_mu, NULL);
    pk->tier_select_expr = -1;
    pk->path = sch_strdup(&pk->arena, path);
    pk->lang = sch_strdup(&pk->arena, opt && opt->lang ? opt->lang : "zh");
    pk->tier = opt && opt->tier ? sch_strdup(&pk->arena, opt->tier) : NULL;
    pk->trusted = opt && opt->trusted;
    comp c = {pk, err, SD_OK};
    if (pk->path == NULL || pk->lang == NULL) {
        coom(&c);
        goto done;
    }
    c.st = sch_parse(pk, pk->path, bytes, len, err);
    if (c.st == SD_OK)
        c.st = sch_expand(pk, err);
    if (c.st == SD_OK)
        c.st = sch_params_bind(pk, opt, err);
    if (c.st != SD_OK)
        goto done;
    if (choose_phase(&c, opt ? opt->phase : NULL) < 0 || build_patterns(&c) < 0 ||
        setup_lets(&c) < 0 || compile_patterns(&c) < 0 || let_memo(&c) < 0 ||
        build_rule_info(&c) < 0)
        goto done;
    sch_expr_uses(pk);
    /* a user's pack: every expression compiled now, so bad XPath is an error
     * here (the set joins the pool); a trusted one's at first use */
    if (!pk->trusted) {
        sch_inst *in = inst_new(pk, 1, err);
        if (in == NULL) {
            c.st = err ? err->code : SD_ERULES;
            goto done;
        }
        sch_inst_put(pk, in);
    }
done:
    if (c.st != SD_OK) {
        sd_sch_free(pk);
        return c.st;
    }
    *out = pk;
    return SD_OK;
}

sd_status sd_sch_compile_file(const char *path, const sd_sch_options *opt, sd_sch_pack **out,
                              sd_error *err)
{
    if (path == NULL)
        return sd_error_set(err, SD_EINVAL, "", 0, "no rule pack path");
    return compile_common(path, NULL, 0, opt, out, err);
}

sd_status sd_sch_compile_memory(const char *bytes, size_t len, const char *base_uri,
                                const sd_sch_options *opt, sd_sch_pack **out, sd_error *err)
{
    if (bytes == NULL)
        return sd_error_set(err, SD_EINVAL, base_uri ? base_uri : "", 0, "no rule pack bytes");
    return compile_common(base_uri, bytes, len, opt, out, err);
}

void sd_sch_free(sd_sch_pack *pack)
{
    if (pack == NULL)
        return;
    sch_inst *in = pack->pool;
    while (in != NULL) {
        sch_inst *next = in->next;
        inst_free(pack, in);
        in = next;
    }
    for (size_t i = 0; i < pack->docs.n; i++)
        xmlFreeDoc(pack->docs.v[i]);
    pthread_mutex_destroy(&pack->pool_mu);
    sch_arena_free(&pack->arena);
    free(pack);
}

size_t sd_sch_rule_count(const sd_sch_pack *pack)
{
    return pack ? pack->nrinfo : 0;
}

const sd_sch_rule_info *sd_sch_rule_at(const sd_sch_pack *pack, size_t i)
{
    return pack && i < pack->nrinfo ? &pack->rinfo[i] : NULL;
}
