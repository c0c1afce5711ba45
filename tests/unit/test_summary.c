/*
 * test_summary.c — the audit summary per jurisdiction (summary.h): a plan's
 * stated figures read from its bytes, unstated ones null, the tree by
 * parentPlan (paths normalised) and else by code, a loop of parent plans cut,
 * counted findings only, hostile names escaped in JSON, and the HTML page
 * fed through the formatter interface well-formed with one data and one code
 * script whatever the names hold; a sharded run's parts added up into the
 * summary of the whole run, and parts that are not ours refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/parser.h>

#include "load.h"
#include "out.h"
#include "summary.h"

static void make(sd_result *r, const char *path, sd_kind kind, const char *xml)
{
    memset(r, 0, sizeof *r);
    r->src.path = strdup(path);
    r->src.bytes = (unsigned char *)strdup(xml);
    r->src.len = strlen(xml);
    r->kind = kind;
    r->parsed = 1;
    sd_diags_init(&r->diags);
}

static void finding(sd_result *r, const char *rule, sd_severity sev, int suppressed)
{
    sd_error err;
    assert_int_equal(sd_diags_addf(&r->diags, &err, rule, sev, r->src.path, 3, 1, NULL, "m <%s>", rule),
                     SD_OK);
    r->diags.items[r->diags.count - 1].suppressed = suppressed;
}

static char *plan(const char *name, const char *code, const char *parent, const char *extra)
{
    static const char fmt[] =
        "<reformPlan xmlns=\"urn:sdlint:schema:1\"><meta/>"
        "<jurisdiction name=\"%s\" code=\"%s\" tier=\"county\"/>%s%s%s"
        "<agencyCap> 32 </agencyCap>%s"
        "<agenciesBefore><agency><levelPosts rank=\"X\" count=\"99\"/></agency></agenciesBefore>"
        "<totals><before agencies=\"32\" adminPosts=\"700\" units=\"140\"><levelTotal rank=\"股级\" count=\"140\"/>"
        "</before><after agencies=\"30\" units=\"120\"><levelTotal rank=\"股级\" count=\"120\"/>"
        "<levelTotal rank=\"副科级\" count=\"4\"/></after>"
        "<reduction agencies=\"2\"><levelTotal rank=\"股级\" count=\"20\"/></reduction></totals></reformPlan>";
    size_t n = sizeof fmt + strlen(name) + strlen(code) + (parent ? strlen(parent) : 0) + strlen(extra) + 64;
    char *s = malloc(n);
    snprintf(s, n, fmt, name, code, parent ? "<parentPlan href=\"" : "", parent ? parent : "",
             parent ? "\"><title/></parentPlan>" : "", extra);
    return s;
}

static void take(sd_audit_summary *s, const char *path, sd_kind kind, char *xml, const char *rule,
                 int suppressed)
{
    sd_result r;
    make(&r, path, kind, xml);
    free(xml);
    if (rule)
        finding(&r, rule, SD_SEV_ERROR, suppressed);
    sd_summary_take(s, &r, SD_SEV_INFO);
    sd_result_free(&r);
}

static void test_tree_and_figures(void **state)
{
    (void)state;
    sd_audit_summary *s = sd_summary_new();
    assert_non_null(s);
    /* Input order is not tree order: a county first, its city later. */
    take(s, "p/c1/k1/plan.xml", SD_KIND_PLAN, plan("甲县", "430121", "./../plan.xml", ""), "SD201", 0);
    take(s, "p/c1/k1/a.xml", SD_KIND_SANDING,
         strdup("<sanding xmlns=\"urn:sdlint:schema:1\"><meta/><jurisdiction name=\"甲县\" code=\"430121\" "
                "tier=\"county\"/></sanding>"),
         "SD102", 1); /* suppressed: not counted */
    take(s, "p/c1/plan.xml", SD_KIND_PLAN, plan("乙市", "430100", NULL, "<adminPostsCap>9</adminPostsCap>"),
         NULL, 0);
    /* No plan for this county: under its city by code. */
    take(s, "p/c1/k2/b.xml", SD_KIND_SANDING,
         strdup("<sanding xmlns=\"urn:sdlint:schema:1\"><meta/><jurisdiction name=\"丙县\" code=\"430122\" "
                "tier=\"county\"/></sanding>"),
         "SD110", 0);
    /* Not well-formed: no jurisdiction. */
    take(s, "p/x.xml", SD_KIND_OTHER, strdup("<a"), "SD001", 0);
    sd_summary_finish(s);
    assert_int_equal(s->nnodes, 4);
    assert_string_equal(s->nodes[0].code, "");
    assert_string_equal(s->nodes[1].code, "430100");
    assert_string_equal(s->nodes[2].code, "430121");
    assert_string_equal(s->nodes[3].code, "430122");
    assert_int_equal(s->nodes[2].parent, 1);
    assert_int_equal(s->nodes[3].parent, 1);
    assert_int_equal(s->nodes[2].depth, 1);
    const sd_summary_node *k = &s->nodes[2];
    assert_int_equal(k->files, 2);
    assert_int_equal(k->by_severity[SD_SEV_ERROR], 1);
    assert_int_equal(k->nfindings, 1);
    assert_int_equal(k->agency_cap, 32);
    assert_int_equal(k->admin_cap, SD_SUMMARY_UNSTATED);
    assert_int_equal(k->agencies_before, 32);
    assert_int_equal(k->agencies_after, 30);
    assert_int_equal(k->admin_before, 700);
    assert_int_equal(k->admin_after, SD_SUMMARY_UNSTATED);
    assert_int_equal(k->nlevels, 2); /* the agencies' levelPosts and the reduction are not totals */
    assert_string_equal(k->levels[0].rank, "股级");
    assert_int_equal(k->levels[0].before, 140);
    assert_int_equal(k->levels[0].after, 120);
    assert_int_equal(k->levels[1].before, SD_SUMMARY_UNSTATED);
    assert_int_equal(k->levels[1].after, 4);
    assert_int_equal(s->nodes[1].admin_cap, 9);
    sd_buf b;
    sd_buf_init(&b);
    sd_summary_json(s, &b, "  ");
    assert_false(sd_buf_failed(&b));
    assert_non_null(strstr(b.data, "\"code\": \"430121\", \"name\": \"甲县\", \"tier\": \"county\", "
                                   "\"parent\": \"430100\", \"depth\": 1, \"plan\": \"p/c1/k1/plan.xml\", "
                                   "\"files\": 2, \"findings\": {\"fatal\": 0, \"error\": 1"));
    assert_non_null(strstr(b.data, "\"adminPostsCap\": null"));
    assert_non_null(strstr(b.data, "{\"rank\": \"副科级\", \"before\": null, \"after\": 4}"));
    assert_null(strstr(b.data, "SD102"));
    sd_buf_free(&b);
    sd_summary_free(s);
}

