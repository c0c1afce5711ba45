/*
 * merge.c — `sdlint merge REPORT.json...`: the JSON reports of the shards of
 * one audit (sdlint audit --shard K/N --format json) joined into the report
 * the unsharded audit writes, byte for byte.
 *
 * Place: after a CI matrix has run the shards.  Each shard report ends with a
 * "shard" member (audit.c, audit_trailer) giving its index, the shard count,
 * its exit code and warnings, and for each file entry its place in the
 * unsharded order (unit, entry within the unit).  The entries are taken as
 * the JSON formatter wrote them (one "    {" line each, findings on lines of
 * their own: strings never hold a line break), sorted by place, and written
 * between the formatter's own beginning and end; the summary counts are
 * added, and the shards' jurisdiction parts (summary_parts.c) are added up
 * into the unsharded run's per-jurisdiction summary.  Anything else — another writer's JSON, a shard missing or given
 * twice, shards of different runs — is refused with exit 2.
 *
 * Exit code: the highest of the shards', then --max-warnings (the shards')
 * over the summed warnings, as the unsharded run decides.
 * Cost: O(total size + entries × log entries); the reports are held in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sdlint.h"
#include "summary.h"

typedef struct entry {
    size_t unit, sub;
    size_t shard, take; /* whose entry, and its position in that shard's report */
    const char *text;
    size_t len;
} entry;

typedef struct shard {
    char *data;
    const char *tool;
    size_t tool_len;
    long index, count, exit, max_warnings;
    unsigned long long warnings;
    unsigned long long sum[9];
    char **parts; /* its jurisdictionParts lines, NULL when it has none */
    size_t nparts;
    int has_parts;
} shard;

static const char *const SUM_KEYS[9] = {"files", "unchecked", "skipped", "fatal", "error",
                                        "warning", "info", "suppressed", "baselined"};

static int fail(const char *file, const char *why)
{
    fputs("sdlint: ", stderr);
    put_term(stderr, file);
    fprintf(stderr, ": %s\n", why);
    return EXIT_USAGE;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *d = malloc(cap + 1);
    for (;;) {
        if (d == NULL)
            break;
        n += fread(d + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *g = cap < ((size_t)1 << 31) ? realloc(d, cap * 2 + 1) : NULL;
        if (g == NULL) {
            free(d);
            d = NULL;
            break;
        }
        d = g;
        cap *= 2;
    }
    if (d && ferror(f)) {
        free(d);
        d = NULL;
    }
    fclose(f);
    if (d) {
        d[n] = '\0';
        *len = n;
    }
    return d;
}

/* The number after "key": in line; -1 when absent. */
static int field(const char *line, const char *end, const char *key, unsigned long long *v)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(line, pat);
    if (p == NULL || p >= end)
        return -1;
    p += strlen(pat);
    int neg = *p == '-';
    if (neg)
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    char *e;
    errno = 0;
    *v = strtoull(p, &e, 10);
    if (errno)
        return -1;
    if (neg)
        *v = (unsigned long long)-(long long)*v;
    return 0;
}

static int add_entry(entry **v, size_t *n, size_t *cap, entry e)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        entry *g = realloc(*v, c * sizeof *g);
        if (g == NULL)
            return -1;
        *v = g;
        *cap = c;
    }
    (*v)[(*n)++] = e;
    return 0;
}

/* The line at *p, NUL-terminated in place; *p moves past it.  NULL at the end. */
static char *next_line(char **p)
{
    char *nl = strchr(*p, '\n');
    if (nl == NULL)
        return NULL;
    *nl = '\0';
    char *ln = *p;
    *p = nl + 1;
    return ln;
}

/* Splits one shard report; its entries go to *v (their places still 0).
 * Returns 0, or the reason it is refused. */
