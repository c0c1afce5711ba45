/*
 * config.c — finding, loading and resolving .sdlint.xml (see config.h).
 *
 * The file is read like any input (sd_load: no DTD, no entities, no
 * network) and validated against the embedded schemas/config.xsd, so a typo
 * in an element name is an error with its line, never a silently ignored
 * setting.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/xmlschemas.h>

#include "embedded.h"
#include "load.h"
#include "select.h"

#define NS "urn:sdlint:config:1"

struct sd_config {
    char *path, *dir;
    struct _xmlDoc *doc;
};

static char *dup_or(const char *s)
{
    return s ? strdup(s) : NULL;
}

void sd_config_list_clear(sd_config_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].name);
        free(l->items[i].value);
        free(l->items[i].origin);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

sd_status sd_config_set(sd_config_list *l, const char *name, const char *value,
                        const char *origin, int single, sd_error *err)
{
    if (single)
        sd_config_list_clear(l);
    sd_config_item *it = NULL;
    for (size_t i = 0; name && i < l->count && it == NULL; i++)
        if (l->items[i].name && strcmp(l->items[i].name, name) == 0)
            it = &l->items[i];
    if (it != NULL) {
        free(it->value);
        free(it->origin);
    } else {
        if (l->count == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 8;
            sd_config_item *g = realloc(l->items, cap * sizeof *g);
            if (g == NULL)
                return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            l->items = g;
            l->cap = cap;
        }
        it = &l->items[l->count++];
        it->name = dup_or(name);
        if (name && it->name == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    it->value = dup_or(value);
    it->origin = dup_or(origin);
    if (it->value == NULL || it->origin == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    return SD_OK;
}

void sd_config_resolved_free(sd_config_resolved *r)
{
    free(r->file);
    sd_config_list *ls[] = {&r->tier, &r->params, &r->packs, &r->select, &r->extend,
                            &r->ignore, &r->severity, &r->fail_level, &r->catalogue};
    for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++)
        sd_config_list_clear(ls[i]);
    memset(r, 0, sizeof *r);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

sd_status sd_config_find(const char *abs_path, char **out, sd_error *err)
{
    *out = NULL;
    size_t n = strlen(abs_path);
    char *dir = malloc(n + 16);
    if (dir == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    memcpy(dir, abs_path, n + 1);
    char *slash = strrchr(dir, '/');
    while (slash != NULL) {
        *slash = '\0'; /* dir is now the folder ("" for /) */
        size_t dl = (size_t)(slash - dir);
        memcpy(dir + dl, "/.sdlint.xml", 13);
        if (exists(dir)) {
            *out = dir;
            return SD_OK;
        }
        memcpy(dir + dl, "/.git", 6);
        if (exists(dir))
            break; /* the repository's root: no further */
        dir[dl] = '\0';
        slash = strrchr(dir, '/');
    }
    free(dir);
    return SD_OK;
}

typedef struct verrors {
    sd_error *err;
    const char *path;
    int set;
} verrors;

static void on_invalid(void *ctx, const xmlError *e)
{
    verrors *v = ctx;
    if (v->set || e == NULL)
        return;
    v->set = 1;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "invalid");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    sd_error_set(v->err, SD_EINVAL, v->path, e->line, "%s:%d: %s (schemas/config.xsd)", v->path,
                 e->line, msg);
}

static sd_status validate(xmlDocPtr doc, const char *path, sd_error *err)
{
    const sd_embedded_file *f = sd_embedded_find("config.xsd");
    if (f == NULL)
        return sd_error_set(err, SD_ESCHEMA, NULL, 0, "config.xsd is not embedded");
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(f->bytes, (int)f->len);
    xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaFreeParserCtxt(pc);
    if (schema == NULL)
        return sd_error_set(err, SD_ESCHEMA, NULL, 0, "config.xsd does not compile");
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    verrors v = {.err = err, .path = path};
    int rc = -1;
    if (vc != NULL) {
        xmlSchemaSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)on_invalid, &v);
        rc = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
    }
    xmlSchemaFree(schema);
    if (rc == 0)
        return SD_OK;
    if (!v.set)
        sd_error_set(err, SD_EINVAL, path, 0, "%s: not a valid sdlint configuration", path);
    return SD_EINVAL;
}

