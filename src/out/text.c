/*
 * text.c — the human report, as compilers print it:
 *
 *   samples/x.xml:23:5: error: 内设机构"综合处"缺少编制数 (posts) [SD002]
 *      23 |     <unit name="综合处" category="business">
 *         |     ^
 *     note: samples/plan.xml:40:7: 转出方
 *
 * A finding about two places (a cross-document rule) names the other ones on
 * `note:` lines under its excerpt, as compilers do, each quoting its own
 * line when it lies in this input; the note word is coloured as clang colours
 * it (bold cyan).
 *
 * Nothing from outside is copied raw: file names, messages, rule ids and the
 * quoted line go through the terminal escaping of buf.h, so a name with a line
 * break cannot forge a finding and no control or bidi character reaches the
 * terminal; the only control bytes written are sdlint's own colour codes (SGR
 * sequences, when asked: the command decides from --color, NO_COLOR and the
 * terminal).  The marker is placed by the display width of what was shown
 * (escapes, CJK characters taking two columns, tabs expanded to spaces), so it
 * stands under the spot.  Very long lines are shown as a window around the spot.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "out.h"
#include "summary.h"

#define WINDOW_COLS 160 /* a longer line is shown as a window this wide around the spot */

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

/* Byte offset of the start of character column col (1-based) in p[0..n);
 * a byte that is not UTF-8 counts as one character, as the loader counts. */
static size_t byte_of_col(const char *p, size_t n, long col)
{
    size_t off = 0;
    uint32_t cp;
    for (long c = 1; c < col && off < n; c++) {
        size_t k = sd_utf8_decode(p + off, n - off, &cp);
        off += k ? k : 1;
    }
    return off;
}

static size_t back_to_char_start(const char *p, size_t off)
{
    while (off > 0 && ((unsigned char)p[off] & 0xC0) == 0x80)
        off--;
    return off;
}

#define TAB_STOP 8

/* Display columns of the character at p (a tab counted as a whole stop). */
static size_t char_cols(const char *p, size_t n, size_t *len)
{
    if ((unsigned char)p[0] >= 0x20 && (unsigned char)p[0] < 0x7F) { /* printable ASCII */
        *len = 1;
        return 1;
    }
    sd_term_char c;
    sd_term_next(p, n, &c);
    *len = c.len;
    return c.cp == '\t' ? TAB_STOP : (size_t)c.cols;
}

/* Narrows [*from, *to) to about WINDOW_COLS columns around spot, measured on
 * the escaped text (an escape is up to ten columns for up to four bytes). */
/* Whether the last line measured fits in the window, so that the findings
 * of one long line (they come in order) measure it once. */
typedef struct line_memo {
    const char *line;
    size_t n;
    int fits;
} line_memo;

static void window(const char *p, size_t n, size_t spot, size_t *from, size_t *to, line_memo *m)
{
    size_t off = 0, cols = 0, k;
    if (m->line != p || m->n != n) {
        while (off < n && cols <= WINDOW_COLS) {
            cols += char_cols(p + off, n - off, &k);
            off += k;
        }
        m->line = p;
        m->n = n;
        m->fits = cols <= WINDOW_COLS;
    }
    if (m->fits)
        return;
    size_t start = spot > 4 * (WINDOW_COLS / 2) ? back_to_char_start(p, spot - 4 * (WINDOW_COLS / 2)) : 0;
    /* The leftmost character from start on after which at most half the
     * window's columns lie before spot: found walking back from spot (about
     * half a window of characters, not four), as long as each character read
     * back is the one a forward reading from start gives (well-formed UTF-8);
     * else by reading forward from start. */
    size_t before = 0;
    off = spot;
    int forward = 0;
    while (off > start) {
        size_t prev = back_to_char_start(p, off - 1);
        if (prev < start) {
            forward = 1;
            break;
        }
        size_t w = char_cols(p + prev, n - prev, &k);
        if (k != off - prev || (k > 1 && w >= 4)) { /* not one well-formed character */
            forward = 1;
            break;
        }
        if (before + w > WINDOW_COLS / 2)
            break;
        before += w;
        off = prev;
    }
    if (forward) {
        before = 0;
        for (off = start; off < spot; off += k)
            before += char_cols(p + off, n - off, &k);
        for (off = start; off < spot && before > WINDOW_COLS / 2; off += k)
            before -= char_cols(p + off, n - off, &k);
    }
    *from = off;
    size_t after = 0;
    for (off = spot; off < n; off += k) {
        size_t w = char_cols(p + off, n - off, &k);
        if (before + after + w > WINDOW_COLS)
            break;
        after += w;
    }
    *to = off;
}

static void put_spaces(sd_buf *b, size_t n)
{
    static const char SPACES[] = "                                                                ";
    for (; n > sizeof SPACES - 1; n -= sizeof SPACES - 1)
        sd_buf_add(b, SPACES, sizeof SPACES - 1);
    sd_buf_add(b, SPACES, n);
}

