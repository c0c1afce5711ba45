/*
 * planrules.h — the cross-document rules of a reform plan (SD201–SD206,
 * SD208–SD213), checked over documents already loaded.
 *
 * Place in the pipeline: after plan loading (src/plan.h resolves and reads the
 * plan's catalogue, parent plan and 三定 safely, and reports SD207), the plan
 * as a whole comes here; each single document has had its XSD and SD1xx
 * rules already.  This module reads nothing from disk: it takes parsed trees
 * (with positions, pos.h, for line and column) and appends findings.
 *
 * Cost: every rule is one pass over its lists with hash tables keyed by id,
 * normalised name, function code and duty text — O((n + m) log(n + m)) or
 * better for n agencies and m functions; no two documents are compared pair
 * by pair.  A "did you mean" (SD203, SD209) is computed only for a name that is
 * not found, against the catalogue's names and aliases (and the plan's names).
 *
 * Thread safety: no global mutable state; the documents are only read.
 */
#ifndef SD_PLANRULES_H
#define SD_PLANRULES_H

#include <stddef.h>

struct _xmlDoc; /* libxml2's xmlDoc */

#include "diag.h"
#include "error.h"
#include "lang.h"

/* One loaded document: the path findings name (as the user would see it)
 * and its tree, parsed with positions.  doc NULL: not available. */
typedef struct sd_planrules_file {
    const char *file;
    struct _xmlDoc *doc;
    /* Where findings about this document go (a 三定 checked with its plan has
     * its own result); NULL: the out list of sd_planrules_check. */
    sd_diags *diags;
} sd_planrules_file;

/* The 三定 of one agency of the plan: agency_id is the id of the plan's
 * agenciesAfter entry whose @sanding named it. */
typedef struct sd_planrules_sanding {
    const char *agency_id;
    sd_planrules_file sanding;
} sd_planrules_sanding;

typedef struct sd_planrules_input {
    sd_planrules_file plan;
    sd_planrules_file parent;    /* the parent (city) plan; .doc NULL when none */
    sd_planrules_file catalogue; /* the higher-level catalogue; .doc NULL when none */
    const sd_planrules_sanding *sandings;
    size_t nsandings;
} sd_planrules_input;

/* Rule parameters.  Zero-initialised means "none". */
typedef struct sd_planrules_params {
    /* SD201's cap when the plan states no agencyCap (a tier's default, from
     * configuration); 0 means no default: without agencyCap, no check. */
    long agency_cap;
} sd_planrules_params;

/* Checks the plan as a whole and appends its SD2xx findings to out, or to
 * the diags of the document a finding is about when that is set (unsorted;
 * the caller sorts).  params may be NULL.  Error return: out of memory only;
 * a missing part of the input (no catalogue, no parent) only skips the rules
 * that need it. */
sd_status sd_planrules_check(const sd_planrules_input *in, const sd_planrules_params *params,
                             sd_lang lang, sd_diags *out, sd_error *err);

/* The documentation of the rules above, for `sdlint rules` and `explain`. */
typedef struct sd_planrules_ruledoc {
    const char *id;
    sd_severity severity;
    const char *title_zh, *title_en, *doc_zh, *doc_en, *source;
    const char *see; /* "DOMAIN.md#SD201", as the pack rules say */
} sd_planrules_ruledoc;

size_t sd_planrules_doc_count(void);
const sd_planrules_ruledoc *sd_planrules_doc_at(size_t i);

#endif
