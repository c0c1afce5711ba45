/*
 * error.c — filling sd_error.  Messages are truncated, never overflowed, and
 * truncated only between characters: a cut UTF-8 character would make every
 * report that shows the message invalid.
 */
#include "error.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

sd_status sd_error_set(sd_error *err, sd_status code, const char *file, long line,
                       const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    sd_utf8_fix_truncated(err->file, sizeof err->file);
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    sd_utf8_fix_truncated(err->msg, sizeof err->msg);
    return code;
}

void sd_error_clear(sd_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}

const char *sd_status_name(sd_status code)
{
    switch (code) {
    case SD_OK: return "ok";
    case SD_ENOMEM: return "out of memory";
    case SD_EIO: return "i/o error";
    case SD_EPARSE: return "not well-formed";
    case SD_EINVAL: return "invalid argument";
    case SD_ESCHEMA: return "schema error";
    case SD_ELIMIT: return "limit reached";
    case SD_ERULES: return "rule pack error";
    case SD_EUNSAFE: return "unsafe input";
    case SD_EENCODING: return "encoding error";
    }
    return "unknown";
}
