/*
 * ignore.h — leaving paths out of a folder walk: --exclude GLOB and
 * .sdlintignore files, both in gitignore syntax.
 *
 * Syntax (gitignore(5)): one pattern a line; blank lines and lines starting
 * with # are ignored; ! negates (re-includes); \ escapes a leading # or !, and
 * trailing spaces are dropped unless escaped; a trailing / matches folders
 * only; a pattern with a / elsewhere is anchored to the folder of its file
 * (a leading / only anchors), one without matches a name at any depth; *
 * and ? do not match /; [...] is a class ([!...] or [^...] negated, ranges);
 * a double star matches any number of folders: at the start followed by a
 * slash, at the end after a slash, or between two slashes.
 * The last matching pattern wins, so later pattern sets (deeper files)
 * override earlier ones.  As in git, a file inside an excluded folder
 * can not be re-included: the walk does not enter that folder.
 *
 * Ownership: the set owns copies of everything added.  Cost: matching is
 * O(patterns × path length) per path, with ** backtracking bounded by the
 * number of slashes.
 */
#ifndef SD_IGNORE_H
#define SD_IGNORE_H

#include <stddef.h>

#include "error.h"

typedef struct sd_ignore sd_ignore;

sd_ignore *sd_ignore_new(void);
void sd_ignore_free(sd_ignore *ig);
/* Adds the patterns of text (one a line), relative to the folder base (an
 * absolute path without trailing slash, "" for /); origin names them in errors. */
sd_status sd_ignore_add_text(sd_ignore *ig, const char *base, const char *text, size_t len,
                             sd_error *err);
/* Adds base/.sdlintignore when it exists (a missing file is no error). */
sd_status sd_ignore_add_file(sd_ignore *ig, const char *base, sd_error *err);
/* 1 when the absolute path (a folder when is_dir) is left out. */
int sd_ignore_match(const sd_ignore *ig, const char *abs_path, int is_dir);
/* The last matching pattern's word: 1 left out, 0 re-included (!), -1 when no
 * pattern matches (so a set checked first can defer to another). */
int sd_ignore_verdict(const sd_ignore *ig, const char *abs_path, int is_dir);
/* For a walk: the number of patterns, and dropping those added after it (a
 * folder's .sdlintignore when the walk leaves the folder). */
size_t sd_ignore_count(const sd_ignore *ig);
void sd_ignore_truncate(sd_ignore *ig, size_t count);
/* Glob match of one pattern against a relative path, gitignore rules for *, ?,
 * [...], \ and ** (the pattern is matched against the whole path). */
int sd_glob_match(const char *pattern, const char *path);

#endif