static void test_loop_and_hostile(void **state)
{
    (void)state;
    sd_audit_summary *s = sd_summary_new();
    take(s, "a/plan.xml", SD_KIND_PLAN, plan("A", "111111", "../b/plan.xml", ""), NULL, 0);
    take(s, "b/plan.xml", SD_KIND_PLAN, plan("B", "222222", "../a/plan.xml", ""), NULL, 0);
    take(s, "c/plan.xml", SD_KIND_PLAN, plan("&lt;/script&gt;&quot;\xe2\x80\xae", "333333", NULL,
                                              "<agencyCap>x</agencyCap>"),
         "SD201", 0);
    sd_summary_finish(s);
    assert_int_equal(s->nnodes, 3);
    /* The loop is cut at its first plan: A a root, B under it. */
    assert_string_equal(s->nodes[0].code, "111111");
    assert_int_equal(s->nodes[0].parent, -1);
    assert_string_equal(s->nodes[1].code, "222222");
    assert_int_equal(s->nodes[1].parent, 0);
    assert_int_equal(s->nodes[2].parent, -1);
    sd_buf b;
    sd_buf_init(&b);
    sd_summary_json(s, &b, "  ");
    assert_non_null(strstr(b.data, "\"name\": \"</script>\\\""));
    sd_buf_free(&b);
    sd_summary_free(s);
}

