/*
 * pos.c — recording node positions while libxml2 parses (see pos.h).
 *
 * Why SAX hooks: libxml2 keeps only a 16-bit line per element and no column,
 * and searching the text for `<name` afterwards is both wrong (it matches
 * `<ab` for `<a`, namespace URIs, the wrong document) and quadratic.  When the
 * startElementNs callback runs, libxml2's cursor stands on the `>` (or `/>`)
 * of the start tag, so the byte offset of the cursor is exact; the tag starts
 * at the last `<` before it (a `<` cannot occur inside an attribute value),
 * and its attributes are found by tokenising the tag once.
 *
 * Lines and columns come from one running cursor that only moves forward:
 * positions are recorded in document order, so the whole parse costs O(input)
 * however many nodes or findings there are, even on a single 100 MB line.
 *
 * The offsets are offsets into the bytes handed to libxml2, which load.c
 * guarantees are UTF-8 (other encodings are decoded first).  Every recorded
 * offset is checked against those bytes; if libxml2 ever disagrees (a future
 * version, an encoder in the way) the recorder gives up and the document
 * carries no positions rather than wrong ones.
 */
#include "pos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>

#define POS_MAGIC 0x53445053u /* "SDPS": the doc->_private table is ours */

typedef struct pos_entry {
    const xmlNode *node;
    sd_pos pos;
} pos_entry;

typedef struct pos_table {
    unsigned magic;
    pos_entry *items;
    size_t count, cap;
    int ordered; /* 1: every element holds its document-order index (below) */
} pos_table;

struct sd_pos_recorder {
    xmlParserCtxtPtr ctxt;
    const unsigned char *b;
    size_t len;
    startElementNsSAX2Func start;
    endElementNsSAX2Func end;
    charactersSAXFunc chars, blanks;
    commentSAXFunc comment;
    processingInstructionSAXFunc pi;
    pos_table *t;
    size_t cur; /* the running cursor: byte offset, and its line and column */
    long line, col;
    size_t mark; /* just after the last markup: where a following text starts */
    int failed;  /* 1: out of memory, 2: offsets disagree with the bytes */
    long nelem;  /* elements numbered so far */
    int unordered; /* an element arrived with its content field already set */
};

static sd_pos_recorder *recorder_of(void *ctx)
{
    xmlParserCtxtPtr ctxt = ctx;
    return ctxt && ctxt->_private ? *(sd_pos_recorder **)ctxt->_private : NULL;
}

/* Byte offset of libxml2's cursor in the input. */
static size_t cursor_offset(xmlParserCtxtPtr ctxt)
{
    xmlParserInputPtr in = ctxt->input;
    return (size_t)in->consumed + (size_t)(in->cur - in->base);
}

/* Moves the running cursor forward to off and returns line and column there. */
static void advance(sd_pos_recorder *r, size_t off, long *line, long *col)
{
    if (off > r->len)
        off = r->len;
    if (off < r->cur) { /* never happens for offsets recorded in order */
        r->failed = 2;
        off = r->cur;
    }
    const unsigned char *b = r->b;
    for (size_t i = r->cur; i < off; i++) {
        if (b[i] == '\n') {
            r->line++;
            r->col = 1;
        } else if ((b[i] & 0xC0) != 0x80) {
            r->col++;
        }
    }
    r->cur = off;
    *line = r->line;
    *col = r->col;
}

static int add(sd_pos_recorder *r, xmlNodePtr node, size_t start, size_t end)
{
    pos_table *t = r->t;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        pos_entry *items = realloc(t->items, cap * sizeof *items);
        if (items == NULL) {
            r->failed = 1;
            return -1;
        }
        t->items = items;
        t->cap = cap;
    }
    pos_entry *e = &t->items[t->count++];
    e->node = node;
    e->pos.offset = start;
    advance(r, start, &e->pos.line, &e->pos.col);
    advance(r, end, &e->pos.end_line, &e->pos.end_col);
    node->_private = (void *)(uintptr_t)t->count;
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_name_end(unsigned char c)
{
    return is_space(c) || c == '=' || c == '/' || c == '>';
}

