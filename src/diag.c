/*
 * diag.c — the list of findings: append with copies, sort for stable output,
 * and the related places a cross-document finding points at.
 * Growth is geometric, so n findings cost O(n) amortised; a finding's related
 * places grow one at a time (a rule names one or two).
 *
 * A finding's rule id, file, location and message are copied into the list's
 * pool: blocks that double up to 1 MiB, filled in order and freed together.
 * Four allocations per finding, with their headers and rounding, cost a
 * rule that fails on every one of 200,000 elements 29 MB of fresh memory and
 * 800,000 frees; the pool holds the same strings in about 8 MB, and the file
 * and rule id, the same from one finding to the next, once.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void sd_diags_init(sd_diags *d)
{
    memset(d, 0, sizeof *d);
}

/* One block of the pool; the strings follow the header. */
typedef struct pool_block {
    struct pool_block *next;
    size_t used, cap;
    char data[];
} pool_block;

struct sd_diags_pool {
    pool_block *head;  /* the block being filled; older ones follow */
    size_t next_cap;   /* the size of the next block */
    const char *file;  /* the last finding's file and rule id, shared by */
    const char *rule;  /* the next finding when it has the same */
};

#define POOL_FIRST 4096
#define POOL_MAX ((size_t)1 << 20)

/* Room for n bytes in d's pool (made at the first call); NULL when out of
 * memory. */
static char *pool_alloc(sd_diags *d, size_t n)
{
    struct sd_diags_pool *p = d->pool;
    if (p == NULL) {
        if ((p = calloc(1, sizeof *p)) == NULL)
            return NULL;
        p->next_cap = POOL_FIRST;
        d->pool = p;
    }
    pool_block *b = p->head;
    if (b != NULL && b->cap - b->used >= n) {
        char *s = b->data + b->used;
        b->used += n;
        return s;
    }
    /* A string longer than a block gets a block of its own, kept behind
     * the one being filled so that the next findings still use its room. */
    int own = n > p->next_cap;
    size_t cap = own ? n : p->next_cap;
    pool_block *nb = malloc(sizeof *nb + cap);
    if (nb == NULL)
        return NULL;
    nb->used = n;
    nb->cap = cap;
    if (own && b != NULL) {
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        p->head = nb;
        if (!own && p->next_cap < POOL_MAX)
            p->next_cap *= 2;
    }
    return nb->data;
}

