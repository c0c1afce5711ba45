/*
 * ruledoc.h — the documentation of each rule, read from the compiled checker.
 *
 * A rule's doc lives beside its code, in the pattern that implements it, as
 * standard Schematron paragraphs: <sch:p class="title|doc|source" xml:lang=…>.
 * The engine reads them with the rest of the pack (sch/parse.c), so there is
 * one pack reader: what `sdlint rules` and `sdlint explain` print is what the
 * checker runs, rules from sch:include and abstract-pattern instances included.
 * Its failing and passing examples are whole documents in rules/examples/
 * (SD101-fail.xml, SD101-pass.xml) whose shown part sits between the comments
 * <!-- sdlint:example --> and <!-- /sdlint:example -->; tests run them, so a
 * documented example can never go stale.
 *
 * Ownership: an sd_ruledocs owns only its array; the strings belong to the
 * checker (or are static), so the list lives no longer than the checker.
 */
#ifndef SD_RULEDOC_H
#define SD_RULEDOC_H

#include <stddef.h>

#include "buf.h"
#include "check.h"
#include "diag.h"
#include "error.h"
#include "lang.h"

typedef struct sd_ruledoc {
    const char *id;     /* "SD101": what a finding's rule field says */
    sd_severity severity;
    const char *title;  /* in the checker's language (else another); "" when missing */
    const char *doc;    /* "" when missing */
    const char *source; /* "" when missing */
    const char *see;    /* "" when missing */
    const char *const *params; /* names used through sdl:param('…') */
    size_t nparams;
    const sd_sch_pack *pack; /* the pack declaring it; NULL for SD001–SD006 and SD207 */
    int builtin;        /* from the built-in packs: examples in rules/examples/ */
} sd_ruledoc;

typedef struct sd_ruledocs {
    sd_ruledoc *items;
    size_t count;
} sd_ruledocs;

/* The input and schema rules SD001–SD006 (in lang), then every rule of the
 * checker's compiled packs, in pack order, then the plan rules in id order:
 * SD207 (plan loading) and — with the built-in packs — the built-in plan
 * rules SD2xx (planrules.h); an id seen before is skipped. */
sd_status sd_ruledoc_list(const sd_checker *c, sd_lang lang, sd_ruledocs *docs, sd_error *err);
/* The text `sdlint explain ID` prints for r, in lang, unescaped (the command
 * escapes it for the terminal; SARIF puts it in a rule's help): id, severity
 * and title, doc, source, parameters with their value per tier, and for a
 * built-in rule its failing and passing examples. */
void sd_ruledoc_explain(const sd_ruledoc *r, sd_lang lang, sd_buf *b);
/* The rule with that id (case-insensitive), or NULL. */
const sd_ruledoc *sd_ruledoc_find(const sd_ruledocs *docs, const char *id);
/* Appends the shown part of the built-in example rules/examples/ID-WHICH.xml
 * (which: "fail" or "pass") to b; 0 when there is none. */
int sd_ruledoc_builtin_example(const char *id, const char *which, sd_buf *b);
/* Appends the shown part of an example document (bytes) to b; 0 if it has no markers. */
int sd_ruledoc_example(const char *bytes, size_t len, sd_buf *b);
void sd_ruledocs_free(sd_ruledocs *docs);

#endif
