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
 * What is kept: each recorded node's start and end byte offsets, packed into
 * its own _private field (two 32-bit numbers: load.c parses at most 2 GiB),
 * and, for the document, a line index of the bytes: per 64-byte block the
 * line and column at its start and two bit masks (which bytes are newlines,
 * which start a character that takes a column).  A lookup is then O(1): the
 * block's line and column plus the population counts of the masks below the
 * offset.  Memory: 24 bytes per 64 of input (3 MB for an 8 MB document) and
 * nothing per node; a table of a record per node (48 bytes each, a million
 * of them for 200,000 elements with two attributes and their texts) cost
 * a tenth of a large run in first-touch page faults.  The index is built in
 * one pass over the bytes (eight at a time) when the parse ends, while they
 * are still there: the tree outlives them.  The recorder checks that offsets
 * only move forward, so the whole parse costs O(input) however many nodes
 * or findings there are, even on a single 100 MB line.
 *
 * The offsets are offsets into the bytes handed to libxml2, which load.c
 * guarantees are UTF-8 (other encodings are decoded first).  Every recorded
 * offset is checked against those bytes; if libxml2 ever disagrees (a future
 * version, an encoder in the way) the recorder gives up and the document
 * carries no positions rather than wrong ones.
 */
#define _GNU_SOURCE /* memrchr */
#include "pos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define POS_MAGIC 0x53445053u /* "SDPS": the doc->_private table is ours */

/* The line and column at the start of 64 bytes of input, and which of those
 * bytes are newlines and which start a character that takes a column (bit i:
 * the byte at 64 k + i). */
typedef struct pos_block {
    uint32_t line, col;
    uint64_t nl, cs;
} pos_block;

