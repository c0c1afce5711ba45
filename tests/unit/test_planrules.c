/*
 * test_planrules.c — the cross-document plan rules (src/planrules.h) on the
 * fixtures of tests/plans/ (written by tests/plans/gen.py): each case of
 * tests/plans/cases.txt loads a plan with its catalogue, parent plan and 三定
 * (resolved relative to the plan, as the plan loader will), runs
 * sd_planrules_check and compares the findings — with their related places —
 * with tests/plans/golden/NAME.txt.  SDLINT_GOLDEN_UPDATE=1 rewrites the
 * goldens (review the diff).  Beyond the goldens: the clean plan and every
 * passing example give nothing; a failing example gives findings of its own
 * rule only; every rule is documented with both examples embedded.
 * Run from the repository root (make check-unit does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libxml/tree.h>

#include "buf.h"
#include "load.h"
#include "planrules.h"
#include "ruledoc.h"
#include "sdlint.h"

typedef struct loaded {
    char *path;
    sd_source src;
    xmlDocPtr doc;
} loaded;

typedef struct plan_files {
    loaded plan, parent, catalogue;
    loaded sandings[64];
    char *ids[64];
    size_t n;
} plan_files;

static void load_one(const char *path, loaded *l)
{
    memset(l, 0, sizeof *l);
    l->path = strdup(path);
    sd_load_options o = {.positions = 1};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_load_read_file(path, &o, &l->src, &d, &err), SD_OK);
    if (l->src.bytes) {
        struct _xmlDoc *doc = NULL;
        assert_int_equal(sd_load_parse(&l->src, &o, &doc, &d, &err), SD_OK);
        l->doc = doc;
    }
    if (l->doc == NULL)
        fail_msg("%s: does not load", path);
    sd_diags_free(&d);
}

static void free_one(loaded *l)
{
    if (l->doc)
        sd_load_doc_free(l->doc);
    sd_source_free(&l->src);
    free(l->path);
    memset(l, 0, sizeof *l);
}

static char *resolve(const char *base, const char *href)
{
    const char *slash = strrchr(base, '/');
    size_t dl = slash ? (size_t)(slash - base + 1) : 0;
    char *r = malloc(dl + strlen(href) + 1);
    assert_non_null(r);
    memcpy(r, base, dl);
    strcpy(r + dl, href);
    return r;
}

static xmlNodePtr kid(xmlNodePtr p, const char *name)
{
    for (xmlNodePtr n = p ? p->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

static void load_ref(const char *plan, xmlNodePtr el, loaded *l)
{
    xmlChar *href = el ? xmlGetProp(el, (const xmlChar *)"href") : NULL;
    if (href == NULL)
        return;
    char *p = resolve(plan, (const char *)href);
    load_one(p, l);
    free(p);
    xmlFree(href);
}

static void load_plan(const char *path, plan_files *f)
{
    memset(f, 0, sizeof *f);
    load_one(path, &f->plan);
    xmlNodePtr root = xmlDocGetRootElement(f->plan.doc);
    load_ref(path, kid(root, "parentPlan"), &f->parent);
    load_ref(path, kid(root, "catalogueRef"), &f->catalogue);
    for (xmlNodePtr a = kid(root, "agenciesAfter") ? kid(root, "agenciesAfter")->children : NULL; a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *s = xmlGetProp(a, (const xmlChar *)"sanding");
        if (s == NULL)
            continue;
        assert_true(f->n < 64);
        char *p = resolve(path, (const char *)s);
        load_one(p, &f->sandings[f->n]);
        xmlChar *id = xmlGetProp(a, (const xmlChar *)"id");
        f->ids[f->n++] = strdup(id ? (const char *)id : "");
        xmlFree(id);
        free(p);
        xmlFree(s);
    }
}

static void free_plan(plan_files *f)
{
    free_one(&f->plan);
    free_one(&f->parent);
    free_one(&f->catalogue);
    for (size_t i = 0; i < f->n; i++) {
        free_one(&f->sandings[i]);
        free(f->ids[i]);
    }
}

static void run(const plan_files *f, sd_lang lang, sd_diags *d)
{
    sd_planrules_sanding s[64] = {{0}};
    for (size_t i = 0; i < f->n; i++) {
        s[i].agency_id = f->ids[i];
        s[i].sanding.file = f->sandings[i].path;
        s[i].sanding.doc = f->sandings[i].doc;
    }
    sd_planrules_input in = {
        .plan = {f->plan.path, f->plan.doc},
        .parent = {f->parent.path, f->parent.doc},
        .catalogue = {f->catalogue.path, f->catalogue.doc},
        .sandings = s,
        .nsandings = f->n,
    };
    sd_error err = {0};
    sd_diags_init(d);
    assert_int_equal(sd_planrules_check(&in, NULL, lang, d, &err), SD_OK);
    sd_diags_sort(d);
}

static void render(const sd_diags *d, sd_buf *b)
{
    for (size_t i = 0; i < d->count; i++) {
        const sd_finding *x = &d->items[i];
        sd_buf_printf(b, "%s:%ld:%ld: %s: %s [%s]\n", x->file, x->line, x->col, sd_severity_name(x->severity),
                      x->message, x->rule_id);
        for (size_t k = 0; k < x->nrelated; k++)
            sd_buf_printf(b, "  note: %s:%ld:%ld: %s\n", x->related[k].file, x->related[k].line,
                          x->related[k].col, x->related[k].message ? x->related[k].message : "");
    }
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    sd_buf b;
    sd_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        sd_buf_add(&b, tmp, n);
    fclose(fp);
    if (b.data == NULL)
        return strdup("");
    return b.data;
}

static void test_cases(void **state)
{
    (void)state;
    FILE *cf = fopen("tests/plans/cases.txt", "r");
    assert_non_null(cf);
    const char *update = getenv("SDLINT_GOLDEN_UPDATE");
    char line[1024];
    int failures = 0, cases = 0;
    while (fgets(line, sizeof line, cf)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char name[256], path[512], lang[16] = "";
        if (sscanf(line, "%255s %511s %15s", name, path, lang) < 2)
            continue;
        cases++;
        plan_files f;
        load_plan(path, &f);
        sd_diags d;
        run(&f, strcmp(lang, "en") == 0 ? SD_LANG_EN : SD_LANG_ZH, &d);
        sd_buf b;
        sd_buf_init(&b);
        render(&d, &b);
        const char *got = b.data ? b.data : "";

        /* Properties the goldens must have. */
        size_t nlen = strlen(name);
        if (strncmp(name, "clean", 5) == 0 || strncmp(name, "pass", 4) == 0 ||
            (nlen > 5 && strcmp(name + nlen - 5, "-pass") == 0)) {
            if (d.count)
                fail_msg("%s: expected no findings, got:\n%s", name, got);
        } else if (strncmp(name, "SD2", 3) == 0) {
            if (d.count == 0)
                fail_msg("%s: expected %.5s findings, got none", name, name);
            for (size_t i = 0; i < d.count; i++)
                if (strncmp(d.items[i].rule_id, name, 5) != 0)
                    fail_msg("%s: a finding of another rule:\n%s", name, got);
        }

        char gpath[600];
        snprintf(gpath, sizeof gpath, "tests/plans/golden/%s.txt", name);
        char *want = slurp(gpath);
        if (update && strcmp(update, "1") == 0) {
            if (want == NULL || strcmp(want, got) != 0) {
                FILE *g = fopen(gpath, "w");
                assert_non_null(g);
                fputs(got, g);
                fclose(g);
                printf("golden updated: %s\n", gpath);
            }
        } else if (want == NULL || strcmp(want, got) != 0) {
            printf("== %s (%s): findings differ from %s\n-- got:\n%s-- want:\n%s", name, path, gpath, got,
                   want ? want : "(no golden)\n");
            failures++;
        }
        free(want);
        sd_buf_free(&b);
        sd_diags_free(&d);
        free_plan(&f);
    }
    fclose(cf);
    assert_true(cases > 30);
    assert_int_equal(failures, 0);
}