static char *sanding(const char *name, const char *code)
{
    char *x = malloc(256 + strlen(name));
    snprintf(x, 256 + strlen(name),
             "<sanding xmlns=\"urn:sdlint:schema:1\"><meta/><jurisdiction name=\"%s\" code=\"%s\" "
             "tier=\"county\"/></sanding>", name, code);
    return x;
}

/* Document k of a run of 8, given to the summary s. */
static void doc(sd_audit_summary *s, int k)
{
    switch (k) {
    case 0: take(s, "a/plan.xml", SD_KIND_PLAN, plan("A", "111111", "../b/plan.xml", ""), "SD201", 0); break;
    case 1: take(s, "b/plan.xml", SD_KIND_PLAN, plan("B", "222222", "../a/plan.xml", ""), NULL, 0); break;
    case 2: take(s, "c/x.xml", SD_KIND_SANDING, sanding("丙\\&quot;县\xe2\x80\xae\xf0\x9f\x98\x80", "430122"), "SD110", 0); break;
    case 3: take(s, "c/y.xml", SD_KIND_SANDING, sanding("", "430122"), "SD110", 0); break;
    case 4: take(s, "c/plan.xml", SD_KIND_PLAN, plan("丙县", "430122", NULL, ""), "SD203", 0); break;
    case 5: take(s, "d/plan.xml", SD_KIND_PLAN, plan("又一个", "430122", NULL, "<adminPostsCap>7</adminPostsCap>"), NULL, 0); break;
    case 6: take(s, "c/z.xml", SD_KIND_SANDING, sanding("丁县", "430122"), "SD101", 1); break;
    default: take(s, "e/w.xml", SD_KIND_OTHER, strdup("<a"), "SD001", 0); break;
    }
}

static char *json_of(sd_audit_summary *s)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_summary_json(s, &b, "  ");
    assert_false(sd_buf_failed(&b));
    return b.data;
}

static void test_parts(void **state)
{
    (void)state;
    sd_audit_summary *whole = sd_summary_new(), *sh[2] = {sd_summary_new(), sd_summary_new()};
    /* The shards take the run's documents in its order, each its own. */
    static const int shard_of[8] = {1, 0, 1, 0, 0, 1, 1, 0};
    size_t place[2][8], np[2] = {0, 0};
    for (int k = 0; k < 8; k++) {
        doc(whole, k);
        doc(sh[shard_of[k]], k);
        place[shard_of[k]][np[shard_of[k]]++] = (size_t)k;
    }
    char *want = json_of(whole);
    sd_audit_summary *merged = sd_summary_new();
    for (int i = 1; i >= 0; i--) { /* shards in any order */
        sd_buf b;
        sd_buf_init(&b);
        sd_summary_parts_json(sh[i], &b, "    ");
        assert_false(sd_buf_failed(&b));
        size_t parts = 0;
        for (char *line = strtok(b.data, "\n"); line != NULL; line = strtok(NULL, "\n")) {
            if (strncmp(line, "    {", 5) != 0)
                continue;
            size_t len = strlen(line);
            if (line[len - 1] == ',')
                line[len - 1] = '\0';
            const char *why = NULL;
            assert_int_equal(sd_summary_part_add(merged, line + 4, place[i], np[i], &why), 0);
            parts++;
        }
        assert_int_equal(parts, sh[i]->nnodes);
        sd_buf_free(&b);
    }
    sd_summary_parts_done(merged);
    char *got = json_of(merged);
    assert_string_equal(got, want);
    /* the later non-empty name, the first plan's figures, every count */
    assert_non_null(strstr(want, "\"name\": \"丁县\""));
    assert_non_null(strstr(want, "\"plan\": \"c/plan.xml\""));
    free(want);
    free(got);

    /* Lines that are not parts are refused, and leave no node. */
    static const char *const bad[] = {
        "",
        "{\"first\": 0}",
        "{\"first\": 9, \"code\": \"1\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": null, \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": 1, \"severity\": [0, 0, 0, 0], \"rules\": []}",
        "{\"first\": 0, \"code\": \"1\\ud800\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": null, \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": 1, \"severity\": [0, 0, 0, 0], \"rules\": []}",
        "{\"first\": 0, \"code\": \"1\\u0000\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": null, \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": 1, \"severity\": [0, 0, 0, 0], \"rules\": []}",
        "{\"first\": 0, \"code\": \"1\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": \"p\", \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": 1, \"severity\": [0, 0, 0, 0], \"rules\": []}",
        "{\"first\": 0, \"code\": \"1\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": null, \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": -5, \"severity\": [0, 0, 0, 0], \"rules\": []}",
        "{\"first\": 0, \"code\": \"1\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": null, \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": 1, \"severity\": [0, 0, 0, 0], \"rules\": [[\"SD1\", 1, 0, 0]]}",
        "{\"first\": 0, \"code\": \"1\", \"name\": \"\", \"nameAt\": -1, \"tier\": \"\", \"tierAt\": -1, \"plans\": 0, \"plan\": null, \"planAt\": -1, \"parentHref\": null, \"figures\": [-1, -1, -1, -1, -1, -1, -1, -1], \"levels\": [], \"files\": 1, \"severity\": [0, 0, 0, 0], \"rules\": []} ",
    };
    size_t one = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sd_audit_summary *t = sd_summary_new();
        const char *why = NULL;
        assert_int_equal(sd_summary_part_add(t, bad[i], &one, 1, &why), -1);
        assert_non_null(why);
        sd_summary_free(t);
    }
    sd_summary_free(whole);
    sd_summary_free(sh[0]);
    sd_summary_free(sh[1]);
    sd_summary_free(merged);
}

