/*
 * svrl.c — the SVRL report, and where a finding is: its XPath location and line.
 *
 * Place: eval.c calls these as it fires patterns, rules and asserts.  The
 * report follows ISO 19757-3 Annex D (namespace http://purl.oclc.org/dsdl/svrl):
 * schematron-output (title, phase) with ns-prefix-in-attribute-values, then per
 * pattern an active-pattern (id, name, documents), per fired node a fired-rule
 * (context, id, role, flag, document for subordinate documents), and
 * failed-assert / successful-report (test, id, role, flag, see, location) holding
 * diagnostic-reference*, property-reference* (each with an svrl:text carrying
 * the diagnostic's xml:lang) and the assert's own svrl:text, whitespace-normalised.
 * Left out: svrl:copy-of content (needs XSLT).  Cost: one element per event.
 *
 * Location style (documented choice): one step per ancestor, each with its
 * position among same-named siblings, in XPath 1.0 where possible:
 *   element without namespace   /root[1]/unit[2]
 *   element in a namespace      / *:root[namespace-uri()='urn:x'][1]  (the ISO
 *                               skeleton's XSLT 2 form; no prefix needed)
 *   attribute                   /@id   or  /@*:id[namespace-uri()='urn:x']
 *   text, comment, PI           /text()[1], /comment()[1],
 *                               /processing-instruction('t')[1]
 *   the root node               /
 * Line: the element's own line; for attributes, text, comments and PIs the
 * line of the owning element; 0 for the root node.  libxml2 gives an element
 * the line on which its start tag ENDS (the `>`), so a start tag spread over
 * several lines reports its last one; XML_PARSE_BIG_LINES lifts the 65535 cap.
 *
 * Cost: O(depth + preceding siblings) per finding.
 */
#include "sch/sch_int.h"

#include <stdio.h>
#include <string.h>

/* ---- the report --------------------------------------------------- */

static xmlNodePtr el(sch_svrl *s, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = xmlNewDocNode(s->doc, s->ns, (const xmlChar *)name, NULL);
    if (n != NULL && xmlAddChild(parent ? parent : s->root, n) == NULL) {
        xmlFreeNode(n);
        n = NULL;
    }
    return n;
}

void sch_svrl_set(xmlNodePtr n, const char *name, const char *value)
{
    if (n != NULL && value != NULL)
        xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

static void text(sch_svrl *s, xmlNodePtr parent, const char *t, const char *lang)
{
    xmlNodePtr n = el(s, parent, "text");
    if (n == NULL)
        return;
    if (lang != NULL)
        xmlNodeSetLang(n, (const xmlChar *)lang);
    xmlNodeAddContent(n, (const xmlChar *)(t ? t : ""));
}

int sch_svrl_start(sch_svrl *s, const sd_sch_pack *pk)
{
    s->doc = xmlNewDoc((const xmlChar *)"1.0");
    if (s->doc == NULL)
        return -1;
    s->root = xmlNewDocNode(s->doc, NULL, (const xmlChar *)"schematron-output", NULL);
    if (s->root == NULL)
        return -1;
    xmlDocSetRootElement(s->doc, s->root);
    s->ns = xmlNewNs(s->root, (const xmlChar *)SCH_SVRL_NS, (const xmlChar *)"svrl");
    if (s->ns == NULL)
        return -1;
    xmlSetNs(s->root, s->ns);
    sch_svrl_set(s->root, "title", pk->title);
    sch_svrl_set(s->root, "phase", pk->phase ? pk->phase : "#ALL");
    for (size_t i = 0; i < pk->ns_prefix.n; i++) {
        xmlNodePtr n = el(s, NULL, "ns-prefix-in-attribute-values");
        sch_svrl_set(n, "uri", pk->ns_uri.v[i]);
        sch_svrl_set(n, "prefix", pk->ns_prefix.v[i]);
    }
    return 0;
}

xmlNodePtr sch_svrl_active_pattern(sch_svrl *s, const sch_pattern *p)
{
    xmlNodePtr n = el(s, NULL, "active-pattern");
    sch_svrl_set(n, "id", p->id);
    sch_svrl_set(n, "name", p->title && p->title[0] ? p->title : NULL);
    return n;
}

void sch_svrl_fired_rule(sch_svrl *s, const sch_rule *ru, const char *document)
{
    xmlNodePtr n = el(s, NULL, "fired-rule");
    sch_svrl_set(n, "context", ru->context);
    sch_svrl_set(n, "id", ru->id);
    sch_svrl_set(n, "role", ru->role);
    sch_svrl_set(n, "flag", ru->flag);
    sch_svrl_set(n, "document", document);
}

void sch_svrl_assert(sch_svrl *s, const sch_assert *a, const char *location, const char *t,
                     char *const *dtext)
{
    xmlNodePtr e = el(s, NULL, a->is_report ? "successful-report" : "failed-assert");
    if (e == NULL)
        return;
    sch_svrl_set(e, "test", a->test);
    sch_svrl_set(e, "id", a->id);
    sch_svrl_set(e, "role", a->role);
    sch_svrl_set(e, "flag", a->flag);
    sch_svrl_set(e, "see", a->see);
    sch_svrl_set(e, "location", location);
    for (size_t i = 0; i < a->ndiags; i++) {
        xmlNodePtr d = el(s, e, "diagnostic-reference");
        sch_svrl_set(d, "diagnostic", a->diags[i]->id);
        if (d != NULL)
            text(s, d, dtext[i], a->diags[i]->lang);
    }
    for (size_t i = 0; i < a->nprops; i++) {
        const sch_diag *pr = a->props[i];
        xmlNodePtr d = el(s, e, "property-reference");
        sch_svrl_set(d, "property", pr->id);
        sch_svrl_set(d, "role", pr->role);
        sch_svrl_set(d, "scheme", pr->scheme);
        if (d != NULL)
            text(s, d, dtext[a->ndiags + i], pr->lang);
    }
    text(s, e, t, NULL);
}

/* ---- location and line --------------------------------------------- */

static int same_name(xmlNodePtr a, xmlNodePtr b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == XML_TEXT_NODE || a->type == XML_CDATA_SECTION_NODE ||
        a->type == XML_COMMENT_NODE)
        return 1;
    if (a->name == NULL || b->name == NULL || strcmp((const char *)a->name, (const char *)b->name) != 0)
        return 0;
    if (a->type == XML_PI_NODE)
        return 1;
    const char *na = a->ns ? (const char *)a->ns->href : NULL;
    const char *nb = b->ns ? (const char *)b->ns->href : NULL;
    if (na == NULL || nb == NULL)
        return na == nb;
    return strcmp(na, nb) == 0;
}

