/*
 * eval.c — runs a compiled pack on one document: findings and SVRL.
 *
 * Place: sd_sch_run, after compile.c.  Per document: the global lets are
 * evaluated once (topological order from compile.c) with the root as context.
 * Then, for each active pattern (and each of its subordinate documents), each
 * rule's context is evaluated ONCE as a selection from the root: a plain path
 * of element names (compile.c rule_paths) by walking the tree or the parse's
 * list of elements (select_path), any other as XPath (compile.c turned the
 * match pattern `a/b` into `//a/b`; each top-level union branch is evaluated
 * on its own, unsorted, see fn_count); a node goes to the first rule of the
 * pattern whose set holds it (a pointer set of claimed nodes), which is
 * exactly XSLT's "first matching template" rule without re-testing every rule
 * on every node.  The claimed (node, rule) pairs are fired in document order:
 * each assert/report test with the node as context; a rule let is evaluated
 * when an expression first refers to it (rule_let) and kept while the node
 * fires, so a let no test or message of that node reads costs nothing.
 * Fewer still are evaluated (compile.c let_memo and let_shape say which):
 * a let whose value cannot depend on the rule's node once per document, lets
 * of one text without variables once per node for every rule (memo_*); the
 * commonest shapes (normalize-space(@a), number(@a), ...) without XPath
 * (shape_value); and a let that is a function of the strings, numbers or
 * booleans it reads is kept per thread across documents, keyed by them
 * (vmemo_*: a rank's grade, a post count's quota).  On corpus-1x the XPath
 * evaluations of the built-in pack fell from 681,000 to 431,000.
 *
 * Cost: O(R·N) for R rules on N nodes (one context evaluation per rule, not
 * per node), plus the tests on fired nodes, plus ordering the k claimed nodes:
 * O(k log k) with O(1) comparisons (element order indices, or positions from
 * one walk of the tree when text, comments or attributes are claimed; never
 * libxml2's comparison, which walks siblings).  A reference to a let copies
 * its value (libxml2 frees what a variable lookup returns), except in
 * count/boolean/not/string/number($v) and a bare $v test or value-of, which
 * read the stored value (sch_cheap_var_refs; a test that is just $v does not
 * even start an XPath evaluation).  Every evaluation runs under an XPath
 * operation limit (SCH_XPATH_OP_LIMIT), a nested let's included.
 *
 * Threads: a run borrows a compiled-expression set (see compile.c) and, kept
 * in it from run to run (sch_state), the XPath context, the sch_fn_env (regex
 * cache, match context and JIT stack, scratch document: fn_regex.c, regex.c)
 * and its buffers; one run at a time uses a set, and the pack is only read.
 * xmlXPathOrderDocElems writes an index into the document's element nodes,
 * which is why two runs must not share one document at the same time.
 *
 * Subordinate documents are opened beneath the checked document's folder only
 * (safeopen.c) and read by the safe loader.
 *
 * Left out: XSLT's key(), document(), and copy-of in properties.
 */
#include "sch/sch_int.h"
#include "pos.h"

#include "load.h"
#include "quiet.h"
#include "safeopen.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xpathInternals.h>

/* Per evaluation, and for the whole run (a quadratic rule on a large document
 * stops with SD_ELIMIT after seconds, not hours).  About 10-100 ns an op. */
#define SCH_XPATH_OP_LIMIT 50000000UL
#define SCH_RUN_OP_BUDGET 1000000000UL
#define SCH_MAX_SUBDOCS 256

/* What a compiled-expression set (sch_inst) keeps from one run to the next
 * on its thread, so that nothing of it is rebuilt per document: the XPath
 * context with the pack's namespaces and the functions registered, the
 * extension functions' environment (the cache of patterns compiled at run
 * time, the match context and JIT stack: fn_regex.c, regex.c), the slots of
 * the lets and the buffers.  Reset per run (state_begin); belongs to the
 * inst, so to one run at a time. */
typedef struct sch_state {
    xmlXPathContextPtr ctx;
    sch_fn_env fn;
    xmlXPathObjectPtr *gvals; /* nglobals + 1 */
    xmlXPathObjectPtr *rvals; /* the largest rule's lets */
    unsigned char *rstate;
    sch_buf msg;
    sd_buf loc;
    xmlXPathObjectPtr *cap;
    size_t capcap;
    struct memo_slot *memo; /* emptied at the end of each run */
    size_t memocap;
    struct name_slot *names; /* where a variable name resolves (find_value) */
    struct vmemo_slot *vmemo; /* values of lets keyed by their variables' (kept) */
    size_t vmemocap, nvmemo;
    unsigned char *vok; /* per vmemo class: a safe let evaluated without failing */
    /* the expressions xpn.c evaluates, compiled at first use (xtried) */
    sch_arena xarena;
    const sch_xpn **xpn;
    unsigned char *xtried;
    const sch_xpn **xsel; /* rule contexts as selections from the root, by expression */
    unsigned char *xseltried;
    /* the primary document's plain-path selections, by sch_path.canon: made
     * once per run for the rules that share a context, freed at its end */
    xmlXPathObjectPtr *pcache;
    int *plisted;
    unsigned long runs; /* runs begun on this state: their serial (sch_xpn_env.run) */
    sch_objpool pool;   /* let values and selections, made and dropped per node */
    sch_buf vkey[8];    /* the runs' key buffers (sch_run.vkey), kept between runs */
    void *sets;         /* a pattern's rule sets (run_pattern_on), kept between runs */
    size_t capsets;
    sch_xpn_scratch *scratch;
} sch_state;

struct sch_run {
    const sd_sch_pack *pack;
    sch_inst *inst;
    xmlXPathContextPtr ctx;
    xmlDocPtr doc;
    const char *path;     /* display path of the primary document */
    const char *base;     /* its file-system path: subordinate names are relative to its folder */
    const char *cur_path; /* display path of the document being checked */
    xmlXPathObjectPtr *gvals;
    const sch_pattern *pat;
    const sch_rule *rule;
    xmlNodePtr rule_node;  /* the node the rule fires on: its lets' context */
    xmlXPathObjectPtr *rvals; /* rule let i's value once evaluated (owned) */
    unsigned char *rstate;    /* LET_UNSET, LET_BUSY, LET_DONE per rule let */
    size_t nvis;              /* rule lets visible now: those before the let being evaluated */
    int cur_expr; /* the expression being evaluated, for error messages */
    unsigned long ops; /* XPath operations spent by this run so far */
    sd_status st;
    sd_error *err;
    char xperr[400];
    int xpcode;
    sch_fn_env *fn; /* what the extension functions see of the run (fn_regex.c) */
    char *tier; /* the document's tier from sdl:tier-select */
    sch_stats stats;
    sd_diags *diags;
    sch_svrl sv;
    sch_buf msg; /* the message being made: one buffer for the run, not one per finding */
    sd_buf loc;  /* the finding's location, likewise */
    char **sub_uri;
    xmlDocPtr *sub_doc;
    size_t nsub;
    int capturing;           /* evaluating a rule context: fn_count keeps its sets */
    xmlXPathObjectPtr *cap;  /* the sets kept (owned) */
    size_t ncap, capcap;
    struct memo_slot *memo;  /* values of memoised rule lets (memo_get) */
    size_t memocap, nmemo;
    struct name_slot *names; /* the state's (find_value) */
    sch_state *state;
    sch_buf vkey[8]; /* the keys being made, one per nesting (vmemo_key) */
    int vdepth;
};

/* ---- errors ----------------------------------------------------------- */

