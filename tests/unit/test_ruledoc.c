/*
 * test_ruledoc.c — the rule documentation comes from the compiled checker
 * (one pack reader): every built-in rule is documented (a title and a
 * paragraph in Chinese and English, its source, a failing and a passing
 * example with a marked excerpt), and a user pack's rules are listed with
 * their texts and parameters even when they come from sch:include.  (That the
 * examples fail and pass as they say is checked end to end by
 * tests/e2e/rules.cases.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sdlint.h"

static sd_checker *builtin(sd_lang lang)
{
    sd_checker_options o = {.lang = lang};
    sd_checker *c = NULL;
    sd_error err = {0};
    if (sd_checker_new(&o, &c, &err) != SD_OK)
        fail_msg("built-in checker: %s", err.msg);
    return c;
}

static void test_every_builtin_rule_is_documented(void **state)
{
    (void)state;
    sd_checker *zh = builtin(SD_LANG_ZH), *en = builtin(SD_LANG_EN);
    sd_ruledocs dz = {0}, de = {0};
    sd_error err = {0};
    assert_int_equal(sd_ruledoc_list(zh, SD_LANG_ZH, &dz, &err), SD_OK);
    assert_int_equal(sd_ruledoc_list(en, SD_LANG_EN, &de, &err), SD_OK);
    assert_int_equal(dz.count, de.count);
    assert_true(dz.count >= 4 + 14);
    for (size_t i = 0; i < dz.count; i++) {
        const sd_ruledoc *r = &dz.items[i], *e = &de.items[i];
        assert_string_equal(r->id, e->id);
        if (r->pack == NULL) /* SD001–SD006 */
            continue;
        /* A missing English text falls back to the Chinese one: equal means missing. */
        if (r->title[0] == '\0' || e->title[0] == '\0' || strcmp(r->title, e->title) == 0)
            fail_msg("%s: no title in Chinese and English", r->id);
        if (r->doc[0] == '\0' || e->doc[0] == '\0' || strcmp(r->doc, e->doc) == 0)
            fail_msg("%s: no doc paragraph in Chinese and English", r->id);
        if (r->source[0] == '\0')
            fail_msg("%s: no source", r->id);
        if (strstr(r->doc, r->title) != NULL || strstr(r->doc, r->source) != NULL)
            fail_msg("%s: the doc repeats the title or the source", r->id);
        const char *which[] = {"fail", "pass"};
        for (int w = 0; w < 2; w++) {
            sd_buf b;
            sd_buf_init(&b);
            if (!sd_ruledoc_builtin_example(r->id, which[w], &b) || b.len == 0)
                fail_msg("%s: no rules/examples/%s-%s.xml with an <!-- sdlint:example --> excerpt",
                         r->id, r->id, which[w]);
            sd_buf_free(&b);
        }
    }
    sd_ruledocs_free(&dz);
    sd_ruledocs_free(&de);
    sd_checker_free(zh);
    sd_checker_free(en);
}

static void test_input_rules_and_lookup(void **state)
{
    (void)state;
    sd_checker *c = builtin(SD_LANG_EN);
    sd_ruledocs docs = {0};
    sd_error err = {0};
    assert_int_equal(sd_ruledoc_list(c, SD_LANG_EN, &docs, &err), SD_OK);
    assert_string_equal(docs.items[0].id, "SD001");
    assert_string_equal(docs.items[3].id, "SD004");
    assert_string_equal(docs.items[4].id, "SD005"); /* suppressions (suppress.h) */
    assert_string_equal(docs.items[5].id, "SD006");
    const sd_ruledoc *r = sd_ruledoc_find(&docs, "sd003");
    assert_non_null(r);
    assert_string_equal(r->id, "SD003");
    assert_string_equal(r->title, "Encoding problem");
    assert_int_equal(r->severity, SD_SEV_FATAL);
    assert_null(r->pack);
    r = sd_ruledoc_find(&docs, "SD101");
    assert_non_null(r);
    assert_string_equal(r->title, "Internal unit with too few posts");
    assert_int_equal(r->nparams, 2);
    assert_string_equal(r->params[0], "min-unit-posts");
    assert_string_equal(r->params[1], "party-unit-names");
    assert_null(sd_ruledoc_find(&docs, "SD999"));
    sd_ruledocs_free(&docs);
    sd_checker_free(c);
}

/* SD207, the plan loader's rule: among the plan rules, documented in both
 * languages, with its failing and passing examples in explain. */
static void test_plan_rule_documented(void **state)
{
    (void)state;
    sd_checker *zh = builtin(SD_LANG_ZH), *en = builtin(SD_LANG_EN);
    sd_ruledocs dz = {0}, de = {0};
    sd_error err = {0};
    assert_int_equal(sd_ruledoc_list(zh, SD_LANG_ZH, &dz, &err), SD_OK);
    assert_int_equal(sd_ruledoc_list(en, SD_LANG_EN, &de, &err), SD_OK);
    const sd_ruledoc *z = sd_ruledoc_find(&dz, "sd207"), *e = sd_ruledoc_find(&de, "SD207");
    assert_non_null(z);
    assert_non_null(e);
    /* in id order among the built-in plan rules: after SD206, before SD208 */
    assert_ptr_equal(e - 1, sd_ruledoc_find(&de, "SD206"));
    assert_ptr_equal(e + 1, sd_ruledoc_find(&de, "SD208"));
    assert_int_equal(e->severity, SD_SEV_ERROR);
    assert_null(e->pack);
    assert_true(e->builtin);
    assert_string_not_equal(z->title, e->title);
    assert_string_not_equal(z->doc, e->doc);
    assert_non_null(strstr(e->doc, "--catalogue"));
    assert_non_null(strstr(z->doc, "命令行 > 方案 > 配置"));
    sd_buf b;
    sd_buf_init(&b);
    sd_ruledoc_explain(e, SD_LANG_EN, &b);
    assert_false(sd_buf_failed(&b));
    assert_non_null(strstr(b.data, "Failing example (rules/examples/SD207-fail.xml)"));
    assert_non_null(strstr(b.data, "Passing example (rules/examples/SD207-pass.xml)"));
    assert_non_null(strstr(b.data, "sanding=\"../city/sanding/yingji.xml\""));
    sd_buf_free(&b);
    sd_ruledocs_free(&dz);
    sd_ruledocs_free(&de);
    sd_checker_free(zh);
    sd_checker_free(en);
}

