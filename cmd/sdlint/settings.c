/*
 * settings.c — the command's side of .sdlint.xml (src/config.h): for each
 * checked file, the configuration that applies, with the command line on top;
 * the checker for its tier, parameters and extra packs (one per distinct
 * combination, compiled once per run); and `sdlint config FILE`.
 *
 * Precedence: the command line wins — --tier over <tier>, --param NAME over
 * <param name="NAME">; the configuration's other parameters and packs add to
 * what the command line gives.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "sdlint.h"
#include "strmap.h"

#define CLI "command line"

typedef struct cached_cfg {
    char *path;
    sd_config *cfg;
} cached_cfg;

typedef struct cached_checker {
    char *key;
    sd_checker *checker;
} cached_checker;

struct settings {
    const options *o;
    const sd_checker_options *base_co;
    sd_checker *base;
    cached_cfg *cfgs;
    size_t ncfgs;
    cached_checker *checkers;
    size_t nchecks;
    /* Each input is resolved twice (all before the report, then as it is
     * checked) and a folder's inputs alike: the absolute name of each name,
     * and the .sdlint.xml found from each folder (or NO_CONFIG), are looked
     * up on disk once per run (two dozen system calls for one file). */
    sd_strmap abs_of, config_in;
};

static char no_config[1];
#define NO_CONFIG no_config

static void free_map(sd_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] != NULL) {
            free((char *)m->keys[i]);
            if (m->vals[i] != NO_CONFIG)
                free(m->vals[i]);
        }
    sd_strmap_free(m);
}

/* Remembers key -> val (copies of both; val NULL: NO_CONFIG); out of memory
 * only costs the next lookup its system calls. */
static void remember(sd_strmap *m, const char *key, size_t klen, const char *val)
{
    char *k = strndup(key, klen);
    char *v = val ? strdup(val) : NO_CONFIG;
    if (k == NULL || v == NULL || sd_strmap_put(m, k, v) != 1) {
        free(k);
        if (v != NO_CONFIG)
            free(v);
    }
}

settings *settings_new(const options *o, const sd_checker_options *base_co, sd_checker *base)
{
    settings *s = calloc(1, sizeof *s);
    if (s) {
        s->o = o;
        s->base_co = base_co;
        s->base = base;
    }
    return s;
}

void settings_free(settings *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->ncfgs; i++) {
        free(s->cfgs[i].path);
        sd_config_free(s->cfgs[i].cfg);
    }
    free(s->cfgs);
    for (size_t i = 0; i < s->nchecks; i++) {
        free(s->checkers[i].key);
        sd_checker_free(s->checkers[i].checker);
    }
    free(s->checkers);
    free_map(&s->abs_of);
    free_map(&s->config_in);
    free(s);
}

/* An absolute path for name: the real one when the file exists, else made
 * absolute from the current folder (standard input's name need not exist). */
static char *absolute(const char *name)
{
    char *real = realpath(name, NULL);
    if (real)
        return real;
    if (name[0] == '/')
        return strdup(name);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return strdup(name);
    size_t n = strlen(cwd) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cwd, name);
    return p;
}

/* absolute(name), once per run for each name; malloc'd. */
static char *absolute_once(settings *s, const char *name)
{
    const char *known = sd_strmap_get(&s->abs_of, name);
    if (known != NULL)
        return strdup(known);
    char *abs = absolute(name);
    if (abs != NULL)
        remember(&s->abs_of, name, strlen(name), abs);
    return abs;
}

/* sd_config_find(abs), once per run for each folder (the search starts from
 * the folder of abs). */
static sd_status find_once(settings *s, const char *abs, char **found, sd_error *err)
{
    const char *slash = strrchr(abs, '/');
    size_t dl = slash ? (size_t)(slash - abs) : 0;
    char dir[PATH_MAX];
    if (slash != NULL && dl < sizeof dir) {
        memcpy(dir, abs, dl);
        dir[dl] = '\0';
        const char *known = sd_strmap_get(&s->config_in, dir);
        if (known != NULL) {
            *found = known == NO_CONFIG ? NULL : strdup(known);
            return known == NO_CONFIG || *found ? SD_OK
                                                : sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        }
    }
    sd_status st = sd_config_find(abs, found, err);
    if (st == SD_OK && slash != NULL && dl < sizeof dir)
        remember(&s->config_in, abs, dl, *found);
    return st;
}

