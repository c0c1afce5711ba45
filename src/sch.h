/*
 * sch.h — the ISO Schematron engine (XPath 1.0 query binding) on libxml2's XPath.
 *
 * A pack is read, expanded (include, extends, abstract patterns and rules) and
 * every XPath compiled once by sd_sch_compile_*; the compiled pack is immutable
 * afterwards.  sd_sch_run evaluates it on one parsed document, appending one
 * finding per failed assert / successful report to an sd_diags, and optionally
 * writing the SVRL report.  Ownership: the caller owns packs, documents,
 * diags and the returned SVRL report.
 *
 * [CONTRACT between cmd/ and the engine — signatures here are what cmd/ calls.]
 */
#ifndef SD_SCH_H
#define SD_SCH_H

#include <stddef.h>

struct _xmlDoc; /* libxml2's xmlDoc; no libxml2 header in the public set (sdlint.h) */

#include "buf.h"
#include "diag.h"
#include "error.h"

/* Namespace of our XPath extension functions and of our foreign elements in packs. */
#define SD_SCH_FN_NS "urn:sdlint:functions"

typedef struct sd_sch_pack sd_sch_pack;

typedef struct sd_sch_param {
    const char *name;  /* parameter name, e.g. "min-unit-posts" */
    const char *value; /* its value as text; "" means unset */
} sd_sch_param;

typedef struct sd_sch_options {
    const char *phase;          /* NULL: the schema's defaultPhase, else #ALL */
    const char *lang;           /* "zh" or "en": picks diagnostics/messages by xml:lang */
    const char *tier;           /* NULL: tier chosen per document by the pack; else forced */
    const sd_sch_param *params; /* caller overrides (--param NAME=VALUE) */
    size_t param_count;
    /* 1: the pack was checked when the program was built (the embedded packs):
     * each XPath and literal pattern is compiled when a run first needs it,
     * not all of them at load, and its regex-typed parameter values are not
     * compiled to check them (a caller's override still is).  A pack with an
     * error then fails the run that meets it instead of the compilation.
     * 0 (user packs): every error at load, with its .sch line. */
    int trusted;
} sd_sch_options;

/* Compiles the pack at path.  On failure returns SD_ERULES (or SD_EIO/SD_ENOMEM)
 * with err naming the .sch file and line; *out is left NULL. */
sd_status sd_sch_compile_file(const char *path, const sd_sch_options *opt,
                              sd_sch_pack **out, sd_error *err);
/* Same, for a pack held in memory (the built-in packs); base_uri names it in errors
 * and resolves its relative includes. */
sd_status sd_sch_compile_memory(const char *bytes, size_t len, const char *base_uri,
                                const sd_sch_options *opt, sd_sch_pack **out, sd_error *err);

/* An SVRL report (ISO/IEC 19757-3 Annex D), written as the run goes rather
 * than built as a tree: the svrl:schematron-output's attributes, its
 * ns-prefix-in-attribute-values elements, and everything after them, as the
 * bytes libxml2's indented serialisation of the same tree would give (one
 * level of indentation, UTF-8, every value escaped; characters XML cannot
 * carry and bytes that are not UTF-8 shown as \xNN).  Cost: a copy of each
 * value; no node, no second pass. */
typedef struct sd_svrl {
    sd_buf root; /* ` title="…" phase="…"`: the root's attributes after xmlns:svrl */
    sd_buf nsp;  /* the ns-prefix-in-attribute-values lines */
    sd_buf body; /* active-pattern, fired-rule, failed-assert… lines */
} sd_svrl;
void sd_svrl_free(sd_svrl *s); /* NULL is fine */
/* Moves b's report into a's (one report for several packs): a keeps its root
 * attributes, b's ns-prefix-in-attribute-values join a's unless a has the
 * same (uri, prefix) already, b's body follows a's.  Frees b.  -1 on OOM. */
