/*
 * summary.h — the audit summary: a run's findings and its plans' key figures
 * per jurisdiction (province → city → county).
 *
 * Why: an audit of a province is read by jurisdiction, not by file.  The
 * formatters feed the summary each checked input as they are given it
 * (sd_summary_take, from their file() call, so any runner — the plain run or
 * `sdlint audit` — gets it by calling the formatter), then render it at the
 * end: text (sd_summary_text), the JSON `summary.jurisdictions` member
 * (sd_summary_json) and the HTML page (out/html.c reads the structures below).
 *
 * Where the figures come from: a plan's own stated figures (agencyCap,
 * adminPostsCap, totals/before|after @agencies @adminPosts @units and their
 * levelTotal), read from the bytes the checker already holds (sd_result.src)
 * with a streaming reader; a 三定 or a catalogue is read only up to its
 * jurisdiction element.  No network, no DTD, no entity expansion, errors
 * silenced (the checker reports them).  Cost: one streaming pass over each
 * plan, a few elements of every other document, and a copy of each counted
 * finding; O(n log n) for the tree.
 *
 * Tree: a node per jurisdiction code.  A plan's parent is the plan its
 * parentPlan/@href names when that plan is in the run (paths compared after
 * lexical normalisation), else the node whose code is the prefix (a county
 * XXYYZZ under XXYY00, a city XXYY00 under XX0000).  Nodes are listed depth
 * first, children by code.  Findings that count (neither suppressed nor
 * baselined, at or above the run's minimum severity) go to the node of the
 * document they were reported in; inputs without a jurisdiction to a node
 * with the empty code.
 *
 * Ownership: the summary owns copies of everything it keeps.  Not shared
 * between threads: one summary per report.
 */
#ifndef SD_SUMMARY_H
#define SD_SUMMARY_H

#include <stddef.h>

#include "buf.h"
#include "check.h"
#include "lang.h"

#define SD_SUMMARY_UNSTATED (-1L) /* a figure the plan does not state */

typedef struct sd_summary_finding {
    char *rule, *file, *message;
    sd_severity severity;
    long line, col;
} sd_summary_finding;

typedef struct sd_summary_rule {
    char *rule;
    size_t by_severity[4];
} sd_summary_rule;

typedef struct sd_summary_level {
    char *rank;
    long before, after; /* SD_SUMMARY_UNSTATED when absent */
} sd_summary_level;

typedef struct sd_summary_node {
    char *code, *name, *tier; /* "" when unknown */
    char *plan;               /* the plan's file, NULL when the run had none for it */
    char *parent_href;        /* the plan's parentPlan, resolved and normalised; or NULL */
    long agency_cap, admin_cap;
    long agencies_before, agencies_after, admin_before, admin_after, units_before, units_after;
    sd_summary_level *levels;
    size_t nlevels;
    size_t files;
    size_t by_severity[4];
    sd_summary_rule *rules; /* sorted by id after sd_summary_finish */
    size_t nrules;
    sd_summary_finding *findings;
    size_t nfindings, capfindings;
    long parent;  /* index into nodes, -1 for a root; set by sd_summary_finish */
    size_t depth; /* 0 for a root */
    /* For a shard's partial summary (summary_parts.c): the takes (0, 1, … in
     * the order documents were given) that created the node, last set its
     * name and tier to a non-empty value, and gave its plan (-1: none); and
     * how many plans it took. */
    long first_take, name_take, tier_take, plan_take;
    size_t plans;
} sd_summary_node;

typedef struct sd_audit_summary {
    sd_summary_node *nodes; /* in input order until finished; then depth first */
    size_t nnodes, capnodes;
    size_t plans;           /* plans taken */
    size_t files;
    size_t by_severity[4];
    size_t takes;           /* documents taken */
    int finished;
    int failed;             /* out of memory: every render then says so */
} sd_audit_summary;

/* A new, empty summary; NULL when out of memory. */
sd_audit_summary *sd_summary_new(void);
/* Takes r's jurisdiction, figures and counted findings (at or above min).
 * When the checker read them from the tree (r->info), they are moved out of
 * r->info (which is left empty); else the bytes are read again. */
void sd_summary_take(sd_audit_summary *s, const sd_result *r, sd_severity min);
/* What the summary takes from a document, read from its parsed tree on the
 * thread that checked it, so that reporting does not parse it again: a
 * 三定's or a catalogue's jurisdiction (a few children of the root), a
 * plan's figures (one walk of its elements).  NULL for other kinds, when out
 * of memory, or when src is not plain UTF-8 (the reader then reads it as it
 * always did).  check.c keeps it in sd_result.info. */
sd_summary_info *sd_summary_info_of(const struct _xmlDoc *doc, sd_kind kind, const sd_source *src);
void sd_summary_info_free(sd_summary_info *info);
/* Links and orders the tree; further calls do nothing.  Renders call it. */
void sd_summary_finish(sd_audit_summary *s);
/* Appends the per-jurisdiction lines of the text report (see README "Audit summary"). */
void sd_summary_text(sd_audit_summary *s, sd_buf *b, sd_lang lang);
/* Appends the JSON array of jurisdictions (README "JSON output"), each entry
 * on its own line after indent. */
void sd_summary_json(sd_audit_summary *s, sd_buf *b, const char *indent);
void sd_summary_free(sd_audit_summary *s);

/* The node of jurisdiction code, created (at the end) when there is none;
 * NULL when out of memory.  For summary_parts.c. */
sd_summary_node *sd_summary_node_for(sd_audit_summary *s, const char *code);

/* ---- a sharded audit (summary_parts.c) ----
 * A shard cannot write the jurisdictions of the whole run, and `sdlint merge`
 * has no documents to read: each shard writes its unfinished nodes as parts,
 * one JSON object per line after indent, with the takes that decide the
 * order; merge reads them back (the takes turned into places in the
 * unsharded order) and combines them into the summary the unsharded run
 * would have built.  s must not be finished. */
void sd_summary_parts_json(const sd_audit_summary *s, sd_buf *b, const char *indent);
/* Adds one part (a line the above wrote, without indent and trailing comma);
 * place[k] is the position in the unsharded run of the shard's take k.
 * 0, or -1 with why set when the line is not such a part (or out of memory). */
int sd_summary_part_add(sd_audit_summary *s, const char *line, const size_t *place, size_t nplace,
                        const char **why);
/* After the last part: nodes back in the order the unsharded run made them. */
void sd_summary_parts_done(sd_audit_summary *s);

#endif