static void test_related_locations(void **state)
{
    (void)state;
    /* A finding about two places points at the fix and names the other end. */
    plan_files f;
    load_plan("tests/plans/county/SD204-pair.xml", &f);
    sd_diags d;
    run(&f, SD_LANG_ZH, &d);
    assert_int_equal(d.count, 1);
    const sd_finding *x = &d.items[0];
    assert_string_equal(x->rule_id, "SD204");
    assert_non_null(strstr(x->file, "sanding-SD204-pair/zrzy.xml"));
    assert_true(x->line > 0 && x->col > 0);
    assert_non_null(x->location);
    assert_int_equal(x->nrelated, 1);
    assert_non_null(strstr(x->related[0].file, "sanding/czj.xml"));
    assert_true(x->related[0].line > 0);
    assert_non_null(strstr(x->message, "转出2名，转入3名"));
    assert_non_null(strstr(x->message, "康平县财政局"));
    assert_non_null(strstr(x->message, "康平县自然资源局"));
    sd_diags_free(&d);
    free_plan(&f);
}

static void test_findings_go_to_their_document(void **state)
{
    (void)state;
    /* A 三定 checked with its plan has its own result: its findings go there. */
    plan_files f;
    load_plan("tests/plans/county/SD213-admin.xml", &f);
    sd_diags plan_d, s_d[64], out;
    sd_diags_init(&plan_d);
    sd_diags_init(&out);
    sd_planrules_sanding s[64];
    for (size_t i = 0; i < f.n; i++) {
        sd_diags_init(&s_d[i]);
        s[i] = (sd_planrules_sanding){f.ids[i], {f.sandings[i].path, f.sandings[i].doc, &s_d[i]}};
    }
    sd_planrules_input in = {.plan = {f.plan.path, f.plan.doc, &plan_d},
                             .catalogue = {f.catalogue.path, f.catalogue.doc, NULL},
                             .parent = {f.parent.path, f.parent.doc, NULL}, .sandings = s, .nsandings = f.n};
    sd_error err = {0};
    assert_int_equal(sd_planrules_check(&in, NULL, SD_LANG_ZH, &out, &err), SD_OK);
    assert_int_equal(out.count, 0);
    assert_int_equal(plan_d.count, 0);
    size_t total = 0;
    for (size_t i = 0; i < f.n; i++) {
        for (size_t k = 0; k < s_d[i].count; k++)
            assert_string_equal(s_d[i].items[k].file, f.sandings[i].path);
        total += s_d[i].count;
        sd_diags_free(&s_d[i]);
    }
    assert_int_equal(total, 1);
    sd_diags_free(&plan_d);
    sd_diags_free(&out);
    free_plan(&f);
}

