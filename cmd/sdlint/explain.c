/*
 * explain.c — `sdlint rules` and `sdlint explain ID`: the rule documentation,
 * read from the checker the run has compiled (built-in packs or --rules, with
 * their includes), so what is printed is what is checked.  `rules` prints text
 * or JSON (--format json: id, severity, title, doc, source, see, params);
 * so does `explain` (the parameters with their values per tier, the examples).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sdlint.h"

/* The rules of the run: SD001–SD006, then the compiled packs' rules. */
static int collect(const options *o, const sd_checker *c, sd_ruledocs *docs)
{
    sd_error err = {0};
    if (sd_ruledoc_list(c, o->lang, docs, &err) != SD_OK) {
        print_error(&err);
        return -1;
    }
    return 0;
}

/* A JSON string: quotes around sd_buf_json_str's escaped text. */
static void json_str(sd_buf *b, const char *s)
{
    sd_buf_puts(b, "\"");
    sd_buf_json_str(b, s ? s : "");
    sd_buf_puts(b, "\"");
}

static void json_rule(sd_buf *b, const sd_ruledoc *r, int last)
{
    sd_buf_puts(b, "    {\"id\": ");
    json_str(b, r->id);
    sd_buf_puts(b, ", \"severity\": ");
    json_str(b, sd_severity_name(r->severity));
    sd_buf_puts(b, ", \"title\": ");
    json_str(b, r->title);
    sd_buf_puts(b, ",\n     \"doc\": ");
    json_str(b, r->doc);
    sd_buf_puts(b, ",\n     \"source\": ");
    json_str(b, r->source);
    sd_buf_puts(b, ", \"see\": ");
    json_str(b, r->see);
    sd_buf_puts(b, ", \"params\": [");
    for (size_t k = 0; k < r->nparams; k++) {
        if (k)
            sd_buf_puts(b, ", ");
        json_str(b, r->params[k]);
    }
    sd_buf_puts(b, last ? "]}\n" : "]},\n");
}

/* Writes pack text to standard output escaped (buf.h): a --rules pack may hold
 * any character in its ids, titles and docs.  Line breaks are kept only where
 * asked (paragraphs of a doc); the text is padded to width columns. */
static void put_text(const char *s, size_t width, int keep_newlines)
{
    sd_buf b;
    sd_buf_init(&b);
    const char *p = s ? s : "";
    size_t cols = 0;
    for (;;) {
        const char *nl = keep_newlines ? strchr(p, '\n') : NULL;
        cols += sd_buf_term(&b, p, nl ? (size_t)(nl - p) : strlen(p));
        if (nl == NULL)
            break;
        sd_buf_add(&b, "\n", 1);
        cols = 0;
        p = nl + 1;
    }
    for (; cols < width; cols++)
        sd_buf_add(&b, " ", 1);
    if (b.len)
        fwrite(b.data, 1, b.len, stdout);
    sd_buf_free(&b);
}

