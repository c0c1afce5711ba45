/*
 * check.c — the pipeline for one input: read, parse safely, recognise the kind,
 * validate against its XSD, run the rules.  Stages only hand plain data
 * forward; each appends its findings to the result.
 */
#define _GNU_SOURCE /* memmem */
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "num.h"
#include "planrules.h"
#include "pos.h"
#include "summary.h"
#include "suppress.h"
#include "xsd.h"

#define MAX_PACKS 64

struct sd_checker {
    sd_checker_options opt;
    /* The embedded XSDs are compiled at the first document that needs them
     * (about 7 ms: most of the start-up of a run of user packs on other XML,
     * which never needs them); once, under the lock, for every thread. */
    pthread_mutex_t xsd_lock;
    int xsd_tried;
    sd_xsd_set *xsd;
    sd_error xsd_err; /* why the compilation failed, when it did */
    sd_sch_pack *packs[MAX_PACKS];
    size_t npacks;
    int user_packs; /* --rules given: run them on any XML */
};

int sd_checker_builtin_packs(const sd_checker *c)
{
    return !c->user_packs;
}

size_t sd_checker_pack_count(const sd_checker *c)
{
    return c->npacks;
}

const sd_sch_pack *sd_checker_pack_at(const sd_checker *c, size_t i)
{
    return i < c->npacks ? c->packs[i] : NULL;
}

static int declares(const sd_sch_pack *p, const char *name)
{
    for (size_t i = 0; i < sd_sch_param_count(p); i++)
        if (strcmp(sd_sch_param_at(p, i)->name, name) == 0)
            return 1;
    return 0;
}

/* Compiles one pack.  Overrides go only to the packs that declare them, so
 * that `--param` works when several packs are loaded: compile once without,
 * keep the declared ones, compile again if any. */
static sd_status compile_pack(sd_checker *c, const char *path, const sd_embedded_file *emb,
                              sd_sch_param *kept, int *used, sd_error *err)
{
    if (c->npacks == MAX_PACKS)
        return sd_error_set(err, SD_EINVAL, path, 0, "more than %d rule packs", MAX_PACKS);
    sd_sch_options so = {.phase = c->opt.phase, .lang = c->opt.lang == SD_LANG_EN ? "en" : "zh",
                         .tier = c->opt.tier, .trusted = emb != NULL};
    sd_sch_pack *p = NULL;
    for (int pass = 0; pass < 2; pass++) {
        sd_status st = emb ? sd_sch_compile_memory(emb->bytes, emb->len, path, &so, &p, err)
                           : sd_sch_compile_file(path, &so, &p, err);
        if (st != SD_OK)
            return st;
        if (pass == 1 || c->opt.param_count == 0)
            break;
        size_t n = 0;
        for (size_t i = 0; i < c->opt.param_count; i++)
            if (declares(p, c->opt.params[i].name)) {
                kept[n++] = c->opt.params[i];
                used[i] = 1;
            }
        if (n == 0)
            break;
        sd_sch_free(p);
        p = NULL;
        so.params = kept;
        so.param_count = n;
    }
    c->packs[c->npacks++] = p;
    return SD_OK;
}

