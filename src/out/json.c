/*
 * json.c — the JSON report: one object with the tool, every finding, every
 * input and a summary.  The shape is documented in README.md ("JSON output")
 * and fixed by golden files; fields are only ever added.  Every string goes
 * through sd_buf_json_str, so the report is valid UTF-8 JSON whatever bytes a
 * file name, a message or a document holds.
 */
#include <stdio.h>

#include "out.h"
#include "summary.h"

static void json_begin(sd_buf *b, const sd_out_options *o)
{
    sd_buf_puts(b, "{\n  \"tool\": {\"name\": \"sdlint\", \"version\": \"");
    sd_buf_json_str(b, o->version);
    sd_buf_puts(b, "\"},\n  \"files\": [");
}

/* The other places of a cross-document finding; the member is absent when
 * there are none, so a report without them reads as before. */
static void related(sd_buf *b, const sd_finding *f)
{
    sd_buf_puts(b, ", \"related\": [");
    for (size_t k = 0; k < f->nrelated; k++) {
        const sd_related *x = &f->related[k];
        sd_buf_puts(b, k ? ", {\"file\": " : "{\"file\": ");
        sd_buf_json_str_or_null(b, x->file ? x->file : "");
        sd_buf_printf(b, ", \"line\": %ld, \"column\": %ld, \"location\": ", x->line, x->col);
        sd_buf_json_str_or_null(b, x->location);
        sd_buf_puts(b, ", \"message\": ");
        sd_buf_json_str_or_null(b, x->message);
        sd_buf_puts(b, "}");
    }
    sd_buf_puts(b, "]");
}

static void json_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    sd_summary_take(o->jurisdictions, r, o->min_severity);
    sd_buf_puts(b, index ? ",\n    {" : "\n    {");
    sd_buf_puts(b, "\"path\": \"");
    sd_buf_json_str(b, r->src.path);
    sd_buf_printf(b, "\", \"kind\": \"%s\", \"checked\": %s, \"findings\": [",
                  sd_kind_name(r->kind), r->parsed ? "true" : "false");
    int first = 1;
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < o->min_severity)
            continue;
        sd_buf_puts(b, first ? "\n      {" : ",\n      {");
        first = 0;
        sd_buf_puts(b, "\"rule\": \"");
        sd_buf_json_str(b, f->rule_id);
        sd_buf_puts(b, "\", \"severity\": \"");
        sd_buf_puts(b, sd_severity_name(f->severity));
        sd_buf_puts(b, "\", \"file\": \"");
        sd_buf_json_str(b, f->file);
        sd_buf_put_long(b, "\", \"line\": ", f->line);
        sd_buf_put_long(b, ", \"column\": ", f->col);
        /* Where the start tag or attribute ends, and the byte offset of the
         * start, for editors; only a finding with a position has them. */
        if (f->line > 0) {
            sd_buf_put_long(b, ", \"endLine\": ", f->end_line);
            sd_buf_put_long(b, ", \"endColumn\": ", f->end_col);
            sd_buf_put_long(b, ", \"offset\": ", f->offset);
        }
        sd_buf_puts(b, ", \"location\": ");
        if (f->location) {
            sd_buf_puts(b, "\"");
            sd_buf_json_str(b, f->location);
            sd_buf_puts(b, "\"");
        } else {
            sd_buf_puts(b, "null");
        }
        sd_buf_puts(b, ", \"message\": \"");
        sd_buf_json_str(b, f->message);
        sd_buf_puts(b, "\"");
        if (f->suppressed) {
            sd_buf_puts(b, ", \"suppressed\": {\"reason\": \"");
            sd_buf_json_str(b, f->suppress_reason ? f->suppress_reason : "");
            sd_buf_puts(b, "\"}");
        }
        if (f->baselined)
            sd_buf_puts(b, ", \"baselined\": true");
        if (f->nrelated)
            related(b, f);
        sd_buf_puts(b, "}");
    }
    sd_buf_puts(b, first ? "]}" : "\n    ]}");
}

static void json_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    sd_buf_printf(b,
                  "\n  ],\n  \"summary\": {\"files\": %zu, \"unchecked\": %zu, \"skipped\": %zu, "
                  "\"fatal\": %zu, \"error\": %zu, \"warning\": %zu, \"info\": %zu, \"suppressed\": %zu, "
                  "\"baselined\": %zu",
                  s->files, s->unchecked, s->skipped, s->by_severity[SD_SEV_FATAL],
                  s->by_severity[SD_SEV_ERROR], s->by_severity[SD_SEV_WARNING],
                  s->by_severity[SD_SEV_INFO], s->suppressed, s->baselined);
    if (s->stale) {
        sd_buf_puts(b, ", \"stale_baseline\": [");
        for (size_t i = 0; i < s->nstale; i++) {
            sd_buf_puts(b, i ? ", \"" : "\"");
            sd_buf_json_str(b, s->stale[i]);
            sd_buf_puts(b, "\"");
        }
        sd_buf_puts(b, "]");
    }
    /* Only a run that checked a plan has jurisdictions (README "Audit summary"). */
    if (o->jurisdictions && o->jurisdictions->plans && !o->jurisdiction_parts) {
        sd_buf_puts(b, ", \"jurisdictions\": ");
        sd_summary_json(o->jurisdictions, b, "    ");
    }
    sd_buf_puts(b, "}\n}\n");
}

const sd_formatter sd_out_json = {"json", json_begin, json_file, json_end};
