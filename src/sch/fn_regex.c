/*
 * fn_regex.c — the XPath extension functions of urn:sdlint:functions:
 * matches(s, re[, flags]), replace(s, re, rep[, flags]), tokenize(s, re[, flags])
 * with PCRE2, plus param(name) and XSLT's current().
 *
 * Place: above regex.c and params.c, below eval.c (the order is in sch_int.h).
 * eval.c gives each run's XPath context a sch_fn_env as the data of the
 * function lookup registered here; the functions see the run only through it
 * (regex env, current node, tier, error sink), never the run itself.
 *
 * Semantics follow XPath 2.0 (F&O 7.6): flags s, m, i, x, q; `$` matches only
 * at the very end unless m; replace() and tokenize() refuse a pattern that
 * matches "" (FORX0003); in a replacement, $N is group N, \$ and \\ are
 * literal.  tokenize() returns a node-set of text nodes (owned by the env's
 * scratch document) in order, so count(), [n], string() and = work on it in
 * XPath 1.0; an empty input gives an empty node-set.
 *
 * Patterns: a literal in a user's pack was checked when it loaded (a bad one
 * is a rule-pack error at its .sch line); every pattern is compiled at its
 * first use and cached with the thread's compiled-expression set, for the
 * runs that follow (regex.c).  Every match runs under the run's limits, so a
 * catastrophic pattern ends the run with SD_ELIMIT instead of hanging it.
 *
 * Cost: replace() and tokenize() with n matches on a subject of L bytes are
 * O(L + n): the subject's UTF-8 is validated by the first match only (later
 * ones pass PCRE2_NO_UTF_CHECK), the result grows geometrically, and tokens
 * are appended to their node-set without libxml2's duplicate scan.
 */
#include "sch/sch_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

static sch_fn_env *env_of(xmlXPathParserContextPtr ctxt)
{
    return ctxt->context->funcLookupData;
}

/* Reports to the env's sink, then raises the XPath error xperr. */
static void fail(xmlXPathParserContextPtr ctxt, sch_fn_env *e, sd_status code, int xperr,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fail(xmlXPathParserContextPtr ctxt, sch_fn_env *e, sd_status code, int xperr,
                 const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (e->fail != NULL)
        e->fail(e->fail_arg, code, msg);
    xmlXPathErr(ctxt, xperr);
}

static void oom(xmlXPathParserContextPtr ctxt, sch_fn_env *e)
{
    fail(ctxt, e, SD_ENOMEM, XPATH_MEMORY_ERROR, "out of memory");
}

/* Pops the arguments (last first) as strings into a[0..n-1]. */
static int pop_strings(xmlXPathParserContextPtr ctxt, int nargs, xmlChar **a)
{
    for (int i = nargs - 1; i >= 0; i--) {
        a[i] = xmlXPathPopString(ctxt);
        if (ctxt->error != XPATH_EXPRESSION_OK || a[i] == NULL) {
            for (int j = i; j < nargs; j++) {
                xmlFree(a[j]);
                a[j] = NULL;
            }
            return -1;
        }
    }
    return 0;
}

static void free_strings(xmlChar **a, int n)
{
    for (int i = 0; i < n; i++)
        xmlFree(a[i]);
}

/* Runs one match; returns rc (>0 match, 0 no match) or -1 after failing the
 * run.  opts: 0 for the subject's first match, then PCRE2_NO_UTF_CHECK. */
static int do_match(xmlXPathParserContextPtr ctxt, sch_fn_env *e, const pcre2_code *code,
                    const char *pattern, const char *s, size_t len, size_t start, uint32_t opts,
                    pcre2_match_data *md)
{
    int rc = sch_regex_match(&e->rx, code, s, len, start, opts, md);
    if (rc >= 0)
        return rc == 0 ? 1 : rc;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        fail(ctxt, e, SD_ELIMIT, XPATH_EXPR_ERROR,
             "regular expression \"%s\" reached the match limit on a %zu-byte string "
             "(catastrophic backtracking); simplify the pattern",
             pattern, len);
    } else {
        PCRE2_UCHAR why[200];
        if (pcre2_get_error_message(rc, why, sizeof why) < 0)
            why[0] = '\0';
        fail(ctxt, e, SD_ERULES, XPATH_EXPR_ERROR,
             "regular expression \"%s\" failed (PCRE2 error %d: %s)", pattern, rc,
             (const char *)why);
    }
    return -1;
}

