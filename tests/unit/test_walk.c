/*
 * test_walk.c — folder search: sorted order, hidden folders skipped, loops and
 * empty folders reported, plain paths passed through; each real folder walked
 * and each real file listed once, however many links lead to it.
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

static void link_rel(const char *target, const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(symlink(target, p), 0);
}

/* Two links per level to the next level: 2^20 paths, one real folder each. */
static void test_symlink_fanout_walked_once(void **state)
{
    (void)state;
    char rel[64], target[64];
    for (int i = 0; i <= 20; i++) {
        snprintf(rel, sizeof rel, "L%02d", i);
        mkdir_rel(rel);
        snprintf(rel, sizeof rel, "L%02d/f%02d.xml", i, i);
        touch(rel);
        if (i == 20)
            break;
        snprintf(target, sizeof target, "../L%02d", i + 1);
        snprintf(rel, sizeof rel, "L%02d/a", i);
        link_rel(target, rel);
        snprintf(rel, sizeof rel, "L%02d/b", i);
        link_rel(target, rel);
    }
    char dir[128];
    snprintf(dir, sizeof dir, "%s/L00", root);
    const char *args[] = {dir};
    sd_pathlist l = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_walk_expand(args, 1, SD_LANG_EN, &l, &d, &err), SD_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(l.count, 21);
    /* Sorted order: a level's file comes after its link "a" and before "b";
     * every file is reached by the "a" links. */
    char want[512];
    size_t len = (size_t)snprintf(want, sizeof want, "%s/L00", root);
    for (int i = 20; i >= 0; i--) {
        char p[512];
        size_t k = len;
        memcpy(p, want, k);
        for (int j = 0; j < i; j++)
            k += (size_t)snprintf(p + k, sizeof p - k, "/a");
        snprintf(p + k, sizeof p - k, "/f%02d.xml", i);
        assert_string_equal(l.items[20 - i], p);
    }
    sd_pathlist_free(&l);
    sd_diags_free(&d);
}

/* A file reached by a link or a hard link is listed once, under its first path;
 * a file named on the command line is kept as given and not listed again. */
static void test_file_reached_twice_listed_once(void **state)
{
    (void)state;
    mkdir_rel("d");
    mkdir_rel("d/sub");
    touch("d/b.xml");
    touch("d/sub/only.xml");
    link_rel("b.xml", "d/a-link.xml");
    char src[256], dst[256];
    snprintf(src, sizeof src, "%s/d/b.xml", root);
    snprintf(dst, sizeof dst, "%s/d/c-hard.xml", root);
    assert_int_equal(link(src, dst), 0);
    link_rel("sub", "d/z-sub");
    char dir[128], sub[128], only[128];
    snprintf(dir, sizeof dir, "%s/d", root);
    snprintf(sub, sizeof sub, "%s/d/sub", root);
    snprintf(only, sizeof only, "%s/d/sub/only.xml", root);
    /* "only.xml" named first, twice; then the folder (which reaches it twice
     * more, by sub and z-sub); then sub again, all of whose files are listed. */
    const char *args[] = {only, only, dir, sub};
    sd_pathlist l = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_walk_expand(args, 4, SD_LANG_EN, &l, &d, &err), SD_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.items[0], only);
    assert_string_equal(l.items[1], only);
    char want[256];
    snprintf(want, sizeof want, "%s/d/a-link.xml", root);
    assert_string_equal(l.items[2], want);
    sd_pathlist_free(&l);
    sd_diags_free(&d);
}

/* A folder reached only through folders walked already is not "empty". */
static void test_folder_walked_twice_not_reported_empty(void **state)
{
    (void)state;
    mkdir_rel("real");
    touch("real/x.xml");
    mkdir_rel("other");
    link_rel("../real", "other/r");
    mkdir_rel("empty");
    char real[128], other[128], empty[128];
    snprintf(real, sizeof real, "%s/real", root);
    snprintf(other, sizeof other, "%s/other", root);
    snprintf(empty, sizeof empty, "%s/empty", root);
    const char *args[] = {real, other, real, empty, empty};
    sd_pathlist l = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_walk_expand(args, 5, SD_LANG_EN, &l, &d, &err), SD_OK);
    assert_int_equal(l.count, 1);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].file, empty);
    sd_pathlist_free(&l);
    sd_diags_free(&d);
}

/* Other XML reached twice is counted as skipped once. */
static void test_foreign_file_reached_twice_skipped_once(void **state)
{
    (void)state;
    mkdir_rel("f");
    char p[256];
    snprintf(p, sizeof p, "%s/f/other.xml", root);
    FILE *fh = fopen(p, "w");
    assert_non_null(fh);
    fputs("<?xml version=\"1.0\"?>\n<project/>\n", fh);
    fclose(fh);
    link_rel("other.xml", "f/z-link.xml");
    link_rel(".", "f/z-self");
    char dir[128];
    snprintf(dir, sizeof dir, "%s/f", root);
    const char *args[] = {dir};
    sd_walk_options opt = {.lang = SD_LANG_EN, .known_only = 1};
    sd_pathlist l = {0};
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    size_t skipped = 0;
    assert_int_equal(sd_walk_expand_opts(&opt, args, 1, &l, &d, &skipped, &err), SD_OK);
    assert_int_equal(l.count, 0);
    assert_int_equal(skipped, 1);
    assert_int_equal(d.count, 1); /* the link to itself is a loop */
    sd_pathlist_free(&l);
    sd_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sorted_recursive_hidden_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_and_empty_folder_are_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_fanout_walked_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_reached_twice_listed_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_walked_twice_not_reported_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_file_reached_twice_skipped_once, setup, teardown),
    };
    return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
