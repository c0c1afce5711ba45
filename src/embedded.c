/*
 * embedded.c — lookup in the generated tables (a handful of entries: linear
 * scan), and the loader of the images of trees the build embeds.
 */
#include "embedded.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/dict.h>

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

/* The namespace of prefix (NULL: the default) in scope at n; an unbound
 * prefix is an error (-1), no prefix and no default none (0). */
static int img_ns(xmlDocPtr doc, xmlNodePtr n, const char *qname, const char **local,
                  xmlNsPtr *ns)
{
    const char *colon = strchr(qname, ':');
    *local = colon ? colon + 1 : qname;
    *ns = NULL;
    if (colon == NULL)
        return 0;
    char prefix[64];
    size_t plen = (size_t)(colon - qname);
    if (plen == 0 || plen >= sizeof prefix)
        return -1;
    memcpy(prefix, qname, plen);
    prefix[plen] = '\0';
    *ns = xmlSearchNs(doc, n, (const xmlChar *)prefix);
    return *ns ? 0 : -1;
}

xmlDocPtr sd_embedded_doc(const char *url, const char *bytes, size_t len)
{
    size_t mlen = strlen(SD_EMBEDDED_IMAGE_MAGIC);
    if (len < mlen || memcmp(bytes, SD_EMBEDDED_IMAGE_MAGIC, mlen) != 0)
        return NULL;
    const char *p = bytes + mlen, *end = bytes + len;
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    if (doc == NULL)
        return NULL;
    doc->URL = xmlStrdup((const xmlChar *)(url ? url : ""));
    doc->encoding = xmlStrdup((const xmlChar *)"UTF-8");
    /* names from a dictionary, as the parser's: one copy of each, not one a node */
    doc->dict = xmlDictCreate();
    xmlNodePtr cur = NULL; /* the open element */
    int ok = doc->URL != NULL && doc->encoding != NULL && doc->dict != NULL, done = 0;
    while (ok && p < end) {
        char tag = *p++;
        if (tag == 'Z' && cur != NULL) {
            cur = cur->parent && cur->parent->type == XML_ELEMENT_NODE ? cur->parent : NULL;
            done = cur == NULL;
        } else if (tag == 'T' && cur != NULL) {
            const char *text = img_field(&p, end);
            unsigned short line = 0;
            xmlNodePtr t = text ? xmlNewDocText(doc, (const xmlChar *)text) : NULL;
            ok = t != NULL && img_line(&p, end, &line) == 0;
            if (t != NULL) {
                t->line = line;
                xmlAddChild(cur, t);
            }
        } else if (tag == 'E' && !done) {
            const char *qname = img_field(&p, end), *local;
            const char *colon = qname ? strchr(qname, ':') : NULL;
            xmlNodePtr n = qname ? xmlNewDocNode(doc, NULL,
                                                 (const xmlChar *)(colon ? colon + 1 : qname), NULL)
                                 : NULL;
            ok = n != NULL;
            if (!ok)
                break;
            if (cur != NULL)
                xmlAddChild(cur, n);
            else
                xmlDocSetRootElement(doc, n);
            ok = img_line(&p, end, &n->line) == 0;
            while (ok && p < end && *p == 'N') {
                p++;
                const char *prefix = img_field(&p, end), *uri = prefix ? img_field(&p, end) : NULL;
                ok = uri != NULL && xmlNewNs(n, (const xmlChar *)uri,
                                             prefix[0] ? (const xmlChar *)prefix : NULL) != NULL;
            }
            xmlNsPtr ns = NULL;
            ok = ok && img_ns(doc, n, qname, &local, &ns) == 0;
            n->ns = ok && colon == NULL ? xmlSearchNs(doc, n, NULL) : ns;
            while (ok && p < end && *p == 'A') {
                p++;
                const char *an = img_field(&p, end), *v = an ? img_field(&p, end) : NULL;
                xmlNsPtr ans = NULL;
                ok = v != NULL && img_ns(doc, n, an, &local, &ans) == 0 &&
                     xmlNewNsProp(n, ans, (const xmlChar *)local, (const xmlChar *)v) != NULL;
            }
            cur = n;
        } else {
            ok = 0;
        }
    }
    if (!ok || !done || p != end) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
