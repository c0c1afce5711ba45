/*
 * sch_int.h — the Schematron engine's internal model, shared by its files.
 *
 * Pipeline (one file each):  parse.c (read the .sch, follow include/extends,
 * build the model below)  →  expand.c (abstract patterns: textual $param
 * substitution)  →  compile.c (phase choice, let scoping, every XPath checked,
 * compiled once per thread; a trusted pack's at first use)  →  eval.c (one
 * document, linear in its size)  →  svrl.c.
 * Helpers: xplex.c (a small XPath 1.0 lexer used for static checks and for
 * turning rule contexts into selections), regex.c (PCRE2: flags, limits, a
 * run's match context and JIT stack), fn_regex.c (the XPath extension
 * functions), params.c (sdl:param), util.c (arena, buffers, pointer set),
 * rewrite.c (the cheaper text libxml2 compiles for rule contexts and let uses).
 *
 * Dependencies run one way.  Layers, lowest first; a file calls functions of
 * files to its left only (checked on the objects by tools/check-sch-deps.sh,
 * which reads the next line):
 *   sch-layers: util xplex rewrite regex params parse expand compile fn_regex xpn svrl eval
 * So the extension functions never reach back into a run: eval.c hands them
 * a sch_fn_env (regex env, current node, tier, error sink) through the XPath
 * context's function-lookup data.  All files share the model types below.
 *
 * Ownership: every string and array of the model lives in the pack's arena and
 * dies with sd_sch_free.  Nothing here is global or mutable after compile,
 * except the pool of compiled-expression sets, which is guarded by a mutex
 * (see compile.c for why each thread gets its own set); a set, and what eval.c
 * keeps in it between runs, belongs to one run at a time.
 */
#ifndef SD_SCH_INT_H
#define SD_SCH_INT_H

#include <pthread.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "sch.h"
#include "xpathloc.h"

#define SCH_NS "http://purl.oclc.org/dsdl/schematron"
#define SCH_SVRL_NS "http://purl.oclc.org/dsdl/svrl"

/* ---- util.c ---------------------------------------------------------- */

typedef struct sch_arena_chunk sch_arena_chunk;
typedef struct sch_arena {
    sch_arena_chunk *head;
} sch_arena;

void *sch_alloc(sch_arena *a, size_t n);            /* zeroed; NULL on OOM */
char *sch_strdup(sch_arena *a, const char *s);      /* NULL in → NULL out */
char *sch_strndup(sch_arena *a, const char *s, size_t n);
void sch_arena_free(sch_arena *a);

/* A growable array of pointers in an arena. */
typedef struct sch_vec {
    void **v;
    size_t n, cap;
} sch_vec;
int sch_vec_push(sch_arena *a, sch_vec *vec, void *p); /* 0 ok, -1 OOM */

/* A malloc'd growable string with a hard cap (SCH_BUF_MAX). */
#define SCH_BUF_MAX ((size_t)16 << 20)
typedef struct sch_buf {
    char *p;
    size_t len, cap;
    int oom;
} sch_buf;
void sch_buf_add(sch_buf *b, const char *s, size_t n);
void sch_buf_adds(sch_buf *b, const char *s);
const char *sch_buf_str(sch_buf *b); /* never NULL */
void sch_buf_free(sch_buf *b);
/* Collapses runs of XML whitespace to one space and trims, in place. */
void sch_normalize_space(char *s);

/* XPath objects kept for reuse by one thread's runs: a let value or a
 * selection is made and dropped hundreds of times per document, and each was
 * two or three mallocs and frees.  Kept objects are chained through their
 * `user` field; a node-set keeps its node table.  At most SCH_OBJPOOL_MAX of
 * each kind are kept, the rest freed. */
#define SCH_OBJPOOL_MAX 256
typedef struct sch_objpool {
    xmlXPathObjectPtr scalars, sets;
    size_t nscalars, nsets;
} sch_objpool;
/* A zeroed object of type (XPATH_NUMBER, XPATH_BOOLEAN or XPATH_STRING); NULL on OOM. */
xmlXPathObjectPtr sch_obj_scalar(sch_objpool *p, xmlXPathObjectType type);
/* An XPATH_NODESET object with an empty node-set (its table may have room); NULL on OOM. */
xmlXPathObjectPtr sch_obj_nodeset(sch_objpool *p);
/* Drops o (any object, made here or by libxml2): what it owns is freed, the
 * object itself kept for reuse when it is plain. */
