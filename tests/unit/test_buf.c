/*
 * test_buf.c — the escapings and the UTF-8 helpers every output relies on, and
 * the fixed buffers that truncate (sd_error) or no longer do (a finding's
 * message): strict decoding, cutting only between characters, terminal escapes
 * with their widths, JSON that is valid UTF-8 for any bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "error.h"

static int valid_utf8(const char *s)
{
    size_t n = strlen(s), off = 0;
    uint32_t cp;
    while (off < n) {
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        if (k == 0)
            return 0;
        off += k;
    }
    return 1;
}

static void test_decode_is_strict(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(sd_utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
    assert_int_equal(cp, 0x4E2D);
    assert_int_equal(sd_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(sd_utf8_decode("\xc0\xaf", 2, &cp), 0);         /* overlong '/' */
    assert_int_equal(sd_utf8_decode("\xe0\x80\xaf", 3, &cp), 0);     /* overlong */
    assert_int_equal(sd_utf8_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
    assert_int_equal(sd_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* above U+10FFFF */
    assert_int_equal(sd_utf8_decode("\xe4\xb8", 2, &cp), 0);         /* cut short */
    assert_int_equal(sd_utf8_decode("\x80", 1, &cp), 0);
    assert_int_equal(sd_utf8_decode("\xff", 1, &cp), 0);
}

static void test_cut_between_characters(void **state)
{
    (void)state;
    const char *s = "ab中文";                  /* 2 + 3 + 3 bytes */
    assert_int_equal(sd_utf8_cut(s, 8), 8);
    assert_int_equal(sd_utf8_cut(s, 7), 5);
    assert_int_equal(sd_utf8_cut(s, 6), 5);
    assert_int_equal(sd_utf8_cut(s, 5), 5);
    assert_int_equal(sd_utf8_cut(s, 3), 2);
    assert_int_equal(sd_utf8_cut(s, 2), 2);
    char buf[7];
    snprintf(buf, sizeof buf, "%s", s);
    sd_utf8_fix_truncated(buf, sizeof buf);
    assert_string_equal(buf, "ab中");
}

static char *term(const char *s, size_t *cols)
{
    sd_buf b;
    sd_buf_init(&b);
    *cols = sd_buf_term_str(&b, s);
    sd_buf_add(&b, "", 0);
    return b.data;
}

static void test_terminal_escapes(void **state)
{
    (void)state;
    size_t cols;
    char *out = term("a\nb\r\t\x1b[2J\x7f\xc2\x9b\xc2\x85\xe2\x80\xae\xe2\x81\xa9\xef\xbb\xbf"
                     "\xf3\xa0\x80\x81\xff中", &cols);
    assert_string_equal(out, "a\\nb\\r\\t\\x1b[2J\\x7f\\u009b\\u0085\\u202e\\u2069\\ufeff"
                             "\\U000e0001\\xff中");
    assert_int_equal(cols, strlen(out) - 3 + 2); /* every byte one column, 中 two */
    free(out);
    out = term("plain 三定 text", &cols);
    assert_string_equal(out, "plain 三定 text");
    assert_int_equal(cols, 15);
    free(out);
}

static void test_json_escapes(void **state)
{
    (void)state;
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_json_str(&b, "q\"\\\x01\x7f\xc2\x85\xe2\x80\xa8\xe2\x80\xae\xf3\xa0\x80\x81\xff\xe4\xb8中");
    assert_string_equal(b.data, "q\\\"\\\\\\u0001\\u007f\\u0085\\u2028\\u202e\\udb40\\udc01"
                                "\\\\xff\\\\xe4\\\\xb8中");
    assert_true(valid_utf8(b.data));
    sd_buf_free(&b);
}

static void test_error_message_is_cut_between_characters(void **state)
{
    (void)state;
    char text[3001];
    for (size_t i = 0; i < 1000; i++)
        memcpy(text + 3 * i, "错", 3);
    text[3000] = '\0';
    char name[3002] = "x";
    memcpy(name + 1, text, sizeof text);
    sd_error err;
    for (size_t lead = 0; lead < 3; lead++) {
        sd_error_set(&err, SD_EIO, name, 0, "%.*s%s", (int)lead, "xx", text);
        assert_true(strlen(err.msg) < sizeof err.msg);
        assert_true(strlen(err.msg) > sizeof err.msg - 5);
        assert_true(valid_utf8(err.msg));
        assert_true(valid_utf8(err.file));
    }
}

static void test_finding_message_is_not_cut(void **state)
{
    (void)state;
    char *text = malloc(30001);
    for (size_t i = 0; i < 10000; i++)
        memcpy(text + 3 * i, "错", 3);
    text[30000] = '\0';
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&d, &err, "SD001", SD_SEV_ERROR, "a.xml", 1, 1, NULL,
                                   "x%s", text),
                     SD_OK);
    assert_int_equal(strlen(d.items[0].message), 30001);
    assert_true(valid_utf8(d.items[0].message));
    sd_diags_free(&d);
    free(text);
}

static void test_finding_drops_a_character_cut_at_the_end(void **state)
{
    (void)state;
    char cut[16];
    snprintf(cut, sizeof cut, "%s", "a值：名字名字"); /* 15 bytes: the third 名 loses a byte */
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    assert_int_equal(sd_diags_addf(&d, &err, "SD002", SD_SEV_ERROR, "a.xml", 1, 1, NULL, "%s", cut),
                     SD_OK);
    assert_string_equal(d.items[0].message, "a值：名字");
    sd_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_is_strict),
        cmocka_unit_test(test_cut_between_characters),
        cmocka_unit_test(test_terminal_escapes),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_error_message_is_cut_between_characters),
        cmocka_unit_test(test_finding_message_is_not_cut),
        cmocka_unit_test(test_finding_drops_a_character_cut_at_the_end),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
