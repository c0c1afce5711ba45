/*
 * select.h — which rules a run reports: --select, --extend-select, --ignore
 * (as Ruff has them), by rule id or id prefix ("SD1" is SD101–SD199; "ALL"
 * every rule), case-insensitive.
 *
 * Without --select every rule is selected; --select replaces that set,
 * --extend-select adds to it, --ignore takes away.  The most specific entry
 * wins: with --select SD1 --ignore SD10, SD110 is reported and SD101 is not;
 * between a select and an ignore of the same length, ignore wins.  Findings
 * at fatal severity (the input could not be checked) are never dropped: the
 * exit code must still say so.  Also here: the edit distance behind the
 * command's "did you mean" for unknown options and rule ids.
 *
 * Ownership: the selection keeps pointers to the caller's strings (argv).
 */
#ifndef SD_SELECT_H
#define SD_SELECT_H

#include <stddef.h>

#include "diag.h"

typedef struct sd_select {
    const char **select; size_t nselect; int select_given;
    const char **extend; size_t nextend;
    const char **ignore; size_t nignore;
} sd_select;

/* 1 when findings of rule id are reported. */
int sd_select_enabled(const sd_select *s, const char *id);
/* Removes the findings of rules not enabled (fatal findings stay). */
void sd_select_filter(const sd_select *s, sd_diags *d);
/* 1 when code ("ALL", an id or a prefix) names at least one of the ids. */
int sd_select_code_known(const char *code, const char *const *ids, size_t n);
/* Levenshtein distance, by bytes, case-insensitive for ASCII letters. */
size_t sd_edit_distance(const char *a, const char *b);
/* The candidate nearest to word, if close enough to be a likely typo
 * (distance at most 2, or a third of the word's length when longer), else NULL. */
const char *sd_suggest(const char *word, const char *const *cands, size_t n);

#endif
