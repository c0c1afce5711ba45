/*
 * check.h — one run's compiled state and the pipeline for one input.
 *
 * sd_checker_new compiles everything a run needs once (the XSDs, the rule
 * packs); sd_checker_check then takes one input through load → kind → XSD →
 * rules and returns its findings.  The checker is immutable after creation, so
 * several threads may check different inputs with the same checker.
 *
 * Ownership: the caller frees the checker (sd_checker_free) and each result
 * (sd_result_free).
 */
#ifndef SD_CHECK_H
#define SD_CHECK_H

#include <stddef.h>


#include "diag.h"
#include "error.h"
#include "kind.h"
#include "lang.h"
#include "load.h"
#include "plan.h"
#include "sch.h"

typedef struct sd_checker_options {
    sd_lang lang;
    size_t max_bytes;               /* 0: SD_LOAD_DEFAULT_MAX_BYTES */
    const char *const *rule_files;  /* user packs (--rules); none: the built-in packs */
    size_t rule_file_count;
    const char *const *extra_rule_files; /* packs run besides those (.sdlint.xml <rules>) */
    size_t extra_rule_file_count;
    const char *phase;              /* --phase, NULL for the default phase */
    const char *tier;               /* --tier, NULL to take each document's own */
    const sd_sch_param *params;     /* --param NAME=VALUE */
    size_t param_count;
    int want_svrl;                  /* build the SVRL report of each document */
    int no_docs;                    /* the caller reads no rule documentation (titles,
                                       paragraphs; ids and severities stay): the built-in
                                       packs compile from their copy without it, which
                                       starts faster.  Not with want_svrl (its names). */
    int keep_tree;                  /* each result keeps its parsed document (sd_result.tree) */
    int xsd_full;                   /* tests: validate with the full schemas only, never the
                                       identity-constraint fast path (xsd.h) */
} sd_checker_options;

typedef struct sd_checker sd_checker;
typedef struct sd_summary_info sd_summary_info;

typedef struct sd_result {
    sd_source src;   /* the bytes read (for quoting source lines); bytes NULL if unreadable */
    sd_kind kind;    /* SD_KIND_OTHER also when the input could not be parsed */
    int parsed;      /* 1 when the input was well-formed and checked */
    sd_diags diags;  /* sorted */
    sd_svrl *svrl;   /* the SVRL report when asked for and the rules ran, else NULL */
    /* With keep_tree, the parsed document (NULL when it did not parse),
     * freed by sd_result_free, not at the end of the check: a command about
     * to exit may leave it to the system (freeing a large tree node by node
     * costs a tenth of its parse).  Without, NULL. */
    struct _xmlDoc *tree;
    /* What the audit summary takes from the document (summary.h), read from
     * its tree while it was at hand; NULL when there is none. */
    struct sd_summary_info *info;
} sd_result;

/* Compiles schemas and packs.  A pack that does not compile, or a --param that
 * no pack declares, fails with err naming the file and line. */
sd_status sd_checker_new(const sd_checker_options *opt, sd_checker **out, sd_error *err);
/* 1 when the run uses the built-in packs (no --rules), whose rules have the
 * examples of rules/examples/. */
int sd_checker_builtin_packs(const sd_checker *c);
/* The compiled packs, for rule and parameter documentation. */
size_t sd_checker_pack_count(const sd_checker *c);
const sd_sch_pack *sd_checker_pack_at(const sd_checker *c, size_t i);
/* Checks the file at path ("-" too is a file name: the library never reads
 * standard input; pass its bytes to sd_checker_check_memory).  Input problems
 * are findings in res; the error return is for out-of-memory and internal
 * failures only. */
sd_status sd_checker_check(const sd_checker *c, const char *path, sd_result *res, sd_error *err);
/* Same for bytes already in memory (copied); display names the input in findings. */
sd_status sd_checker_check_memory(const sd_checker *c, const char *display, const char *bytes,
                                  size_t len, sd_result *res, sd_error *err);
void sd_result_free(sd_result *res);

/* A 三定 checked with its plan: its result, reported against its own file,
 * and the file's identity, so that a caller checking a folder checks it once. */
typedef struct sd_plan_member {
    sd_result res;
    unsigned long long dev, ino;
} sd_plan_member;

/* As sd_checker_check; and when the input is a reform plan, loads what it
 * references (plan.h: SD207 findings go to res) and checks each 三定 it
 * loaded with the same checker: *members (in the plan's order, each file
 * once) holds their results.  popt's lang and max_bytes are the checker's.
 * Free the members with sd_plan_members_free. */
sd_status sd_checker_check_plan(const sd_checker *c, const char *path, const sd_plan_options *popt,
                                sd_result *res, sd_plan_member **members, size_t *nmembers,
                                sd_error *err);
void sd_plan_members_free(sd_plan_member *members, size_t n);
/* What a thread checking many inputs keeps from one to the next: a parser
 * and its dictionary (load.h), a schema validation context per kind (xsd.h)
 * and the catalogues and parent plans it loaded (plan.h), instead of making
 * each anew per input.  Made by sd_checker_cache_new (NULL when out of
 * memory); one per thread, never shared; freed before the checkers it was
 * used with.  Results do not depend on it. */
typedef struct sd_checker_cache sd_checker_cache;
sd_checker_cache *sd_checker_cache_new(void);
void sd_checker_cache_free(sd_checker_cache *cache);
/* sd_checker_check_plan with the calling thread's cache (NULL: none). */
sd_status sd_checker_check_plan_cached(const sd_checker *c, sd_checker_cache *cache,
                                       const char *path, const sd_plan_options *popt,
                                       sd_result *res, sd_plan_member **members, size_t *nmembers,
                                       sd_error *err);
void sd_checker_free(sd_checker *c);

#endif
