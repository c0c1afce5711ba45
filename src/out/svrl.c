/*
 * svrl.c — the Schematron Validation Report Language output (ISO/IEC 19757-3
 * Annex D), as the engine built it for each document.
 *
 * One input (a file, or `-`): the output is that document's
 * svrl:schematron-output, a plain SVRL document.  Several inputs (a folder,
 * or more than one PATH; the command sets o->svrl_set): one well-formed
 * document whose root, in our namespace urn:sdlint:svrl-set, holds one
 * set:report per input in order, with its path, and inside it that input's
 * svrl:schematron-output:
 *
 *   <set:svrl-set xmlns:set="urn:sdlint:svrl-set">
 *     <set:report path="a.xml"><svrl:schematron-output …>…</svrl:schematron-output></set:report>
 *     <set:report path="b.xml" checked="false"/>
 *   </set:svrl-set>
 *
 * An input that has no report (not parsed, failed its schema, a rule pack
 * failed on it) is checked="false" in a set, and absent from a single-input
 * output; the command says why on standard error.  A run stopped by an
 * internal error ends the set with <set:stopped/>, so a cut report never
 * looks complete.  Cost: one copy of each report (the engine wrote its bytes,
 * sch.h's sd_svrl; in a set, re-indented).
 */
#include "out.h"

#define SET_NS "urn:sdlint:svrl-set"

/* Appends s as XML attribute text: markup escaped, tab/LF/CR as character
 * references, and what XML cannot hold (other control characters, invalid
 * UTF-8, U+FFFE/U+FFFF) shown as \xNN, never copied. */
static void attr_text(sd_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        unsigned long cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        size_t i = 1;
        for (; n > 1 && i < n && (p[i] & 0xC0) == 0x80; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        int ok = n > 0 && i == n &&
                 !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
                 cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF &&
                 (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r');
        if (!ok) {
            sd_buf_printf(b, "\\x%02x", c);
            p++;
            continue;
        }
        switch (cp) {
        case '<': sd_buf_puts(b, "&lt;"); break;
        case '>': sd_buf_puts(b, "&gt;"); break;
        case '&': sd_buf_puts(b, "&amp;"); break;
        case '"': sd_buf_puts(b, "&quot;"); break;
        case '\t': sd_buf_puts(b, "&#9;"); break;
        case '\n': sd_buf_puts(b, "&#10;"); break;
        case '\r': sd_buf_puts(b, "&#13;"); break;
        default: sd_buf_add(b, (const char *)p, n);
        }
        p += n;
    }
}

static void svrl_begin(sd_buf *b, const sd_out_options *o)
{
    if (!o->svrl_set)
        return;
    sd_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<set:svrl-set xmlns:set=\"" SET_NS "\">\n");
}

static void svrl_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    if (!o->svrl_set) {
        if (r->svrl != NULL)
            sd_svrl_write(r->svrl, b, 0);
        return;
    }
    sd_buf_puts(b, "  <set:report path=\"");
    attr_text(b, r->src.path ? r->src.path : "");
    if (r->svrl == NULL) {
        sd_buf_puts(b, "\" checked=\"false\"/>\n");
        return;
    }
    sd_buf_puts(b, "\">\n    ");
    sd_svrl_write(r->svrl, b, 1);
    sd_buf_puts(b, "\n  </set:report>\n");
}

static void svrl_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    if (!o->svrl_set)
        return;
    if (s == NULL) /* the run stopped before every input was reached */
        sd_buf_puts(b, "  <set:stopped/>\n");
    sd_buf_puts(b, "</set:svrl-set>\n");
}

const sd_formatter sd_out_svrl = {"svrl", svrl_begin, svrl_file, svrl_end};