int sd_svrl_merge(sd_svrl *a, sd_svrl *b);
/* Appends the report as a document (XML declaration, root, newline), or,
 * with nested, as the root element alone for a container at indentation
 * level 2 (what xmlNodeDump(…, 2, 1) gave: deeper indentation, characters
 * outside ASCII as character references, no newline after it). */
void sd_svrl_write(const sd_svrl *s, sd_buf *out, int nested);
/* sd_svrl_write(s, out, 0), but when out is empty the body's bytes move into
 * out instead of being copied (s's body is left empty): a report of tens of
 * megabytes is then neither copied nor given fresh pages a second time. */
void sd_svrl_write_moving(sd_svrl *s, sd_buf *out);

/* Runs pack on doc.  display_path is the file name findings carry.  When svrl is
 * not NULL, *svrl receives a new SVRL report (caller frees with sd_svrl_free).
 * Safe to call from several threads at once on the same pack with different docs.
 * The run stores document-order indexes in doc's element nodes
 * (xmlXPathOrderDocElems), so one doc must not be in two runs at the same time.
 * Errors: SD_ERULES (an expression failed at run time, e.g. a bad dynamic
 * regex), SD_ELIMIT (regex match limit or XPath operation limit reached),
 * SD_EIO (a subordinate document could not be read), SD_ENOMEM; err names the
 * .sch file and line of the expression.  On error *svrl stays NULL and diags may
 * hold the findings made before the error. */
sd_status sd_sch_run(const sd_sch_pack *pack, struct _xmlDoc *doc, const char *display_path,
                     sd_diags *diags, sd_svrl **svrl, sd_error *err);

void sd_sch_free(sd_sch_pack *pack);

/* Rule documentation, for `sdlint rules` and `sdlint explain`. */
/* One entry per finding id (what a finding's rule field says: the assert's id,
 * else its rule's, else its pattern's), first occurrence wins, over every
 * concrete pattern of the compiled pack, included files and abstract-pattern
 * instances too.  The pattern's texts: sch:p class="title" (else sch:title,
 * else its first paragraph), class="doc" or no class, class="source". */
typedef struct sd_sch_rule_info {
    const char *id;        /* "SD101" */
    sd_severity severity;  /* of the first assert/report with that id */
    const char *title;     /* in the options' language */
    const char *doc;       /* purpose paragraph(s), in the options' language; "" when none */
    const char *see;       /* URL or reference, may be NULL */
    const char *source;    /* where the rule comes from; "" when none */
    const char *pattern;   /* id of the pattern holding it, may be NULL */
    const char *const *params; /* names the pattern reads through sdl:param('…') */
    size_t param_count;
} sd_sch_rule_info;

size_t sd_sch_rule_count(const sd_sch_pack *pack);
const sd_sch_rule_info *sd_sch_rule_at(const sd_sch_pack *pack, size_t i);

/* Rule parameters declared by a pack (<sdl:param> under sch:schema), for
 * `sdlint explain`.  A tier value "" means "unset at that tier".  Strings are
 * owned by the pack.  title/doc come from <sch:title>/<sch:p> children of the
 * sdl:param in the options' language, and are "" when absent. */
typedef struct sd_sch_param_tier {
    const char *tier;  /* "province", "sub-provincial", "prefecture", "county" */
    const char *value; /* "" = unset at this tier */
} sd_sch_param_tier;

typedef struct sd_sch_param_info {
    const char *name;
    const char *default_value; /* "" when the declaration has none */
    const sd_sch_param_tier *tiers;
    size_t tier_count;
    const char *title;
    const char *doc;
    const char *override_value; /* the caller's override, NULL if none */
} sd_sch_param_info;

size_t sd_sch_param_count(const sd_sch_pack *pack);
const sd_sch_param_info *sd_sch_param_at(const sd_sch_pack *pack, size_t i);
/* The value sdl:param(name) gives for a document of the given tier (NULL: no
 * tier): the override, else that tier's entry, else the default.  NULL when
 * name is not declared. */
const char *sd_sch_param_value(const sd_sch_pack *pack, const char *name, const char *tier);

#endif