static sd_status compile_packs(sd_checker *c, sd_error *err)
{
    size_t np = c->opt.param_count;
    sd_sch_param *kept = calloc(np ? np : 1, sizeof *kept);
    int *used = calloc(np ? np : 1, sizeof *used);
    sd_status st = (kept && used) ? SD_OK : sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    c->user_packs = c->opt.rule_file_count > 0;
    for (size_t i = 0; st == SD_OK && i < c->opt.rule_file_count; i++)
        st = compile_pack(c, c->opt.rule_files[i], NULL, kept, used, err);
    for (const sd_embedded_file *f = sd_embedded_files; st == SD_OK && !c->user_packs && f->name;
         f++) {
        size_t n = strlen(f->name);
        if (n > 4 && strcmp(f->name + n - 4, ".sch") == 0) {
            char path[256];
            snprintf(path, sizeof path, "rules/%s", f->name);
            const sd_embedded_file *lean =
                c->opt.no_docs && !c->opt.want_svrl ? sd_embedded_lean_pack(f->name, c->opt.lang) : NULL;
            st = compile_pack(c, path, lean ? lean : f, kept, used, err);
        }
    }
    for (size_t i = 0; st == SD_OK && i < c->opt.extra_rule_file_count; i++)
        st = compile_pack(c, c->opt.extra_rule_files[i], NULL, kept, used, err);
    for (size_t i = 0; st == SD_OK && i < np; i++)
        if (!used[i])
            st = sd_error_set(err, SD_EINVAL, NULL, 0,
                              c->opt.lang == SD_LANG_EN ? "unknown parameter %s: no rule pack declares it"
                                                        : "未知参数 %s：没有规则包声明它",
                              c->opt.params[i].name);
    free(kept);
    free(used);
    return st;
}

