/*
 * baseline.h — a baseline of accepted findings, for audits of old plans: a run
 * with a baseline reports only findings that are not in it, and lists the
 * entries that no longer occur.
 *
 * A finding's fingerprint survives edits elsewhere in the file: FNV-1a 64
 * over the rule id, the file path (a leading "./" dropped), the XPath location
 * and the values in the message — its quoted texts and its numbers, in order —
 * each followed by a NUL byte; never the line or column.  Messages are in the
 * run's language, so the baseline records it and is used in that language.
 * Identical fingerprints are counted, so two equal findings need two entries.
 *
 * The file is XML (urn:sdlint:baseline:1), sorted by file, rule, location
 * and fingerprint, so it diffs well in review; written atomically.  Applying a
 * baseline updates its counts: one baseline serves one run, on one thread.
 */
#ifndef SD_BASELINE_H
#define SD_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "error.h"
#include "lang.h"

typedef struct sd_baseline sd_baseline;

/* The fingerprint of f, as 16 lower-case hex digits and a NUL. */
void sd_baseline_fingerprint(const sd_finding *f, char out[17]);

sd_baseline *sd_baseline_new(sd_lang lang);
/* Reads a baseline file; a file that is not one is SD_EINVAL with err naming it. */
sd_status sd_baseline_load(const char *path, sd_baseline **out, sd_error *err);
sd_lang sd_baseline_lang(const sd_baseline *b);
/* Records f (for --write-baseline).  Fatal findings are never recorded. */
sd_status sd_baseline_add(sd_baseline *b, const sd_finding *f, sd_error *err);
/* Marks each finding of d that the baseline holds (baselined = 1), using up
 * one entry each; suppressed findings are left alone.  file is the input d
 * belongs to: its remaining entries become stale. */
sd_status sd_baseline_apply(sd_baseline *b, const char *file, sd_diags *d, sd_error *err);
/* Entries of the inputs seen by sd_baseline_apply that matched nothing, as
 * "file: RULE location: message" lines owned by b. */
sd_status sd_baseline_stale(sd_baseline *b, const char *const **lines, size_t *n, sd_error *err);
sd_status sd_baseline_save(const sd_baseline *b, const char *path, sd_error *err);
void sd_baseline_free(sd_baseline *b);

#endif
