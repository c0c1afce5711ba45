/*
 * select.c — rule selection by id prefix, and the "did you mean" distance.
 * Cost: O(entries × id length) per finding; the edit distance is O(|a|·|b|)
 * with one row of memory, on short words (option names, rule ids).
 */
#include "select.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of code when it is a prefix of id ("ALL": 0, a match of every id),
 * else -1. */
static long prefix_len(const char *code, const char *id)
{
    if (strcasecmp(code, "ALL") == 0)
        return 0;
    size_t n = strlen(code);
    return n > 0 && strncasecmp(code, id, n) == 0 ? (long)n : -1;
}

static long best(const char *const *codes, size_t n, const char *id)
{
    long b = -1;
    for (size_t i = 0; i < n; i++) {
        long l = prefix_len(codes[i], id);
        if (l > b)
            b = l;
    }
    return b;
}

int sd_select_enabled(const sd_select *s, const char *id)
{
    if (s == NULL)
        return 1;
    long pos = s->select_given ? best(s->select, s->nselect, id) : 0;
    long ext = best(s->extend, s->nextend, id);
    if (ext > pos)
        pos = ext;
    if (pos < 0)
        return 0;
    return best(s->ignore, s->nignore, id) < pos;
}

void sd_select_filter(const sd_select *s, sd_diags *d)
{
    size_t kept = 0;
    for (size_t i = 0; i < d->count; i++) {
        sd_finding *f = &d->items[i];
        if (f->severity >= SD_SEV_FATAL || sd_select_enabled(s, f->rule_id)) {
            d->items[kept++] = *f;
            continue;
        }
        sd_finding_free(f);
    }
    d->count = kept;
}

int sd_select_code_known(const char *code, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (prefix_len(code, ids[i]) >= 0)
            return 1;
    return 0;
}

size_t sd_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = malloc((lb + 1) * sizeof *row);
    if (row == NULL)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t v = diag + !same;
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *sd_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t limit = strlen(word) / 3;
    if (limit < 2)
        limit = 2;
    const char *bestc = NULL;
    size_t bestd = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = sd_edit_distance(word, cands[i]);
        if (d < bestd) {
            bestd = d;
            bestc = cands[i];
        }
    }
    return bestc;
}
