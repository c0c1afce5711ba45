/*
 * svrl.c — the SVRL report, and where a finding is: its XPath location.
 *
 * Place: eval.c calls these as it fires patterns, rules and asserts.  The
 * report follows ISO/IEC 19757-3:2016 Annex D (namespace
 * http://purl.oclc.org/dsdl/svrl): schematron-output (title, phase,
 * schemaVersion) with ns-prefix-in-attribute-values, then per pattern an
 * active-pattern (id, name, role, documents), per fired node a fired-rule (id,
 * context, role, flag, document for subordinate documents), and failed-assert /
 * successful-report (id, location, test, role, flag, see, icon, fpi, xml:lang —
 * the assert's own or inherited from its nearest ancestor in the schema)
 * holding diagnostic-reference*, property-reference* (each with an svrl:text
 * carrying the diagnostic's or property's see, icon, fpi and xml:lang) and the
 * assert's own svrl:text, whitespace-normalised.
 * Left out: svrl:copy-of content (needs XSLT).
 *
 * The report is written as the run goes, straight into byte buffers (sd_svrl,
 * sch.h), never built as a libxml2 tree: with a finding on every element a
 * tree cost a dozen allocations per finding, then a serialisation and a free
 * of every node.  The bytes are those of libxml2's indented serialisation of
 * the tree this file used to build (xmlDocDumpFormatMemoryEnc, UTF-8): the
 * same element and attribute order, `<x/>` for an element without content,
 * svrl:text inline, two spaces per level; attribute values escape < > & " and
 * tab, LF, CR as character references, text escapes < > & and CR.  Unlike
 * libxml2, characters XML cannot carry and bytes that are not UTF-8 (a file
 * name can hold any byte) are shown as \xNN, so the report stays well-formed
 * for every input.  Cost: one copy of each value, O(output).
 *
 * Locations come from xpathloc.c, which memoises sibling positions for the
 * run: the SVRL `location` attribute is the ISO form (every namespaced step
 * written *:name[namespace-uri()='…'][k]); the finding's `location` (text,
 * JSON) is the compact form shared with XSD findings (sd: bound to
 * urn:sdlint:schema:1).  A finding's line and column come from the positions
 * recorded at parse time (pos.c), not from here.
 *
 * Cost: O(depth) per location after one pass over each parent's children.
 * The bytes of a fired-rule and of a failed-assert or successful-report
 * around its location depend on the rule or assert alone: they are escaped
 * once and kept (a small table keyed by rule and assert), and copied for
 * every later firing — a rule failing on every element writes them 200,000
 * times.
 */
#include "sch/sch_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- escaping ------------------------------------------------------ */

/* Length of the well-formed UTF-8 character XML allows at p (NUL-terminated
 * string), or 0.  ASCII controls other than tab, LF and CR are not allowed. */
static size_t xml_char_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
    uint32_t cp;
    size_t n = sd_utf8_decode((const char *)p, strnlen((const char *)p, 4), &cp);
    return n > 0 && cp != 0xFFFE && cp != 0xFFFF ? n : 0;
}

/* sd_buf_add with the common case (room left) done here, inline: a report
 * with a finding on every element makes a dozen appends per finding. */
static inline void put(sd_buf *b, const char *s, size_t n)
{
    if (!b->failed && b->data != NULL && b->len + n < b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    sd_buf_add(b, s, n);
}

/* Appends v escaped; attr: as an attribute value, else as text content. */
static void esc(sd_buf *b, const char *v, int attr)
{
    const unsigned char *p = (const unsigned char *)v, *run = p;
    for (;;) {
        unsigned c = *p;
        /* the common bytes in one sweep */
        while (c >= 0x20 && c < 0x80 && c != '<' && c != '>' && c != '&' && c != '"')
            c = *++p;
        if (c == '"' && !attr) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            size_t n = xml_char_len(p);
            if (n > 0) {
                p += n;
                continue;
            }
        }
        if (p > run)
            put(b, (const char *)run, (size_t)(p - run));
        if (c == 0)
            return;
        const char *rep = NULL;
        char hex[8];
        switch (c) {
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        case '\r': rep = "&#13;"; break;
        case '\t': rep = attr ? "&#9;" : "\t"; break;
        case '\n': rep = attr ? "&#10;" : "\n"; break;
        default: {
            static const char digits[] = "0123456789abcdef";
            hex[0] = '\\';
            hex[1] = 'x';
            hex[2] = digits[c >> 4];
            hex[3] = digits[c & 15];
            hex[4] = '\0';
            rep = hex;
        }
        }
        put(b, rep, strlen(rep));
        run = ++p;
    }
}