void sch_obj_drop(sch_objpool *p, xmlXPathObjectPtr o);
void sch_objpool_free(sch_objpool *p);

/* Open-addressing pointer set. */
typedef struct sch_ptrset {
    const void **slot;
    size_t cap, n;
} sch_ptrset;
int sch_ptrset_init(sch_ptrset *s, size_t expect);
int sch_ptrset_add(sch_ptrset *s, const void *p); /* 1 added, 0 present, -1 OOM */
void sch_ptrset_free(sch_ptrset *s);

int sch_is_sch(xmlNodePtr n, const char *local);
int sch_is_ns(xmlNodePtr n, const char *ns, const char *local);
/* Language match: "zh" ~ "zh-CN" either way; NULL or "" never matches. */
int sch_lang_match(const char *want, const char *have);

/* ---- the model ------------------------------------------------------- */

enum { SEG_TEXT, SEG_VALUEOF, SEG_NAME };
typedef struct sch_seg {
    int kind;
    char *text; /* SEG_TEXT: the text; else the XPath (NULL for <name/>) */
    int expr;   /* compiled expression index, -1 if none */
    const char *file;
    long line;
} sch_seg;

typedef struct sch_msg {
    sch_seg *seg;
    size_t n;
} sch_msg;

typedef struct sch_let {
    char *name;
    char *value;        /* XPath, NULL when the value is element content */
    xmlNodePtr content; /* element-content form: the let element itself */
    int expr;
    int slot;           /* global slot, or index in its rule */
    int owner;          /* owning pattern index for pattern lets, -1 else */
    int order;          /* position in the evaluation order (globals) */
    int state;          /* topological sort mark */
    /* A rule let's memo class (compile.c let_memo, eval.c memo_*), -1: none.
     * Its value, once evaluated, serves every later reference of the same
     * class in the run: per document when inv (the value cannot depend on
     * the rule's node), else per node (lets of the same text that read no
     * variable, in any rule). */
    int memo;
    int inv;
    int seen;           /* analysed once already (a let shared by extends) */
    /* The value's shape when eval.c computes it without XPath (compile.c
     * let_shape): an attribute's or the node's string value, normalised,
     * without spaces, or as a number; shape_attr names the attribute. */
    int shape;
    char *shape_attr;
    /* vmemo >= 0: the value depends on nothing but the values of the
     * variables it reads (vdep: rule-let index, or -1 - global slot) and
     * the tier when it calls sdl:param; eval.c keeps it per thread, across
     * documents, keyed by those values when they are strings, numbers or
     * booleans (ranks, post counts and dates repeat from unit to unit). */
    int vmemo;
    int vparam;
    int vsafe; /* only string, number and boolean functions of its variables:
                * cannot fail on strings, numbers and booleans once it has not */
    int *vdep;
    size_t nvdep;
    sch_vec deps;       /* sch_let* this global let's value refers to */
    const char *file;
    long line;
} sch_let;

typedef struct sch_diag {
    char *id;
    char *lang;
    char *role, *scheme; /* properties only */
    char *see, *icon, *fpi; /* carried to the SVRL text */
    sch_msg msg;
    const char *file;
    long line;
} sch_diag;

typedef struct sch_assert {
    int is_report;
    char *test;
    int expr;
    char *bare; /* the test is just $bare: the truth of its value, read without XPath */
    char *id, *role, *flag, *see, *icon, *fpi;
    char *lang; /* xml:lang of the nearest ancestor in the schema that has one */
    sd_severity sev;
    char *diag_ids, *prop_ids; /* space-separated, as written */
    sch_diag **diags;
    size_t ndiags;
    sch_diag **props;
    size_t nprops;
    sch_msg msg;
    const char *file;
    long line;
} sch_assert;

/* A rule's children in order, before extends are resolved. */
enum { ITEM_LET, ITEM_ASSERT, ITEM_EXTENDS };
typedef struct sch_item {
    int kind;
    void *p;        /* sch_let* / sch_assert* / char* (abstract rule id) */
    const char *file;
    long line;
} sch_item;

/* A rule context that is a plain path of element names, /a/b:c or a/b:c
 * (compile.c rule_paths): eval.c selects its elements by walking the tree
 * or the parse's list of elements instead of evaluating XPath. */