static const char *parse(shard *s, entry **v, size_t *n, size_t *cap, size_t *first, sd_lang lang)
{
    char *p = s->data;
    char *line[3];
    for (int i = 0; i < 3; i++) {
        char *nl = strchr(p, '\n');
        if (nl == NULL)
            return SD_TR(lang, "不是 sdlint 的 JSON 报告", "not an sdlint JSON report");
        *nl = '\0';
        line[i] = p;
        p = nl + 1;
    }
    if (strcmp(line[0], "{") != 0 || strncmp(line[1], "  \"tool\": {\"name\": \"sdlint\"", 27) != 0 ||
        strcmp(line[2], "  \"files\": [") != 0)
        return SD_TR(lang, "不是 sdlint 的 JSON 报告", "not an sdlint JSON report");
    s->tool = line[1];
    s->tool_len = strlen(line[1]);
    *first = *n;
    entry cur = {0};
    int in = 0;
    for (;;) {
        char *nl = strchr(p, '\n');
        if (nl == NULL)
            return SD_TR(lang, "不是 sdlint 的 JSON 报告（不完整）", "not an sdlint JSON report (cut short)");
        *nl = '\0';
        if (strcmp(p, "  ],") == 0) {
            p = nl + 1;
            break;
        }
        if (strncmp(p, "    {\"path\": ", 13) == 0) {
            if (in && add_entry(v, n, cap, cur) != 0)
                return SD_TR(lang, "内存不足", "out of memory");
            cur.text = p;
            in = 1;
        } else if (!in || (strncmp(p, "      ", 6) != 0 && strncmp(p, "    ]}", 6) != 0)) {
            return SD_TR(lang, "不是 sdlint 的 JSON 报告（有一项的格式不对）", "not an sdlint JSON report (an entry of another form)");
        }
        *nl = '\n';
        cur.len = (size_t)(nl - cur.text);
        if (cur.len && cur.text[cur.len - 1] == ',')
            cur.len--;
        p = nl + 1;
    }
    if (in && add_entry(v, n, cap, cur) != 0)
        return SD_TR(lang, "内存不足", "out of memory");
    /* Lines end with '\n' in the entries again; the rest is read in place. */
    char *sum = p, *nl = strchr(p, '\n');
    if (nl == NULL || strncmp(sum, "  \"summary\": {", 14) != 0)
        return SD_TR(lang, "不是 sdlint 的 JSON 报告（没有汇总）", "not an sdlint JSON report (no summary)");
    *nl = '\0';
    /* A shard hands its jurisdictions on as parts (jurisdictionParts); a
     * finished per-jurisdiction summary cannot be added up. */
    if (strstr(sum, "\"jurisdictions\""))
        return SD_TR(lang, "汇总里已有分辖区汇总：不是分片的报告", "its summary holds a finished per-jurisdiction summary: not a shard's report");
    if (strstr(sum, "\"stale_baseline\""))
        return SD_TR(lang, "使用基线的报告不能合并", "a report with a baseline cannot be merged");
    for (int i = 0; i < 9; i++)
        if (field(sum, nl, SUM_KEYS[i], &s->sum[i]) != 0)
            return SD_TR(lang, "不是 sdlint 的 JSON 报告（汇总）", "not an sdlint JSON report (summary)");
    p = nl + 1;
    char *sh = p;
    nl = strchr(p, '\n');
    if (nl == NULL || strncmp(sh, "  \"shard\": {", 12) != 0)
        return SD_TR(lang, "不是分片审计的报告（请用 sdlint audit --shard K/N --format json 生成）", "not a shard's report (write it with sdlint audit --shard K/N --format json)");
    *nl = '\0';
    unsigned long long idx, cnt, ex, w, mw;
    if (field(sh, nl, "index", &idx) || field(sh, nl, "count", &cnt) || field(sh, nl, "exit", &ex) ||
        field(sh, nl, "warnings", &w) || field(sh, nl, "maxWarnings", &mw) || cnt < 1 || idx < 1 ||
        idx > cnt || cnt > 100000 || ex > EXIT_USAGE)
        return SD_TR(lang, "其 \"shard\" 成员不是 sdlint 写的", "its \"shard\" member is not sdlint's");
    s->index = (long)idx;
    s->count = (long)cnt;
    s->exit = (long)ex;
    s->warnings = w;
    s->max_warnings = (long)(long long)mw;
    const char *q = strstr(sh, "\"entries\": [");
    if (q == NULL)
        return SD_TR(lang, "其 \"shard\" 成员不是 sdlint 写的", "its \"shard\" member is not sdlint's");
    q += 12;
    size_t k = *first;
    while (*q == '[') {
        char *e;
        unsigned long long u = strtoull(q + 1, &e, 10);
        if (strncmp(e, ", ", 2) != 0)
            return SD_TR(lang, "其 \"shard\" 成员不是 sdlint 写的", "its \"shard\" member is not sdlint's");
        unsigned long long sub = strtoull(e + 2, &e, 10);
        if (*e != ']' || k >= *n)
            return SD_TR(lang, "其 \"shard\" 成员与文件条目不符", "its \"shard\" member does not match its entries");
        (*v)[k].unit = (size_t)u;
        (*v)[k].sub = (size_t)sub;
        k++;
        q = e + 1;
        if (strncmp(q, ", ", 2) == 0)
            q += 2;
    }
    if (strcmp(q, "]}") != 0 && strcmp(q, "]},") != 0)
        return SD_TR(lang, "其 \"shard\" 成员与文件条目不符", "its \"shard\" member does not match its entries");
    if (k != *n)
        return SD_TR(lang, "其 \"shard\" 成员与文件条目不符", "its \"shard\" member does not match its entries");
    p = nl + 1;
    if (q[2] == ',') { /* the shard's jurisdictions, one part a line (summary_parts.c) */
        s->has_parts = 1;
        const char *bad = SD_TR(lang, "其 \"jurisdictionParts\" 成员不是 sdlint 写的", "its \"jurisdictionParts\" member is not sdlint's");
        char *ln = next_line(&p);
        if (ln == NULL)
            return bad;
        if (strcmp(ln, "  \"jurisdictionParts\": [") == 0) {
            for (;;) {
                if ((ln = next_line(&p)) == NULL || strncmp(ln, "  ]", 3) == 0)
                    break;
                size_t len = strlen(ln);
                if (strncmp(ln, "    {", 5) != 0 || len < 6)
                    return bad;
                if (ln[len - 1] == ',')
                    ln[len - 1] = '\0';
                char **g = realloc(s->parts, (s->nparts + 1) * sizeof *g);
                if (g == NULL)
                    return SD_TR(lang, "内存不足", "out of memory");
                s->parts = g;
                s->parts[s->nparts++] = ln + 4;
            }
            if (ln == NULL || strcmp(ln, "  ]") != 0 || s->nparts == 0)
                return bad;
        } else if (strcmp(ln, "  \"jurisdictionParts\": []") != 0) {
            return bad;
        }
    }
    if (strcmp(p, "}\n") != 0)
        return SD_TR(lang, "不是 sdlint 的 JSON 报告（结尾有多余内容）", "not an sdlint JSON report (trailing text)");
    return NULL;
}