/* ` name="value"` (lead is ` name="`), nothing for a NULL value. */
static void attr_lead(sd_buf *b, const char *lead, size_t n, const char *value)
{
    if (value == NULL)
        return;
    put(b, lead, n);
    esc(b, value, 1);
    put(b, "\"", 1);
}
#define attr(b, name, value) attr_lead(b, " " name "=\"", sizeof(" " name "=\"") - 1, value)

#define PUTS(b, lit) put(b, lit, sizeof lit - 1)

/* An svrl:text at the given indentation; d (a diagnostic or property, or
 * NULL) gives its see, icon, fpi and xml:lang.  Empty text: no content, so
 * libxml2 wrote it as an empty element. */
static void text(sd_buf *b, const char *indent, const char *t, const sch_diag *d)
{
    sd_buf_puts(b, indent);
    PUTS(b, "<svrl:text");
    if (d != NULL) {
        attr(b, "see", d->see);
        attr(b, "icon", d->icon);
        attr(b, "fpi", d->fpi);
        attr(b, "xml:lang", d->lang);
    }
    if (t == NULL || t[0] == '\0') {
        PUTS(b, "/>\n");
        return;
    }
    PUTS(b, ">");
    esc(b, t, 0);
    PUTS(b, "</svrl:text>\n");
}

/* ---- the fixed bytes of a rule or an assert --------------------------- */

/* Open addressing by the address of the rule or assert, nothing ever
 * evicted: a rule or assert that finds no free slot among the few probed
 * (a pack of hundreds) is written the long way every time, as before. */
#define MEMO_SLOTS 256
#define MEMO_PROBES 8

typedef struct sch_svrl_memo {
    const void *key; /* a sch_rule (fired-rule) or sch_assert; NULL: empty */
    char *bytes;     /* an assert's: before its location, then after it */
    size_t len, split;
} sch_svrl_memo;

/* key's slot (key set when it holds bytes), a free one, or NULL. */
static sch_svrl_memo *memo_slot(sch_svrl *s, const void *key)
{
    if (s->memo == NULL && (s->memo = calloc(MEMO_SLOTS, sizeof *s->memo)) == NULL)
        return NULL;
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 9;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 24);
    for (int k = 0; k < MEMO_PROBES; k++, i++) {
        sch_svrl_memo *m = &s->memo[i % MEMO_SLOTS];
        if (m->key == key || m->key == NULL)
            return m;
    }
    return NULL;
}

/* Keeps the written bytes b[from, to) and b[from2, to2) as key's. */
static void memo_keep(sch_svrl_memo *m, const void *key, const sd_buf *b, size_t from, size_t to,
                      size_t from2, size_t to2)
{
    if (m == NULL || b->failed)
        return;
    size_t n1 = to - from, n2 = to2 - from2;
    char *c = malloc(n1 + n2 + 1);
    if (c == NULL)
        return; /* written the long way next time too */
    memcpy(c, b->data + from, n1);
    memcpy(c + n1, b->data + from2, n2);
    c[n1 + n2] = '\0';
    m->key = key;
    m->bytes = c;
    m->len = n1 + n2;
    m->split = n1;
}

static void memo_free(sch_svrl *s)
{
    if (s->memo == NULL)
        return;
    for (size_t i = 0; i < MEMO_SLOTS; i++)
        free(s->memo[i].bytes);
    free(s->memo);
    s->memo = NULL;
}

/* ---- the report --------------------------------------------------- */

int sch_svrl_start(sch_svrl *s, const sd_sch_pack *pk)
{
    s->out = calloc(1, sizeof *s->out);
    if (s->out == NULL)
        return -1;
    sd_buf_init(&s->out->root);
    sd_buf_init(&s->out->nsp);
    sd_buf_init(&s->out->body);
    attr(&s->out->root, "title", pk->title);
    attr(&s->out->root, "phase", pk->phase ? pk->phase : "#ALL");
    attr(&s->out->root, "schemaVersion", pk->schema_version);
    for (size_t i = 0; i < pk->ns_prefix.n; i++) {
        sd_buf *b = &s->out->nsp;
        PUTS(b, "  <svrl:ns-prefix-in-attribute-values");
        attr(b, "uri", pk->ns_uri.v[i]);
        attr(b, "prefix", pk->ns_prefix.v[i]);
        PUTS(b, "/>\n");
    }
    return s->out->root.failed || s->out->nsp.failed ? -1 : 0;
}