static void sch_run_fail(sch_run *r, sd_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sch_run_fail(sch_run *r, sd_status code, const char *fmt, ...)
{
    if (r->st != SD_OK)
        return;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = r->pack->path;
    long line = 0;
    if (r->cur_expr >= 0) {
        file = r->pack->exprs[r->cur_expr].file;
        line = r->pack->exprs[r->cur_expr].line;
    }
    r->st = sd_error_set(r->err, code, file, line, "%s", msg);
}

/* The extension functions' error sink (sch_fn_env.fail). */
static void fn_fail(void *arg, sd_status code, const char *msg)
{
    sch_run_fail(arg, code, "%s", msg);
}

/* ---- evaluation ------------------------------------------------------- */

static void xpath_error(void *data, xmlErrorPtr e)
{
    sch_run *r = data;
    if (r == NULL || e == NULL || r->xperr[0] != '\0')
        return;
    snprintf(r->xperr, sizeof r->xperr, "%s", e->message ? e->message : sch_xpath_error_text(e->code));
    sch_normalize_space(r->xperr);
    r->xpcode = e->code - XML_XPATH_EXPRESSION_OK + XPATH_EXPRESSION_OK;
}

static void prepare(sch_run *r, int expr, xmlNodePtr node)
{
    r->cur_expr = expr;
    xmlXPathContextPtr ctx = r->ctx;
    ctx->node = node;
    ctx->doc = node->type == XML_DOCUMENT_NODE ? (xmlDocPtr)node : node->doc;
    ctx->contextSize = 1;
    ctx->proximityPosition = 1;
    ctx->opCount = 0;
    unsigned long left = r->ops < SCH_RUN_OP_BUDGET ? SCH_RUN_OP_BUDGET - r->ops : 1;
    ctx->opLimit = left < SCH_XPATH_OP_LIMIT ? left : SCH_XPATH_OP_LIMIT;
    r->fn->current = node;
    r->xperr[0] = '\0';
    r->xpcode = 0;
}

static void eval_failed(sch_run *r, int expr)
{
    if (r->st != SD_OK)
        return;
    const sch_expr *e = &r->pack->exprs[expr];
    sd_status code = r->xpcode == XPATH_OP_LIMIT_EXCEEDED ||
                             r->xpcode == XPATH_RECURSION_LIMIT_EXCEEDED
                         ? SD_ELIMIT
                         : SD_ERULES;
    r->st = sd_error_set(r->err, code, e->file, e->line, "evaluating \"%s\" on %s: %s", e->src,
                         r->cur_path, r->xperr[0] ? r->xperr : "XPath evaluation failed");
}

/* The compiled expression, compiled at its first use in this set (a
 * trusted pack's: compile.c); NULL after failing the run. */
static xmlXPathCompExprPtr comp_of(sch_run *r, int expr)
{
    xmlXPathCompExprPtr c = r->inst->comp[expr];
    if (c != NULL)
        return c;
    sd_error spare;
    sd_status st = SD_OK;
    c = sch_inst_expr(r->pack, r->inst, expr, r->st == SD_OK ? r->err : &spare, &st);
    if (c == NULL && r->st == SD_OK)
        r->st = st;
    return c;
}

/* ---- the native evaluator (xpn.c) ---------------------------------------- */

static xmlXPathObjectPtr find_value_in(sch_run *r, const char *name, int stable);

/* Expression expr as xpn.c's tree, made at its first use on this thread;
 * NULL when libxml2 evaluates it (a rule context: eval.c selects those
 * itself or through count(); or outside xpn.c's subset). */
static const sch_xpn *native_of(sch_run *r, int expr)
{
#ifdef SCH_XPN_OFF
    (void)r;
    (void)expr;
    return NULL;
#else
    sch_state *k = r->state;
    if (k == NULL || k->xtried == NULL || k->xpn == NULL || k->scratch == NULL)
        return NULL;
    if (!k->xtried[expr]) {
        k->xtried[expr] = 1;
        const sch_expr *e = &r->pack->exprs[expr];
        if (e->use != 'c')
            k->xpn[expr] = sch_xpn_compile(&k->xarena, e->src, r->pack);
    }
    return k->xpn[expr];
#endif
}

static xmlXPathObjectPtr rule_let(sch_run *r, size_t i);
static int find_slot(sch_run *r, const char *name, int *kind, int *idx);
enum { NAME_RULE = 1, NAME_GLOBAL }; /* where a name resolved (name_slot, sch_var_cache) */

/* A variable for xpn.c: the stored value itself, borrowed (no copy).  The
 * reference keeps where its name resolved for the rule and pattern (c), so
 * a reference evaluated again on the next node is not looked up again. */
static xmlXPathObjectPtr xpn_var(void *arg, const char *name, sch_var_cache *c)
{
    sch_run *r = arg;
    if (c->kind == 0 || c->rule != (const void *)r->rule || c->pat != (const void *)r->pat) {
        int kind = 0, idx = 0;
        if (find_slot(r, name, &kind, &idx) < 0)
            return find_value_in(r, name, 1); /* not visible yet, or none: as always */
        *c = (sch_var_cache){r->rule, r->pat, kind, idx};
    }
    if (c->kind == NAME_GLOBAL)
        return r->gvals[c->idx];
    if ((size_t)c->idx < r->nvis)
        return rule_let(r, (size_t)c->idx);
    return find_value_in(r, name, 1);
}

static int xpn_failed(void *arg)
{
    return ((sch_run *)arg)->st != SD_OK;
}

/* Evaluates with xpn.c: SCH_XPN_OK with *b (want_bool) or *o set, else
 * SCH_XPN_PUNT (the caller evaluates with libxml2) or SCH_XPN_FAIL. */
static int native_eval(sch_run *r, int expr, xmlNodePtr node, const sch_xpn *x, int want_bool,
                       int *b, xmlXPathObjectPtr *o)
{
    prepare(r, expr, node);
    sch_xpn_env env = {r->state->scratch, r->fn, node, xpn_var, xpn_failed, r, 0,
                       r->ctx->opLimit, r->state->runs, &r->state->pool, 0};
    int rc = want_bool ? sch_xpn_bool(x, node, &env, b) : sch_xpn_value(x, node, &env, o);
    r->ops += env.ops;
    if (rc == SCH_XPN_FAIL && env.oom)
        sch_run_fail(r, SD_ENOMEM, "out of memory");
    return rc;
}

#ifdef SCH_XPN_CHECK
/* Test builds: every native result is compared with libxml2's; a difference
 * aborts, naming the expression (tests/xpn runs the suites on this build). */
static void xpn_check(sch_run *r, int expr, xmlXPathObjectPtr mine, xmlXPathObjectPtr theirs)
{
    int same = mine != NULL && theirs != NULL && mine->type == theirs->type;
    if (mine != NULL && theirs != NULL && r->pack->exprs[expr].use == 'v') {
        /* a value-of is read as a string (compile.c may have libxml2 make it one) */
        xmlChar *a = xmlXPathCastToString(mine), *b = xmlXPathCastToString(theirs);
        same = xmlStrEqual(a, b);
        xmlFree(a);
        xmlFree(b);
    } else if (same) {
        switch (mine->type) {
        case XPATH_NUMBER:
            same = (isnan(mine->floatval) && isnan(theirs->floatval)) ||
                   (mine->floatval == theirs->floatval &&
                    signbit(mine->floatval) == signbit(theirs->floatval));
            break;
        case XPATH_BOOLEAN:
            same = (mine->boolval != 0) == (theirs->boolval != 0);
            break;
        case XPATH_STRING:
            same = xmlStrEqual(mine->stringval, theirs->stringval);
            break;
        case XPATH_NODESET: {
            int n1 = mine->nodesetval ? mine->nodesetval->nodeNr : 0;
            int n2 = theirs->nodesetval ? theirs->nodesetval->nodeNr : 0;
            same = n1 == n2;
            for (int i = 0; same && i < n1; i++)
                same = mine->nodesetval->nodeTab[i] == theirs->nodesetval->nodeTab[i];
            break;
        }
        default:
            same = 0;
        }
    }
    if (!same) {
        xmlChar *a = mine ? xmlXPathCastToString(mine) : NULL;
        xmlChar *b = theirs ? xmlXPathCastToString(theirs) : NULL;
        /* a test build's report on its way to abort(): the library prints
         * nothing otherwise */
        char line[1200];
        int n = snprintf(line, sizeof line,
                         "SCH_XPN_CHECK: \"%s\" (%s:%ld) on %s: native %d \"%s\", libxml2 %d \"%s\"\n",
                         r->pack->exprs[expr].src, r->pack->exprs[expr].file,
                         r->pack->exprs[expr].line, r->cur_path, mine ? (int)mine->type : -1,
                         a ? (const char *)a : "(null)", theirs ? (int)theirs->type : -1,
                         b ? (const char *)b : "(null)");
        if (n > 0 && write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0)
            n = 0;
        abort();
    }
}
#endif

static xmlXPathObjectPtr eval_libxml2(sch_run *r, int expr, xmlNodePtr node);

/* A rule context that is not a plain path (a predicate: unit[sd:before]),
 * selected from the root by xpn.c: its node-set in document order, each node
 * once; NULL when libxml2 selects it (not in the subset, or punted) or the
 * run failed (r->st says which). */
static xmlXPathObjectPtr native_select(sch_run *r, const sch_rule *ru, xmlNodePtr doc)
{
#ifdef SCH_XPN_OFF
    (void)r;
    (void)ru;
    (void)doc;
    return NULL;
#else
    sch_state *k = r->state;
    if (k == NULL || k->xsel == NULL || k->xseltried == NULL || k->scratch == NULL ||
        ru->expr < 0 || ru->select == NULL)
        return NULL;
    if (!k->xseltried[ru->expr]) {
        k->xseltried[ru->expr] = 1;
        k->xsel[ru->expr] = sch_xpn_compile(&k->xarena, ru->select, r->pack);
    }
    const sch_xpn *x = k->xsel[ru->expr];
    xmlXPathObjectPtr o = NULL;
    if (x == NULL || native_eval(r, ru->expr, doc, x, 0, NULL, &o) != SCH_XPN_OK)
        return NULL;
    if (o->type != XPATH_NODESET) { /* a selection that is not one: libxml2 says so */
        xmlXPathFreeObject(o);
        return NULL;
    }
#ifdef SCH_XPN_CHECK
    xmlXPathObjectPtr t = xmlXPathEval((const xmlChar *)ru->select, r->ctx);
    xpn_check(r, ru->expr, o, t);
    xmlXPathFreeObject(t);
#endif
    return o;
#endif
}

static xmlXPathObjectPtr eval(sch_run *r, int expr, xmlNodePtr node)
{
    const sch_xpn *x = native_of(r, expr);
    if (x != NULL) {
        xmlXPathObjectPtr o = NULL;
        int rc = native_eval(r, expr, node, x, 0, NULL, &o);
        if (rc == SCH_XPN_OK) {
#ifdef SCH_XPN_CHECK
            xmlXPathObjectPtr t = eval_libxml2(r, expr, node);
            xpn_check(r, expr, o, t);
            xmlXPathFreeObject(t);
#endif
            return o;
        }
        if (rc == SCH_XPN_FAIL)
            return NULL;
    }
    return eval_libxml2(r, expr, node);
}

static xmlXPathObjectPtr eval_libxml2(sch_run *r, int expr, xmlNodePtr node)
{
    xmlXPathCompExprPtr comp = comp_of(r, expr);
    if (comp == NULL)
        return NULL;
    prepare(r, expr, node);
    xmlXPathObjectPtr o = xmlXPathCompiledEval(comp, r->ctx);
    r->ops += r->ctx->opCount;
    if (o == NULL)
        eval_failed(r, expr);
    return o;
}

static int eval_bool(sch_run *r, int expr, xmlNodePtr node)
{
    const sch_xpn *x = native_of(r, expr);
    if (x != NULL) {
        int b = 0;
        int rc = native_eval(r, expr, node, x, 1, &b, NULL);
        if (rc == SCH_XPN_OK) {
#ifdef SCH_XPN_CHECK
            xmlXPathObjectPtr t = eval_libxml2(r, expr, node);
            xmlXPathObjectPtr mine = xmlXPathNewBoolean(b);
            xmlXPathObjectPtr theirs = t ? xmlXPathNewBoolean(xmlXPathCastToBoolean(t)) : NULL;
            xpn_check(r, expr, mine, theirs);
            xmlXPathFreeObject(mine);
            xmlXPathFreeObject(theirs);
            xmlXPathFreeObject(t);
#endif
            return b;
        }
        if (rc == SCH_XPN_FAIL)
            return -1;
    }
    xmlXPathCompExprPtr comp = comp_of(r, expr);
    if (comp == NULL)
        return -1;
    prepare(r, expr, node);
    int b = xmlXPathCompiledEvalToBoolean(comp, r->ctx);
    r->ops += r->ctx->opCount;
    if (b < 0)
        eval_failed(r, expr);
    return b;
}

static xmlXPathObjectPtr content_value(const sch_let *l)
{
    xmlNodeSetPtr set = xmlXPathNodeSetCreate(NULL);
    if (set == NULL)
        return NULL;
    int any = 0;
    for (xmlNodePtr c = l->content->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            xmlXPathNodeSetAdd(set, c);
            any = 1;
        }
    if (!any) {
        xmlXPathFreeNodeSet(set);
        xmlChar *t = xmlNodeGetContent(l->content);
        xmlXPathObjectPtr o = xmlXPathNewString(t ? t : (const xmlChar *)"");
        xmlFree(t);
        return o;
    }
    return xmlXPathWrapNodeSet(set);
}

static xmlXPathObjectPtr let_value(sch_run *r, const sch_let *l, xmlNodePtr node)
{
    if (l->value == NULL) {
        xmlXPathObjectPtr o = content_value(l);
        if (o == NULL)
            sch_run_fail(r, SD_ENOMEM, "out of memory");
        return o;
    }
    return eval(r, l->expr, node);
}

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, (*(sch_let *const *)elem)->name);
}

enum { LET_UNSET, LET_BUSY, LET_DONE, LET_SHARED };

/* ---- lets computed once per document or per node ------------------------ */

/* A rule let with a memo class (compile.c let_memo) is evaluated once per
 * run for its class and key (the document for a let whose value cannot
 * depend on the rule's node, else the node), and later references take the
 * value from here: e.g. string(sdl:param('min-unit-posts')) once per
 * document instead of once per unit, or the sum of a unit's head posts
 * computed for SD102 serving SD103 too.  Open addressing on (class, key);
 * the values are owned here until the run ends (memo_clear). */
typedef struct memo_slot {
    const void *key; /* NULL: empty */
    int cls;
    xmlXPathObjectPtr v;
} memo_slot;

static size_t memo_hash(int cls, const void *key, size_t mask)
{
    uintptr_t h = (uintptr_t)key ^ ((uintptr_t)cls * (uintptr_t)0x9E3779B97F4A7C15ull);
    h ^= h >> 17;
    h *= (uintptr_t)0xBF58476D1CE4E5B9ull;
    return (size_t)(h ^ (h >> 31)) & mask;
}

