/*
 * svrl.c — where a finding is: its XPath location and its line.
 *
 * Place: eval.c calls these for every fired assert/report, for the finding
 * and for svrl:failed-assert/@location (eval.c builds the SVRL elements).
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
