/*
 * regex.c — PCRE2 for the engine: patterns under XPath 2.0 flags, the check
 * of the pack's literal patterns, and the matching environment of a thread's
 * runs (match context, JIT stack, cache of the patterns compiled) with every
 * limit applied.
 *
 * Place: the lowest layer of src/sch/ after util.c (see the order in
 * sch_int.h).  params.c checks regex-typed parameter values with it, compile.c
 * checks the pack's literal patterns with it, fn_regex.c matches through it.
 * It knows nothing of runs, XPath or documents.
 *
 * Limits: every match, of a literal or a dynamic pattern, in JIT code or in the
 * interpreter, runs under the run's own match context: SCH_REGEX_MATCH_LIMIT,
 * SCH_REGEX_DEPTH_LIMIT and SCH_REGEX_HEAP_LIMIT_KIB (the interpreter's
 * backtracking memory).  JIT code first runs on PCRE2's 32 KiB default stack;
 * on PCRE2_ERROR_JIT_STACKLIMIT the run gets a JIT stack of its own, 1 MiB,
 * recreated 4 times larger at each further overflow up to jit_max
 * (SCH_REGEX_JIT_STACK_MAX); past that cap the match is repeated in the
 * interpreter (PCRE2_NO_JIT), which the depth and heap limits bound.  So a
 * catastrophic pattern ends with a limit error, and a deep but linear one
 * (^(?:a|b)*$ on 100,000 characters needs 4 MiB of JIT stack) matches.
 *
 * Patterns, literal or not, are compiled when a run first matches with them,
 * into its env's cache, and JIT-compiled when they have been used a few
 * times (SCH_REGEX_JIT_USES) or meet a long subject; the env is kept with the
 * thread's compiled-expression set (eval.c), so that happens once per
 * thread, not per document.  A user pack's literal patterns are checked
 * when it loads (compiled without JIT and dropped), so a bad one is an error
 * at its .sch line; a trusted pack's are not (sd_sch_options.trusted).
 *
 * Threads: an env belongs to one run at a time.  Nothing here is global.
 * Cost: a lookup compares a hash per cached pattern (at most
 * SCH_REGEX_CACHE); a match repeated after a stack overflow costs at most
 * 4/3 of the one that succeeds; memory per env is bounded by jit_max plus
 * the heap limit.
 */
#include "sch/sch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCH_REGEX_CACHE 256                  /* patterns kept compiled per env */
#define SCH_REGEX_JIT_STACK_FIRST ((size_t)1 << 20)
/* JIT compilation costs about as much as a few dozen interpreted matches of
 * the short values a pack sees: a pattern is JIT-compiled at its
 * SCH_REGEX_JIT_USES-th match, or at once for a subject of SCH_REGEX_JIT_LEN
 * bytes or more (one document's checks do not pay for it; a batch does, once
 * per thread). */
#define SCH_REGEX_JIT_USES 16
#define SCH_REGEX_JIT_LEN 1024
#define SCH_REGEX_JIT_STACK_START ((size_t)32 << 10) /* committed at once; grows to its size */

/* FNV-1a over "pattern\0flags": a cheap first test before strcmp. */
static uint32_t key_hash(const char *pattern, const char *flags)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)pattern; *p; p++)
        h = (h ^ *p) * 16777619u;
    h = (h ^ 0u) * 16777619u;
    for (const unsigned char *p = (const unsigned char *)flags; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static const sch_regex *find(const sch_regex *v, size_t n, uint32_t h, const char *pattern,
                             const char *flags)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].hash == h && strcmp(v[i].pattern, pattern) == 0 &&
            strcmp(v[i].flags, flags) == 0)
            return &v[i];
    return NULL;
}

/* pattern under XPath 2.0 flags (JIT: sch_regex_match).  NULL + why on error. */
static pcre2_code *compile(const char *pattern, const char *flags, char *why, size_t whylen)
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
    return code;
}

int sch_regex_check(const char *pattern, const char *flags, char *why, size_t whylen)
{
    pcre2_code *code = compile(pattern, flags, why, whylen);
    if (code == NULL)
        return -1;
    pcre2_code_free(code);
    return 0;
}

sd_status sch_regex_literal(const char *pattern, const char *flags, const char *file, long line,
                            sd_error *err)
{
    char why[512];
    if (sch_regex_check(pattern, flags, why, sizeof why) < 0)
        return sd_error_set(err, SD_ERULES, file, line, "%s", why);
    return SD_OK;
}

/* ---- a run's environment ------------------------------------------------ */