typedef struct sch_step {
    char *local;     /* local name */
    const char *uri; /* namespace URI of its prefix; NULL: no prefix, no namespace */
} sch_step;
typedef struct sch_path {
    sch_step *step;
    size_t n;
    int absolute; /* from the root: /a/b; else any a with a child b */
    int canon;    /* the same for paths that select the same elements (the
                   * same steps): eval.c selects them once per document */
} sch_path;

typedef struct sch_rule {
    char *id, *context, *role, *flag;
    char *select; /* context turned into a selection from the root */
    int expr;
    sch_path *paths; /* the context's union branches when each is a plain path */
    size_t npaths;   /* 0: the context is evaluated as XPath */
    int abstract;
    int resolving; /* cycle guard for extends */
    int resolved;
    sch_vec items; /* of sch_item* */
    sch_let **lets;
    size_t nlets;
    sch_assert **asserts;
    size_t nasserts;
    const char *file;
    long line;
} sch_rule;

typedef struct sch_param_pair {
    char *name, *value;
} sch_param_pair;

typedef struct sch_pattern {
    char *id, *is_a, *role;
    char *title, *doc; /* in the run language */
    char *source;      /* <sch:p class="source">, "" when none (rule docs) */
    char *documents;
    int documents_expr;
    int abstract;
    int active;
    int index;
    sch_vec rules;  /* of sch_rule*, concrete and abstract */
    sch_vec lets;   /* of sch_let* */
    sch_vec params; /* of sch_param_pair* (is-a instances) */
    const char *file;
    long line;
} sch_pattern;

typedef struct sch_phase {
    char *id;
    sch_vec lets;   /* of sch_let* */
    sch_vec active; /* of char* pattern ids */
    const char *file;
    long line;
} sch_phase;

typedef struct sch_expr {
    char *src;
    int use; /* 'c' rule context, 't' test, 'v' value-of, 0 else (sch_expr_uses) */
    const char *file;
    long line;
} sch_expr;

typedef struct sch_tier_value {
    char *tier, *value;
} sch_tier_value;

typedef struct sch_param_decl {
    sd_sch_param_info info;     /* public view (strings below) */
    const char *type;           /* @type: "number", "regex" or "text" (the default) */
    const char *min, *max;      /* @min, @max of a number: its allowed range, as written */
    double min_v, max_v;
    sd_sch_param_tier *tiers;
    const char *file;
    long line;
} sch_param_decl;

typedef struct sch_regex {
    char *pattern, *flags;
    pcre2_code *code;
    uint32_t hash; /* of pattern and flags, compared before them */
    unsigned uses; /* matches run in the interpreter so far */
    int jit;       /* JIT compilation done (or tried) */
} sch_regex;

/* A set of compiled expressions, one per thread at a time (see compile.c),
 * with what eval.c keeps in it from run to run (state, freed by state_free). */
typedef struct sch_inst {
    xmlXPathCompExprPtr *comp; /* NULL until first use (sch_inst_expr) */
    xmlXPathContextPtr cctx;   /* compiles at first use: the pack's namespaces */
    void *state;
    void (*state_free)(void *state);
    struct sch_inst *next;
} sch_inst;

struct sd_sch_pack {
    sch_arena arena;
    char *path;
    char *lang;      /* run language, never NULL ("zh" default) */
    char *phase;     /* chosen phase id, NULL for #ALL */
    char *tier;      /* forced tier or NULL */
    char *title;
    char *schema_version;
    char *query_binding;
    char *default_phase;
    sch_vec docs;    /* xmlDocPtr of every .sch read (freed at sd_sch_free) */

    sch_vec ns_prefix, ns_uri; /* char* each, from sch:ns */

    sch_vec schema_lets;   /* sch_let* */
    sch_vec phases;        /* sch_phase* */
    sch_vec patterns;      /* sch_pattern*, all read (incl. abstract) */
    sch_vec diags, props;  /* sch_diag* */
    sch_vec xdiags;        /* sch_diag*: copies made for is-a instances (expand.c) */