static xmlXPathObjectPtr memo_get(const sch_run *r, int cls, const void *key)
{
    if (r->memocap == 0)
        return NULL;
    for (size_t h = memo_hash(cls, key, r->memocap - 1); r->memo[h].key != NULL;
         h = (h + 1) & (r->memocap - 1))
        if (r->memo[h].key == key && r->memo[h].cls == cls)
            return r->memo[h].v;
    return NULL;
}

/* 0 when v is kept (owned here from now on), -1 on OOM (the caller keeps it). */
static int memo_put(sch_run *r, int cls, const void *key, xmlXPathObjectPtr v)
{
    if ((r->nmemo + 1) * 2 > r->memocap) {
        size_t cap = r->memocap ? r->memocap * 2 : 64;
        memo_slot *t = calloc(cap, sizeof *t);
        if (t == NULL)
            return -1;
        for (size_t i = 0; i < r->memocap; i++)
            if (r->memo[i].key != NULL) {
                size_t h = memo_hash(r->memo[i].cls, r->memo[i].key, cap - 1);
                while (t[h].key != NULL)
                    h = (h + 1) & (cap - 1);
                t[h] = r->memo[i];
            }
        free(r->memo);
        r->memo = t;
        r->memocap = cap;
    }
    size_t h = memo_hash(cls, key, r->memocap - 1);
    while (r->memo[h].key != NULL)
        h = (h + 1) & (r->memocap - 1);
    r->memo[h].key = key;
    r->memo[h].cls = cls;
    r->memo[h].v = v;
    r->nmemo++;
    return 0;
}

/* Frees the values, keeps the table for the next run. */
static void memo_clear(sch_run *r)
{
    if (r->nmemo == 0)
        return;
    for (size_t i = 0; i < r->memocap; i++)
        if (r->memo[i].key != NULL) {
            sch_obj_drop(&r->state->pool, r->memo[i].v);
            r->memo[i].key = NULL;
        }
    r->nmemo = 0;
}


/* ---- lets keyed by the values they read --------------------------------- */

/* A let whose value is a function of the variables it reads (compile.c:
 * sch_let.vmemo, e.g. SD116's grade of $sd116-ur, or a day count from a
 * month and a year) is looked up by those values, kept per thread across
 * documents: its values are strings, numbers or booleans, which belong to
 * no document.  The key is made only from values at hand: a variable not
 * evaluated yet is evaluated now when that cannot fail or cost (a shape
 * let, a memoised one), else the let is evaluated as always and stored
 * after.  Bounded: past VMEMO_MAX entries or a key of VMEMO_KEY_MAX bytes
 * nothing more is kept. */
#define VMEMO_MAX 4096
#define VMEMO_KEY_MAX 512
typedef struct vmemo_slot {
    char *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    int cls;
    xmlXPathObjectPtr v;
} vmemo_slot;

static xmlXPathObjectPtr rule_let(sch_run *r, size_t i);
static xmlXPathObjectPtr vmemo_get(sch_run *r, const sch_let *l);
static int vmemo_key(sch_run *r, const sch_let *l, int force);

/* The value variable d of let l reads, if at hand (force: evaluate shape
 * and memoised lets that are not yet); NULL when not. */
static xmlXPathObjectPtr vdep_value(sch_run *r, int d, int force)
{
    if (d < 0)
        return r->gvals[-1 - d];
    size_t j = (size_t)d;
    if (r->rstate[j] == LET_DONE || r->rstate[j] == LET_SHARED)
        return r->rvals[j];
    if (!force || r->rstate[j] != LET_UNSET)
        return NULL;
    const sch_let *dl = r->rule->lets[j];
    if (dl->shape == LET_SHAPE_NONE && dl->memo < 0) {
        if (dl->vmemo < 0)
            return NULL;
        xmlXPathObjectPtr m = vmemo_get(r, dl); /* its own variables at hand: kept? */
        if (m != NULL) {
            r->rvals[j] = m;
            r->rstate[j] = LET_SHARED;
            return m;
        }
        /* else evaluated now only when that cannot fail (see sch_let.vsafe) */
        if (r->st != SD_OK || !dl->vsafe || r->state->vok == NULL || !r->state->vok[dl->vmemo] ||
            vmemo_key(r, dl, 0) < 0)
            return NULL;
        return rule_let(r, j);
    }
    if (dl->shape == LET_SHAPE_NONE) {
        xmlNodePtr n = r->rule_node;
        const void *key = !dl->inv ? (const void *)n
                          : n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE
                              ? (const void *)n
                              : (const void *)n->doc;
        if (memo_get(r, dl->memo, key) == NULL)
            return NULL;
    }
    return rule_let(r, j);
}

/* Appends n bytes to a key: past VMEMO_KEY_MAX the key is no use, so the
 * buffer never holds more than that (sized once, then written in place). */
static int key_add(sch_buf *b, const void *p, size_t n)
{
    if (b->len + n > VMEMO_KEY_MAX)
        return -1;
    if (b->cap < VMEMO_KEY_MAX + 1) {
        sch_buf_add(b, "", 0);
        char *q = realloc(b->p, VMEMO_KEY_MAX + 1);
        if (q == NULL)
            return -1;
        b->p = q;
        b->cap = VMEMO_KEY_MAX + 1;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return 0;
}

/* Makes l's key in r->vkey: 0, or -1 when a value is not at hand or not a
 * string, number or boolean, or the key is too long to keep. */
static int vmemo_key(sch_run *r, const sch_let *l, int force)
{
    if (r->vdepth >= (int)(sizeof r->vkey / sizeof r->vkey[0]))
        return -1;
    sch_buf *b = &r->vkey[r->vdepth];
    b->len = 0;
    for (size_t i = 0; i < l->nvdep; i++) {
        r->vdepth++; /* a variable evaluated now may make keys of its own */
        xmlXPathObjectPtr v = vdep_value(r, l->vdep[i], force);
        r->vdepth--;
        if (v == NULL)
            return -1;
        unsigned char head[1 + sizeof(size_t)];
        head[0] = (unsigned char)v->type;
        if (v->type == XPATH_STRING) {
            const char *sv = v->stringval ? (const char *)v->stringval : "";
            size_t n = strlen(sv);
            memcpy(head + 1, &n, sizeof n);
            if (key_add(b, head, sizeof head) < 0 || key_add(b, sv, n) < 0)
                return -1;
        } else if (v->type == XPATH_NUMBER) {
            if (key_add(b, head, 1) < 0 || key_add(b, &v->floatval, sizeof v->floatval) < 0)
                return -1;
        } else if (v->type == XPATH_BOOLEAN) {
            head[1] = (unsigned char)(v->boolval != 0);
            if (key_add(b, head, 2) < 0)
                return -1;
        } else {
            return -1;
        }
    }
    if (l->vparam) {
        const char *t = r->fn->tier ? r->fn->tier : "";
        if (key_add(b, "t", 1) < 0 || key_add(b, t, strlen(t) + 1) < 0)
            return -1;
    }
    return 0;
}

/* Eight bytes at a time (keys are values: strings of a few dozen bytes). */
static uint64_t vmemo_hash(int cls, const char *k, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(unsigned)cls << 32) ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, k + i, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, k + i, n - i);
    h = (h ^ w) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
}

static vmemo_slot *vmemo_find(sch_state *k, int cls, const char *key, size_t n, uint64_t h)
{
    if (k->vmemocap == 0)
        return NULL;
    for (size_t i = (size_t)h & (k->vmemocap - 1); k->vmemo[i].key != NULL;
         i = (i + 1) & (k->vmemocap - 1)) {
        vmemo_slot *e = &k->vmemo[i];
        if (e->hash == h && e->cls == cls && e->len == n && memcmp(e->key, key, n) == 0)
            return e;
    }
    return NULL;
}

/* The kept value of l for the values at hand, or NULL. */
static xmlXPathObjectPtr vmemo_get(sch_run *r, const sch_let *l)
{
    if (r->state == NULL || r->state->nvmemo == 0 || vmemo_key(r, l, 1) < 0)
        return NULL;
    const sch_buf *b = &r->vkey[r->vdepth];
    uint64_t h = vmemo_hash(l->vmemo, b->p, b->len);
    vmemo_slot *e = vmemo_find(r->state, l->vmemo, b->p, b->len, h);
    return e != NULL ? e->v : NULL;
}

/* Keeps v (a string, number or boolean) for l's variables' values: 0 when
 * kept (owned by the state from now on), -1 when not (the caller keeps it). */
static int vmemo_put(sch_run *r, const sch_let *l, xmlXPathObjectPtr v)
{
    sch_state *k = r->state;
    if (k == NULL || k->nvmemo >= VMEMO_MAX ||
        (v->type != XPATH_STRING && v->type != XPATH_NUMBER && v->type != XPATH_BOOLEAN) ||
        vmemo_key(r, l, 0) < 0)
        return -1;
    const sch_buf *b = &r->vkey[r->vdepth];
    if ((k->nvmemo + 1) * 2 > k->vmemocap) {
        size_t cap = k->vmemocap ? k->vmemocap * 2 : 256;
        vmemo_slot *t = calloc(cap, sizeof *t);
        if (t == NULL)
            return -1;
        for (size_t i = 0; i < k->vmemocap; i++)
            if (k->vmemo[i].key != NULL) {
                size_t j = (size_t)k->vmemo[i].hash & (cap - 1);
                while (t[j].key != NULL)
                    j = (j + 1) & (cap - 1);
                t[j] = k->vmemo[i];
            }
        free(k->vmemo);
        k->vmemo = t;
        k->vmemocap = cap;
    }
    uint64_t h = vmemo_hash(l->vmemo, b->p, b->len);
    if (vmemo_find(k, l->vmemo, b->p, b->len, h) != NULL)
        return -1;
    char *key = malloc(b->len ? b->len : 1);
    if (key == NULL)
        return -1;
    memcpy(key, b->p, b->len);
    size_t j = (size_t)h & (k->vmemocap - 1);
    while (k->vmemo[j].key != NULL)
        j = (j + 1) & (k->vmemocap - 1);
    k->vmemo[j] = (vmemo_slot){key, b->len, h, l->vmemo, v};
    k->nvmemo++;
    return 0;
}

static void vmemo_free(sch_state *k)
{
    for (size_t i = 0; i < k->vmemocap; i++)
        if (k->vmemo[i].key != NULL) {
            free(k->vmemo[i].key);
            xmlXPathFreeObject(k->vmemo[i].v);
        }
    free(k->vmemo);
    free(k->vok);
}

/* A let of a shape compile.c recognised (let_shape), computed as libxml2
 * computes it: @name is the attribute of that name in no namespace of an
 * element node (none elsewhere: the empty string), its string value that of
 * xmlXPathCastNodeToString, . the node's; normalize-space() drops the blanks
 * (space, tab, CR, LF) at the ends and makes each run of them one space,
 * translate(…, ' ', '') drops the spaces, number() is
 * xmlXPathCastStringToNumber of the string.  NULL on OOM. */