int cmd_rules(const options *o, const sd_checker *c)
{
    int json = strcmp(o->format, "json") == 0;
    if (!json && strcmp(o->format, "text") != 0)
        return usage_error(o->lang, SD_TR(o->lang, "sdlint rules 的 --format 取值应为 text 或 json：%s",
                                          "sdlint rules: --format takes text or json: %s"),
                           o->format);
    sd_ruledocs docs = {0};
    if (collect(o, c, &docs) != 0) {
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    if (json) {
        sd_buf b;
        sd_buf_init(&b);
        sd_buf_puts(&b, "{\n  \"tool\": {\"name\": \"sdlint\", \"version\": ");
        json_str(&b, SDLINT_VERSION);
        sd_buf_puts(&b, "},\n  \"rules\": [\n");
        for (size_t i = 0; i < docs.count; i++)
            json_rule(&b, &docs.items[i], i + 1 == docs.count);
        sd_buf_puts(&b, "  ]\n}\n");
        int failed = sd_buf_failed(&b);
        if (!failed)
            fwrite(b.data, 1, b.len, stdout);
        sd_buf_free(&b);
        sd_ruledocs_free(&docs);
        if (failed) {
            fprintf(stderr, "sdlint: out of memory writing the rule list\n");
            return EXIT_USAGE;
        }
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < docs.count; i++) {
        const sd_ruledoc *r = &docs.items[i];
        put_text(r->id, 8, 0);
        printf(" %-8s ", sd_severity_name(r->severity));
        put_text(r->title, 0, 0);
        printf("\n");
    }
    sd_ruledocs_free(&docs);
    return EXIT_CLEAN;
}

static const char *const TIERS[] = {"province", "sub-provincial", "prefecture", "county",
                                     "sub-provincial-district"};

/* `explain --format json`: the rule as `rules --format json` gives it, with
 * each parameter's title, doc and value per tier, and the examples. */
static int explain_json(const sd_ruledoc *r)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "{\n  \"tool\": {\"name\": \"sdlint\", \"version\": ");
    json_str(&b, SDLINT_VERSION);
    sd_buf_puts(&b, "},\n  \"rule\": {\"id\": ");
    json_str(&b, r->id);
    sd_buf_puts(&b, ", \"severity\": ");
    json_str(&b, sd_severity_name(r->severity));
    sd_buf_puts(&b, ", \"title\": ");
    json_str(&b, r->title);
    sd_buf_puts(&b, ",\n    \"doc\": ");
    json_str(&b, r->doc);
    sd_buf_puts(&b, ",\n    \"source\": ");
    json_str(&b, r->source);
    sd_buf_puts(&b, ", \"see\": ");
    json_str(&b, r->see);
    sd_buf_puts(&b, ",\n    \"params\": [");
    for (size_t k = 0; k < r->nparams; k++) {
        const sd_sch_param_info *info = NULL;
        for (size_t i = 0; r->pack && i < sd_sch_param_count(r->pack) && !info; i++)
            if (strcmp(sd_sch_param_at(r->pack, i)->name, r->params[k]) == 0)
                info = sd_sch_param_at(r->pack, i);
        sd_buf_puts(&b, k ? ",\n      {\"name\": " : "\n      {\"name\": ");
        json_str(&b, r->params[k]);
        sd_buf_puts(&b, ", \"title\": ");
        json_str(&b, info ? info->title : "");
        sd_buf_puts(&b, ", \"doc\": ");
        json_str(&b, info ? info->doc : "");
        sd_buf_puts(&b, ",\n       \"tiers\": {");
        for (size_t t = 0; t < sizeof TIERS / sizeof TIERS[0]; t++) {
            const char *v = r->pack ? sd_sch_param_value(r->pack, r->params[k], TIERS[t]) : NULL;
            sd_buf_puts(&b, t ? ", " : "");
            json_str(&b, TIERS[t]);
            sd_buf_puts(&b, ": ");
            if (v && v[0])
                json_str(&b, v);
            else
                sd_buf_puts(&b, "null");
        }
        sd_buf_puts(&b, "}, \"override\": ");
        if (info && info->override_value)
            json_str(&b, info->override_value);
        else
            sd_buf_puts(&b, "null");
        sd_buf_puts(&b, "}");
    }
    sd_buf_puts(&b, r->nparams ? "\n    ],\n    \"examples\": {" : "],\n    \"examples\": {");
    const char *which[] = {"fail", "pass"};
    for (size_t w = 0; w < 2; w++) {
        sd_buf ex;
        sd_buf_init(&ex);
        sd_buf_puts(&b, w ? ", " : "");
        json_str(&b, which[w]);
        sd_buf_puts(&b, ": ");
        if (r->builtin && sd_ruledoc_builtin_example(r->id, which[w], &ex) && ex.len)
            json_str(&b, ex.data);
        else
            sd_buf_puts(&b, "null");
        sd_buf_free(&ex);
    }
    sd_buf_puts(&b, "}}\n}\n");
    int failed = sd_buf_failed(&b);
    if (!failed)
        fwrite(b.data, 1, b.len, stdout);
    sd_buf_free(&b);
    if (failed) {
        fprintf(stderr, "sdlint: out of memory writing the rule\n");
        return EXIT_USAGE;
    }
    return EXIT_CLEAN;
}

int cmd_explain(const options *o, const sd_checker *c, const char *id)
{
    int json = strcmp(o->format, "json") == 0;
    if (!json && strcmp(o->format, "text") != 0)
        return usage_error(o->lang, SD_TR(o->lang, "sdlint explain 的 --format 取值应为 text 或 json：%s",
                                          "sdlint explain: --format takes text or json: %s"),
                           o->format);
    sd_ruledocs docs = {0};
    if (collect(o, c, &docs) != 0) {
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    const sd_ruledoc *r = sd_ruledoc_find(&docs, id);
    if (r == NULL) {
        const char **ids = calloc(docs.count + 1, sizeof *ids);
        for (size_t i = 0; ids && i < docs.count; i++)
            ids[i] = docs.items[i].id;
        const char *near = ids ? sd_suggest(id, ids, docs.count) : NULL;
        fprintf(stderr, "sdlint: %s", SD_TR(o->lang, "没有这条规则：", "no such rule: "));
        put_term(stderr, id); /* the user's text: escaped */
        fputs("\n", stderr);
        if (near) {
            fputs(SD_TR(o->lang, "您是不是要用 ", "Did you mean "), stderr);
            put_term(stderr, near); /* a pack's id: escaped too */
            fputs(SD_TR(o->lang, "？\n", "?\n"), stderr);
        }
        fprintf(stderr, "%s\n", SD_TR(o->lang, "运行 sdlint rules 查看全部规则。",
                                      "Run sdlint rules for the list."));
        free(ids);
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    if (json) {
        int rc = explain_json(r);
        sd_ruledocs_free(&docs);
        return rc;
    }
    /* The library's text (also SARIF's rule help), escaped for the terminal
     * with its line breaks kept: a --rules pack's text may hold anything. */
    sd_buf text;
    sd_buf_init(&text);
    sd_ruledoc_explain(r, o->lang, &text);
    int failed = sd_buf_failed(&text);
    if (!failed && text.len)
        put_text(text.data, 0, 1);
    sd_buf_free(&text);
    if (failed) {
        fprintf(stderr, "sdlint: out of memory writing the rule\n");
        sd_ruledocs_free(&docs);
        return EXIT_USAGE;
    }
    sd_ruledocs_free(&docs);
    return EXIT_CLEAN;
}