    /* after compile */
    sch_phase *phase_p;     /* active phase or NULL */
    sch_pattern **run;      /* active concrete patterns, in order */
    size_t nrun;
    sch_pattern **concrete; /* every concrete pattern (pattern lets are global) */
    size_t nconcrete;
    sch_let **globals;      /* schema, phase, pattern lets in evaluation order */
    size_t nglobals;
    sch_let **gmap;         /* lets visible everywhere, sorted by name */
    size_t ngmap;
    size_t nmemo;           /* memo classes of rule lets (sch_let.memo) */
    size_t nvmemo;          /* value-keyed classes (sch_let.vmemo) */
    sch_vec canon_paths;    /* sch_path*: one of each sch_path.canon */

    sch_expr *exprs;
    size_t nexprs, capexprs;

    /* sdl:param and sdl:tier-select */
    sch_vec param_decls;   /* sch_param_decl* */
    char *tier_select;
    int tier_select_expr;
    sd_sch_param *overrides;
    size_t noverrides;

    sd_sch_rule_info *rinfo;
    size_t nrinfo;

    /* sd_sch_options.trusted: checked when it was built (the embedded packs):
     * its XPath compiled and its literal patterns compiled at first use,
     * not all when it is loaded (see compile.c) */
    int trusted;

    pthread_mutex_t pool_mu;
    sch_inst *pool;
};

/* ---- parse.c --------------------------------------------------------- */

/* Reads the pack (file or memory) into pack's model.  Follows include and
 * extends/@href (loop-checked), resolves extends/@rule.  Errors: SD_ERULES with
 * file and line, SD_EIO when the top file cannot be read. */
sd_status sch_parse(sd_sch_pack *pack, const char *path, const char *bytes, size_t len,
                    sd_error *err);
/* Loads an XML file safely (no network, no DTD, no entities; DOCTYPE refused).
 * On failure returns NULL and writes a reason to why. */
xmlDocPtr sch_load_xml(const char *path, const char *bytes, size_t len, char *why,
                       size_t whylen);

/* ---- expand.c -------------------------------------------------------- */

/* Instantiates abstract patterns (is-a) by textual $param substitution. */
sd_status sch_expand(sd_sch_pack *pack, sd_error *err);
/* Replaces $name by value for each param (longest names first), as ISO 19757-3
 * says for abstract patterns.  Returns an arena string. */
char *sch_subst(sch_arena *a, const char *s, sch_param_pair **pp, size_t n);

/* ---- xplex.c --------------------------------------------------------- */

enum { TK_EOF, TK_STR, TK_NUM, TK_VAR, TK_NAME, TK_LP, TK_RP, TK_LB, TK_RB, TK_COMMA,
       TK_AT, TK_AXIS, TK_OP, TK_DOT, TK_OTHER };
typedef struct sch_tok {
    int kind;
    size_t start, len; /* into the expression text */
} sch_tok;
/* Tokenizes; returns the count (tokens in *out, malloc'd) or -1 on OOM. */
long sch_xp_lex(const char *s, sch_tok **out);
/* Turns an XSLT match pattern into an expression selecting the matching nodes
 * from the root: each top-level union branch that is relative gets "//".
 * Returns a malloc'd string or NULL on OOM. */
char *sch_xp_match_to_select(const char *pattern);
/* Walking tokens t of src in order with *depth starting at 0: true when t[i]
 * ends a top-level union branch (a "|" outside brackets, or the end). */
int sch_xp_branch_end(const char *src, const sch_tok *t, long i, int *depth);
/* Words for an xmlError code of the XPath domain. */
const char *sch_xpath_error_text(int code);

/* ---- rewrite.c ------------------------------------------------------ */

/* libxml2 hands every variable reference its own copy of the value (O(size)
 * per reference).  For the O(1) uses count($v), boolean($v), not($v),
 * string($v), number($v) this returns src with each such call replaced by a
 * reference in an internal namespace that eval.c answers from the stored
 * value without copying; NULL when nothing changes (or on OOM: then src is
 * used as it is).  compile.c compiles the result when it compiles, else src. */
#define SCH_CHEAP_PREFIX "sdlint-internal-"
#define SCH_CHEAP_NS "urn:sdlint:internal:"
char *sch_cheap_var_refs(const char *src);
/* The i-th function so rewritten (NULL past the last): eval.c registers a
 * namespace prefix for each. */
const char *sch_cheap_fn(size_t i);
/* The text compile.c compiles for expression i when it compiles (else src):
 * rule contexts as count(branch, 1) + ... (see eval.c), the rest with
 * sch_cheap_var_refs.  NULL when src is to be used as it is. */
