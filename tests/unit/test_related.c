/*
 * test_related.c — a finding's related places (diag.h, README "Related
 * places"): attached with owned copies, copied by sd_diags_add, freed with the
 * finding, part of the sort but not of the fingerprint; printed by every
 * format — compared whole against golden files in tests/unit/golden/
 * (related.*; `make golden-update` rewrites them, and tests/sarif/check.sh
 * validates related.sarif against the SARIF 2.1.0 schema) — escaped as
 * everything else is, so 300 seeded hostile places (control bytes, markup,
 * bytes that are not UTF-8, bidi overrides) still give one line per note,
 * nothing raw, and well-formed XML; in SVRL as property-references that keep the report's
 * grammar (diagnostic-reference*, property-reference*, text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "baseline.h"
#include "out.h"
#include "ruledoc.h"

/* ---- goldens ------------------------------------------------------ */

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
    return b.data ? b.data : strdup("");
}

static void golden(const char *name, const char *got)
{
    char path[256];
    snprintf(path, sizeof path, "tests/unit/golden/%s", name);
    if (getenv("SDLINT_GOLDEN_UPDATE") != NULL) {
        char *old = slurp(path);
        if (old == NULL || strcmp(old, got) != 0)
            printf("updated %s (review: git diff %s)\n", path, path);
        free(old);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fputs(got, fp);
        fclose(fp);
        return;
    }
    char *want = slurp(path);
    if (want == NULL)
        fail_msg("missing golden %s (run with SDLINT_GOLDEN_UPDATE=1 from the repository root)", path);
    if (strcmp(want, got) != 0)
        fail_msg("%s differs; got:\n%s", path, got);
    free(want);
}

/* ---- a result with related places --------------------------------- */

static void addf(sd_result *r, const char *rule, sd_severity sev, long line, long col,
                 const char *loc, const char *msg)
{
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&r->diags, &err, rule, sev, r->src.path, line, col, loc, "%s", msg),
                     SD_OK);
}

static void relf(sd_result *r, const char *file, long line, long col, const char *loc, const char *msg)
{
    sd_error err = {0};
    if (msg)
        assert_int_equal(sd_diags_relatedf(&r->diags, &err, file, line, col, loc, "%s", msg), SD_OK);
    else
        assert_int_equal(sd_diags_relatedf(&r->diags, &err, file, line, col, loc, NULL), SD_OK);
}

/* plan.xml with three findings: a transfer that does not balance (two
 * related places: the 三定 on each end), a duty claimed twice (the other
 * 三定, named with characters that must be escaped, no line known), and one
 * without related places. */
static sd_result plan_result(void)
{
    sd_result r;
    memset(&r, 0, sizeof r);
    r.src.path = strdup("plan.xml");
    const char *text = "<reformPlan>\n  <transfer from=\"a\" to=\"b\" posts=\"6\"/>\n</reformPlan>\n";
    r.src.bytes = (unsigned char *)strdup(text);
    r.src.len = strlen(text);
    r.parsed = 1;
    r.kind = SD_KIND_PLAN;
    sd_diags_init(&r.diags);
    addf(&r, "SD204", SD_SEV_ERROR, 2, 3, "/sd:reformPlan[1]/sd:transfer[1]",
         "职责划转不平衡：转出6名，转入4名");
    relf(&r, "sanding-a.xml", 40, 7, "/sd:sanding[1]/sd:transfers[1]/sd:out[1]", "转出方：自然资源局");
    relf(&r, "sanding-b.xml", 12, 0, NULL, "转入方：林业局");
    relf(&r, "plan.xml", 3, 3, "/sd:reformPlan[1]", "the plan's own total");
    addf(&r, "SD205", SD_SEV_ERROR, 2, 0, NULL, "同一职责由两个机构承担");
    relf(&r, "sanding/c<\x1b[31m\n>.xml", 0, 0, "/sd:sanding[1]", NULL);
    addf(&r, "SD201", SD_SEV_WARNING, 1, 1, "/sd:reformPlan[1]", "no related places");
    sd_diags_sort(&r.diags);
    return r;
}

static sd_ruledoc DOCS[] = {
    {.id = "SD204", .severity = SD_SEV_ERROR, .title = "transfers balance", .doc = "d", .source = "s",
     .see = ""},
};

