/*
 * test_write.c — atomic replace: the content arrives whole, an old file is
 * replaced, no temporary file is left behind, failures are reported; the
 * report's mode follows the umask, a symbolic link is written through (the
 * link stays), a target that is not a regular file is refused, and the folder
 * is flushed after the rename (fsync is interposed below to see that).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "write.h"

/* Defined here, this fsync takes the place of libc's for the library code
 * linked into this test: it counts the folders flushed, then does the real one. */
static int folders_synced;

int fsync(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
        folders_synced++;
    return (int)syscall(SYS_fsync, fd);
}

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

static char *slurp(const char *path)
{
    static char buf[256];
    memset(buf, 0, sizeof buf);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_mode_follows_umask(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-write-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/report.txt", dir);
    sd_error err = {0};
    mode_t masks[] = {022, 027, 002};
    for (size_t i = 0; i < 3; i++) {
        mode_t old = umask(masks[i]);
        assert_int_equal(sd_write_atomic(path, "x", 1, &err), SD_OK);
        umask(old);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
    }
    unlink(path);
    rmdir(dir);
}

static void test_symlink_is_written_through(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-write-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[64], target[96], link[64], link2[64], dangling[64], made[96];
    snprintf(sub, sizeof sub, "%s/real", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(target, sizeof target, "%s/real/report.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    snprintf(link2, sizeof link2, "%s/link2.txt", dir);
    snprintf(dangling, sizeof dangling, "%s/dangling.txt", dir);
    snprintf(made, sizeof made, "%s/real/new.txt", dir);
    FILE *f = fopen(target, "w");
    fputs("old", f);
    fclose(f);
    assert_int_equal(symlink("real/report.txt", link), 0);
    assert_int_equal(symlink("link.txt", link2), 0); /* a chain of two */
    assert_int_equal(symlink("real/new.txt", dangling), 0);
    sd_error err = {0};
    folders_synced = 0;
    assert_int_equal(sd_write_atomic(link2, "new", 3, &err), SD_OK);
    assert_true(folders_synced >= 1);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(link2, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(target), "new");
    assert_int_equal(entries(sub), 1); /* no temporary file left beside the target */
    /* A dangling link: its target is created, the link stays. */
    assert_int_equal(sd_write_atomic(dangling, "made", 4, &err), SD_OK);
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(made), "made");
    unlink(made);
    unlink(target);
    unlink(link);
    unlink(link2);
    unlink(dangling);
    rmdir(sub);
    rmdir(dir);
}

static void test_not_a_regular_file_is_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-write-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[64], link[64], loop[64];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(link, sizeof link, "%s/to-null", dir);
    snprintf(loop, sizeof loop, "%s/loop", dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_int_equal(symlink("/dev/null", link), 0);
    assert_int_equal(symlink("loop", loop), 0);
    sd_error err = {0};
    assert_int_equal(sd_write_atomic(fifo, "x", 1, &err), SD_EINVAL);
    assert_non_null(strstr(err.msg, "not a regular file"));
    assert_int_equal(sd_write_atomic(dir, "x", 1, &err), SD_EINVAL);
    assert_int_equal(sd_write_atomic(link, "x", 1, &err), SD_EINVAL);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(sd_write_atomic(loop, "x", 1, &err), SD_EIO);
    assert_int_equal(entries(dir), 3);
    unlink(fifo);
    unlink(link);
    unlink(loop);
    rmdir(dir);
}

static void test_folder_is_flushed_after_rename(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-write-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/report.json", dir);
    sd_error err = {0};
    folders_synced = 0;
    assert_int_equal(sd_write_atomic(path, "{}", 2, &err), SD_OK);
    assert_int_equal(folders_synced, 1);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_replace),
        cmocka_unit_test(test_failure_is_reported),
        cmocka_unit_test(test_mode_follows_umask),
        cmocka_unit_test(test_symlink_is_written_through),
        cmocka_unit_test(test_not_a_regular_file_is_refused),
        cmocka_unit_test(test_folder_is_flushed_after_rename),
    };
    return cmocka_run_group_tests_name("write", tests, NULL, NULL);
}
