/*
 * registry.c — the list of output formats and the run summary they share.
 */
#include <string.h>

#include "out.h"

static const sd_formatter *const FORMATTERS[] = {&sd_out_text, &sd_out_json, &sd_out_svrl,
                                                  &sd_out_sarif, &sd_out_junit, &sd_out_github, &sd_out_html};

const sd_formatter *sd_out_find(const char *name)
{
    for (size_t i = 0; i < sizeof FORMATTERS / sizeof FORMATTERS[0]; i++)
        if (strcmp(FORMATTERS[i]->name, name) == 0)
            return FORMATTERS[i];
    return NULL;
}

void sd_summary_add(sd_summary *s, const sd_result *r, sd_severity min)
{
    s->files++;
    if (!r->parsed)
        s->unchecked++;
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < min)
            continue;
        if (f->suppressed)
            s->suppressed++;
        else if (f->baselined)
            s->baselined++;
        else
            s->by_severity[f->severity]++;
    }
}
