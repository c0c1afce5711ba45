/*
 * test_embed.c — what an embedding program relies on: sd_init may be called
 * more than once, the library never reads the process's standard input ("-"
 * is a file name to sd_checker_check; the command passes stdin's bytes to
 * sd_checker_check_memory), and sd_strerror is strerror_r.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sdlint.h"

static void test_checking_dash_does_not_read_stdin(void **state)
{
    (void)state;
    sd_init();
    sd_init();
    sd_checker_options o = {.lang = SD_LANG_EN};
    sd_checker *c = NULL;
    sd_error err = {0};
    assert_int_equal(sd_checker_new(&o, &c, &err), SD_OK);
    /* Standard input holds a document; checking "-" must leave it unread. */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char doc[] = "<x/>\n";
    assert_int_equal(write(fds[1], doc, sizeof doc - 1), (ssize_t)(sizeof doc - 1));
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    close(fds[0]);
    sd_result r;
    sd_status st = sd_checker_check(c, "-", &r, &err);
    char left[16] = {0};
    ssize_t n = read(STDIN_FILENO, left, sizeof left);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(st, SD_OK);
    assert_int_equal(n, (ssize_t)(sizeof doc - 1)); /* still all there */
    assert_false(r.parsed);
    assert_int_equal(r.diags.count, 1);
    assert_string_equal(r.diags.items[0].rule_id, "SD001"); /* no file named "-" */
    sd_result_free(&r);
    /* The bytes, passed in, are checked. */
    assert_int_equal(sd_checker_check_memory(c, "-", doc, sizeof doc - 1, &r, &err), SD_OK);
    assert_true(r.parsed);
    sd_result_free(&r);
    sd_checker_free(c);
}

static void test_strerror_is_reentrant(void **state)
{
    (void)state;
    char a[64], b[8];
    assert_string_equal(sd_strerror(ENOENT, a, sizeof a), "No such file or directory");
    const char *s = sd_strerror(ENOENT, b, sizeof b);
    assert_true(s == b && strlen(s) < sizeof b);
    assert_string_equal(sd_strerror(EACCES, NULL, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checking_dash_does_not_read_stdin),
        cmocka_unit_test(test_strerror_is_reentrant),
    };
    return cmocka_run_group_tests_name("embed", tests, NULL, NULL);
}
