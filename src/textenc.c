/*
 * textenc.c — decoding a plain-text 三定 to UTF-8 (see textenc.h).
 *
 * Why here and not in the importer: the importer's patterns are UTF-8 only, and
 * a wrong guess must fail loudly with the byte offset rather than produce
 * mojibake that no pattern matches and every sentence turns into SD301.
 * GB18030 is tried only when the bytes are not UTF-8: GB18030 decodes almost
 * any byte string, so it is a fallback, never a competitor of UTF-8.
 * iconv comes from glibc (no new dependency); each call opens its own
 * descriptor, so calls on several threads do not share state.
 */
#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

/* Offset of the first byte that does not start a valid UTF-8 character, or len. */
static size_t utf8_bad_offset(const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (b[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = sd_utf8_decode((const char *)b + i, len - i, &cp);
        if (k == 0)
            return i;
        i += k;
    }
    return len;
}

enum { CONV_OK = 0, CONV_BAD = -1, CONV_UNKNOWN = -2, CONV_NOMEM = -3 };

/* Converts with iconv from `from` to UTF-8; on CONV_BAD *bad is the input
 * offset of the first byte that does not decode (or that starts an incomplete
 * sequence at the end). */
static int convert(const unsigned char *bytes, size_t len, const char *from, char **out,
                   size_t *out_len, size_t *bad, int *incomplete)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return CONV_UNKNOWN;
    /* 4 output bytes per input byte covers every encoding iconv knows but
     * UTF-7-like ones; the loop grows the buffer when it does not. */
    size_t cap = len > (SIZE_MAX - 16) / 4 ? len : len * 4 + 16;
    char *buf = malloc(cap);
    if (buf == NULL) {
        iconv_close(cd);
        return CONV_NOMEM;
    }
    char *in = (char *)bytes;
    size_t in_left = len;
    size_t used = 0;
    int rc = CONV_OK;
    while (in_left > 0) {
        char *o = buf + used;
        size_t o_left = cap - used - 1;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        used = (size_t)(o - buf);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (cap > SIZE_MAX / 2) {
                rc = CONV_NOMEM;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                rc = CONV_NOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
            continue;
        }
        *bad = (size_t)((const unsigned char *)in - bytes);
        *incomplete = errno == EINVAL;
        rc = CONV_BAD;
        break;
    }
    /* A stateful encoding may have a shift sequence to finish. */
    if (rc == CONV_OK) {
        char *o = buf + used;
        size_t o_left = cap - used - 1;
        if (iconv(cd, NULL, NULL, &o, &o_left) == (size_t)-1) {
            *bad = len;
            *incomplete = 1;
            rc = CONV_BAD;
        }
        used = (size_t)(o - buf);
    }
    iconv_close(cd);
    if (rc != CONV_OK) {
        free(buf);
        return rc;
    }
    buf[used] = '\0';
    *out = buf;
    *out_len = used;
    return CONV_OK;
}

static sd_status copy_utf8(const unsigned char *b, size_t len, char **out, size_t *out_len,
                           sd_error *err)
{
    char *s = malloc(len + 1);
    if (s == NULL)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory decoding text");
    memcpy(s, b, len);
    s[len] = '\0';
    *out = s;
    *out_len = len;
    return SD_OK;
}

static int has_utf8_bom(const unsigned char *b, size_t len)
{
    return len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
}

static int is_utf8_name(const char *n)
{
    return strcasecmp(n, "UTF-8") == 0 || strcasecmp(n, "UTF8") == 0;
}

/* The decoded text must be usable as C strings by the importer: no NUL
 * (a declared UTF-16 text may hold U+0000; other paths refuse NUL bytes first). */
static sd_status refuse_nul(char **s, size_t len, sd_error *err)
{
    const char *z = memchr(*s, '\0', len);
    if (z == NULL)
        return SD_OK;
    size_t at = (size_t)(z - *s);
    free(*s);
    *s = NULL;
    return sd_error_set(err, SD_EENCODING, "", 0,
                        "the text contains a NUL character (at byte %zu of its UTF-8 form): "
                        "not a text file",
                        at);
}

