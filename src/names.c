/*
 * names.c — the comparable form of a name, its local part, and "did you mean"
 * over characters (names.h).
 *
 * Place: the plan rules normalise every agency name and duty text once when
 * a plan is loaded (hash tables by normalised name), and call the suggestion
 * only for a name that matched nothing.  Cost: normalising and splitting are
 * one pass over the bytes (O(n); one allocation for the result, and one more
 * for the jurisdiction of a local part); the
 * distance is O(|a|·|b|) in characters with one row of memory; a suggestion
 * is O(candidates · |name| · |candidate|) — fine for a catalogue of a few
 * hundred short names, and paid only on a miss.
 */
#include "names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- the comparable form ------------------------------------------ */

static int is_blank(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0;
}

/* Punctuation that ends a sentence or a list item, dropped at the end (after
 * full-width folding, so ．，；： arrive as ASCII). */
static int is_trailing_punct(uint32_t cp)
{
    return cp == '.' || cp == ',' || cp == ';' || cp == ':' || cp == 0x3002 || cp == 0x3001 ||
           cp == 0xFF61 || cp == 0xFF64;
}

size_t sd_names_normalize_n(const char *s, size_t n, char *out)
{
    /* w never passes r: every character is written in at most the bytes it
     * was read from, and a kept blank (one byte) replaces a run of at least
     * one; so out may be s. */
    size_t r = 0, w = 0, keep = 0;
    int pending = 0;   /* blanks seen since the last character written */
    int last_ascii = 0; /* the last character written was ASCII */
    while (r < n) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + r, n - r, &cp);
        if (k == 0) {
            /* Not UTF-8: kept as it is, as a character that is not ASCII. */
            out[w++] = s[r++];
            pending = 0;
            last_ascii = 0;
            keep = w;
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (is_blank(cp)) {
            pending = w > 0 && last_ascii;
            r += k;
            continue;
        }
        if (pending && cp < 0x80)
            out[w++] = ' ';
        pending = 0;
        if (cp < 0x80) {
            out[w++] = (char)cp;
        } else {
            /* Not folded: its own bytes (memmove: out may be s). */
            memmove(out + w, s + r, k);
            w += k;
        }
        r += k;
        last_ascii = cp < 0x80;
        if (!is_trailing_punct(cp))
            keep = w;
    }
    out[keep] = '\0';
    return keep;
}

char *sd_names_normalize(const char *s)
{
    s = s ? s : "";
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (out != NULL)
        sd_names_normalize_n(s, n, out);
    return out;
}

/* ---- the local part -------------------------------------------------- */

static int starts(const char *s, const char *prefix, size_t *len)
{
    size_t n = strlen(prefix);
    if (n == 0 || strncmp(s, prefix, n) != 0)
        return 0;
    *len = n;
    return 1;
}

/* Splits the normalised name; returns the offset of the local part. */
static size_t split_normalized(const char *name, const char *jur, sd_names_split *sp)
{
    sd_names_split x = {SD_NAMES_PLAIN, 0, 0};
    size_t off = 0, k;
    if (starts(name, "中国共产党", &k)) {
        x.form = SD_NAMES_FULL;
        off = k;
    } else if (starts(name, "中共", &k)) {
        x.form = SD_NAMES_ZHONGGONG;
        off = k;
    }
    if (jur != NULL && starts(name + off, jur, &k)) {
        x.jurisdiction = 1;
        off += k;
        if (starts(name + off, "委员会", &k) || starts(name + off, "委", &k)) {
            x.committee = 1;
            off += k;
            if (x.form == SD_NAMES_PLAIN)
                x.form = SD_NAMES_COMMITTEE;
        }
    }
    if (sp != NULL)
        *sp = x;
    return off;
}

size_t sd_names_local_offset(const char *name, const char *jurisdiction, sd_names_split *split)
{
    return split_normalized(name, jurisdiction, split);
}

char *sd_names_local_part(const char *name, const char *jurisdiction, sd_names_split *split)
{
    char *n = sd_names_normalize(name);
    char *j = jurisdiction ? sd_names_normalize(jurisdiction) : NULL;
    if (n == NULL || (jurisdiction != NULL && j == NULL)) {
        free(n);
        free(j);
        return NULL;
    }
    size_t off = split_normalized(n, j, split);
    free(j);
    if (off > 0)
        memmove(n, n + off, strlen(n + off) + 1);
    return n;
}

sd_names_form sd_names_party_form(const char *name, const char *jurisdiction)
{
    sd_names_split sp = {SD_NAMES_PLAIN, 0, 0};
    free(sd_names_local_part(name, jurisdiction, &sp)); /* out of memory: plain */
    return sp.form;
}

