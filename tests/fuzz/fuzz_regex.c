/*
 * fuzz_regex.c — libFuzzer target for the XPath extension functions
 * sdl:matches, sdl:replace and sdl:tokenize (PCRE2 under XPath 2.0 flags,
 * match limits, replacement strings, token nodes).
 *
 * Input: byte 0 picks the function (and whether the pattern is a literal in
 * the pack, compiled with it, or comes from the document at run time); then
 * "PATTERN\nFLAGS\nREPLACEMENT\nSUBJECT".  Pattern, flags, replacement and
 * subject go into attributes of a one-element document built through the tree
 * API (so any text is possible; bytes are made valid UTF-8 first, as the loader
 * guarantees for real documents), and fixed packs call the functions on them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "sch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The library never prints: a message on libxml2's generic error channel
 * (which goes to stderr) is a bug, so it stops the fuzzer. */
static void on_print(void *ctx, const char *msg, ...)
{
    (void)ctx;
    fprintf(stderr, "sdlint fuzz: libxml2 printed on its generic error channel: %s\n", msg);
    abort();
}

#define OPEN "<sch:schema xmlns:sch=\"http://purl.oclc.org/dsdl/schematron\" " \
             "xmlns:sdl=\"urn:sdlint:functions\" queryBinding=\"xslt\">" \
             "<sch:ns prefix=\"sdl\" uri=\"urn:sdlint:functions\"/>" \
             "<sch:pattern><sch:rule context=\"/r\">"
#define CLOSE "</sch:rule></sch:pattern></sch:schema>"

static const char *const PACKS[] = {
    OPEN "<sch:report id=\"M\" test=\"sdl:matches(@s, @p, @f)\">m</sch:report>" CLOSE,
    OPEN "<sch:report id=\"R\" test=\"true()\"><sch:value-of select=\"sdl:replace(@s, @p, @r, @f)\"/>"
         "</sch:report>" CLOSE,
    OPEN "<sch:report id=\"T\" test=\"count(sdl:tokenize(@s, @p, @f)) &gt; 0\">"
         "<sch:value-of select=\"count(sdl:tokenize(@s, @p, @f))\"/>:"
         "<sch:value-of select=\"sdl:tokenize(@s, @p, @f)[last()]\"/>"
         "<sch:value-of select=\"string(sdl:tokenize(@s, @p, @f)[1])\"/></sch:report>" CLOSE,
};
#define NPACKS (sizeof PACKS / sizeof PACKS[0])
static sd_sch_pack *packs[NPACKS];

/* Copies n bytes as valid UTF-8 without NUL: a bad byte becomes '?'. */
static char *utf8_copy(const uint8_t *p, size_t n)
{
    char *out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t c = p[i];
        size_t k = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                 : c >= 0xF0 && c <= 0xF4 ? 3 : 99;
        int ok = k != 99 && i + k < n;
        uint32_t cp = k == 0 ? c : k == 1 ? (c & 0x1Fu) : k == 2 ? (c & 0x0Fu) : (c & 0x07u);
        for (size_t j = 1; ok && j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                ok = 0;
            else
                cp = (cp << 6) | (p[i + j] & 0x3Fu);
        }
        if (ok && ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                   (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0))
            ok = 0;
        if (!ok) {
            out[o++] = '?';
            i++;
            continue;
        }
        memcpy(out + o, p + i, k + 1);
        o += k + 1;
        i += k + 1;
    }
    out[o] = '\0';
    return out;
}

/* The next '\n'-terminated field of [*p, end), as valid UTF-8. */
static char *field(const uint8_t **p, const uint8_t *end, int last)
{
    const uint8_t *s = *p;
    const uint8_t *nl = last ? NULL : memchr(s, '\n', (size_t)(end - s));
    const uint8_t *e = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    return utf8_copy(s, (size_t)(e - s));
}

/* A pack with the pattern and flags written into it as literals, so that they
 * are compiled (and cached) with the pack. */
static void xml_attr(sd_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20)
            sd_buf_printf(b, "&#%u;", (unsigned)*p);
        else if (*p == '<')
            sd_buf_puts(b, "&lt;");
        else if (*p == '&')
            sd_buf_puts(b, "&amp;");
        else if (*p == '"')
            sd_buf_puts(b, "&quot;");
        else
            sd_buf_add(b, (const char *)p, 1);
    }
}