static char *render(const sd_formatter *f, sd_result *r, int color, const char *root)
{
    sd_ruledocs docs = {.items = DOCS, .count = 1};
    sd_out_state st = {0};
    sd_out_options o = {.lang = SD_LANG_EN, .color = color, .min_severity = SD_SEV_INFO,
                        .summary = 1, .version = "9.9", .rules = &docs,
                        .homepage = "https://example.org/sdlint", .root = root, .state = &st};
    sd_summary s = {0};
    sd_buf b;
    sd_buf_init(&b);
    f->begin(&b, &o);
    f->file(&b, r, 0, &o);
    sd_summary_add(&s, r, o.min_severity);
    f->end(&b, &s, &o);
    assert_false(sd_buf_failed(&b));
    return b.data;
}

static void test_text(void **state)
{
    (void)state;
    sd_result r = plan_result();
    char *out = render(&sd_out_text, &r, 0, NULL);
    golden("related.txt", out);
    /* The escaped file name cannot start a line of its own. */
    assert_non_null(strstr(out, "  note: sanding/c<\\x1b[31m\\n>.xml: /sd:sanding[1]\n"));
    assert_null(strchr(out, '\x1b'));
    /* A place in this input is quoted under its note. */
    assert_non_null(strstr(out, "  note: plan.xml:3:3: the plan's own total\n    3 | </reformPlan>\n      |   ^\n"));
    free(out);
    out = render(&sd_out_text, &r, 1, NULL);
    assert_non_null(strstr(out, "  \033[1;36mnote:\033[0m sanding-a.xml:40:7: 转出方：自然资源局\n"));
    free(out);
    sd_result_free(&r);
}

static void test_json(void **state)
{
    (void)state;
    sd_result r = plan_result();
    char *out = render(&sd_out_json, &r, 0, NULL);
    golden("related.json", out);
    /* Absent, not empty, without related places. */
    assert_int_equal(strstr(out, "\"related\": [{\"file\": \"sanding-a.xml\", \"line\": 40, "
                                 "\"column\": 7, \"location\": \"/sd:sanding[1]/sd:transfers[1]/sd:out[1]\", "
                                 "\"message\": \"转出方：自然资源局\"}, ") != NULL,
                     1);
    const char *plain = strstr(out, "no related places");
    assert_non_null(plain);
    assert_true(strstr(plain, "related\":") > strchr(plain, '\n'));
    free(out);
    sd_result_free(&r);
}

/* The root the SARIF log names, replaced so that the golden holds in every checkout. */
static char *without_root(char *out, const char *root)
{
    sd_buf b;
    sd_buf_init(&b);
    char pat[4200];
    snprintf(pat, sizeof pat, "file://%s/", root);
    const char *p = out, *q;
    while ((q = strstr(p, pat)) != NULL) {
        sd_buf_add(&b, p, (size_t)(q - p));
        sd_buf_puts(&b, "file://ROOT/");
        p = q + strlen(pat);
    }
    sd_buf_puts(&b, p);
    free(out);
    return b.data;
}

static void test_sarif(void **state)
{
    (void)state;
    sd_result r = plan_result();
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *out = without_root(render(&sd_out_sarif, &r, 0, cwd), cwd);
    golden("related.sarif", out);
    assert_non_null(strstr(out, "\"relatedLocations\": [{\"id\": 0, \"physicalLocation\": "
                                "{\"artifactLocation\": {\"uri\": \"sanding-a.xml\", \"uriBaseId\": "
                                "\"SRCROOT\"}, \"region\": {\"startLine\": 40, \"startColumn\": 7}}"));
    free(out);
    sd_result_free(&r);
}

static void test_junit(void **state)
{
    (void)state;
    sd_result r = plan_result();
    char *out = render(&sd_out_junit, &r, 0, NULL);
    golden("related.junit.xml", out);
    xmlDocPtr doc = xmlReadMemory(out, (int)strlen(out), "junit.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    /* The attribute keeps its line break: &#10; survives normalisation. */
    xmlNodePtr ts = xmlDocGetRootElement(doc)->children;
    while (ts && ts->type != XML_ELEMENT_NODE)
        ts = ts->next;
    xmlNodePtr tc = ts->children;
    while (tc && !(tc->type == XML_ELEMENT_NODE && strcmp((char *)tc->name, "testcase") == 0))
        tc = tc->next;
    int seen = 0;
    for (; tc; tc = tc->next) {
        for (xmlNodePtr c = tc->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || strcmp((char *)c->name, "failure") != 0)
                continue;
            xmlChar *m = xmlGetProp(c, (const xmlChar *)"message");
            if (strstr((char *)m, "转出6名") != NULL) {
                assert_non_null(strstr((char *)m, "转入4名\nnote: sanding-a.xml:40:7: 转出方：自然资源局\n"
                                                  "note: sanding-b.xml:12: 转入方：林业局"));
                seen = 1;
            }
            xmlFree(m);
        }
    }
    assert_true(seen);
    xmlFreeDoc(doc);
    free(out);
    sd_result_free(&r);
}

