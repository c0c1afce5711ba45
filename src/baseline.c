/*
 * baseline.c — accepted findings by fingerprint (see baseline.h).
 *
 * Cost: loading is linear in the file; applying is O(findings × log entries)
 * (entries sorted by fingerprint once, binary search per finding).
 */
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "load.h"
#include "write.h"

#define NS "urn:sdlint:baseline:1"

typedef struct entry {
    char fp[17];
    char *rule, *file, *location, *message;
    size_t count, left;
} entry;

struct sd_baseline {
    sd_lang lang;
    entry *items;
    size_t count, cap;
    int sorted;
    char **seen; /* inputs applied to */
    size_t nseen, capseen;
    char **stale;
    size_t nstale;
};

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static const char *norm_path(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    return p;
}

/* Quoted texts ("…", “…”, 「…」, '…') and numbers, each ended by NUL. */
static uint64_t values(uint64_t h, const char *m)
{
    static const char *const open[] = {"\"", "\xe2\x80\x9c", "\xe3\x80\x8c", "'"};
    static const char *const close[] = {"\"", "\xe2\x80\x9d", "\xe3\x80\x8d", "'"};
    while (*m) {
        int q = -1;
        for (int k = 0; k < 4 && q < 0; k++)
            if (strncmp(m, open[k], strlen(open[k])) == 0)
                q = k;
        if (q >= 0) {
            const char *s = m + strlen(open[q]);
            const char *e = strstr(s, close[q]);
            if (e != NULL) {
                h = fnv(h, s, (size_t)(e - s) + 0);
                h = fnv(h, "", 1);
                m = e + strlen(close[q]);
                continue;
            }
        }
        if (*m >= '0' && *m <= '9') {
            const char *s = m;
            while ((*m >= '0' && *m <= '9') || (*m == '.' && m[1] >= '0' && m[1] <= '9'))
                m++;
            h = fnv(h, s, (size_t)(m - s));
            h = fnv(h, "", 1);
            continue;
        }
        m++;
    }
    return h;
}

void sd_baseline_fingerprint(const sd_finding *f, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const char *parts[] = {f->rule_id ? f->rule_id : "", norm_path(f->file ? f->file : ""),
                           f->location ? f->location : ""};
    for (int i = 0; i < 3; i++)
        h = fnv(h, parts[i], strlen(parts[i]) + 1);
    h = values(h, f->message ? f->message : "");
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

sd_baseline *sd_baseline_new(sd_lang lang)
{
    sd_baseline *b = calloc(1, sizeof *b);
    if (b)
        b->lang = lang;
    return b;
}

sd_lang sd_baseline_lang(const sd_baseline *b)
{
    return b->lang;
}

static sd_status push(sd_baseline *b, const char *fp, const char *rule, const char *file,
                      const char *location, const char *message, size_t count, sd_error *err)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        entry *g = realloc(b->items, cap * sizeof *g);
        if (g == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        b->items = g;
        b->cap = cap;
    }
    entry *e = &b->items[b->count];
    memset(e, 0, sizeof *e);
    snprintf(e->fp, sizeof e->fp, "%s", fp);
    e->rule = strdup(rule ? rule : "");
    e->file = strdup(file ? file : "");
    e->location = strdup(location ? location : "");
    e->message = strdup(message ? message : "");
    e->count = e->left = count;
    b->count++;
    b->sorted = 0;
    if (!e->rule || !e->file || !e->location || !e->message)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    return SD_OK;
}

static int cmp_fp(const void *pa, const void *pb)
{
    return strcmp(((const entry *)pa)->fp, ((const entry *)pb)->fp);
}

static entry *find(sd_baseline *b, const char *fp)
{
    if (!b->sorted) {
        qsort(b->items, b->count, sizeof *b->items, cmp_fp);
        b->sorted = 1;
    }
    entry key;
    snprintf(key.fp, sizeof key.fp, "%s", fp);
    return b->count ? bsearch(&key, b->items, b->count, sizeof *b->items, cmp_fp) : NULL;
}

sd_status sd_baseline_add(sd_baseline *b, const sd_finding *f, sd_error *err)
{
    if (f->severity == SD_SEV_FATAL || f->suppressed)
        return SD_OK;
    char fp[17];
    sd_baseline_fingerprint(f, fp);
    /* Equal fingerprints are merged into one counted entry when saved. */
    return push(b, fp, f->rule_id, norm_path(f->file ? f->file : ""), f->location, f->message, 1,
                err);
}

