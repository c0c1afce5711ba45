/*
 * github.c — GitHub Actions workflow commands, which the runner turns into
 * annotations on the pull request's diff:
 *
 *   ::error file=plan.xml,line=3,col=5,endLine=3,endColumn=20,title=SD101::message
 *
 * fatal and error give ::error, warning ::warning, info ::notice.  GitHub's
 * escaping: in the message %, CR and LF become %25, %0D, %0A; in properties
 * also : and , (%3A, %2C), so a file name or message can never end the
 * command early or start another one; other control characters, bidi
 * overrides and bytes that are not UTF-8 are shown escaped as in text output.  Paths are relative to the repository
 * root (the workspace GitHub resolves them in) when the command names one.
 * Suppressed findings are left out: an annotation cannot say "suppressed".
 * A finding's related places follow its message as "note: FILE:LINE:COL:
 * MESSAGE" lines (%0A: the annotation shows them as lines; an annotation
 * has one place only), their paths relative to the root as the file's is.
 * Cost: linear in findings.
 */
#include <string.h>

#include "out.h"

static void esc(sd_buf *b, const char *s, int property)
{
    s = s ? s : "";
    size_t n = strlen(s), off = 0;
    while (off < n) {
        switch (s[off]) {
        case '%': sd_buf_puts(b, "%25"); off++; continue;
        case '\r': sd_buf_puts(b, "%0D"); off++; continue;
        case '\n': sd_buf_puts(b, "%0A"); off++; continue;
        case ':': sd_buf_puts(b, property ? "%3A" : ":"); off++; continue;
        case ',': sd_buf_puts(b, property ? "%2C" : ","); off++; continue;
        default: break;
        }
        /* Anything else as on a terminal (buf.h): a runner's log shows ANSI
         * sequences, so control bytes, bidi overrides and bytes that are not
         * UTF-8 are visible escapes. */
        sd_term_char c;
        sd_term_next(s + off, n - off, &c);
        sd_buf_add(b, c.shown, c.shown_len);
        off += c.len;
    }
}

static void github_begin(sd_buf *b, const sd_out_options *o)
{
    (void)b;
    (void)o;
}

static void github_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    sd_buf path, note;
    sd_buf_init(&path);
    sd_buf_init(&note);
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (f->severity < o->min_severity || f->suppressed)
            continue;
        const char *cmd = f->severity >= SD_SEV_ERROR ? "error"
                          : f->severity == SD_SEV_WARNING ? "warning" : "notice";
        path.len = 0;
        sd_out_repo_path(o->root, f->file, &path);
        sd_buf_printf(b, "::%s file=", cmd);
        esc(b, path.data ? path.data : "", 1);
        if (f->line > 0) {
            sd_buf_printf(b, ",line=%ld", f->line);
            if (f->col > 0)
                sd_buf_printf(b, ",col=%ld", f->col);
            if (f->end_line >= f->line && f->end_col > 0)
                sd_buf_printf(b, ",endLine=%ld,endColumn=%ld", f->end_line, f->end_col);
        }
        sd_buf_puts(b, ",title=");
        esc(b, f->rule_id, 1);
        sd_buf_puts(b, "::");
        esc(b, f->message, 0);
        for (size_t k = 0; k < f->nrelated; k++) {
            /* Its path as the annotation's own: relative to the repository. */
            sd_related x = f->related[k];
            path.len = 0;
            sd_out_repo_path(o->root, x.file, &path);
            x.file = path.data ? path.data : "";
            note.len = 0;
            sd_related_text(&note, &x, 0);
            sd_buf_puts(b, "%0Anote: ");
            esc(b, note.data ? note.data : "", 0);
        }
        sd_buf_puts(b, "\n");
    }
    if (sd_buf_failed(&path) || sd_buf_failed(&note))
        b->failed = 1;
    sd_buf_free(&path);
    sd_buf_free(&note);
}

static void github_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    (void)b;
    (void)s;
    (void)o;
}

const sd_formatter sd_out_github = {"github", github_begin, github_file, github_end};
