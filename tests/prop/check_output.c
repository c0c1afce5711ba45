/*
 * check_output.c — the property checker of tests/prop/run.sh: is one output
 * file well-formed for its format?  Written against the formats, not against
 * sdlint's code (it shares no source with src/), so a bug in sdlint's escaping
 * cannot hide itself here.
 *
 *   check_output text FILE        strict UTF-8; no control character but the
 *                                 line feed; no C1 control, bidi override or
 *                                 isolate, or other invisible format character
 *   check_output text-color FILE  the same, but ESC may start an SGR sequence
 *                                 ESC [ digits-and-semicolons m (and nothing else)
 *   check_output json FILE        strict UTF-8 and exactly one JSON value (RFC 8259:
 *                                 no raw control characters in strings, valid
 *                                 escapes, \u surrogates in pairs)
 *   check_output xml FILE         a well-formed XML document (libxml2, no network,
 *                                 no DTD, no entities)
 *
 * Exit 0 when the property holds; otherwise 1 with the first offending byte
 * offset on standard error.  Cost: one pass over the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

static const unsigned char *buf;
static size_t len;

static int fail(size_t at, const char *why)
{
    fprintf(stderr, "check_output: byte %zu: %s\n", at, why);
    return 1;
}

/* Strict UTF-8 decoding: returns the length, or 0 when invalid. */
static size_t decode(size_t at, uint32_t *cp)
{
    unsigned char c = buf[at];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (k == 0 || at + k > len)
        return 0;
    uint32_t v = c & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < k; i++) {
        if ((buf[at + i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (buf[at + i] & 0x3F);
    }
    static const uint32_t MIN[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < MIN[k] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return k;
}

/* What a terminal must never receive from a document or a file name. */
static int hidden(uint32_t cp)
{
    return (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) || cp == 0x61C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE007F);
}

static int check_text(int color)
{
    size_t at = 0;
    while (at < len) {
        if (color && buf[at] == 0x1B) {
            size_t i = at + 1;
            if (i >= len || buf[i] != '[')
                return fail(at, "ESC that does not start an SGR sequence");
            for (i++; i < len && ((buf[i] >= '0' && buf[i] <= '9') || buf[i] == ';'); i++)
                ;
            if (i >= len || buf[i] != 'm')
                return fail(at, "ESC [ sequence that is not SGR (does not end in m)");
            at = i + 1;
            continue;
        }
        uint32_t cp;
        size_t k = decode(at, &cp);
        if (k == 0)
            return fail(at, "not UTF-8");
        if (hidden(cp))
            return fail(at, "control, C1, bidi or invisible format character");
        at += k;
    }
    return 0;
}

/* A small RFC 8259 recogniser. */
static size_t pos;
static int depth;

static void ws(void)
{
    while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\n' || buf[pos] == '\r'))
        pos++;
}

static int lit(const char *s)
{
    size_t n = strlen(s);
    if (pos + n > len || memcmp(buf + pos, s, n) != 0)
        return 0;
    pos += n;
    return 1;
}

static int hex4(uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++, pos++) {
        if (pos >= len)
            return 0;
        unsigned char c = buf[pos];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        *v = *v * 16 + (uint32_t)d;
    }
    return 1;
}

static int string(void)
{
    if (!lit("\""))
        return 0;
    while (pos < len) {
        unsigned char c = buf[pos];
        if (c == '"') {
            pos++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            pos++;
            if (pos >= len)
                return 0;
            c = buf[pos++];
            if (c == 'u') {
                uint32_t v, w;
                if (!hex4(&v))
                    return 0;
                if (v >= 0xDC00 && v <= 0xDFFF)
                    return 0; /* a low surrogate alone */
                if (v >= 0xD800 && v <= 0xDBFF &&
                    (!lit("\\u") || !hex4(&w) || w < 0xDC00 || w > 0xDFFF))
                    return 0; /* a high surrogate without its low one */
            } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
                return 0;
            }
            continue;
        }
        pos++;
    }
    return 0;
}

static int number(void)
{
    size_t start = pos;
    lit("-");
    if (lit("0")) {
    } else if (pos < len && buf[pos] >= '1' && buf[pos] <= '9') {
        while (pos < len && buf[pos] >= '0' && buf[pos] <= '9')
            pos++;
    } else {
        return 0;
    }
    if (lit(".")) {
        size_t d = pos;
        while (pos < len && buf[pos] >= '0' && buf[pos] <= '9')
            pos++;
        if (pos == d)
            return 0;
    }
    if (pos < len && (buf[pos] == 'e' || buf[pos] == 'E')) {
        pos++;
        if (pos < len && (buf[pos] == '+' || buf[pos] == '-'))
            pos++;
        size_t d = pos;
        while (pos < len && buf[pos] >= '0' && buf[pos] <= '9')
            pos++;
        if (pos == d)
            return 0;
    }
    return pos > start;
}

static int value(void)
{
    if (++depth > 512)
        return 0;
    ws();
    int ok = 0;
    if (pos >= len) {
        ok = 0;
    } else if (buf[pos] == '{') {
        pos++;
        ws();
        if (lit("}")) {
            ok = 1;
        } else {
            for (;;) {
                ws();
                if (!string())
                    break;
                ws();
                if (!lit(":") || !value())
                    break;
                ws();
                if (lit("}")) {
                    ok = 1;
                    break;
                }
                if (!lit(","))
                    break;
            }
        }
    } else if (buf[pos] == '[') {
        pos++;
        ws();
        if (lit("]")) {
            ok = 1;
        } else {
            for (;;) {
                if (!value())
                    break;
                ws();
                if (lit("]")) {
                    ok = 1;
                    break;
                }
                if (!lit(","))
                    break;
            }
        }
    } else if (buf[pos] == '"') {
        ok = string();
    } else if (lit("true") || lit("false") || lit("null")) {
        ok = 1;
    } else {
        ok = number();
    }
    depth--;
    return ok;
}

static int check_json(void)
{
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        size_t k = decode(at, &cp);
        if (k == 0)
            return fail(at, "not UTF-8");
        at += k;
    }
    pos = 0;
    depth = 0;
    if (!value())
        return fail(pos, "not JSON");
    ws();
    if (pos != len)
        return fail(pos, "text after the JSON value");
    return 0;
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static int check_xml(const char *path)
{
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlDocPtr doc = xmlReadMemory((const char *)buf, (int)len, path, NULL,
                                  XML_PARSE_NONET);
    if (doc == NULL) {
        const xmlError *e = xmlGetLastError();
        fprintf(stderr, "check_output: not well-formed XML: %s", e && e->message ? e->message : "?\n");
        return 1;
    }
    xmlFreeDoc(doc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: check_output text|text-color|json|xml FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    size_t cap = 1 << 16;
    unsigned char *b = malloc(cap);
    size_t n;
    len = 0;
    while (b && (n = fread(b + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *nb = realloc(b, cap * 2);
            if (nb == NULL) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b == NULL)
        return 2;
    buf = b;
    int rc;
    if (strcmp(argv[1], "text") == 0)
        rc = check_text(0);
    else if (strcmp(argv[1], "text-color") == 0)
        rc = check_text(1);
    else if (strcmp(argv[1], "json") == 0)
        rc = check_json();
    else if (strcmp(argv[1], "xml") == 0)
        rc = check_xml(argv[2]);
    else
        rc = 2;
    free(b);
    return rc;
}
