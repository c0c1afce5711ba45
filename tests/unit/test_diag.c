/*
 * test_diag.c — the order of findings: by file, line, column, rule id, then
 * location and the order they were made in — never by message text, so a run
 * in Chinese and one in English list the same findings in the same order.
 * And the list's string pool: what is copied, what is shared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"

static void add(sd_diags *d, const char *file, long line, long col, const char *rule,
                const char *msg)
{
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(d, &err, rule, SD_SEV_ERROR, file, line, col, NULL, "%s", msg),
                     SD_OK);
}

static void order_of(const char *m1, const char *m2, const char *first)
{
    sd_diags d;
    sd_diags_init(&d);
    add(&d, "b.xml", 1, 1, "SD101", "b");
    add(&d, "a.xml", 9, 1, "SD101", "a-late");
    add(&d, "a.xml", 2, 5, "SD103", m1);
    add(&d, "a.xml", 2, 5, "SD103", m2);
    add(&d, "a.xml", 2, 5, "SD102", "rule");
    add(&d, "a.xml", 2, 3, "SD109", "col");
    sd_diags_sort(&d);
    assert_string_equal(d.items[0].message, "col");
    assert_string_equal(d.items[1].message, "rule");
    assert_string_equal(d.items[2].message, first);
    assert_string_equal(d.items[4].message, "a-late");
    assert_string_equal(d.items[5].message, "b");
    sd_diags_free(&d);
}

static void test_order_does_not_depend_on_the_message(void **state)
{
    (void)state;
    /* The same two findings, worded so that their text sorts either way. */
    order_of("内设机构甲", "Alpha", "内设机构甲");
    order_of("Zeta", "内设机构乙", "Zeta");
}

/* The strings of a listed finding are copies in the list's pool: the file and
 * rule id of consecutive findings are one copy, every other string its own;
 * a long message and a message cut inside a character come out whole; the
 * caller's buffers can change after the add; sd_finding_free on a listed
 * finding (select.c drops findings that way) frees only what is its own. */
static void test_pool_copies_and_shares(void **state)
{
    (void)state;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    char file[32] = "a.xml", rule[16] = "R1", loc[32] = "/a[1]", msg[32] = "one";
    sd_finding f = {.rule_id = rule, .severity = SD_SEV_ERROR, .file = file, .line = 1,
                    .location = loc, .message = msg};
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    strcpy(msg, "two");
    strcpy(loc, "/a[2]");
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    strcpy(file, "b.xml");
    strcpy(msg, "\xe4\xb8\x80\xe4\xb8"); /* 一 and half of another */
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    char *big = malloc(100001);
    assert_non_null(big);
    memset(big, 'x', 100000);
    big[100000] = '\0';
    f.message = big;
    f.suppress_reason = (char *)"why";
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    big[0] = 'y';
    assert_int_equal(d.count, 4);
    assert_true(d.items[0].pooled && d.items[3].pooled);
    assert_ptr_equal(d.items[0].file, d.items[1].file);
    assert_ptr_equal(d.items[0].rule_id, d.items[3].rule_id);
    assert_ptr_not_equal(d.items[0].file, d.items[2].file);
    assert_ptr_equal(d.items[2].file, d.items[3].file);
    assert_ptr_not_equal(d.items[0].message, d.items[1].message);
    assert_string_equal(d.items[0].message, "one");
    assert_string_equal(d.items[1].message, "two");
    assert_string_equal(d.items[0].location, "/a[1]");
    assert_string_equal(d.items[1].location, "/a[2]");
    assert_string_equal(d.items[1].file, "a.xml");
    assert_string_equal(d.items[2].file, "b.xml");
    assert_string_equal(d.items[2].message, "\xe4\xb8\x80");
    assert_int_equal(strlen(d.items[3].message), 100000);
    assert_int_equal(d.items[3].message[0], 'x');
    assert_string_equal(d.items[3].suppress_reason, "why");
    free(big);
    /* the pool outlives a finding freed inside the list */
    sd_finding_free(&d.items[3]);
    d.items[3].suppress_reason = NULL;
    assert_string_equal(d.items[2].message, "\xe4\xb8\x80");
    assert_string_equal(d.items[3].message + 99990, "xxxxxxxxxx");
    /* a listed finding's file is replaced through the list, into its pool */
    assert_int_equal(sd_diags_set_file(&d, 0, "c.txt", &err), SD_OK);
    assert_int_equal(sd_diags_set_file(&d, 1, "c.txt", &err), SD_OK);
    assert_string_equal(d.items[0].file, "c.txt");
    assert_ptr_equal(d.items[0].file, d.items[1].file);
    assert_int_equal(sd_diags_set_file(&d, 9, "c.txt", &err), SD_EINVAL);
    sd_diags_free(&d);
    assert_null(d.pool);
    assert_int_equal(d.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_does_not_depend_on_the_message),
        cmocka_unit_test(test_pool_copies_and_shares),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