static void test_no_plan_no_findings(void **state)
{
    (void)state;
    sd_planrules_input in = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_planrules_check(&in, NULL, SD_LANG_ZH, &d, &err), SD_OK);
    assert_int_equal(d.count, 0);
    /* A plan alone (no catalogue, parent or 三定) is still checked. */
    plan_files f;
    memset(&f, 0, sizeof f);
    load_one("tests/plans/county/SD201-cap.xml", &f.plan);
    in.plan.file = f.plan.path;
    in.plan.doc = f.plan.doc;
    assert_int_equal(sd_planrules_check(&in, NULL, SD_LANG_ZH, &d, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "SD201");
    sd_diags_free(&d);
    /* The tier default backs a missing cap only. */
    sd_planrules_params p = {.agency_cap = 5};
    sd_diags_init(&d);
    assert_int_equal(sd_planrules_check(&in, &p, SD_LANG_ZH, &d, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.items[0].message, "超过限额12个"));
    sd_diags_free(&d);
    free_plan(&f);
}

/* A synthetic plan of n agencies, each with a 三定 of four functions, a
 * transfer and a division; returns the seconds one check takes (best of 3). */
static double time_plan(size_t n)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "<reformPlan xmlns='urn:sdlint:schema:1'><jurisdiction name='X县' tier='county'/>"
                    "<agencyCap>1</agencyCap><agenciesBefore>");
    for (size_t i = 0; i < n; i++)
        sd_buf_printf(&b, "<agency id='b%zu' name='X县旧局%zu' kind='government-department' disposition='abolished' adminPosts='5' "
                          "units='2'><levelPosts rank='股级' count='2'/></agency>", i, i);
    sd_buf_puts(&b, "</agenciesBefore><agenciesAfter>");
    for (size_t i = 0; i < n; i++)
        sd_buf_printf(&b, "<agency id='a%zu' name='X县新局%zu' kind='government-department' rank='正科级' "
                          "disposition='new' adminPosts='5' units='2' host='%s'><levelPosts rank='股级' count='2'/>"
                          "</agency>", i, i, i % 2 ? "a0" : "");
    sd_buf_puts(&b, "</agenciesAfter><transfers>");
    for (size_t i = 0; i < n; i++)
        sd_buf_printf(&b, "<transfer code='T%zu' name='职责%zu' from='b%zu' to='a%zu' adminPosts='1'/>", i, i, i, i);
    sd_buf_puts(&b, "</transfers><totals><before agencies='0'/><after agencies='0'/></totals></reformPlan>");
    xmlDocPtr plan = xmlReadMemory(b.data, (int)b.len, "plan.xml", NULL, XML_PARSE_NONET);
    assert_non_null(plan);
    xmlDocPtr *docs = calloc(n, sizeof *docs);
    sd_planrules_sanding *s = calloc(n, sizeof *s);
    char (*ids)[32] = calloc(n, sizeof *ids);
    assert_true(docs && s && ids);
    for (size_t i = 0; i < n; i++) {
        b.len = 0;
        sd_buf_printf(&b, "<sanding xmlns='urn:sdlint:schema:1'><agency name='X县新局%zu' kind='government-department' "
                          "rank='正科级'/><functions>", i);
        for (int k = 0; k < 4; k++)
            sd_buf_printf(&b, "<function code='F%zu-%d'>负责第%zu项第%d类事务。</function>", i, k, i, k);
        sd_buf_printf(&b, "<function>完成县委、县政府交办的其他任务。</function></functions><transfers>"
                          "<transferIn code='T%zu' name='职责%zu' from='X县旧局%zu' fromRef='b%zu' adminPosts='1'/>"
                          "</transfers><divisions><division name='d'><relatedAgency name='X县新局%zu'/><text>t</text>"
                          "</division></divisions></sanding>", i, i, i, i, (i * 7) % n);
        docs[i] = xmlReadMemory(b.data, (int)b.len, "s.xml", NULL, XML_PARSE_NONET);
        assert_non_null(docs[i]);
        snprintf(ids[i], sizeof ids[i], "a%zu", i);
        s[i].agency_id = ids[i];
        s[i].sanding.file = "s.xml";
        s[i].sanding.doc = docs[i];
    }
    sd_planrules_input in = {.plan = {"plan.xml", plan}, .sandings = s, .nsandings = n};
    double best = 1e9;
    for (int r = 0; r < 3; r++) {
        sd_diags d;
        sd_diags_init(&d);
        sd_error err = {0};
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_int_equal(sd_planrules_check(&in, NULL, SD_LANG_ZH, &d, &err), SD_OK);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (sec < best)
            best = sec;
        /* Only the cap and the stated counts are off: nothing scales with n. */
        for (size_t i = 0; i < d.count; i++)
            if (strcmp(d.items[i].rule_id, "SD201") && strcmp(d.items[i].rule_id, "SD211"))
                fail_msg("unexpected finding: %s %s", d.items[i].rule_id, d.items[i].message);
        sd_diags_free(&d);
    }
    for (size_t i = 0; i < n; i++)
        xmlFreeDoc(docs[i]);
    xmlFreeDoc(plan);
    free(docs);
    free(s);
    free(ids);
    sd_buf_free(&b);
    return best;
}