static const pcre2_code *get_regex(xmlXPathParserContextPtr ctxt, sch_fn_env *e,
                                   const char *pattern, const char *flags)
{
    sd_status st = SD_OK;
    char why[512];
    const pcre2_code *code = sch_regex_get(&e->rx, pattern, flags, &st, why, sizeof why);
    if (code == NULL)
        fail(ctxt, e, st, st == SD_ENOMEM ? XPATH_MEMORY_ERROR : XPATH_EXPR_ERROR, "%s", why);
    return code;
}

static pcre2_match_data *new_match_data(xmlXPathParserContextPtr ctxt, sch_fn_env *e,
                                        const pcre2_code *code)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (md == NULL)
        oom(ctxt, e);
    return md;
}

static int matches_empty(xmlXPathParserContextPtr ctxt, sch_fn_env *e, const pcre2_code *code,
                         const char *pattern, const char *fn, pcre2_match_data *md)
{
    int rc = do_match(ctxt, e, code, pattern, "", 0, 0, 0, md);
    if (rc > 0) {
        fail(ctxt, e, SD_ERULES, XPATH_EXPR_ERROR, "%s(): the pattern \"%s\" matches the empty string",
             fn, pattern);
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

/* A pattern that matches "" only in context (lookbehind, \b, ^ with m) passes
 * matches_empty but would never advance replace() or tokenize(): refuse it
 * when it happens.  Returns -1 after failing the run. */
static int empty_match(xmlXPathParserContextPtr ctxt, sch_fn_env *e, pcre2_match_data *md,
                       const char *pattern, const char *fn)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[1] > ov[0])
        return 0;
    fail(ctxt, e, SD_ERULES, XPATH_EXPR_ERROR, "%s(): the pattern \"%s\" matches an empty string",
         fn, pattern);
    return -1;
}

static void fn_matches(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 2 || nargs > 3) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_fn_env *e = env_of(ctxt);
    xmlChar *a[3] = {NULL, NULL, NULL};
    if (pop_strings(ctxt, nargs, a) < 0)
        return;
    const char *flags = nargs == 3 ? (const char *)a[2] : "";
    const pcre2_code *code = get_regex(ctxt, e, (const char *)a[1], flags);
    /* whether it matches is all: one ovector pair (a match that has more
     * groups returns 0, "ovector too small", which do_match counts as one) */
    if (code != NULL && e->md1 == NULL && (e->md1 = pcre2_match_data_create(1, NULL)) == NULL)
        oom(ctxt, e);
    int rc = -1;
    if (code != NULL && e->md1 != NULL)
        rc = do_match(ctxt, e, code, (const char *)a[1], (const char *)a[0],
                      strlen((const char *)a[0]), 0, 0, e->md1);
    free_strings(a, 3);
    if (rc >= 0)
        valuePush(ctxt, xmlXPathNewBoolean(rc > 0));
}

/* Appends the replacement for one match; -1 on a bad replacement string. */
int sch_fn_expand_rep(sch_buf *out, const char *rep, const char *s, pcre2_match_data *md, int rc,
                      uint32_t ngroups)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    for (const char *p = rep; *p; p++) {
        if (*p == '\\') {
            if (p[1] == '\\' || p[1] == '$') {
                sch_buf_add(out, p + 1, 1);
                p++;
                continue;
            }
            return -1;
        }
        if (*p == '$') {
            if (p[1] < '0' || p[1] > '9')
                return -1;
            uint32_t g = (uint32_t)(p[1] - '0');
            p++;
            while (p[1] >= '0' && p[1] <= '9' && g * 10 + (uint32_t)(p[1] - '0') <= ngroups) {
                g = g * 10 + (uint32_t)(p[1] - '0');
                p++;
            }
            if (g <= ngroups && (int)g < rc && ov[2 * g] != PCRE2_UNSET)
                sch_buf_add(out, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
            continue;
        }
        size_t run = strcspn(p, "\\$");
        sch_buf_add(out, p, run);
        p += run - 1;
    }
    return 0;
}