static int by_place(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    return a->sub < b->sub ? -1 : a->sub > b->sub;
}

/* The shards' jurisdictionParts added up into the unsharded run's summary;
 * NULL with *why (and the shard at fault) when a part is refused.  v holds
 * the n entries in the unsharded order, each naming its shard and take. */
static sd_audit_summary *jurisdictions(const shard *sh, size_t ns, const entry *v, size_t n,
                                       const char **why, size_t *bad, sd_lang lang)
{
    sd_audit_summary *s = sd_summary_new();
    size_t **place = calloc(ns, sizeof *place);
    size_t *nplace = calloc(ns, sizeof *nplace);
    int oom = s == NULL || place == NULL || nplace == NULL;
    for (size_t g = 0; g < n && !oom; g++)
        nplace[v[g].shard]++;
    for (size_t i = 0; i < ns && !oom; i++)
        if ((place[i] = malloc((nplace[i] + 1) * sizeof **place)) == NULL)
            oom = 1;
    for (size_t g = 0; g < n && !oom; g++)
        place[v[g].shard][v[g].take] = g;
    if (oom)
        *why = SD_TR(lang, "内存不足", "out of memory");
    for (size_t i = 0; i < ns && *why == NULL; i++)
        for (size_t k = 0; k < sh[i].nparts && *why == NULL; k++) {
            const char *w;
            if (sd_summary_part_add(s, sh[i].parts[k], place[i], nplace[i], &w) != 0) {
                *why = strcmp(w, "out of memory") == 0
                           ? SD_TR(lang, "内存不足", "out of memory")
                           : SD_TR(lang, "其 \"jurisdictionParts\" 成员不是 sdlint 写的", "its \"jurisdictionParts\" member is not sdlint's");
                *bad = i;
            }
        }
    for (size_t i = 0; place && i < ns; i++)
        free(place[i]);
    free(place);
    free(nplace);
    if (*why != NULL) {
        sd_summary_free(s);
        return NULL;
    }
    sd_summary_parts_done(s);
    return s;
}

