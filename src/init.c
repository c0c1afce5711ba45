/*
 * init.c — what the library needs once per process, and process-wide helpers
 * that must not depend on process state.
 *
 * sd_init runs libxml2's initialisation exactly once, whichever thread calls
 * it first (pthread_once): an embedding program may create checkers on
 * several threads, and xmlInitParser is not safe to race.  sd_strerror is
 * strerror_r (the XSI form; this file must not define _GNU_SOURCE), because
 * strerror's buffer is shared between threads.  Cost: nothing after the first
 * call.
 */
#include "sdlint.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlversion.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libraries(void)
{
    xmlInitParser();
}

void sd_init(void)
{
    pthread_once(&init_once, init_libraries);
}

void sd_cleanup(void)
{
    xmlCleanupParser();
}

const char *sd_libxml_version(void)
{
    return xmlParserVersion;
}

const char *sd_strerror(int errnum, char *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return "";
    if (strerror_r(errnum, buf, len) != 0)
        snprintf(buf, len, "error %d", errnum);
    return buf;
}
