/*
 * check.h — one run's compiled state and the pipeline for one input.
 *
 * sd_checker_new compiles everything a run needs once (the XSDs, the rule
 * packs); sd_checker_check then takes one input through load → kind → XSD →
 * rules and returns its findings.  The checker is immutable after creation, so
 * several threads may check different inputs with the same checker.
 *
 * Ownership: the caller frees the checker (sd_checker_free) and each result
 * (sd_result_free).
 */
#ifndef SD_CHECK_H
#define SD_CHECK_H

#include <stddef.h>

#include <libxml/tree.h>

#include "diag.h"
#include "error.h"
#include "kind.h"
#include "lang.h"
#include "load.h"

typedef struct sd_checker_options {
    sd_lang lang;
    size_t max_bytes;             /* 0: SD_LOAD_DEFAULT_MAX_BYTES */
} sd_checker_options;

typedef struct sd_checker sd_checker;

typedef struct sd_result {
    sd_source src;   /* the bytes read (for quoting source lines); bytes NULL if unreadable */
    sd_kind kind;    /* SD_KIND_OTHER also when the input could not be parsed */
    int parsed;      /* 1 when the input was well-formed and checked */
    sd_diags diags;  /* sorted */
} sd_result;

sd_status sd_checker_new(const sd_checker_options *opt, sd_checker **out, sd_error *err);
/* Checks path ("-" reads standard input).  Input problems are findings in res;
 * the error return is for out-of-memory and internal failures only. */
sd_status sd_checker_check(const sd_checker *c, const char *path, sd_result *res, sd_error *err);
void sd_result_free(sd_result *res);
void sd_checker_free(sd_checker *c);

#endif