static int is_texty(xmlNodePtr n)
{
    return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

static void step(xmlNodePtr n, sch_buf *out)
{
    char num[32];
    if (n->type == XML_ATTRIBUTE_NODE) {
        if (n->ns != NULL && n->ns->href != NULL) {
            sch_buf_adds(out, "/@*:");
            sch_buf_adds(out, (const char *)n->name);
            sch_buf_adds(out, "[namespace-uri()='");
            sch_buf_adds(out, (const char *)n->ns->href);
            sch_buf_adds(out, "']");
        } else {
            sch_buf_adds(out, "/@");
            sch_buf_adds(out, (const char *)n->name);
        }
        return;
    }
    long pos = 1;
    if (is_texty(n)) {
        /* adjacent text and CDATA nodes form one XPath text node: count runs */
        xmlNodePtr first = n;
        while (first->prev != NULL && is_texty(first->prev))
            first = first->prev;
        for (xmlNodePtr s = first->prev; s != NULL; s = s->prev)
            if (is_texty(s) && (s->prev == NULL || !is_texty(s->prev)))
                pos++;
    } else {
        for (xmlNodePtr s = n->prev; s != NULL; s = s->prev)
            if (same_name(n, s))
                pos++;
    }
    snprintf(num, sizeof num, "[%ld]", pos);
    switch (n->type) {
    case XML_ELEMENT_NODE:
        if (n->ns != NULL && n->ns->href != NULL) {
            sch_buf_adds(out, "/*:");
            sch_buf_adds(out, (const char *)n->name);
            sch_buf_adds(out, "[namespace-uri()='");
            sch_buf_adds(out, (const char *)n->ns->href);
            sch_buf_adds(out, "']");
        } else {
            sch_buf_adds(out, "/");
            sch_buf_adds(out, (const char *)n->name);
        }
        break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        sch_buf_adds(out, "/text()");
        break;
    case XML_COMMENT_NODE:
        sch_buf_adds(out, "/comment()");
        break;
    case XML_PI_NODE:
        sch_buf_adds(out, "/processing-instruction('");
        sch_buf_adds(out, (const char *)n->name);
        sch_buf_adds(out, "')");
        break;
    default:
        sch_buf_adds(out, "/node()");
        break;
    }
    sch_buf_adds(out, num);
}

static void path_to(xmlNodePtr n, sch_buf *out)
{
    if (n == NULL || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
        return;
    path_to(n->parent, out);
    step(n, out);
}

void sch_location(xmlNodePtr n, sch_buf *out)
{
    if (n == NULL || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) {
        sch_buf_adds(out, "/");
        return;
    }
    path_to(n, out);
    if (out->len == 0)
        sch_buf_adds(out, "/");
}

long sch_node_line(xmlNodePtr n)
{
    if (n == NULL)
        return 0;
    if (n->type == XML_ELEMENT_NODE)
        return xmlGetLineNo(n);
    if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
        return 0;
    xmlNodePtr p = n->parent;
    while (p != NULL && p->type != XML_ELEMENT_NODE)
        p = p->parent;
    if (p != NULL)
        return xmlGetLineNo(p);
    long l = xmlGetLineNo(n);
    return l > 0 ? l : 0;
}