static void test_github(void **state)
{
    (void)state;
    sd_result r = plan_result();
    char *out = render(&sd_out_github, &r, 0, NULL);
    golden("related.github", out);
    assert_non_null(strstr(out, "转入4名%0Anote: sanding-a.xml:40:7: 转出方：自然资源局%0Anote: "
                                "sanding-b.xml:12: 转入方：林业局%0Anote: plan.xml:3:3: the plan's own total\n"));
    /* The escaped name keeps the command on one line. */
    assert_non_null(strstr(out, "note: sanding/c<\\x1b[31m%0A>.xml: /sd:sanding[1]\n"));
    free(out);
    sd_result_free(&r);
}

static void test_github_note_paths_are_relative(void **state)
{
    (void)state;
    sd_result r = plan_result();
    sd_error err = {0};
    addf(&r, "SD209", SD_SEV_WARNING, 9, 1, NULL, "m");
    assert_int_equal(sd_diags_relatedf(&r.diags, &err, "./sanding-z.xml", 4, 2, NULL, "other"), SD_OK);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *out = render(&sd_out_github, &r, 0, cwd);
    assert_non_null(strstr(out, "::m%0Anote: sanding-z.xml:4:2: other\n"));
    free(out);
    sd_result_free(&r);
}

/* ---- SVRL ------------------------------------------------------- */

/* Checks a failed-assert's children follow Annex D:
 * diagnostic-reference*, property-reference*, text. */
static void assert_annex_d_order(xmlNodePtr a)
{
    int stage = 0; /* 0 diagnostic-reference, 1 property-reference, 2 text, 3 after */
    for (xmlNodePtr c = a->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *n = (const char *)c->name;
        int s = strcmp(n, "diagnostic-reference") == 0 ? 0
                : strcmp(n, "property-reference") == 0 ? 1
                : strcmp(n, "text") == 0               ? 2
                                                       : 9;
        assert_true(s >= stage && s != 9 && stage < 3);
        stage = s == 2 ? 3 : s;
    }
    assert_int_equal(stage, 3);
}

static const char SVRL_DOC[] =
    "<svrl:schematron-output xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\">"
    "<svrl:active-pattern/><svrl:fired-rule context=\"transfer\"/>"
    "<svrl:failed-assert test=\"false()\" location=\"/*[1]\">"
    "<svrl:diagnostic-reference diagnostic=\"d\"><svrl:text>diag</svrl:text></svrl:diagnostic-reference>"
    "<svrl:property-reference property=\"p\"><svrl:text>prop</svrl:text></svrl:property-reference>"
    "<svrl:text>转出6名，转入4名</svrl:text></svrl:failed-assert>"
    "<svrl:successful-report test=\"true()\" location=\"/*[1]\"><svrl:text>r</svrl:text></svrl:successful-report>"
    "</svrl:schematron-output>";

static xmlNodePtr nth_element(xmlNodePtr parent, int n)
{
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && n-- == 0)
            return c;
    return NULL;
}

static const sd_finding *find(const sd_result *r, const char *id)
{
    for (size_t i = 0; i < r->diags.count; i++)
        if (strcmp(r->diags.items[i].rule_id, id) == 0)
            return &r->diags.items[i];
    fail_msg("no %s", id);
    return NULL;
}