static void fn_replace(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 3 || nargs > 4) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_fn_env *e = env_of(ctxt);
    xmlChar *a[4] = {NULL, NULL, NULL, NULL};
    if (pop_strings(ctxt, nargs, a) < 0)
        return;
    const char *s = (const char *)a[0], *pat = (const char *)a[1], *rep = (const char *)a[2];
    const char *flags = nargs == 4 ? (const char *)a[3] : "";
    const pcre2_code *code = get_regex(ctxt, e, pat, flags);
    pcre2_match_data *md = code ? new_match_data(ctxt, e, code) : NULL;
    sch_buf out = {0};
    int ok = md != NULL && matches_empty(ctxt, e, code, pat, "replace", md) == 0;
    if (ok) {
        uint32_t ngroups = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
        size_t len = strlen(s), pos = 0;
        uint32_t opts = 0;
        sch_buf_add(&out, "", 0);
        while (pos <= len) {
            int rc = do_match(ctxt, e, code, pat, s, len, pos, opts, md);
            opts = PCRE2_NO_UTF_CHECK;
            if (rc < 0) {
                ok = 0;
                break;
            }
            if (rc == 0)
                break;
            if (empty_match(ctxt, e, md, pat, "replace") < 0) {
                ok = 0;
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            sch_buf_add(&out, s + pos, ov[0] - pos);
            if (sch_fn_expand_rep(&out, rep, s, md, rc, ngroups) < 0) {
                fail(ctxt, e, SD_ERULES, XPATH_EXPR_ERROR,
                     "replace(): bad replacement string \"%s\" ($N, \\$ and \\\\ only)", rep);
                ok = 0;
                break;
            }
            pos = ov[1];
            if (out.oom)
                break;
        }
        if (ok && pos <= len)
            sch_buf_add(&out, s + pos, len - pos);
        if (ok && out.oom) {
            fail(ctxt, e, SD_ELIMIT, XPATH_MEMORY_ERROR, "replace(): result too large");
            ok = 0;
        }
    }
    if (ok)
        valuePush(ctxt, xmlXPathNewString((const xmlChar *)sch_buf_str(&out)));
    pcre2_match_data_free(md);
    sch_buf_free(&out);
    free_strings(a, 4);
}

static xmlNodePtr scratch_holder(sch_fn_env *e)
{
    if (e->holder != NULL)
        return e->holder;
    if (e->scratch == NULL)
        e->scratch = xmlNewDoc((const xmlChar *)"1.0");
    if (e->scratch == NULL)
        return NULL;
    e->holder = xmlNewDocNode(e->scratch, NULL, (const xmlChar *)"tokens", NULL);
    if (e->holder != NULL)
        xmlDocSetRootElement(e->scratch, e->holder);
    return e->holder;
}

static int add_token(xmlXPathParserContextPtr ctxt, sch_fn_env *e, xmlNodeSetPtr set,
                     const char *s, size_t n)
{
    /* Each token's text node sits in its own element: xmlAddChild would merge
     * adjacent text nodes (and free the one we hand out). */
    xmlNodePtr holder = scratch_holder(e);
    xmlNodePtr el = holder ? xmlNewDocNode(holder->doc, NULL, (const xmlChar *)"t", NULL) : NULL;
    xmlNodePtr t = el && n <= INT_MAX ? xmlNewDocTextLen(holder->doc, (const xmlChar *)s, (int)n)
                                      : NULL;
    if (t == NULL) {
        xmlFreeNode(el);
        oom(ctxt, e);
        return -1;
    }
    xmlAddChild(holder, el);
    xmlAddChild(el, t);
    /* a fresh node cannot be in the set yet: skip xmlXPathNodeSetAdd's O(set) scan */
    if (xmlXPathNodeSetAddUnique(set, t) < 0) {
        oom(ctxt, e);
        return -1;
    }
    return 0;
}

