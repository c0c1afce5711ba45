/*
 * test_walk.c — folder search: sorted order, hidden folders skipped, loops and
 * empty folders reported, plain paths passed through.
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

static void touch(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static void mkdir_rel(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/sdlint-walk-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_sorted_recursive_hidden_skipped(void **state)
{
    (void)state;
    mkdir_rel("a");
    mkdir_rel("a/sub");
    mkdir_rel(".git");
    touch("a/z.xml");
    touch("a/b.XML");
    touch("a/notes.txt");
    touch("a/sub/c.xml");
    touch(".git/d.xml");
    mkdir_rel("a/folder.xml");
    touch("a/folder.xml/e.xml");
    char dir[128];
    snprintf(dir, sizeof dir, "%s/a", root);
    const char *args[] = {dir, "-", "missing.xml"};
    sd_pathlist l = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_walk_expand(args, 3, SD_LANG_EN, &l, &d, &err), SD_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(l.count, 6);
    const char *want[] = {"a/b.XML", "a/folder.xml/e.xml", "a/sub/c.xml", "a/z.xml"};
    for (int i = 0; i < 4; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", root, want[i]);
        assert_string_equal(l.items[i], p);
    }
    assert_string_equal(l.items[4], "-");
    assert_string_equal(l.items[5], "missing.xml");
    sd_pathlist_free(&l);
    sd_diags_free(&d);
}

static void test_loop_and_empty_folder_are_findings(void **state)
{
    (void)state;
    mkdir_rel("loop");
    mkdir_rel("empty");
    touch("loop/x.xml");
    char link[256], dir[128], empty[128];
    snprintf(link, sizeof link, "%s/loop/self", root);
    assert_int_equal(symlink(".", link), 0);
    snprintf(dir, sizeof dir, "%s/loop", root);
    snprintf(empty, sizeof empty, "%s/empty", root);
    const char *args[] = {dir, empty};
    sd_pathlist l = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_walk_expand(args, 2, SD_LANG_EN, &l, &d, &err), SD_OK);
    assert_int_equal(l.count, 1);
    assert_int_equal(d.count, 2);
    assert_string_equal(d.items[0].file, link);
    assert_non_null(strstr(d.items[0].message, "loop"));
    assert_string_equal(d.items[1].file, empty);
    assert_non_null(strstr(d.items[1].message, "no .xml files"));
    assert_int_equal(d.items[1].severity, SD_SEV_FATAL);
    sd_pathlist_free(&l);
    sd_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sorted_recursive_hidden_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_and_empty_folder_are_findings, setup, teardown),
    };
    return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