static xmlXPathObjectPtr shape_value(const sch_let *l, xmlNodePtr node, sch_objpool *pool)
{
    xmlChar *s = NULL;
    if (l->shape == LET_SHAPE_NUM_ATTR && node->type == XML_ELEMENT_NODE) {
        /* number(@a) of an attribute that is one text: read in place */
        for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
            if (a->ns == NULL && strcmp((const char *)a->name, l->shape_attr) == 0) {
                if (a->children == NULL || a->children->next != NULL ||
                    a->children->type != XML_TEXT_NODE || a->children->content == NULL)
                    break;
                xmlXPathObjectPtr o = sch_obj_scalar(pool, XPATH_NUMBER);
                if (o != NULL)
                    o->floatval = xmlXPathCastStringToNumber(a->children->content);
                return o;
            }
    }
    if (l->shape == LET_SHAPE_NORM_DOT || l->shape == LET_SHAPE_NOSP_DOT) {
        s = xmlXPathCastNodeToString(node);
    } else if (node->type == XML_ELEMENT_NODE) {
        for (xmlAttrPtr a = node->properties; a != NULL && s == NULL; a = a->next)
            if (a->ns == NULL && strcmp((const char *)a->name, l->shape_attr) == 0)
                s = a->children != NULL && a->children->next == NULL &&
                            a->children->type == XML_TEXT_NODE
                        ? xmlStrdup(a->children->content != NULL ? a->children->content
                                                                 : (const xmlChar *)"")
                        : xmlXPathCastNodeToString((xmlNodePtr)a);
    }
    if (s == NULL)
        s = xmlStrdup((const xmlChar *)"");
    if (s == NULL)
        return NULL;
    if (l->shape == LET_SHAPE_NUM_ATTR) {
        double d = xmlXPathCastStringToNumber(s);
        xmlFree(s);
        xmlXPathObjectPtr o = sch_obj_scalar(pool, XPATH_NUMBER);
        if (o != NULL)
            o->floatval = d;
        return o;
    }
    if (l->shape != LET_SHAPE_STR_ATTR)
        sch_normalize_space((char *)s);
    if (l->shape == LET_SHAPE_NOSP_ATTR || l->shape == LET_SHAPE_NOSP_DOT) {
        xmlChar *w = s;
        for (const xmlChar *p = s; *p; p++)
            if (*p != ' ')
                *w++ = *p;
        *w = '\0';
    }
    xmlXPathObjectPtr o = sch_obj_scalar(pool, XPATH_STRING);
    if (o == NULL)
        xmlFree(s);
    else
        o->stringval = s;
    return o;
}

/* Rule let i of the firing rule, evaluated at its first reference and kept
 * while the node fires (an unreferenced let costs nothing; most of a pack's
 * lets only make message text).  The reference may come from inside another
 * evaluation on the same XPath context (a test, a predicate, another let):
 * libxml2 2.9 keeps that evaluation's state in the context (node, doc,
 * contextSize, proximityPosition, opCount, opLimit, depth), so those are
 * saved and restored around this one, as are the run's own (the expression
 * for error messages, current(), the visible lets, capturing).  The let is
 * evaluated with the rule's node as context and current(), seeing only the
 * rule lets before it, as compile.c resolved its references; cycles were
 * refused there, LET_BUSY only guards.  Its operations count in the run's
 * budget once, under its own per-evaluation limit, as an eager let's did. */
static xmlXPathObjectPtr rule_let(sch_run *r, size_t i)
{
    if (r->rstate[i] == LET_DONE || r->rstate[i] == LET_SHARED)
        return r->rvals[i];
    const sch_let *l = r->rule->lets[i];
    const void *key = NULL;
    if (l->memo >= 0) {
        xmlNodePtr n = r->rule_node;
        key = !l->inv ? (const void *)n
              : n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE ? (const void *)n
                                                                               : (const void *)n->doc;
        xmlXPathObjectPtr m = key != NULL ? memo_get(r, l->memo, key) : NULL;
        if (m != NULL) {
            r->rvals[i] = m;
            r->rstate[i] = LET_SHARED;
            return m;
        }
    } else if (l->vmemo >= 0) {
        xmlXPathObjectPtr m = vmemo_get(r, l);
        if (m != NULL) {
            r->rvals[i] = m;
            r->rstate[i] = LET_SHARED;
            return m;
        }
        if (r->st != SD_OK)
            return NULL;
    }
    if (r->rstate[i] == LET_BUSY) {
        sch_run_fail(r, SD_ERULES, "variable $%s depends on itself", r->rule->lets[i]->name);
        return NULL;
    }
    r->stats.let_evals++;
    if (l->shape != LET_SHAPE_NONE) { /* no XPath, nothing to save around it */
        xmlXPathObjectPtr v = shape_value(l, r->rule_node, &r->state->pool);
        if (v == NULL) {
            sch_run_fail(r, SD_ENOMEM, "out of memory");
            return NULL;
        }
        r->rvals[i] = v;
        r->rstate[i] = key != NULL && memo_put(r, l->memo, key, v) == 0 ? LET_SHARED : LET_DONE;
        return v;
    }
    r->rstate[i] = LET_BUSY;
    xmlXPathContextPtr c = r->ctx;
    xmlNodePtr node = c->node;
    xmlDocPtr doc = c->doc;
    int size = c->contextSize, pos = c->proximityPosition, depth = c->depth;
    unsigned long count = c->opCount, limit = c->opLimit;
    int cur_expr = r->cur_expr, capturing = r->capturing;
    xmlNodePtr current = r->fn->current;
    size_t nvis = r->nvis;
    r->nvis = i;
    r->capturing = 0;
    r->ops += count; /* the outer evaluation's operations so far, for the budget */
    xmlXPathObjectPtr v = let_value(r, l, r->rule_node);
    r->ops -= count;
    c->node = node;
    c->doc = doc;
    c->contextSize = size;
    c->proximityPosition = pos;
    c->depth = depth;
    c->opCount = count;
    c->opLimit = limit;
    r->cur_expr = cur_expr;
    r->capturing = capturing;
    r->fn->current = current;
    r->nvis = nvis;
    r->rvals[i] = v;
    r->rstate[i] = v == NULL ? LET_UNSET : LET_DONE;
    if (v != NULL && l->vmemo >= 0 && l->vsafe && r->state != NULL && r->state->vok != NULL)
        r->state->vok[l->vmemo] = 1;
    if (v != NULL && (key != NULL ? memo_put(r, l->memo, key, v) == 0
                                  : l->vmemo >= 0 && vmemo_put(r, l, v) == 0))
        r->rstate[i] = LET_SHARED;
    return v;
}

/* Where a variable name resolved, by the address of the name: libxml2 hands
 * the lookup the name string of the compiled step, which stays put while the
 * compiled set (and this state, which belongs to it) lives, so a reference
 * is resolved once per (name, rule, pattern) instead of by comparing it with
 * every let name on each evaluation.  Direct-mapped; a clash just resolves
 * again. */
#define NAME_SLOTS 512
typedef struct name_slot {
    const char *name;
    const sch_rule *rule;
    const sch_pattern *pat;
    int kind; /* NAME_RULE: rule let idx (if visible now), NAME_GLOBAL: gvals[idx] */
    int idx;
} name_slot;

/* The global slot $name names from the pattern's lets, then the schema's
 * and phase's; -1 when none does. */
static int global_slot(const sch_run *r, const char *name)
{
    int slot = -1;
    if (r->pat != NULL)
        for (size_t i = 0; i < r->pat->lets.n && slot < 0; i++) {
            const sch_let *l = r->pat->lets.v[i];
            if (strcmp(l->name, name) == 0)
                slot = l->slot;
        }
    if (slot < 0 && r->pack->ngmap != 0) { /* bsearch wants a non-null base */
        sch_let *const *g = bsearch(name, r->pack->gmap, r->pack->ngmap,
                                    sizeof *r->pack->gmap, cmp_name);
        if (g != NULL)
            slot = (*g)->slot;
    }
    return slot;
}

/* Where $name resolves now, without evaluating it: 0 with *kind and *idx (a
 * visible rule let, or a global slot), -1 when a rule let of that name is not
 * visible yet (what it resolves to then is find_value_in's) or nothing is. */
static int find_slot(sch_run *r, const char *name, int *kind, int *idx)
{
    if (r->rule != NULL)
        for (size_t i = 0; i < r->rule->nlets; i++)
            if (strcmp(r->rule->lets[i]->name, name) == 0) {
                if (i >= r->nvis)
                    return -1;
                *kind = NAME_RULE;
                *idx = (int)i;
                return 0;
            }
    int slot = global_slot(r, name);
    if (slot < 0)
        return -1;
    *kind = NAME_GLOBAL;
    *idx = slot;
    return 0;
}

/* The value $name refers to where the run is now (rule lets, then the
 * pattern's, then global ones), borrowed: NULL when there is none or its
 * evaluation failed (r->st says which).  stable: name stays at its address
 * for the state's life (see name_slot). */
static xmlXPathObjectPtr find_value_in(sch_run *r, const char *name, int stable)
{
    name_slot *e = NULL;
    if (stable && r->names != NULL) {
        uintptr_t h = ((uintptr_t)name >> 3) ^ ((uintptr_t)r->rule >> 5) ^ ((uintptr_t)r->pat >> 7);
        h ^= h >> 11;
        e = &r->names[h & (NAME_SLOTS - 1)];
        if (e->name == name && e->rule == r->rule && e->pat == r->pat) {
            if (e->kind == NAME_GLOBAL)
                return r->gvals[e->idx];
            if ((size_t)e->idx < r->nvis)
                return rule_let(r, (size_t)e->idx);
        }
    }
    int in_rule = 0;
    if (r->rule != NULL)
        for (size_t i = 0; i < r->rule->nlets; i++)
            if (strcmp(r->rule->lets[i]->name, name) == 0) {
                if (i >= r->nvis) { /* not visible yet: what a let before it sees */
                    in_rule = 1;
                    break;
                }
                if (e != NULL)
                    *e = (name_slot){name, r->rule, r->pat, NAME_RULE, (int)i};
                return rule_let(r, i);
            }
    int slot = global_slot(r, name);
    if (slot < 0)
        return NULL;
    if (e != NULL && !in_rule)
        *e = (name_slot){name, r->rule, r->pat, NAME_GLOBAL, slot};
    return r->gvals[slot];
}

/* The string value of a value without copying or sorting it: a node-set
 * from an evaluation (or a let's element content) is already in document
 * order, so its first node is nodeTab[0]. */
static xmlChar *value_string(xmlXPathObjectPtr o)
{
    if (o->type == XPATH_NODESET)
        return o->nodesetval == NULL || o->nodesetval->nodeNr == 0
                   ? xmlStrdup((const xmlChar *)"")
                   : xmlXPathCastNodeToString(o->nodesetval->nodeTab[0]);
    return xmlXPathCastToString(o);
}

/* Cheap references (see sch_cheap_var_refs): the function of the value,
 * computed from the stored value in O(1) (count, boolean, not) or O(size of
 * the first node) (string, number). */