static void test_example_excerpt_is_between_markers(void **state)
{
    (void)state;
    const char *doc = "<a>\n  <!-- sdlint:example -->\n  <b/>\n  <c/>\n  <!-- /sdlint:example -->\n</a>\n";
    sd_buf b;
    sd_buf_init(&b);
    assert_int_equal(sd_ruledoc_example(doc, strlen(doc), &b), 1);
    assert_string_equal(b.data, "  <b/>\n  <c/>\n");
    sd_buf_free(&b);
    assert_int_equal(sd_ruledoc_example("<a/>", 4, &b), 0);
    assert_int_equal(sd_ruledoc_builtin_example("SD999", "fail", &b), 0);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The rule lives in a file the pack includes: a second parser that reads only
 * the top file's patterns would miss it. */
static void test_rules_from_an_include_are_documented(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-ruledoc-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "main.sch",
               "<sch:schema xmlns:sch=\"http://purl.oclc.org/dsdl/schematron\" "
               "xmlns:sdl=\"urn:sdlint:functions\">\n"
               "<sch:ns prefix=\"sdl\" uri=\"urn:sdlint:functions\"/>\n"
               "<sdl:param name=\"min-n\" type=\"number\" default=\"1\"/>\n"
               "<sdl:param name=\"max-n\" type=\"number\" default=\"9\"/>\n"
               "<sch:pattern id=\"TOP\"><sch:rule context=\"a\">"
               "<sch:assert id=\"TOP\" test=\"true()\">t</sch:assert></sch:rule></sch:pattern>\n"
               "<sch:include href=\"inc/x1.sch\"/>\n"
               "</sch:schema>\n");
    char sub[600];
    snprintf(sub, sizeof sub, "%s/inc", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file(sub, "x1.sch",
               "<sch:pattern xmlns:sch=\"http://purl.oclc.org/dsdl/schematron\" "
               "xmlns:sdl=\"urn:sdlint:functions\" id=\"X1\">"
               "<sch:p class=\"title\" xml:lang=\"zh\">标题</sch:p>"
               "<sch:p class=\"title\" xml:lang=\"en\">Title</sch:p>"
               "<sch:p class=\"doc\" xml:lang=\"en\">  Two\n   words </sch:p>"
               "<sch:p class=\"source\" xml:lang=\"en\">A  source</sch:p>"
               "<sch:rule context=\"a\"><sch:assert id=\"X1\" severity=\"warning\" see=\"s\" "
               "test=\"@n &gt;= number(sdl:param('min-n')) and sdl:param(&quot;max-n&quot;)\">m</sch:assert>"
               "</sch:rule></sch:pattern>\n");
    char main_sch[600];
    snprintf(main_sch, sizeof main_sch, "%s/main.sch", dir);
    const char *files[] = {main_sch};
    sd_checker_options o = {.lang = SD_LANG_EN, .rule_files = files, .rule_file_count = 1};
    sd_checker *c = NULL;
    sd_error err = {0};
    if (sd_checker_new(&o, &c, &err) != SD_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
    sd_ruledocs docs = {0};
    assert_int_equal(sd_ruledoc_list(c, SD_LANG_EN, &docs, &err), SD_OK);
    assert_int_equal(docs.count, 6 + 2 + 2); /* SD001–SD006, the pack's, then SD207 and SD301 */
    assert_string_equal(docs.items[8].id, "SD207");
    assert_string_equal(docs.items[9].id, "SD301");
    assert_string_equal(docs.items[6].id, "TOP");
    const sd_ruledoc *r = sd_ruledoc_find(&docs, "X1");
    assert_non_null(r);
    assert_string_equal(r->title, "Title");
    assert_string_equal(r->doc, "Two words");
    assert_string_equal(r->source, "A source");
    assert_int_equal(r->severity, SD_SEV_WARNING);
    assert_string_equal(r->see, "s");
    assert_int_equal(r->nparams, 2);
    assert_string_equal(r->params[0], "min-n");
    assert_string_equal(r->params[1], "max-n");
    sd_ruledocs_free(&docs);
    sd_checker_free(c);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    sd_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_builtin_rule_is_documented),
        cmocka_unit_test(test_input_rules_and_lookup),
        cmocka_unit_test(test_plan_rule_documented),
        cmocka_unit_test(test_example_excerpt_is_between_markers),
        cmocka_unit_test(test_rules_from_an_include_are_documented),
    };
    return cmocka_run_group_tests_name("ruledoc", tests, NULL, NULL);
}
