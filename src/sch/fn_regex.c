/*
 * fn_regex.c — the XPath extension functions of urn:sdlint:functions:
 * matches(s, re[, flags]), replace(s, re, rep[, flags]), tokenize(s, re[, flags])
 * with PCRE2, plus param(name) and XSLT's current().
 *
 * Place: registered on each run's XPath context by eval.c.  Semantics follow
 * XPath 2.0 (F&O 7.6): flags s, m, i, x, q; `$` matches only at the very end
 * unless m; replace() and tokenize() refuse a pattern that matches "" (FORX0003);
 * in a replacement, $N is group N, \$ and \\ are literal.  tokenize() returns a
 * node-set of text nodes (owned by the run's scratch document) in order, so
 * count(), [n], string() and = work on it in XPath 1.0; an empty input gives an
 * empty node-set.
 *
 * Patterns: UTF-8 with Unicode properties (PCRE2_UTF|PCRE2_UCP), JIT-compiled
 * when available.  A pattern given as a literal in the pack is compiled with the
 * pack (a bad one is a rule-pack error at its .sch line) and shared read-only by
 * every run; other patterns are compiled once per run and cached there.
 * Every match runs under SCH_REGEX_MATCH_LIMIT / SCH_REGEX_DEPTH_LIMIT, so a
 * catastrophic pattern ends the run with SD_ELIMIT instead of hanging it.
 * Cost: one pcre2_match per call (per match for replace/tokenize).
 */
#include "sch/sch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpathInternals.h>

pcre2_code *sch_regex_compile(const char *pattern, const char *flags, char *why, size_t whylen)
{
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY;
    for (const char *f = flags ? flags : ""; *f; f++) {
        switch (*f) {
        case 's': opts |= PCRE2_DOTALL; break;
        case 'm': opts |= PCRE2_MULTILINE; break;
        case 'i': opts |= PCRE2_CASELESS; break;
        case 'x': opts |= PCRE2_EXTENDED; break;
        case 'q': opts |= PCRE2_LITERAL; break;
        default:
            snprintf(why, whylen, "unknown regex flag '%c' (s, m, i, x or q)", *f);
            return NULL;
        }
    }
    if (opts & PCRE2_LITERAL) /* q: the pattern is a plain string; only i still applies */
        opts = PCRE2_UTF | PCRE2_LITERAL | (opts & PCRE2_CASELESS);
    int ec = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &ec, &off,
                                     NULL);
    if (code == NULL) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(why, whylen, "bad regular expression \"%s\": %s at offset %zu", pattern,
                 (const char *)msg, (size_t)off);
        return NULL;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    return code;
}

sd_status sch_regex_literal(sd_sch_pack *pk, const char *pattern, const char *flags,
                            const char *file, long line, sd_error *err)
{
    for (size_t i = 0; i < pk->nregex; i++)
        if (strcmp(pk->regex[i].pattern, pattern) == 0 && strcmp(pk->regex[i].flags, flags) == 0)
            return SD_OK;
    if (pk->mctx == NULL) {
        pk->mctx = pcre2_match_context_create(NULL);
        if (pk->mctx == NULL)
            return sd_error_set(err, SD_ENOMEM, file, line, "out of memory");
        pcre2_set_match_limit(pk->mctx, SCH_REGEX_MATCH_LIMIT);
        pcre2_set_depth_limit(pk->mctx, SCH_REGEX_DEPTH_LIMIT);
    }
    char why[512];
    pcre2_code *code = sch_regex_compile(pattern, flags, why, sizeof why);
    if (code == NULL)
        return sd_error_set(err, SD_ERULES, file, line, "%s", why);
    if (pk->nregex == pk->capregex) {
        size_t cap = pk->capregex ? pk->capregex * 2 : 16;
        sch_regex *v = realloc(pk->regex, cap * sizeof *v);
        if (v == NULL) {
            pcre2_code_free(code);
            return sd_error_set(err, SD_ENOMEM, file, line, "out of memory");
        }
        pk->regex = v;
        pk->capregex = cap;
    }
    sch_regex *r = &pk->regex[pk->nregex];
    r->pattern = sch_strdup(&pk->arena, pattern);
    r->flags = sch_strdup(&pk->arena, flags);
    r->code = code;
    if (r->pattern == NULL || r->flags == NULL) {
        pcre2_code_free(code);
        return sd_error_set(err, SD_ENOMEM, file, line, "out of memory");
    }
    pk->nregex++;
    return SD_OK;
}

void sch_regex_free_all(sd_sch_pack *pk)
{
    for (size_t i = 0; i < pk->nregex; i++)
        pcre2_code_free(pk->regex[i].code);
    free(pk->regex);
    pk->regex = NULL;
    pk->nregex = pk->capregex = 0;
    pcre2_match_context_free(pk->mctx);
    pk->mctx = NULL;
}

