/*
 * svrl.c — the Schematron Validation Report Language output (ISO/IEC 19757-3
 * Annex D), as the engine built it for the document: one report per input.
 * Inputs that could not be parsed have no report; the command says why on
 * standard error.
 */
#include <libxml/tree.h>

#include "out.h"

static void svrl_begin(sd_buf *b, const sd_out_options *o)
{
    (void)b;
    (void)o;
}

static void svrl_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    (void)o;
    if (r->svrl == NULL)
        return;
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(r->svrl, &mem, &len, "UTF-8", 1);
    if (mem == NULL) {
        b->failed = 1;
        return;
    }
    sd_buf_add(b, (const char *)mem, (size_t)len);
    xmlFree(mem);
}

static void svrl_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    (void)b;
    (void)s;
    (void)o;
}

const sd_formatter sd_out_svrl = {"svrl", svrl_begin, svrl_file, svrl_end};
