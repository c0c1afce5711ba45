/*
 * plan.h — a reform plan and the documents it references, loaded once into
 * one model (the `plan` room of ARCHITECTURE.md).
 *
 * Place in the pipeline: check.c parses a document; when it is a reformPlan,
 * sd_plan_load reads every file the plan names — each agency's 三定
 * (agenciesAfter/agency/@sanding), the higher-level catalogue
 * (catalogueRef/@href) and the parent plan (parentPlan/@href) — relative to
 * the plan's own file, each file once, with the same safe loader as any input
 * (no network, no DTD, size limits).  What cannot be loaded, or is not what
 * the reference says, is SD207 on the plan, at the referring attribute; the
 * rest of the plan is still loaded and checked.  The cross-document rules
 * (SD201–SD213) then work on this model through its hash tables, never by
 * comparing every document with every other.
 *
 * Containment: a 三定 must lie inside the plan's folder tree — it is opened
 * with sd_safeopen_beneath (openat2 RESOLVE_BENEATH, or the /proc check), so
 * `..`, an absolute name and a symlink out are all refused before a byte is
 * read.  The catalogue and the parent plan may lie anywhere above the plan
 * (a county's city plan is ../city/plan.xml); they are opened non-blocking
 * and must be regular files.  No SD207 message ever quotes a referenced
 * file's content.
 *
 * Overrides: opt->catalogue and opt->parent (the command line's --catalogue
 * and --parent, paths as the user typed them) replace the plan's own
 * references, which are then not read at all; opt->default_catalogue (the
 * configuration's <catalogue>) is used only when the plan has no catalogueRef
 * and no opt->catalogue is given.  Precedence: command line > plan > config.
 *
 * Cost: O(r + a) for r references and a agencies (hash tables by id, by
 * normalised name and by file identity), plus reading each file once.
 * Thread safety: no global state; a plan belongs to one thread at a time.
 * Ownership: the plan owns its documents, sources and strings (sd_plan_free).
 */
#ifndef SD_PLAN_H
#define SD_PLAN_H

#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "kind.h"
#include "lang.h"
#include "load.h"

struct _xmlDoc;
struct _xmlNode;

/* Catalogues and parent plans already loaded, kept by one thread across the
 * plans it loads (sd_plan_options.cache): the 25 counties of a city name the
 * same city plan and catalogue, which are then read and parsed once, not 25
 * times.  An entry is found by the file's identity, size and times, so a
 * file changed in between is read again; only documents that parsed are
 * kept, at most SD_PLAN_CACHE_SIZE of them (the least recently used goes).
 * Not shared between threads; free it after the last plan that used it. */
typedef struct sd_plan_cache sd_plan_cache;
#define SD_PLAN_CACHE_SIZE 4
sd_plan_cache *sd_plan_cache_new(void); /* NULL when out of memory: run without */
void sd_plan_cache_free(sd_plan_cache *c);

typedef struct sd_plan_options {
    sd_lang lang;
    size_t max_bytes;              /* per referenced file; 0: SD_LOAD_DEFAULT_MAX_BYTES */
    const char *catalogue;         /* --catalogue FILE, relative to the current folder; NULL: the plan's */
    const char *parent;            /* --parent FILE; NULL: the plan's parentPlan/@href */
    const char *default_catalogue; /* .sdlint.xml <catalogue> (made absolute by config.c); NULL: none */
    const char *default_catalogue_origin; /* where it came from ("FILE:LINE"), for messages */
    sd_plan_cache *cache;          /* the calling thread's, or NULL: catalogue and parent read anew */
    sd_load_parser *parser;        /* the calling thread's (load.h), or NULL: a parser per file */
} sd_plan_options;

/* Why a document was loaded. */
typedef enum sd_plan_role {
    SD_PLAN_ROLE_SANDING = 0,
    SD_PLAN_ROLE_CATALOGUE = 1,
    SD_PLAN_ROLE_PARENT = 2
} sd_plan_role;