/* ---- the functions ---------------------------------------------------- */

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

/* Runs one match; returns rc (>0 match, 0 no match) or -1 after failing the run. */
static int do_match(xmlXPathParserContextPtr ctxt, sch_run *r, const pcre2_code *code,
                    const char *pattern, const char *s, size_t len, size_t start,
                    pcre2_match_data *md)
{
    const sd_sch_pack *pk = sch_run_pack(r);
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, 0, md, pk->mctx);
    if (rc >= 0)
        return rc == 0 ? 1 : rc;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
        sch_run_fail(r, SD_ELIMIT,
                     "regular expression \"%s\" reached the match limit on a %zu-byte string "
                     "(catastrophic backtracking); simplify the pattern",
                     pattern, len);
    else
        sch_run_fail(r, SD_ERULES, "regular expression \"%s\" failed (PCRE2 error %d)", pattern,
                     rc);
    xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
    return -1;
}

static const pcre2_code *get_regex(xmlXPathParserContextPtr ctxt, sch_run *r, const char *pattern,
                                   const char *flags)
{
    const pcre2_code *code = sch_run_regex(r, pattern, flags);
    if (code == NULL)
        xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
    return code;
}

static int matches_empty(xmlXPathParserContextPtr ctxt, sch_run *r, const pcre2_code *code,
                         const char *pattern, const char *fn)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (md == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
        return -1;
    }
    int rc = do_match(ctxt, r, code, pattern, "", 0, 0, md);
    pcre2_match_data_free(md);
    if (rc > 0) {
        sch_run_fail(r, SD_ERULES, "%s(): the pattern \"%s\" matches the empty string", fn, pattern);
        xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

/* A pattern that matches "" only in context (lookbehind, \b, ^ with m) passes
 * matches_empty but would never advance replace() or tokenize(): refuse it
 * when it happens.  Returns -1 after failing the run. */
static int empty_match(xmlXPathParserContextPtr ctxt, sch_run *r, pcre2_match_data *md,
                       const char *pattern, const char *fn)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[1] > ov[0])
        return 0;
    sch_run_fail(r, SD_ERULES, "%s(): the pattern \"%s\" matches an empty string", fn, pattern);
    xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
    return -1;
}

static void fn_matches(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 2 || nargs > 3) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_run *r = sch_run_of(ctxt);
    xmlChar *a[3] = {NULL, NULL, NULL};
    if (pop_strings(ctxt, nargs, a) < 0)
        return;
    const char *flags = nargs == 3 ? (const char *)a[2] : "";
    const pcre2_code *code = get_regex(ctxt, r, (const char *)a[1], flags);
    int rc = -1;
    if (code != NULL) {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
        if (md != NULL) {
            rc = do_match(ctxt, r, code, (const char *)a[1], (const char *)a[0],
                          strlen((const char *)a[0]), 0, md);
            pcre2_match_data_free(md);
        } else {
            sch_run_fail(r, SD_ENOMEM, "out of memory");
            xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
        }
    }
    free_strings(a, 3);
    if (rc >= 0)
        valuePush(ctxt, xmlXPathNewBoolean(rc > 0));
}

/* Appends the replacement for one match; -1 on a bad replacement string. */
static int expand_rep(sch_buf *out, const char *rep, const char *s, pcre2_match_data *md, int rc,
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
        sch_buf_add(out, p, 1);
    }
    return 0;
}

static void fn_replace(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 3 || nargs > 4) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_run *r = sch_run_of(ctxt);
    xmlChar *a[4] = {NULL, NULL, NULL, NULL};
    if (pop_strings(ctxt, nargs, a) < 0)
        return;
    const char *s = (const char *)a[0], *pat = (const char *)a[1], *rep = (const char *)a[2];
    const char *flags = nargs == 4 ? (const char *)a[3] : "";
    const pcre2_code *code = get_regex(ctxt, r, pat, flags);
    sch_buf out = {0};
    int ok = code != NULL && matches_empty(ctxt, r, code, pat, "replace") == 0;
    pcre2_match_data *md = ok ? pcre2_match_data_create_from_pattern(code, NULL) : NULL;
    if (ok && md == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
        ok = 0;
    }
    if (ok) {
        uint32_t ngroups = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
        size_t len = strlen(s), pos = 0;
        sch_buf_add(&out, "", 0);
        while (pos <= len) {
            int rc = do_match(ctxt, r, code, pat, s, len, pos, md);
            if (rc < 0) {
                ok = 0;
                break;
            }
            if (rc == 0)
                break;
            if (empty_match(ctxt, r, md, pat, "replace") < 0) {
                ok = 0;
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            sch_buf_add(&out, s + pos, ov[0] - pos);
            if (expand_rep(&out, rep, s, md, rc, ngroups) < 0) {
                sch_run_fail(r, SD_ERULES,
                             "replace(): bad replacement string \"%s\" ($N, \\$ and \\\\ only)", rep);
                xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
                ok = 0;
                break;
            }
            pos = ov[1];
        }
        if (ok && pos <= len)
            sch_buf_add(&out, s + pos, len - pos);
        if (ok && out.oom) {
            sch_run_fail(r, SD_ELIMIT, "replace(): result too large");
            xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
            ok = 0;
        }
    }
    if (ok)
        valuePush(ctxt, xmlXPathNewString((const xmlChar *)sch_buf_str(&out)));
    pcre2_match_data_free(md);
    sch_buf_free(&out);
    free_strings(a, 4);
}

