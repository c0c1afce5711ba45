/*
 * test_out.c — the text and JSON formatters on hand-made results: the marker
 * under a spot past Chinese characters, control bytes cleaned, long lines cut
 * to a window, JSON escaping, summaries; hostile names and texts escaped (no
 * control character but the line feed in text, valid UTF-8 in JSON); SVRL of
 * several inputs as one well-formed set whatever the file names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/parser.h>

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

static void test_control_bytes_and_line_breaks_are_escaped(void **state)
{
    (void)state;
    sd_result r = make_result("<a>\x01\x1b[31m</a>\n", 1, 0, "two\nlines");
    char *out = render(&sd_out_text, &r, SD_LANG_EN);
    assert_non_null(strstr(out, "error: two\\nlines [SD101]\n"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x01'));
    assert_non_null(strstr(out, "<a>\\x01\\x1b[31m</a>\n"));
    /* Underlined from the first character to the last as shown (escapes included). */
    assert_non_null(strstr(out, "      | ^~~~~~~~~~~~~~~~~~~\n"));
    assert_non_null(strstr(out, "1 file checked: 1 error, 0 warnings, 0 info\n"));
    free(out);
    sd_result_free(&r);
}

/* True when out holds no control character but the line feed. */
static int only_newlines(const char *out)
{
    for (const unsigned char *p = (const unsigned char *)out; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
            return 0;
    return 1;
}

static void test_hostile_file_name_cannot_forge_a_line(void **state)
{
    (void)state;
    const char *name = "x\nfake.xml:1:1: error: forged [SD999]\x1b]0;title\x07\r\xe2\x80\xae\xc2\x9b\xff.xml";
    sd_result r;
    memset(&r, 0, sizeof r);
    r.src.path = strdup(name);
    r.src.bytes = (unsigned char *)strdup("<a/>\n");
    r.src.len = 5;
    sd_diags_init(&r.diags);
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&r.diags, &err, "SD001", SD_SEV_FATAL, name, 1, 1, NULL,
                                   "m\xc2\x85\xe2\x81\xa6x\xe2\x80\x8b"),
                     SD_OK);
    char *out = render(&sd_out_text, &r, SD_LANG_EN);
    assert_true(only_newlines(out));
    assert_null(strstr(out, "\n" "fake.xml"));
    assert_non_null(strstr(out, "x\\nfake.xml:1:1: error: forged [SD999]\\x1b]0;title\\x07\\r"
                                "\\u202e\\u009b\\xff.xml:1:1: fatal: m\\u0085\\u2066x\\u200b [SD001]\n"));
    free(out);
    sd_result_free(&r);
}

static void test_marker_stays_under_the_spot_after_escapes(void **state)
{
    (void)state;
    /* A C1 control (6 columns as \u0085), a bidi override (6), a tab (to the
     * next stop of 8) and a Chinese character (2) before the spot "X". */
    sd_result r = make_result("a\xc2\x85\xe2\x80\xae\t办X\n", 1, 6, "m");
    char *out = render(&sd_out_text, &r, SD_LANG_EN);
    assert_true(only_newlines(out));
    assert_non_null(strstr(out, "    1 | a\\u0085\\u202e   办X\n"
                                "      |                   ^\n"));
    free(out);
    sd_result_free(&r);
}

static void test_summary_names_fatal_apart(void **state)
{
    (void)state;
    sd_result r = make_result("<a/>", 1, 1, "m");
    r.diags.items[0].severity = SD_SEV_FATAL;
    r.parsed = 0;
    char *out = render(&sd_out_text, &r, SD_LANG_ZH);
    assert_non_null(strstr(out, "共检查 1 个文件：1 个致命错误，0 个错误，0 个警告，0 个提示（其中 1 个文件无法检查）\n"));
    free(out);
    out = render(&sd_out_text, &r, SD_LANG_EN);
    assert_non_null(strstr(out, "1 file checked: 1 fatal, 0 errors, 0 warnings, 0 info (1 could not be checked)\n"));
    free(out);
    out = render(&sd_out_json, &r, SD_LANG_EN);
    assert_non_null(strstr(out, "\"unchecked\": 1, \"skipped\": 0, \"fatal\": 1, \"error\": 0,"));
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
    assert_non_null(strstr(out, "\"summary\": {\"files\": 1, \"unchecked\": 0, \"skipped\": 0, \"fatal\": 0, "
                                "\"error\": 1, \"warning\": 0, \"info\": 0, \"suppressed\": 0, "
                                "\"baselined\": 0}"));
    free(out);
    sd_result_free(&r);
}

/* Strict UTF-8: no overlong forms, surrogates or values above U+10FFFF. */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t k = sd_utf8_decode((const char *)p, strlen((const char *)p), &cp);
        if (k == 0)
            return 0;
        p += k;
    }
    return 1;
}

