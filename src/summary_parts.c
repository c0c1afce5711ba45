/*
 * summary_parts.c — the per-jurisdiction summary of a sharded audit: each
 * shard writes its nodes as parts, `sdlint merge` adds the parts of every
 * shard up into the summary the unsharded run would have built.
 *
 * Why parts and not the shards' finished summaries: a jurisdiction's node
 * depends on the order documents came in — the node is made by its first
 * document (the order of nodes decides ties and where a loop of parent plans
 * is cut), its name and tier are the last non-empty ones given, its figures
 * come from its first plan.  So a part carries, besides its sums (files,
 * findings by severity and by rule, plans), the takes that made those
 * choices; merge turns them into places in the unsharded order (the shard's
 * "entries") and makes the same choices over all shards.
 *
 * The format is ours alone (summary.h): one object per line, members in a
 * fixed order, read back strictly; anything else is refused, never guessed.
 * Cost: linear in the size of the parts; a node is found by code with a scan
 * (node counts are jurisdictions, thousands at most).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

/* ---- writing ---- */


void sd_summary_parts_json(const sd_audit_summary *s, sd_buf *b, const char *indent)
{
    if (s->failed || s->finished) {
        b->failed = 1; /* a shard must not hand on a summary it lacks */
        return;
    }
    sd_buf_puts(b, "[");
    for (size_t i = 0; i < s->nnodes; i++) {
        const sd_summary_node *n = &s->nodes[i];
        sd_buf_puts(b, i ? ",\n" : "\n");
        sd_buf_puts(b, indent);
        sd_buf_printf(b, "{\"first\": %ld, \"code\": ", n->first_take);
        sd_buf_json_str_or_null(b, n->code);
        sd_buf_puts(b, ", \"name\": ");
        sd_buf_json_str_or_null(b, n->name);
        sd_buf_printf(b, ", \"nameAt\": %ld, \"tier\": ", n->name_take);
        sd_buf_json_str_or_null(b, n->tier);
        sd_buf_printf(b, ", \"tierAt\": %ld, \"plans\": %zu, \"plan\": ", n->tier_take, n->plans);
        sd_buf_json_str_or_null(b, n->plan);
        sd_buf_printf(b, ", \"planAt\": %ld, \"parentHref\": ", n->plan_take);
        sd_buf_json_str_or_null(b, n->parent_href);
        sd_buf_printf(b, ", \"figures\": [%ld, %ld, %ld, %ld, %ld, %ld, %ld, %ld], \"levels\": [",
                      n->agency_cap, n->admin_cap, n->agencies_before, n->agencies_after,
                      n->admin_before, n->admin_after, n->units_before, n->units_after);
        for (size_t k = 0; k < n->nlevels; k++) {
            sd_buf_puts(b, k ? ", [" : "[");
            sd_buf_json_str_or_null(b, n->levels[k].rank);
            sd_buf_printf(b, ", %ld, %ld]", n->levels[k].before, n->levels[k].after);
        }
        sd_buf_printf(b, "], \"files\": %zu, \"severity\": [%zu, %zu, %zu, %zu], \"rules\": [",
                      n->files, n->by_severity[SD_SEV_FATAL], n->by_severity[SD_SEV_ERROR],
                      n->by_severity[SD_SEV_WARNING], n->by_severity[SD_SEV_INFO]);
        for (size_t k = 0; k < n->nrules; k++) {
            const size_t *by = n->rules[k].by_severity;
            sd_buf_puts(b, k ? ", [" : "[");
            sd_buf_json_str_or_null(b, n->rules[k].rule);
            sd_buf_printf(b, ", %zu, %zu, %zu, %zu]", by[SD_SEV_FATAL], by[SD_SEV_ERROR],
                          by[SD_SEV_WARNING], by[SD_SEV_INFO]);
        }
        sd_buf_puts(b, "]}");
    }
    if (s->nnodes) {
        sd_buf_puts(b, "\n");
        size_t il = strlen(indent);
        sd_buf_add(b, indent, il >= 2 ? il - 2 : 0);
    }
    sd_buf_puts(b, "]");
}

/* ---- reading ---- */

typedef struct cursor {
    const char *p;
    int bad;
} cursor;

static void lit(cursor *c, const char *s)
{
    size_t n = strlen(s);
    if (!c->bad && strncmp(c->p, s, n) == 0)
        c->p += n;
    else
        c->bad = 1;
}

static long num(cursor *c)
{
    if (c->bad)
        return 0;
    const char *q = c->p + (*c->p == '-');
    if (*q < '0' || *q > '9') {
        c->bad = 1;
        return 0;
    }
    char *e;
    errno = 0;
    long v = strtol(c->p, &e, 10);
    if (errno || v < -1) {
        c->bad = 1;
        return 0;
    }
    c->p = e;
    return v;
}