static int add_token(xmlXPathParserContextPtr ctxt, sch_run *r, xmlNodeSetPtr set, const char *s,
                     size_t n)
{
    /* Each token's text node sits in its own element: xmlAddChild would merge
     * adjacent text nodes (and free the one we hand out). */
    xmlNodePtr holder = sch_run_scratch(r);
    xmlNodePtr el = holder ? xmlNewDocNode(holder->doc, NULL, (const xmlChar *)"t", NULL) : NULL;
    xmlNodePtr t = el ? xmlNewDocTextLen(holder->doc, (const xmlChar *)s, (int)n) : NULL;
    if (t == NULL) {
        xmlFreeNode(el);
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
        return -1;
    }
    xmlAddChild(holder, el);
    xmlAddChild(el, t);
    xmlXPathNodeSetAdd(set, t);
    return 0;
}

static void fn_tokenize(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 2 || nargs > 3) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    sch_run *r = sch_run_of(ctxt);
    xmlChar *a[3] = {NULL, NULL, NULL};
    if (pop_strings(ctxt, nargs, a) < 0)
        return;
    const char *s = (const char *)a[0], *pat = (const char *)a[1];
    const char *flags = nargs == 3 ? (const char *)a[2] : "";
    const pcre2_code *code = get_regex(ctxt, r, pat, flags);
    xmlNodeSetPtr set = xmlXPathNodeSetCreate(NULL);
    int ok = set != NULL && code != NULL && matches_empty(ctxt, r, code, pat, "tokenize") == 0;
    pcre2_match_data *md = ok ? pcre2_match_data_create_from_pattern(code, NULL) : NULL;
    if (ok && md == NULL) {
        sch_run_fail(r, SD_ENOMEM, "out of memory");
        ok = 0;
    }
    size_t len = strlen(s), pos = 0;
    while (ok && len > 0) {
        int rc = do_match(ctxt, r, code, pat, s, len, pos, md);
        if (rc < 0) {
            ok = 0;
            break;
        }
        if (rc == 0) {
            ok = add_token(ctxt, r, set, s + pos, len - pos) == 0;
            break;
        }
        if (empty_match(ctxt, r, md, pat, "tokenize") < 0) {
            ok = 0;
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (add_token(ctxt, r, set, s + pos, ov[0] - pos) < 0) {
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
    sch_run *r = sch_run_of(ctxt);
    xmlChar *name = xmlXPathPopString(ctxt);
    if (name == NULL)
        return;
    int found = 0;
    const char *v = sch_run_param(r, (const char *)name, &found);
    if (!found) {
        sch_run_fail(r, SD_ERULES, "param(): undeclared parameter \"%s\"", (const char *)name);
        xmlFree(name);
        xmlXPathErr(ctxt, XPATH_EXPR_ERROR);
        return;
    }
    xmlFree(name);
    valuePush(ctxt, xmlXPathNewString((const xmlChar *)(v ? v : "")));
}

static void fn_current(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 0) {
        xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
        return;
    }
    valuePush(ctxt, xmlXPathNewNodeSet(sch_run_current(sch_run_of(ctxt))));
}

void sch_register_functions(xmlXPathContextPtr ctx)
{
    const xmlChar *ns = (const xmlChar *)SD_SCH_FN_NS;
    xmlXPathRegisterFuncNS(ctx, (const xmlChar *)"matches", ns, fn_matches);
    xmlXPathRegisterFuncNS(ctx, (const xmlChar *)"replace", ns, fn_replace);
    xmlXPathRegisterFuncNS(ctx, (const xmlChar *)"tokenize", ns, fn_tokenize);
    xmlXPathRegisterFuncNS(ctx, (const xmlChar *)"param", ns, fn_param);
    xmlXPathRegisterFunc(ctx, (const xmlChar *)"current", fn_current);
}
