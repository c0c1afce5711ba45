/*
 * check.c — the pipeline for one input: read, parse safely, recognise the kind,
 * validate against its XSD, run the rules.  Stages only hand plain data
 * forward; each appends its findings to the result.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xsd.h"

struct sd_checker {
    sd_checker_options opt;
    sd_xsd_set *xsd;
};

sd_status sd_checker_new(const sd_checker_options *opt, sd_checker **out, sd_error *err)
{
    *out = NULL;
    sd_checker *c = calloc(1, sizeof *c);
    if (c == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    c->opt = *opt;
    sd_status st = sd_xsd_compile(&c->xsd, err);
    if (st != SD_OK) {
        sd_checker_free(c);
        return st;
    }
    *out = c;
    return SD_OK;
}

void sd_checker_free(sd_checker *c)
{
    if (c == NULL)
        return;
    sd_xsd_free(c->xsd);
    free(c);
}

void sd_result_free(sd_result *res)
{
    sd_source_free(&res->src);
    sd_diags_free(&res->diags);
    memset(res, 0, sizeof *res);
}

sd_status sd_checker_check(const sd_checker *c, const char *path, sd_result *res, sd_error *err)
{
    memset(res, 0, sizeof *res);
    sd_diags_init(&res->diags);
    sd_load_options lo = {.max_bytes = c->opt.max_bytes, .lang = c->opt.lang};
    sd_status st = strcmp(path, "-") == 0
                       ? sd_load_read_fd(STDIN_FILENO, "-", &lo, &res->src, &res->diags, err)
                       : sd_load_read_file(path, &lo, &res->src, &res->diags, err);
    xmlDocPtr doc = NULL;
    if (st == SD_OK)
        st = sd_load_parse(&res->src, &lo, &doc, &res->diags, err);
    if (st == SD_OK && doc != NULL) {
        res->parsed = 1;
        res->kind = sd_kind_of(doc);
        st = sd_xsd_validate(c->xsd, doc, &res->src, c->opt.lang, &res->diags, err);
    }
    xmlFreeDoc(doc);
    sd_diags_sort(&res->diags);
    return st;
}
