/*
 * expand.c — instantiates abstract patterns (pattern@is-a + sch:param).
 *
 * Place: after parse.c, before compile.c.  ISO 19757-3 defines abstract
 * patterns as macros: each $name in the attribute expressions of the abstract
 * pattern (rule@context, assert/report@test, let@value, value-of@select,
 * name@path, pattern@documents) is replaced textually by the parameter's
 * value.  We substitute only where `$name` is followed by a non-name character
 * and try longer names first, so $a does not eat $ab.  Message text is not
 * touched (it is not an expression).
 *
 * Left out: checking that every parameter is supplied (a leftover $name is
 * caught later as an undefined variable).  Cost: linear in the size of the
 * abstract pattern times the number of parameters, once per instance.
 */
#include "sch/sch_int.h"

#include <string.h>

static int name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c >= 0x80;
}

char *sch_subst(sch_arena *a, const char *s, sch_param_pair **pp, size_t n)
{
    if (s == NULL)
        return NULL;
    if (n == 0 || strchr(s, '$') == NULL)
        return sch_strdup(a, s);
    sch_buf out = {0};
    const char *r = s;
    while (*r) {
        if (*r == '$') {
            const sch_param_pair *best = NULL;
            size_t bestlen = 0;
            for (size_t i = 0; i < n; i++) {
                size_t l = strlen(pp[i]->name);
                if (l > bestlen && strncmp(r + 1, pp[i]->name, l) == 0 &&
                    !name_char((unsigned char)r[1 + l])) {
                    best = pp[i];
                    bestlen = l;
                }
            }
            if (best != NULL) {
                sch_buf_adds(&out, best->value);
                r += 1 + bestlen;
                continue;
            }
        }
        sch_buf_add(&out, r, 1);
        r++;
    }
    char *res = out.oom ? NULL : sch_strdup(a, sch_buf_str(&out));
    sch_buf_free(&out);
    return res;
}

typedef struct ex {
    sch_arena *a;
    sch_param_pair **pp;
    size_t n;
    int oom;
} ex;

static char *S(ex *x, const char *s)
{
    if (s == NULL)
        return NULL;
    char *r = sch_subst(x->a, s, x->pp, x->n);
    if (r == NULL)
        x->oom = 1;
    return r;
}

static sch_let *copy_let(ex *x, const sch_let *l)
{
    sch_let *c = sch_alloc(x->a, sizeof *c);
    if (c == NULL) {
        x->oom = 1;
        return NULL;
    }
    *c = *l;
    c->value = S(x, l->value);
    return c;
}

static void copy_msg(ex *x, sch_msg *dst, const sch_msg *src)
{
    dst->n = src->n;
    dst->seg = sch_alloc(x->a, (src->n ? src->n : 1) * sizeof *dst->seg);
    if (dst->seg == NULL) {
        x->oom = 1;
        dst->n = 0;
        return;
    }
    for (size_t i = 0; i < src->n; i++) {
        dst->seg[i] = src->seg[i];
        if (src->seg[i].kind != SEG_TEXT)
            dst->seg[i].text = S(x, src->seg[i].text);
    }
}

static sch_assert *copy_assert(ex *x, const sch_assert *as)
{
    sch_assert *c = sch_alloc(x->a, sizeof *c);
    if (c == NULL) {
        x->oom = 1;
        return NULL;
    }
    *c = *as;
    c->test = S(x, as->test);
    copy_msg(x, &c->msg, &as->msg);
    return c;
}

static sch_rule *copy_rule(ex *x, const sch_rule *r)
{
    sch_rule *c = sch_alloc(x->a, sizeof *c);
    if (c == NULL) {
        x->oom = 1;
        return NULL;
    }
    *c = *r;
    c->context = S(x, r->context);
    c->lets = sch_alloc(x->a, (r->nlets + 1) * sizeof *c->lets);
    c->asserts = sch_alloc(x->a, (r->nasserts + 1) * sizeof *c->asserts);
    if (c->lets == NULL || c->asserts == NULL) {
        x->oom = 1;
        return NULL;
    }
    for (size_t i = 0; i < r->nlets; i++)
        c->lets[i] = copy_let(x, r->lets[i]);
    for (size_t i = 0; i < r->nasserts; i++)
        c->asserts[i] = copy_assert(x, r->asserts[i]);
    return c;
}

sd_status sch_expand(sd_sch_pack *pack, sd_error *err)
{
    for (size_t i = 0; i < pack->patterns.n; i++) {
        sch_pattern *p = pack->patterns.v[i];
        if (p->is_a == NULL)
            continue;
        if (p->abstract)
            return sd_error_set(err, SD_ERULES, p->file, p->line,
                                "an abstract pattern cannot itself use is-a");
        sch_pattern *ab = NULL;
        for (size_t j = 0; j < pack->patterns.n; j++) {
            sch_pattern *q = pack->patterns.v[j];
            if (q->abstract && q->id && strcmp(q->id, p->is_a) == 0)
                ab = q;
        }
        if (ab == NULL)
            return sd_error_set(err, SD_ERULES, p->file, p->line,
                                "is-a=\"%s\": no abstract pattern with that id", p->is_a);
        ex x = {&pack->arena, (sch_param_pair **)p->params.v, p->params.n, 0};
        p->rules.n = 0;
        for (size_t j = 0; j < ab->rules.n; j++) {
            sch_rule *r = ab->rules.v[j];
            if (r->abstract)
                continue;
            sch_rule *c = copy_rule(&x, r);
            if (c == NULL || sch_vec_push(&pack->arena, &p->rules, c) < 0)
                x.oom = 1;
        }
        for (size_t j = 0; j < ab->lets.n; j++) {
            sch_let *l = copy_let(&x, ab->lets.v[j]);
            if (l == NULL || sch_vec_push(&pack->arena, &p->lets, l) < 0)
                x.oom = 1;
        }
        if (p->documents == NULL)
            p->documents = S(&x, ab->documents);
        if (p->title == NULL || p->title[0] == '\0')
            p->title = ab->title;
        if (p->doc == NULL || p->doc[0] == '\0')
            p->doc = ab->doc;
        if (p->source == NULL || p->source[0] == '\0')
            p->source = ab->source;
        if (x.oom)
            return sd_error_set(err, SD_ENOMEM, p->file, p->line, "out of memory");
    }
    return SD_OK;
}