/* One referenced file, loaded once however many references name it. */
typedef struct sd_plan_doc {
    char *id;            /* the first referring agency's id; "#catalogue", "#parent" */
    sd_plan_role role;   /* of the first reference */
    sd_kind kind;        /* from its root element; SD_KIND_OTHER when not parsed */
    sd_source src;       /* path: the plan's folder joined with the reference */
    struct _xmlDoc *doc; /* parsed with positions; NULL when it could not be */
    sd_diags diags;      /* its own input findings (SD001, SD003, SD004), about src.path */
    unsigned long long dev, ino; /* the file's identity */
    int shared;          /* src.bytes, src.line_starts and doc belong to the cache
                            (sd_plan_options.cache): read them, never free or move them */
} sd_plan_doc;

/* One agency entry of the plan. */
typedef struct sd_plan_agency {
    char *id, *name;
    char *norm;                  /* the name normalised (sd_plan_normalize_name) */
    int after;                   /* 1: agenciesAfter, 0: agenciesBefore */
    struct _xmlNode *node;       /* its element in the plan */
    long doc;                    /* index of its 三定 among the plan's documents, -1: none */
} sd_plan_agency;

typedef struct sd_plan sd_plan;

/* Builds the model of the plan whose parsed tree is plan_doc (parsed with
 * positions, kept alive by the caller while the plan is used) and whose file
 * is plan_path as the user named it.  SD207 findings go to d, about
 * plan_path.  Error return: out of memory only. */
sd_status sd_plan_load(const sd_plan_options *opt, const char *plan_path,
                       struct _xmlDoc *plan_doc, sd_plan **out, sd_diags *d, sd_error *err);
void sd_plan_free(sd_plan *p);

size_t sd_plan_doc_count(const sd_plan *p);
sd_plan_doc *sd_plan_doc_at(sd_plan *p, size_t i);
/* The document loaded for agency id (its 三定), or "#catalogue", "#parent";
 * NULL when none was loaded. */
sd_plan_doc *sd_plan_doc_by_id(const sd_plan *p, const char *id);
/* The catalogue and parent plan when loaded and of the right kind, else NULL. */
sd_plan_doc *sd_plan_catalogue(const sd_plan *p);
sd_plan_doc *sd_plan_parent(const sd_plan *p);

size_t sd_plan_agency_count(const sd_plan *p);
const sd_plan_agency *sd_plan_agency_at(const sd_plan *p, size_t i);
/* An agency of agenciesAfter (after = 1) or agenciesBefore (0) by its id, or
 * by its name compared after normalisation; NULL when none. */
const sd_plan_agency *sd_plan_agency_by_id(const sd_plan *p, int after, const char *id);
const sd_plan_agency *sd_plan_agency_by_name(const sd_plan *p, int after, const char *name);

/* A file's identity. */
typedef struct sd_plan_fileid {
    unsigned long long dev, ino;
} sd_plan_fileid;

/* The files the plan at plan_path names as 三定 that open safely beneath its
 * folder, by identity, for a caller checking several inputs: such a file is
 * checked with its plan, not on its own.  Reads and scans the plan only
 * (sd_load_scan: no tree, nothing reported); *n is 0 when the file is not a
 * well-formed plan or cannot be read.  *ids is malloc'd.  Error return: out of memory. */
sd_status sd_plan_sanding_files(const char *plan_path, size_t max_bytes, sd_plan_fileid **ids,
                                size_t *n, sd_error *err);

/* The same, with what a caller opening such a file by its own path, in a
 * walk of the same tree, would learn (audit.c's first pass then need not open
 * it a second time): path is the plan's path up to its last slash followed
 * by the reference, as such a walk spells the file; a file reached by that
 * path is this one, as the path resolves as the reference did beneath the
 * plan's folder.  kind is what its first 64 KiB show (sd_kind_sniff), or
 * SD_KIND_OTHER when it is not a regular file or is empty; dev and ino are its
 * identity.  Free with sd_plan_files_free.  Error return: out of memory. */
typedef struct sd_plan_file {
    unsigned long long dev, ino;
    int kind;
    char *path;
} sd_plan_file;
sd_status sd_plan_sanding_files_sniffed(const char *plan_path, size_t max_bytes,
                                        sd_plan_file **files, size_t *n, sd_error *err);
void sd_plan_files_free(sd_plan_file *files, size_t n);

/* The name-comparison form of s (malloc'd; NULL on out of memory): that of
 * names.h (sd_names_normalize: full-width folded, blanks around CJK dropped,
 * trailing punctuation dropped), the one form the plan's tables use. */
char *sd_plan_normalize_name(const char *s);

#endif
