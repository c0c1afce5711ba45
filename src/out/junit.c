/*
 * junit.c — the JUnit XML report most CI systems show as test results
 * (Jenkins, GitLab, Azure): one testsuite per input, one testcase per
 * finding (classname the rule id), a failure for error and fatal findings;
 * warnings and info are passing testcases whose text is in system-out.  An
 * input without findings is one passing testcase, so every checked file shows.
 * Text is escaped for XML, and characters XML 1.0 forbids (control bytes)
 * and invalid UTF-8 become U+FFFD, so the report is well-formed whatever a message quotes.
 * Cost: linear in findings.
 */
#include <string.h>

#include "out.h"

/* Length of the valid UTF-8 sequence at p (not an overlong form, a
 * surrogate or past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char c = p[0];
    size_t k = (c >= 0xC2 && c < 0xE0) ? 2 : (c >= 0xE0 && c < 0xF0) ? 3 : (c >= 0xF0 && c < 0xF5) ? 4 : 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90))
        return 0;
    /* U+FFFE and U+FFFF are not XML characters either. */
    if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
        return 0;
    return k;
}

/* XML-escaped text; control characters other than tab and newline, which XML
 * 1.0 cannot carry even as references, become U+FFFD. */
static void xml(sd_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '<': sd_buf_puts(b, "&lt;"); break;
        case '>': sd_buf_puts(b, "&gt;"); break;
        case '&': sd_buf_puts(b, "&amp;"); break;
        case '"': sd_buf_puts(b, "&quot;"); break;
        case '\n': sd_buf_puts(b, "&#10;"); break;
        case '\r': sd_buf_puts(b, "&#13;"); break;
        case '\t': sd_buf_puts(b, "&#9;"); break;
        default:
            if (*p < 0x20) {
                sd_buf_puts(b, "\xEF\xBF\xBD");
            } else if (*p < 0x80) {
                sd_buf_add(b, (const char *)p, 1);
            } else {
                size_t k = utf8_len(p);
                if (k == 0) {
                    sd_buf_puts(b, "\xEF\xBF\xBD");
                } else {
                    sd_buf_add(b, (const char *)p, k);
                    p += k - 1;
                }
            }
        }
    }
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
            sd_buf_printf(b, "\">%s: ", sd_severity_name(f->severity));
            where(b, f);
            sd_buf_puts(b, ": ");
            xml(b, f->message);
            if (f->location) {
                sd_buf_puts(b, " (");
                xml(b, f->location);
                sd_buf_puts(b, ")");
            }
            sd_buf_puts(b, "</failure>\n");
        } else {
            sd_buf_printf(b, "      <system-out>%s%s: ", sd_severity_name(f->severity),
                          f->suppressed ? " (suppressed)" : "");
            where(b, f);
            sd_buf_puts(b, ": ");
            xml(b, f->message);
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