static void test_svrl_tree(void **state)
{
    (void)state;
    sd_result r = plan_result();
    const sd_finding *f = find(&r, "SD204");
    const sd_finding *g = find(&r, "SD205"); /* the escaped name */
    xmlDocPtr doc = xmlReadMemory(SVRL_DOC, (int)strlen(SVRL_DOC), "r.svrl", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr fa = nth_element(root, 2), sr = nth_element(root, 3);
    assert_int_equal(sd_out_svrl_add_related(fa, f->related, f->nrelated), 0);
    assert_int_equal(sd_out_svrl_add_related(sr, g->related, g->nrelated), 0);
    /* Not an assertion: refused. */
    assert_int_equal(sd_out_svrl_add_related(nth_element(root, 1), f->related, f->nrelated), -1);
    assert_int_equal(sd_out_svrl_add_related(NULL, f->related, f->nrelated), -1);
    assert_annex_d_order(fa);
    assert_annex_d_order(sr);
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
    assert_non_null(mem);
    golden("related.svrl", (const char *)mem);
    /* Well-formed whatever the related file is called. */
    xmlDocPtr again = xmlReadMemory((const char *)mem, len, "again.svrl", NULL, XML_PARSE_NONET);
    assert_non_null(again);
    xmlFreeDoc(again);
    xmlFree(mem);
    xmlFreeDoc(doc);
    sd_result_free(&r);
}

static void test_svrl_stream_is_the_same(void **state)
{
    (void)state;
    sd_result r = plan_result();
    for (size_t i = 0; i < r.diags.count; i++) {
        const sd_finding *f = &r.diags.items[i];
        /* The streamed elements inside a failed-assert parse to what the tree
         * helper builds. */
        sd_buf s;
        sd_buf_init(&s);
        sd_buf_puts(&s, "<svrl:failed-assert xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\" test=\"t\" "
                        "location=\"/\">");
        sd_out_svrl_related(&s, f->related, f->nrelated);
        sd_buf_puts(&s, "<svrl:text>m</svrl:text></svrl:failed-assert>");
        const char *tree = "<svrl:failed-assert xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\" test=\"t\" "
                           "location=\"/\"><svrl:text>m</svrl:text></svrl:failed-assert>";
        xmlDocPtr a = xmlReadMemory(s.data, (int)s.len, "a", NULL, XML_PARSE_NONET);
        xmlDocPtr b = xmlReadMemory(tree, (int)strlen(tree), "b", NULL, XML_PARSE_NONET);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(sd_out_svrl_add_related(xmlDocGetRootElement(b), f->related, f->nrelated), 0);
        xmlBufferPtr xa = xmlBufferCreate(), xb = xmlBufferCreate();
        xmlNodeDump(xa, a, xmlDocGetRootElement(a), 0, 0);
        xmlNodeDump(xb, b, xmlDocGetRootElement(b), 0, 0);
        assert_string_equal((const char *)xmlBufferContent(xa), (const char *)xmlBufferContent(xb));
        xmlBufferFree(xa);
        xmlBufferFree(xb);
        xmlFreeDoc(a);
        xmlFreeDoc(b);
        sd_buf_free(&s);
    }
    sd_result_free(&r);
}

/* ---- any bytes ----------------------------------------------------- */

static uint32_t next_rand(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* A hostile string: control bytes, quotes, markup, bytes that are not UTF-8,
 * cut and whole Chinese characters, bidi overrides. */
static char *hostile(uint32_t *seed)
{
    static const char *const parts[] = {"\n", "\r", "\x1b[31m", "\x01", "<", "&", "\"", "'", "]]>",
                                        "\xff", "\xe5\xb1", "局", "\xe2\x80\xae", "%", ":", ",", "\\",
                                        "::error ", "\t", "a", " ", "。", "\xef\xbf\xbe"};
    sd_buf b;
    sd_buf_init(&b);
    size_t n = next_rand(seed) % 12;
    for (size_t i = 0; i < n; i++)
        sd_buf_puts(&b, parts[next_rand(seed) % (sizeof parts / sizeof parts[0])]);
    return b.data ? b.data : strdup("");
}

static void assert_valid_utf8_no_controls(const char *out, int allow_lf)
{
    size_t n = strlen(out);
    for (size_t off = 0; off < n;) {
        uint32_t cp;
        size_t k = sd_utf8_decode(out + off, n - off, &cp);
        if (k == 0)
            fail_msg("not UTF-8 at byte %zu", off);
        if ((cp < 0x20 && !(allow_lf && cp == '\n')) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
            (cp >= 0x202A && cp <= 0x202E))
            fail_msg("raw U+%04X at byte %zu", (unsigned)cp, off);
        off += k;
    }
}

static void test_any_bytes_give_well_formed_output(void **state)
{
    (void)state;
    uint32_t seed = 20191231;
    for (int round = 0; round < 300; round++) {
        sd_result r;
        memset(&r, 0, sizeof r);
        r.src.path = strdup("plan.xml");
        r.parsed = 1;
        r.kind = SD_KIND_PLAN;
        sd_diags_init(&r.diags);
        addf(&r, "SD213", SD_SEV_ERROR, 3, 1, NULL, "m");
        size_t nrel = 1 + next_rand(&seed) % 3;
        for (size_t k = 0; k < nrel; k++) {
            char *file = hostile(&seed), *loc = hostile(&seed), *msg = hostile(&seed);
            relf(&r, file, (long)(next_rand(&seed) % 3), (long)(next_rand(&seed) % 3),
                 next_rand(&seed) % 2 ? loc : NULL, next_rand(&seed) % 2 ? msg : NULL);
            free(file);
            free(loc);
            free(msg);
        }
        /* text: one finding line and one note line each, nothing raw */
        char *out = render(&sd_out_text, &r, 0, NULL);
        assert_valid_utf8_no_controls(out, 1);
        size_t lines = 0;
        for (const char *p = out; *p; p++)
            lines += *p == '\n';
        assert_int_equal(lines, 1 + nrel + 1); /* finding, notes, summary */
        free(out);
        /* json: nothing raw inside strings — its line breaks are the layout's
         * own, as many as for plain text */
        out = render(&sd_out_json, &r, 0, NULL);
        assert_valid_utf8_no_controls(out, 1);
        lines = 0;
        for (const char *p = out; *p; p++)
            lines += *p == '\n';
        assert_int_equal(lines, 9);
        free(out);
        /* github: one command line */
        out = render(&sd_out_github, &r, 0, NULL);
        assert_valid_utf8_no_controls(out, 1);
        assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
        free(out);
        /* junit and SVRL: well-formed XML */
        out = render(&sd_out_junit, &r, 0, NULL);
        xmlDocPtr doc = xmlReadMemory(out, (int)strlen(out), "j.xml", NULL, XML_PARSE_NONET);
        if (doc == NULL)
            fail_msg("junit not well-formed:\n%s", out);
        xmlFreeDoc(doc);
        free(out);
        doc = xmlReadMemory(SVRL_DOC, (int)strlen(SVRL_DOC), "r.svrl", NULL, XML_PARSE_NONET);
        const sd_finding *f = &r.diags.items[0];
        assert_int_equal(sd_out_svrl_add_related(nth_element(xmlDocGetRootElement(doc), 2), f->related,
                                                 f->nrelated),
                         0);
        xmlChar *mem = NULL;
        int len = 0;
        xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
        xmlDocPtr again = xmlReadMemory((const char *)mem, len, "again.svrl", NULL, XML_PARSE_NONET);
        if (again == NULL)
            fail_msg("svrl not well-formed:\n%s", (const char *)mem);
        xmlFreeDoc(again);
        xmlFree(mem);
        xmlFreeDoc(doc);
        sd_buf sb;
        sd_buf_init(&sb);
        sd_buf_puts(&sb, "<svrl:failed-assert xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\">");
        sd_out_svrl_related(&sb, f->related, f->nrelated);
        sd_buf_puts(&sb, "</svrl:failed-assert>");
        again = xmlReadMemory(sb.data, (int)sb.len, "s.svrl", NULL, XML_PARSE_NONET);
        if (again == NULL)
            fail_msg("streamed svrl not well-formed:\n%s", sb.data);
        xmlFreeDoc(again);
        sd_buf_free(&sb);
        sd_result_free(&r);
    }
}

/* ---- the list ----------------------------------------------------- */

static void test_add_copies_and_frees(void **state)
{
    (void)state;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    /* No finding to attach to. */
    assert_int_equal(sd_diags_relatedf(&d, &err, "b.xml", 1, 1, NULL, "x"), SD_EINVAL);
    /* A stack finding pointing at the caller's array: sd_diags_add copies. */
    char file[] = "b.xml", msg[] = "other end";
    sd_related rel = {.file = file, .line = 3, .col = 4, .location = NULL, .message = msg};
    sd_finding f = {.rule_id = "SD213", .severity = SD_SEV_ERROR, .file = "a.xml", .line = 1,
                    .message = "m", .related = &rel, .nrelated = 1};
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    file[0] = 'X';
    msg[0] = 'X';
    assert_string_equal(d.items[0].related[0].file, "b.xml");
    assert_string_equal(d.items[0].related[0].message, "other end");
    /* Added to an owned finding: copied too; NULL file is "". */
    sd_related none = {0};
    assert_int_equal(sd_finding_add_related(&d.items[0], &none, &err), SD_OK);
    assert_int_equal(d.items[0].nrelated, 2);
    assert_string_equal(d.items[0].related[1].file, "");
    assert_null(d.items[0].related[1].message);
    /* A message cut inside a character loses the half character. */
    assert_int_equal(sd_diags_relatedf(&d, &err, "c.xml", 0, 0, NULL, "%.4s", "转出"), SD_OK);
    assert_string_equal(d.items[0].related[2].message, "转");
    /* sd_finding_free leaves an empty list of related places. */
    sd_finding c = {0};
    assert_int_equal(sd_finding_add_related(&c, &rel, &err), SD_OK);
    sd_finding_free(&c);
    assert_null(c.related);
    assert_int_equal(c.nrelated, 0);
    sd_diags_free(&d); /* ASan: nothing leaks */
}

static void test_sort_uses_places_not_messages(void **state)
{
    (void)state;
    for (int flip = 0; flip < 2; flip++) {
        sd_diags d;
        sd_diags_init(&d);
        sd_error err = {0};
        const char *files[2] = {"z.xml", "b.xml"};
        for (int i = 0; i < 2; i++) {
            const char *file = files[i ^ flip];
            assert_int_equal(sd_diags_addf(&d, &err, "SD205", SD_SEV_ERROR, "plan.xml", 5, 1, "/p",
                                           "%s", "same"),
                             SD_OK);
            /* Messages sort the other way from the files. */
            assert_int_equal(sd_diags_relatedf(&d, &err, file, 1, 1, NULL, "%s",
                                               file[0] == 'z' ? "a" : "z"),
                             SD_OK);
        }
        sd_diags_sort(&d);
        assert_string_equal(d.items[0].related[0].file, "b.xml");
        assert_string_equal(d.items[1].related[0].file, "z.xml");
        sd_diags_free(&d);
    }
    /* Fewer related places first when the shared ones tie. */
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&d, &err, "SD205", SD_SEV_ERROR, "p.xml", 1, 1, NULL, "two"), SD_OK);
    assert_int_equal(sd_diags_relatedf(&d, &err, "b.xml", 1, 1, NULL, NULL), SD_OK);
    assert_int_equal(sd_diags_relatedf(&d, &err, "c.xml", 1, 1, NULL, NULL), SD_OK);
    assert_int_equal(sd_diags_addf(&d, &err, "SD205", SD_SEV_ERROR, "p.xml", 1, 1, NULL, "one"), SD_OK);
    assert_int_equal(sd_diags_relatedf(&d, &err, "b.xml", 1, 1, NULL, NULL), SD_OK);
    sd_diags_sort(&d);
    assert_string_equal(d.items[0].message, "one");
    sd_diags_free(&d);
}

