/*
 * test_walk_filter.c — what a folder walk leaves out: XML files that are not
 * sdlint documents (counted as skipped; kept when the start does not tell, or
 * when named on the command line), --exclude patterns, and .sdlintignore files
 * in the walked folder, its ancestors up to the git root (not beyond) and the
 * folders below it.
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

#include "walk.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

#define OURS "<?xml version=\"1.0\"?>\n<sanding xmlns=\"urn:sdlint:schema:1\"/>\n"

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/sdlint-wf-XXXXXX");
    return mkdtemp(root) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Walks the folder rel (under root) and returns the listed paths relative to
 * root, joined by spaces. */
static char *walk_rel(const char *rel, const sd_walk_options *opt, size_t *skipped, size_t *nd)
{
    char start[256];
    snprintf(start, sizeof start, "%s/%s", root, rel);
    const char *args[] = {start};
    sd_pathlist out = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_walk_expand_opts(opt, args, 1, &out, &d, skipped, &err), SD_OK);
    static char joined[2048];
    joined[0] = '\0';
    for (size_t i = 0; i < out.count; i++) {
        strncat(joined, out.items[i] + strlen(root) + 1, sizeof joined - strlen(joined) - 2);
        strcat(joined, " ");
    }
    *nd = d.count;
    sd_diags_free(&d);
    sd_pathlist_free(&out);
    return joined;
}

static void test_known_only(void **state)
{
    (void)state;
    dir("w");
    put("w/build.xml", "<?xml version=\"1.0\"?>\n<project name=\"x\"/>\n");
    put("w/plan.xml", OURS);
    put("w/broken.xml", "<sanding xmlns=\"urn:sdl"); /* cut short: kept, to be reported */
    put("w/gbk.xml", "<?xml version=\"1.0\" encoding=\"GBK\"?><catalogue xmlns=\"urn:sdlint:schema:1\"/>");
    sd_walk_options opt = {.lang = SD_LANG_EN, .known_only = 1};
    size_t skipped = 9, nd = 9;
    assert_string_equal(walk_rel("w", &opt, &skipped, &nd), "w/broken.xml w/gbk.xml w/plan.xml ");
    assert_int_equal(skipped, 1);
    assert_int_equal(nd, 0);
    /* Any XML when known_only is off (--rules). */
    opt.known_only = 0;
    assert_string_equal(walk_rel("w", &opt, &skipped, &nd),
                        "w/broken.xml w/build.xml w/gbk.xml w/plan.xml ");
    assert_int_equal(skipped, 0);
    /* A folder holding only other XML is not an empty folder. */
    dir("only");
    put("only/pom.xml", "<project/>");
    opt.known_only = 1;
    assert_string_equal(walk_rel("only", &opt, &skipped, &nd), "");
    assert_int_equal(skipped, 1);
    assert_int_equal(nd, 0);
}

static void test_named_file_always_kept(void **state)
{
    (void)state;
    put("build.xml", "<project/>");
    char p[256];
    snprintf(p, sizeof p, "%s/build.xml", root);
    const char *args[] = {p};
    sd_walk_options opt = {.lang = SD_LANG_EN, .known_only = 1};
    sd_pathlist out = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    size_t skipped = 0;
    assert_int_equal(sd_walk_expand_opts(&opt, args, 1, &out, &d, &skipped, &err), SD_OK);
    assert_int_equal(out.count, 1);
    assert_int_equal(skipped, 0);
    sd_pathlist_free(&out);
    sd_diags_free(&d);
}

static void test_sdlintignore_up_to_git_root(void **state)
{
    (void)state;
    /* root/.sdlintignore is outside the repository root/repo: not read. */
    put(".sdlintignore", "*.xml\n");
    dir("repo");
    dir("repo/.git");
    put("repo/.sdlintignore", "drafts/\n/top.xml\n");
    dir("repo/docs");
    put("repo/docs/.sdlintignore", "old-*.xml\n!old-keep.xml\n");
    dir("repo/docs/drafts");
    put("repo/docs/drafts/a.xml", OURS);
    put("repo/docs/old-1.xml", OURS);
    put("repo/docs/old-keep.xml", OURS);
    put("repo/docs/top.xml", OURS); /* /top.xml is anchored at repo/, not docs/ */
    put("repo/docs/plan.xml", OURS);
    sd_walk_options opt = {.lang = SD_LANG_EN, .known_only = 1};
    size_t skipped = 0, nd = 0;
    assert_string_equal(walk_rel("repo/docs", &opt, &skipped, &nd),
                        "repo/docs/old-keep.xml repo/docs/plan.xml repo/docs/top.xml ");
    assert_int_equal(skipped, 0);
    put("repo/top.xml", OURS);
    assert_string_equal(walk_rel("repo", &opt, &skipped, &nd),
                        "repo/docs/old-keep.xml repo/docs/plan.xml repo/docs/top.xml ");
}

static void test_exclude_relative_to_cwd(void **state)
{
    (void)state;
    dir("c");
    dir("c/sub");
    put("c/a.xml", OURS);
    put("c/sub/b.xml", OURS);
    put("c/sub/c.xml", OURS);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(root), 0);
    const char *ex[] = {"c/sub/b.xml", "nothing"};
    sd_walk_options opt = {.lang = SD_LANG_EN, .known_only = 1, .excludes = ex, .nexcludes = 2};
    size_t skipped = 0, nd = 0;
    char *got = walk_rel("c", &opt, &skipped, &nd);
    assert_string_equal(got, "c/a.xml c/sub/c.xml ");
    const char *ex2[] = {"sub/"};
    opt.excludes = ex2;
    opt.nexcludes = 1;
    got = walk_rel("c", &opt, &skipped, &nd);
    assert_string_equal(got, "c/a.xml ");
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_known_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_file_always_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sdlintignore_up_to_git_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exclude_relative_to_cwd, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