char *sch_compile_text(const sd_sch_pack *pack, size_t i);
/* The variable name when src is nothing but "$name" (no prefix), else NULL
 * (malloc'd). */
char *sch_bare_var(const char *src);
/* Sets exprs[i].use for every expression: one walk of the rules and messages. */
void sch_expr_uses(sd_sch_pack *pack);

/* ---- compile.c ------------------------------------------------------- */

/* sch_let.shape: NORM normalize-space(X), NOSP translate(normalize-space(X),
 * ' ', ''), NUM number(X), STR string(X); X is @name (ATTR) or . (DOT). */
enum { LET_SHAPE_NONE, LET_SHAPE_STR_ATTR, LET_SHAPE_NORM_ATTR, LET_SHAPE_NOSP_ATTR,
       LET_SHAPE_NUM_ATTR, LET_SHAPE_NORM_DOT, LET_SHAPE_NOSP_DOT };

int sch_expr_add(sd_sch_pack *pack, const char *src, const char *file, long line);
sch_inst *sch_inst_get(const sd_sch_pack *pack, sd_error *err);
/* Expression i of in, compiled now if it was not yet: NULL with err and *st
 * set (SD_ERULES naming its .sch line, SD_ENOMEM) when it does not compile. */
xmlXPathCompExprPtr sch_inst_expr(const sd_sch_pack *pack, sch_inst *in, int i, sd_error *err,
                                  sd_status *st);
void sch_inst_put(const sd_sch_pack *pack, sch_inst *inst);
const char *sch_ns_lookup(const sd_sch_pack *pack, const char *prefix);

/* ---- regex.c --------------------------------------------------------- */

/* Checks that pattern compiles with XPath 2.0 flags into PCRE2 (UTF, UCP,
 * DOLLAR_ENDONLY; no JIT, the code is dropped): 0, or -1 with why filled. */
int sch_regex_check(const char *pattern, const char *flags, char *why, size_t whylen);
/* Called by compile.c for a literal pattern of a user's pack: SD_ERULES at
 * file:line when it does not compile.  Runs compile it at first use. */
sd_status sch_regex_literal(const char *pattern, const char *flags, const char *file, long line,
                            sd_error *err);

/* Limits on every match (see regex.c): a catastrophic pattern stops with an
 * error, not a hang; the JIT stack and the interpreter's heap stay bounded. */
#define SCH_REGEX_MATCH_LIMIT 2000000u
#define SCH_REGEX_DEPTH_LIMIT 1000000u
#define SCH_REGEX_HEAP_LIMIT_KIB 65536u            /* 64 MiB */
#define SCH_REGEX_JIT_STACK_MAX ((size_t)64 << 20) /* 64 MiB */

/* Matching for the runs of one thread, one run at a time. */
typedef struct sch_regex_env {
    sch_regex *rx;        /* patterns compiled so far (malloc'd) */
    size_t nrx, caprx;
    size_t last;          /* the entry sch_regex_get returned last */
    pcre2_match_context *mctx; /* the limits above, and the JIT stack */
    pcre2_jit_stack *jit;      /* NULL until a match outgrows PCRE2's default */
    size_t jit_size;
    size_t jit_max;            /* SCH_REGEX_JIT_STACK_MAX; tests lower it */
    unsigned long compiled;    /* patterns compiled so far (statistics) */
    unsigned long gen;         /* bumped when the cache starts afresh (sch_regex_at) */
} sch_regex_env;

/* 0, or -1 on OOM (e is then safe to free). */
int sch_regex_env_init(sch_regex_env *e);
void sch_regex_env_free(sch_regex_env *e);
/* The cached code, else compiles and caches it.
 * The code stays valid until the next call.  NULL on failure, with *st
 * (SD_ERULES: bad pattern, SD_ENOMEM) and why filled. */
const pcre2_code *sch_regex_get(sch_regex_env *e, const char *pattern, const char *flags,
                                sd_status *st, char *why, size_t whylen);
/* Entry i of the cache (what e->last was after a sch_regex_get), if the cache
 * has not started afresh since gen (e->gen then) and, unless pattern is NULL
 * (the caller knows it is the same: a literal), it holds pattern and flags:
 * a caller that keeps i and gen skips the lookup.  NULL when it is gone. */
const pcre2_code *sch_regex_at(sch_regex_env *e, size_t i, unsigned long gen,
                               const char *pattern, const char *flags);