static void test_cost_is_not_quadratic(void **state)
{
    (void)state;
    /* Four times the agencies and functions: a linear-logarithmic check takes
     * about four times as long (five or six with cache effects), an all-pairs one
     * sixteen. */
    double small = time_plan(1500), big = time_plan(6000);
    printf("plan rules: 1,500 agencies %.4f s, 6,000 agencies %.4f s (×%.1f)\n", small, big,
           small > 0 ? big / small : 0);
    assert_true(big < 12 * (small > 1e-3 ? small : 1e-3));
}

static void test_sd205_boilerplate_with_two_sandings(void **state)
{
    (void)state;
    /* Two 三定 only (too few for "most 三定 carry it"): the closing item and a
     * duty about the agency's own house are still exempt; a real shared duty
     * is not. */
    const char *plan = "<reformPlan xmlns='urn:sdlint:schema:1'><jurisdiction name='X县' tier='county'/>"
                       "<agencyCap>9</agencyCap><agenciesAfter>"
                       "<agency id='a1' name='X县甲局' kind='government-department' rank='正科级' disposition='new'/>"
                       "<agency id='a2' name='X县乙局' kind='government-department' rank='正科级' disposition='new'/>"
                       "</agenciesAfter><totals><before agencies='2'/><after agencies='2'/></totals></reformPlan>";
    const char *fmt = "<sanding xmlns='urn:sdlint:schema:1'><agency name='X县%s局' kind='government-department' "
                      "rank='正科级'/><functions><function>负责本部门、本系统安全生产工作。</function>"
                      "<function>负责全县耕地保护。</function><function>完成县委、县政府交办的其他任务。</function>"
                      "</functions></sanding>";
    char a[1024], b[1024];
    snprintf(a, sizeof a, fmt, "甲");
    snprintf(b, sizeof b, fmt, "乙");
    xmlDocPtr dp = xmlReadMemory(plan, (int)strlen(plan), "p.xml", NULL, XML_PARSE_NONET);
    xmlDocPtr da = xmlReadMemory(a, (int)strlen(a), "a.xml", NULL, XML_PARSE_NONET);
    xmlDocPtr db = xmlReadMemory(b, (int)strlen(b), "b.xml", NULL, XML_PARSE_NONET);
    assert_true(dp && da && db);
    sd_planrules_sanding s[2] = {{"a1", {"a.xml", da, NULL}}, {"a2", {"b.xml", db, NULL}}};
    sd_planrules_input in = {.plan = {"p.xml", dp, NULL}, .sandings = s, .nsandings = 2};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_planrules_check(&in, NULL, SD_LANG_ZH, &d, &err), SD_OK);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "SD205");
    assert_string_equal(d.items[0].file, "b.xml");
    assert_int_equal(d.items[0].nrelated, 1);
    assert_string_equal(d.items[0].related[0].file, "a.xml");
    sd_diags_free(&d);
    xmlFreeDoc(dp);
    xmlFreeDoc(da);
    xmlFreeDoc(db);
}