static xmlXPathObjectPtr cheap_value(sch_run *r, const char *fn, xmlXPathObjectPtr o,
                                     long item)
{
    if (strcmp(fn, "item") == 0) { /* $v[N]: a node-set of its N-th node, or empty */
        if (o->type != XPATH_NODESET) {
            if (item == 1) /* what libxml2 gives for ($n)[1] */
                return xmlXPathObjectCopy(o);
            if (r->xperr[0] == '\0')
                snprintf(r->xperr, sizeof r->xperr, "wrong type of operand");
            r->xpcode = XPATH_INVALID_TYPE;
            return NULL;
        }
        xmlNodeSetPtr ns = o->nodesetval;
        xmlNodePtr at = (ns && item >= 1 && item <= ns->nodeNr) ? ns->nodeTab[item - 1] : NULL;
        return xmlXPathNewNodeSet(at);
    }
    if (strcmp(fn, "count") == 0) {
        if (o->type != XPATH_NODESET) {
            if (r->xperr[0] == '\0')
                snprintf(r->xperr, sizeof r->xperr, "count() takes a node-set");
            r->xpcode = XPATH_INVALID_TYPE;
            return NULL;
        }
        return xmlXPathNewFloat(o->nodesetval ? o->nodesetval->nodeNr : 0);
    }
    if (strcmp(fn, "boolean") == 0 || strcmp(fn, "not") == 0) {
        int b = xmlXPathCastToBoolean(o);
        return xmlXPathNewBoolean(fn[0] == 'n' ? !b : b);
    }
    if (o->type != XPATH_NODESET) /* libxml2's casts copy and sort nothing here */
        return strcmp(fn, "string") == 0 ? xmlXPathWrapString(xmlXPathCastToString(o))
                                         : xmlXPathNewFloat(xmlXPathCastToNumber(o));
    xmlChar *str = value_string(o);
    if (str == NULL)
        return NULL;
    if (strcmp(fn, "string") == 0)
        return xmlXPathWrapString(str);
    double d = xmlXPathCastStringToNumber(str);
    xmlFree(str);
    return xmlXPathNewFloat(d);
}

/* libxml2 frees what this returns after the expression used it, and may
 * change a node-set in place (filters, unions), so a plain reference gets
 * its own copy: O(size of the value) per reference.  The O(1) uses of a
 * large value (count($v), boolean($v), not($v), string($v), number($v)) were
 * rewritten when the pack compiled (sch_cheap_var_refs) and come here under
 * the internal namespace, answered from the stored value without a copy. */
static xmlXPathObjectPtr var_lookup(void *data, const xmlChar *xname, const xmlChar *ns_uri)
{
    sch_run *r = data;
    const char *name = (const char *)xname;
    if (ns_uri != NULL) {
        size_t n = strlen(SCH_CHEAP_NS);
        if (strncmp((const char *)ns_uri, SCH_CHEAP_NS, n) != 0)
            return NULL;
        const char *fn = (const char *)ns_uri + n;
        long item = 0;
        char base[256];
        if (strcmp(fn, "item") == 0) { /* name is "v.N" */
            const char *dot = strrchr(name, '.');
            if (dot == NULL || (size_t)(dot - name) >= sizeof base)
                return NULL;
            memcpy(base, name, (size_t)(dot - name));
            base[dot - name] = '\0';
            item = strtol(dot + 1, NULL, 10);
            name = base;
        }
        xmlXPathObjectPtr o = find_value_in(r, name, name == (const char *)xname);
        return o ? cheap_value(r, fn, o, item) : NULL;
    }
    xmlXPathObjectPtr o = find_value_in(r, name, 1);
    return o ? xmlXPathObjectCopy(o) : NULL;
}

/* ---- rule contexts without libxml2's sort ------------------------------- */

/* libxml2 sorts every node-set an expression returns (timsort with
 * xmlXPathCmpNodesExt, which walks back over the preceding non-element
 * siblings of a text or comment node on each comparison: 80,000 text nodes
 * between comments took minutes).  Rule contexts do not need it: the engine
 * removes duplicates with a pointer set and orders the claimed nodes itself
 * (order_claims).  libxml2 leaves the argument of count() unsorted, so each
 * top-level union branch B of a rule context is compiled as count(B, 1),
 * joined with "+" (the branches are not merged by libxml2 either); this
 * count() keeps B's node-set for the run while a rule context is being
 * evaluated.  Called with one argument it is XPath's count(). */
static void fn_count(xmlXPathParserContextPtr ctxt, int nargs)
{
    sch_run *r = ctxt->context->userData;
    if (nargs == 2 && r != NULL && r->capturing) {
        xmlXPathFreeObject(valuePop(ctxt));
        xmlXPathObjectPtr set = valuePop(ctxt);
        if (set == NULL)
            XP_ERROR(XPATH_STACK_ERROR);
        double n = 0;
        if (set->type != XPATH_NODESET || set->nodesetval == NULL ||
            set->nodesetval->nodeNr == 0) {
            xmlXPathFreeObject(set);
        } else {
            if (r->ncap == r->capcap) {
                size_t cap = r->capcap ? r->capcap * 2 : 4;
                xmlXPathObjectPtr *v = realloc(r->cap, cap * sizeof *v);
                if (v == NULL) {
                    xmlXPathFreeObject(set);
                    XP_ERROR(XPATH_MEMORY_ERROR);
                }
                r->cap = v;
                r->capcap = cap;
            }
            n = set->nodesetval->nodeNr;
            r->cap[r->ncap++] = set;
        }
        valuePush(ctxt, xmlXPathNewFloat(n));
        return;
    }
    CHECK_ARITY(1);
    if (ctxt->value == NULL ||
        (ctxt->value->type != XPATH_NODESET && ctxt->value->type != XPATH_XSLT_TREE))
        XP_ERROR(XPATH_INVALID_TYPE);
    xmlXPathObjectPtr cur = valuePop(ctxt);
    valuePush(ctxt, xmlXPathNewFloat(cur->nodesetval ? cur->nodesetval->nodeNr : 0));
    xmlXPathFreeObject(cur);
}

/* ---- messages --------------------------------------------------------- */

static void node_qname(xmlNodePtr n, sch_buf *b)
{
    if (n == NULL)
        return;
    if (n->type == XML_ELEMENT_NODE || n->type == XML_ATTRIBUTE_NODE) {
        if (n->ns != NULL && n->ns->prefix != NULL) {
            sch_buf_adds(b, (const char *)n->ns->prefix);
            sch_buf_adds(b, ":");
        }
        sch_buf_adds(b, (const char *)n->name);
    } else if (n->type == XML_PI_NODE) {
        sch_buf_adds(b, (const char *)n->name);
    }
}

/* The attribute name when select is just `@name` (ASCII, no prefix), else
 * NULL: the commonest value-of in a message, read straight from the node
 * instead of through an XPath evaluation (a node-set, an object and a cast
 * per finding).  Same value: the attribute without namespace of that name,
 * the empty string on a node that is not an element. */
static const char *plain_attr(const char *select)
{
    if (select == NULL || select[0] != '@')
        return NULL;
    const char *p = select + 1;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'))
        return NULL;
    for (p++; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return NULL;
    return select + 1;
}

static void attr_value(xmlNodePtr node, const char *name, sch_buf *out)
{
    if (node == NULL || node->type != XML_ELEMENT_NODE)
        return;
    for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0) {
            if (a->children != NULL && a->children->next == NULL &&
                a->children->type == XML_TEXT_NODE) {
                sch_buf_adds(out, (const char *)a->children->content);
            } else {
                xmlChar *v = xmlXPathCastNodeToString((xmlNodePtr)a);
                sch_buf_adds(out, v ? (const char *)v : "");
                xmlFree(v);
            }
            return;
        }
}

/* Appends the message text for node; returns -1 when the run failed. */
static int msg_eval(sch_run *r, const sch_msg *m, xmlNodePtr node, sch_buf *out)
{
    for (size_t i = 0; i < m->n; i++) {
        const sch_seg *g = &m->seg[i];
        if (g->kind == SEG_TEXT) {
            sch_buf_adds(out, g->text);
            continue;
        }
        if (g->kind == SEG_NAME && g->expr < 0) {
            node_qname(node, out);
            continue;
        }
        const char *attr = g->kind == SEG_VALUEOF ? plain_attr(g->text) : NULL;
        if (attr != NULL) {
            attr_value(node, attr, out);
            continue;
        }
        xmlXPathObjectPtr o = eval(r, g->expr, node);
        if (o == NULL)
            return -1;
        xmlChar *s = xmlXPathCastToString(o);
        sch_buf_adds(out, (const char *)s);
        xmlFree(s);
        xmlXPathFreeObject(o);
    }
    return 0;
}

/* The message in b (emptied first), whitespace-normalised; NULL when the run
 * failed. */
static char *msg_into(sch_run *r, const sch_msg *m, xmlNodePtr node, sch_buf *b)
{
    b->len = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
    if (msg_eval(r, m, node, b) < 0 || b->oom) {
        if (b->oom)
            sch_run_fail(r, SD_ELIMIT, "message too large");
        return NULL;
    }
    sch_buf_add(b, "", 0);
    if (b->oom) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        return NULL;
    }
    sch_normalize_space(b->p);
    return b->p;
}

static char *msg_string(sch_run *r, const sch_msg *m, xmlNodePtr node)
{
    sch_buf b = {0};
    char *s = msg_into(r, m, node, &b);
    if (s == NULL)
        sch_buf_free(&b);
    return s;
}

/* ---- firing ----------------------------------------------------------- */

static const char *finding_id(const sch_assert *a, const sch_rule *ru, const sch_pattern *p)
{
    if (a->id != NULL)
        return a->id;
    if (ru->id != NULL)
        return ru->id;
    if (p->id != NULL)
        return p->id;
    return "sch";
}

static int fire_assert(sch_run *r, const sch_pattern *p, const sch_rule *ru, const sch_assert *a,
                       xmlNodePtr node)
{
    char *own = msg_into(r, &a->msg, node, &r->msg);
    if (own == NULL)
        return -1;
    char *dsmall[1] = {NULL};
    char **dtext = a->ndiags + a->nprops == 0 ? dsmall
                                              : calloc(a->ndiags + a->nprops + 1, sizeof *dtext);
    if (dtext == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        return -1;
    }
    int rc = 0;
    const char *chosen = NULL;
    for (size_t i = 0; i < a->ndiags + a->nprops && rc == 0; i++) {
        const sch_diag *d = i < a->ndiags ? a->diags[i] : a->props[i - a->ndiags];
        dtext[i] = msg_string(r, &d->msg, node);
        if (dtext[i] == NULL)
            rc = -1;
        else if (i < a->ndiags && chosen == NULL && sch_lang_match(r->pack->lang, d->lang))
            chosen = dtext[i];
    }
    const char *loc = NULL;
    if (rc == 0 && (loc = sch_location_in(&r->sv, node, SD_XPATHLOC_COMPACT, &r->loc)) == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        rc = -1;
    }
    if (rc == 0) {
        if (chosen == NULL)
            chosen = own[0] ? own : (a->ndiags ? dtext[0] : NULL);
        char fallback[600];
        if (chosen == NULL || chosen[0] == '\0') {
            snprintf(fallback, sizeof fallback, "%s %s", a->is_report ? "report:" : "assertion failed:",
                     a->test);
            chosen = fallback;
        }
        sd_finding f = {0};
        f.rule_id = (char *)finding_id(a, ru, p);
        f.severity = a->sev;
        f.file = (char *)r->cur_path;
        sd_pos pos;
        sd_pos_of(node, &pos);
        f.line = pos.line;
        f.col = pos.col;
        f.end_line = pos.end_line;
        f.end_col = pos.end_col;
        f.offset = (long)pos.offset;
        f.location = (char *)loc;
        f.message = (char *)chosen;
        if (r->diags != NULL) {
            sd_status st = sd_diags_add(r->diags, &f, r->err);
            if (st != SD_OK) {
                r->st = st;
                rc = -1;
            }
        }
    }
    if (rc == 0 && r->sv.out != NULL)
        sch_svrl_assert(&r->sv, a, node, own, dtext, loc);
    for (size_t i = 0; i < a->ndiags + a->nprops; i++)
        free(dtext[i]);
    if (dtext != dsmall)
        free(dtext);
    return rc;
}