size_t sch_svrl_active_pattern(sch_svrl *s, const sch_pattern *p)
{
    sd_buf *b = &s->out->body;
    PUTS(b, "  <svrl:active-pattern");
    attr(b, "id", p->id);
    attr(b, "name", p->title && p->title[0] ? p->title : NULL);
    attr(b, "role", p->role);
    size_t at = b->len;
    PUTS(b, "/>\n");
    return at;
}

void sch_svrl_documents(sch_svrl *s, size_t at, const char *documents)
{
    if (documents == NULL)
        return;
    sd_buf *b = &s->out->body;
    if (at == b->len - 3) { /* nothing written since the active-pattern */
        b->len = at;
        attr(b, "documents", documents);
        PUTS(b, "/>\n");
        return;
    }
    /* written after the pattern's rules fired (its documents were only known
     * then): moved into place once per pattern */
    sd_buf a;
    sd_buf_init(&a);
    attr(&a, "documents", documents);
    size_t old = b->len;
    sd_buf_add(b, a.data ? a.data : "", a.len);
    if (!b->failed && !a.failed) {
        memmove(b->data + at + a.len, b->data + at, old - at);
        memcpy(b->data + at, a.data, a.len);
    }
    b->failed |= a.failed;
    sd_buf_free(&a);
}

void sch_svrl_fired_rule(sch_svrl *s, const sch_rule *ru, const char *document)
{
    sd_buf *b = &s->out->body;
    sch_svrl_memo *m = document == NULL ? memo_slot(s, ru) : NULL;
    if (m != NULL && m->key == ru) {
        put(b, m->bytes, m->len);
        return;
    }
    size_t from = b->len;
    PUTS(b, "  <svrl:fired-rule");
    attr(b, "context", ru->context);
    attr(b, "id", ru->id);
    attr(b, "role", ru->role);
    attr(b, "flag", ru->flag);
    attr(b, "document", document);
    PUTS(b, "/>\n");
    memo_keep(m, ru, b, from, b->len, 0, 0);
}

/* 1 when no step of n's location names a namespace: then the ISO and the
 * compact forms are the same text (xpathloc.c differs only there). */
static int no_namespace_steps(xmlNodePtr n)
{
    if (n != NULL && n->type == XML_NAMESPACE_DECL)
        return 0;
    for (; n != NULL && n->type != XML_DOCUMENT_NODE && n->type != XML_HTML_DOCUMENT_NODE;
         n = n->parent)
        if ((n->type == XML_ELEMENT_NODE || n->type == XML_ATTRIBUTE_NODE) && n->ns != NULL)
            return 0;
    return 1;
}

void sch_svrl_assert(sch_svrl *s, const sch_assert *a, xmlNodePtr node, const char *t,
                     char *const *dtext, const char *compact)
{
    sd_buf *b = &s->out->body;
    sch_svrl_memo *m = memo_slot(s, a);
    int hit = m != NULL && m->key == a;
    size_t from = b->len;
    if (hit) {
        put(b, m->bytes, m->split);
    } else {
        if (a->is_report)
            PUTS(b, "  <svrl:successful-report");
        else
            PUTS(b, "  <svrl:failed-assert");
        attr(b, "test", a->test);
        attr(b, "id", a->id);
        attr(b, "role", a->role);
        attr(b, "flag", a->flag);
        attr(b, "see", a->see);
        attr(b, "icon", a->icon);
        attr(b, "fpi", a->fpi);
    }
    size_t head = b->len;
    if (compact != NULL && no_namespace_steps(node)) {
        attr(b, "location", compact);
    } else {
        char *location = sch_location(s, node, SD_XPATHLOC_ISO);
        if (location == NULL)
            b->failed = 1;
        attr(b, "location", location ? location : "/");
        free(location);
    }
    if (hit) {
        put(b, m->bytes + m->split, m->len - m->split);
    } else {
        size_t tail = b->len;
        attr(b, "xml:lang", a->lang);
        PUTS(b, ">\n");
        memo_keep(m, a, b, from, head, tail, b->len);
    }
    for (size_t i = 0; i < a->ndiags; i++) {
        PUTS(b, "    <svrl:diagnostic-reference");
        attr(b, "diagnostic", a->diags[i]->id);
        PUTS(b, ">\n");
        text(b, "      ", dtext[i], a->diags[i]);
        PUTS(b, "    </svrl:diagnostic-reference>\n");
    }
    for (size_t i = 0; i < a->nprops; i++) {
        const sch_diag *pr = a->props[i];
        PUTS(b, "    <svrl:property-reference");
        attr(b, "property", pr->id);
        attr(b, "role", pr->role);
        attr(b, "scheme", pr->scheme);
        PUTS(b, ">\n");
        text(b, "      ", dtext[a->ndiags + i], pr);
        PUTS(b, "    </svrl:property-reference>\n");
    }
    text(b, "    ", t, NULL);
    if (a->is_report)
        PUTS(b, "  </svrl:successful-report>\n");
    else
        PUTS(b, "  </svrl:failed-assert>\n");
}

