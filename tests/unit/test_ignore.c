/*
 * test_ignore.c — gitignore-syntax matching for --exclude and .sdlintignore:
 * *, ?, [...], **, anchoring by a leading or inner /, folders-only patterns,
 * ! negation (last match wins), comments and escapes, later sets overriding
 * earlier ones, and reading a .sdlintignore file.
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

#include "ignore.h"

static void test_glob(void **state)
{
    (void)state;
    assert_true(sd_glob_match("*.xml", "plan.xml"));
    assert_false(sd_glob_match("*.xml", "a/plan.xml")); /* * stops at / */
    assert_true(sd_glob_match("a/*/c.xml", "a/b/c.xml"));
    assert_false(sd_glob_match("a/*/c.xml", "a/b/x/c.xml"));
    assert_true(sd_glob_match("a/**/c.xml", "a/c.xml"));
    assert_true(sd_glob_match("a/**/c.xml", "a/b/x/c.xml"));
    assert_true(sd_glob_match("**/c.xml", "c.xml"));
    assert_true(sd_glob_match("**/c.xml", "x/y/c.xml"));
    assert_true(sd_glob_match("a/**", "a/b/c"));
    assert_false(sd_glob_match("a/**", "b/a"));
    assert_true(sd_glob_match("草稿?.xml", "草稿1.xml"));
    assert_true(sd_glob_match("?稿.xml", "草稿.xml")); /* ? is one character, not one byte */
    assert_false(sd_glob_match("a?b", "a/b"));
    assert_true(sd_glob_match("v[0-9].xml", "v3.xml"));
    assert_false(sd_glob_match("v[!0-9].xml", "v3.xml"));
    assert_true(sd_glob_match("v[^0-9].xml", "vx.xml"));
    assert_true(sd_glob_match("[]x].xml", "].xml"));
    assert_true(sd_glob_match("a[b", "a[b")); /* unclosed [ is literal */
    assert_true(sd_glob_match("\\*.xml", "*.xml"));
    assert_false(sd_glob_match("\\*.xml", "a.xml"));
    assert_true(sd_glob_match("a*b*c", "axxbyyc"));
    assert_false(sd_glob_match("a*b*c", "axxbyy"));
}

static sd_ignore *make(const char *base, const char *text)
{
    sd_ignore *ig = sd_ignore_new();
    assert_non_null(ig);
    sd_error err = {0};
    assert_int_equal(sd_ignore_add_text(ig, base, text, strlen(text), &err), SD_OK);
    return ig;
}

static void test_patterns(void **state)
{
    (void)state;
    sd_ignore *ig = make("/r", "# comment\n\nbuild.xml\n/top.xml\ndrafts/\nold/*.xml\n*.bak.xml\n"
                               "!keep.bak.xml\n\\#hash.xml\ntrail.xml   \n");
    assert_true(sd_ignore_match(ig, "/r/build.xml", 0));
    assert_true(sd_ignore_match(ig, "/r/sub/build.xml", 0)); /* no slash: any depth */
    assert_true(sd_ignore_match(ig, "/r/top.xml", 0));
    assert_false(sd_ignore_match(ig, "/r/sub/top.xml", 0)); /* leading / anchors */
    assert_true(sd_ignore_match(ig, "/r/drafts", 1));
    assert_true(sd_ignore_match(ig, "/r/a/drafts", 1));
    assert_false(sd_ignore_match(ig, "/r/drafts", 0)); /* trailing /: folders only */
    assert_true(sd_ignore_match(ig, "/r/old/x.xml", 0));
    assert_false(sd_ignore_match(ig, "/r/a/old/x.xml", 0)); /* inner / anchors too */
    assert_true(sd_ignore_match(ig, "/r/x.bak.xml", 0));
    assert_false(sd_ignore_match(ig, "/r/keep.bak.xml", 0)); /* ! re-includes */
    assert_true(sd_ignore_match(ig, "/r/#hash.xml", 0));
    assert_false(sd_ignore_match(ig, "/r/comment", 0));
    assert_true(sd_ignore_match(ig, "/r/trail.xml", 0)); /* trailing spaces dropped */
    assert_false(sd_ignore_match(ig, "/other/build.xml", 0)); /* outside the base */
    assert_false(sd_ignore_match(ig, "/rr/build.xml", 0));
    sd_ignore_free(ig);
}

static void test_later_sets_win(void **state)
{
    (void)state;
    sd_ignore *ig = make("/r", "*.xml\n");
    sd_error err = {0};
    const char *inner = "!plan.xml\n";
    assert_int_equal(sd_ignore_add_text(ig, "/r/sub", inner, strlen(inner), &err), SD_OK);
    assert_true(sd_ignore_match(ig, "/r/plan.xml", 0));
    assert_false(sd_ignore_match(ig, "/r/sub/plan.xml", 0));
    assert_true(sd_ignore_match(ig, "/r/sub/other.xml", 0));
    sd_ignore_free(ig);
    /* The root folder as base. */
    ig = make("", "/etc/*.xml\n");
    assert_true(sd_ignore_match(ig, "/etc/a.xml", 0));
    sd_ignore_free(ig);
}

static void test_reads_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-ignore-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[128];
    snprintf(p, sizeof p, "%s/.sdlintignore", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("build.xml\r\n!x\n", f);
    fclose(f);
    sd_ignore *ig = sd_ignore_new();
    sd_error err = {0};
    assert_int_equal(sd_ignore_add_file(ig, dir, &err), SD_OK);
    char path[160];
    snprintf(path, sizeof path, "%s/build.xml", dir);
    assert_true(sd_ignore_match(ig, path, 0)); /* CRLF line ends */
    /* A folder without the file adds nothing and is no error. */
    assert_int_equal(sd_ignore_add_file(ig, "/nonexistent-sdlint", &err), SD_OK);
    sd_ignore_free(ig);
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_later_sets_win),
        cmocka_unit_test(test_reads_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