/* Shows p[from..to) escaped for the terminal, tabs expanded to spaces (stops
 * every TAB_STOP columns from the window's start), and returns the display
 * column at which the byte spot starts, so the marker is placed by what was
 * actually shown. */
static size_t put_source(sd_buf *b, const char *p, size_t from, size_t to, size_t spot)
{
    size_t cols = 0, spot_cols = 0, off = from, run = from; /* [run, off): shown as is */
    sd_term_char c;
    while (off < to) {
        if (off <= spot)
            spot_cols = cols;
        if ((unsigned char)p[off] >= 0x20 && (unsigned char)p[off] < 0x7F) { /* printable ASCII */
            cols++;
            off++;
            continue;
        }
        sd_term_next(p + off, to - off, &c);
        if (!c.escaped && c.cp != '\t') {
            cols += (size_t)c.cols;
            off += c.len;
            continue;
        }
        sd_buf_add(b, p + run, off - run);
        if (c.cp == '\t') {
            size_t pad = TAB_STOP - cols % TAB_STOP;
            put_spaces(b, pad);
            cols += pad;
        } else {
            sd_buf_add(b, c.shown, c.shown_len);
            cols += (size_t)c.cols;
        }
        off += c.len;
        run = off;
    }
    sd_buf_add(b, p + run, off - run);
    if (off <= spot)
        spot_cols = cols;
    return spot_cols;
}


static void excerpt(sd_buf *b, const sd_result *r, const sd_finding *f, const sd_out_options *o,
                    line_memo *memo)
{
    const unsigned char *uline;
    long n = sd_source_line(&r->src, f->line, &uline);
    if (n < 0)
        return;
    const char *line = (const char *)uline;
    size_t from = 0, to = (size_t)n;
    size_t spot = 0;
    const unsigned char *at = r->src.bytes ? r->src.bytes + f->offset : NULL;
    if (f->end_line > 0 && at != NULL && f->offset <= (long)r->src.len && at >= uline &&
        at <= uline + n)
        spot = (size_t)(at - uline); /* recorded at parse time: O(1) */
    else if (f->col > 0)
        spot = byte_of_col(line, (size_t)n, f->col);
    window(line, (size_t)n, spot, &from, &to, memo);
    /* Without a column the whole shown text is underlined, from its first
     * character that is not blank. */
    size_t lead = from;
    if (f->col <= 0) {
        while (lead < to && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        spot = lead;
    }
    char gutter[32];
    int gw = snprintf(gutter, sizeof gutter, "%5ld", f->line);
    sd_buf_add(b, gutter, (size_t)gw);
    sd_buf_puts(b, from > 0 ? " | …" : " | ");
    size_t spot_cols = put_source(b, line, from, to, spot);
    sd_buf_puts(b, to < (size_t)n ? "…\n" : "\n");
    /* Without a column: the shown text again, measured but not kept, for the
     * underline's length. */
    size_t end_cols = 0;
    if (f->col <= 0) {
        sd_buf scratch;
        sd_buf_init(&scratch);
        end_cols = put_source(&scratch, line, from, to, to);
        sd_buf_free(&scratch);
    }
    put_spaces(b, (size_t)gw);
    sd_buf_puts(b, from > 0 ? " |  " : " | ");
    if (o->color)
        sd_buf_puts(b, "\033[1;32m");
    put_spaces(b, spot_cols);
    sd_buf_puts(b, "^");
    if (f->col <= 0)
        for (size_t i = spot_cols + 1; i < end_cols; i++)
            sd_buf_add(b, "~", 1);
    if (o->color)
        sd_buf_puts(b, "\033[0m");
    sd_buf_puts(b, "\n");
}

/* "  note: FILE:LINE:COL: MESSAGE", escaped as a finding's line is. */
static void note(sd_buf *b, const sd_related *rel, const sd_out_options *o)
{
    sd_buf t;
    sd_buf_init(&t);
    sd_related_text(&t, rel, 0);
    sd_buf_printf(b, "  %snote:%s ", o->color ? "\033[1;36m" : "", o->color ? "\033[0m" : "");
    sd_buf_term_str(b, t.data ? t.data : "");
    sd_buf_puts(b, "\n");
    if (sd_buf_failed(&t))
        b->failed = 1;
    sd_buf_free(&t);
}

static void text_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    line_memo memo = {NULL, 0, 0};
    if (o->summary)
        sd_summary_take(o->jurisdictions, r, o->min_severity);
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        /* Suppressed and baselined findings are only counted in the summary. */
        if (f->severity < o->min_severity || f->suppressed || f->baselined)
            continue;
        if (o->color)
            sd_buf_puts(b, "\033[1m");
        sd_buf_term_str(b, f->file);
        if (f->line > 0)
            sd_buf_put_long(b, ":", f->line);
        if (f->line > 0 && f->col > 0)
            sd_buf_put_long(b, ":", f->col);
        sd_buf_puts(b, o->color ? ":\033[0m " : ": ");
        if (o->color)
            sd_buf_puts(b, sev_color(f->severity));
        sd_buf_puts(b, sev_word(f->severity, o->lang));
        sd_buf_puts(b, o->color ? ":\033[0m " : ": ");
        /* One finding, one line: a line break or a control sequence in a
         * quoted value is shown as an escape, never passed on. */
        sd_buf_term_str(b, f->message);
        sd_buf_puts(b, o->color ? " \033[2m[" : " [");
        sd_buf_term_str(b, f->rule_id);
        sd_buf_puts(b, o->color ? "]\033[0m\n" : "]\n");
        /* Quote only lines of this input: a finding may be about a subordinate document. */
        if (f->line > 0 && f->file && r->src.path && strcmp(f->file, r->src.path) == 0)
            excerpt(b, r, f, o, &memo);
        for (size_t k = 0; k < f->nrelated; k++) {
            const sd_related *x = &f->related[k];
            note(b, x, o);
            /* The other place quoted too when it lies in this input (both ends
             * of a transfer in one plan), as clang quotes a note's line. */
            if (x->line > 0 && x->file && r->src.path && strcmp(x->file, r->src.path) == 0) {
                sd_finding at = {.file = x->file, .line = x->line, .col = x->col};
                excerpt(b, r, &at, o, &memo);
            }
        }
    }
}