static void test_fingerprint_ignores_related(void **state)
{
    (void)state;
    sd_finding f = {.rule_id = "SD204", .severity = SD_SEV_ERROR, .file = "plan.xml", .line = 2,
                    .location = "/p[1]", .message = "转出6名，转入4名"};
    char a[17], b[17];
    sd_baseline_fingerprint(&f, a);
    sd_related rel = {.file = "sanding-a.xml", .line = 40, .col = 7, .message = "转出方"};
    f.related = &rel;
    f.nrelated = 1;
    sd_baseline_fingerprint(&f, b);
    assert_string_equal(a, b);
}

static void test_related_text(void **state)
{
    (void)state;
    sd_buf b;
    sd_buf_init(&b);
    sd_related r = {.file = "a.xml", .line = 3, .col = 0, .location = "/x[1]", .message = "m"};
    sd_related_text(&b, &r, 0);
    assert_string_equal(b.data, "a.xml:3: m");
    b.len = 0;
    sd_related_text(&b, &r, 1);
    assert_string_equal(b.data, "a.xml:3: m (/x[1])");
    b.len = 0;
    r.message = NULL;
    r.line = 0;
    sd_related_text(&b, &r, 0);
    assert_string_equal(b.data, "a.xml: /x[1]");
    b.len = 0;
    r.location = NULL;
    sd_related_text(&b, &r, 1);
    assert_string_equal(b.data, "a.xml");
    sd_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_github),
        cmocka_unit_test(test_github_note_paths_are_relative),
        cmocka_unit_test(test_svrl_tree),
        cmocka_unit_test(test_svrl_stream_is_the_same),
        cmocka_unit_test(test_any_bytes_give_well_formed_output),
        cmocka_unit_test(test_add_copies_and_frees),
        cmocka_unit_test(test_sort_uses_places_not_messages),
        cmocka_unit_test(test_fingerprint_ignores_related),
        cmocka_unit_test(test_related_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
