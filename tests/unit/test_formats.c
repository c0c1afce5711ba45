/*
 * test_formats.c — the sarif, junit and github formatters on hand-made
 * results: SARIF's rule index, region, logical location, relatedLocations and
 * suppressions, fingerprints that ignore line numbers, results over several
 * files; JUnit's failures and escaping of bytes XML cannot carry; GitHub's
 * escaping of %, CR, LF, : and , (and of control bytes, as text is), and its
 * severities.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out.h"
#include "ruledoc.h"

static sd_result result_of(const char *path)
{
    sd_result r;
    memset(&r, 0, sizeof r);
    r.src.path = strdup(path);
    r.parsed = 1;
    r.kind = SD_KIND_SANDING;
    sd_diags_init(&r.diags);
    return r;
}

static void add(sd_result *r, const char *rule, sd_severity sev, long line, long col,
                const char *loc, const char *msg)
{
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&r->diags, &err, rule, sev, r->src.path, line, col, loc, "%s", msg),
                     SD_OK);
}

static sd_ruledoc DOCS[] = {
    {.id = "SD001", .severity = SD_SEV_FATAL, .title = "t1", .doc = "", .source = "", .see = ""},
    {.id = "SD101", .severity = SD_SEV_ERROR, .title = "t101", .doc = "d101", .source = "s",
     .see = "DOMAIN.md#SD101"},
};

static char *render(const sd_formatter *f, sd_result *rs, size_t n)
{
    sd_ruledocs docs = {.items = DOCS, .count = 2};
    sd_out_state st = {0};
    sd_out_options o = {.lang = SD_LANG_EN, .min_severity = SD_SEV_INFO, .summary = 1,
                        .version = "9.9", .rules = &docs, .homepage = "https://example.org/sdlint",
                        .state = &st};
    sd_summary s = {0};
    sd_buf b;
    sd_buf_init(&b);
    f->begin(&b, &o);
    for (size_t i = 0; i < n; i++) {
        f->file(&b, &rs[i], i, &o);
        sd_summary_add(&s, &rs[i], o.min_severity);
    }
    f->end(&b, &s, &o);
    assert_false(sd_buf_failed(&b));
    return b.data;
}

static void test_sarif_result_fields(void **state)
{
    (void)state;
    sd_result r = result_of("a.xml");
    add(&r, "SD101", SD_SEV_ERROR, 3, 5, "/*/*[2]/@posts", "too few");
    r.diags.items[0].end_line = 3;
    r.diags.items[0].end_col = 17;
    r.diags.items[0].offset = 42;
    char *out = render(&sd_out_sarif, &r, 1);
    assert_non_null(strstr(out, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(out, "\"informationUri\": \"https://example.org/sdlint\""));
    /* A relative see is no URI: the home page stands in. */
    assert_non_null(strstr(out, "\"helpUri\": \"https://example.org/sdlint#SD101\""));
    assert_non_null(strstr(out, "\"defaultConfiguration\": {\"level\": \"error\"}}"));
    assert_non_null(strstr(out, "\"ruleId\": \"SD101\", \"ruleIndex\": 1, \"level\": \"error\""));
    assert_non_null(strstr(out, "\"region\": {\"startLine\": 3, \"startColumn\": 5, \"endLine\": 3, "
                                "\"endColumn\": 17, \"byteOffset\": 42}"));
    assert_non_null(strstr(out, "{\"fullyQualifiedName\": \"/*/*[2]/@posts\", \"kind\": \"attribute\"}"));
    assert_null(strstr(out, "relatedLocations"));
    assert_null(strstr(out, "suppressions"));
    free(out);
    sd_result_free(&r);
}

static void test_sarif_suppressed_and_related(void **state)
{
    (void)state;
    sd_result r = result_of("a.xml");
    sd_related rel = {.file = "catalogue.xml", .line = 7, .col = 3, .location = "/*/*[1]",
                      .message = "the catalogue's entry"};
    sd_finding f = {.rule_id = "SD201", .severity = SD_SEV_WARNING, .file = "a.xml", .line = 2,
                    .col = 1, .message = "m", .suppressed = 1, .suppress_reason = "经批准",
                    .related = &rel, .nrelated = 1};
    sd_error err = {0};
    assert_int_equal(sd_diags_add(&r.diags, &f, &err), SD_OK);
    char *out = render(&sd_out_sarif, &r, 1);
    /* Not among the driver's rules: no ruleIndex. */
    assert_non_null(strstr(out, "\"ruleId\": \"SD201\", \"level\": \"warning\""));
    assert_non_null(strstr(out, "\"relatedLocations\": [{\"id\": 0, \"physicalLocation\": "
                                "{\"artifactLocation\": {\"uri\": \"catalogue.xml\"}, \"region\": "
                                "{\"startLine\": 7, \"startColumn\": 3}}, \"logicalLocations\": "
                                "[{\"fullyQualifiedName\": \"/*/*[1]\", \"kind\": \"element\"}], "
                                "\"message\": {\"text\": \"the catalogue's entry\"}}]"));
    assert_non_null(strstr(out, "\"suppressions\": [{\"kind\": \"inSource\", \"justification\": \"经批准\"}]"));
    free(out);
    sd_result_free(&r);
}

static const char *fingerprint(const char *out, char fp[17])
{
    const char *p = strstr(out, "\"sdlint/v1\": \"");
    assert_non_null(p);
    memcpy(fp, p + 14, 16);
    fp[16] = '\0';
    return fp;
}