static sd_status decode_as(const unsigned char *bytes, size_t len, const char *name,
                           size_t skipped, char **utf8, size_t *utf8_len, sd_error *err)
{
    size_t bad = 0;
    int incomplete = 0;
    int rc = convert(bytes, len, name, utf8, utf8_len, &bad, &incomplete);
    if (rc == CONV_UNKNOWN)
        return sd_error_set(err, SD_EINVAL, "", 0, "unknown encoding \"%s\"", name);
    if (rc == CONV_NOMEM)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory decoding text");
    if (rc == CONV_BAD)
        return sd_error_set(err, SD_EENCODING, "", 0,
                            incomplete ? "the text ends inside a %s character (byte offset %zu)"
                                       : "the text is not valid %s at byte offset %zu",
                            name, bad + skipped);
    return refuse_nul(utf8, *utf8_len, err);
}

static sd_status decode(const unsigned char *bytes, size_t len, const char *declared,
                        char **utf8, size_t *utf8_len, const char **detected, sd_error *err)
{
    *utf8 = NULL;
    *utf8_len = 0;
    if (detected)
        *detected = NULL;
    if (bytes == NULL)
        len = 0;
    static const unsigned char empty[1] = {0};
    if (len == 0)
        bytes = empty;

    if (declared != NULL && !is_utf8_name(declared)) {
        sd_status st = decode_as(bytes, len, declared, 0, utf8, utf8_len, err);
        if (st == SD_OK && detected)
            *detected = declared;
        return st;
    }

    size_t skip = 0;
    if (has_utf8_bom(bytes, len)) {
        skip = 3;
    } else if (declared == NULL && len >= 2 &&
               ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) {
        const char *name = bytes[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        sd_status st = decode_as(bytes + 2, len - 2, name, 2, utf8, utf8_len, err);
        if (st == SD_OK && detected)
            *detected = name;
        return st;
    }

    const unsigned char *b = bytes + skip;
    size_t n = len - skip;
    /* Neither UTF-8 nor GB18030 uses a zero byte inside a character, so a NUL
     * byte is U+0000 in both: refuse it at its offset before guessing. */
    const unsigned char *z = memchr(b, 0, n);
    if (z != NULL)
        return sd_error_set(err, SD_EENCODING, "", 0,
                            "the text contains a NUL byte at byte offset %zu: not a text file "
                            "(UTF-16 without a byte-order mark? try --encoding UTF-16LE)",
                            (size_t)(z - bytes));
    size_t bad = utf8_bad_offset(b, n);
    if (bad == n) {
        sd_status st = copy_utf8(b, n, utf8, utf8_len, err);
        if (st == SD_OK && detected)
            *detected = declared ? declared : "UTF-8";
        return st;
    }
    if (declared != NULL || skip != 0)
        return sd_error_set(err, SD_EENCODING, "", 0,
                            "the text is not valid UTF-8 at byte offset %zu%s", bad + skip,
                            skip ? " (it starts with a UTF-8 byte-order mark)" : "");

    size_t gb_bad = 0;
    int incomplete = 0;
    int rc = convert(b, n, "GB18030", utf8, utf8_len, &gb_bad, &incomplete);
    if (rc == CONV_NOMEM)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory decoding text");
    if (rc != CONV_OK)
        return sd_error_set(err, SD_EENCODING, "", 0,
                            "the text is neither UTF-8 (bad byte at offset %zu) nor GB18030/GBK "
                            "(bad byte at offset %zu); name its encoding with --encoding",
                            bad, gb_bad);
    if (detected)
        *detected = "GB18030";
    return SD_OK;
}

sd_status sd_text_decode(const unsigned char *bytes, size_t len, const char *declared,
                         char **utf8, size_t *utf8_len, const char **detected, sd_error *err)
{
    sd_status st = decode(bytes, len, declared, utf8, utf8_len, detected, err);
    if (st != SD_OK) {
        free(*utf8);
        *utf8 = NULL;
        *utf8_len = 0;
        if (detected)
            *detected = NULL;
    }
    return st;
}