/* Pairs the attributes written in the tag [lt, gt) with node->properties, in
 * order; namespace declarations are not attributes in the tree. */
static void record_attributes(sd_pos_recorder *r, xmlNodePtr node, size_t lt, size_t gt)
{
    const unsigned char *b = r->b;
    size_t i = lt + 1;
    while (i < gt && !is_name_end(b[i]))
        i++;
    xmlAttrPtr a = node->properties;
    while (i < gt && a != NULL && !r->failed) {
        while (i < gt && is_space(b[i]))
            i++;
        if (i >= gt || b[i] == '/' || b[i] == '>')
            return;
        size_t name = i;
        while (i < gt && !is_name_end(b[i]))
            i++;
        size_t name_end = i;
        while (i < gt && (is_space(b[i]) || b[i] == '='))
            i++;
        if (i >= gt || (b[i] != '"' && b[i] != '\''))
            return;
        const unsigned char *close = memchr(b + i + 1, b[i], gt - i - 1);
        if (close == NULL)
            return;
        i = (size_t)(close - b) + 1;
        size_t nlen = name_end - name;
        if ((nlen == 5 && memcmp(b + name, "xmlns", 5) == 0) ||
            (nlen > 6 && memcmp(b + name, "xmlns:", 6) == 0))
            continue;
        const unsigned char *colon = memchr(b + name, ':', nlen);
        size_t local = colon ? (size_t)(colon - b) + 1 : name;
        size_t llen = name_end - local;
        if (a->name == NULL || strlen((const char *)a->name) != llen ||
            memcmp(a->name, b + local, llen) != 0)
            return; /* not the attribute we expected: leave the rest unrecorded */
        add(r, (xmlNodePtr)a, name, i);
        a = a->next;
    }
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_ns, const xmlChar **ns, int nb_attrs,
                     int nb_defaulted, const xmlChar **attrs)
{
    sd_pos_recorder *r = recorder_of(ctx);
    xmlParserCtxtPtr ctxt = ctx;
    xmlNodePtr before = ctxt->node;
    r->start(ctx, localname, prefix, uri, nb_ns, ns, nb_attrs, nb_defaulted, attrs);
    xmlNodePtr node = ctxt->node;
    /* The element's document-order index, as xmlXPathOrderDocElems writes it
     * (-1, -2, … in its content field, which libxml2 leaves unused in an
     * element and its XPath compares): written now, while the node is fresh
     * in the cache, it spares the engine a walk of the whole tree. */
    if (node != NULL && node != before && node->type == XML_ELEMENT_NODE) {
        if (node->content == NULL)
            node->content = (xmlChar *)(intptr_t)(-(++r->nelem));
        else
            r->unordered = 1;
    }
    if (r->failed || node == NULL || node == before || node->type != XML_ELEMENT_NODE)
        return;
    size_t gt = cursor_offset(ctxt);
    if (gt >= r->len || (r->b[gt] != '>' && r->b[gt] != '/')) {
        r->failed = 2;
        return;
    }
    size_t lt = gt;
    while (lt > r->cur && r->b[lt] != '<')
        lt--;
    if (r->b[lt] != '<') {
        r->failed = 2;
        return;
    }
    size_t end = gt + (r->b[gt] == '/' ? 2 : 1);
    if (add(r, node, lt, lt) != 0)
        return;
    size_t idx = r->t->count - 1;
    record_attributes(r, node, lt, gt);
    pos_entry *e = &r->t->items[idx];
    advance(r, end, &e->pos.end_line, &e->pos.end_col);
    r->mark = end;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    sd_pos_recorder *r = recorder_of(ctx);
    r->end(ctx, localname, prefix, uri);
    size_t off = cursor_offset(r->ctxt);
    if (off <= r->len && off > r->mark)
        r->mark = off;
}