static void run_literal(int fn, const char *pat, const char *flags, xmlDocPtr doc)
{
    static const char *const call[] = {"sdl:matches(@s, %s, %s)",
                                       "sdl:replace(@s, %s, @r, %s)",
                                       "count(sdl:tokenize(@s, %s, %s))"};
    /* XPath string literals cannot escape quotes: skip patterns that hold both kinds. */
    if ((strchr(pat, '\'') && strchr(pat, '"')) || strchr(flags, '\'') || strchr(flags, '"'))
        return;
    sd_buf lit, b;
    sd_buf_init(&lit);
    sd_buf_init(&b);
    char q = strchr(pat, '\'') ? '"' : '\'';
    sd_buf_add(&lit, &q, 1);
    sd_buf_puts(&lit, pat);
    sd_buf_add(&lit, &q, 1);
    sd_buf_puts(&b, OPEN "<sch:report id=\"L\" test=\"");
    sd_buf xp;
    sd_buf_init(&xp);
    char fl[64];
    size_t fn_len = strlen(flags);
    if (fn_len + 3 > sizeof fl)
        goto out;
    fl[0] = '\'';
    memcpy(fl + 1, flags, fn_len);
    fl[fn_len + 1] = '\'';
    fl[fn_len + 2] = '\0';
    sd_buf_printf(&xp, call[fn], lit.data ? lit.data : "''", fl);
    if (sd_buf_failed(&xp) || xp.data == NULL)
        goto out;
    xml_attr(&b, xp.data);
    sd_buf_puts(&b, "\">l</sch:report>" CLOSE);
    if (sd_buf_failed(&b))
        goto out;
    sd_sch_pack *pack = NULL;
    sd_error err = {0};
    if (sd_sch_compile_memory(b.data, b.len, "regex.sch", NULL, &pack, &err) == SD_OK) {
        sd_diags d;
        sd_diags_init(&d);
        (void)sd_sch_run(pack, doc, "doc.xml", &d, NULL, &err);
        sd_diags_free(&d);
        sd_sch_free(pack);
    }
out:
    sd_buf_free(&xp);
    sd_buf_free(&lit);
    sd_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (packs[0] == NULL) {
        xmlInitParser();
        xmlSetGenericErrorFunc(NULL, on_print);
        for (size_t i = 0; i < NPACKS; i++) {
            sd_error err = {0};
            if (sd_sch_compile_memory(PACKS[i], strlen(PACKS[i]), "regex.sch", NULL, &packs[i],
                                      &err) != SD_OK)
                abort();
        }
    }
    if (size < 1 || size > 65536)
        return 0;
    int sel = data[0];
    const uint8_t *p = data + 1, *end = data + size;
    char *pat = field(&p, end, 0);
    char *flags = field(&p, end, 0);
    char *rep = field(&p, end, 0);
    char *subj = field(&p, end, 1);
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr r = doc ? xmlNewDocNode(doc, NULL, (const xmlChar *)"r", NULL) : NULL;
    if (pat && flags && rep && subj && r) {
        xmlDocSetRootElement(doc, r);
        xmlNewProp(r, (const xmlChar *)"p", (const xmlChar *)pat);
        xmlNewProp(r, (const xmlChar *)"f", (const xmlChar *)flags);
        xmlNewProp(r, (const xmlChar *)"r", (const xmlChar *)rep);
        xmlNewProp(r, (const xmlChar *)"s", (const xmlChar *)subj);
        int fn = (sel & 0x7f) % (int)NPACKS;
        if (sel & 0x80) {
            run_literal(fn, pat, flags, doc);
        } else {
            sd_diags d;
            sd_diags_init(&d);
            sd_error err = {0};
            (void)sd_sch_run(packs[fn], doc, "doc.xml", &d, NULL, &err);
            sd_diags_free(&d);
        }
    } else {
        xmlFreeNode(r);
    }
    xmlFreeDoc(doc);
    free(pat);
    free(flags);
    free(rep);
    free(subj);
    return 0;
}