static void test_odd_inputs(void **state)
{
    (void)state;
    /* Documents in the wrong roles, empty ones and missing attributes: no
     * crash, no finding about what is not there. */
    static const char *const texts[] = {
        "<reformPlan xmlns='urn:sdlint:schema:1'/>",
        "<reformPlan xmlns='urn:sdlint:schema:1'><agenciesAfter><agency/><agency id='x'><plate/><counterpart/>"
        "<coLocatedWith/><levelPosts/></agency></agenciesAfter><transfers count='x'><transfer/><transfer from='x' "
        "to='x'/></transfers><coordinationBodies count='1'><coordinationBody temporary='true'/></coordinationBodies>"
        "<totals><before/><after/><reduction><levelTotal/></reduction></totals></reformPlan>",
        "<catalogue xmlns='urn:sdlint:schema:1'><agency mandatory='true'><mayCombine/><mayBePlate/></agency></catalogue>",
        "<sanding xmlns='urn:sdlint:schema:1'><functions><function/><function code=''/></functions><transfers>"
        "<transferIn/><transferOut toRef='x'/></transfers><divisions><division><relatedAgency/></division>"
        "</divisions></sanding>",
    };
    enum { N = sizeof texts / sizeof texts[0] };
    xmlDocPtr d[N];
    for (size_t i = 0; i < N; i++) {
        d[i] = xmlReadMemory(texts[i], (int)strlen(texts[i]), "odd.xml", NULL, XML_PARSE_NONET);
        assert_non_null(d[i]);
    }
    for (size_t p = 0; p < N; p++)
        for (size_t q = 0; q < N; q++) {
            sd_planrules_sanding s[2] = {{"x", {"s.xml", d[q], NULL}}, {NULL, {"t.xml", d[p], NULL}}};
            sd_planrules_input in = {.plan = {"p.xml", d[p], NULL}, .parent = {"pp.xml", d[q], NULL},
                                     .catalogue = {"c.xml", d[q], NULL}, .sandings = s, .nsandings = 2};
            sd_diags out;
            sd_diags_init(&out);
            sd_error err = {0};
            assert_int_equal(sd_planrules_check(&in, NULL, SD_LANG_EN, &out, &err), SD_OK);
            for (size_t i = 0; i < out.count; i++)
                assert_true(out.items[i].message[0] != '\0');
            sd_diags_free(&out);
        }
    for (size_t i = 0; i < N; i++)
        xmlFreeDoc(d[i]);
}