typedef struct pos_table {
    unsigned magic;
    int ordered; /* 1: every element holds its document-order index (below) */
    size_t len;  /* of the bytes parsed: every recorded offset is at most len */
    pos_block *blocks; /* len / 64 + 1 of them; NULL until the first lookup when lazy */
    const unsigned char *lazy; /* the bytes parsed, which the caller keeps as long as
                                  the tree (SD_POS_LAZY): the index is made from them
                                  on the first lookup; NULL once made, or when eager */
    size_t skip;               /* a BOM's bytes, not a column */
    size_t npis; /* processing instructions the parse delivered (suppress.c's directives) */
    xmlNodePtr *elems; /* every element in document order, as the parse met them */
    size_t nelems, capelems;
#if UINTPTR_MAX <= 0xFFFFFFFFu
    uint32_t *spans; /* no room for two offsets in a pointer: [2 i], [2 i + 1] */
    size_t nspans, capspans;
#endif
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
    size_t cur;  /* the end of the last recorded span: recorded offsets never go back */
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

/* Writes [start, end) as node's span: in node->_private, start + 1 in the
 * high half and end + 1 in the low one (never 0: 0 means "not recorded"). */
static int set_span(sd_pos_recorder *r, xmlNodePtr node, size_t start, size_t end)
{
#if UINTPTR_MAX > 0xFFFFFFFFu
    (void)r;
    node->_private = (void *)(((uintptr_t)(start + 1) << 32) | (uintptr_t)(end + 1));
#else
    pos_table *t = r->t;
    if (t->nspans == t->capspans) {
        size_t cap = t->capspans ? t->capspans * 2 : 256;
        uint32_t *v = realloc(t->spans, cap * 2 * sizeof *v);
        if (v == NULL) {
            r->failed = 1;
            return -1;
        }
        t->spans = v;
        t->capspans = cap;
    }
    t->spans[2 * t->nspans] = (uint32_t)start;
    t->spans[2 * t->nspans + 1] = (uint32_t)end;
    node->_private = (void *)(uintptr_t)++t->nspans;
#endif
    return 0;
}

/* Records node's span [start, end); spans come in document order, so a
 * start before the end of the last one means libxml2's offsets are not what
 * this file expects (never seen): the document then gets no positions. */
static int add(sd_pos_recorder *r, xmlNodePtr node, size_t start, size_t end)
{
    if (start < r->cur || end < start || end > r->len) {
        r->failed = 2;
        return -1;
    }
    if (set_span(r, node, start, end) != 0)
        return -1;
    r->cur = end;
    return 0;
}

/* node's span, from its _private; 0 when it has none. */
static int span_of(const pos_table *t, const xmlNode *node, size_t *start, size_t *end)
{
    uintptr_t v = (uintptr_t)node->_private;
    if (v == 0)
        return 0;
#if UINTPTR_MAX > 0xFFFFFFFFu
    *start = (size_t)(v >> 32) - 1;
    *end = (size_t)(v & 0xFFFFFFFFu) - 1;
#else
    if (v > t->nspans)
        return 0;
    *start = t->spans[2 * (v - 1)];
    *end = t->spans[2 * (v - 1) + 1];
#endif
    return *start <= *end && *end <= t->len;
}

/* One table lookup per byte of a tag instead of up to seven compares. */
enum { SPACE = 1, NAME_END = 2, BEFORE_VALUE = 4 };
static const unsigned char tag_class[256] = {
    [' '] = SPACE | NAME_END | BEFORE_VALUE, ['\t'] = SPACE | NAME_END | BEFORE_VALUE,
    ['\n'] = SPACE | NAME_END | BEFORE_VALUE, ['\r'] = SPACE | NAME_END | BEFORE_VALUE,
    ['='] = NAME_END | BEFORE_VALUE, ['/'] = NAME_END, ['>'] = NAME_END,
};

static int is_space(unsigned char c)
{
    return tag_class[c] & SPACE;
}

static int is_name_end(unsigned char c)
{
    return tag_class[c] & NAME_END;
}

/* Pairs the attributes written in the tag [lt, gt) with node->properties, in
 * order; namespace declarations are not attributes in the tree.  b[gt] is
 * the tag's `>` or `/` (on_start checks it): a name end and not a space, so
 * the scans of names and spaces stop there without a bound check of their
 * own (they were half the cost of recording positions), and past a value
 * (memchr within the tag) i is at most gt. */
static void record_attributes(sd_pos_recorder *r, xmlNodePtr node, size_t lt, size_t gt)
{
    const unsigned char *b = r->b;
    size_t i = lt + 1;
    while (!is_name_end(b[i]))
        i++;
    xmlAttrPtr a = node->properties;
    while (a != NULL && !r->failed) {
        while (is_space(b[i]))
            i++;
        if (i >= gt || b[i] == '/' || b[i] == '>')
            return;
        size_t name = i;
        while (!is_name_end(b[i]))
            i++;
        size_t name_end = i;
        while (tag_class[b[i]] & BEFORE_VALUE)
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
        size_t local = name; /* after the first colon, if any */
        for (size_t k = name; k < name_end; k++)
            if (b[k] == ':') {
                local = k + 1;
                break;
            }
        /* a->name equals b[local, name_end): compared in line (names are
         * short), reading a->name no further than its first difference */
        size_t llen = name_end - local, k = 0;
        const xmlChar *an = a->name;
        if (an == NULL)
            return;
        while (k < llen && an[k] == b[local + k])
            k++;
        if (k != llen || an[llen] != '\0')
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
    /* From the root element on, an attribute value libxml2 had to copy (a
     * non-ASCII character — most Chinese values — or a reference) becomes
     * its one text node directly, as a value it did not copy does, instead of
     * being re-read by xmlStringLenGetNodeList (a tenth of the tree building,
     * and an allocation more per value).  That is all replaceEntities changes
     * here: no DOCTYPE can follow the root and load.c refuses one before it,
     * so the only entities are the five predefined ones, which both ways give
     * the same single text node.  xmlCtxtReadMemory resets the flag (load.c
     * never sets XML_PARSE_NOENT) for the parser's next document. */
    ctxt->replaceEntities = 1;
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
        pos_table *t = r->t;
        if (t->nelems == t->capelems) {
            size_t cap = t->capelems ? t->capelems * 2 : 256;
            xmlNodePtr *v = realloc(t->elems, cap * sizeof *v);
            if (v == NULL) {
                r->failed = 1;
                return;
            }
            t->elems = v;
            t->capelems = cap;
        }
        t->elems[t->nelems++] = node;
    }
    if (r->failed || node == NULL || node == before || node->type != XML_ELEMENT_NODE)
        return;
    size_t gt = cursor_offset(ctxt);
    if (gt >= r->len || (r->b[gt] != '>' && r->b[gt] != '/')) {
        r->failed = 2;
        return;
    }
    if (gt < r->cur) {
        r->failed = 2;
        return;
    }
    /* the last `<` in [cur, gt] */
    const unsigned char *lp = memrchr(r->b + r->cur, '<', gt - r->cur + 1);
    size_t lt = lp ? (size_t)(lp - r->b) : r->cur;
    if (r->b[lt] != '<') {
        r->failed = 2;
        return;
    }
    size_t end = gt + (r->b[gt] == '/' ? 2 : 1);
    /* the element's span holds its attributes': theirs are recorded first,
     * in order from lt, then the element's */
    if (lt < r->cur) {
        r->failed = 2;
        return;
    }
    r->cur = lt;
    record_attributes(r, node, lt, gt);
    if (r->failed || set_span(r, node, lt, end) != 0)
        return;
    r->cur = end;
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
    r->t->npis++;
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
    t->len = len;
    r->t = t;
    r->ctxt = ctxt;
    r->b = bytes;
    r->len = len;
    if (len >= 0xFFFFFFFFu)
        r->failed = 2; /* offsets would not fit the spans (load.c stops at 2 GiB) */
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
        free(t->blocks);
        free(t->elems);
#if UINTPTR_MAX <= 0xFFFFFFFFu
        free(t->spans);
#endif
        free(t);
    }
}

