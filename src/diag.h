/*
 * diag.h — the finding: one diagnostic about one place in one input.
 *
 * Every stage (load, xsd, sch, plan) appends findings to an sd_diags list; the
 * output formatters only read them.  Ownership: an sd_diags owns every string of
 * every finding in it (sd_diags_add copies what it is given); sd_diags_free
 * releases them all.  A finding's message is already in the run's language.
 *
 * Memory: sd_diags_add copies rule id, file, location and message into the
 * list's pool (blocks of strings freed together, diag.c), not one allocation
 * each, and a finding with the same file or rule id as the finding before it
 * shares that copy: a rule failing on 200,000 elements made 800,000 strings
 * (a tenth of the run, with their first-touch page faults).  So those four
 * strings of a finding in a list are read-only and never freed one by one.
 */
#ifndef SD_DIAG_H
#define SD_DIAG_H

#include <stddef.h>

#include "error.h"

typedef enum sd_severity {
    SD_SEV_INFO = 0,
    SD_SEV_WARNING = 1,
    SD_SEV_ERROR = 2,
    SD_SEV_FATAL = 3
} sd_severity;

typedef struct sd_finding {
    char *rule_id;     /* "SD002", or a rule pack's assert id; never NULL */
    sd_severity severity;
    char *file;        /* the path as the user gave it ("-" for standard input) */
    long line;         /* 1-based; 0 when the finding is about the whole file */
    long col;          /* 1-based, in characters; 0 when unknown */
    long end_line;     /* where the start tag (or attribute) ends: the character */
    long end_col;      /* after its last one; 0 when unknown */
    long offset;       /* byte offset of line:col in the file's UTF-8 text; valid when line > 0 */
    char *location;    /* XPath of the node, as SVRL gives it; may be NULL */
    char *message;     /* in the run's language; never NULL */
    size_t seq;        /* set by sd_diags_add: the order findings were made in */
    int suppressed;    /* 1: silenced by an <?sdlint disable ...?> (src/suppress.h); kept, */
    char *suppress_reason; /* reported as suppressed, never counted; the reason after "--" */
    int baselined;     /* 1: recorded in the --baseline file (src/baseline.h); kept, not counted */
    /* 1: rule_id, file, location and message live in the pool of the list
     * the finding is in (set by sd_diags_add); sd_finding_free leaves them
     * to sd_diags_free.  0 (a finding the caller built): each is its own
     * allocation, freed by sd_finding_free. */
    int pooled;
    /* Other places the finding is about (the other end of a cross-document
     * finding, e.g. the 三定 that disagrees with the plan entry), in the order
     * the rule gave them: the first is the one to read first.  Owned like the
     * rest; every format prints them (README "Related places").  Not part of
     * the finding's identity: baselines and SARIF fingerprints ignore them. */
    struct sd_related *related;
    size_t nrelated;
} sd_finding;

/* One related place of a finding: another file, or another node of this one. */
typedef struct sd_related {
    char *file;        /* never NULL */
    long line, col;    /* 0 when unknown */
    char *location;    /* XPath; may be NULL */
    char *message;     /* why it is related; may be NULL */
} sd_related;

typedef struct sd_diags {
    sd_finding *items;
    size_t count;
    size_t cap;
    struct sd_diags_pool *pool; /* the findings' strings (diag.c); NULL until the first add */
} sd_diags;

void sd_diags_init(sd_diags *d);
/* Appends a copy of f (all strings duplicated).  On SD_ENOMEM d is unchanged. */
sd_status sd_diags_add(sd_diags *d, const sd_finding *f, sd_error *err);
/* Convenience: builds the finding from its parts; message is printf-formatted. */
sd_status sd_diags_addf(sd_diags *d, sd_error *err, const char *rule_id, sd_severity sev,
                        const char *file, long line, long col, const char *location,
                        const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* Points finding i of d at a copy of file (in the list's pool for a pooled
 * finding: its strings are never freed one by one, so do not free or
 * replace f->file yourself).  SD_ENOMEM leaves it unchanged. */
sd_status sd_diags_set_file(sd_diags *d, size_t i, const char *file, sd_error *err);
/* Adds a related place to the last finding of d (the one just added); fmt
 * (printf) gives its message, or is NULL for none.  SD_EINVAL when d is empty;
 * on SD_ENOMEM the finding is unchanged. */
sd_status sd_diags_relatedf(sd_diags *d, sd_error *err, const char *file, long line, long col,
                            const char *location, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Stable order for output, the same in every language: by file, line,
 * column, rule id, location, the related places' files, lines, columns and
 * locations (never their messages), then the order the findings were made in. */
void sd_diags_sort(sd_diags *d);
/* Highest severity among the findings that count (neither suppressed nor
 * baselined), or -1 when there are none. */
int sd_diags_max_severity(const sd_diags *d);
void sd_diags_free(sd_diags *d);
/* Frees the strings of one finding (not the finding itself); of a pooled one
 * (in a list), only its suppress reason and related places: the list's pool
 * holds the rest until sd_diags_free. */
void sd_finding_free(sd_finding *f);
/* Appends a copy of *rel (strings duplicated; a NULL file counts as "") to
 * f's related places.  f must own its strings: a finding inside an sd_diags,
 * or one the caller frees with sd_finding_free.  (A finding built on the stack
 * for sd_diags_add may instead point .related at the caller's own array: the
 * add copies it.)  On SD_ENOMEM f is unchanged. */
sd_status sd_finding_add_related(sd_finding *f, const sd_related *rel, sd_error *err);

struct sd_buf; /* buf.h */
/* Appends the related place as one line of plain text, unescaped (each format
 * escapes it as it escapes a message): "FILE:LINE:COL: MESSAGE", the line and
 * column left out when 0, the message when NULL; with_location adds
 * " (LOCATION)" when there is one, and a place with neither message nor
 * with_location still shows its location. */
void sd_related_text(struct sd_buf *b, const sd_related *rel, int with_location);

const char *sd_severity_name(sd_severity s); /* "info", "warning", "error", "fatal" */
/* Parses the names above (and Schematron's flag-like synonyms); returns -1 if unknown. */
int sd_severity_parse(const char *s);

#endif