int cmd_merge(const options *o)
{
    size_t ns = o->npaths;
    shard *sh = calloc(ns, sizeof *sh);
    entry *v = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    if (sh == NULL)
        return fail("merge", "out of memory");
    for (size_t i = 0; i < ns && rc < 0; i++) {
        size_t len, first = 0;
        sh[i].data = read_all(o->paths[i], &len);
        if (sh[i].data == NULL) {
            rc = fail(o->paths[i], SD_TR(o->lang, "无法读取", "cannot be read"));
            break;
        }
        const char *why = strlen(sh[i].data) != len ? SD_TR(o->lang, "不是 sdlint 的 JSON 报告（含 NUL 字节）", "not an sdlint JSON report (a NUL byte)")
                                                    : parse(&sh[i], &v, &n, &cap, &first, o->lang);
        for (size_t j = first; !why && j < n; j++) {
            v[j].shard = i;
            v[j].take = j - first;
        }
        if (why)
            rc = fail(o->paths[i], why);
        else if (i && (sh[i].count != sh[0].count || sh[i].tool_len != sh[0].tool_len ||
                       memcmp(sh[i].tool, sh[0].tool, sh[0].tool_len) != 0 ||
                       sh[i].max_warnings != sh[0].max_warnings))
            rc = fail(o->paths[i], SD_TR(o->lang, "属于另一次审计（分片数、版本或选项不同）", "a shard of another audit (shard count, version or options differ)"));
        for (size_t j = 0; j < i && rc < 0; j++)
            if (sh[j].index == sh[i].index)
                rc = fail(o->paths[i], SD_TR(o->lang, "同一分片给了两次", "the same shard given twice"));
    }
    if (rc < 0 && (long)ns != sh[0].count) {
        char why[128];
        snprintf(why, sizeof why, SD_TR(o->lang, "给出 %zu 份分片报告，该审计共 %ld 份", "%zu shard report(s) given, the audit has %ld"),
                 ns, sh[0].count);
        rc = fail(o->paths[0], why);
    }
    if (rc < 0) {
        qsort(v, n, sizeof *v, by_place);
        for (size_t i = 1; i < n && rc < 0; i++)
            if (v[i].unit == v[i - 1].unit && v[i].sub == v[i - 1].sub)
                rc = fail(o->paths[0], SD_TR(o->lang, "两个分片报告了同一项", "two shards report the same entry"));
    }
    if (rc < 0) {
        sd_buf b;
        sd_buf_init(&b);
        sd_buf_puts(&b, "{\n");
        sd_buf_add(&b, sh[0].tool, sh[0].tool_len);
        sd_buf_puts(&b, "\n  \"files\": [");
        for (size_t i = 0; i < n; i++) {
            sd_buf_puts(&b, i ? ",\n" : "\n");
            sd_buf_add(&b, v[i].text, v[i].len);
        }
        sd_summary sum = {0};
        unsigned long long warnings = 0;
        long exit_code = EXIT_CLEAN;
        for (size_t i = 0; i < ns; i++) {
            sum.files += (size_t)sh[i].sum[0];
            sum.unchecked += (size_t)sh[i].sum[1];
            sum.skipped += (size_t)sh[i].sum[2];
            for (int k = 0; k < 4; k++)
                sum.by_severity[SD_SEV_FATAL - k] += (size_t)sh[i].sum[3 + k];
            sum.suppressed += (size_t)sh[i].sum[7];
            sum.baselined += (size_t)sh[i].sum[8];
            warnings += sh[i].warnings;
            if (sh[i].exit > exit_code)
                exit_code = sh[i].exit;
        }
        sd_out_options oo = {.lang = o->lang, .version = SDLINT_VERSION};
        const char *why = NULL;
        size_t bad_shard = 0;
        oo.jurisdictions = sh[0].has_parts ? jurisdictions(sh, ns, v, n, &why, &bad_shard, o->lang) : NULL;
        for (size_t i = 1; i < ns && why == NULL; i++)
            if (sh[i].has_parts != sh[0].has_parts) {
                why = SD_TR(o->lang, "属于另一次审计（分片数、版本或选项不同）", "a shard of another audit (shard count, version or options differ)");
                bad_shard = i;
            }
        if (why != NULL) {
            rc = fail(o->paths[bad_shard], why);
            sd_summary_free(oo.jurisdictions);
            sd_buf_free(&b);
            goto out;
        }
        sd_out_json.end(&b, &sum, &oo);
        sd_summary_free(oo.jurisdictions);
        if (sh[0].max_warnings >= 0 && warnings > (unsigned long long)sh[0].max_warnings) {
            if (o->lang == SD_LANG_EN)
                fprintf(stderr, "sdlint: %llu warning%s, more than --max-warnings %ld\n", warnings,
                        warnings == 1 ? "" : "s", sh[0].max_warnings);
            else
                fprintf(stderr, "sdlint: 警告 %llu 个，超过 --max-warnings %ld\n", warnings, sh[0].max_warnings);
            if (exit_code == EXIT_CLEAN)
                exit_code = EXIT_FINDINGS;
        }
        rc = (int)exit_code;
        sd_error err = {0};
        if (sd_buf_failed(&b)) {
            fprintf(stderr, "sdlint: out of memory writing the report\n");
            rc = EXIT_USAGE;
        } else if (o->output) {
            if (sd_write_atomic(o->output, b.data ? b.data : "", b.len, &err) != SD_OK) {
                print_error(&err);
                rc = EXIT_USAGE;
            }
        } else if (b.len) {
            fwrite(b.data, 1, b.len, stdout);
        }
        sd_buf_free(&b);
    }
out:
    for (size_t i = 0; i < ns; i++) {
        free(sh[i].data);
        free(sh[i].parts);
    }
    free(sh);
    free(v);
    return rc;
}
