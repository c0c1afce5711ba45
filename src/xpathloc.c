/*
 * xpathloc.c — XPath locations of nodes without rescanning siblings.
 *
 * Place: called for each finding by the Schematron engine (sch/svrl.c) and by
 * the XSD stage (xsd.c); see xpathloc.h for the two styles.  The position of a
 * node among its same-name siblings comes from a pointer map filled one parent
 * at a time: the first time a child of P is asked for, one pass over P's
 * children numbers all of them (a small name table counts each name), so a
 * parent is scanned once whatever the number of findings under it.
 *
 * Cost: O(children of P) once per parent asked about, then O(1) expected per
 * step; O(depth) per location.  Memory: one map entry per child of a scanned
 * parent.  No global state.
 */
#include "xpathloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kind.h"

/* ---- pointer → position map (open addressing, linear probing) ---------- */

typedef struct pmap {
    const void **key;
    long *val;
    size_t cap, n; /* cap is 0 or a power of two */
} pmap;

static size_t hash_ptr(const void *p)
{
    uintptr_t v = (uintptr_t)p;
    v ^= v >> 33;
    v *= (uintptr_t)0xff51afd7ed558ccdULL;
    v ^= v >> 29;
    return (size_t)v;
}

static long *pmap_find(const pmap *m, const void *k)
{
    if (m->cap == 0)
        return NULL;
    for (size_t i = hash_ptr(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->key[i] == NULL)
            return NULL;
        if (m->key[i] == k)
            return &m->val[i];
    }
}

static int pmap_grow(pmap *m, size_t want)
{
    size_t cap = m->cap ? m->cap : 64;
    while (cap < want * 2)
        cap *= 2;
    if (cap == m->cap)
        return 0;
    const void **key = calloc(cap, sizeof *key);
    long *val = malloc(cap * sizeof *val);
    if (key == NULL || val == NULL) {
        free(key);
        free(val);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->key[i] == NULL)
            continue;
        size_t j = hash_ptr(m->key[i]) & (cap - 1);
        while (key[j] != NULL)
            j = (j + 1) & (cap - 1);
        key[j] = m->key[i];
        val[j] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = key;
    m->val = val;
    m->cap = cap;
    return 0;
}

/* The caller has made room (pmap_grow) and k is not present. */
static void pmap_put(pmap *m, const void *k, long v)
{
    size_t i = hash_ptr(k) & (m->cap - 1);
    while (m->key[i] != NULL && m->key[i] != k)
        i = (i + 1) & (m->cap - 1);
    if (m->key[i] == NULL)
        m->n++;
    m->key[i] = k;
    m->val[i] = v;
}

/* The last node asked for at each depth, with its position: findings come
 * mostly in document order, so the next node at a depth is usually the same
 * node again (the compact and ISO paths of one finding) or a later sibling a
 * few nodes on; its position then follows from the cached one without the
 * map, whose lookups miss the cache on a large document. */
#define LAST_DEPTHS 64
#define LAST_WALK 8 /* siblings walked back at most before asking the map */

typedef struct last_seen {
    xmlNodePtr node;
    long pos;
} last_seen;

struct sd_xpathloc {
    pmap pos;     /* child → position among same-name siblings */
    pmap scanned; /* parents already numbered (value unused) */
    last_seen last[LAST_DEPTHS];
};

sd_xpathloc *sd_xpathloc_new(void)
{
    return calloc(1, sizeof(sd_xpathloc));
}

void sd_xpathloc_free(sd_xpathloc *x)
{
    if (x == NULL)
        return;
    free(x->pos.key);
    free(x->pos.val);
    free(x->scanned.key);
    free(x->scanned.val);
    free(x);
}

/* ---- numbering one parent's children ----------------------------------- */

