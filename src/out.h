/*
 * out.h — the last stage: rendering results into a buffer, one file per format.
 *
 * Each format fills one small sd_formatter: begin once, then file() for each
 * checked input in order (so a batch streams its report as it goes), then end()
 * with the run's summary.  Formatters only read results and write to the
 * buffer; the command decides where the bytes go.
 */
#ifndef SD_OUT_H
#define SD_OUT_H

#include "buf.h"
#include "check.h"
#include "lang.h"

typedef struct sd_out_options {
    sd_lang lang;
    int color;              /* 1: ANSI colours */
    sd_severity min_severity; /* findings below it are left out (--quiet: error) */
    int summary;            /* 1: a closing summary line where the format has one */
    const char *version;
} sd_out_options;

typedef struct sd_summary {
    size_t files;       /* inputs attempted */
    size_t unchecked;   /* inputs that could not be checked (unreadable, not XML, refused) */
    size_t by_severity[4];
} sd_summary;

typedef struct sd_formatter {
    const char *name;
    void (*begin)(sd_buf *b, const sd_out_options *o);
    void (*file)(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o);
    void (*end)(sd_buf *b, const sd_summary *s, const sd_out_options *o);
} sd_formatter;

extern const sd_formatter sd_out_text;
extern const sd_formatter sd_out_json;
extern const sd_formatter sd_out_svrl;

/* The formatter called name, or NULL. */
const sd_formatter *sd_out_find(const char *name);
/* Adds r's findings (at or above min) to s. */
void sd_summary_add(sd_summary *s, const sd_result *r, sd_severity min);

#endif
