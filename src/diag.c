/*
 * diag.c — the list of findings: append with copies, sort for stable output.
 * Growth is geometric, so n findings cost O(n) amortised.
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
        for (size_t i = 0; c.related && i < f->nrelated; i++) {
            c.related[i] = f->related[i];
            c.related[i].file = dup_or_null(f->related[i].file ? f->related[i].file : "", &failed);
            c.related[i].location = dup_or_null(f->related[i].location, &failed);
            c.related[i].message = dup_or_null(f->related[i].message, &failed);
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
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void sd_diags_sort(sd_diags *d)
{
    if (d->count > 1)
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