static int fire_rule(sch_run *r, const sch_pattern *p, const sch_rule *ru, xmlNodePtr node)
{
    r->stats.rules_fired++;
    if (r->sv.out != NULL)
        sch_svrl_fired_rule(&r->sv, ru, r->cur_path != r->path ? r->cur_path : NULL);
    r->rule = ru;
    r->rule_node = node;
    r->nvis = ru->nlets; /* evaluated when first referenced (rule_let) */
    if (ru->nlets > 0)
        memset(r->rstate, LET_UNSET, ru->nlets);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ru->nasserts; i++) {
        const sch_assert *a = ru->asserts[i];
        r->stats.tests++;
        /* a test that is just $v: the truth of v's value (boolean()), without
         * an XPath evaluation; a name not found takes XPath's way and error */
        xmlXPathObjectPtr v = a->bare != NULL ? find_value_in(r, a->bare, 1) : NULL;
        int b = v != NULL ? xmlXPathCastToBoolean(v)
                : a->bare != NULL && r->st != SD_OK ? -1
                : eval_bool(r, a->expr, node);
        if (b < 0) {
            rc = -1;
            break;
        }
        if ((a->is_report && b) || (!a->is_report && !b))
            rc = fire_assert(r, p, ru, a, node);
    }
    for (size_t i = 0; i < ru->nlets; i++) {
        if (r->rstate[i] == LET_DONE)
            sch_obj_drop(&r->state->pool, r->rvals[i]);
        r->rvals[i] = NULL;
        r->rstate[i] = LET_UNSET;
    }
    r->nvis = 0;
    r->rule = NULL;
    r->rule_node = NULL;
    return rc;
}

typedef struct claim {
    xmlNodePtr node;
    const sch_rule *rule;
    size_t key; /* position in document order (then collection order) */
} claim;

static int cmp_claim(const void *a, const void *b)
{
    const claim *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* The order index xmlXPathOrderDocElems wrote into an element, or 0. */
static size_t elem_order(xmlNodePtr n)
{
    ptrdiff_t v = (ptrdiff_t)n->content;
    return n->type == XML_ELEMENT_NODE && v < 0 ? (size_t)-v : 0;
}

static size_t node_hash(const void *p, size_t mask)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29)) & mask;
}

/* Gives every claim its key in document order, in O(N + k) for a document
 * of N nodes and k claims: element claims alone use the index
 * xmlXPathOrderDocElems wrote (no walk); otherwise one walk of the tree looks
 * each node up in a hash map of the claimed nodes.  (Sorting with
 * xmlXPathCmpNodes instead costs O(siblings) per comparison for text nodes:
 * 80,000 text nodes in mixed content took 22 s.)  Claims outside doc (a node
 * of another tree) keep their collection order, after the others. */
static int order_claims(claim *cl, size_t ncl, xmlDocPtr doc)
{
    int walk = 0;
    for (size_t i = 0; i < ncl && !walk; i++)
        walk = cl[i].node->doc != doc || elem_order(cl[i].node) == 0;
    if (!walk) {
        for (size_t i = 0; i < ncl; i++)
            cl[i].key = elem_order(cl[i].node);
        return 0;
    }
    size_t cap = 16;
    while (cap < ncl * 2)
        cap *= 2;
    size_t *map = malloc(cap * sizeof *map); /* claim index + 1, 0 empty */
    if (map == NULL)
        return -1;
    memset(map, 0, cap * sizeof *map);
    for (size_t i = 0; i < ncl; i++) {
        size_t h = node_hash(cl[i].node, cap - 1);
        while (map[h] != 0)
            h = (h + 1) & (cap - 1);
        map[h] = i + 1;
        cl[i].key = SIZE_MAX / 2 + i; /* not met in the walk: after the rest */
    }
    size_t seq = 0, found = 0;
    xmlNodePtr n = (xmlNodePtr)doc;
    while (n != NULL && found < ncl) {
        xmlNodePtr hit[1] = {n};
        for (xmlAttrPtr a = n->type == XML_ELEMENT_NODE ? n->properties : NULL;; a = a->next) {
            for (size_t h = node_hash(hit[0], cap - 1); map[h] != 0; h = (h + 1) & (cap - 1))
                if (cl[map[h] - 1].node == hit[0]) {
                    cl[map[h] - 1].key = seq;
                    found++;
                    break;
                }
            seq++;
            if (a == NULL)
                break;
            hit[0] = (xmlNodePtr)a;
        }
        /* next node in document order, without recursion */
        if (n->type != XML_ATTRIBUTE_NODE && n->children != NULL &&
            n->type != XML_ENTITY_REF_NODE) {
            n = n->children;
            continue;
        }
        while (n != NULL && n != (xmlNodePtr)doc && n->next == NULL)
            n = n->parent;
        n = n == NULL || n == (xmlNodePtr)doc ? NULL : n->next;
    }
    free(map);
    return 0;
}

/* One node-set a rule's context selected (one per top-level union branch). */
typedef struct ruleset {
    size_t rule;
    xmlXPathObjectPtr set;
    int listed;   /* 1: in document order, each node once (a plain path's one branch) */
    int borrowed; /* set belongs to the run's cache of selections (state pcache) */
} ruleset;

/* Room for need rule sets in *sets; -1 (the run failed) when out of memory. */
static int sets_reserve(sch_run *r, ruleset **sets, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = need * 2 + 4;
    ruleset *v = realloc(*sets, c * sizeof *v);
    if (v == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        return -1;
    }
    *sets = v;
    *cap = c;
    return 0;
}

/* A step of a plain-path context (compile.c rule_paths) with what speeds its
 * test on one document: the name as the document's dictionary holds it
 * (most tests are then a pointer comparison) and the last namespace name
 * found equal. */
typedef struct step_test {
    const sch_step *st;
    const xmlChar *interned;
    const xmlChar *href_ok;
} step_test;

/* The same test as XPath's name test of the step on an element. */
static int step_match(xmlNodePtr e, step_test *t)
{
    if (e->type != XML_ELEMENT_NODE || e->name == NULL)
        return 0;
    const char *local = t->st->local;
    if (e->name != t->interned &&
        (e->name[0] != (xmlChar)local[0] || strcmp((const char *)e->name, local) != 0))
        return 0;
    if (t->st->uri == NULL)
        return e->ns == NULL;
    if (e->ns == NULL || e->ns->href == NULL)
        return 0;
    if (e->ns->href == t->href_ok)
        return 1;
    if (strcmp((const char *)e->ns->href, t->st->uri) != 0)
        return 0;
    t->href_ok = e->ns->href;
    return 1;
}

/* Adds the elements below parent that steps k.. of a path from the root
 * select, in document order (nested loops over children are). */
static int walk_down(xmlNodePtr parent, step_test *t, size_t k, size_t n, xmlNodeSetPtr set)
{
    for (xmlNodePtr ch = parent->children; ch != NULL; ch = ch->next) {
        if (!step_match(ch, &t[k]))
            continue;
        if (k + 1 == n ? xmlXPathNodeSetAddUnique(set, ch) < 0
                       : walk_down(ch, t, k + 1, n, set) < 0)
            return -1;
    }
    return 0;
}

/* e matches the relative path's last step: do its ancestors match the rest? */
static int parents_match(xmlNodePtr e, step_test *t, size_t n)
{
    for (size_t k = n - 1; k-- > 0;) {
        e = e->parent;
        if (e == NULL || !step_match(e, &t[k]))
            return 0;
    }
    return 1;
}

#define SCH_PATH_MAX_STEPS 32

/* The elements of doc a plain-path context branch selects, in document
 * order and each once, found without XPath: from the root, a walk down the
 * named children; relative, the parse's list of elements (pos.h) or else a
 * walk of the tree, keeping those whose name and parents' names match.
 * *listed is set when the list was read.  NULL on OOM. */
static xmlXPathObjectPtr select_path(xmlDocPtr doc, const sch_path *pa, int *listed,
                                     sch_objpool *pool)
{
    step_test t[SCH_PATH_MAX_STEPS];
    for (size_t k = 0; k < pa->n; k++) {
        t[k].st = &pa->step[k];
        t[k].interned = doc->dict ? xmlDictExists(doc->dict, (const xmlChar *)pa->step[k].local, -1)
                                  : NULL;
        t[k].href_ok = NULL;
    }
    xmlXPathObjectPtr o = sch_obj_nodeset(pool);
    if (o == NULL)
        return NULL;
    xmlNodeSetPtr set = o->nodesetval;
    int rc = 0;
    size_t n = 0;
    xmlNodePtr const *els = pa->absolute ? NULL : sd_pos_doc_elements(doc, &n);
    *listed = els != NULL;
    if (pa->absolute) {
        rc = walk_down((xmlNodePtr)doc, t, 0, pa->n, set);
    } else if (els != NULL) {
        for (size_t i = 0; i < n && rc == 0; i++)
            if (step_match(els[i], &t[pa->n - 1]) && parents_match(els[i], t, pa->n))
                rc = xmlXPathNodeSetAddUnique(set, els[i]);
    } else { /* every element in document order, without recursion */
        xmlNodePtr e = xmlDocGetRootElement(doc);
        while (e != NULL && rc == 0) {
            if (step_match(e, &t[pa->n - 1]) && parents_match(e, t, pa->n))
                rc = xmlXPathNodeSetAddUnique(set, e);
            xmlNodePtr next = e->children;
            while (next != NULL && next->type != XML_ELEMENT_NODE)
                next = next->next;
            if (next == NULL) {
                for (;;) {
                    next = e->next;
                    while (next != NULL && next->type != XML_ELEMENT_NODE)
                        next = next->next;
                    if (next != NULL || e->parent == NULL ||
                        e->parent->type != XML_ELEMENT_NODE)
                        break;
                    e = e->parent;
                }
            }
            e = next;
        }
    }
    if (rc != 0) {
        sch_obj_drop(pool, o);
        return NULL;
    }
    return o;
}

static void drop_captured(sch_run *r)
{
    for (size_t i = 0; i < r->ncap; i++)
        xmlXPathFreeObject(r->cap[i]);
    r->ncap = 0;
}

/* Runs pattern p on one document (primary or subordinate). */
/* Gives the rule-set array back to the state for the next pattern. */
static void give_sets(sch_run *r, ruleset *sets, size_t cap)
{
    if (r->state != NULL && r->state->sets == NULL) {
        r->state->sets = sets;
        r->state->capsets = cap;
    } else {
        free(sets);
    }
}

