/*
 * test_write.c — atomic replace: the content arrives whole, an old file is
 * replaced, no temporary file is left behind, failures are reported.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "write.h"

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void test_write_and_replace(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-write-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/report.json", dir);
    sd_error err = {0};
    assert_int_equal(sd_write_atomic(path, "first version", 13, &err), SD_OK);
    assert_int_equal(sd_write_atomic(path, "second", 6, &err), SD_OK);
    char buf[32] = {0};
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof buf - 1, f), 6);
    fclose(f);
    assert_string_equal(buf, "second");
    assert_int_equal(entries(dir), 1);
    unlink(path);
    rmdir(dir);
}

static void test_failure_is_reported(void **state)
{
    (void)state;
    sd_error err = {0};
    assert_int_equal(sd_write_atomic("/nonexistent-dir/x/report.txt", "x", 1, &err), SD_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x/report.txt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_replace),
        cmocka_unit_test(test_failure_is_reported),
    };
    return cmocka_run_group_tests_name("write", tests, NULL, NULL);
}