/* s[0..n) and a NUL in the pool. */
static char *pool_strn(sd_diags *d, const char *s, size_t n)
{
    char *c = pool_alloc(d, n + 1);
    if (c != NULL) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

/* s in the pool, shared with the last finding's file (which = 1) or rule id
 * (0) when it is the same text. */
static char *pool_shared(sd_diags *d, const char *s, int which)
{
    const char *last = d->pool == NULL ? NULL : which ? d->pool->file : d->pool->rule;
    if (last != NULL && strcmp(last, s) == 0)
        return (char *)last;
    char *c = pool_strn(d, s, strlen(s));
    if (c != NULL) {
        if (which)
            d->pool->file = c;
        else
            d->pool->rule = c;
    }
    return c;
}

static void pool_free(struct sd_diags_pool *p)
{
    if (p == NULL)
        return;
    for (pool_block *b = p->head, *next; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(p);
}

static char *dup_or_null(const char *s, int *failed)
{
    if (s == NULL)
        return NULL;
    char *c = strdup(s);
    if (c == NULL)
        *failed = 1;
    return c;
}

void sd_finding_free(sd_finding *f)
{
    if (!f->pooled) {
        free(f->rule_id);
        free(f->file);
        free(f->location);
        free(f->message);
    }
    free(f->suppress_reason);
    for (size_t i = 0; i < f->nrelated; i++) {
        free(f->related[i].file);
        free(f->related[i].location);
        free(f->related[i].message);
    }
    free(f->related);
    f->related = NULL;
    f->nrelated = 0;
}

/* Copies rel into *out (strings duplicated); 0, or -1 with nothing kept. */
static int copy_related(sd_related *out, const sd_related *rel)
{
    int failed = 0;
    sd_related c = *rel;
    c.file = dup_or_null(rel->file ? rel->file : "", &failed);
    c.location = dup_or_null(rel->location, &failed);
    c.message = dup_or_null(rel->message, &failed);
    if (!failed && c.message != NULL)
        c.message[sd_utf8_cut(c.message, strlen(c.message))] = '\0';
    if (failed) {
        free(c.file);
        free(c.location);
        free(c.message);
        return -1;
    }
    *out = c;
    return 0;
}

sd_status sd_finding_add_related(sd_finding *f, const sd_related *rel, sd_error *err)
{
    sd_related *items = realloc(f->related, (f->nrelated + 1) * sizeof *items);
    if (items == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a related place");
    f->related = items;
    if (copy_related(&items[f->nrelated], rel) < 0)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a related place");
    f->nrelated++;
    return SD_OK;
}

sd_status sd_diags_relatedf(sd_diags *d, sd_error *err, const char *file, long line, long col,
                            const char *location, const char *fmt, ...)
{
    if (d->count == 0)
        return sd_error_set(err, SD_EINVAL, NULL, 0, "a related place needs a finding");
    sd_related rel = {.file = (char *)file, .line = line, .col = col, .location = (char *)location};
    char *msg = NULL;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return sd_error_set(err, SD_EINVAL, NULL, 0, "cannot format a related place's message");
        if ((msg = malloc((size_t)n + 1)) == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a related place");
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
        rel.message = msg;
    }
    sd_status st = sd_finding_add_related(&d->items[d->count - 1], &rel, err);
    free(msg);
    return st;
}

void sd_related_text(sd_buf *b, const sd_related *rel, int with_location)
{
    sd_buf_puts(b, rel->file ? rel->file : "");
    if (rel->line > 0) {
        sd_buf_printf(b, ":%ld", rel->line);
        if (rel->col > 0)
            sd_buf_printf(b, ":%ld", rel->col);
    }
    if (rel->message != NULL) {
        sd_buf_puts(b, ": ");
        sd_buf_puts(b, rel->message);
    }
    int loc = rel->location != NULL && rel->location[0] != '\0';
    if (loc && with_location)
        sd_buf_printf(b, " (%s)", rel->location);
    else if (loc && rel->message == NULL)
        sd_buf_printf(b, ": %s", rel->location);
}

sd_status sd_diags_add(sd_diags *d, const sd_finding *f, sd_error *err)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        sd_finding *items = realloc(d->items, cap * sizeof *items);
        if (items == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a finding");
        d->items = items;
        d->cap = cap;
    }
    /* Strings first, into the pool: on failure the pool may keep some bytes
     * no finding points at (freed with the list), and d is otherwise unchanged. */
    int failed = 0;
    sd_finding c = *f;
    c.pooled = 1;
    c.rule_id = pool_shared(d, f->rule_id ? f->rule_id : "", 0);
    c.file = c.rule_id ? pool_shared(d, f->file ? f->file : "", 1) : NULL;
    c.location = c.file && f->location ? pool_strn(d, f->location, strlen(f->location)) : NULL;
    /* Many stages format messages into fixed buffers that cut at a byte: a
     * character cut in half at the end is dropped here, once for all of them. */
    const char *msg = f->message ? f->message : "";
    c.message = c.file && (c.location || !f->location)
                    ? pool_strn(d, msg, sd_utf8_cut(msg, strlen(msg)))
                    : NULL;
    failed = c.message == NULL;
    c.suppress_reason = NULL;
    c.related = NULL;
    c.nrelated = 0;
    if (!failed && f->suppress_reason != NULL && (c.suppress_reason = strdup(f->suppress_reason)) == NULL)
        failed = 1;
    if (!failed && f->nrelated > 0) {
        c.related = calloc(f->nrelated, sizeof *c.related);
        if (c.related == NULL)
            failed = 1;
        for (size_t i = 0; c.related && !failed && i < f->nrelated; i++) {
            if (copy_related(&c.related[i], &f->related[i]) < 0)
                failed = 1;
            else
                c.nrelated = i + 1;
        }
    }
    if (failed) {
        sd_finding_free(&c); /* pooled: only the reason and related places */
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a finding");
    }
    c.seq = d->count;
    d->items[d->count++] = c;
    return SD_OK;
}

sd_status sd_diags_set_file(sd_diags *d, size_t i, const char *file, sd_error *err)
{
    if (i >= d->count)
        return sd_error_set(err, SD_EINVAL, NULL, 0, "no finding %zu", i);
    sd_finding *f = &d->items[i];
    char *c = f->pooled ? pool_shared(d, file ? file : "", 1) : strdup(file ? file : "");
    if (c == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    if (!f->pooled)
        free(f->file);
    f->file = c;
    return SD_OK;
}

sd_status sd_diags_addf(sd_diags *d, sd_error *err, const char *rule_id, sd_severity sev,
                        const char *file, long line, long col, const char *location,
                        const char *fmt, ...)
{
    /* Most messages fit the stack buffer; a longer one (a long quoted value)
     * gets its exact size instead of being cut, possibly inside a character. */
    char small[4096];
    char *buf = small;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return sd_error_set(err, SD_EINVAL, NULL, 0, "cannot format a finding's message");
    if ((size_t)n >= sizeof small) {
        buf = malloc((size_t)n + 1);
        if (buf == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a finding");
        va_start(ap, fmt);
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    sd_finding f = {
        .rule_id = (char *)rule_id, .severity = sev, .file = (char *)file,
        .line = line, .col = col, .location = (char *)location, .message = buf,
    };
    sd_status st = sd_diags_add(d, &f, err);
    if (buf != small)
        free(buf);
    return st;
}

static int cmp_str(const char *a, const char *b)
{
    if (a == b) /* findings of one file and rule share their copies (the pool) */
        return 0;
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const sd_finding *a = pa, *b = pb;
    int c = cmp_str(a->file, b->file);
    if (c != 0)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    if ((c = cmp_str(a->rule_id, b->rule_id)) != 0)
        return c;
    /* Then the order the findings were made in, not their text: the same
     * order in every language. */
    if ((c = cmp_str(a->location, b->location)) != 0)
        return c;
    /* Two findings alike but for their other end (one function claimed by
     * three agencies) keep one order whatever order a rule visited them in. */
    for (size_t i = 0; i < a->nrelated && i < b->nrelated; i++) {
        const sd_related *x = &a->related[i], *y = &b->related[i];
        if ((c = cmp_str(x->file, y->file)) != 0)
            return c;
        if (x->line != y->line)
            return x->line < y->line ? -1 : 1;
        if (x->col != y->col)
            return x->col < y->col ? -1 : 1;
        if ((c = cmp_str(x->location, y->location)) != 0)
            return c;
    }
    if (a->nrelated != b->nrelated)
        return a->nrelated < b->nrelated ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void sd_diags_sort(sd_diags *d)
{
    /* The engine makes findings in document order: already sorted, as a
     * check of n - 1 pairs shows, costs no sort of 200,000 findings. */
    size_t i = 1;
    while (i < d->count && cmp_finding(&d->items[i - 1], &d->items[i]) <= 0)
        i++;
    if (i < d->count)
        qsort(d->items, d->count, sizeof *d->items, cmp_finding);
}

int sd_diags_max_severity(const sd_diags *d)
{
    int max = -1;
    for (size_t i = 0; i < d->count; i++)
        if (!d->items[i].suppressed && !d->items[i].baselined && (int)d->items[i].severity > max)
            max = (int)d->items[i].severity;
    return max;
}

void sd_diags_free(sd_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        sd_finding_free(&d->items[i]);
    free(d->items);
    pool_free(d->pool);
    sd_diags_init(d);
}

const char *sd_severity_name(sd_severity s)
{
    switch (s) {
    case SD_SEV_INFO: return "info";
    case SD_SEV_WARNING: return "warning";
    case SD_SEV_ERROR: return "error";
    case SD_SEV_FATAL: return "fatal";
    }
    return "error";
}

int sd_severity_parse(const char *s)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "info") == 0 || strcmp(s, "information") == 0)
        return SD_SEV_INFO;
    if (strcmp(s, "warning") == 0 || strcmp(s, "warn") == 0)
        return SD_SEV_WARNING;
    if (strcmp(s, "error") == 0)
        return SD_SEV_ERROR;
    if (strcmp(s, "fatal") == 0)
        return SD_SEV_FATAL;
    return -1;
}
