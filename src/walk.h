/*
 * walk.h — turning the command line's paths into the list of inputs.
 *
 * Files are kept as given (a missing one is reported when it is read, like any
 * unreadable file); folders are searched recursively for *.xml, skipping hidden
 * folders such as .git, in a sorted, reproducible order; "-" is standard input.
 * Symbolic-link loops and folders without any XML become SD001 findings and the
 * walk goes on.  Each real folder is walked once and each real file reached
 * through a folder is listed once, under the first path that reaches it (links
 * and hard links to it are not listed again); paths named as files are kept as
 * given.  sd_walk_expand_opts also leaves out excluded paths and XML files that
 * are not our documents (see sd_walk_options).  Ownership: the list owns its
 * strings (sd_pathlist_free).
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

/* What a folder walk leaves out (a path named on the command line is always
 * kept).  known_only: only documents of our kinds (root element sanding,
 * reformPlan or catalogue in urn:sdlint:schema:1, read from the file's first
 * 64 KiB; a file whose start does not tell is kept, so its problem is
 * reported); other XML files are counted in *skipped.  excludes: gitignore
 * patterns relative to the current folder (--exclude), which win over the
 * .sdlintignore files: those of the walked folder and its ancestors up to the
 * git root (the folder holding .git; the walked folder alone outside git),
 * and of each folder below it for what lies under that folder. */
typedef struct sd_walk_options {
    sd_lang lang;
    int known_only;
    const char *const *excludes;
    size_t nexcludes;
} sd_walk_options;

sd_status sd_walk_expand_opts(const sd_walk_options *opt, const char *const *args, size_t nargs,
                              sd_pathlist *out, sd_diags *d, size_t *skipped, sd_error *err);
void sd_pathlist_free(sd_pathlist *l);

#endif