static int run_pattern_on(sch_run *r, const sch_pattern *p, xmlDocPtr doc)
{
    size_t nrules = p->rules.n;
    /* the array from the last pattern, kept by the state (no malloc per pattern) */
    sch_state *st = r->state;
    ruleset *sets = st != NULL ? st->sets : NULL;
    size_t nsets = 0, capsets = st != NULL ? st->capsets : 0;
    if (st != NULL) {
        st->sets = NULL;
        st->capsets = 0;
    }
    size_t total = 0;
    int rc = 0;
    r->pat = p;
    for (size_t i = 0; i < nrules && rc == 0; i++) {
        const sch_rule *ru = p->rules.v[i];
        if (ru->abstract)
            continue;
        r->stats.context_evals++;
        if (sets_reserve(r, &sets, &capsets, nsets + 1) != 0) {
            rc = -1;
            break;
        }
        if (ru->npaths > 0) {
            int ok = 1;
            for (size_t k = 0; k < ru->npaths && ok; k++)
                ok = ru->paths[k].n <= SCH_PATH_MAX_STEPS;
            if (ok && sets_reserve(r, &sets, &capsets, nsets + ru->npaths) != 0) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < ru->npaths && ok; k++) {
                int listed = 0, canon = ru->paths[k].canon;
                int cached = doc == r->doc && st != NULL && st->pcache != NULL &&
                             st->plisted != NULL && canon >= 0 &&
                             (size_t)canon < r->pack->canon_paths.n;
                xmlXPathObjectPtr o = cached ? st->pcache[canon] : NULL;
                if (o != NULL) {
                    listed = st->plisted[canon];
                } else {
                    o = select_path(doc, &ru->paths[k], &listed, &r->state->pool);
                    if (o == NULL) {
                        sch_run_fail(r, SD_ENOMEM, "out of memory");
                        rc = -1;
                        break;
                    }
                    if (cached) {
                        st->pcache[canon] = o;
                        st->plisted[canon] = listed;
                    }
                }
                r->stats.listed += listed;
                /* one branch: in document order, each node once (fired as it
                 * is when it is its pattern's only rule); several: claimed */
                sets[nsets++] = (ruleset){i, o, ru->npaths == 1, cached};
            }
            if (ok)
                continue;
        }
        xmlXPathObjectPtr sel = native_select(r, ru, (xmlNodePtr)doc);
        if (sel != NULL) {
            /* in document order, each node once, like a plain path's */
            sets[nsets++] = (ruleset){i, sel, 1, 0};
            continue;
        }
        if (r->st != SD_OK) {
            rc = -1;
            break;
        }
        /* compiled as count(branch, 1) + ... (sch_compile_text): the branches'
         * node-sets arrive unsorted through fn_count */
        r->capturing = 1;
        r->ncap = 0;
        xmlXPathObjectPtr o = eval(r, ru->expr, (xmlNodePtr)doc);
        r->capturing = 0;
        if (o == NULL) {
            drop_captured(r);
            rc = -1;
            break;
        }
        size_t nnew = o->type == XPATH_NODESET ? 1 : r->ncap;
        if (sets_reserve(r, &sets, &capsets, nsets + nnew) != 0) {
            xmlXPathFreeObject(o);
            drop_captured(r);
            rc = -1;
            break;
        }
        if (o->type == XPATH_NODESET) {
            drop_captured(r);
            sets[nsets++] = (ruleset){i, o, 0, 0};
        } else {
            xmlXPathFreeObject(o);
            for (size_t k = 0; k < r->ncap; k++)
                sets[nsets++] = (ruleset){i, r->cap[k], 0, 0};
            r->ncap = 0;
        }
    }
    /* One rule whose context came from the list: its nodes are distinct and
     * in document order already, fired as they are. */
    if (rc == 0 && nsets == 1 && sets[0].listed) {
        xmlNodeSetPtr ns = sets[0].set->nodesetval;
        const sch_rule *ru = p->rules.v[sets[0].rule];
        for (int j = 0; rc == 0 && ns != NULL && j < ns->nodeNr; j++)
            rc = fire_rule(r, p, ru, ns->nodeTab[j]);
        if (!sets[0].borrowed)
            sch_obj_drop(&r->state->pool, sets[0].set);
        give_sets(r, sets, capsets);
        return rc;
    }
    for (size_t i = 0; i < nsets; i++)
        if (sets[i].set->nodesetval != NULL)
            total += (size_t)sets[i].set->nodesetval->nodeNr;
    claim *cl = NULL;
    size_t ncl = 0;
    sch_ptrset seen = {0};
    if (rc == 0 && total > 0) {
        cl = malloc(total * sizeof *cl);
        if (cl == NULL || sch_ptrset_init(&seen, total) < 0) {
            sch_run_fail(r, SD_ENOMEM, "out of memory");
            rc = -1;
        }
    }
    for (size_t i = 0; rc == 0 && total > 0 && i < nsets; i++) {
        xmlNodeSetPtr ns = sets[i].set->nodesetval;
        for (int j = 0; ns != NULL && j < ns->nodeNr; j++) {
            xmlNodePtr n = ns->nodeTab[j];
            if (n->type == XML_NAMESPACE_DECL)
                continue;
            int added = sch_ptrset_add(&seen, n);
            if (added < 0) {
                sch_run_fail(r, SD_ENOMEM, "out of memory");
                rc = -1;
                break;
            }
            if (added == 1) {
                cl[ncl].node = n;
                cl[ncl].rule = p->rules.v[sets[i].rule];
                ncl++;
            }
        }
    }
    if (rc == 0 && ncl > 1) {
        if (order_claims(cl, ncl, doc) < 0) {
            sch_run_fail(r, SD_ENOMEM, "out of memory");
            rc = -1;
        } else {
            /* one rule's context as libxml2 returns it is in document order
             * already: then n - 1 comparisons, not a sort */
            size_t k = 1;
            while (k < ncl && cmp_claim(&cl[k - 1], &cl[k]) <= 0)
                k++;
            if (k < ncl)
                qsort(cl, ncl, sizeof *cl, cmp_claim);
        }
    }
    for (size_t i = 0; rc == 0 && i < ncl; i++)
        rc = fire_rule(r, p, cl[i].rule, cl[i].node);
    free(cl);
    sch_ptrset_free(&seen);
    for (size_t i = 0; i < nsets; i++)
        if (!sets[i].borrowed)
            sch_obj_drop(&r->state->pool, sets[i].set);
    give_sets(r, sets, capsets);
    return rc;
}

/* Reads an opened subordinate document with the same safe loader as the
 * checked documents; NULL and a reason (the loader's first finding) on failure. */
static xmlDocPtr load_fd(int fd, const char *path, char *why, size_t whylen)
{
    why[0] = '\0';
    sd_load_options opt = {.lang = SD_LANG_EN, .positions = 1};
    sd_source src = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    sd_status st = sd_load_read_fd(fd, path, &opt, &src, &d, &err);
    if (st == SD_OK && src.bytes != NULL)
        st = sd_load_parse(&src, &opt, &doc, &d, &err);
    if (doc == NULL) {
        if (st == SD_ENOMEM)
            snprintf(why, whylen, "out of memory");
        else if (d.count > 0 && d.items[0].line > 0)
            snprintf(why, whylen, "line %ld: %s", d.items[0].line, d.items[0].message);
        else if (d.count > 0)
            snprintf(why, whylen, "%s", d.items[0].message);
        else
            snprintf(why, whylen, "%s", err.msg[0] ? err.msg : "cannot be read");
    }
    sd_diags_free(&d);
    sd_source_free(&src);
    return doc;
}

/* Reads and parses the subordinate document href names, relative to the
 * folder of the checked document (plain path joining, no URIs: a name with
 * CJK characters or spaces is used as it is).  A subordinate document's name
 * may come from the checked document itself, so the file is opened only
 * beneath that folder (safeopen.c: opened first, then its real location
 * checked; any error refuses it) and read from that descriptor by the safe
 * loader (no DOCTYPE, size limit; FIFOs and devices are refused). */
static xmlDocPtr subdoc(sch_run *r, const sch_pattern *p, const char *href, const char **path_out)
{
    char *dir = sd_safeopen_dirname(r->base);
    char *path = dir ? sd_safeopen_join(dir, href) : NULL;
    if (path == NULL) {
        free(dir);
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < r->nsub; i++)
        if (strcmp(r->sub_uri[i], path) == 0) {
            free(dir);
            free(path);
            *path_out = r->sub_uri[i];
            return r->sub_doc[i];
        }
    if (r->nsub >= SCH_MAX_SUBDOCS) {
        free(dir);
        free(path);
        sch_run_fail(r, SD_ELIMIT, "more than %d subordinate documents", SCH_MAX_SUBDOCS);
        return NULL;
    }
    int fd = -1;
    char why[600];
    sd_safeopen_result how = sd_safeopen_beneath(dir, href, &fd, why, sizeof why);
    free(dir);
    if (how == SD_SAFEOPEN_OUTSIDE) {
        sch_run_fail(r, SD_EIO,
                     "pattern at %s:%ld: subordinate document %s lies outside the folder of the "
                     "checked document; refused",
                     p->file, p->line, path);
        free(path);
        return NULL;
    }
    xmlDocPtr d = NULL;
    if (how == SD_SAFEOPEN_OK) {
        d = load_fd(fd, path, why, sizeof why);
        close(fd);
    }
    if (d == NULL) {
        if (why[0] == '\0')
            snprintf(why, sizeof why, "out of memory");
        sch_run_fail(r, SD_EIO, "pattern at %s:%ld: subordinate document %s: %s", p->file, p->line,
                     path, why);
        free(path);
        return NULL;
    }
    char **nu = realloc(r->sub_uri, (r->nsub + 1) * sizeof *nu);
    if (nu != NULL)
        r->sub_uri = nu;
    xmlDocPtr *nd = realloc(r->sub_doc, (r->nsub + 1) * sizeof *nd);
    if (nd != NULL)
        r->sub_doc = nd;
    if (nu == NULL || nd == NULL) {
        free(path);
        sd_pos_doc_free(d);
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        return NULL;
    }
    xmlXPathOrderDocElems(d);
    r->sub_uri[r->nsub] = path;
    r->sub_doc[r->nsub] = d;
    r->nsub++;
    *path_out = path;
    return d;
}

static int run_pattern(sch_run *r, const sch_pattern *p)
{
    size_t ap = 0;
    if (r->sv.out != NULL)
        ap = sch_svrl_active_pattern(&r->sv, p);
    if (p->documents_expr < 0) {
        if (r->sv.out != NULL)
            sch_svrl_documents(&r->sv, ap, r->doc->URL ? (const char *)r->doc->URL : r->path);
        r->cur_path = r->path;
        return run_pattern_on(r, p, r->doc);
    }
    r->pat = p;
    xmlXPathObjectPtr o = eval(r, p->documents_expr, (xmlNodePtr)r->doc);
    if (o == NULL)
        return -1;
    char **hrefs = NULL;
    size_t nh = 0;
    if (o->type == XPATH_NODESET && o->nodesetval != NULL) {
        hrefs = calloc((size_t)o->nodesetval->nodeNr + 1, sizeof *hrefs);
        for (int i = 0; hrefs && i < o->nodesetval->nodeNr; i++) {
            xmlChar *s = xmlXPathCastNodeToString(o->nodesetval->nodeTab[i]);
            hrefs[nh++] = (char *)s;
        }
    } else {
        hrefs = calloc(2, sizeof *hrefs);
        if (hrefs)
            hrefs[nh++] = (char *)xmlXPathCastToString(o);
    }
    xmlXPathFreeObject(o);
    if (hrefs == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        return -1;
    }
    int rc = 0;
    sch_buf docs = {0};
    for (size_t i = 0; i < nh && rc == 0; i++) {
        if (hrefs[i] == NULL)
            continue;
        sch_normalize_space(hrefs[i]);
        if (hrefs[i][0] == '\0')
            continue;
        const char *path = NULL;
        xmlDocPtr d = subdoc(r, p, hrefs[i], &path);
        if (d == NULL) {
            rc = -1;
            break;
        }
        if (docs.len)
            sch_buf_adds(&docs, " ");
        sch_buf_adds(&docs, path);
        r->cur_path = path;
        rc = run_pattern_on(r, p, d);
    }
    r->cur_path = r->path;
    if (r->sv.out != NULL)
        sch_svrl_documents(&r->sv, ap, docs.p);
    sch_buf_free(&docs);
    for (size_t i = 0; i < nh; i++)
        xmlFree(hrefs[i]);
    free(hrefs);
    return rc;
}