static void test_html_page(void **state)
{
    (void)state;
    sd_out_options o = {.lang = SD_LANG_EN, .version = "t"};
    o.jurisdictions = sd_summary_new();
    sd_buf b;
    sd_buf_init(&b);
    sd_out_html.begin(&b, &o);
    sd_result r;
    char *x = plan("&lt;/script&gt;&lt;b&gt;]]&gt;&amp;", "430121", NULL, "");
    make(&r, "k\"<&>/plan.xml", SD_KIND_PLAN, x);
    free(x);
    finding(&r, "SD201", SD_SEV_ERROR, 0);
    sd_out_html.file(&b, &r, 0, &o);
    assert_int_equal(b.len, 0); /* nothing until the end */
    sd_summary sum = {0};
    sd_summary_add(&sum, &r, SD_SEV_INFO);
    sd_result_free(&r);
    sd_out_html.end(&b, &sum, &o);
    assert_false(sd_buf_failed(&b));
    xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "page.html", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    xmlFreeDoc(doc);
    size_t scripts = 0;
    for (const char *p = b.data; (p = strstr(p, "<script")) != NULL; p++)
        scripts++;
    assert_int_equal(scripts, 2);
    assert_null(strstr(b.data, "<b>"));
    assert_non_null(strstr(b.data, "href=\"file:///"));
    assert_non_null(strstr(b.data, "k%22%3C%26%3E/plan.xml#L3"));
    sd_buf_free(&b);
    /* Without a summary the page is not written. */
    sd_out_options none = {.lang = SD_LANG_EN};
    sd_buf_init(&b);
    sd_out_html.end(&b, &sum, &none);
    assert_true(sd_buf_failed(&b));
    sd_buf_free(&b);
    sd_summary_free(o.jurisdictions);
}

/* The summary of docs taken with their info read from the tree (as check.c
 * does) and of the same taken by reading their bytes again: the same JSON. */
