/*
 * test_out.c — the text and JSON formatters on hand-made results: the marker
 * under a spot past Chinese characters, control bytes cleaned, long lines cut
 * to a window, JSON escaping, summaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out.h"

static sd_result make_result(const char *text, long line, long col, const char *msg)
{
    sd_result r;
    memset(&r, 0, sizeof r);
    r.src.path = strdup("a.xml");
    r.src.bytes = (unsigned char *)strdup(text);
    r.src.len = strlen(text);
    r.parsed = 1;
    r.kind = SD_KIND_SANDING;
    sd_diags_init(&r.diags);
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&r.diags, &err, "SD101", SD_SEV_ERROR, "a.xml", line, col,
                                   "/x[1]", "%s", msg),
                     SD_OK);
    return r;
}

static char *render(const sd_formatter *f, const sd_result *r, sd_lang lang)
{
    sd_out_options o = {.lang = lang, .min_severity = SD_SEV_INFO, .summary = 1,
                        .version = "9.9"};
    sd_summary s = {0};
    sd_buf b;
    sd_buf_init(&b);
    f->begin(&b, &o);
    f->file(&b, r, 0, &o);
    sd_summary_add(&s, r, o.min_severity);
    f->end(&b, &s, &o);
    assert_false(sd_buf_failed(&b));
    return b.data;
}

static void test_marker_counts_wide_characters(void **state)
{
    (void)state;
    sd_result r = make_result("<a>\n  <u name=\"办公室\" posts=\"3\"/>\n</a>\n", 2, 16, "m");
    char *out = render(&sd_out_text, &r, SD_LANG_ZH);
    assert_string_equal(out,
                        "a.xml:2:16: error: m [SD101]\n"
                        "    2 |   <u name=\"办公室\" posts=\"3\"/>\n"
                        "      |                   ^\n"
                        "共检查 1 个文件：1 个错误，0 个警告，0 个提示\n");
    free(out);
    sd_result_free(&r);
}

static void test_control_bytes_and_line_breaks_are_cleaned(void **state)
{
    (void)state;
    sd_result r = make_result("<a>\x01\x1b[31m</a>\n", 1, 0, "two\nlines");
    char *out = render(&sd_out_text, &r, SD_LANG_EN);
    assert_non_null(strstr(out, "error: two lines [SD101]\n"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x01'));
    assert_non_null(strstr(out, "<a>\xEF\xBF\xBD\xEF\xBF\xBD[31m</a>"));
    assert_non_null(strstr(out, "1 file checked: 1 error, 0 warnings, 0 info\n"));
    free(out);
    sd_result_free(&r);
}

static void test_long_line_is_a_window(void **state)
{
    (void)state;
    char *line = malloc(5001);
    memset(line, 'x', 5000);
    line[5000] = '\0';
    memcpy(line + 4000, "HERE", 4);
    sd_result r = make_result(line, 1, 4001, "m");
    char *out = render(&sd_out_text, &r, SD_LANG_EN);
    assert_true(strlen(out) < 600);
    assert_non_null(strstr(out, "…"));
    assert_non_null(strstr(out, "HERE"));
    free(out);
    free(line);
    sd_result_free(&r);
}

static void test_json_is_escaped(void **state)
{
    (void)state;
    sd_result r = make_result("<a/>", 1, 1, "say \"hi\"\\\n\t\x01");
    char *out = render(&sd_out_json, &r, SD_LANG_ZH);
    assert_non_null(strstr(out, "\"message\": \"say \\\"hi\\\"\\\\\\n\\t\\u0001\"}"));
    assert_non_null(strstr(out, "\"tool\": {\"name\": \"sdlint\", \"version\": \"9.9\"}"));
    assert_non_null(strstr(out, "\"kind\": \"sanding\", \"checked\": true"));
    assert_non_null(strstr(out, "\"location\": \"/x[1]\""));
    assert_non_null(strstr(out, "\"summary\": {\"files\": 1, \"unchecked\": 0, \"fatal\": 0, "
                                "\"error\": 1, \"warning\": 0, \"info\": 0}"));
    free(out);
    sd_result_free(&r);
}

static void test_min_severity_filters(void **state)
{
    (void)state;
    sd_result r = make_result("<a/>", 1, 1, "m");
    r.diags.items[0].severity = SD_SEV_WARNING;
    sd_out_options o = {.lang = SD_LANG_EN, .min_severity = SD_SEV_ERROR};
    sd_buf b;
    sd_buf_init(&b);
    sd_out_text.file(&b, &r, 0, &o);
    assert_int_equal(b.len, 0);
    sd_buf_free(&b);
    sd_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marker_counts_wide_characters),
        cmocka_unit_test(test_control_bytes_and_line_breaks_are_cleaned),
        cmocka_unit_test(test_long_line_is_a_window),
        cmocka_unit_test(test_json_is_escaped),
        cmocka_unit_test(test_min_severity_filters),
    };
    return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