const char *sd_names_form_name(sd_names_form f)
{
    switch (f) {
    case SD_NAMES_PLAIN: return "plain";
    case SD_NAMES_ZHONGGONG: return "zhonggong";
    case SD_NAMES_FULL: return "full";
    case SD_NAMES_COMMITTEE: return "committee";
    }
    return "plain";
}

/* ---- distance ------------------------------------------------------ */

/* The characters of s, ASCII letters lower-cased, a byte that is not UTF-8
 * as a value above U+10FFFF (so it equals only the same byte). */
static uint32_t *chars_of(const char *s, size_t *count)
{
    size_t n = strlen(s), c = 0;
    uint32_t *v = malloc((n + 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    for (size_t off = 0; off < n;) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        if (k == 0) {
            cp = 0x110000u + (unsigned char)s[off];
            k = 1;
        } else if (cp >= 'A' && cp <= 'Z') {
            cp += 'a' - 'A';
        }
        v[c++] = cp;
        off += k;
    }
    *count = c;
    return v;
}

size_t sd_names_length(const char *s)
{
    s = s ? s : "";
    size_t n = strlen(s), c = 0;
    for (size_t off = 0; off < n; c++) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        off += k ? k : 1;
    }
    return c;
}

static size_t distance_of(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, size_t *row)
{
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    return row[lb];
}

size_t sd_names_distance(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    uint32_t *va = chars_of(a ? a : "", &la), *vb = chars_of(b ? b : "", &lb);
    size_t *row = malloc((lb + 1) * sizeof *row);
    size_t d = (size_t)-1;
    if (va != NULL && vb != NULL && row != NULL)
        d = distance_of(va, la, vb, lb, row);
    free(va);
    free(vb);
    free(row);
    return d;
}

/* ---- did you mean -------------------------------------------------- */

typedef struct hit {
    size_t index, distance;
    int alias;
    char *entry; /* normalised name of the entry it stands for */
} hit;

static int cmp_hit(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->distance != b->distance)
        return a->distance < b->distance ? -1 : 1;
    if (a->alias != b->alias)
        return a->alias - b->alias;
    return a->index < b->index ? -1 : a->index > b->index;
}

size_t sd_names_suggest(const char *name, const sd_names_candidate *cands, size_t n,
                        sd_names_suggestion *out, size_t max)
{
    char *q = sd_names_normalize(name);
    size_t lq = 0;
    uint32_t *vq = q ? chars_of(q, &lq) : NULL;
    hit *hits = calloc(n ? n : 1, sizeof *hits);
    size_t nhits = 0, found = 0;
    int failed = q == NULL || vq == NULL || hits == NULL;
    for (size_t i = 0; !failed && i < n; i++) {
        char *c = sd_names_normalize(cands[i].name);
        size_t lc = 0;
        uint32_t *vc = c ? chars_of(c, &lc) : NULL;
        size_t *row = vc ? malloc((lc + 1) * sizeof *row) : NULL;
        if (row == NULL) {
            failed = 1;
        } else {
            size_t d = distance_of(vq, lq, vc, lc, row);
            size_t longer = lq > lc ? lq : lc, shorter = lq < lc ? lq : lc;
            size_t limit = longer / 3 ? longer / 3 : 1;
            if (d == 0 || (d <= limit && d < shorter)) {
                char *entry = cands[i].alias_of ? sd_names_normalize(cands[i].alias_of) : c;
                if (entry == NULL) {
                    failed = 1;
                } else {
                    hits[nhits++] = (hit){i, d, cands[i].alias_of != NULL, entry};
                    if (entry == c)
                        c = NULL; /* kept by the hit */
                }
            }
        }
        free(row);
        free(vc);
        free(c);
    }
    if (!failed) {
        qsort(hits, nhits, sizeof *hits, cmp_hit);
        /* One suggestion per entry: the first of its hits in this order. */
        for (size_t i = 0; i < nhits && found < max; i++) {
            int dup = 0;
            for (size_t j = 0; j < found && !dup; j++)
                dup = strcmp(hits[out[j].index].entry, hits[i].entry) == 0;
            if (!dup)
                out[found++] = (sd_names_suggestion){i, hits[i].distance};
        }
        /* out[].index held positions in hits while deduplicating. */
        for (size_t j = 0; j < found; j++)
            out[j].index = hits[out[j].index].index;
    }
    for (size_t i = 0; i < nhits; i++)
        free(hits[i].entry);
    free(hits);
    free(vq);
    free(q);
    return failed ? (size_t)-1 : found;
}
