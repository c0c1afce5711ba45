/*
 * walk.h — turning the command line's paths into the list of inputs.
 *
 * Files are kept as given (a missing one is reported when it is read, like any
 * unreadable file); folders are searched recursively for *.xml, skipping hidden
 * folders such as .git, in a sorted, reproducible order; "-" is standard input.
 * Symbolic-link loops and folders without any XML become SD001 findings and the
 * walk goes on.  Ownership: the list owns its strings (sd_pathlist_free).
 */
#ifndef SD_WALK_H
#define SD_WALK_H

#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "lang.h"

typedef struct sd_pathlist {
    char **items;
    size_t count, cap;
} sd_pathlist;

sd_status sd_walk_expand(const char *const *args, size_t nargs, sd_lang lang,
                         sd_pathlist *out, sd_diags *d, sd_error *err);
void sd_pathlist_free(sd_pathlist *l);

#endif