static void test_every_rule_documented(void **state)
{
    (void)state;
    static const char *const ids[] = {"SD201", "SD202", "SD203", "SD204", "SD205", "SD206",
                                      "SD208", "SD209", "SD210", "SD211", "SD212", "SD213"};
    assert_int_equal(sd_planrules_doc_count(), sizeof ids / sizeof ids[0]);
    for (size_t i = 0; i < sd_planrules_doc_count(); i++) {
        const sd_planrules_ruledoc *r = sd_planrules_doc_at(i);
        assert_string_equal(r->id, ids[i]);
        assert_true(r->title_zh[0] && r->title_en[0] && r->doc_zh[0] && r->doc_en[0] && r->source[0]);
        assert_true(strcmp(r->title_zh, r->title_en) != 0);
        for (int w = 0; w < 2; w++) {
            sd_buf b;
            sd_buf_init(&b);
            if (!sd_ruledoc_builtin_example(r->id, w ? "pass" : "fail", &b) || b.len == 0)
                fail_msg("%s: no embedded rules/examples/%s-%s.xml excerpt", r->id, r->id, w ? "pass" : "fail");
            sd_buf_free(&b);
        }
    }
    assert_null(sd_planrules_doc_at(sd_planrules_doc_count()));
}

int main(void)
{
    sd_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_related_locations),
        cmocka_unit_test(test_findings_go_to_their_document),
        cmocka_unit_test(test_no_plan_no_findings),
        cmocka_unit_test(test_sd205_boilerplate_with_two_sandings),
        cmocka_unit_test(test_odd_inputs),
        cmocka_unit_test(test_every_rule_documented),
        cmocka_unit_test(test_cost_is_not_quadratic),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sd_cleanup();
    return rc;
}
