/*
 * quiet.c — see quiet.h.  Two calls to libxml2 per begin/end pair.
 */
#include "quiet.h"

#include <libxml/globals.h>

static void ignore_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void sd_quiet_begin(sd_quiet *q)
{
    q->fn = xmlGenericError;
    q->ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, ignore_generic);
}

void sd_quiet_end(const sd_quiet *q)
{
    xmlSetGenericErrorFunc(q->ctx, q->fn);
}