static void fn_tokenize(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 2 || nargs > 3) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_fn_env *e = env_of(ctxt);
    xmlChar *a[3] = {NULL, NULL, NULL};
    if (pop_strings(ctxt, nargs, a) < 0)
        return;
    const char *s = (const char *)a[0], *pat = (const char *)a[1];
    const char *flags = nargs == 3 ? (const char *)a[2] : "";
    const pcre2_code *code = get_regex(ctxt, e, pat, flags);
    pcre2_match_data *md = code ? new_match_data(ctxt, e, code) : NULL;
    xmlNodeSetPtr set = md ? xmlXPathNodeSetCreate(NULL) : NULL;
    if (md != NULL && set == NULL)
        oom(ctxt, e);
    int ok = set != NULL && matches_empty(ctxt, e, code, pat, "tokenize", md) == 0;
    size_t len = strlen(s), pos = 0;
    uint32_t opts = 0;
    while (ok && len > 0) {
        int rc = do_match(ctxt, e, code, pat, s, len, pos, opts, md);
        opts = PCRE2_NO_UTF_CHECK;
        if (rc < 0) {
            ok = 0;
            break;
        }
        if (rc == 0) {
            ok = add_token(ctxt, e, set, s + pos, len - pos) == 0;
            break;
        }
        if (empty_match(ctxt, e, md, pat, "tokenize") < 0) {
            ok = 0;
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (add_token(ctxt, e, set, s + pos, ov[0] - pos) < 0) {
            ok = 0;
            break;
        }
        pos = ov[1];
    }
    pcre2_match_data_free(md);
    free_strings(a, 3);
    if (ok) {
        valuePush(ctxt, xmlXPathWrapNodeSet(set));
    } else {
        xmlXPathFreeNodeSet(set);
        if (ctxt->error == XPATH_EXPRESSION_OK)
            xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
    }
}

static void fn_param(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_fn_env *e = env_of(ctxt);
    xmlChar *name = xmlXPathPopString(ctxt);
    if (name == NULL)
        return;
    if (sch_param_find(e->pack, (const char *)name) == NULL) {
        fail(ctxt, e, SD_ERULES, XPATH_EXPR_ERROR, "param(): undeclared parameter \"%s\"",
             (const char *)name);
        xmlFree(name);
        return;
    }
    /* override, else forced tier, else the document's tier, else the default */
    const char *v = sd_sch_param_value(e->pack, (const char *)name,
                                       e->pack->tier ? e->pack->tier : e->tier);
    xmlFree(name);
    valuePush(ctxt, xmlXPathNewString((const xmlChar *)(v ? v : "")));
}

static void fn_current(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 0) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    valuePush(ctxt, xmlXPathNewNodeSet(env_of(ctxt)->current));
}

/* ---- the environment ---------------------------------------------------- */

int sch_fn_env_init(sch_fn_env *e, const sd_sch_pack *pack,
                    void (*fail_fn)(void *arg, sd_status code, const char *msg), void *fail_arg)
{
    memset(e, 0, sizeof *e);
    e->pack = pack;
    e->fail = fail_fn;
    e->fail_arg = fail_arg;
    return sch_regex_env_init(&e->rx);
}

void sch_fn_env_free(sch_fn_env *e)
{
    sch_regex_env_free(&e->rx);
    pcre2_match_data_free(e->md1);
    e->md1 = NULL;
    xmlFreeDoc(e->scratch);
    e->scratch = NULL;
    e->holder = NULL;
}

void sch_fn_env_reset(sch_fn_env *e)
{
    if (e->scratch != NULL) {
        xmlFreeDoc(e->scratch);
        e->scratch = NULL;
        e->holder = NULL;
    }
}

static xmlXPathFunction lookup(void *data, const xmlChar *name, const xmlChar *ns_uri)
{
    (void)data;
    const char *n = (const char *)name;
    if (ns_uri == NULL)
        return strcmp(n, "current") == 0 ? fn_current : NULL;
    if (strcmp((const char *)ns_uri, SD_SCH_FN_NS) != 0)
        return NULL;
    if (strcmp(n, "matches") == 0)
        return fn_matches;
    if (strcmp(n, "replace") == 0)
        return fn_replace;
    if (strcmp(n, "tokenize") == 0)
        return fn_tokenize;
    if (strcmp(n, "param") == 0)
        return fn_param;
    return NULL;
}

void sch_register_functions(xmlXPathContextPtr ctx, sch_fn_env *e)
{
    xmlXPathRegisterFuncLookup(ctx, lookup, e);
}