/* A text node starts where its characters lie in the input when libxml2 hands
 * them over directly; otherwise (character references, CR LF, CDATA) just
 * after the markup before it. */
static void text_added(sd_pos_recorder *r, xmlNodePtr parent, xmlNodePtr before,
                       const xmlChar *ch)
{
    xmlNodePtr last = parent ? parent->last : NULL;
    if (r->failed || last == NULL || last == before || last->type != XML_TEXT_NODE)
        return;
    xmlParserInputPtr in = r->ctxt->input;
    size_t start = r->mark;
    /* ch may be libxml2's own scratch buffer: compare addresses as integers */
    uintptr_t c = (uintptr_t)ch, lo = in ? (uintptr_t)in->base : 0, hi = in ? (uintptr_t)in->end : 0;
    if (in && c >= lo && c < hi) {
        size_t off = (size_t)in->consumed + (size_t)(c - lo);
        if (off >= r->cur && off < r->len)
            start = off;
    }
    if (start < r->cur)
        start = r->cur;
    add(r, last, start, start);
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
    sd_pos_recorder *r = recorder_of(ctx);
    xmlNodePtr parent = r->ctxt->node, before = parent ? parent->last : NULL;
    r->chars(ctx, ch, len);
    text_added(r, parent, before, ch);
}

static void on_blanks(void *ctx, const xmlChar *ch, int len)
{
    sd_pos_recorder *r = recorder_of(ctx);
    xmlNodePtr parent = r->ctxt->node, before = parent ? parent->last : NULL;
    r->blanks(ctx, ch, len);
    text_added(r, parent, before, ch);
}

/* After a comment or PI the cursor may stand before or after its terminator. */
static void mark_after(sd_pos_recorder *r, const char *terminator)
{
    size_t off = cursor_offset(r->ctxt), n = strlen(terminator);
    if (off + n <= r->len && memcmp(r->b + off, terminator, n) == 0)
        off += n;
    if (off <= r->len && off > r->mark)
        r->mark = off;
}

static void on_comment(void *ctx, const xmlChar *value)
{
    sd_pos_recorder *r = recorder_of(ctx);
    r->comment(ctx, value);
    mark_after(r, "-->");
}

/* A processing instruction is recorded too (from `<?` to after `?>`): the
 * <?sdlint ...?> suppressions report their own findings at their place. */
static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    sd_pos_recorder *r = recorder_of(ctx);
    xmlParserCtxtPtr ctxt = ctx;
    xmlNodePtr parent = ctxt->node ? ctxt->node : (xmlNodePtr)ctxt->myDoc;
    xmlNodePtr before = parent ? parent->last : NULL;
    r->pi(ctx, target, data);
    size_t start = r->mark;
    mark_after(r, "?>");
    xmlNodePtr node = parent ? parent->last : NULL;
    if (r->failed || node == NULL || node == before || node->type != XML_PI_NODE)
        return;
    /* Between the last markup and this PI lie only text and, in the prolog,
     * the XML declaration: the first `<?target` from there is this PI. */
    size_t end = r->mark, tlen = strlen((const char *)target), lt = start;
    if (lt < r->cur)
        lt = r->cur;
    for (; lt + 2 + tlen <= end; lt++)
        if (r->b[lt] == '<' && r->b[lt + 1] == '?' && memcmp(r->b + lt + 2, target, tlen) == 0 &&
            (lt + 2 + tlen == end || r->b[lt + 2 + tlen] == '?' || is_space(r->b[lt + 2 + tlen])))
            break;
    if (lt + 2 + tlen > end)
        return; /* not where we expected: the PI keeps its parent's position */
    add(r, node, lt, end);
}

