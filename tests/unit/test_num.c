/*
 * test_num.c — sd_num_parse_double reads exactly the C-locale form XPath 1.0
 * reads, and the C-locale bracket puts the thread in the C locale and back.
 * (Under a comma-decimal locale: tests/embed/run.sh.)
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "num.h"

static void test_accepts_the_xpath_form(void **state)
{
    (void)state;
    const struct {
        const char *s;
        double v;
    } ok[] = {{"0.30", 0.30}, {"4", 4}, {"-1", -1}, {".5", 0.5}, {"3.", 3}, {"-0.25", -0.25},
              {"0012", 12}, {"123456789012345678901234567890", 123456789012345678901234567890.0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -99;
        if (sd_num_parse_double(ok[i].s, &v) != 0)
            fail_msg("rejected \"%s\"", ok[i].s);
        assert_true(v == ok[i].v);
    }
}

static void test_rejects_everything_else(void **state)
{
    (void)state;
    const char *bad[] = {"", "-", ".", "0,30", "1e3", "+1", " 1", "1 ", "inf", "nan", "0x10",
                         "1.2.3", "--1", "1-", "٣"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 7;
        if (sd_num_parse_double(bad[i], &v) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_true(v == 7);
    }
    assert_int_equal(sd_num_parse_double(NULL, NULL), -1);
}

static void test_c_locale_bracket(void **state)
{
    (void)state;
    locale_t before = uselocale((locale_t)0);
    locale_t prev = sd_num_c_locale_begin();
    assert_true(prev != (locale_t)0);
    char buf[16];
    snprintf(buf, sizeof buf, "%.1f", 25.5);
    assert_string_equal(buf, "25.5");
    sd_num_c_locale_end(prev);
    assert_true(uselocale((locale_t)0) == before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_the_xpath_form),
        cmocka_unit_test(test_rejects_everything_else),
        cmocka_unit_test(test_c_locale_bracket),
    };
    return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
