/*
 * expand.c — instantiates abstract patterns (pattern@is-a + sch:param).
 *
 * Place: after parse.c, before compile.c.  ISO 19757-3 defines abstract
 * patterns as macros: each $name in the attribute expressions of the abstract
 * pattern (rule@context, assert/report@test, let@value, value-of@select,
 * name@path, pattern@documents) is replaced textually by the parameter's
 * value.  We substitute only where `$name` is followed by a non-name character
 * and try longer names first, so $a does not eat $ab.  Message text is not
 * touched (it is not an expression).  The diagnostics and properties an
 * instance's asserts use are copied per instance with the same substitution
 * (they are global elements, but their value-of/name belong to the instance).
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
    sd_sch_pack *pack;
    sch_vec from, made; /* diagnostics/properties copied for this instance */
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

/* This instance's copy of diagnostic or property d, made once. */
static sch_diag *copy_diag(ex *x, sch_diag *d)
{
    for (size_t i = 0; i < x->from.n; i++)
        if (x->from.v[i] == d)
            return x->made.v[i];
    sch_diag *c = sch_alloc(x->a, sizeof *c);
    if (c == NULL) {
        x->oom = 1;
        return NULL;
    }
    *c = *d;
    copy_msg(x, &c->msg, &d->msg);
    if (sch_vec_push(x->a, &x->from, d) < 0 || sch_vec_push(x->a, &x->made, c) < 0 ||
        sch_vec_push(x->a, &x->pack->xdiags, c) < 0) {
        x->oom = 1;
        return NULL;
    }
    return c;
}

/* Resolves ids against from and points *out at this instance's copies.  An
 * unknown id leaves *out NULL: compile.c reports it with its place. */
static void link_copies(ex *x, const char *ids, const sch_vec *from, sch_diag ***out,
                        size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (ids == NULL)
        return;
    size_t cap = 1;
    for (const char *p = ids; *p; p++)
        cap += *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    sch_diag **v = sch_alloc(x->a, cap * sizeof *v);
    if (v == NULL) {
        x->oom = 1;
        return;
    }
    size_t n = 0;
    for (const char *p = ids; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
            e++;
        if (e > p) {
            sch_diag *d = NULL;
            for (size_t i = 0; i < from->n && d == NULL; i++) {
                sch_diag *c = from->v[i];
                if (strlen(c->id) == (size_t)(e - p) && strncmp(c->id, p, (size_t)(e - p)) == 0)
                    d = c;
            }
            if (d == NULL)
                return; /* unknown: compile.c says so */
            if (n < cap && (v[n] = copy_diag(x, d)) != NULL)
                n++;
        }
        p = e;
    }
    *out = v;
    *nout = n;
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
    /* the diagnostics and properties it uses get the instance's parameters too */
    if (x->n > 0) {
        link_copies(x, as->diag_ids, &x->pack->diags, &c->diags, &c->ndiags);
        link_copies(x, as->prop_ids, &x->pack->props, &c->props, &c->nprops);
    }
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
        ex x = {&pack->arena, (sch_param_pair **)p->params.v, p->params.n, 0, pack, {0}, {0}};
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
