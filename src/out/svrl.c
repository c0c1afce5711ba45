/*
 * svrl.c — the Schematron Validation Report Language output (ISO/IEC 19757-3
 * Annex D), as the engine built it for each document.
 *
 * One input (a file, or `-`): the output is that document's
 * svrl:schematron-output, a plain SVRL document.  Several inputs (a folder,
 * or more than one PATH; the command sets o->svrl_set): one well-formed
 * document whose root, in our namespace urn:sdlint:svrl-set, holds one
 * set:report per input in order, with its path, and inside it that input's
 * svrl:schematron-output:
 *
 *   <set:svrl-set xmlns:set="urn:sdlint:svrl-set">
 *     <set:report path="a.xml"><svrl:schematron-output …>…</svrl:schematron-output></set:report>
 *     <set:report path="b.xml" checked="false"/>
 *   </set:svrl-set>
 *
 * An input that has no report (not parsed, failed its schema, a rule pack
 * failed on it) is checked="false" in a set, and absent from a single-input
 * output; the command says why on standard error.  A run stopped by an
 * internal error ends the set with <set:stopped/>, so a cut report never
 * looks complete.  Cost: one copy of each report (the engine wrote its bytes,
 * sch.h's sd_svrl; in a set, re-indented).
 */
#include "out.h"

#define SET_NS "urn:sdlint:svrl-set"

/* Appends s as XML attribute text: markup escaped, tab/LF/CR as character
 * references, and what XML cannot hold (other control characters, invalid
 * UTF-8, U+FFFE/U+FFFF) shown as \xNN, never copied. */
static void attr_text(sd_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        unsigned long cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        size_t i = 1;
        for (; n > 1 && i < n && (p[i] & 0xC0) == 0x80; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        int ok = n > 0 && i == n &&
                 !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
                 cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF &&
                 (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r');
        if (!ok) {
            sd_buf_printf(b, "\\x%02x", c);
            p++;
            continue;
        }
        switch (cp) {
        case '<': sd_buf_puts(b, "&lt;"); break;
        case '>': sd_buf_puts(b, "&gt;"); break;
        case '&': sd_buf_puts(b, "&amp;"); break;
        case '"': sd_buf_puts(b, "&quot;"); break;
        case '\t': sd_buf_puts(b, "&#9;"); break;
        case '\n': sd_buf_puts(b, "&#10;"); break;
        case '\r': sd_buf_puts(b, "&#13;"); break;
        default: sd_buf_add(b, (const char *)p, n);
        }
        p += n;
    }
}

static void svrl_begin(sd_buf *b, const sd_out_options *o)
{
    if (!o->svrl_set)
        return;
    sd_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<set:svrl-set xmlns:set=\"" SET_NS "\">\n");
}

/* The plan rules (SD201–SD213, SD207) are built into C, not asserts of a
 * pack, so the pack's report knows nothing of them: without this a plan with
 * unbalanced transfers would look clean in SVRL.  Their findings are written
 * after the pack's patterns as one more active pattern, each a failed-assert
 * (id the rule, role its severity, test "built-in:ID" since no XPath test
 * exists, location in the report's ISO form), its related places as
 * property-references (sd_out_svrl_related).  Suppressed and baselined
 * findings are left out, as they are of every other format's failures. */
static int is_plan_rule(const char *id)
{
    return id != NULL && id[0] == 'S' && id[1] == 'D' && id[2] == '2' && id[3] >= '0' &&
           id[3] <= '9' && id[4] >= '0' && id[4] <= '9' && id[5] == '\0';
}

/* The compact location (/sd:plan[1]/sd:agency[3]/@name) in the form the
 * engine's SVRL uses: each sd: step as *:NAME[namespace-uri()='…'][k]. */
static void iso_location(sd_buf *b, const char *loc)
{
    for (const char *p = loc; *p;) {
        if (p[0] == 's' && p[1] == 'd' && p[2] == ':' && (p == loc || p[-1] == '/')) {
            const char *name = p + 3, *e = name;
            while (*e && *e != '[' && *e != '/')
                e++;
            sd_buf_puts(b, "*:");
            sd_buf_add(b, name, (size_t)(e - name));
            sd_buf_puts(b, "[namespace-uri()='urn:sdlint:schema:1']");
            p = e;
            continue;
        }
        sd_buf_add(b, p, 1);
        p++;
    }
}