sd_status sd_config_load(const char *path, sd_config **out, sd_error *err)
{
    *out = NULL;
    sd_diags d;
    sd_diags_init(&d);
    sd_source src = {0};
    sd_load_options lo = {.max_bytes = 1 << 20, .lang = SD_LANG_EN};
    xmlDocPtr doc = NULL;
    sd_status st = sd_load_read_file(path, &lo, &src, &d, err);
    if (st == SD_OK)
        st = sd_load_parse(&src, &lo, &doc, &d, err);
    if (st == SD_OK && (doc == NULL || d.count > 0)) {
        const sd_finding *f = d.count ? &d.items[0] : NULL;
        st = sd_error_set(err, SD_EINVAL, path, f ? f->line : 0, "%s:%ld: %s", path,
                          f ? f->line : 0L, f ? f->message : "cannot read the configuration");
    }
    sd_diags_free(&d);
    sd_source_free(&src);
    if (st == SD_OK)
        st = validate(doc, path, err);
    sd_config *c = st == SD_OK ? calloc(1, sizeof *c) : NULL;
    if (st == SD_OK && c == NULL)
        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    if (st != SD_OK) {
        sd_load_doc_free(doc);
        return st;
    }
    c->doc = doc;
    c->path = strdup(path);
    c->dir = strdup(path);
    if (c->path == NULL || c->dir == NULL) {
        sd_config_free(c);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    char *slash = strrchr(c->dir, '/');
    if (slash)
        *slash = '\0';
    else
        memcpy(c->dir, ".", 2);
    *out = c;
    return SD_OK;
}

void sd_config_free(sd_config *cfg)
{
    if (cfg == NULL)
        return;
    sd_load_doc_free(cfg->doc);
    free(cfg->path);
    free(cfg->dir);
    free(cfg);
}

static char *text_of(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (t == NULL)
        return NULL;
    /* Trim: a value may be indented on its own line. */
    char *s = (char *)t, *e = s + strlen(s);
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        e--;
    char *r = strndup(s, (size_t)(e - s));
    xmlFree(t);
    return r;
}

/* Applies the settings that are children of parent. */
static sd_status apply(const sd_config *cfg, xmlNodePtr parent, const char *glob,
                       sd_config_resolved *r, int *select_seen, sd_error *err)
{
    sd_status st = SD_OK;
    for (xmlNodePtr n = parent->children; n && st == SD_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "override") == 0)
            continue;
        char origin[4400];
        if (glob)
            snprintf(origin, sizeof origin, "%s:%ld (override %s)", cfg->path, xmlGetLineNo(n), glob);
        else
            snprintf(origin, sizeof origin, "%s:%ld", cfg->path, xmlGetLineNo(n));
        const char *name = (const char *)n->name;
        char *text = NULL;
        xmlChar *a = NULL, *b = NULL;
        if (strcmp(name, "param") == 0) {
            a = xmlGetProp(n, (const xmlChar *)"name");
            b = xmlGetProp(n, (const xmlChar *)"value");
            st = sd_config_set(&r->params, (const char *)a, b ? (const char *)b : "", origin, 0, err);
        } else if (strcmp(name, "severity") == 0) {
            a = xmlGetProp(n, (const xmlChar *)"rule");
            b = xmlGetProp(n, (const xmlChar *)"level");
            st = sd_config_set(&r->severity, (const char *)a, (const char *)b, origin, 0, err);
        } else if ((text = text_of(n)) == NULL) {
            st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        } else if (strcmp(name, "tier") == 0) {
            st = sd_config_set(&r->tier, NULL, text, origin, 1, err);
        } else if (strcmp(name, "fail-level") == 0) {
            st = sd_config_set(&r->fail_level, NULL, text, origin, 1, err);
        } else if (strcmp(name, "rules") == 0 || strcmp(name, "catalogue") == 0) {
            /* A path relative to the configuration file, like <rules>. */
            char abs[4400];
            if (text[0] == '/')
                snprintf(abs, sizeof abs, "%s", text);
            else
                snprintf(abs, sizeof abs, "%s/%s", cfg->dir, text);
            st = name[0] == 'r' ? sd_config_set(&r->packs, NULL, abs, origin, 0, err)
                                : sd_config_set(&r->catalogue, NULL, abs, origin, 1, err);
        } else if (strcmp(name, "select") == 0) {
            /* A select list replaces the one before it (the top level's, for
             * an override), as --select replaces the default. */
            if (!*select_seen)
                sd_config_list_clear(&r->select);
            *select_seen = 1;
            r->select_given = 1;
            st = sd_config_set(&r->select, NULL, text, origin, 0, err);
        } else if (strcmp(name, "extend-select") == 0) {
            st = sd_config_set(&r->extend, NULL, text, origin, 0, err);
        } else if (strcmp(name, "ignore") == 0) {
            st = sd_config_set(&r->ignore, NULL, text, origin, 0, err);
        }
        free(text);
        xmlFree(a);
        xmlFree(b);
    }
    return st;
}