/* The counts are JSON's (fatal, error, warning, info, unchecked), so the two
 * reports of one run agree; fatal findings and inputs that could not be checked
 * are named apart from errors, and only when there are any. */
static void text_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    if (!o->summary)
        return;
    /* A run that checked several plans (an audit): findings and figures per
     * jurisdiction first (README "Audit summary").  One plan's are in its
     * lines already. */
    if (o->jurisdictions && o->jurisdictions->plans > 1)
        sd_summary_text(o->jurisdictions, b, o->lang);
    size_t fatals = s->by_severity[SD_SEV_FATAL], errors = s->by_severity[SD_SEV_ERROR];
    size_t warnings = s->by_severity[SD_SEV_WARNING], infos = s->by_severity[SD_SEV_INFO];
    int none = fatals + errors + warnings + infos == 0;
    if (o->lang == SD_LANG_EN) {
        sd_buf_printf(b, "%zu file%s checked", s->files, s->files == 1 ? "" : "s");
        if (none)
            sd_buf_puts(b, ", no problems found");
        else {
            sd_buf_puts(b, ": ");
            if (fatals)
                sd_buf_printf(b, "%zu fatal, ", fatals);
            sd_buf_printf(b, "%zu error%s, %zu warning%s, %zu info", errors,
                          errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", infos);
        }
        if (s->unchecked)
            sd_buf_printf(b, " (%zu could not be checked)", s->unchecked);
        if (s->skipped)
            sd_buf_printf(b, "; %zu other XML file%s skipped (not an sdlint document)", s->skipped,
                          s->skipped == 1 ? "" : "s");
        if (s->suppressed)
            sd_buf_printf(b, "; %zu suppressed", s->suppressed);
        if (s->baselined)
            sd_buf_printf(b, "; %zu baselined", s->baselined);
    } else {
        sd_buf_printf(b, "共检查 %zu 个文件", s->files);
        if (none)
            sd_buf_puts(b, "，未发现问题");
        else {
            sd_buf_puts(b, "：");
            if (fatals)
                sd_buf_printf(b, "%zu 个致命错误，", fatals);
            sd_buf_printf(b, "%zu 个错误，%zu 个警告，%zu 个提示", errors, warnings, infos);
        }
        if (s->unchecked)
            sd_buf_printf(b, "（其中 %zu 个文件无法检查）", s->unchecked);
        if (s->skipped)
            sd_buf_printf(b, "；跳过 %zu 个不是 sdlint 文档的 XML 文件", s->skipped);
        if (s->suppressed)
            sd_buf_printf(b, "；另有 %zu 个已抑制", s->suppressed);
        if (s->baselined)
            sd_buf_printf(b, "；另有 %zu 个在基线中", s->baselined);
    }
    sd_buf_puts(b, "\n");
    if (s->nstale) {
        sd_buf_printf(b, SD_TR(o->lang, "基线中有 %zu 条已不再出现，可用 --write-baseline 更新：\n",
                               "%zu baseline entr%s no longer occur; update with --write-baseline:\n"),
                      s->nstale, s->nstale == 1 ? "y" : "ies");
        for (size_t i = 0; i < s->nstale; i++) {
            sd_buf_puts(b, "  ");
            for (const char *m = s->stale[i]; *m; m++)
                sd_buf_add(b, (*m == '\n' || *m == '\r' || *m == '\033') ? " " : m, 1);
            sd_buf_puts(b, "\n");
        }
    }
}

const sd_formatter sd_out_text = {"text", text_begin, text_file, text_end};