int sch_svrl_failed(const sch_svrl *s)
{
    return s->out != NULL &&
           (s->out->root.failed || s->out->nsp.failed || s->out->body.failed);
}

void sch_svrl_free(sch_svrl *s)
{
    memo_free(s);
    sd_svrl_free(s->out);
    s->out = NULL;
    sd_xpathloc_free(s->loc);
    s->loc = NULL;
}

/* ---- the report as a value ---------------------------------------- */

void sd_svrl_free(sd_svrl *s)
{
    if (s == NULL)
        return;
    sd_buf_free(&s->root);
    sd_buf_free(&s->nsp);
    sd_buf_free(&s->body);
    free(s);
}

/* 1 when the line [l, l+n) (with its newline) is one of the lines of b. */
static int has_line(const sd_buf *b, const char *l, size_t n)
{
    for (size_t i = 0; i + n <= b->len;) {
        const char *e = memchr(b->data + i, '\n', b->len - i);
        size_t len = e ? (size_t)(e - (b->data + i)) + 1 : b->len - i;
        if (len == n && memcmp(b->data + i, l, n) == 0)
            return 1;
        i += len;
    }
    return 0;
}

int sd_svrl_merge(sd_svrl *a, sd_svrl *b)
{
    for (size_t i = 0; i < b->nsp.len;) {
        const char *l = b->nsp.data + i;
        const char *e = memchr(l, '\n', b->nsp.len - i);
        size_t n = e ? (size_t)(e - l) + 1 : b->nsp.len - i;
        if (!has_line(&a->nsp, l, n))
            sd_buf_add(&a->nsp, l, n);
        i += n;
    }
    if (b->body.len)
        sd_buf_add(&a->body, b->body.data, b->body.len);
    int failed = a->nsp.failed || a->body.failed || b->root.failed || b->nsp.failed ||
                 b->body.failed;
    sd_svrl_free(b);
    return failed ? -1 : 0;
}

/* Appends s[0..n) with each line after the first two levels deeper
 * (xmlNodeDump at level 2), and characters outside ASCII in attribute values
 * as &#xHEX; (without an output encoding libxml2 wrote them so there, and
 * left text content as it was).  s is our own output: well-formed UTF-8
 * (esc), no raw '<' or '>' in text, no raw '"' in an attribute value. */
static void nested_copy(sd_buf *out, const char *s, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    const char *run = s, *end = s + n;
    int in_tag = 0, in_value = 0;
    for (const char *p = s; p < end;) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n') {
            p++;
            sd_buf_add(out, run, (size_t)(p - run));
            if (p < end)
                PUTS(out, "    ");
            run = p;
            continue;
        }
        if (c < 0x80 || !in_value) {
            if (c == '<' && !in_tag)
                in_tag = 1;
            else if (c == '>' && in_tag && !in_value)
                in_tag = 0;
            else if (c == '"' && in_tag)
                in_value = !in_value;
            p++;
            continue;
        }
        sd_buf_add(out, run, (size_t)(p - run));
        uint32_t cp = 0;
        size_t k = sd_utf8_decode(p, (size_t)(end - p), &cp);
        if (k == 0) { /* not reached: esc() lets no such byte through */
            cp = c;
            k = 1;
        }
        char ref[16] = "&#x";
        size_t m = 3;
        int started = 0;
        for (int sh = 20; sh >= 0; sh -= 4) {
            unsigned dgt = (cp >> sh) & 15;
            if (dgt || started || sh == 0) {
                ref[m++] = digits[dgt];
                started = 1;
            }
        }
        ref[m++] = ';';
        sd_buf_add(out, ref, m);
        p += k;
        run = p;
    }
    sd_buf_add(out, run, (size_t)(end - run));
}

