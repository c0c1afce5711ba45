/*
 * sarif.c — the SARIF 2.1.0 log (OASIS), the format code-scanning services
 * read (GitHub uploads it with codeql-action/upload-sarif).
 *
 * One run: tool.driver lists every rule of the run (id, title, doc, the
 * explain text, default level), results point at them by ruleIndex.  Paths
 * are relative to the repository root (%SRCROOT% in originalUriBaseIds) when
 * the command names one, so the log reads the same in every checkout.  Each
 * result carries a partialFingerprint built from the rule, the relative path,
 * the XPath location and the message — never line numbers — so a finding keeps
 * its identity when lines are added above it.  Suppressed findings stay in the
 * log with a `suppressions` entry; related places (the other document of a
 * cross-document finding) become relatedLocations.
 *
 * Streaming like the other formats: begin writes the driver, file() appends
 * results (o->state counts them, for the commas), end closes the log.  Cost:
 * linear in rules + findings, one realpath per finding.
 */
#include <stdint.h>
#include <string.h>

#include "out.h"
#include "ruledoc.h"

static void str(sd_buf *b, const char *s)
{
    sd_buf_puts(b, "\"");
    sd_buf_json_str(b, s ? s : "");
    sd_buf_puts(b, "\"");
}

static const char *level(sd_severity s)
{
    return s >= SD_SEV_ERROR ? "error" : s == SD_SEV_WARNING ? "warning" : "note";
}

/* The `explain` text of the rule. */
static void rule_help(sd_buf *b, const sd_ruledoc *r, sd_lang lang)
{
    sd_buf h;
    sd_buf_init(&h);
    sd_ruledoc_explain(r, lang, &h);
    str(b, h.data ? h.data : "");
    if (sd_buf_failed(&h))
        b->failed = 1;
    sd_buf_free(&h);
}

static void help_uri(sd_buf *b, const sd_out_options *o, const sd_ruledoc *r)
{
    /* A rule's see is often a relative document name (DOMAIN.md#SD101):
     * only an absolute URI may stand as helpUri. */
    if (r->see && strstr(r->see, "://") != NULL) {
        str(b, r->see);
        return;
    }
    sd_buf_puts(b, "\"");
    sd_buf_json_str(b, o->homepage);
    sd_buf_puts(b, "#");
    sd_out_uri(b, r->id);
    sd_buf_puts(b, "\"");
}

static void sarif_begin(sd_buf *b, const sd_out_options *o)
{
    /* Without its state the log could not be well-formed: fail the report
     * (as an allocation failure does) rather than write a broken one. */
    if (o->state == NULL) {
        b->failed = 1;
        return;
    }
    o->state->items = 0;
    sd_buf_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                   "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
                   "      \"tool\": {\n        \"driver\": {\n          \"name\": \"sdlint\",\n"
                   "          \"version\": ");
    str(b, o->version);
    if (o->homepage) {
        sd_buf_puts(b, ",\n          \"informationUri\": ");
        str(b, o->homepage);
    }
    sd_buf_puts(b, ",\n          \"rules\": [");
    const sd_ruledocs *docs = o->rules;
    for (size_t i = 0; docs && i < docs->count; i++) {
        const sd_ruledoc *r = &docs->items[i];
        sd_buf_puts(b, i ? ",\n            {" : "\n            {");
        sd_buf_puts(b, "\"id\": ");
        str(b, r->id);
        sd_buf_puts(b, ", \"name\": ");
        str(b, r->title[0] ? r->title : r->id);
        sd_buf_puts(b, ",\n             \"shortDescription\": {\"text\": ");
        str(b, r->title[0] ? r->title : r->id);
        sd_buf_puts(b, "},\n             \"fullDescription\": {\"text\": ");
        str(b, r->doc[0] ? r->doc : r->title[0] ? r->title : r->id);
        sd_buf_puts(b, "},\n             \"help\": {\"text\": ");
        rule_help(b, r, o->lang);
        sd_buf_puts(b, "},\n             ");
        if (o->homepage || (r->see && strstr(r->see, "://") != NULL)) {
            sd_buf_puts(b, "\"helpUri\": ");
            help_uri(b, o, r);
            sd_buf_puts(b, ", ");
        }
        sd_buf_printf(b, "\"defaultConfiguration\": {\"level\": \"%s\"}}", level(r->severity));
    }
    sd_buf_puts(b, docs && docs->count ? "\n          ]\n" : "]\n");
    sd_buf_puts(b, "        }\n      },\n");
    if (o->root) {
        sd_buf_puts(b, "      \"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": \"file://");
        /* The root as a file URI, with the trailing slash SARIF requires. */
        sd_buf tmp;
        sd_buf_init(&tmp);
        sd_out_uri(&tmp, o->root);
        sd_buf_json_str(b, tmp.data ? tmp.data : "");
        if (sd_buf_failed(&tmp))
            b->failed = 1;
        sd_buf_free(&tmp);
        size_t rl = strlen(o->root);
        if (rl == 0 || o->root[rl - 1] != '/')
            sd_buf_puts(b, "/");
        sd_buf_puts(b, "\"}},\n");
    }
    sd_buf_puts(b, "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
}

/* 64-bit FNV-1a over the parts, each followed by a 0 byte so that ("ab","c")
 * and ("a","bc") differ. */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h * 1099511628211ULL; /* the 0 byte: h ^ 0 == h */
}

static const char *logical_kind(const char *xpath)
{
    const char *last = strrchr(xpath, '/');
    last = last ? last + 1 : xpath;
    if (last[0] == '@' || strncmp(last, "attribute::", 11) == 0)
        return "attribute";
    if (strncmp(last, "text()", 6) == 0)
        return "text";
    if (strncmp(last, "comment()", 9) == 0)
        return "comment";
    if (strncmp(last, "processing-instruction(", 23) == 0)
        return "processingInstruction";
    return "element";
}