static char *attr(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static char *child_text(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return (char *)xmlNodeGetContent(c);
    return NULL;
}

sd_status sd_baseline_load(const char *path, sd_baseline **out, sd_error *err)
{
    *out = NULL;
    /* Read and parsed like any input (sd_load: no DTD, no entities, no
     * network); a baseline may be large, so no size limit of its own. */
    sd_diags d;
    sd_diags_init(&d);
    sd_source src = {0};
    sd_load_options lo = {.max_bytes = SIZE_MAX / 2, .lang = SD_LANG_EN};
    xmlDocPtr doc = NULL;
    sd_status ls = sd_load_read_file(path, &lo, &src, &d, err);
    if (ls == SD_OK)
        ls = sd_load_parse(&src, &lo, &doc, &d, err);
    if (ls == SD_OK && (doc == NULL || d.count > 0)) {
        const sd_finding *f = d.count ? &d.items[0] : NULL;
        ls = sd_error_set(err, SD_EINVAL, path, f ? f->line : 0, "%s:%ld: %s", path,
                          f ? f->line : 0L, f ? f->message : "cannot read the baseline");
    }
    sd_diags_free(&d);
    sd_source_free(&src);
    if (ls != SD_OK) {
        sd_load_doc_free(doc);
        return ls;
    }
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root == NULL || strcmp((const char *)root->name, "baseline") != 0 || root->ns == NULL ||
        strcmp((const char *)root->ns->href, NS) != 0) {
        sd_load_doc_free(doc);
        return sd_error_set(err, SD_EINVAL, path, 0,
                            "%s: not an sdlint baseline (root baseline in " NS ")", path);
    }
    char *lang = attr(root, "lang");
    sd_baseline *b = sd_baseline_new(lang && strcmp(lang, "en") == 0 ? SD_LANG_EN : SD_LANG_ZH);
    xmlFree(lang);
    sd_status st = b ? SD_OK : sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    for (xmlNodePtr n = root->children; n && st == SD_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "finding") != 0)
            continue;
        char *fp = attr(n, "fingerprint"), *rule = attr(n, "rule"), *file = attr(n, "file"),
             *count = attr(n, "count");
        char *loc = child_text(n, "location"), *msg = child_text(n, "message");
        long c = count ? strtol(count, NULL, 10) : 1;
        if (fp == NULL || strlen(fp) != 16)
            st = sd_error_set(err, SD_EINVAL, path, xmlGetLineNo(n),
                              "%s:%ld: a finding without a 16-digit fingerprint", path,
                              xmlGetLineNo(n));
        else
            st = push(b, fp, rule, file, loc, msg, c > 0 ? (size_t)c : 1, err);
        xmlFree(fp);
        xmlFree(rule);
        xmlFree(file);
        xmlFree(count);
        xmlFree(loc);
        xmlFree(msg);
    }
    sd_load_doc_free(doc);
    if (st != SD_OK) {
        sd_baseline_free(b);
        return st;
    }
    *out = b;
    return SD_OK;
}

