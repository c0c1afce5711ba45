/*
 * junit.c — the JUnit XML report most CI systems show as test results
 * (Jenkins, GitLab, Azure): one testsuite per input, one testcase per
 * finding (classname the rule id), a failure for error and fatal findings;
 * warnings and info are passing testcases whose text is in system-out.  An
 * input without findings is one passing testcase, so every checked file shows.
 * Text is escaped for XML (sd_buf_xml_str: characters XML 1.0 cannot carry and
 * bytes that are not UTF-8 become visible escapes), so the report is
 * well-formed whatever a file name or message holds.  A finding's related
 * places (README "Related places") follow its text as "note: FILE:LINE:COL:
 * MESSAGE" lines, in the failure's message attribute too (as &#10;, which an
 * attribute keeps as a line break).
 * Cost: linear in findings.
 */
#include <string.h>

#include "out.h"

/* Escaped by buf.h: characters XML cannot carry and bytes that are not UTF-8
 * become visible escapes. */
static void xml(sd_buf *b, const char *s)
{
    sd_buf_xml_str(b, s);
}

static void junit_begin(sd_buf *b, const sd_out_options *o)
{
    (void)o;
    sd_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sdlint\">\n");
}

static void where(sd_buf *b, const sd_finding *f)
{
    xml(b, f->file);
    if (f->line > 0)
        sd_buf_printf(b, ":%ld", f->line);
    if (f->line > 0 && f->col > 0)
        sd_buf_printf(b, ":%ld", f->col);
}

/* The related places as note lines; in an attribute the line break is a
 * character reference, which attribute-value normalisation keeps. */
static void notes(sd_buf *b, const sd_finding *f, int in_attr)
{
    sd_buf t;
    sd_buf_init(&t);
    for (size_t k = 0; k < f->nrelated; k++) {
        t.len = 0;
        sd_related_text(&t, &f->related[k], !in_attr);
        sd_buf_puts(b, in_attr ? "&#10;note: " : "\n  note: ");
        xml(b, t.data ? t.data : "");
    }
    if (sd_buf_failed(&t))
        b->failed = 1;
    sd_buf_free(&t);
}

static void junit_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    size_t tests = 0, failures = 0;
    for (size_t i = 0; i < r->diags.count; i++)
        if (r->diags.items[i].severity >= o->min_severity) {
            tests++;
            failures += r->diags.items[i].severity >= SD_SEV_ERROR && !r->diags.items[i].suppressed;
        }
    sd_buf_puts(b, "  <testsuite name=\"");
    xml(b, r->src.path);
    sd_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
                  tests ? tests : 1, failures);
    if (tests == 0) {
        sd_buf_puts(b, "    <testcase name=\"sdlint\" classname=\"");
        xml(b, r->src.path);
        sd_buf_puts(b, "\"/>\n");
    }
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < o->min_severity)
            continue;
        sd_buf_puts(b, "    <testcase name=\"");
        xml(b, f->rule_id);
        sd_buf_puts(b, " ");
        where(b, f);
        sd_buf_puts(b, "\" classname=\"");
        xml(b, f->rule_id);
        sd_buf_puts(b, "\" file=\"");
        xml(b, f->file);
        if (f->line > 0)
            sd_buf_printf(b, "\" line=\"%ld", f->line);
        sd_buf_puts(b, "\">\n");
        if (f->severity >= SD_SEV_ERROR && !f->suppressed) {
            sd_buf_puts(b, "      <failure type=\"");
            xml(b, f->rule_id);
            sd_buf_puts(b, "\" message=\"");
            xml(b, f->message);
            notes(b, f, 1);
            sd_buf_printf(b, "\">%s: ", sd_severity_name(f->severity));
            where(b, f);
            sd_buf_puts(b, ": ");
            xml(b, f->message);
            if (f->location) {
                sd_buf_puts(b, " (");
                xml(b, f->location);
                sd_buf_puts(b, ")");
            }
            notes(b, f, 0);
            sd_buf_puts(b, "</failure>\n");
        } else {
            sd_buf_printf(b, "      <system-out>%s%s: ", sd_severity_name(f->severity),
                          f->suppressed ? " (suppressed)" : "");
            where(b, f);
            sd_buf_puts(b, ": ");
            xml(b, f->message);
            notes(b, f, 0);
            sd_buf_puts(b, "</system-out>\n");
        }
        sd_buf_puts(b, "    </testcase>\n");
    }
    sd_buf_puts(b, "  </testsuite>\n");
}

static void junit_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    (void)s;
    (void)o;
    sd_buf_puts(b, "</testsuites>\n");
}

const sd_formatter sd_out_junit = {"junit", junit_begin, junit_file, junit_end};