/* pcre2_match under e's limits, growing the JIT stack or falling back to the
 * interpreter as regex.c says; JIT-compiles code (when it is what
 * sch_regex_get returned last) once it has been used often enough.  opts: 0 for a subject's first match, then
 * PCRE2_NO_UTF_CHECK (the first one validated the whole subject).  Returns
 * pcre2_match's code. */
int sch_regex_match(sch_regex_env *e, const pcre2_code *code, const char *s, size_t len,
                    size_t start, uint32_t opts, pcre2_match_data *md);

/* ---- params.c -------------------------------------------------------- */

/* Reads <sdl:param> and <sdl:tier-select> under sch:schema. */
sd_status sch_params_parse(sd_sch_pack *pack, xmlNodePtr el, const char *file,
                           sd_error *err);
const sch_param_decl *sch_param_find(const sd_sch_pack *pack, const char *name);
/* Checks the caller's overrides (SD_EINVAL when a name is unknown). */
sd_status sch_params_bind(sd_sch_pack *pack, const sd_sch_options *opt, sd_error *err);

/* ---- fn_regex.c ------------------------------------------------------ */

/* What the extension functions may use of a run, and nothing more: eval.c
 * fills it, keeps current and tier up to date, and registers the functions on
 * its XPath context with sch_register_functions. */
typedef struct sch_fn_env {
    sch_regex_env rx;
    const sd_sch_pack *pack;  /* param(): declarations and values (read-only) */
    const char *tier;         /* param(): the document's tier, or NULL */
    xmlNodePtr current;       /* current(): the node the evaluation started at */
    xmlDocPtr scratch;        /* owns tokenize()'s text nodes until the run ends */
    pcre2_match_data *md1;    /* matches(): one pair is all it reads; made once */
    xmlNodePtr holder;
    /* The error sink: called once per failure, before the XPath error. */
    void (*fail)(void *arg, sd_status code, const char *msg);
    void *fail_arg;
} sch_fn_env;

/* 0, or -1 on OOM (e is then safe to free). */
int sch_fn_env_init(sch_fn_env *e, const sd_sch_pack *pack,
                    void (*fail)(void *arg, sd_status code, const char *msg), void *fail_arg);
void sch_fn_env_free(sch_fn_env *e);
/* Ends a run: drops what belongs to its document (tokenize()'s text nodes);
 * the compiled patterns, match context and JIT stack stay for the next. */
void sch_fn_env_reset(sch_fn_env *e);
/* Appends replace()'s replacement rep for one match of s (md, rc: the match;
 * $N is group N, \$ and \\ literal): 0, or -1 on a bad replacement string. */
int sch_fn_expand_rep(sch_buf *out, const char *rep, const char *s, pcre2_match_data *md, int rc,
                      uint32_t ngroups);
/* Makes matches/replace/tokenize/param of SD_SCH_FN_NS and current() known to
 * ctx (as its function lookup, with e as the lookup data). */
void sch_register_functions(xmlXPathContextPtr ctx, sch_fn_env *e);

/* ---- xpn.c ----------------------------------------------------------- */

/* The pack's XPath evaluated natively for the subset packs are written in
 * (see xpn.c for what is in it and why the results are libxml2's). */
typedef struct sch_xpn sch_xpn;
/* Where a variable reference resolved last (eval.c's to fill and read). */
typedef struct sch_var_cache {
    const void *rule, *pat;
    int kind, idx;
} sch_var_cache;
/* The expression as a tree in arena a, or NULL when it uses anything outside
 * the subset (libxml2 then evaluates it) or on OOM.  Read-only once made. */
const sch_xpn *sch_xpn_compile(sch_arena *a, const char *src, const sd_sch_pack *pack);

/* Where evaluations keep their intermediate values: one per thread, released
 * at the end of each evaluation (nested ones, for lazy lets, included). */
typedef struct sch_xpn_scratch sch_xpn_scratch;
sch_xpn_scratch *sch_xpn_scratch_new(void);
void sch_xpn_scratch_free(sch_xpn_scratch *s);