static size_t count(cursor *c)
{
    long v = num(c);
    if (v < 0)
        c->bad = 1;
    return c->bad ? 0 : (size_t)v;
}

static int hex4(const char *p, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char h = p[i];
        int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 0;
}

static void put_utf8(sd_buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sd_buf_add(b, u, n);
}

/* A JSON string as sd_buf_json_str writes it, or null (NULL, not bad). */
static char *str(cursor *c)
{
    if (c->bad)
        return NULL;
    if (strncmp(c->p, "null", 4) == 0) {
        c->p += 4;
        return NULL;
    }
    if (*c->p != '"') {
        c->bad = 1;
        return NULL;
    }
    const char *p = c->p + 1;
    sd_buf b;
    sd_buf_init(&b);
    for (;;) {
        const char *run = p;
        while (*p && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        sd_buf_add(&b, run, (size_t)(p - run));
        if (*p == '"')
            break;
        if (*p != '\\') { /* the end of the line, or a control character */
            c->bad = 1;
            break;
        }
        char e = p[1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e != '\0' && simple != NULL) {
            static const char out[] = "\"\\/\b\f\n\r\t";
            sd_buf_add(&b, &out[simple - "\"\\/bfnrt"], 1);
            p += 2;
            continue;
        }
        uint32_t cp, lo;
        if (e != 'u' || hex4(p + 2, &cp) != 0 || cp == 0) {
            c->bad = 1;
            break;
        }
        p += 6;
        if (cp >= 0xD800 && cp < 0xDC00) {
            if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
                c->bad = 1;
                break;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            c->bad = 1;
            break;
        }
        put_utf8(&b, cp);
    }
    if (c->bad || sd_buf_failed(&b)) {
        c->bad = 1;
        sd_buf_free(&b);
        return NULL;
    }
    c->p = p + 1;
    char *r = b.data ? b.data : strdup("");
    if (r == NULL)
        c->bad = 1;
    return r; /* the buffer's bytes, NUL-terminated by sd_buf */
}

/* A take of the shard as its place in the unsharded run; -1 stays -1. */
static long place_of(cursor *c, long take, const size_t *place, size_t nplace)
{
    if (take < 0)
        return -1;
    if ((size_t)take >= nplace || place[take] > (size_t)LONG_MAX) {
        c->bad = 1;
        return -1;
    }
    return (long)place[take];
}

static void set_owned(char **dst, char *v)
{
    free(*dst);
    *dst = v;
}

static int add_rule(sd_summary_node *n, char *rule, const size_t by[4])
{
    for (size_t i = 0; i < n->nrules; i++)
        if (strcmp(n->rules[i].rule, rule) == 0) {
            for (int k = 0; k < 4; k++)
                n->rules[i].by_severity[k] += by[k];
            free(rule);
            return 0;
        }
    sd_summary_rule *nr = realloc(n->rules, (n->nrules + 1) * sizeof *nr);
    if (nr == NULL) {
        free(rule);
        return -1;
    }
    n->rules = nr;
    nr[n->nrules].rule = rule;
    memcpy(nr[n->nrules].by_severity, by, sizeof nr[n->nrules].by_severity);
    n->nrules++;
    return 0;
}

static const int SEV_ORDER[4] = {SD_SEV_FATAL, SD_SEV_ERROR, SD_SEV_WARNING, SD_SEV_INFO};

int sd_summary_part_add(sd_audit_summary *s, const char *line, const size_t *place, size_t nplace,
                        const char **why)
{
    cursor c = {line, 0};
    char *code = NULL, *name = NULL, *tier = NULL, *plan = NULL, *href = NULL;
    sd_summary_level *levels = NULL;
    size_t nlevels = 0;
    *why = "not a part of a shard's summary";
    lit(&c, "{\"first\": ");
    long first = place_of(&c, num(&c), place, nplace);
    lit(&c, ", \"code\": ");
    code = str(&c);
    lit(&c, ", \"name\": ");
    name = str(&c);
    lit(&c, ", \"nameAt\": ");
    long name_at = place_of(&c, num(&c), place, nplace);
    lit(&c, ", \"tier\": ");
    tier = str(&c);
    lit(&c, ", \"tierAt\": ");
    long tier_at = place_of(&c, num(&c), place, nplace);
    lit(&c, ", \"plans\": ");
    size_t plans = count(&c);
    lit(&c, ", \"plan\": ");
    plan = str(&c);
    lit(&c, ", \"planAt\": ");
    long plan_at = place_of(&c, num(&c), place, nplace);
    lit(&c, ", \"parentHref\": ");
    href = str(&c);
    lit(&c, ", \"figures\": [");
    long fig[8];
    for (int i = 0; i < 8; i++) {
        if (i)
            lit(&c, ", ");
        fig[i] = num(&c);
    }
    lit(&c, "], \"levels\": [");
    while (!c.bad && *c.p == '[') {
        c.p++;
        sd_summary_level *nl = realloc(levels, (nlevels + 1) * sizeof *nl);
        if (nl == NULL) {
            c.bad = 1;
            break;
        }
        levels = nl;
        levels[nlevels].rank = str(&c);
        levels[nlevels].before = levels[nlevels].after = SD_SUMMARY_UNSTATED;
        nlevels++;
        if (levels[nlevels - 1].rank == NULL)
            c.bad = 1;
        lit(&c, ", ");
        levels[nlevels - 1].before = num(&c);
        lit(&c, ", ");
        levels[nlevels - 1].after = num(&c);
        lit(&c, "]");
        if (!c.bad && *c.p == ',')
            lit(&c, ", ");
    }
    lit(&c, "], \"files\": ");
    size_t files = count(&c);
    lit(&c, ", \"severity\": [");
    size_t sev[4];
    for (int i = 0; i < 4; i++) {
        if (i)
            lit(&c, ", ");
        sev[i] = count(&c);
    }
    lit(&c, "], \"rules\": [");
    sd_summary_node *n = NULL;
    int fresh = 0;
    if (!c.bad && code != NULL && name != NULL && tier != NULL && first >= 0 &&
        (plan == NULL) == (plan_at < 0)) {
        size_t had = s->nnodes;
        n = sd_summary_node_for(s, code);
        fresh = s->nnodes > had;
        if (n == NULL) {
            *why = "out of memory";
            c.bad = 1;
        }
    } else {
        c.bad = 1;
    }
    while (!c.bad && *c.p == '[') {
        c.p++;
        char *rule = str(&c);
        size_t by[4] = {0};
        for (int i = 0; i < 4; i++) {
            lit(&c, ", ");
            by[SEV_ORDER[i]] = count(&c);
        }
        lit(&c, "]");
        if (rule == NULL || c.bad) {
            free(rule);
            c.bad = 1;
        } else if (add_rule(n, rule, by) != 0) {
            *why = "out of memory";
            c.bad = 1;
        }
        if (!c.bad && *c.p == ',')
            lit(&c, ", ");
    }
    lit(&c, "]}");
    if (!c.bad && *c.p != '\0')
        c.bad = 1;
    if (!c.bad) {
        /* The node was made by the earliest document of all shards. */
        if (fresh || first < n->first_take)
            n->first_take = first;
        if (name_at > n->name_take) { /* the last non-empty name of the run */
            set_owned(&n->name, name);
            name = NULL;
            n->name_take = name_at;
        }
        if (tier_at > n->tier_take) {
            set_owned(&n->tier, tier);
            tier = NULL;
            n->tier_take = tier_at;
        }
        if (plan_at >= 0 && (n->plan_take < 0 || plan_at < n->plan_take)) {
            set_owned(&n->plan, plan); /* the first plan of the run gives the figures */
            plan = NULL;
            set_owned(&n->parent_href, href);
            href = NULL;
            n->plan_take = plan_at;
            n->agency_cap = fig[0];
            n->admin_cap = fig[1];
            n->agencies_before = fig[2];
            n->agencies_after = fig[3];
            n->admin_before = fig[4];
            n->admin_after = fig[5];
            n->units_before = fig[6];
            n->units_after = fig[7];
            for (size_t k = 0; k < n->nlevels; k++)
                free(n->levels[k].rank);
            free(n->levels);
            n->levels = levels;
            n->nlevels = nlevels;
            levels = NULL;
            nlevels = 0;
        }
        n->plans += plans;
        s->plans += plans;
        n->files += files;
        s->files += files;
        for (int i = 0; i < 4; i++) {
            n->by_severity[SEV_ORDER[i]] += sev[i];
            s->by_severity[SEV_ORDER[i]] += sev[i];
        }
    }
    free(code);
    free(name);
    free(tier);
    free(plan);
    free(href);
    for (size_t k = 0; k < nlevels; k++)
        free(levels[k].rank);
    free(levels);
    return c.bad ? -1 : 0;
}

static int by_first(const void *a, const void *b)
{
    const sd_summary_node *x = a, *y = b;
    return x->first_take < y->first_take ? -1 : x->first_take > y->first_take;
}

void sd_summary_parts_done(sd_audit_summary *s)
{
    if (s->nnodes > 1)
        qsort(s->nodes, s->nnodes, sizeof *s->nodes, by_first);
}
