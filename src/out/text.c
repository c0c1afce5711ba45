/*
 * text.c — the human report, as compilers print it:
 *
 *   samples/x.xml:23:5: error: 内设机构"综合处"缺少编制数 (posts) [SD002]
 *      23 |     <unit name="综合处" category="business">
 *         |     ^
 *
 * The marker is placed by display width (CJK characters take two columns, tabs
 * are copied), so it stands under the spot in a terminal.  Very long lines are
 * shown as a window around the spot.  Colours only when asked (the command
 * decides from --color, NO_COLOR and the terminal).
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "out.h"

#define WINDOW_BYTES 160

static const char *sev_color(sd_severity s)
{
    switch (s) {
    case SD_SEV_FATAL:
    case SD_SEV_ERROR: return "\033[1;31m";
    case SD_SEV_WARNING: return "\033[1;35m";
    case SD_SEV_INFO: return "\033[1;36m";
    }
    return "";
}

static const char *sev_word(sd_severity s, sd_lang lang)
{
    /* The severity word stays English: it is the grep-able part of the line
     * format file:line:col: severity: message [ID]. */
    (void)lang;
    return sd_severity_name(s);
}

static void text_begin(sd_buf *b, const sd_out_options *o)
{
    (void)b;
    (void)o;
}

/* Decodes one UTF-8 character at p (n bytes left) and returns its length; an
 * invalid or truncated sequence is one byte long and decodes as U+FFFD. */
static size_t utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t k = c < 0x80 ? 1 : (c >= 0xC2 && c < 0xE0) ? 2 : (c >= 0xE0 && c < 0xF0) ? 3
             : (c >= 0xF0 && c < 0xF5) ? 4 : 0;
    if (k == 0 || k > n) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = k == 1 ? c : k == 2 ? (c & 0x1Fu) : k == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    *cp = v;
    return k;
}

/* Copies source text so that it cannot harm a terminal: control characters and
 * invalid bytes become U+FFFD, one column each, as utf8_next counts them. */
static void put_clean(sd_buf *b, const unsigned char *p, size_t n)
{
    size_t off = 0;
    uint32_t cp;
    while (off < n) {
        size_t k = utf8_next(p + off, n - off, &cp);
        if (cp == 0xFFFD || (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            sd_buf_puts(b, "\xEF\xBF\xBD");
        else
            sd_buf_add(b, (const char *)p + off, k);
        off += k;
    }
}

static int is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Byte offset of the start of character column col (1-based) in p[0..n). */
static size_t byte_of_col(const unsigned char *p, size_t n, long col)
{
    size_t off = 0;
    uint32_t cp;
    for (long c = 1; c < col && off < n; c++)
        off += utf8_next(p + off, n - off, &cp);
    return off;
}

static size_t back_to_char_start(const unsigned char *p, size_t off)
{
    while (off > 0 && (p[off] & 0xC0) == 0x80)
        off--;
    return off;
}

static void excerpt(sd_buf *b, const sd_result *r, const sd_finding *f, const sd_out_options *o)
{
    const unsigned char *line;
    long n = sd_source_line(&r->src, f->line, &line);
    if (n < 0)
        return;
    size_t from = 0, to = (size_t)n;
    size_t spot = f->col > 0 ? byte_of_col(line, (size_t)n, f->col) : 0;
    if ((size_t)n > WINDOW_BYTES) {
        from = spot > WINDOW_BYTES / 2 ? back_to_char_start(line, spot - WINDOW_BYTES / 2) : 0;
        to = from + WINDOW_BYTES < (size_t)n ? back_to_char_start(line, from + WINDOW_BYTES)
                                              : (size_t)n;
    }
    char gutter[32];
    int gw = snprintf(gutter, sizeof gutter, "%5ld", f->line);
    sd_buf_printf(b, "%s | %s", gutter, from > 0 ? "…" : "");
    put_clean(b, line + from, to - from);
    sd_buf_printf(b, "%s\n", to < (size_t)n ? "…" : "");
    sd_buf_printf(b, "%*s | %s", gw, "", from > 0 ? " " : "");
    if (o->color)
        sd_buf_puts(b, "\033[1;32m");
    /* Pad to the spot by display width; without a column, underline the line. */
    size_t off = from;
    uint32_t cp;
    if (f->col > 0) {
        while (off < spot && off < to) {
            size_t k = utf8_next(line + off, to - off, &cp);
            sd_buf_puts(b, cp == '\t' ? "\t" : is_wide(cp) ? "  " : " ");
            off += k;
        }
        sd_buf_puts(b, "^");
    } else {
        while (off < to && (line[off] == ' ' || line[off] == '\t'))
            sd_buf_add(b, (const char *)line + off++, 1);
        int first = 1;
        while (off < to) {
            size_t k = utf8_next(line + off, to - off, &cp);
            sd_buf_puts(b, first ? "^" : "~");
            if (is_wide(cp))
                sd_buf_puts(b, "~");
            first = 0;
            off += k;
        }
    }
    if (o->color)
        sd_buf_puts(b, "\033[0m");
    sd_buf_puts(b, "\n");
}

static void text_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < o->min_severity)
            continue;
        if (o->color)
            sd_buf_puts(b, "\033[1m");
        sd_buf_puts(b, f->file);
        if (f->line > 0)
            sd_buf_printf(b, ":%ld", f->line);
        if (f->line > 0 && f->col > 0)
            sd_buf_printf(b, ":%ld", f->col);
        sd_buf_printf(b, ":%s %s%s:%s ", o->color ? "\033[0m" : "",
                      o->color ? sev_color(f->severity) : "", sev_word(f->severity, o->lang),
                      o->color ? "\033[0m" : "");
        /* One finding, one line: a value quoted in a message may hold a line break. */
        for (const char *m = f->message; *m; m++)
            sd_buf_add(b, (*m == '\n' || *m == '\r') ? " " : m, 1);
        sd_buf_printf(b, " %s[%s]%s\n", o->color ? "\033[2m" : "", f->rule_id,
                      o->color ? "\033[0m" : "");
        /* Quote only lines of this input: a finding may be about a subordinate document. */
        if (f->line > 0 && f->file && r->src.path && strcmp(f->file, r->src.path) == 0)
            excerpt(b, r, f, o);
    }
}

static void text_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    if (!o->summary)
        return;
    size_t errors = s->by_severity[SD_SEV_ERROR] + s->by_severity[SD_SEV_FATAL];
    size_t warnings = s->by_severity[SD_SEV_WARNING], infos = s->by_severity[SD_SEV_INFO];
    if (o->lang == SD_LANG_EN) {
        sd_buf_printf(b, "%zu file%s checked", s->files, s->files == 1 ? "" : "s");
        if (errors + warnings + infos == 0)
            sd_buf_puts(b, ", no problems found");
        else
            sd_buf_printf(b, ": %zu error%s, %zu warning%s, %zu info", errors,
                          errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", infos);
        if (s->unchecked)
            sd_buf_printf(b, " (%zu could not be checked)", s->unchecked);
    } else {
        sd_buf_printf(b, "共检查 %zu 个文件", s->files);
        if (errors + warnings + infos == 0)
            sd_buf_puts(b, "，未发现问题");
        else
            sd_buf_printf(b, "：%zu 个错误，%zu 个警告，%zu 个提示", errors, warnings, infos);
        if (s->unchecked)
            sd_buf_printf(b, "（其中 %zu 个文件无法检查）", s->unchecked);
    }
    sd_buf_puts(b, "\n");
}

const sd_formatter sd_out_text = {"text", text_begin, text_file, text_end};