/* The bytes of w that are 0x80 in hi (others 0) as 8 bits, byte i to bit i:
 * each flag lands on its own bit of the top byte, no carries. */
static inline uint64_t byte_bits(uint64_t hi)
{
    return ((hi >> 7) * 0x0102040810204080ull) >> 56;
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* The masks of bytes [from, to) of one block, from the block's start p. */
static void block_masks(const unsigned char *p, size_t from, size_t to, uint64_t *nl, uint64_t *cs)
{
#ifdef __SSE2__
    /* A whole block sixteen bytes at a time (every x86-64 has SSE2): under
     * one instruction a byte, against four and a half for the words below;
     * the index was the largest cost of recording positions. */
    if (from == 0 && to == 64) {
        const __m128i newline = _mm_set1_epi8('\n'), top2 = _mm_set1_epi8((char)0xC0),
                      cont = _mm_set1_epi8((char)0x80);
        uint64_t n = 0, c = 0;
        for (unsigned q = 0; q < 4; q++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * q));
            unsigned is_nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline));
            unsigned is_cont =
                (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, top2), cont));
            n |= (uint64_t)is_nl << (16 * q);
            c |= (uint64_t)(~(is_nl | is_cont) & 0xFFFFu) << (16 * q);
        }
        *nl = n;
        *cs = c;
        return;
    }
#endif
    uint64_t n = 0, c = 0;
    size_t i = from;
    for (; i < to && (i & 7) != 0; i++) {
        n |= (uint64_t)(p[i] == '\n') << i;
        c |= (uint64_t)(p[i] != '\n' && (p[i] & 0xC0) != 0x80) << i;
    }
    for (; i + 8 <= to; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        uint64_t y = w ^ (ONES * '\n');
        uint64_t is_nl = ~(((y & ~HIGH) + ~HIGH) | y) & HIGH; /* exact zero-byte test */
        uint64_t is_cont = w & ~(w << 1) & HIGH;              /* 10xxxxxx */
        n |= byte_bits(is_nl) << i;
        c |= byte_bits(~(is_nl | is_cont) & HIGH) << i;
    }
    for (; i < to; i++) {
        n |= (uint64_t)(p[i] == '\n') << i;
        c |= (uint64_t)(p[i] != '\n' && (p[i] & 0xC0) != 0x80) << i;
    }
    *nl = n;
    *cs = c;
}

/* Bits set in x.  Not __builtin_popcountll: without -mpopcnt that is a call
 * into libgcc, four of them per lookup. */
static inline unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Line and column just after the bits of block k below bit `below` (64:
 * the whole block), given the block's start. */