sd_status sd_config_resolve(const sd_config *cfg, const char *abs_path, sd_config_resolved *r,
                            sd_error *err)
{
    memset(r, 0, sizeof *r);
    if (cfg == NULL)
        return SD_OK;
    if ((r->file = strdup(cfg->path)) == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    xmlNodePtr root = xmlDocGetRootElement(cfg->doc);
    int seen = 0;
    sd_status st = apply(cfg, root, NULL, r, &seen, err);
    size_t dl = strlen(cfg->dir);
    const char *rel = strncmp(abs_path, cfg->dir, dl) == 0 && abs_path[dl] == '/' ? abs_path + dl + 1
                                                                                 : abs_path;
    for (xmlNodePtr n = root->children; n && st == SD_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "override") != 0)
            continue;
        xmlChar *glob = xmlGetProp(n, (const xmlChar *)"path");
        if (glob && fnmatch((const char *)glob, rel, 0) == 0) {
            seen = 0;
            st = apply(cfg, n, (const char *)glob, r, &seen, err);
        }
        xmlFree(glob);
    }
    return st;
}

/* Length of the match of code on id ("ALL": 0), or -1. */
static long prefix_len(const char *code, const char *id)
{
    if (strcasecmp(code, "ALL") == 0)
        return 0;
    size_t n = strlen(code);
    return n > 0 && strncasecmp(code, id, n) == 0 ? (long)n : -1;
}

/* The most specific severity entry for id (the later one on a tie), or -1. */
static long best(const sd_config_list *l, const char *id, size_t *which)
{
    long b = -1;
    for (size_t i = 0; i < l->count; i++) {
        long n = prefix_len(l->items[i].name, id);
        if (n >= b) {
            b = n;
            *which = i;
        }
    }
    return b;
}

static const char **values(const sd_config_list *l)
{
    const char **v = calloc(l->count + 1, sizeof *v);
    for (size_t i = 0; v && i < l->count; i++)
        v[i] = l->items[i].value;
    return v;
}

/* The selection as select.h has it: the same rules as --select/--ignore. */
static int with_select(const sd_config_resolved *r, sd_select *s)
{
    memset(s, 0, sizeof *s);
    s->select = values(&r->select);
    s->extend = values(&r->extend);
    s->ignore = values(&r->ignore);
    s->nselect = r->select.count;
    s->select_given = r->select_given;
    s->nextend = r->extend.count;
    s->nignore = r->ignore.count;
    return s->select && s->extend && s->ignore ? 0 : -1;
}

static void select_free(sd_select *s)
{
    free(s->select);
    free(s->extend);
    free(s->ignore);
}

int sd_config_rule_enabled(const sd_config_resolved *r, const char *id)
{
    sd_select s;
    int on = with_select(r, &s) == 0 ? sd_select_enabled(&s, id) : 1;
    select_free(&s);
    return on;
}

void sd_config_filter(const sd_config_resolved *r, sd_diags *d)
{
    sd_select s;
    if (with_select(r, &s) == 0)
        sd_select_filter(&s, d);
    select_free(&s);
    for (size_t i = 0; i < d->count; i++) {
        sd_finding *f = &d->items[i];
        size_t w;
        if (f->severity < SD_SEV_FATAL && best(&r->severity, f->rule_id, &w) >= 0) {
            int sev = sd_severity_parse(r->severity.items[w].value);
            if (sev >= SD_SEV_INFO && sev <= SD_SEV_ERROR)
                f->severity = (sd_severity)sev;
        }
    }
}

int sd_config_fail_level(const sd_config_resolved *r)
{
    int s = r->fail_level.count ? sd_severity_parse(r->fail_level.items[0].value) : -1;
    return s >= 0 ? s : SD_SEV_ERROR;
}
