/*
 * test_ruledoc.c — every built-in rule is documented: a title and a paragraph
 * in Chinese and English, its source, and a failing and a passing example
 * with a marked excerpt.  (That the examples fail and pass as they say is
 * checked end to end by tests/e2e/rules.cases.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "embedded.h"
#include "ruledoc.h"

static void test_every_builtin_rule_is_documented(void **state)
{
    (void)state;
    sd_ruledocs docs = {0};
    sd_error err = {0};
    size_t packs = 0;
    for (const sd_embedded_file *f = sd_embedded_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (n > 4 && strcmp(f->name + n - 4, ".sch") == 0) {
            assert_int_equal(sd_ruledoc_read(f->bytes, f->len, f->name, &docs, &err), SD_OK);
            packs++;
        }
    }
    assert_true(packs >= 1);
    assert_true(docs.count >= 14);
    for (size_t i = 0; i < docs.count; i++) {
        const sd_ruledoc *r = &docs.items[i];
        if (r->title[SD_LANG_ZH][0] == '\0' || r->title[SD_LANG_EN][0] == '\0')
            fail_msg("%s: no title in Chinese and English", r->id);
        if (r->doc[SD_LANG_ZH][0] == '\0' || r->doc[SD_LANG_EN][0] == '\0')
            fail_msg("%s: no doc paragraph in Chinese and English", r->id);
        if (r->source[0] == '\0')
            fail_msg("%s: no source", r->id);
        const char *which[] = {"fail", "pass"};
        for (int w = 0; w < 2; w++) {
            char name[64];
            snprintf(name, sizeof name, "%s-%s.xml", r->id, which[w]);
            const sd_embedded_file *ex = sd_embedded_find(name);
            if (ex == NULL)
                fail_msg("%s: no example rules/examples/%s", r->id, name);
            sd_buf b;
            sd_buf_init(&b);
            if (!sd_ruledoc_example(ex->bytes, ex->len, &b) || b.len == 0)
                fail_msg("%s: no <!-- sdlint:example --> excerpt", name);
            sd_buf_free(&b);
        }
    }
    sd_ruledocs_free(&docs);
}

static void test_input_rules_and_lookup(void **state)
{
    (void)state;
    sd_ruledocs docs = {0};
    sd_error err = {0};
    assert_int_equal(sd_ruledoc_add_input_rules(&docs, &err), SD_OK);
    assert_int_equal(docs.count, 4);
    const sd_ruledoc *r = sd_ruledoc_find(&docs, "sd003");
    assert_non_null(r);
    assert_string_equal(r->id, "SD003");
    assert_int_equal(r->severity, SD_SEV_FATAL);
    assert_null(sd_ruledoc_find(&docs, "SD999"));
    sd_ruledocs_free(&docs);
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
}

static void test_params_and_texts_are_read(void **state)
{
    (void)state;
    const char *pack =
        "<sch:schema xmlns:sch=\"http://purl.oclc.org/dsdl/schematron\" "
        "xmlns:sdl=\"urn:sdlint:functions\">"
        "<sch:pattern id=\"X1\">"
        "<sch:p class=\"title\" xml:lang=\"zh\">标题</sch:p>"
        "<sch:p class=\"title\" xml:lang=\"en\">Title</sch:p>"
        "<sch:p class=\"doc\" xml:lang=\"en\">  Two\n   words </sch:p>"
        "<sch:rule context=\"a\"><sch:assert id=\"X1\" severity=\"warning\" see=\"s\" "
        "test=\"@n &gt;= number(sdl:param('min-n')) and sdl:param(&quot;max-n&quot;)\">m</sch:assert>"
        "</sch:rule></sch:pattern></sch:schema>";
    sd_ruledocs docs = {0};
    sd_error err = {0};
    assert_int_equal(sd_ruledoc_read(pack, strlen(pack), "p.sch", &docs, &err), SD_OK);
    assert_int_equal(docs.count, 1);
    const sd_ruledoc *r = &docs.items[0];
    assert_string_equal(r->title[SD_LANG_ZH], "标题");
    assert_string_equal(r->doc[SD_LANG_EN], "Two words");
    assert_string_equal(r->doc[SD_LANG_ZH], "");
    assert_int_equal(r->severity, SD_SEV_WARNING);
    assert_string_equal(r->see, "s");
    assert_int_equal(r->nparams, 2);
    assert_string_equal(r->params[0], "min-n");
    assert_string_equal(r->params[1], "max-n");
    sd_ruledocs_free(&docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_builtin_rule_is_documented),
        cmocka_unit_test(test_input_rules_and_lookup),
        cmocka_unit_test(test_example_excerpt_is_between_markers),
        cmocka_unit_test(test_params_and_texts_are_read),
    };
    return cmocka_run_group_tests_name("ruledoc", tests, NULL, NULL);
}