int settings_resolve(settings *s, const char *name, sd_config_resolved *r)
{
    sd_error err = {0};
    memset(r, 0, sizeof *r);
    char *abs = absolute_once(s, name);
    char *found = NULL;
    sd_status st = abs ? find_once(s, abs, &found, &err)
                       : sd_error_set(&err, SD_ENOMEM, NULL, 0, "out of memory");
    /* Named relative to the current folder when below it, as the user sees
     * it (errors, origins, `sdlint config`). */
    char cwd[PATH_MAX];
    size_t cl = found && getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    if (cl > 1 && strncmp(found, cwd, cl) == 0 && found[cl] == '/') {
        memmove(found, found + cl + 1, strlen(found + cl + 1) + 1);
        /* The file in the same frame, for the overrides' globs. */
        if (strncmp(abs, cwd, cl) == 0 && abs[cl] == '/')
            memmove(abs, abs + cl + 1, strlen(abs + cl + 1) + 1);
    }
    sd_config *cfg = NULL;
    for (size_t i = 0; st == SD_OK && found && i < s->ncfgs && !cfg; i++)
        if (strcmp(s->cfgs[i].path, found) == 0)
            cfg = s->cfgs[i].cfg;
    if (st == SD_OK && found && cfg == NULL) {
        st = sd_config_load(found, &cfg, &err);
        cached_cfg *g = st == SD_OK ? realloc(s->cfgs, (s->ncfgs + 1) * sizeof *g) : NULL;
        if (st == SD_OK && g == NULL) {
            sd_config_free(cfg);
            cfg = NULL;
            st = sd_error_set(&err, SD_ENOMEM, NULL, 0, "out of memory");
        } else if (st == SD_OK) {
            s->cfgs = g;
            s->cfgs[s->ncfgs].path = found;
            s->cfgs[s->ncfgs++].cfg = cfg;
            found = NULL;
        }
    }
    free(found);
    if (st == SD_OK)
        st = sd_config_resolve(cfg, abs, r, &err);
    free(abs);
    const options *o = s->o;
    if (st == SD_OK && o->tier)
        st = sd_config_set(&r->tier, NULL, o->tier, CLI, 1, &err);
    for (size_t i = 0; st == SD_OK && i < o->nparams; i++)
        st = sd_config_set(&r->params, o->params[i].name, o->params[i].value, CLI, 0, &err);
    /* --select replaces the configuration's list; --extend-select and
     * --ignore add to it; --fail-level replaces. */
    if (st == SD_OK && o->select_given) {
        sd_config_list_clear(&r->select);
        r->select_given = 1;
    }
    for (size_t i = 0; st == SD_OK && i < o->nselect; i++)
        st = sd_config_set(&r->select, NULL, o->select[i], CLI, 0, &err);
    for (size_t i = 0; st == SD_OK && i < o->nextend; i++)
        st = sd_config_set(&r->extend, NULL, o->extend[i], CLI, 0, &err);
    for (size_t i = 0; st == SD_OK && i < o->nignore; i++)
        st = sd_config_set(&r->ignore, NULL, o->ignore[i], CLI, 0, &err);
    if (st == SD_OK && o->fail_level >= 0)
        st = sd_config_set(&r->fail_level, NULL, sd_severity_name((sd_severity)o->fail_level), CLI,
                           1, &err);
    if (st != SD_OK) {
        print_error(&err);
        sd_config_resolved_free(r);
        return EXIT_USAGE;
    }
    return -1;
}

/* What the checker depends on beyond the command line: tier, parameters and
 * packs the configuration adds.  "" when it adds nothing. */
static char *checker_key(const sd_config_resolved *r)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "");
    int any = 0;
    if (r->tier.count && strcmp(r->tier.items[0].origin, CLI) != 0) {
        sd_buf_printf(&b, "tier=%s\n", r->tier.items[0].value);
        any = 1;
    }
    for (size_t i = 0; i < r->params.count; i++)
        if (strcmp(r->params.items[i].origin, CLI) != 0) {
            sd_buf_printf(&b, "param %s=%s\n", r->params.items[i].name, r->params.items[i].value);
            any = 1;
        }
    for (size_t i = 0; i < r->packs.count; i++) {
        sd_buf_printf(&b, "pack %s\n", r->packs.items[i].value);
        any = 1;
    }
    if (sd_buf_failed(&b)) {
        sd_buf_free(&b);
        return NULL;
    }
    if (!any)
        b.data[0] = '\0';
    return b.data;
}