/* artifactLocation of file: relative with uriBaseId inside the root, else a
 * file URI (absolute path) or the name as given ("-"). */
static void artifact(sd_buf *b, const sd_out_options *o, const char *file, sd_buf *rel)
{
    rel->len = 0;
    int inside = sd_out_repo_path(o->root, file, rel);
    const char *p = rel->data ? rel->data : "";
    sd_buf_puts(b, "\"artifactLocation\": {\"uri\": \"");
    sd_buf tmp;
    sd_buf_init(&tmp);
    if (!inside && p[0] == '/')
        sd_buf_puts(&tmp, "file://");
    sd_out_uri(&tmp, p);
    sd_buf_json_str(b, tmp.data ? tmp.data : "");
    if (sd_buf_failed(&tmp))
        b->failed = 1;
    sd_buf_free(&tmp);
    sd_buf_puts(b, inside ? "\", \"uriBaseId\": \"SRCROOT\"}" : "\"}");
}

static void region(sd_buf *b, long line, long col, long end_line, long end_col, long offset,
                   int has_offset)
{
    if (line <= 0)
        return;
    sd_buf_printf(b, ", \"region\": {\"startLine\": %ld", line);
    if (col > 0)
        sd_buf_printf(b, ", \"startColumn\": %ld", col);
    if (end_line >= line && end_col > 0 && (end_line > line || end_col >= col)) {
        sd_buf_printf(b, ", \"endLine\": %ld, \"endColumn\": %ld", end_line, end_col);
    }
    if (has_offset && offset >= 0)
        sd_buf_printf(b, ", \"byteOffset\": %ld", offset);
    sd_buf_puts(b, "}");
}

static void logical(sd_buf *b, const char *xpath)
{
    if (xpath == NULL || xpath[0] == '\0')
        return;
    sd_buf_puts(b, ", \"logicalLocations\": [{\"fullyQualifiedName\": ");
    str(b, xpath);
    sd_buf_printf(b, ", \"kind\": \"%s\"}]", logical_kind(xpath));
}

static long rule_index(const sd_out_options *o, const char *id)
{
    for (size_t i = 0; o->rules && i < o->rules->count; i++)
        if (strcmp(o->rules->items[i].id, id) == 0)
            return (long)i;
    return -1;
}

static void sarif_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    if (o->state == NULL)
        return;
    sd_buf rel;
    sd_buf_init(&rel);
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < o->min_severity)
            continue;
        /* The state (required: out.h) says whether a result came before. */
        int first = o->state->items++ == 0;
        sd_buf_puts(b, first ? "\n        {" : ",\n        {");
        sd_buf_puts(b, "\"ruleId\": ");
        str(b, f->rule_id);
        long ri = rule_index(o, f->rule_id);
        if (ri >= 0)
            sd_buf_printf(b, ", \"ruleIndex\": %ld", ri);
        sd_buf_printf(b, ", \"level\": \"%s\",\n         \"message\": {\"text\": ", level(f->severity));
        str(b, f->message);
        sd_buf_puts(b, "},\n         \"locations\": [{\"physicalLocation\": {");
        artifact(b, o, f->file, &rel);
        region(b, f->line, f->col, f->end_line, f->end_col, f->offset, 1);
        sd_buf_puts(b, "}");
        logical(b, f->location);
        sd_buf_puts(b, "}]");
        uint64_t h = 14695981039346656037ULL;
        h = fnv(h, f->rule_id);
        h = fnv(h, rel.data ? rel.data : "");
        h = fnv(h, f->location);
        h = fnv(h, f->message);
        sd_buf_printf(b, ",\n         \"partialFingerprints\": {\"sdlint/v1\": \"%016llx\"}",
                      (unsigned long long)h);
        if (f->nrelated) {
            sd_buf_puts(b, ",\n         \"relatedLocations\": [");
            for (size_t k = 0; k < f->nrelated; k++) {
                const sd_related *x = &f->related[k];
                sd_buf_printf(b, "%s{\"id\": %zu, \"physicalLocation\": {", k ? ", " : "", k);
                artifact(b, o, x->file, &rel);
                region(b, x->line, x->col, 0, 0, 0, 0);
                sd_buf_puts(b, "}");
                logical(b, x->location);
                if (x->message) {
                    sd_buf_puts(b, ", \"message\": {\"text\": ");
                    str(b, x->message);
                    sd_buf_puts(b, "}");
                }
                sd_buf_puts(b, "}");
            }
            sd_buf_puts(b, "]");
        }
        /* A finding the --baseline file holds (baseline.h). */
        if (f->baselined)
            sd_buf_puts(b, ",\n         \"baselineState\": \"unchanged\"");
        if (f->suppressed) {
            sd_buf_puts(b, ",\n         \"suppressions\": [{\"kind\": \"inSource\"");
            if (f->suppress_reason) {
                sd_buf_puts(b, ", \"justification\": ");
                str(b, f->suppress_reason);
            }
            sd_buf_puts(b, "}]");
        }
        sd_buf_puts(b, "}");
    }
    if (sd_buf_failed(&rel))
        b->failed = 1;
    sd_buf_free(&rel);
}

static void sarif_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    (void)s;
    if (o->state == NULL)
        return;
    int any = o->state->items > 0;
    sd_buf_puts(b, any ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
}

const sd_formatter sd_out_sarif = {"sarif", sarif_begin, sarif_file, sarif_end};
