/*
 * explain.c — `sdlint rules` and `sdlint explain ID`: the rule documentation,
 * read from the same packs the run uses (built-in or --rules), so what is
 * printed is what is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "embedded.h"
#include "load.h"
#include "ruledoc.h"

/* Reads the docs of every pack of the run, after the input rules. */
static int collect(const options *o, sd_ruledocs *docs)
{
    sd_error err = {0};
    if (sd_ruledoc_add_input_rules(docs, &err) != SD_OK)
        goto fail;
    if (o->nrules > 0) {
        for (size_t i = 0; i < o->nrules; i++) {
            sd_source src;
            sd_diags d;
            sd_diags_init(&d);
            sd_load_options lo = {.lang = o->lang};
            sd_status st = sd_load_read_file(o->rules[i], &lo, &src, &d, &err);
            if (st == SD_OK && src.bytes == NULL)
                st = sd_error_set(&err, SD_EIO, o->rules[i], 0, "%s",
                                  d.count ? d.items[0].message : "cannot read");
            if (st == SD_OK)
                st = sd_ruledoc_read((const char *)src.bytes, src.len, o->rules[i], docs, &err);
            sd_source_free(&src);
            sd_diags_free(&d);
            if (st != SD_OK)
                goto fail;
        }
        return 0;
    }
    for (const sd_embedded_file *f = sd_embedded_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (n > 4 && strcmp(f->name + n - 4, ".sch") == 0 &&
            sd_ruledoc_read(f->bytes, f->len, f->name, docs, &err) != SD_OK)
            goto fail;
    }
    return 0;
fail:
    print_error(&err);
    return -1;
}

int cmd_rules(const options *o, const sd_checker *c)
{
    (void)c;
    sd_ruledocs docs = {0};
    if (collect(o, &docs) != 0) {
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < docs.count; i++) {
        const sd_ruledoc *r = &docs.items[i];
        printf("%-8s %-8s %s\n", r->id, sd_severity_name(r->severity),
               r->title[o->lang][0] ? r->title[o->lang] : r->title[!o->lang]);
    }
    sd_ruledocs_free(&docs);
    return EXIT_CLEAN;
}

static const char *const TIERS[] = {"province", "sub-provincial", "prefecture", "county"};

static void print_params(const options *o, const sd_checker *c, const sd_ruledoc *r)
{
    if (r->nparams == 0)
        return;
    printf("\n%s\n", SD_TR(o->lang, "参数（可用 --param 名称=值 覆盖）：",
                           "Parameters (override with --param NAME=VALUE):"));
    for (size_t k = 0; k < r->nparams; k++) {
        const sd_sch_param_info *info = NULL;
        const sd_sch_pack *pack = NULL;
        for (size_t p = 0; p < sd_checker_pack_count(c) && !info; p++) {
            pack = sd_checker_pack_at(c, p);
            for (size_t i = 0; i < sd_sch_param_count(pack); i++)
                if (strcmp(sd_sch_param_at(pack, i)->name, r->params[k]) == 0)
                    info = sd_sch_param_at(pack, i);
        }
        printf("  %s", r->params[k]);
        if (info && info->title && info->title[0])
            printf("  %s", info->title);
        printf("\n");
        if (info == NULL)
            continue;
        if (info->doc && info->doc[0])
            printf("    %s\n", info->doc);
        printf("   ");
        for (size_t t = 0; t < sizeof TIERS / sizeof TIERS[0]; t++) {
            const char *v = sd_sch_param_value(pack, r->params[k], TIERS[t]);
            printf(" %s=%s", TIERS[t],
                   v && v[0] ? v : SD_TR(o->lang, "（不设）", "(unset)"));
        }
        printf("\n");
        if (info->override_value)
            printf("    %s%s\n", SD_TR(o->lang, "本次运行覆盖为：", "overridden in this run: "),
                   info->override_value);
    }
}

static void print_example(const options *o, const char *id, const char *which,
                          const char *heading)
{
    char name[64];
    snprintf(name, sizeof name, "%s-%s.xml", id, which);
    const sd_embedded_file *f = o->nrules ? NULL : sd_embedded_find(name);
    if (f == NULL)
        return;
    sd_buf b;
    sd_buf_init(&b);
    if (sd_ruledoc_example(f->bytes, f->len, &b) && b.len) {
        printf("\n%s (rules/examples/%s)\n", heading, name);
        fwrite(b.data, 1, b.len, stdout);
    }
    sd_buf_free(&b);
}

int cmd_explain(const options *o, const sd_checker *c, const char *id)
{
    sd_ruledocs docs = {0};
    if (collect(o, &docs) != 0) {
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    const sd_ruledoc *r = sd_ruledoc_find(&docs, id);
    if (r == NULL) {
        fprintf(stderr, "sdlint: %s%s\n", SD_TR(o->lang, "没有这条规则：", "no such rule: "), id);
        fprintf(stderr, "%s\n", SD_TR(o->lang, "运行 sdlint rules 查看全部规则。",
                                      "Run sdlint rules for the list."));
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    sd_lang L = o->lang;
    printf("%s  %s  %s\n", r->id, sd_severity_name(r->severity),
           r->title[L][0] ? r->title[L] : r->title[!L]);
    const char *doc = r->doc[L][0] ? r->doc[L] : r->doc[!L];
    if (doc[0])
        printf("\n%s\n", doc);
    if (r->source[0])
        printf("\n%s%s\n", SD_TR(L, "依据：", "Source: "), r->source);
    print_params(o, c, r);
    print_example(o, r->id, "fail", SD_TR(L, "违反规则的例子", "Failing example"));
    print_example(o, r->id, "pass", SD_TR(L, "符合规则的例子", "Passing example"));
    sd_ruledocs_free(&docs);
    return EXIT_CLEAN;
}
