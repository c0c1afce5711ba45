/*
 * test_textenc.c — sd_text_decode: UTF-8 with and without a BOM, UTF-16 with a
 * BOM, GB18030/GBK detected only when the bytes are not UTF-8, declared
 * encodings, and bad input refused with its byte offset.
 *
 * The GB18030 bytes are real encoder output, made with
 *   python3 -c "print('三定规定'.encode('gb18030'))"
 * (and likewise for each string below), pasted as escapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "textenc.h"

#define B(s) (const unsigned char *)(s), sizeof(s) - 1

static void expect(const unsigned char *b, size_t n, const char *declared, const char *want,
                   const char *want_enc)
{
    char *out = NULL;
    size_t len = 99;
    const char *enc = NULL;
    sd_error err = {0};
    sd_status st = sd_text_decode(b, n, declared, &out, &len, &enc, &err);
    if (st != SD_OK)
        fail_msg("decode failed: %s", err.msg);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    assert_string_equal(enc, want_enc);
    free(out);
}

/* Returns the message of the expected failure (static storage). */
static const char *expect_fail(const unsigned char *b, size_t n, const char *declared,
                               sd_status want)
{
    static sd_error err;
    char *out = (char *)1;
    size_t len = 99;
    const char *enc = "x";
    memset(&err, 0, sizeof err);
    sd_status st = sd_text_decode(b, n, declared, &out, &len, &enc, &err);
    assert_int_equal(st, want);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_null(enc);
    assert_int_equal(err.code, want);
    return err.msg;
}

static void test_utf8(void **state)
{
    (void)state;
    expect(B("第一条　为了"), NULL, "第一条　为了", "UTF-8");
    expect(B("\xef\xbb\xbf第一条"), NULL, "第一条", "UTF-8");
    expect(B(""), NULL, "", "UTF-8");
    expect(NULL, 0, NULL, "", "UTF-8");
    expect(B("\xef\xbb\xbf"), NULL, "", "UTF-8");
    expect(B("\xf0\xa0\x80\x80"), NULL, "\xf0\xa0\x80\x80", "UTF-8"); /* 𠀀, 4 bytes */
}

static void test_utf16_bom(void **state)
{
    (void)state;
    expect(B("\xff\xfe\x09\x4e\x9a\x5b"), NULL, "三定", "UTF-16LE");
    expect(B("\xfe\xff\x4e\x09\x5b\x9a"), NULL, "三定", "UTF-16BE");
    /* a lone surrogate in UTF-16 does not decode: its offset, BOM included */
    const char *m = expect_fail(B("\xff\xfe\x09\x4e\x00\xd8\x41\x00"), NULL, SD_EENCODING);
    assert_non_null(strstr(m, "UTF-16LE"));
    assert_non_null(strstr(m, "offset 4"));
}

static void test_gbk_detected(void **state)
{
    (void)state;
    expect(B("\xc8\xfd\xb6\xa8\xb9\xe6\xb6\xa8"), NULL, "三定规定", "GB18030");
    expect(B("\xbb\xfa\xb9\xd8\xd0\xd0\xd5\xfe\xb1\xe0\xd6\xc6\x36\x38\xc3\xfb\xa1\xa3"), NULL,
           "机关行政编制68名。", "GB18030");
    /* GB18030's four-byte forms: € (A2E3) and 𠀀 (95 32 82 36) */
    expect(B("\xa2\xe3\x95\x32\x82\x36"), NULL, "€𠀀", "GB18030");
    /* full-width space A1A1 and the 第一条 line */
    expect(B("\xb5\xda\xd2\xbb\xcc\xf5\xa1\xa1\xce\xaa\xc1\xcb"), NULL, "第一条　为了", "GB18030");
}

static void test_declared(void **state)
{
    (void)state;
    expect(B("\xc8\xfd\xb6\xa8"), "GBK", "三定", "GBK");
    expect(B("\xa4\x54\xa9\x77"), "BIG5", "三定", "BIG5");
    expect(B("\x09\x4e\x9a\x5b"), "UTF-16LE", "三定", "UTF-16LE");
    expect(B("\xef\xbb\xbf三定"), "UTF-8", "三定", "UTF-8");
    expect(B("三定"), "utf8", "三定", "utf8");
    /* declared UTF-8 is not second-guessed as GBK */
    const char *m = expect_fail(B("ab\xc8\xfd"), "UTF-8", SD_EENCODING);
    assert_non_null(strstr(m, "offset 2"));
    m = expect_fail(B("abc"), "NO-SUCH-ENCODING-XYZ", SD_EINVAL);
    assert_non_null(strstr(m, "NO-SUCH-ENCODING-XYZ"));
    /* GBK declared, a byte that is not GBK at offset 2 */
    m = expect_fail(B("\xc8\xfd\xff\xff"), "GBK", SD_EENCODING);
    assert_non_null(strstr(m, "offset 2"));
    /* a truncated double-byte character at the end */
    m = expect_fail(B("\xc8\xfd\xb6"), "GBK", SD_EENCODING);
    assert_non_null(strstr(m, "ends inside"));
    assert_non_null(strstr(m, "offset 2"));
}

static void test_bad_input(void **state)
{
    (void)state;
    /* neither UTF-8 nor GB18030: both offsets named */
    const char *m = expect_fail(B("三定\xff\xff"), NULL, SD_EENCODING);
    assert_non_null(strstr(m, "UTF-8 (bad byte at offset 6)"));
    assert_non_null(strstr(m, "GB18030"));
    /* a UTF-8 BOM then bytes that are not UTF-8: no GBK guess */
    m = expect_fail(B("\xef\xbb\xbf" "ab\xc8\xfd"), NULL, SD_EENCODING);
    assert_non_null(strstr(m, "offset 5"));
    /* an overlong UTF-8 form is not UTF-8, and C0 AF happens to be GBK (蜡):
     * strict UTF-8 checking is what sends it to the GB18030 fallback */
    expect(B("a\xc0\xaf"), NULL, "a蜡", "GB18030");
    m = expect_fail(B("a\xc0\x20"), NULL, SD_EENCODING);
    assert_non_null(strstr(m, "offset 1)"));
    /* UTF-16 without a BOM: NUL bytes, with a hint */
    m = expect_fail(B("\x09\x4e\x9a\x5b\x41\x00"), NULL, SD_EENCODING);
    assert_non_null(strstr(m, "NUL"));
    assert_non_null(strstr(m, "offset 5"));
    m = expect_fail(B("abc\0def"), NULL, SD_EENCODING);
    assert_non_null(strstr(m, "offset 3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf16_bom),
        cmocka_unit_test(test_gbk_detected),
        cmocka_unit_test(test_declared),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