sd_pos_recorder *sd_pos_record_begin(xmlParserCtxtPtr ctxt, const unsigned char *bytes,
                                     size_t len)
{
    xmlSAXHandlerPtr sax = ctxt->sax;
    if (sax == NULL || sax->startElementNs == NULL || sax->characters == NULL)
        return NULL;
    sd_pos_recorder *r = calloc(1, sizeof *r);
    pos_table *t = calloc(1, sizeof *t);
    if (r == NULL || t == NULL) {
        free(r);
        free(t);
        return NULL;
    }
    t->magic = POS_MAGIC;
    r->t = t;
    r->ctxt = ctxt;
    r->b = bytes;
    r->len = len;
    r->line = r->col = 1;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        r->cur = r->mark = 3; /* a BOM is not a column, in any editor */
    r->start = sax->startElementNs;
    r->end = sax->endElementNs ? sax->endElementNs : xmlSAX2EndElementNs;
    r->chars = sax->characters;
    r->blanks = sax->ignorableWhitespace ? sax->ignorableWhitespace : sax->characters;
    r->comment = sax->comment ? sax->comment : xmlSAX2Comment;
    r->pi = sax->processingInstruction ? sax->processingInstruction
                                       : xmlSAX2ProcessingInstruction;
    sax->startElementNs = on_start;
    sax->endElementNs = on_end;
    sax->characters = on_chars;
    sax->ignorableWhitespace = on_blanks;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
    return r;
}

static void table_free(pos_table *t)
{
    if (t != NULL) {
        free(t->items);
        free(t);
    }
}

int sd_pos_record_end(sd_pos_recorder *r, xmlDocPtr doc, int keep)
{
    if (r == NULL)
        return 0;
    int rc = r->failed == 1 ? -1 : 0;
    if (doc != NULL && keep && r->failed == 0 && doc->_private == NULL) {
        r->t->ordered = !r->unordered;
        doc->_private = r->t;
    } else {
        /* No table for a tree that lives on: clear its indexes so no stale
         * one is ever read.  (Without a tree, libxml2 has freed the nodes.) */
        for (size_t i = 0; doc != NULL && i < r->t->count; i++)
            ((xmlNodePtr)r->t->items[i].node)->_private = NULL;
        table_free(r->t);
    }
    free(r);
    return rc;
}

static const pos_table *table_of(const xmlDoc *doc)
{
    const pos_table *t = doc ? doc->_private : NULL;
    return t && t->magic == POS_MAGIC ? t : NULL;
}

int sd_pos_of(const xmlNode *n, sd_pos *out)
{
    memset(out, 0, sizeof *out);
    if (n != NULL && n->type == XML_NAMESPACE_DECL) {
        /* XPath's namespace nodes keep their element in ns->next */
        const xmlNs *ns = (const xmlNs *)n;
        n = (ns->next && ns->next->type == XML_ELEMENT_NODE) ? (const xmlNode *)ns->next : NULL;
    }
    if (n == NULL || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
        return 0;
    const pos_table *t = table_of(n->doc);
    for (const xmlNode *m = n; t != NULL && m != NULL && m->type != XML_DOCUMENT_NODE;
         m = m->parent) {
        uintptr_t idx = (uintptr_t)m->_private;
        if (idx > 0 && idx <= t->count && t->items[idx - 1].node == m) {
            *out = t->items[idx - 1].pos;
            return 1;
        }
    }
    /* A tree without positions: the line libxml2 kept, no column. */
    const xmlNode *e = n;
    while (e != NULL && e->type != XML_ELEMENT_NODE)
        e = e->parent;
    if (e != NULL && e->type == XML_ELEMENT_NODE) {
        long l = xmlGetLineNo((xmlNodePtr)e);
        out->line = l > 0 ? l : 0;
    }
    return 0;
}

int sd_pos_doc_ordered(const xmlDoc *doc)
{
    const pos_table *t = table_of(doc);
    return t != NULL && t->ordered;
}

void sd_pos_doc_free(xmlDocPtr doc)
{
    if (doc == NULL)
        return;
    const pos_table *t = table_of(doc);
    if (t != NULL) {
        table_free((pos_table *)t);
        doc->_private = NULL;
    }
    xmlFreeDoc(doc);
}