static void test_sarif_fingerprint_ignores_lines(void **state)
{
    (void)state;
    sd_result a = result_of("a.xml"), b = result_of("a.xml"), c = result_of("a.xml");
    add(&a, "SD101", SD_SEV_ERROR, 3, 5, "/*/*[2]", "unit X has 3 posts");
    add(&b, "SD101", SD_SEV_ERROR, 30, 9, "/*/*[2]", "unit X has 3 posts");
    add(&c, "SD101", SD_SEV_ERROR, 3, 5, "/*/*[2]", "unit X has 2 posts");
    char *oa = render(&sd_out_sarif, &a, 1), *ob = render(&sd_out_sarif, &b, 1),
         *oc = render(&sd_out_sarif, &c, 1);
    char fa[17], fb[17], fc[17];
    assert_string_equal(fingerprint(oa, fa), fingerprint(ob, fb));
    assert_string_not_equal(fingerprint(oa, fa), fingerprint(oc, fc));
    free(oa);
    free(ob);
    free(oc);
    sd_result_free(&a);
    sd_result_free(&b);
    sd_result_free(&c);
}

static void test_sarif_commas_across_files(void **state)
{
    (void)state;
    sd_result rs[3] = {result_of("a.xml"), result_of("b.xml"), result_of("c.xml")};
    add(&rs[1], "SD101", SD_SEV_ERROR, 1, 1, NULL, "one");
    add(&rs[2], "SD101", SD_SEV_ERROR, 1, 1, NULL, "two");
    char *out = render(&sd_out_sarif, rs, 3);
    assert_non_null(strstr(out, "\"results\": [\n        {\"ruleId\""));
    assert_non_null(strstr(out, "}},\n        {\"ruleId\""));
    free(out);
    sd_result empty = result_of("d.xml");
    out = render(&sd_out_sarif, &empty, 1);
    assert_non_null(strstr(out, "\"results\": []\n"));
    free(out);
    for (int i = 0; i < 3; i++)
        sd_result_free(&rs[i]);
    sd_result_free(&empty);
}

static void test_sarif_without_state_fails_cleanly(void **state)
{
    (void)state;
    sd_result r = result_of("a.xml");
    add(&r, "SD101", SD_SEV_ERROR, 1, 1, NULL, "m");
    sd_out_options o = {.lang = SD_LANG_EN, .min_severity = SD_SEV_INFO, .version = "9.9"};
    sd_summary s = {0};
    sd_buf b;
    sd_buf_init(&b);
    sd_out_sarif.begin(&b, &o);
    sd_out_sarif.file(&b, &r, 0, &o);
    sd_out_sarif.end(&b, &s, &o);
    assert_true(sd_buf_failed(&b));
    sd_buf_free(&b);
    sd_result_free(&r);
}

static void test_junit(void **state)
{
    (void)state;
    sd_result rs[2] = {result_of("a&b.xml"), result_of("clean.xml")};
    add(&rs[0], "SD101", SD_SEV_ERROR, 3, 5, "/x", "bad <unit> \"q\"\x01 \xff end");
    add(&rs[0], "SD103", SD_SEV_WARNING, 4, 1, NULL, "warn");
    char *out = render(&sd_out_junit, rs, 2);
    assert_non_null(strstr(out, "<testsuite name=\"a&amp;b.xml\" tests=\"2\" failures=\"1\""));
    assert_non_null(strstr(out, "<failure type=\"SD101\" message=\"bad &lt;unit&gt; &quot;q&quot;"
                                "\\x01 \\xff end\">"));
    assert_non_null(strstr(out, "<system-out>warning: a&amp;b.xml:4:1: warn</system-out>"));
    assert_non_null(strstr(out, "<testsuite name=\"clean.xml\" tests=\"1\" failures=\"0\""));
    assert_non_null(strstr(out, "<testcase name=\"sdlint\" classname=\"clean.xml\"/>"));
    assert_non_null(strstr(out, "</testsuites>\n"));
    free(out);
    sd_result_free(&rs[0]);
    sd_result_free(&rs[1]);
}

static void test_github(void **state)
{
    (void)state;
    sd_result r = result_of("dir,x:y%.xml");
    add(&r, "SD101", SD_SEV_ERROR, 3, 5, NULL, "50% done: a,b\r\nnext\x1b[2J\xff!");
    r.diags.items[0].end_line = 3;
    r.diags.items[0].end_col = 9;
    add(&r, "SD103", SD_SEV_WARNING, 4, 0, NULL, "w");
    add(&r, "SD112", SD_SEV_INFO, 0, 0, NULL, "i");
    add(&r, "SD113", SD_SEV_ERROR, 5, 1, NULL, "silenced");
    r.diags.items[3].suppressed = 1;
    char *out = render(&sd_out_github, &r, 1);
    assert_string_equal(out,
                        "::error file=dir%2Cx%3Ay%25.xml,line=3,col=5,endLine=3,endColumn=9,"
                        "title=SD101::50%25 done: a,b%0D%0Anext\\x1b[2J\\xff!\n"
                        "::warning file=dir%2Cx%3Ay%25.xml,line=4,title=SD103::w\n"
                        "::notice file=dir%2Cx%3Ay%25.xml,title=SD112::i\n");
    free(out);
    sd_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sarif_result_fields),
        cmocka_unit_test(test_sarif_suppressed_and_related),
        cmocka_unit_test(test_sarif_fingerprint_ignores_lines),
        cmocka_unit_test(test_sarif_commas_across_files),
        cmocka_unit_test(test_sarif_without_state_fails_cleanly),
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_github),
    };
    return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
