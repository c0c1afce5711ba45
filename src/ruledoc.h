/*
 * ruledoc.h — the documentation of each rule, read from its rule pack.
 *
 * A rule's doc lives beside its code, in the pattern that implements it, as
 * standard Schematron paragraphs: <sch:p class="title|doc|source" xml:lang=…>.
 * Its failing and passing examples are whole documents in rules/examples/
 * (SD101-fail.xml, SD101-pass.xml) whose shown part sits between the comments
 * <!-- sdlint:example --> and <!-- /sdlint:example -->; tests run them, so a
 * documented example can never go stale.  `sdlint rules`, `sdlint explain` and
 * the SARIF rule descriptions all come from here.
 *
 * Ownership: sd_ruledocs owns all its strings; sd_ruledocs_free releases them.
 */
#ifndef SD_RULEDOC_H
#define SD_RULEDOC_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "error.h"
#include "lang.h"

typedef struct sd_ruledoc {
    char *id;           /* pattern id, "SD101" */
    sd_severity severity;
    char *title[2];     /* indexed by sd_lang; "" when missing */
    char *doc[2];
    char *source;       /* "" when missing */
    char *see;          /* "" when missing */
    char **params;      /* names used through sdl:param('…') */
    size_t nparams;
} sd_ruledoc;

typedef struct sd_ruledocs {
    sd_ruledoc *items;
    size_t count, cap;
} sd_ruledocs;

/* Adds the rules documented in the pack (bytes, named name in errors) to docs. */
sd_status sd_ruledoc_read(const char *bytes, size_t len, const char *name, sd_ruledocs *docs,
                          sd_error *err);
/* Adds the input and schema rules SD001–SD004, which no pack implements. */
sd_status sd_ruledoc_add_input_rules(sd_ruledocs *docs, sd_error *err);
/* The rule with that id (case-insensitive), or NULL. */
const sd_ruledoc *sd_ruledoc_find(const sd_ruledocs *docs, const char *id);
/* Appends the shown part of an example document (bytes) to b; 0 if it has no markers. */
int sd_ruledoc_example(const char *bytes, size_t len, sd_buf *b);
void sd_ruledocs_free(sd_ruledocs *docs);

#endif