static void state_free(void *p)
{
    sch_state *k = p;
    if (k == NULL)
        return;
    if (k->ctx != NULL)
        xmlXPathFreeContext(k->ctx);
    sch_fn_env_free(&k->fn);
    free(k->gvals);
    free(k->rvals);
    free(k->rstate);
    sch_buf_free(&k->msg);
    sd_buf_free(&k->loc);
    free(k->cap);
    free(k->memo);
    free(k->names);
    vmemo_free(k);
    sch_arena_free(&k->xarena);
    free(k->xpn);
    free(k->xtried);
    free(k->xsel);
    free(k->xseltried);
    free(k->pcache);
    free(k->plisted);
    sch_xpn_scratch_free(k->scratch);
    sch_objpool_free(&k->pool);
    for (size_t i = 0; i < sizeof k->vkey / sizeof k->vkey[0]; i++)
        sch_buf_free(&k->vkey[i]);
    free(k->sets);
    free(k);
}

/* The inst's state, made at its first run: NULL on OOM. */
static sch_state *state_of(const sd_sch_pack *pack, sch_inst *in)
{
    if (in->state != NULL)
        return in->state;
    size_t maxlets = 1;
    for (size_t i = 0; i < pack->nrun; i++)
        for (size_t j = 0; j < pack->run[i]->rules.n; j++) {
            const sch_rule *ru = pack->run[i]->rules.v[j];
            if (ru->nlets > maxlets)
                maxlets = ru->nlets;
        }
    sch_state *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->ctx = xmlXPathNewContext(NULL);
    k->gvals = calloc(pack->nglobals + 1, sizeof *k->gvals);
    k->rvals = calloc(maxlets, sizeof *k->rvals);
    k->rstate = calloc(maxlets, 1);
    k->names = calloc(NAME_SLOTS, sizeof *k->names); /* NULL: resolved every time */
    k->vok = calloc(pack->nvmemo + 1, 1);             /* NULL: nothing evaluated ahead */
    k->xpn = calloc(pack->nexprs + 1, sizeof *k->xpn); /* NULL: libxml2 evaluates all */
    k->xtried = calloc(pack->nexprs + 1, 1);
    k->xsel = calloc(pack->nexprs + 1, sizeof *k->xsel);
    k->xseltried = calloc(pack->nexprs + 1, 1);
    k->pcache = calloc(pack->canon_paths.n + 1, sizeof *k->pcache);
    k->plisted = calloc(pack->canon_paths.n + 1, sizeof *k->plisted);
    k->scratch = sch_xpn_scratch_new();
    if (k->ctx == NULL || k->gvals == NULL || k->rvals == NULL || k->rstate == NULL ||
        sch_fn_env_init(&k->fn, pack, fn_fail, NULL) < 0) {
        state_free(k);
        return NULL;
    }
    xmlXPathContextPtr ctx = k->ctx;
    /* libxml2 2.9 leaves its object cache off: without it every number,
     * string and node-set of every step is a malloc and a free */
    xmlXPathContextSetCache(ctx, 1, -1, 0);
    ctx->error = xpath_error;
    for (size_t i = 0; i < pack->ns_prefix.n; i++)
        xmlXPathRegisterNs(ctx, (const xmlChar *)pack->ns_prefix.v[i],
                           (const xmlChar *)pack->ns_uri.v[i]);
    sch_register_functions(ctx, &k->fn);
    xmlXPathRegisterFunc(ctx, (const xmlChar *)"count", NULL); /* drops the built-in */
    xmlXPathRegisterFunc(ctx, (const xmlChar *)"count", fn_count);
    for (size_t i = 0; sch_cheap_fn(i) != NULL; i++) {
        char prefix[64], uri[64];
        snprintf(prefix, sizeof prefix, SCH_CHEAP_PREFIX "%s", sch_cheap_fn(i));
        snprintf(uri, sizeof uri, SCH_CHEAP_NS "%s", sch_cheap_fn(i));
        xmlXPathRegisterNs(ctx, (const xmlChar *)prefix, (const xmlChar *)uri);
    }
    in->state = k;
    in->state_free = state_free;
    return k;
}

/* Lends the inst's state to run r (state_end gives it back). */
static void state_begin(sch_run *r, sch_state *k)
{
    r->ctx = k->ctx;
    r->fn = &k->fn;
    r->gvals = k->gvals;
    r->rvals = k->rvals;
    r->rstate = k->rstate;
    r->msg = k->msg;
    r->loc = k->loc;
    r->cap = k->cap;
    r->capcap = k->capcap;
    r->memo = k->memo;
    r->memocap = k->memocap;
    r->nmemo = 0;
    r->names = k->names;
    r->state = k;
    k->runs++;
    memcpy(r->vkey, k->vkey, sizeof r->vkey);
    memset(k->vkey, 0, sizeof k->vkey);
    k->fn.fail_arg = r;
    k->fn.tier = NULL;
    k->fn.current = NULL;
    r->ctx->userData = r;
    r->ctx->doc = r->doc;
    r->ctx->node = NULL;
    xmlXPathRegisterVariableLookup(r->ctx, var_lookup, r);
}

static void run_free(sch_run *r)
{
    sch_state *k = r->inst ? r->inst->state : NULL;
    if (k != NULL) {
        for (size_t i = 0; i < r->pack->nglobals; i++) {
            sch_obj_drop(&k->pool, k->gvals[i]);
            k->gvals[i] = NULL;
        }
        drop_captured(r);
        memo_clear(r);
        for (size_t i = 0; k->pcache != NULL && i < r->pack->canon_paths.n; i++) {
            sch_obj_drop(&k->pool, k->pcache[i]);
            k->pcache[i] = NULL;
        }
        k->memo = r->memo;
        k->memocap = r->memocap;
        k->msg = r->msg;
        k->loc = r->loc;
        k->cap = r->cap;
        k->capcap = r->capcap;
        k->fn.fail_arg = NULL;
        k->fn.tier = NULL;
        k->fn.current = NULL;
        sch_fn_env_reset(&k->fn);
        k->ctx->userData = NULL;
        k->ctx->doc = NULL;
        k->ctx->node = NULL;
        xmlXPathRegisterVariableLookup(k->ctx, NULL, NULL);
    }
    for (size_t i = 0; i < r->nsub; i++) {
        free(r->sub_uri[i]);
        sd_pos_doc_free(r->sub_doc[i]);
    }
    free(r->sub_uri);
    free(r->sub_doc);
    /* the key buffers go back to the state for its next run, before the
     * state (with its inst) goes back to the pool for another thread */
    for (size_t i = 0; i < sizeof r->vkey / sizeof r->vkey[0]; i++) {
        if (k != NULL && r->state == k)
            k->vkey[i] = r->vkey[i];
        else
            sch_buf_free(&r->vkey[i]);
    }
    if (r->inst != NULL)
        sch_inst_put(r->pack, r->inst);
    free(r->tier);
    sch_svrl_free(&r->sv);
}

sd_status sch_run_ex(const sd_sch_pack *pack, xmlDocPtr doc, const char *display_path,
                     sd_diags *diags, sd_svrl **svrl, sch_stats *stats, sd_error *err)
{
    if (svrl != NULL)
        *svrl = NULL;
    if (pack == NULL || doc == NULL)
        return sd_error_set(err, SD_EINVAL, display_path ? display_path : "", 0,
                            "no rule pack or no document");
    sch_run r;
    memset(&r, 0, sizeof r);
    r.pack = pack;
    r.doc = doc;
    r.err = err;
    r.diags = diags;
    r.path = display_path ? display_path : (doc->URL ? (const char *)doc->URL : "-");
    r.cur_path = r.path;
    /* the path as the caller named it, not doc->URL (libxml2 percent-escapes
     * that: "目录 一/a.xml" becomes "%E7%9B%AE..." and no longer names the file) */
    r.base = display_path ? display_path : (doc->URL ? (const char *)doc->URL : ".");
    if (strncmp(r.base, "file://", 7) == 0)
        r.base += 7;
    r.cur_expr = -1;
    r.inst = sch_inst_get(pack, err);
    if (r.inst == NULL)
        return err ? err->code : SD_ENOMEM;
    sch_state *k = state_of(pack, r.inst);
    if (k == NULL || (svrl != NULL && sch_svrl_start(&r.sv, pack) < 0)) {
        run_free(&r);
        return sd_error_set(err, SD_ENOMEM, r.path, 0, "out of memory");
    }
    state_begin(&r, k);
    unsigned long compiled = k->fn.rx.compiled;
    /* XPath errors reach xpath_error; libxml2 also prints some (an unknown
     * function) on the generic channel, silenced once for the whole run. */
    sd_quiet quiet;
    sd_quiet_begin(&quiet);
    if (!sd_pos_doc_ordered(doc)) /* else numbered while it was parsed (pos.c) */
        xmlXPathOrderDocElems(doc);

    int rc = 0;
    if (pack->tier == NULL && pack->tier_select_expr >= 0) {
        xmlXPathObjectPtr o = eval(&r, pack->tier_select_expr, (xmlNodePtr)doc);
        if (o == NULL) {
            rc = -1;
        } else {
            xmlChar *s = xmlXPathCastToString(o);
            r.tier = s ? strdup((const char *)s) : NULL;
            xmlFree(s);
            xmlXPathFreeObject(o);
            if (r.tier == NULL) {
                sch_run_fail(&r, SD_ENOMEM, "out of memory");
                rc = -1;
            } else {
                sch_normalize_space(r.tier);
                r.fn->tier = r.tier;
            }
        }
    }
    for (size_t i = 0; i < pack->nglobals && rc == 0; i++) {
        const sch_let *l = pack->globals[i];
        r.pat = l->owner >= 0 ? pack->patterns.v[l->owner] : NULL;
        r.gvals[i] = let_value(&r, l, (xmlNodePtr)doc);
        if (r.gvals[i] == NULL)
            rc = -1;
    }
    for (size_t i = 0; i < pack->nrun && rc == 0; i++)
        rc = run_pattern(&r, pack->run[i]);
    sd_quiet_end(&quiet);
    r.pat = NULL;
    r.stats.ops = r.ops;
    r.stats.regex_compiled = k->fn.rx.compiled - compiled;
    if (stats != NULL)
        *stats = r.stats;
    sd_status st = r.st;
    if (rc != 0 && st == SD_OK)
        st = sd_error_set(err, SD_ERULES, r.path, 0, "rule evaluation failed");
    if (st == SD_OK && sch_svrl_failed(&r.sv))
        st = sd_error_set(err, SD_ENOMEM, r.path, 0, "out of memory writing SVRL");
    if (st == SD_OK && svrl != NULL) {
        *svrl = r.sv.out;
        r.sv.out = NULL;
    }
    run_free(&r);
    return st;
}

sd_status sd_sch_run(const sd_sch_pack *pack, xmlDocPtr doc, const char *display_path,
                     sd_diags *diags, sd_svrl **svrl, sd_error *err)
{
    return sch_run_ex(pack, doc, display_path, diags, svrl, NULL, err);
}