static void test_tree_info_equals_reader(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        sd_kind kind;
        const char *xml;
        int fast; /* the tree gives the info (plain UTF-8) */
    } docs[] = {
        /* a foreign element after totals keeps the reader "in" totals: its
         * before/after children count, as the reader counted them */
        {"k/plan.xml", SD_KIND_PLAN,
         "<?xml version=\"1.0\"?>\n<reformPlan xmlns=\"urn:sdlint:schema:1\" xmlns:x=\"urn:x\"><meta/>"
         "<jurisdiction name=\"甲\" code=\"430121\" tier=\"county\"/>"
         "<jurisdiction name=\"甲县\" code=\"430122\" tier=\"county\"/>"
         "<parentPlan href=\"\"/><parentPlan href=\"./../c/plan.xml\"/><parentPlan href=\"x.xml\"/>"
         "<agencyCap> 3<!-- c -->2 </agencyCap><adminPostsCap><x:b>7</x:b>0</adminPostsCap>"
         "<totals><before agencies=\"3&#50;\" adminPosts=\" 700 \" units=\"1x\">"
         "<levelTotal rank=\"股级\" count=\"140\"/><x:levelTotal rank=\"z\" count=\"1\"/></before>"
         "<reduction><levelTotal rank=\"r\" count=\"5\"/></reduction></totals>"
         "<x:more><after agencies=\"30\"><levelTotal rank=\"股级\" count=\"120\"/></after></x:more>"
         "</reformPlan>", 1},
        {"k/a.xml", SD_KIND_SANDING,
         "\xEF\xBB\xBF<sanding xmlns=\"urn:sdlint:schema:1\"><meta><jurisdiction code=\"1\"/></meta>"
         "<jurisdiction name=\"乙县\" code=\"430123\" tier=\"county\"/><jurisdiction code=\"9\"/></sanding>", 1},
        {"cat.xml", SD_KIND_CATALOGUE,
         "<catalogue xmlns=\"urn:sdlint:schema:1\"><jurisdiction name=\"省\" code=\"430000\"/></catalogue>", 1},
        {"none.xml", SD_KIND_SANDING, "<sanding xmlns=\"urn:sdlint:schema:1\"><meta/></sanding>", 1},
    };
    sd_audit_summary *a = sd_summary_new(), *b = sd_summary_new();
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        sd_result r, q;
        make(&r, docs[i].path, docs[i].kind, docs[i].xml);
        make(&q, docs[i].path, docs[i].kind, docs[i].xml);
        sd_diags d;
        sd_diags_init(&d);
        sd_error err = {0};
        xmlDocPtr doc = NULL;
        sd_load_options lo = {.positions = 1};
        assert_int_equal(sd_load_parse(&q.src, &lo, &doc, &d, &err), SD_OK);
        assert_non_null(doc);
        q.info = sd_summary_info_of(doc, q.kind, &q.src);
        if (docs[i].fast)
            assert_non_null(q.info);
        sd_load_doc_free(doc);
        sd_diags_free(&d);
        sd_summary_take(a, &r, SD_SEV_INFO);
        sd_summary_take(b, &q, SD_SEV_INFO);
        sd_result_free(&r);
        sd_result_free(&q);
    }
    sd_buf ja, jb;
    sd_buf_init(&ja);
    sd_buf_init(&jb);
    sd_summary_json(a, &ja, "  ");
    sd_summary_json(b, &jb, "  ");
    assert_false(sd_buf_failed(&ja));
    assert_false(sd_buf_failed(&jb));
    assert_string_equal(ja.data, jb.data);
    /* what the reader made of the odd plan, so that the equality means something */
    assert_non_null(strstr(ja.data, "\"code\": \"430122\""));
    assert_non_null(strstr(ja.data, "\"agencyCap\": 32"));
    assert_non_null(strstr(ja.data, "\"adminPostsCap\": 70"));
    assert_non_null(strstr(ja.data, "{\"rank\": \"股级\", \"before\": 140, \"after\": 120}"));
    assert_non_null(strstr(ja.data, "\"code\": \"430123\""));
    sd_buf_free(&ja);
    sd_buf_free(&jb);
    /* Not plain UTF-8 (UTF-16 libxml2 detects itself): no info, the reader's way. */
    static const unsigned char u16[] = {'<', 0, 'a', 0, '/', 0, '>', 0};
    sd_source src = {.path = (char *)"u.xml", .bytes = (unsigned char *)u16, .len = sizeof u16};
    xmlDocPtr one = xmlReadMemory("<sanding xmlns=\"urn:sdlint:schema:1\"/>", 38, "u.xml", NULL, 0);
    assert_non_null(one);
    assert_null(sd_summary_info_of(one, SD_KIND_SANDING, &src));
    xmlFreeDoc(one);
    sd_summary_free(a);
    sd_summary_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_figures),
        cmocka_unit_test(test_loop_and_hostile),
        cmocka_unit_test(test_html_page),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_tree_info_equals_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
