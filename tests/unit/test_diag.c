/*
 * test_diag.c — the order of findings: by file, line, column, rule id, then
 * location and the order they were made in — never by message text, so a run
 * in Chinese and one in English list the same findings in the same order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_does_not_depend_on_the_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
