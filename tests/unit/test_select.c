/*
 * test_select.c — rule selection (--select, --extend-select, --ignore by id
 * and prefix, most specific wins, fatal findings kept), the edit distance and
 * the "did you mean" suggestion, and the root-element sniffer of folder walks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kind.h"
#include "select.h"

static void test_default_selects_all(void **state)
{
    (void)state;
    sd_select s = {0};
    assert_true(sd_select_enabled(&s, "SD101"));
    assert_true(sd_select_enabled(NULL, "anything"));
}

static void test_select_prefix_and_ignore_specificity(void **state)
{
    (void)state;
    const char *sel[] = {"SD1"}, *ign[] = {"sd10"};
    sd_select s = {.select = sel, .nselect = 1, .select_given = 1, .ignore = ign, .nignore = 1};
    assert_false(sd_select_enabled(&s, "SD002"));
    assert_false(sd_select_enabled(&s, "SD101")); /* ignored by the longer prefix */
    assert_true(sd_select_enabled(&s, "SD110"));
    /* A more specific select beats a shorter ignore. */
    const char *sel2[] = {"SD101"}, *ign2[] = {"SD1"};
    sd_select t = {.select = sel2, .nselect = 1, .select_given = 1, .ignore = ign2, .nignore = 1};
    assert_true(sd_select_enabled(&t, "SD101"));
    assert_false(sd_select_enabled(&t, "SD102"));
    /* Same length: ignore wins. */
    const char *same[] = {"SD101"};
    sd_select u = {.select = same, .nselect = 1, .select_given = 1, .ignore = same, .nignore = 1};
    assert_false(sd_select_enabled(&u, "SD101"));
}

static void test_extend_select_adds(void **state)
{
    (void)state;
    const char *sel[] = {"SD11"}, *ext[] = {"SD101"};
    sd_select s = {.select = sel, .nselect = 1, .select_given = 1, .extend = ext, .nextend = 1};
    assert_true(sd_select_enabled(&s, "SD110"));
    assert_true(sd_select_enabled(&s, "SD101"));
    assert_false(sd_select_enabled(&s, "SD102"));
    /* Without --select, extend-select keeps everything. */
    sd_select t = {.extend = ext, .nextend = 1};
    assert_true(sd_select_enabled(&t, "SD102"));
    const char *all[] = {"ALL"}, *ign[] = {"SD002"};
    sd_select v = {.select = all, .nselect = 1, .select_given = 1, .ignore = ign, .nignore = 1};
    assert_true(sd_select_enabled(&v, "SD101"));
    assert_false(sd_select_enabled(&v, "SD002"));
}

static void test_filter_keeps_fatal(void **state)
{
    (void)state;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&d, &err, "SD001", SD_SEV_FATAL, "a", 0, 0, NULL, "x"), SD_OK);
    assert_int_equal(sd_diags_addf(&d, &err, "SD101", SD_SEV_ERROR, "a", 1, 1, "/a", "y"), SD_OK);
    assert_int_equal(sd_diags_addf(&d, &err, "SD110", SD_SEV_ERROR, "a", 2, 1, "/b", "z"), SD_OK);
    const char *ign[] = {"SD"};
    sd_select s = {.ignore = ign, .nignore = 1};
    sd_select_filter(&s, &d);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "SD001");
    sd_diags_free(&d);
}

static void test_code_known(void **state)
{
    (void)state;
    const char *ids[] = {"SD001", "SD101", "SD110"};
    assert_true(sd_select_code_known("SD1", ids, 3));
    assert_true(sd_select_code_known("all", ids, 3));
    assert_true(sd_select_code_known("sd110", ids, 3));
    assert_false(sd_select_code_known("SD9", ids, 3));
    assert_false(sd_select_code_known("SD1101", ids, 3));
}

static void test_edit_distance_and_suggest(void **state)
{
    (void)state;
    assert_int_equal(sd_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(sd_edit_distance("", "abc"), 3);
    assert_int_equal(sd_edit_distance("SD11O", "sd110"), 1);
    const char *opts[] = {"--select", "--ignore", "--extend-select", "--format"};
    assert_string_equal(sd_suggest("--selct", opts, 4), "--select");
    assert_string_equal(sd_suggest("--extend-selec", opts, 4), "--extend-select");
    assert_string_equal(sd_suggest("--ignroe", opts, 4), "--ignore");
    assert_null(sd_suggest("--verbose", opts, 4));
}

static void test_kind_sniff(void **state)
{
    (void)state;
#define SNIFF(s) sd_kind_sniff(s, strlen(s))
    assert_int_equal(SNIFF("<?xml version=\"1.0\"?>\n<!-- c -->\n<sanding xmlns=\"urn:sdlint:schema:1\">"),
                     SD_KIND_SANDING);
    assert_int_equal(SNIFF("\xEF\xBB\xBF<s:reformPlan a='1' xmlns:s='urn:sdlint:schema:1'/>"), SD_KIND_PLAN);
    assert_int_equal(SNIFF("<catalogue xmlns=\"urn:sdlint:schema:1\"\n  version=\"2\">"), SD_KIND_CATALOGUE);
    /* Not ours: an Ant build file, our root name in no or another namespace. */
    assert_int_equal(SNIFF("<?xml version=\"1.0\"?>\n<project name=\"x\" default=\"build\">"), SD_KIND_OTHER);
    assert_int_equal(SNIFF("<sanding>"), SD_KIND_OTHER);
    assert_int_equal(SNIFF("<sanding xmlns=\"urn:other\">"), SD_KIND_OTHER);
    assert_int_equal(SNIFF("<s:sanding xmlns=\"urn:sdlint:schema:1\" xmlns:s=\"urn:x\">"), SD_KIND_OTHER);
    assert_int_equal(SNIFF("<unit xmlns=\"urn:sdlint:schema:1\">"), SD_KIND_OTHER);
    /* Cannot tell: checked, so the problem is reported. */
    assert_int_equal(SNIFF("<!DOCTYPE sanding><sanding/>"), -1);
    assert_int_equal(SNIFF("<?xml version=\"1.0\"?>\n<sanding xmlns=\"urn:sd"), -1);
    assert_int_equal(SNIFF("<!-- never closed"), -1);
    assert_int_equal(SNIFF("not xml at all"), -1);
    assert_int_equal(sd_kind_sniff("<\0s\0", 4), -1);
    assert_int_equal(SNIFF("<sanding xmlns=\"urn:sdlint&#58;schema:1\">"), -1);
    assert_int_equal(SNIFF(""), -1);
#undef SNIFF
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_selects_all),
        cmocka_unit_test(test_select_prefix_and_ignore_specificity),
        cmocka_unit_test(test_extend_select_adds),
        cmocka_unit_test(test_filter_keeps_fatal),
        cmocka_unit_test(test_code_known),
        cmocka_unit_test(test_edit_distance_and_suggest),
        cmocka_unit_test(test_kind_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