static void test_json_is_valid_utf8_for_any_bytes(void **state)
{
    (void)state;
    sd_result r = make_result("<a/>", 1, 1, "cut \xe4\xb8 here \xc2\x85 \xe2\x80\xae \xf3\xa0\x80\x81");
    /* a listed finding's strings belong to the list's pool (diag.h): not
     * freed one by one, so a literal can stand in for the file */
    r.diags.items[0].file = (char *)"bad\xff\xc0\xaf\xed\xa0\x80.xml";
    r.diags.items[0].end_line = 1;
    r.diags.items[0].end_col = 5;
    r.diags.items[0].offset = 0;
    char *out = render(&sd_out_json, &r, SD_LANG_EN);
    assert_true(valid_utf8(out));
    assert_non_null(strstr(out, "\"file\": \"bad\\\\xff\\\\xc0\\\\xaf\\\\xed\\\\xa0\\\\x80.xml\""));
    assert_non_null(strstr(out, "\"message\": \"cut \\\\xe4\\\\xb8 here \\u0085 \\u202e \\udb40\\udc01\"}"));
    assert_non_null(strstr(out, "\"line\": 1, \"column\": 1, \"endLine\": 1, \"endColumn\": 5, \"offset\": 0, \"location\""));
    free(out);
    sd_result_free(&r);
}

static void test_json_whole_file_finding_has_no_end(void **state)
{
    (void)state;
    sd_result r = make_result("<a/>", 0, 0, "m");
    char *out = render(&sd_out_json, &r, SD_LANG_EN);
    assert_non_null(strstr(out, "\"line\": 0, \"column\": 0, \"location\""));
    assert_null(strstr(out, "endLine"));
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

/* Several inputs: one well-formed document, a report per input in order (one
 * with its SVRL, one without), hostile bytes in a path shown escaped; a run
 * cut short says so. */
static void test_svrl_set_is_one_document(void **state)
{
    (void)state;
    sd_result r1 = make_result("<x/>", 1, 1, "m");
    r1.svrl = calloc(1, sizeof *r1.svrl);
    assert_non_null(r1.svrl);
    sd_buf_puts(&r1.svrl->body, "  <svrl:active-pattern/>\n");
    sd_result r2 = make_result("<x/>", 1, 1, "m");
    free(r2.src.path);
    r2.src.path = strdup("b\x01\xff\x1b[31m<&\"\n.xml");
    for (int stopped = 0; stopped < 2; stopped++) {
        sd_out_options o = {.lang = SD_LANG_EN, .min_severity = SD_SEV_INFO, .svrl_set = 1};
        sd_summary s = {0};
        sd_buf b;
        sd_buf_init(&b);
        sd_out_svrl.begin(&b, &o);
        sd_out_svrl.file(&b, &r1, 0, &o);
        sd_out_svrl.file(&b, &r2, 1, &o);
        sd_out_svrl.end(&b, stopped ? NULL : &s, &o);
        assert_false(sd_buf_failed(&b));
        xmlDocPtr d = xmlReadMemory(b.data, (int)b.len, "set.xml", NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        assert_non_null(d);
        xmlNodePtr root = xmlDocGetRootElement(d);
        assert_string_equal((const char *)root->name, "svrl-set");
        assert_string_equal((const char *)root->ns->href, "urn:sdlint:svrl-set");
        assert_non_null(strstr(b.data, "path=\"a.xml\">"));
        assert_non_null(strstr(b.data, "path=\"b\\x01\\xff\\x1b[31m&lt;&amp;&quot;&#10;.xml\" checked=\"false\"/>"));
        assert_int_equal(strstr(b.data, "svrl:schematron-output") != NULL, 1);
        assert_int_equal(strstr(b.data, "<set:stopped/>") != NULL, stopped);
        xmlFreeDoc(d);
        sd_buf_free(&b);
    }
    sd_result_free(&r1);
    sd_result_free(&r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marker_counts_wide_characters),
        cmocka_unit_test(test_control_bytes_and_line_breaks_are_escaped),
        cmocka_unit_test(test_hostile_file_name_cannot_forge_a_line),
        cmocka_unit_test(test_marker_stays_under_the_spot_after_escapes),
        cmocka_unit_test(test_summary_names_fatal_apart),
        cmocka_unit_test(test_long_line_is_a_window),
        cmocka_unit_test(test_json_is_escaped),
        cmocka_unit_test(test_json_is_valid_utf8_for_any_bytes),
        cmocka_unit_test(test_json_whole_file_finding_has_no_end),
        cmocka_unit_test(test_min_severity_filters),
        cmocka_unit_test(test_svrl_set_is_one_document),
    };
    return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