typedef struct sch_xpn_env {
    sch_xpn_scratch *scratch;
    sch_fn_env *fn;        /* regex environment, sdl:param, the tier */
    xmlNodePtr current;    /* current() */
    /* The value of $name, borrowed (read, never changed or freed); NULL when
     * there is none or its evaluation failed, which failed() tells.  cache is
     * the reference's own (per thread, as the tree is), for var to keep where
     * the name resolved. */
    xmlXPathObjectPtr (*var)(void *arg, const char *name, sch_var_cache *cache);
    int (*failed)(void *arg);
    void *arg;
    unsigned long ops;     /* nodes visited, added to */
    unsigned long limit;   /* past it: SCH_XPN_PUNT (libxml2 reports the limit) */
    unsigned long run;     /* the run's serial on this thread: what a tree keeps
                            * of a document's nodes is good for that run only */
    sch_objpool *pool;     /* where sch_xpn_value takes its result objects */
    int oom;               /* set with SCH_XPN_FAIL when memory ran out */
} sch_xpn_env;

/* SCH_XPN_PUNT: nothing decided, evaluate with libxml2 (an error it reports,
 * or a case left to it); SCH_XPN_FAIL: the run failed (a variable's
 * evaluation, or env->oom). */
enum { SCH_XPN_OK = 0, SCH_XPN_PUNT = 1, SCH_XPN_FAIL = 2 };
int sch_xpn_bool(const sch_xpn *x, xmlNodePtr node, sch_xpn_env *env, int *out);
/* *out is a new object the caller frees (node-sets in document order). */
int sch_xpn_value(const sch_xpn *x, xmlNodePtr node, sch_xpn_env *env, xmlXPathObjectPtr *out);

/* ---- eval.c ---------------------------------------------------------- */

typedef struct sch_stats {
    unsigned long context_evals; /* rule-context evaluations */
    unsigned long listed;        /* of which read from the parse's list of elements */
    unsigned long rules_fired;   /* (node, rule) pairs fired */
    unsigned long tests;         /* assert/report tests evaluated */
    unsigned long ops;           /* XPath operations (libxml2's opCount) */
    unsigned long regex_compiled; /* patterns compiled (not found in the thread's cache) */
    unsigned long let_evals;     /* rule lets evaluated (not found memoised) */
} sch_stats;

typedef struct sch_run sch_run;

/* sd_sch_run with statistics (tests use them to prove linear behaviour). */
sd_status sch_run_ex(const sd_sch_pack *pack, xmlDocPtr doc, const char *display_path,
                     sd_diags *diags, sd_svrl **svrl, sch_stats *stats, sd_error *err);


/* ---- svrl.c ---------------------------------------------------------- */

/* The SVRL report being written (ISO 19757-3 Annex D). */
typedef struct sch_svrl {
    sd_svrl *out;     /* NULL when no report is wanted */
    sd_xpathloc *loc; /* made at the first location asked for */
    struct sch_svrl_memo *memo; /* the fixed bytes of rules and asserts written (svrl.c) */
} sch_svrl;
int sch_svrl_start(sch_svrl *s, const sd_sch_pack *pk); /* -1 on OOM */
void sch_svrl_free(sch_svrl *s); /* the report (unless taken) and the location memo */
int sch_svrl_failed(const sch_svrl *s); /* 1 after an allocation failed */
/* Writes the active-pattern; returns where its documents attribute goes. */
size_t sch_svrl_active_pattern(sch_svrl *s, const sch_pattern *p);
/* Sets the documents attribute of the active-pattern at `at` (NULL: none). */
void sch_svrl_documents(sch_svrl *s, size_t at, const char *documents);
void sch_svrl_fired_rule(sch_svrl *s, const sch_rule *ru, const char *document);
/* dtext: the texts of a's diagnostics, then of its properties; node: the
 * context node (its location is written in the ISO form); compact: its
 * location in the compact form, or NULL (the same text when no step of the
 * path is in a namespace). */
void sch_svrl_assert(sch_svrl *s, const sch_assert *a, xmlNodePtr node, const char *text,
                     char *const *dtext, const char *compact);

/* XPath location of a node (xpathloc.h), malloc'd; NULL on out of memory.
 * Positions are memoised in s for the whole run. */
char *sch_location(sch_svrl *s, xmlNodePtr n, sd_xpathloc_style style);
/* The same in scratch (see sd_xpathloc_path_in); NULL on out of memory. */
const char *sch_location_in(sch_svrl *s, xmlNodePtr n, sd_xpathloc_style style, sd_buf *scratch);

#endif