int sch_regex_env_init(sch_regex_env *e)
{
    memset(e, 0, sizeof *e);
    e->jit_max = SCH_REGEX_JIT_STACK_MAX;
    e->mctx = pcre2_match_context_create(NULL);
    if (e->mctx == NULL)
        return -1;
    pcre2_set_match_limit(e->mctx, SCH_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(e->mctx, SCH_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(e->mctx, SCH_REGEX_HEAP_LIMIT_KIB);
    return 0;
}

static void cache_clear(sch_regex_env *e)
{
    for (size_t i = 0; i < e->nrx; i++) {
        free(e->rx[i].pattern);
        free(e->rx[i].flags);
        pcre2_code_free(e->rx[i].code);
    }
    e->nrx = 0;
    e->gen++;
}

void sch_regex_env_free(sch_regex_env *e)
{
    cache_clear(e);
    free(e->rx);
    pcre2_match_context_free(e->mctx);
    pcre2_jit_stack_free(e->jit);
    memset(e, 0, sizeof *e);
}

const pcre2_code *sch_regex_at(sch_regex_env *e, size_t i, unsigned long gen,
                               const char *pattern, const char *flags)
{
    if (gen != e->gen || i >= e->nrx)
        return NULL;
    if (pattern != NULL &&
        (strcmp(e->rx[i].pattern, pattern) != 0 || strcmp(e->rx[i].flags, flags) != 0))
        return NULL;
    e->last = i;
    return e->rx[i].code;
}

const pcre2_code *sch_regex_get(sch_regex_env *e, const char *pattern, const char *flags,
                                sd_status *st, char *why, size_t whylen)
{
    uint32_t h = key_hash(pattern, flags);
    const sch_regex *hit = find(e->rx, e->nrx, h, pattern, flags);
    if (hit != NULL) {
        e->last = (size_t)(hit - e->rx);
        return hit->code;
    }
    pcre2_code *code = compile(pattern, flags, why, whylen);
    if (code == NULL) {
        *st = SD_ERULES;
        return NULL;
    }
    e->compiled++;
    /* a document with ever new patterns: start the cache afresh (no code handed
     * out earlier is still in use: each function call fetches its own) */
    if (e->nrx == SCH_REGEX_CACHE)
        cache_clear(e);
    if (e->nrx == e->caprx) {
        size_t cap = e->caprx ? e->caprx * 2 : 8;
        sch_regex *v = realloc(e->rx, cap * sizeof *v);
        if (v == NULL) {
            pcre2_code_free(code);
            goto oom;
        }
        e->rx = v;
        e->caprx = cap;
    }
    sch_regex *x = &e->rx[e->nrx];
    x->pattern = strdup(pattern);
    x->flags = strdup(flags);
    x->code = code;
    x->hash = h;
    x->uses = 0;
    x->jit = 0;
    if (x->pattern == NULL || x->flags == NULL) {
        free(x->pattern);
        free(x->flags);
        pcre2_code_free(code);
        goto oom;
    }
    e->last = e->nrx++;
    return code;
oom:
    *st = SD_ENOMEM;
    snprintf(why, whylen, "out of memory");
    return NULL;
}

/* Replaces the JIT stack by one 4 times larger (the first: 1 MiB); -1 when
 * the cap is reached or memory is short, and the interpreter must take over. */
static int grow_jit_stack(sch_regex_env *e)
{
    size_t size = e->jit == NULL ? SCH_REGEX_JIT_STACK_FIRST : e->jit_size * 4;
    if (size > e->jit_max)
        size = e->jit_max;
    if (size <= e->jit_size || size < SCH_REGEX_JIT_STACK_START)
        return -1;
    pcre2_jit_stack *js = pcre2_jit_stack_create(SCH_REGEX_JIT_STACK_START, size, NULL);
    if (js == NULL)
        return -1;
    pcre2_jit_stack_assign(e->mctx, NULL, js);
    pcre2_jit_stack_free(e->jit);
    e->jit = js;
    e->jit_size = size;
    return 0;
}

int sch_regex_match(sch_regex_env *e, const pcre2_code *code, const char *s, size_t len,
                    size_t start, uint32_t opts, pcre2_match_data *md)
{
    if (e->last < e->nrx && e->rx[e->last].code == code) {
        sch_regex *x = &e->rx[e->last];
        if (!x->jit && (len >= SCH_REGEX_JIT_LEN || ++x->uses >= SCH_REGEX_JIT_USES)) {
            pcre2_jit_compile(x->code, PCRE2_JIT_COMPLETE); /* else the interpreter */
            x->jit = 1;
        }
    }
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, opts, md, e->mctx);
    while (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        /* the subject was validated by the call that overflowed */
        opts |= PCRE2_NO_UTF_CHECK;
        if (grow_jit_stack(e) < 0)
            return pcre2_match(code, (PCRE2_SPTR)s, len, start, opts | PCRE2_NO_JIT, md, e->mctx);
        rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, opts, md, e->mctx);
    }
    return rc;
}
