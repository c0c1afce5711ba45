/*
 * quiet.h — silencing libxml2's generic error channel around a piece of work.
 *
 * A few libxml2 errors (input encoding conversion, an unknown XPath function)
 * go to the thread's generic error channel, which prints on stderr, even when a
 * context-level handler captures them too.  The library must never print, so
 * the parser and the rule engine wrap their work in sd_quiet_begin/end: the
 * previous handler is saved and put back, so the calls nest, and since that
 * channel is per thread in libxml2, other threads are not affected.
 */
#ifndef SD_QUIET_H
#define SD_QUIET_H

#include <libxml/xmlerror.h>

typedef struct sd_quiet {
    xmlGenericErrorFunc fn;
    void *ctx;
} sd_quiet;

void sd_quiet_begin(sd_quiet *q);
void sd_quiet_end(const sd_quiet *q);

#endif