static int is_texty(xmlNodePtr n)
{
    return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

/* What makes two siblings "the same name" for a position predicate. */
typedef struct name_key {
    int type; /* text and CDATA share XML_TEXT_NODE */
    const xmlChar *name, *href;
} name_key;

static name_key key_of(xmlNodePtr n)
{
    name_key k = {n->type, NULL, NULL};
    if (is_texty(n)) {
        k.type = XML_TEXT_NODE;
    } else if (n->type == XML_ELEMENT_NODE) {
        k.name = n->name;
        k.href = n->ns ? n->ns->href : NULL;
    } else if (n->type != XML_COMMENT_NODE) {
        k.name = n->name;
    }
    return k;
}

static size_t hash_str(size_t h, const xmlChar *s)
{
    if (s == NULL)
        return h * 31u + 7u;
    for (; *s; s++)
        h = (h ^ *s) * 0x100000001b3ULL;
    return h * 31u + 1u;
}

static int str_eq(const xmlChar *a, const xmlChar *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return a == b || strcmp((const char *)a, (const char *)b) == 0;
}

typedef struct name_slot {
    name_key k;
    long count;
    int used;
} name_slot;

/* Numbers every child of parent in one pass; -1 on out of memory. */
static int scan(sd_xpathloc *x, xmlNodePtr parent)
{
    size_t nkids = 0;
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
        nkids++;
    size_t cap = 16;
    while (cap < nkids * 2)
        cap *= 2;
    name_slot *tab = calloc(cap, sizeof *tab);
    if (tab == NULL || pmap_grow(&x->pos, x->pos.n + nkids) < 0 ||
        pmap_grow(&x->scanned, x->scanned.n + 1) < 0) {
        free(tab);
        return -1;
    }
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
        name_key k = key_of(c);
        size_t i = hash_str(hash_str((size_t)k.type * 0x9e3779b97f4a7c15ULL, k.name), k.href) &
                   (cap - 1);
        while (tab[i].used &&
               !(tab[i].k.type == k.type && str_eq(tab[i].k.name, k.name) && str_eq(tab[i].k.href, k.href)))
            i = (i + 1) & (cap - 1);
        if (!tab[i].used) {
            tab[i].used = 1;
            tab[i].k = k;
        }
        /* a text or CDATA node that follows another one continues its run */
        if (!(is_texty(c) && c->prev != NULL && is_texty(c->prev)))
            tab[i].count++;
        pmap_put(&x->pos, c, tab[i].count);
    }
    pmap_put(&x->scanned, parent, 0);
    free(tab);
    return 0;
}

static long map_position(sd_xpathloc *x, xmlNodePtr n);

static int same_key(xmlNodePtr a, xmlNodePtr b)
{
    name_key p = key_of(a), q = key_of(b);
    return p.type == q.type && str_eq(p.name, q.name) && str_eq(p.href, q.href);
}

/* n's position from at most LAST_WALK earlier siblings: the start of the
 * sibling list, or the node cached at n's depth; 0 when neither is near. */
static long near_position(const last_seen *ls, xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE)
        return 0; /* text runs and the rest: the map */
    long same = 0;
    xmlNodePtr c = n->prev;
    for (int k = 0; k < LAST_WALK; k++, c = c->prev) {
        if (c == NULL)
            return same + 1;
        if (c == ls->node && ls->pos > 0)
            return same_key(c, n) ? ls->pos + same + 1 : 0;
        if (c->type == XML_ELEMENT_NODE && same_key(c, n))
            same++;
    }
    return 0;
}

/* Position with the per-depth cache (depth 0 is the root element's level). */
static long cached_position(sd_xpathloc *x, xmlNodePtr n, size_t depth)
{
    if (depth >= LAST_DEPTHS || n->parent == NULL || n->type == XML_ATTRIBUTE_NODE ||
        n->type == XML_NAMESPACE_DECL)
        return sd_xpathloc_position(x, n);
    last_seen *ls = &x->last[depth];
    if (ls->node == n && ls->pos > 0)
        return ls->pos;
    long pos = near_position(ls, n);
    if (pos <= 0)
        pos = map_position(x, n);
    if (pos > 0) {
        ls->node = n;
        ls->pos = pos;
    }
    return pos;
}

long sd_xpathloc_position(sd_xpathloc *x, xmlNodePtr n)
{
    if (n == NULL || n->type == XML_ATTRIBUTE_NODE || n->type == XML_DOCUMENT_NODE ||
        n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_NAMESPACE_DECL)
        return 0;
    if (n->parent == NULL)
        return 1;
    return map_position(x, n);
}

static long map_position(sd_xpathloc *x, xmlNodePtr n)
{
    if (n == NULL || n->type == XML_ATTRIBUTE_NODE || n->type == XML_DOCUMENT_NODE ||
        n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_NAMESPACE_DECL)
        return 0;
    long *v = pmap_find(&x->pos, n);
    if (v != NULL)
        return *v;
    if (pmap_find(&x->scanned, n->parent) == NULL) {
        if (scan(x, n->parent) < 0)
            return -1;
        v = pmap_find(&x->pos, n);
        if (v != NULL)
            return *v;
    }
    return 1; /* not among its parent's children: a detached node */
}

/* ---- the path ----------------------------------------------------------- */

/* An XPath string literal for s: '…' or "…", or concat() when s holds both. */
static void literal(sd_buf *b, const char *s)
{
    if (strchr(s, '\'') == NULL) {
        sd_buf_puts(b, "'");
        sd_buf_puts(b, s);
        sd_buf_puts(b, "'");
        return;
    }
    if (strchr(s, '"') == NULL) {
        sd_buf_puts(b, "\"");
        sd_buf_puts(b, s);
        sd_buf_puts(b, "\"");
        return;
    }
    sd_buf_puts(b, "concat(");
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "'");
        const char *q = "'";
        if (n == 0) { /* a run of apostrophes goes in double quotes */
            n = strspn(p, "'");
            q = "\"";
        }
        if (p != s)
            sd_buf_puts(b, ",");
        sd_buf_puts(b, q);
        sd_buf_add(b, p, n);
        sd_buf_puts(b, q);
        p += n;
    }
    sd_buf_puts(b, ")");
}