static void block_walk(const pos_block *k, unsigned below, uint32_t *line, uint32_t *col)
{
    uint64_t low = below >= 64 ? ~0ull : ((uint64_t)1 << below) - 1;
    uint64_t nl = k->nl & low;
    if (nl == 0) {
        *line = k->line;
        *col = k->col + (uint32_t)popcount64(k->cs & low);
        return;
    }
    unsigned last = 63u - (unsigned)__builtin_clzll(nl); /* the last newline before */
    uint64_t after = low & ~((((uint64_t)1 << last) << 1) - 1);
    *line = k->line + (uint32_t)popcount64(nl);
    *col = 1 + (uint32_t)popcount64(k->cs & after);
}

/* The line index of bytes[0, len), in one pass; -1 when out of memory. */
static int build_index(pos_table *t, const unsigned char *b, size_t len, size_t skip)
{
    size_t nb = len / 64 + 1;
    t->blocks = malloc(nb * sizeof *t->blocks);
    if (t->blocks == NULL)
        return -1;
    uint32_t line = 1, col = 1;
    for (size_t k = 0; k < nb; k++) {
        pos_block *blk = &t->blocks[k];
        size_t at = k * 64, to = len - at < 64 ? len - at : 64;
        blk->line = line;
        blk->col = col;
        block_masks(b + at, at < skip ? skip - at : 0, to, &blk->nl, &blk->cs);
        block_walk(blk, 64, &line, &col);
    }
    return 0;
}

/* Line and column of byte offset off (at most len). */
static void line_col(const pos_table *t, size_t off, long *line, long *col)
{
    uint32_t l, c;
    block_walk(&t->blocks[off / 64], (unsigned)(off % 64), &l, &c);
    *line = l;
    *col = c;
}

/* Clears the spans a tree kept when it gets no table (libxml2's offsets were
 * not what pos.c expects): none is then ever read as a position. */
static void clear_spans(xmlNodePtr n)
{
    while (n != NULL) {
        n->_private = NULL;
        if (n->type == XML_ELEMENT_NODE)
            for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
                a->_private = NULL;
        if (n->children != NULL && n->type != XML_ENTITY_REF_NODE &&
            n->type != XML_ATTRIBUTE_NODE) {
            n = n->children;
            continue;
        }
        while (n != NULL && n->next == NULL)
            n = n->parent;
        if (n != NULL)
            n = n->next;
    }
}

int sd_pos_record_end(sd_pos_recorder *r, xmlDocPtr doc, int keep)
{
    if (r == NULL)
        return 0;
    size_t skip = r->len >= 3 && memcmp(r->b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (doc != NULL && keep == SD_POS_LAZY && r->failed == 0 && doc->_private == NULL) {
        r->t->lazy = r->b;
        r->t->skip = skip;
    } else if (doc != NULL && keep && r->failed == 0 && doc->_private == NULL &&
               build_index(r->t, r->b, r->len, skip) < 0) {
        r->failed = 1;
    }
    int rc = r->failed == 1 ? -1 : 0;
    if (doc != NULL && keep && r->failed == 0 && doc->_private == NULL) {
        r->t->ordered = !r->unordered;
        doc->_private = r->t;
    } else {
        /* (Without a tree, libxml2 has freed the nodes.) */
        if (doc != NULL)
            clear_spans(doc->children);
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
        size_t start, end;
        if (span_of(t, m, &start, &end)) {
            if (t->blocks == NULL) {
                /* the first lookup in a lazily indexed tree (one thread at
                 * a time looks up a tree, as it is one thread's to check) */
                pos_table *w = (pos_table *)t;
                if (w->lazy == NULL || build_index(w, w->lazy, w->len, w->skip) < 0)
                    break; /* out of memory: the line libxml2 kept */
                w->lazy = NULL;
            }
            line_col(t, start, &out->line, &out->col);
            line_col(t, end, &out->end_line, &out->end_col);
            out->offset = start;
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

xmlNodePtr const *sd_pos_doc_elements(const xmlDoc *doc, size_t *n)
{
    const pos_table *t = table_of(doc);
    *n = t != NULL && t->ordered ? t->nelems : 0;
    return t != NULL && t->ordered ? t->elems : NULL;
}

long sd_pos_doc_pi_count(const xmlDoc *doc)
{
    const pos_table *t = table_of(doc);
    return t != NULL ? (long)t->npis : -1;
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
