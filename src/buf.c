/*
 * buf.c — growable buffer with geometric growth (amortised O(1) appends), and
 * the escapings for terminal text and JSON strings.  Each escaping is one pass
 * over its input, at most 10 output bytes per input byte.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sd_buf_init(sd_buf *b)
{
    memset(b, 0, sizeof *b);
}

static int reserve(sd_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    /* Far beyond any report, and the doubling below can never wrap. */
    if (b->len > SIZE_MAX / 4 || extra > SIZE_MAX / 4 - b->len) {
        b->failed = 1;
        return 0;
    }
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (d == NULL) {
        b->failed = 1;
        return 0;
    }
    b->data = d;
    b->cap = cap;
    return 1;
}

void sd_buf_add(sd_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sd_buf_puts(sd_buf *b, const char *s)
{
    sd_buf_add(b, s, strlen(s));
}

void sd_buf_put_long(sd_buf *b, const char *label, long v)
{
    char num[24];
    size_t k = sizeof num;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        num[--k] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        num[--k] = '-';
    sd_buf_puts(b, label);
    sd_buf_add(b, num + k, sizeof num - k);
}

void sd_buf_printf(sd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sd_buf_add(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

size_t sd_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t k;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, v = c & 0x1Fu, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, v = c & 0x0Fu, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, v = c & 0x07u, min = 0x10000;
    else
        return 0;
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return k;
}

size_t sd_utf8_cut(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t j = n;
    while (j > 0 && n - j < 3 && (p[j - 1] & 0xC0) == 0x80)
        j--;
    if (j == 0)
        return n;
    unsigned char lead = p[j - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - (j - 1) < need ? j - 1 : n;
}

void sd_utf8_fix_truncated(char *buf, size_t size)
{
    if (size == 0)
        return;
    size_t len = strnlen(buf, size);
    if (len + 1 >= size)
        buf[sd_utf8_cut(buf, len < size ? len : size - 1)] = '\0';
}

/* Characters a reader cannot see or that steer the terminal or the text
 * direction: C0 and C1 controls, DEL, and the format (Cf), line and paragraph
 * separators and invisible fillers of Unicode. */
static int is_hidden(uint32_t cp)
{
    static const uint32_t RANGES[][2] = {
        {0x00, 0x1F}, {0x7F, 0x9F}, {0xAD, 0xAD}, {0x600, 0x605}, {0x61C, 0x61C},
        {0x6DD, 0x6DD}, {0x70F, 0x70F}, {0x890, 0x891}, {0x8E2, 0x8E2}, {0x115F, 0x1160},
        {0x180E, 0x180E}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x206F},
        {0x3164, 0x3164}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF9, 0xFFFB},
        {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
        {0x1D173, 0x1D17A}, {0xE0000, 0xE007F},
    };
    if ((cp > 0x206F && cp < 0x3164) || (cp > 0x3164 && cp < 0xFEFF))
        return 0; /* none in between: CJK and most other text, at once */
    for (size_t i = 0; i < sizeof RANGES / sizeof RANGES[0] && cp >= RANGES[i][0]; i++)
        if (cp <= RANGES[i][1])
            return 1; /* (the ranges are in ascending order) */
    return 0;
}

static int width_of(uint32_t cp)
{
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
        (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
        (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

static const char HEX[] = "0123456789abcdef";

/* Writes the escape of cp (or of the invalid byte when invalid) into out. */
static size_t escape_of(uint32_t cp, int invalid, char *out)
{
    size_t n = 0;
    out[n++] = '\\';
    if (!invalid && cp == '\n') {
        out[n++] = 'n';
    } else if (!invalid && cp == '\r') {
        out[n++] = 'r';
    } else if (!invalid && cp == '\t') {
        out[n++] = 't';
    } else if (invalid || cp < 0x80) {
        out[n++] = 'x';
        out[n++] = HEX[(cp >> 4) & 0xF];
        out[n++] = HEX[cp & 0xF];
    } else {
        int digits = cp > 0xFFFF ? 8 : 4;
        out[n++] = cp > 0xFFFF ? 'U' : 'u';
        for (int i = digits - 1; i >= 0; i--)
            out[n++] = HEX[(cp >> (4 * i)) & 0xF];
    }
    return n;
}

void sd_term_next(const char *s, size_t n, sd_term_char *c)
{
    if ((unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7F) { /* printable ASCII */
        c->len = 1;
        c->cp = (unsigned char)s[0];
        c->shown = s;
        c->shown_len = 1;
        c->cols = 1;
        c->escaped = 0;
        return;
    }
    uint32_t cp = 0;
    size_t k = sd_utf8_decode(s, n, &cp);
    int invalid = k == 0;
    if (invalid) {
        k = 1;
        cp = (unsigned char)s[0];
    }
    c->len = k;
    c->cp = invalid ? 0xFFFD : cp;
    if (invalid || is_hidden(cp)) {
        c->shown_len = escape_of(cp, invalid, c->esc);
        c->shown = c->esc;
        c->cols = (int)c->shown_len;
        c->escaped = 1;
    } else {
        c->shown = s;
        c->shown_len = k;
        c->cols = width_of(cp);
        c->escaped = 0;
    }
}

size_t sd_buf_term(sd_buf *b, const char *s, size_t n)
{
    size_t cols = 0, off = 0;
    sd_term_char c;
    while (off < n) {
        size_t run = off; /* printable ASCII is copied as a run */
        while (off < n && (unsigned char)s[off] >= 0x20 && (unsigned char)s[off] < 0x7F)
            off++;
        if (off > run) {
            sd_buf_add(b, s + run, off - run);
            cols += off - run;
            continue;
        }
        sd_term_next(s + off, n - off, &c);
        sd_buf_add(b, c.shown, c.shown_len);
        cols += (size_t)c.cols;
        off += c.len;
    }
    return cols;
}

size_t sd_buf_term_str(sd_buf *b, const char *s)
{
    return s ? sd_buf_term(b, s, strlen(s)) : 0;
}

static void json_u(sd_buf *b, uint32_t u)
{
    char e[6] = {'\\', 'u', HEX[(u >> 12) & 0xF], HEX[(u >> 8) & 0xF], HEX[(u >> 4) & 0xF],
                 HEX[u & 0xF]};
    sd_buf_add(b, e, sizeof e);
}

void sd_buf_json_str_or_null(sd_buf *b, const char *s)
{
    if (s == NULL) {
        sd_buf_puts(b, "null");
        return;
    }
    sd_buf_puts(b, "\"");
    sd_buf_json_str(b, s);
    sd_buf_puts(b, "\"");
}

void sd_buf_json_str(sd_buf *b, const char *s)
{
    s = s ? s : "";
    size_t n = strlen(s), off = 0;
    while (off < n) {
        /* printable ASCII other than " and \ is copied as a run */
        size_t run = off;
        while (off < n && (unsigned char)s[off] >= 0x20 && (unsigned char)s[off] < 0x7F &&
               s[off] != '"' && s[off] != '\\')
            off++;
        if (off > run)
            sd_buf_add(b, s + run, off - run);
        if (off == n)
            break;
        uint32_t cp;
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        if (k == 0) {
            /* Not UTF-8: the byte is shown as the text \xff (JSON "\\xff"). */
            char e[5] = {'\\', '\\', 'x', HEX[((unsigned char)s[off] >> 4) & 0xF],
                         HEX[(unsigned char)s[off] & 0xF]};
            sd_buf_add(b, e, sizeof e);
            off++;
            continue;
        }
        if (cp == '"')
            sd_buf_puts(b, "\\\"");
        else if (cp == '\\')
            sd_buf_puts(b, "\\\\");
        else if (cp == '\n')
            sd_buf_puts(b, "\\n");
        else if (cp == '\r')
            sd_buf_puts(b, "\\r");
        else if (cp == '\t')
            sd_buf_puts(b, "\\t");
        else if (is_hidden(cp) && cp > 0xFFFF) {
            uint32_t v = cp - 0x10000;
            json_u(b, 0xD800 + (v >> 10));
            json_u(b, 0xDC00 + (v & 0x3FF));
        } else if (is_hidden(cp))
            json_u(b, cp);
        else
            sd_buf_add(b, s + off, k);
        off += k;
    }
}

void sd_buf_xml_str(sd_buf *b, const char *s)
{
    s = s ? s : "";
    size_t n = strlen(s), off = 0;
    while (off < n) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
            cp == 0xFFFE || cp == 0xFFFF) {
            char e[12];
            sd_buf_add(b, e, escape_of(k ? cp : (unsigned char)s[off], k == 0, e));
            off += k ? k : 1;
            continue;
        }
        switch (cp) {
        case '<': sd_buf_puts(b, "&lt;"); break;
        case '>': sd_buf_puts(b, "&gt;"); break;
        case '&': sd_buf_puts(b, "&amp;"); break;
        case '"': sd_buf_puts(b, "&quot;"); break;
        default:
            if (is_hidden(cp))
                sd_buf_printf(b, "&#x%X;", (unsigned)cp);
            else
                sd_buf_add(b, s + off, k);
        }
        off += k;
    }
}

int sd_buf_failed(const sd_buf *b)
{
    return b->failed;
}

void sd_buf_free(sd_buf *b)
{
    free(b->data);
    sd_buf_init(b);
}