static void qname(sd_buf *b, xmlNodePtr n, sd_xpathloc_style style)
{
    const char *href = n->ns ? (const char *)n->ns->href : NULL;
    if (href == NULL) {
        sd_buf_puts(b, (const char *)n->name);
    } else if (style == SD_XPATHLOC_COMPACT && strcmp(href, SD_NS) == 0) {
        sd_buf_puts(b, "sd:");
        sd_buf_puts(b, (const char *)n->name);
    } else {
        sd_buf_puts(b, "*:");
        sd_buf_puts(b, (const char *)n->name);
        sd_buf_puts(b, "[namespace-uri()=");
        literal(b, href);
        sd_buf_puts(b, "]");
    }
}

static int step(sd_xpathloc *x, sd_buf *b, xmlNodePtr n, size_t depth, sd_xpathloc_style style)
{
    sd_buf_puts(b, "/");
    switch (n->type) {
    case XML_ATTRIBUTE_NODE:
        sd_buf_puts(b, "@");
        qname(b, n, style);
        return 0;
    case XML_ELEMENT_NODE:
        qname(b, n, style);
        break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        sd_buf_puts(b, "text()");
        break;
    case XML_COMMENT_NODE:
        sd_buf_puts(b, "comment()");
        break;
    case XML_PI_NODE:
        sd_buf_puts(b, "processing-instruction(");
        literal(b, (const char *)n->name);
        sd_buf_puts(b, ")");
        break;
    default:
        sd_buf_puts(b, "node()");
        break;
    }
    long pos = cached_position(x, n, depth);
    if (pos < 0)
        return -1;
    char num[24];
    size_t k = sizeof num;
    num[--k] = ']';
    unsigned long v = (unsigned long)pos;
    do
        num[--k] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    num[--k] = '[';
    sd_buf_add(b, num + k, sizeof num - k);
    return 0;
}

/* A namespace node from an XPath node-set is an xmlNs, not an xmlNode: its
 * `next` holds the element it belongs to (libxml2's convention), and it has
 * no parent field to follow. */
static char *ns_path(sd_xpathloc *x, xmlNsPtr ns, sd_xpathloc_style style)
{
    xmlNodePtr owner = (xmlNodePtr)ns->next;
    char *base = owner != NULL && owner->type == XML_ELEMENT_NODE
                     ? sd_xpathloc_path(x, owner, style) : strdup("");
    if (base == NULL)
        return NULL;
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, base);
    free(base);
    if (ns->prefix != NULL)
        sd_buf_printf(&b, "/namespace::%s", (const char *)ns->prefix);
    else
        sd_buf_puts(&b, "/namespace::*[not(name())]");
    if (sd_buf_failed(&b) || b.data == NULL) {
        sd_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* Appends n's location to b; -1 on out of memory. */
static int path_into(sd_xpathloc *x, xmlNodePtr n, sd_xpathloc_style style, sd_buf *b)
{
    if (n != NULL && n->type == XML_NAMESPACE_DECL) {
        char *p = ns_path(x, (xmlNsPtr)n, style);
        if (p == NULL)
            return -1;
        sd_buf_puts(b, p);
        free(p);
        return sd_buf_failed(b) ? -1 : 0;
    }
    size_t depth = 0;
    for (xmlNodePtr p = n; p != NULL && p->type != XML_DOCUMENT_NODE &&
                           p->type != XML_HTML_DOCUMENT_NODE;
         p = p->parent)
        depth++;
    if (depth == 0) {
        sd_buf_puts(b, "/");
        return sd_buf_failed(b) ? -1 : 0;
    }
    xmlNodePtr small[32];
    xmlNodePtr *chain = depth <= 32 ? small : malloc(depth * sizeof *chain);
    if (chain == NULL)
        return -1;
    size_t i = depth;
    for (xmlNodePtr p = n; i > 0; p = p->parent)
        chain[--i] = p;
    int rc = 0;
    for (i = 0; i < depth && rc == 0; i++)
        rc = step(x, b, chain[i], i, style);
    if (chain != small)
        free(chain);
    return rc < 0 || sd_buf_failed(b) ? -1 : 0;
}

char *sd_xpathloc_path(sd_xpathloc *x, xmlNodePtr n, sd_xpathloc_style style)
{
    sd_buf b;
    sd_buf_init(&b);
    if (path_into(x, n, style, &b) < 0 || b.data == NULL) {
        sd_buf_free(&b);
        return NULL;
    }
    return b.data; /* the buffer's storage becomes the caller's string */
}

const char *sd_xpathloc_path_in(sd_xpathloc *x, xmlNodePtr n, sd_xpathloc_style style,
                                sd_buf *scratch)
{
    scratch->len = 0;
    if (scratch->data != NULL)
        scratch->data[0] = '\0';
    if (path_into(x, n, style, scratch) < 0 || scratch->data == NULL)
        return NULL;
    return scratch->data;
}
