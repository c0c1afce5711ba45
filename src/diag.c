/*
 * diag.c — the list of findings: append with copies, sort for stable output,
 * and the related places a cross-document finding points at.
 * Growth is geometric, so n findings cost O(n) amortised; a finding's related
 * places grow one at a time (a rule names one or two).
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
    free(f->rule_id);
    free(f->file);
    free(f->location);
    free(f->message);
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
    int failed = 0;
    sd_finding c = *f;
    c.rule_id = dup_or_null(f->rule_id ? f->rule_id : "", &failed);
    c.file = dup_or_null(f->file ? f->file : "", &failed);
    c.location = dup_or_null(f->location, &failed);
    c.message = dup_or_null(f->message ? f->message : "", &failed);
    c.suppress_reason = dup_or_null(f->suppress_reason, &failed);
    c.related = NULL;
    c.nrelated = 0;
    if (f->nrelated > 0) {
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
        sd_finding_free(&c);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory adding a finding");
    }
    /* Many stages format messages into fixed buffers that cut at a byte: a
     * character cut in half at the end is dropped here, once for all of them. */
    c.message[sd_utf8_cut(c.message, strlen(c.message))] = '\0';
    c.seq = d->count;
    d->items[d->count++] = c;
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
