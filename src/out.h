/*
 * out.h — the last stage: rendering results into a buffer, one file per format.
 *
 * Each format fills one small sd_formatter: begin once, then file() for each
 * checked input in order (so a batch streams its report as it goes), then end()
 * with the run's summary.  Formatters only read results and write to the
 * buffer; the command decides where the bytes go.
 */
#ifndef SD_OUT_H
#define SD_OUT_H

#include "buf.h"
#include "check.h"
#include "lang.h"

struct sd_ruledocs; /* ruledoc.h */
struct sd_audit_summary; /* summary.h */

/* What a format keeps between its calls within one run (e.g. whether a JSON
 * array already has an element).  The caller zeroes it before begin(). */
typedef struct sd_out_state {
    size_t items;
} sd_out_state;

typedef struct sd_out_options {
    sd_lang lang;
    int color;              /* 1: ANSI colours */
    sd_severity min_severity; /* findings below it are left out (--quiet: error) */
    int summary;            /* 1: a closing summary line where the format has one */
    const char *version;
    /* For the formats that describe the rules (SARIF): the run's rules, the
     * tool's home page, and the folder paths are made relative to (the
     * repository root; NULL: paths as given).  Any may be NULL. */
    const struct sd_ruledocs *rules;
    const char *homepage;
    const char *root;
    sd_out_state *state;    /* required by sarif (without it the buffer fails); others ignore it */
    int svrl_set;           /* svrl: several inputs, one urn:sdlint:svrl-set document */
    /* The per-jurisdiction summary (summary.h) that text, json and html feed
     * from file() and render at end(); NULL: none (html then fails the buffer). */
    struct sd_audit_summary *jurisdictions;
    /* json: a shard of an audit: the jurisdictions are not rendered at end()
     * but handed on as parts in the shard's trailer (summary_parts.c). */
    int jurisdiction_parts;
} sd_out_options;

typedef struct sd_summary {
    size_t files;       /* inputs attempted */
    size_t unchecked;   /* inputs that could not be checked (unreadable, not XML, refused) */
    size_t skipped;     /* XML files of a folder walk left out: not one of our kinds */
    size_t by_severity[4]; /* findings that count: neither suppressed nor baselined */
    size_t suppressed;     /* silenced by <?sdlint disable ...?> (src/suppress.h) */
    size_t baselined;      /* recorded in the --baseline file (src/baseline.h) */
    /* Entries of the --baseline file that no longer occur (message lines
     * "file: rule location: message"); NULL when no baseline was given. */
    const char *const *stale;
    size_t nstale;
} sd_summary;

typedef struct sd_formatter {
    const char *name;
    void (*begin)(sd_buf *b, const sd_out_options *o);
    void (*file)(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o);
    /* s is NULL when the run stopped early (the command calls only svrl's so) */
    void (*end)(sd_buf *b, const sd_summary *s, const sd_out_options *o);
} sd_formatter;

extern const sd_formatter sd_out_text;
extern const sd_formatter sd_out_json;
extern const sd_formatter sd_out_svrl;
extern const sd_formatter sd_out_sarif;
extern const sd_formatter sd_out_junit;
extern const sd_formatter sd_out_github;
extern const sd_formatter sd_out_html;

/* The formatter called name, or NULL. */
const sd_formatter *sd_out_find(const char *name);
/* Writes file relative to root (an absolute, symlink-free folder) and
 * returns 1 when it lies inside; else writes it absolute (or as given, for
 * "-" or when root is NULL) and returns 0. */
int sd_out_repo_path(const char *root, const char *file, sd_buf *b);
/* Appends path percent-encoded as a URI path (RFC 3986 unreserved and '/' kept). */
void sd_out_uri(sd_buf *b, const char *path);
/* A finding's related places in SVRL (svrl_related.c): each one an
 * svrl:property-reference with these property and scheme values, whose
 * svrl:text is sd_related_text's line with the location. */
#define SD_SVRL_RELATED_PROPERTY "sdlint-related"
#define SD_SVRL_RELATED_SCHEME "urn:sdlint:related"
/* Writes the property-references of rel[0..n) (the prefix svrl bound by the
 * report), for a report written as a stream. */
void sd_out_svrl_related(sd_buf *b, const sd_related *rel, size_t n);
/* Adds them to a built failed-assert or successful-report, before its own
 * svrl:text; 0, or -1 (not such an element, or out of memory). */
struct _xmlNode;
int sd_out_svrl_add_related(struct _xmlNode *assertion, const sd_related *rel, size_t n);
/* Adds r's findings (at or above min) to s. */
void sd_summary_add(sd_summary *s, const sd_result *r, sd_severity min);

#endif