sd_status sd_baseline_apply(sd_baseline *b, const char *file, sd_diags *d, sd_error *err)
{
    if (b->nseen == b->capseen) {
        size_t cap = b->capseen ? b->capseen * 2 : 16;
        char **g = realloc(b->seen, cap * sizeof *g);
        if (g == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        b->seen = g;
        b->capseen = cap;
    }
    if ((b->seen[b->nseen] = strdup(norm_path(file))) == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    b->nseen++;
    for (size_t i = 0; i < d->count; i++) {
        sd_finding *f = &d->items[i];
        if (f->suppressed || f->severity == SD_SEV_FATAL)
            continue;
        char fp[17];
        sd_baseline_fingerprint(f, fp);
        entry *e = find(b, fp);
        if (e != NULL && e->left > 0) {
            e->left--;
            f->baselined = 1;
        }
    }
    return SD_OK;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = *(const entry *const *)pa, *b = *(const entry *const *)pb;
    int c;
    if ((c = strcmp(a->file, b->file)) || (c = strcmp(a->rule, b->rule)) ||
        (c = strcmp(a->location, b->location)))
        return c;
    return strcmp(a->fp, b->fp);
}

static entry **sorted_view(const sd_baseline *b)
{
    entry **v = malloc((b->count ? b->count : 1) * sizeof *v);
    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < b->count; i++)
        v[i] = &b->items[i];
    qsort(v, b->count, sizeof *v, cmp_entry);
    return v;
}

sd_status sd_baseline_stale(sd_baseline *b, const char *const **lines, size_t *n, sd_error *err)
{
    entry **v = sorted_view(b);
    if (v == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < b->nstale; i++)
        free(b->stale[i]);
    free(b->stale);
    b->nstale = 0;
    b->stale = calloc(b->count ? b->count : 1, sizeof *b->stale);
    sd_status st = b->stale ? SD_OK : sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < b->count && st == SD_OK; i++) {
        entry *e = v[i];
        int seen = 0;
        for (size_t k = 0; k < b->nseen && !seen; k++)
            seen = strcmp(b->seen[k], e->file) == 0;
        if (!seen || e->left == 0)
            continue;
        sd_buf t;
        sd_buf_init(&t);
        sd_buf_printf(&t, "%s: %s %s: %s", e->file, e->rule, e->location, e->message);
        if (e->left > 1)
            sd_buf_printf(&t, " (×%zu)", e->left);
        if (sd_buf_failed(&t)) {
            sd_buf_free(&t);
            st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        b->stale[b->nstale++] = t.data;
    }
    free(v);
    *lines = (const char *const *)b->stale;
    *n = b->nstale;
    return st;
}

static void xml_text(sd_buf *t, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': sd_buf_puts(t, "&lt;"); break;
        case '>': sd_buf_puts(t, "&gt;"); break;
        case '&': sd_buf_puts(t, "&amp;"); break;
        case '"': sd_buf_puts(t, "&quot;"); break;
        case '\n': sd_buf_puts(t, "&#10;"); break;
        case '\r': sd_buf_puts(t, "&#13;"); break;
        case '\t': sd_buf_puts(t, "&#9;"); break;
        default:
            /* Controls XML 1.0 cannot hold are dropped. */
            if ((unsigned char)*s >= 0x20)
                sd_buf_add(t, s, 1);
        }
    }
}

sd_status sd_baseline_save(const sd_baseline *b, const char *path, sd_error *err)
{
    entry **v = sorted_view(b);
    if (v == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    sd_buf t;
    sd_buf_init(&t);
    sd_buf_printf(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<!-- sdlint baseline: findings accepted for now (used by the baseline\n"
                      "     option, rewritten by write-baseline).  Fingerprints are FNV-1a 64 over\n"
                      "     rule, file, location and the values in the message. -->\n"
                      "<baseline xmlns=\"" NS "\" version=\"1\" lang=\"%s\">\n",
                  b->lang == SD_LANG_EN ? "en" : "zh");
    for (size_t i = 0; i < b->count; i++) {
        const entry *e = v[i];
        size_t count = e->count;
        while (i + 1 < b->count && strcmp(v[i + 1]->fp, e->fp) == 0)
            count += v[++i]->count;
        sd_buf_printf(&t, "  <finding fingerprint=\"%s\" rule=\"", e->fp);
        xml_text(&t, e->rule);
        sd_buf_puts(&t, "\" file=\"");
        xml_text(&t, e->file);
        sd_buf_printf(&t, "\" count=\"%zu\">\n    <location>", count);
        xml_text(&t, e->location);
        sd_buf_puts(&t, "</location>\n    <message>");
        xml_text(&t, e->message);
        sd_buf_puts(&t, "</message>\n  </finding>\n");
    }
    sd_buf_puts(&t, "</baseline>\n");
    free(v);
    sd_status st = sd_buf_failed(&t) ? sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory")
                                     : sd_write_atomic(path, t.data, t.len, err);
    sd_buf_free(&t);
    return st;
}

void sd_baseline_free(sd_baseline *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->count; i++) {
        free(b->items[i].rule);
        free(b->items[i].file);
        free(b->items[i].location);
        free(b->items[i].message);
    }
    free(b->items);
    for (size_t i = 0; i < b->nseen; i++)
        free(b->seen[i]);
    free(b->seen);
    for (size_t i = 0; i < b->nstale; i++)
        free(b->stale[i]);
    free(b->stale);
    free(b);
}