sd_checker *settings_checker(settings *s, const sd_config_resolved *r)
{
    char *key = checker_key(r);
    if (key == NULL || key[0] == '\0') {
        free(key);
        return s->base;
    }
    for (size_t i = 0; i < s->nchecks; i++)
        if (strcmp(s->checkers[i].key, key) == 0) {
            free(key);
            return s->checkers[i].checker;
        }
    sd_checker_options co = *s->base_co;
    co.tier = r->tier.count ? r->tier.items[0].value : NULL;
    sd_sch_param *params = calloc(r->params.count + 1, sizeof *params);
    const char **packs = calloc(r->packs.count + 1, sizeof *packs);
    sd_checker *c = NULL;
    sd_error err = {0};
    if (params && packs) {
        for (size_t i = 0; i < r->params.count; i++) {
            params[i].name = r->params.items[i].name;
            params[i].value = r->params.items[i].value;
        }
        for (size_t i = 0; i < r->packs.count; i++)
            packs[i] = r->packs.items[i].value;
        co.params = params;
        co.param_count = r->params.count;
        co.extra_rule_files = packs;
        co.extra_rule_file_count = r->packs.count;
        if (sd_checker_new(&co, &c, &err) != SD_OK) {
            /* Says which configuration asked for it (a parameter no pack
             * declares, a pack that does not compile). */
            if (err.file[0] && strstr(err.msg, err.file) == NULL)
                fprintf(stderr, "sdlint: %s: %s: %s\n", r->file ? r->file : "", err.file, err.msg);
            else
                fprintf(stderr, "sdlint: %s: %s\n", r->file ? r->file : "", err.msg);
            c = NULL;
        }
    }
    /* The checker keeps pointers to the options' strings: they live in the
     * cache entry's copy of the resolution, so copy what it needs. */
    cached_checker *g = c ? realloc(s->checkers, (s->nchecks + 1) * sizeof *g) : NULL;
    if (c && g) {
        s->checkers = g;
        s->checkers[s->nchecks].key = key;
        s->checkers[s->nchecks++].checker = c;
        key = NULL;
    } else if (c) {
        sd_checker_free(c);
        c = NULL;
    }
    free(key);
    free(params);
    free(packs);
    return c;
}

static void show_list(sd_buf *b, const char *label, const sd_config_list *l, const char *dflt)
{
    if (l->count == 0 && dflt) {
        sd_buf_printf(b, "%-14s %-40s (default)\n", label, dflt);
        return;
    }
    for (size_t i = 0; i < l->count; i++) {
        char v[600];
        if (l->items[i].name)
            snprintf(v, sizeof v, "%s %s", l->items[i].name, l->items[i].value);
        else
            snprintf(v, sizeof v, "%s", l->items[i].value);
        sd_buf_printf(b, "%-14s %-40s (%s)\n", label, v, l->items[i].origin);
    }
}

int cmd_config(settings *s, const char *name)
{
    const options *o = s->o;
    sd_config_resolved r;
    int rc = settings_resolve(s, name, &r);
    if (rc >= 0)
        return rc;
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_printf(&b, "%s %s\n", SD_TR(o->lang, "配置适用于", "configuration for"), name);
    sd_buf_printf(&b, "%-14s %s\n", "file",
                  r.file ? r.file : SD_TR(o->lang, "（无：使用默认值）", "(none: defaults)"));
    show_list(&b, "tier", &r.tier, "(the document's own)");
    show_list(&b, "param", &r.params, NULL);
    sd_config_list rules = {0};
    sd_error err = {0};
    if (o->nrules == 0)
        sd_config_set(&rules, NULL, "built-in", "default", 0, &err);
    for (size_t i = 0; i < o->nrules; i++)
        sd_config_set(&rules, NULL, o->rules[i], CLI, 0, &err);
    for (size_t i = 0; i < r.packs.count; i++)
        sd_config_set(&rules, NULL, r.packs.items[i].value, r.packs.items[i].origin, 0, &err);
    show_list(&b, "rules", &rules, NULL);
    sd_config_list_clear(&rules);
    show_list(&b, "select", &r.select, "ALL");
    show_list(&b, "extend-select", &r.extend, NULL);
    show_list(&b, "ignore", &r.ignore, NULL);
    show_list(&b, "severity", &r.severity, NULL);
    show_list(&b, "fail-level", &r.fail_level, "error");
    /* A plan's catalogue: --catalogue, else the plan's catalogueRef, else this. */
    if (o->catalogue) {
        sd_config_list cat = {0};
        sd_config_set(&cat, NULL, o->catalogue, CLI, 1, &err);
        show_list(&b, "catalogue", &cat, NULL);
        sd_config_list_clear(&cat);
    } else {
        show_list(&b, "catalogue", &r.catalogue, "(the plan's catalogueRef)");
    }
    if (!sd_buf_failed(&b))
        fwrite(b.data, 1, b.len, stdout);
    sd_buf_free(&b);
    sd_config_resolved_free(&r);
    return EXIT_CLEAN;
}
