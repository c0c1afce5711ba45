/*
 * pr_int.h — what the files of the plan rules share (src/planrules/): the
 * model of one plan (its agencies, its 三定, its catalogue, in hash tables),
 * an arena for every string derived while checking, the XML and name helpers,
 * and the one way a finding is made (REPORT).  Internal: only src/planrules/
 * includes it; the public interface is src/planrules.h.
 *
 * The plan rules are the cross-document rules of a reform plan: SD201–SD206 and
 * SD208–SD213 (DOMAIN.md §3), as built-in checks over the plan, its parent
 * plan, its catalogue and the 三定 of its agencies, all loaded already.
 *
 * Why C and not a rule pack: these rules join documents by the plan's ids and
 * by normalised names, balance transfers seen from three places, and suggest
 * names by edit distance over characters — hash tables and loops, which
 * XPath 1.0 over one tree does not offer.
 *
 * Shape: one model is built first (every agency of the plan by id and by
 * name key, every catalogue entry by name and alias, each 三定 linked to its
 * plan entry); then each rule is one pass.  Cost O((n + m) log(n + m)) at most
 * for n agencies and m functions (hash tables; sorting is the caller's); a
 * did-you-mean costs the candidates' lengths per unknown name only.
 *
 * Memory: every string these files derive lives in one arena freed at the end;
 * the trees are only read.  No global mutable state.
 *
 * Names are compared by one key (pr_names_key, on src/names.h): full-width
 * folded, without blanks or trailing punctuation, 中国共产党…委员会 read as
 * 中共…委, and the jurisdiction's name (or its short form 市/县/区…) taken off
 * the front; "did you mean" is sd_names_suggest over those keys.
 *
 * Where a finding goes: to the place where the fix belongs (the 三定 that
 * disagrees with its plan, the agency that gave a function away and still
 * claims it), with the other end as its related place.
 */
#ifndef SD_PR_INT_H
#define SD_PR_INT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "../buf.h"
#include "../names.h"
#include "../planrules.h"
#include "../pos.h"
#include "../strmap.h"
#include "../xpathloc.h"

/* ------------------------------------------------------------------ arena */

typedef struct blk {
    struct blk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} blk;

typedef sd_strmap strmap;

typedef struct agency agency;
typedef struct sdoc sdoc;

struct agency {
    const char *id, *name, *kind, *rank, *disp, *host;
    long admin, units;
    xmlNodePtr node;
    int after;       /* 1: agenciesAfter, 0: agenciesBefore */
    sdoc *sd;        /* its loaded 三定 (after only) */
    agency *hosted;  /* first after entry whose @host is this one */
    agency *next_hosted;
};

struct sdoc {
    const char *file;
    xmlDocPtr doc;
    xmlNodePtr root, agency_el;
    agency *ag;      /* the plan entry it belongs to; NULL when unknown */
    const char *name; /* agency/@name, or the file name */
    size_t index;
};

typedef struct catentry {
    const char *id, *name;
    int mandatory;
    xmlNodePtr node;
    int covered;     /* 1 directly (name, alias, counterpart), 2 by combine/plate */
    int as_plate;    /* named by a plate of the plan */
} catentry;

typedef struct catname {
    catentry *e;
    const char *shown; /* the name or alias as written */
    int alias;
} catname;

typedef struct ctx {
    sd_lang lang;
    sd_diags *out;
    sd_error *err;
    sd_status st;
    blk *arena;
    sd_xpathloc *xl;
    const sd_planrules_input *in;
    long param_cap;

    xmlNodePtr proot;   /* reformPlan */
    const char *pfile;
    const char *tier, *jname, *parent_jname, *cat_jname;

    agency *before, *after;
    size_t nbefore, nafter;
    strmap before_id, after_id, before_name, after_name, parent_name;
    strmap successor; /* before id → the after entry naming it as predecessor */
    strmap route;     /* a document's file → the list its findings go to */
    catentry *cat;
    size_t ncat;
    strmap cat_id, cat_name;
    catname **catnames; /* every name and alias, in document order (did you mean) */
    size_t ncatnames;
    const char **catkeys; /* their local keys, made once on the first unknown name */
    const char **catalias; /* for an alias, the name of its entry; else NULL */
    sdoc *sd;
    size_t nsd;
    /* The jurisdictions names are split by (jname, cat_jname, …), each
     * normalised once (pr_names_key): raw (an arena copy) → normalised. */
    struct {
        const char *raw, *norm;
    } jnorm[4];
    size_t njnorm;
} ctx;