void sd_svrl_write(const sd_svrl *s, sd_buf *out, int nested)
{
    sd_buf tmp, *b = out;
    if (nested) {
        sd_buf_init(&tmp);
        b = &tmp;
    } else {
        PUTS(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    PUTS(b, "<svrl:schematron-output xmlns:svrl=\"" SCH_SVRL_NS "\"");
    if (s->root.len)
        sd_buf_add(b, s->root.data, s->root.len);
    if (s->nsp.len == 0 && s->body.len == 0) {
        PUTS(b, "/>\n");
    } else {
        PUTS(b, ">\n");
        if (s->nsp.len)
            sd_buf_add(b, s->nsp.data, s->nsp.len);
        if (s->body.len)
            sd_buf_add(b, s->body.data, s->body.len);
        PUTS(b, "</svrl:schematron-output>\n");
    }
    if (s->root.failed || s->nsp.failed || s->body.failed)
        out->failed = 1;
    if (nested) {
        /* without the final newline: the container writes its own */
        nested_copy(out, tmp.data ? tmp.data : "", tmp.len ? tmp.len - 1 : 0);
        out->failed |= tmp.failed;
        sd_buf_free(&tmp);
    }
}

/* Below this the body is copied as sd_svrl_write copies it. */
#define MOVE_MIN ((size_t)1 << 16)

void sd_svrl_write_moving(sd_svrl *s, sd_buf *out)
{
    if (out->len != 0 || out->failed || s->root.failed || s->nsp.failed || s->body.failed ||
        s->body.len < MOVE_MIN) {
        sd_svrl_write(s, out, 0);
        return;
    }
    /* The same bytes as sd_svrl_write's for a report with a body: the part
     * before the body, the body, the end tag.  The body grows in place by
     * both (its capacity doubled as it grew, so rarely a new block) and
     * shifts once by the length of the part before. */
    sd_buf head;
    sd_buf_init(&head);
    PUTS(&head, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    PUTS(&head, "<svrl:schematron-output xmlns:svrl=\"" SCH_SVRL_NS "\"");
    if (s->root.len)
        sd_buf_add(&head, s->root.data, s->root.len);
    PUTS(&head, ">\n");
    if (s->nsp.len)
        sd_buf_add(&head, s->nsp.data, s->nsp.len);
    sd_buf *b = &s->body;
    size_t body = b->len;
    PUTS(b, "</svrl:schematron-output>\n");
    size_t rest = b->len - body; /* the end tag */
    if (!head.failed)
        sd_buf_add(b, head.data, head.len); /* room for it: overwritten below */
    if (head.failed || b->failed) {
        b->len = body; /* as it was: written the copying way */
        b->failed = 0;
        if (b->data != NULL)
            b->data[body] = '\0';
        sd_buf_free(&head);
        sd_svrl_write(s, out, 0);
        return;
    }
    memmove(b->data + head.len, b->data, body + rest);
    memcpy(b->data, head.data, head.len);
    sd_buf_free(&head);
    free(out->data);
    *out = *b;
    sd_buf_init(b);
}

/* ---- location --------------------------------------------- */

const char *sch_location_in(sch_svrl *s, xmlNodePtr n, sd_xpathloc_style style, sd_buf *scratch)
{
    if (s->loc == NULL && (s->loc = sd_xpathloc_new()) == NULL)
        return NULL;
    return sd_xpathloc_path_in(s->loc, n, style, scratch);
}

char *sch_location(sch_svrl *s, xmlNodePtr n, sd_xpathloc_style style)
{
    if (s->loc == NULL && (s->loc = sd_xpathloc_new()) == NULL)
        return NULL;
    return sd_xpathloc_path(s->loc, n, style);
}