static void plan_rule_asserts(sd_buf *out, const sd_result *r, const sd_out_options *o)
{
    int any = 0;
    for (size_t i = 0; i < r->diags.count; i++) {
        const sd_finding *f = &r->diags.items[i];
        if (!is_plan_rule(f->rule_id) || f->suppressed || f->baselined)
            continue;
        if (!any) {
            sd_buf_puts(out, "  <svrl:active-pattern id=\"sdlint-plan-rules\" name=\"");
            attr_text(out, SD_TR(o->lang, "方案规则（SD201–SD213，内置）",
                                 "plan rules (SD201–SD213, built in)"));
            sd_buf_puts(out, "\" documents=\"");
            attr_text(out, r->src.path ? r->src.path : "");
            /* ISO's grammar puts each assertion under a fired rule: the
             * plan rules fire on the document as a whole. */
            sd_buf_puts(out, "\"/>\n  <svrl:fired-rule context=\"/\" id=\"sdlint-plan-rules\"/>\n");
            any = 1;
        }
        sd_buf_puts(out, "  <svrl:failed-assert test=\"built-in:");
        attr_text(out, f->rule_id);
        sd_buf_puts(out, "\" id=\"");
        attr_text(out, f->rule_id);
        sd_buf_puts(out, "\" role=\"");
        sd_buf_puts(out, sd_severity_name(f->severity));
        sd_buf_puts(out, "\" location=\"");
        if (f->location) {
            sd_buf loc;
            sd_buf_init(&loc);
            iso_location(&loc, f->location);
            attr_text(out, loc.data ? loc.data : "");
            if (sd_buf_failed(&loc))
                out->failed = 1;
            sd_buf_free(&loc);
        } else {
            sd_buf_puts(out, "/");
        }
        sd_buf_puts(out, "\">\n");
        if (f->nrelated) {
            sd_buf_puts(out, "    ");
            sd_out_svrl_related(out, f->related, f->nrelated);
            sd_buf_puts(out, "\n");
        }
        sd_buf_puts(out, "    <svrl:text>");
        sd_buf_xml_str(out, f->message);
        sd_buf_puts(out, "</svrl:text>\n  </svrl:failed-assert>\n");
    }
}

/* The report of r with its plan-rule findings added; *tmp holds the added
 * body (free it after writing). */
static const sd_svrl *with_plan_rules(const sd_result *r, const sd_out_options *o, sd_svrl *copy,
                                      sd_buf *tmp)
{
    sd_buf_init(tmp);
    plan_rule_asserts(tmp, r, o);
    if (tmp->len == 0 && !tmp->failed)
        return r->svrl;
    *copy = *r->svrl; /* the root and prefixes are shared, read only */
    sd_buf body;
    sd_buf_init(&body);
    if (r->svrl->body.len)
        sd_buf_add(&body, r->svrl->body.data, r->svrl->body.len);
    sd_buf_add(&body, tmp->data ? tmp->data : "", tmp->len);
    body.failed |= tmp->failed;
    sd_buf_free(tmp);
    *tmp = body;
    copy->body = *tmp;
    return copy;
}

static void svrl_file(sd_buf *b, const sd_result *r, size_t index, const sd_out_options *o)
{
    (void)index;
    sd_svrl copy;
    sd_buf tmp;
    const sd_svrl *rep = r->svrl ? with_plan_rules(r, o, &copy, &tmp) : NULL;
    if (!o->svrl_set) {
        if (rep == r->svrl && rep != NULL) /* moved, not copied: the result is done with */
            sd_svrl_write_moving((sd_svrl *)r->svrl, b);
        else if (rep != NULL)
            sd_svrl_write(rep, b, 0);
        if (rep != NULL)
            sd_buf_free(&tmp);
        return;
    }
    sd_buf_puts(b, "  <set:report path=\"");
    attr_text(b, r->src.path ? r->src.path : "");
    if (r->svrl == NULL) {
        sd_buf_puts(b, "\" checked=\"false\"/>\n");
        return;
    }
    sd_buf_puts(b, "\">\n    ");
    sd_svrl_write(rep, b, 1);
    sd_buf_free(&tmp);
    sd_buf_puts(b, "\n  </set:report>\n");
}

static void svrl_end(sd_buf *b, const sd_summary *s, const sd_out_options *o)
{
    if (!o->svrl_set)
        return;
    if (s == NULL) /* the run stopped before every input was reached */
        sd_buf_puts(b, "  <set:stopped/>\n");
    sd_buf_puts(b, "</set:svrl-set>\n");
}

const sd_formatter sd_out_svrl = {"svrl", svrl_begin, svrl_file, svrl_end};