/* ---- helpers (model.c) ---- */

void pr_oom(ctx *c);
void *pr_ar_alloc(ctx *c, size_t n);
char *pr_ar_strndup(ctx *c, const char *s, size_t n);
char *pr_ar_cat(ctx *c, const char *a, const char *b, const char *d);
void pr_ar_free(blk *b);
void pr_map_put(ctx *c, strmap *m, const char *k, void *v);
int pr_is_el(const xmlNode *n, const char *name);
xmlNodePtr pr_next_el(xmlNodePtr n, const char *name);
xmlNodePtr pr_child(xmlNodePtr p, const char *name);
const char *pr_collapse(ctx *c, const char *s);
const char *pr_attr(ctx *c, xmlNodePtr n, const char *name);
xmlNodePtr pr_attr_node(xmlNodePtr n, const char *name);
const char *pr_text(ctx *c, xmlNodePtr n);
long pr_num_of(const char *s);
long pr_attr_num(ctx *c, xmlNodePtr n, const char *name);
long pr_count_of(ctx *c, xmlNodePtr n);
int pr_truthy(const char *s);
int pr_word_in(const char *list, const char *w);
int pr_starts(const char *s, const char *p);
const char *pr_ar_take(ctx *c, char *m);
const char *pr_names_normalize(ctx *c, const char *s);
const char *pr_names_key(ctx *c, const char *norm, const char *j, int shortform);
void *pr_lookup_name(ctx *c, const strmap *m, const char *raw, const char *j1, const char *j2);
void pr_put_name(ctx *c, strmap *m, const char *raw, const char *j, void *v);
long pr_did_you_mean(ctx *c, const char *q, const char *j, const char *const *keys,
                         const char *const *alias_of, size_t n);
void pr_add_finding(ctx *c, const char *rule, sd_severity sev, const char *file, xmlNodePtr n,
                        const char *rfile, xmlNodePtr rn, const char *rmsg, const char *msg);
void pr_report_(ctx *c, const char *rule, sd_severity sev, const char *file, xmlNodePtr n,
                    const char *rfile, xmlNodePtr rn, const char *rmsg_zh, const char *rmsg_en,
                    const char *fmt_zh, const char *fmt_en, ...);
const char *pr_nz(const char *s);
int pr_counted_kind(const char *k);
int pr_counted(const agency *a);
int pr_is_disp(const agency *a, const char *d);
agency *pr_read_agencies(ctx *c, xmlNodePtr list, int after, size_t *n);
const char *pr_jur_name(ctx *c, xmlNodePtr root);
void pr_build_model(ctx *c);
const char *pr_tier_label(ctx *c);
const char *pr_kind_label(ctx *c, const char *k);
const char *pr_ag_name(const agency *a);

#define FOR_CHILD(var, parent, name) \
    for (xmlNodePtr var = pr_child((parent), (name)); var; var = pr_next_el(var->next, (name)))

/* REPORT(c, rule, sev, file, node, rfile, rnode, rel_zh, rel_en, fmt_zh, fmt_en, args...):
 * both formats take the same arguments in the same order; the dead snprintf
 * calls let the compiler check them. */
#define REPORT(c, rule, sev, file, n, rfile, rn, rzh, ren, zh, en, ...)                 \
    do {                                                                               \
        if (0) {                                                                       \
            (void)snprintf(NULL, 0, zh, __VA_ARGS__);                                  \
            (void)snprintf(NULL, 0, en, __VA_ARGS__);                                  \
        }                                                                              \
        pr_report_((c), (rule), (sev), (file), (n), (rfile), (rn), (rzh), (ren), zh, en,   \
                __VA_ARGS__);                                                          \
    } while (0)


/* ---- shared between rules: catalogue.c, transfers.c ---- */

const char *pr_fn_key(ctx *c, const char *code, const char *name);
agency *pr_resolve_agency(ctx *c, const char *ref, const char *name);
catname *pr_cat_lookup(ctx *c, const char *name);

/* ---- the rules, one pass each (ctx built by pr_build_model) ---- */

void pr_sd201(ctx *c);
void pr_sd202_203(ctx *c);
void pr_sd204(ctx *c);
void pr_sd205(ctx *c);
void pr_sd206(ctx *c);
void pr_sd208(ctx *c);
void pr_sd209(ctx *c);
void pr_sd210(ctx *c);
void pr_sd211(ctx *c);
void pr_sd212(ctx *c);
void pr_sd213(ctx *c);

#endif
