/*
 * embedded.c — lookup in the generated tables (a handful of entries: linear
 * scan), and the loader of the images of trees the build embeds.
 */
#include "embedded.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

const sd_embedded_file *sd_embedded_find(const char *name)
{
    for (const sd_embedded_file *f = sd_embedded_files; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const sd_embedded_file *sd_embedded_schema(const char *name)
{
    for (const sd_embedded_file *f = sd_embedded_schemas; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const sd_embedded_file *sd_embedded_schema_image(const char *name)
{
    for (const sd_embedded_file *f = sd_embedded_schema_images; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const sd_embedded_file *sd_embedded_lean_pack(const char *name, sd_lang lang)
{
    const sd_embedded_file *t =
        lang == SD_LANG_EN ? sd_embedded_lean_packs_en : sd_embedded_lean_packs_zh;
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    for (const sd_embedded_file *f = t; f->name != NULL; f++)
        if (strncmp(f->name, name, stem) == 0 && strcmp(f->name + stem, ".img") == 0)
            return f;
    return NULL;
}

/* ---- images of trees ----------------------------------------------------
 * The nodes libxml2 would build from an embedded text, made directly, without
 * reading XML: the packs' Chinese messages and long XPath attributes send
 * libxml2 down its slow, character-by-character paths, and reading the pack
 * and the schema was most of a small check's start.  Written by
 * tools/leanpack.py (packs) and tools/xsdgen.c (schemas).  After the magic,
 * records whose fields each end in a NUL:
 *   E qname line (N prefix uri)* (A qname value)* ...children Z
 *   T text line
 * Anything else: NULL (the caller then reads the bytes as XML, which fails
 * with a reason).  Linear in the image's size. */
static const char *img_field(const char **p, const char *end)
{
    const char *s = *p, *z = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;
    if (z == NULL)
        return NULL;
    *p = z + 1;
    return s;
}

static int img_line(const char **p, const char *end, unsigned short *line)
{
    const char *s = img_field(p, end);
    if (s == NULL || *s == '\0')
        return -1;
    unsigned v = 0;
    for (; *s >= '0' && *s <= '9' && v < 65535; s++)
        v = v * 10 + (unsigned)(*s - '0');
    if (*s != '\0' || v >= 65535)
        return -1;
    *line = (unsigned short)v;
    return 0;
}

/* ---- the read-only tree of an image ---------------------------------------
 * For readers that only read it (the Schematron parser: names, attributes,
 * texts, xml:lang, lines; xmlSchemaParse): its nodes are carved from 64 KiB
 * blocks (under the heap's mmap threshold, so freed memory goes back to the
 * heap for what the run allocates next), every name and text points into the
 * image itself (read-only data of the binary), nothing is copied.  About a
 * quarter of the instructions of building the same tree with libxml2's tree
 * functions, and none of its frees.  libxml2 must never free or change these
 * nodes: sd_embedded_tree_free drops them all. */
typedef struct tree_block {
    struct tree_block *next;
    size_t used, cap;
    max_align_t data[];
} tree_block;

struct sd_embedded_tree {
    tree_block *head;
    xmlDoc doc;
    xmlNs xml_ns; /* the prefix xml, bound by every document */
};

static void *tree_alloc(sd_embedded_tree *t, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    tree_block *b = t->head;
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = 64 * 1024 - sizeof *b - 64;
        if (n > cap)
            cap = n;
        b = malloc(sizeof *b + cap);
        if (b == NULL)
            return NULL;
        b->next = t->head;
        b->used = 0;
        b->cap = cap;
        t->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void sd_embedded_tree_free(sd_embedded_tree *t)
{
    if (t == NULL)
        return;
    for (tree_block *b = t->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(t);
}

static void tree_link(xmlNodePtr parent, xmlNodePtr n)
{
    n->parent = parent;
    if (parent->last == NULL) {
        parent->children = n;
    } else {
        parent->last->next = n;
        n->prev = parent->last;
    }
    parent->last = n;
}

/* The namespace bound to the prefix of qname at n (as xmlSearchNs); without
 * a prefix, an element's is the default namespace, an attribute's none. */
static int tree_ns(sd_embedded_tree *t, xmlNodePtr n, const char *qname, int attr,
                   const char **local, xmlNsPtr *ns)
{
    const char *colon = strchr(qname, ':');
    *local = colon ? colon + 1 : qname;
    *ns = NULL;
    if (colon == NULL && attr)
        return 0;
    size_t plen = colon ? (size_t)(colon - qname) : 0;
    if (colon && plen == 3 && memcmp(qname, "xml", 3) == 0) {
        *ns = &t->xml_ns;
        return 0;
    }
    for (xmlNodePtr e = n; e != NULL && e->type == XML_ELEMENT_NODE; e = e->parent)
        for (xmlNsPtr d = e->nsDef; d; d = d->next) {
            const char *p = (const char *)d->prefix;
            if (colon ? (p && strlen(p) == plen && memcmp(p, qname, plen) == 0) : p == NULL) {
                *ns = d;
                return 0;
            }
        }
    return colon ? -1 : 0; /* an unbound prefix; no prefix, no default: none */
}

xmlDocPtr sd_embedded_tree_new(const char *url, const char *bytes, size_t len,
                               sd_embedded_tree **owner)
{
    *owner = NULL;
    size_t mlen = strlen(SD_EMBEDDED_IMAGE_MAGIC);
    if (len < mlen || memcmp(bytes, SD_EMBEDDED_IMAGE_MAGIC, mlen) != 0)
        return NULL;
    sd_embedded_tree *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    xmlDocPtr doc = &t->doc;
    doc->type = XML_DOCUMENT_NODE;
    doc->doc = doc;
    doc->standalone = -1;
    doc->charset = XML_CHAR_ENCODING_UTF8;
    doc->compression = -1;
    t->xml_ns.type = XML_LOCAL_NAMESPACE;
    t->xml_ns.href = (const xmlChar *)XML_XML_NAMESPACE;
    t->xml_ns.prefix = (const xmlChar *)"xml";
    doc->oldNs = &t->xml_ns;
    size_t ulen = strlen(url ? url : "");
    char *u = tree_alloc(t, ulen + 1);
    int ok = u != NULL, done = 0;
    if (u != NULL) {
        memcpy(u, url ? url : "", ulen + 1);
        doc->URL = (const xmlChar *)u;
    }
    const char *p = bytes + mlen, *end = bytes + len;
    xmlNodePtr cur = NULL; /* the open element */
    while (ok && p < end) {
        char tag = *p++;
        if (tag == 'Z' && cur != NULL) {
            cur = cur->parent != (xmlNodePtr)doc ? cur->parent : NULL;
            done = cur == NULL;
        } else if (tag == 'T' && cur != NULL) {
            const char *text = img_field(&p, end);
            xmlNodePtr x = text ? tree_alloc(t, sizeof *x) : NULL;
            ok = x != NULL && img_line(&p, end, &x->line) == 0;
            if (ok) {
                x->type = XML_TEXT_NODE;
                x->name = xmlStringText;
                x->doc = doc;
                x->content = (xmlChar *)(uintptr_t)text;
                tree_link(cur, x);
            }
        } else if (tag == 'E' && !done) {
            const char *qname = img_field(&p, end), *local = NULL;
            xmlNodePtr n = qname ? tree_alloc(t, sizeof *n) : NULL;
            ok = n != NULL && img_line(&p, end, &n->line) == 0;
            if (!ok)
                break;
            n->type = XML_ELEMENT_NODE;
            n->doc = doc;
            tree_link(cur ? cur : (xmlNodePtr)doc, n);
            xmlNsPtr *tail = &n->nsDef;
            while (ok && p < end && *p == 'N') {
                p++;
                const char *prefix = img_field(&p, end), *uri = prefix ? img_field(&p, end) : NULL;
                xmlNsPtr d = uri ? tree_alloc(t, sizeof *d) : NULL;
                ok = d != NULL;
                if (ok) {
                    d->type = XML_LOCAL_NAMESPACE;
                    d->href = (const xmlChar *)uri;
                    d->prefix = prefix[0] ? (const xmlChar *)prefix : NULL;
                    *tail = d;
                    tail = &d->next;
                }
            }
            xmlNsPtr ns = NULL;
            ok = ok && tree_ns(t, n, qname, 0, &local, &ns) == 0;
            if (!ok)
                break;
            n->name = (const xmlChar *)local;
            n->ns = ns;
            xmlAttrPtr last = NULL;
            while (ok && p < end && *p == 'A') {
                p++;
                const char *an = img_field(&p, end), *v = an ? img_field(&p, end) : NULL;
                xmlAttrPtr a = v ? tree_alloc(t, sizeof *a) : NULL;
                xmlNodePtr x = a ? tree_alloc(t, sizeof *x) : NULL;
                xmlNsPtr ans = NULL;
                ok = x != NULL && tree_ns(t, n, an, 1, &local, &ans) == 0;
                if (!ok)
                    break;
                a->type = XML_ATTRIBUTE_NODE;
                a->name = (const xmlChar *)local;
                a->ns = ans;
                a->parent = n;
                a->doc = doc;
                a->children = a->last = x;
                x->type = XML_TEXT_NODE;
                x->name = xmlStringText;
                x->doc = doc;
                x->parent = (xmlNodePtr)a;
                x->content = (xmlChar *)(uintptr_t)v;
                if (last == NULL) {
                    n->properties = a;
                } else {
                    last->next = a;
                    a->prev = last;
                }
                last = a;
            }
            cur = n;
        } else {
            ok = 0;
        }
    }
    if (!ok || !done || p != end) {
        sd_embedded_tree_free(t);
        return NULL;
    }
    *owner = t;
    return doc;
}