sd_status sd_checker_new(const sd_checker_options *opt, sd_checker **out, sd_error *err)
{
    *out = NULL;
    sd_checker *c = calloc(1, sizeof *c);
    if (c == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    c->opt = *opt;
    if (pthread_mutex_init(&c->xsd_lock, NULL) != 0) {
        free(c);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    locale_t previous = sd_num_c_locale_begin();
    sd_status st = compile_packs(c, err);
    sd_num_c_locale_end(previous);
    if (st != SD_OK) {
        sd_checker_free(c);
        return st;
    }
    *out = c;
    return SD_OK;
}

void sd_checker_free(sd_checker *c)
{
    if (c == NULL)
        return;
    sd_xsd_free(c->xsd);
    pthread_mutex_destroy(&c->xsd_lock);
    for (size_t i = 0; i < c->npacks; i++)
        sd_sch_free(c->packs[i]);
    free(c);
}

void sd_result_free(sd_result *res)
{
    sd_source_free(&res->src);
    sd_diags_free(&res->diags);
    sd_svrl_free(res->svrl);
    sd_load_doc_free(res->tree);
    sd_summary_info_free(res->info);
    memset(res, 0, sizeof *res);
}

/* The compiled XSDs, compiling them on first use; NULL with err set when
 * they do not compile (embedded: only when out of memory, or a broken build). */
static const sd_xsd_set *xsd_of(const sd_checker *cc, sd_error *err)
{
    sd_checker *c = (sd_checker *)cc; /* only the lazily made set changes, under the lock */
    pthread_mutex_lock(&c->xsd_lock);
    if (!c->xsd_tried) {
        c->xsd_tried = 1;
        memset(&c->xsd_err, 0, sizeof c->xsd_err);
        if (sd_xsd_compile(&c->xsd, &c->xsd_err) != SD_OK)
            c->xsd = NULL;
        sd_xsd_set_full_only(c->xsd, c->opt.xsd_full);
    }
    const sd_xsd_set *set = c->xsd;
    if (set == NULL && err != NULL)
        *err = c->xsd_err;
    pthread_mutex_unlock(&c->xsd_lock);
    return set;
}

static sd_status run_packs(const sd_checker *c, xmlDocPtr doc, sd_result *res, sd_error *err)
{
    for (size_t i = 0; i < c->npacks; i++) {
        sd_svrl *svrl = NULL;
        sd_status st = sd_sch_run(c->packs[i], doc, res->src.path, &res->diags,
                                  c->opt.want_svrl ? &svrl : NULL, err);
        if (st != SD_OK) {
            sd_svrl_free(svrl);
            /* the packs before this one reported: without this one the SVRL
             * would look complete, so the input has none (the command says
             * why on standard error) */
            sd_svrl_free(res->svrl);
            res->svrl = NULL;
            if (st == SD_ENOMEM)
                return st;
            /* A pack that fails on this input (a limit reached, a subordinate
             * document unreadable) leaves it unchecked; the run goes on. */
            res->parsed = 0;
            char where[1100] = "";
            if (err->file[0] && strstr(err->msg, err->file) != NULL)
                ; /* the message names its place already */
            else if (err->file[0] && err->line > 0)
                snprintf(where, sizeof where, "%s:%ld: ", err->file, err->line);
            else if (err->file[0])
                snprintf(where, sizeof where, "%s: ", err->file);
            sd_error failure = *err;
            return sd_diags_addf(&res->diags, err, st == SD_ELIMIT ? "SD004" : "SD001",
                                 SD_SEV_FATAL, res->src.path, 0, 0, NULL,
                                 c->opt.lang == SD_LANG_EN
                                     ? "not checked: the rule pack failed on this file: %s%s"
                                     : "未能检查：规则包在此文件上出错：%s%s",
                                 where, failure.msg) == SD_OK ? SD_OK : SD_ENOMEM;
        }
        if (svrl && res->svrl) {
            /* one report for all packs of the run (one svrl:schematron-output) */
            int mrc = sd_svrl_merge(res->svrl, svrl);
            if (mrc < 0)
                return sd_error_set(err, SD_ENOMEM, res->src.path, 0, "out of memory merging SVRL");
        } else if (svrl) {
            res->svrl = svrl;
        }
    }
    return SD_OK;
}

/* 0 when the parsed bytes hold no `<?sdlint` PI: then suppress.c need not
 * walk the whole tree looking for one (on a large document the walk, all
 * cache misses, cost a tenth of the run).  The bytes libxml2 parsed are UTF-8
 * (load.c decodes declared encodings first) unless it detected another
 * encoding itself (UTF-16 or UCS-4 without declaration, EBCDIC): the test is
 * made only when the first bytes are ASCII markup or a UTF-8 BOM. */
static int may_hold_directives(const sd_source *src, xmlDocPtr doc)
{
    /* The parse counted the PIs it delivered: no need to search the bytes. */
    long npis = sd_pos_doc_pi_count(doc);
    if (npis >= 0)
        return npis > 0;
    const unsigned char *b = (const unsigned char *)src->bytes;
    size_t n = src->len;
    if (b == NULL)
        return 1;
    size_t i = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t k = i; k < i + 4; k++)
        if (k >= n || b[k] == 0)
            return 1;
    if (b[i] != '<' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r')
        return 1;
    return memmem(b, n, "<?sdlint", 8) != NULL;
}

/* A result with findings gets its source's line index, for the excerpts
 * the report quotes (sd_source_line); one without needs none, and most
 * documents of a batch have none (load.c no longer makes it for every
 * document: a pass over the bytes and an allocation each). */
static void index_if_reported(sd_result *res)
{
    if (res->diags.count > 0 && res->src.bytes != NULL && res->src.line_starts == NULL)
        (void)sd_source_index(&res->src);
}

struct sd_checker_cache {
    sd_load_parser *parser;
    sd_xsd_validators *vals;
    sd_plan_cache *docs;
};

sd_checker_cache *sd_checker_cache_new(void)
{
    sd_checker_cache *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->parser = sd_load_parser_new();
    k->vals = sd_xsd_validators_new();
    k->docs = sd_plan_cache_new();
    if (k->parser == NULL || k->vals == NULL || k->docs == NULL) {
        sd_checker_cache_free(k);
        return NULL;
    }
    return k;
}

void sd_checker_cache_free(sd_checker_cache *k)
{
    if (k == NULL)
        return;
    /* the documents first: their trees hold the parser's dictionary */
    sd_plan_cache_free(k->docs);
    sd_xsd_validators_free(k->vals);
    sd_load_parser_free(k->parser);
    free(k);
}

/* What sd_checker_check_plan adds: its options and where members go. */
typedef struct plan_ctx {
    const sd_plan_options *opt;
    sd_plan_member *members;
    size_t count;
    sd_checker_cache *cache; /* the thread's, or NULL */
} plan_ctx;

/* Everything after reading: parse, kind, schema, rules (and a plan's documents). */
static sd_status check_source_c(const sd_checker *c, sd_status st, sd_result *res, plan_ctx *pc,
                                sd_error *err);

/* The host program's locale may have a decimal comma: run every stage in the
 * C locale on this thread (libxml2 formats XPath numbers with printf). */
static sd_status check_source(const sd_checker *c, sd_status st, sd_result *res, plan_ctx *pc,
                              sd_error *err)
{
    locale_t previous = sd_num_c_locale_begin();
    st = check_source_c(c, st, res, pc, err);
    sd_num_c_locale_end(previous);
    return st;
}

/* Schema and rules on a parsed document (suppressions are applied by the caller). */
static sd_status check_parsed(const sd_checker *c, sd_checker_cache *cache, xmlDocPtr doc,
                              sd_result *res, sd_error *err)
{
    res->parsed = 1;
    res->kind = sd_kind_of(doc);
    sd_status st = SD_OK;
    /* Our kinds get their XSD; other XML is an error only without user packs. */
    if (res->kind != SD_KIND_OTHER || !c->user_packs) {
        const sd_xsd_set *xsd = xsd_of(c, err);
        st = xsd ? sd_xsd_validate_with(xsd, cache ? cache->vals : NULL, doc, &res->src, c->opt.lang,
                                        &res->diags, err)
                 : (err && err->code ? err->code : SD_ESCHEMA);
    }
    /* Rules run on schema-valid documents only: on an invalid one they would
     * mostly repeat the schema errors in vaguer words. */
    int valid = res->diags.count == 0;
    if (st == SD_OK && valid && (res->kind != SD_KIND_OTHER || c->user_packs))
        st = run_packs(c, doc, res, err);
    return st;
}

/* The 三定 a plan loaded become members, checked with the plan's checker: the
 * source moves into the member's result, the tree stays with the plan.  A file
 * that could not be parsed is a member too, with its own input findings.
 * member_of[i] is the member index of document i, or -1. */
static sd_status check_members(const sd_checker *c, sd_plan *plan, plan_ctx *pc, long *member_of,
                               sd_error *err)
{
    size_t n = sd_plan_doc_count(plan);
    pc->members = calloc(n ? n : 1, sizeof *pc->members);
    if (pc->members == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    sd_status st = SD_OK;
    for (size_t i = 0; i < n && st == SD_OK; i++) {
        sd_plan_doc *d = sd_plan_doc_at(plan, i);
        member_of[i] = -1;
        if (d->role != SD_PLAN_ROLE_SANDING || (d->doc != NULL && d->kind != SD_KIND_SANDING))
            continue;
        member_of[i] = (long)pc->count;
        sd_plan_member *m = &pc->members[pc->count++];
        m->dev = d->dev;
        m->ino = d->ino;
        m->res.src = d->src;
        memset(&d->src, 0, sizeof d->src);
        m->res.diags = d->diags;
        sd_diags_init(&d->diags);
        if (d->doc != NULL)
            st = check_parsed(c, pc->cache, d->doc, &m->res, err);
        if (d->doc != NULL && st == SD_OK)
            m->res.info = sd_summary_info_of(d->doc, m->res.kind, &m->res.src);
    }
    return st;
}

/* The cross-document rules (planrules.h) over the loaded plan: with the
 * built-in packs, on a plan that passed its schema (as the single-document
 * rules run on valid documents only).  A finding about a 三定 goes to that
 * 三定's result. */
static sd_status check_plan_rules(const sd_checker *c, xmlDocPtr doc, sd_plan *plan,
                                  plan_ctx *pc, const long *member_of, sd_result *res,
                                  sd_error *err)
{
    for (size_t i = 0; i < res->diags.count; i++)
        if (strcmp(res->diags.items[i].rule_id, "SD002") == 0)
            return SD_OK;
    size_t na = sd_plan_agency_count(plan);
    sd_planrules_sanding *sd = calloc(na ? na : 1, sizeof *sd);
    if (sd == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    sd_planrules_input in = {.plan = {.file = res->src.path, .doc = doc, .diags = &res->diags},
                             .sandings = sd};
    sd_plan_doc *parent = sd_plan_parent(plan), *cat = sd_plan_catalogue(plan);
    if (parent)
        in.parent = (sd_planrules_file){.file = parent->src.path, .doc = parent->doc};
    if (cat)
        in.catalogue = (sd_planrules_file){.file = cat->src.path, .doc = cat->doc};
    for (size_t i = 0; i < na; i++) {
        const sd_plan_agency *a = sd_plan_agency_at(plan, i);
        if (!a->after || a->doc < 0 || member_of[a->doc] < 0)
            continue;
        sd_plan_doc *d = sd_plan_doc_at(plan, (size_t)a->doc);
        sd_plan_member *m = &pc->members[member_of[a->doc]];
        if (d->doc == NULL || d->kind != SD_KIND_SANDING)
            continue;
        sd[in.nsandings++] = (sd_planrules_sanding){
            .agency_id = a->id,
            .sanding = {.file = m->res.src.path, .doc = d->doc, .diags = &m->res.diags}};
    }
    sd_status st = sd_planrules_check(&in, NULL, c->opt.lang, &res->diags, err);
    free(sd);
    return st;
}

/* A plan's references, its members and the plan rules; then every member's
 * suppressions (after the plan rules, which may report about a member). */
static sd_status check_plan(const sd_checker *c, xmlDocPtr doc, sd_result *res, plan_ctx *pc,
                            sd_error *err)
{
    sd_plan_options po = *pc->opt;
    po.lang = c->opt.lang;
    po.max_bytes = c->opt.max_bytes;
    if (pc->cache != NULL) {
        po.cache = pc->cache->docs;
        po.parser = pc->cache->parser;
    }
    sd_plan *plan = NULL;
    sd_status st = sd_plan_load(&po, res->src.path, doc, &plan, &res->diags, err);
    size_t n = st == SD_OK ? sd_plan_doc_count(plan) : 0;
    long *member_of = st == SD_OK ? calloc(n ? n : 1, sizeof *member_of) : NULL;
    if (st == SD_OK && member_of == NULL)
        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    if (st == SD_OK)
        st = check_members(c, plan, pc, member_of, err);
    if (st == SD_OK && sd_checker_builtin_packs(c))
        st = check_plan_rules(c, doc, plan, pc, member_of, res, err);
    for (size_t i = 0; i < n && st == SD_OK; i++) {
        if (member_of[i] < 0)
            continue;
        sd_plan_member *m = &pc->members[member_of[i]];
        sd_plan_doc *d = sd_plan_doc_at(plan, i);
        if (d->doc != NULL && may_hold_directives(&m->res.src, d->doc))
            st = sd_suppress_apply(d->doc, m->res.src.path, c->opt.lang, &m->res.diags, err);
        index_if_reported(&m->res);
        sd_diags_sort(&m->res.diags);
    }
    free(member_of);
    sd_plan_free(plan);
    return st;
}

static sd_status check_source_c(const sd_checker *c, sd_status st, sd_result *res, plan_ctx *pc,
                                sd_error *err)
{
    sd_checker_cache *cache = pc != NULL ? pc->cache : NULL;
    /* res->src lives as long as the tree (freed here, or with it in sd_result_free) */
    sd_load_options lo = {.max_bytes = c->opt.max_bytes, .lang = c->opt.lang,
                          .positions = SD_LOAD_POSITIONS_LAZY, .parser = cache ? cache->parser : NULL};
    xmlDocPtr doc = NULL;
    if (st == SD_OK)
        st = sd_load_parse(&res->src, &lo, &doc, &res->diags, err);
    if (st == SD_OK && doc != NULL) {
        st = check_parsed(c, cache, doc, res, err);
        /* A plan's references are loaded whether or not the plan is valid:
         * SD207 needs only the referring attributes, and a reference problem
         * is worth knowing beside a schema error. */
        if (st == SD_OK && pc != NULL && res->kind == SD_KIND_PLAN)
            st = check_plan(c, doc, res, pc, err);
        if (st == SD_OK && may_hold_directives(&res->src, doc))
            st = sd_suppress_apply(doc, res->src.path, c->opt.lang, &res->diags, err);
        if (st == SD_OK)
            res->info = sd_summary_info_of(doc, res->kind, &res->src);
    }
    if (c->opt.keep_tree)
        res->tree = doc;
    else
        sd_load_doc_free(doc);
    index_if_reported(res);
    sd_diags_sort(&res->diags);
    return st;
}

sd_status sd_checker_check(const sd_checker *c, const char *path, sd_result *res, sd_error *err)
{
    memset(res, 0, sizeof *res);
    sd_diags_init(&res->diags);
    sd_load_options lo = {.max_bytes = c->opt.max_bytes, .lang = c->opt.lang};
    /* "-" is a file name here: the library never reads the process's standard
     * input; a caller that wants it reads the bytes (sd_checker_check_memory). */
    sd_status st = sd_load_read_file(path, &lo, &res->src, &res->diags, err);
    return check_source(c, st, res, NULL, err);
}

sd_status sd_checker_check_plan(const sd_checker *c, const char *path, const sd_plan_options *popt,
                                sd_result *res, sd_plan_member **members, size_t *nmembers,
                                sd_error *err)
{
    return sd_checker_check_plan_cached(c, NULL, path, popt, res, members, nmembers, err);
}

sd_status sd_checker_check_plan_cached(const sd_checker *c, sd_checker_cache *cache,
                                       const char *path, const sd_plan_options *popt,
                                       sd_result *res, sd_plan_member **members, size_t *nmembers,
                                       sd_error *err)
{
    *members = NULL;
    *nmembers = 0;
    memset(res, 0, sizeof *res);
    sd_diags_init(&res->diags);
    sd_load_options lo = {.max_bytes = c->opt.max_bytes, .lang = c->opt.lang};
    plan_ctx pc = {.opt = popt, .cache = cache};
    sd_status st = sd_load_read_file(path, &lo, &res->src, &res->diags, err);
    st = check_source(c, st, res, &pc, err);
    *members = pc.members;
    *nmembers = pc.count;
    return st;
}

void sd_plan_members_free(sd_plan_member *members, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sd_result_free(&members[i].res);
    free(members);
}

sd_status sd_checker_check_memory(const sd_checker *c, const char *display, const char *bytes,
                                  size_t len, sd_result *res, sd_error *err)
{
    memset(res, 0, sizeof *res);
    sd_diags_init(&res->diags);
    res->src.path = strdup(display);
    res->src.bytes = malloc(len + 1);
    if (res->src.path == NULL || res->src.bytes == NULL)
        return sd_error_set(err, SD_ENOMEM, display, 0, "out of memory");
    memcpy(res->src.bytes, bytes, len);
    res->src.bytes[len] = '\0';
    res->src.len = len;
    size_t max = c->opt.max_bytes ? c->opt.max_bytes : SD_LOAD_DEFAULT_MAX_BYTES;
    sd_status st = SD_OK;
    if (len > max) {
        free(res->src.bytes);
        res->src.bytes = NULL;
        res->src.len = 0;
        st = sd_diags_addf(&res->diags, err, "SD004", SD_SEV_FATAL, display, 0, 0, NULL,
                           c->opt.lang == SD_LANG_EN ? "input exceeds the size limit of %zu bytes; refused"
                                                     : "输入超过大小上限 %zu 字节，拒绝检查",
                           max);
    }
    return check_source(c, st, res, NULL, err);
}
