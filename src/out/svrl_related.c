/*
 * svrl_related.c — a finding's related places in SVRL.
 *
 * ISO/IEC 19757-3:2016 Annex D has no element for "the other end" of an
 * assertion, and its grammar admits no foreign elements or attributes inside
 * failed-assert / successful-report.  What it does admit is
 * property-reference* (attributes property, role, scheme; one svrl:text)
 * between the diagnostic-references and the assertion's own svrl:text — the
 * place Schematron gives for structured data about an assertion.  So each
 * related place is one
 *
 *   <svrl:property-reference property="sdlint-related" role="related"
 *                            scheme="urn:sdlint:related">
 *     <svrl:text>plan.xml:40:7: 转出方 (/sd:reformPlan[1]/sd:transfers[1]/sd:transfer[3])</svrl:text>
 *   </svrl:property-reference>
 *
 * after the assertion's own property-references, in the finding's order, the
 * text as sd_related_text writes it with the location.  The report stays valid
 * SVRL; a reader that knows the scheme gets file, line, column, location and
 * message back, and any other reader sees one more property.
 *
 * Place: the engine writes a failed-assert when it makes the finding, so the
 * producer of a finding with related places adds them to its assertion with
 * sd_out_svrl_add_related (a built tree) or writes them with
 * sd_out_svrl_related (a report written as a stream).  Cost: linear in the
 * related places and their text.
 */
#include <string.h>

#include <libxml/tree.h>

#include "out.h"

#define SVRL_NS "http://purl.oclc.org/dsdl/svrl"

/* Text a libxml2 text node may hold as XML 1.0: what XML cannot carry (other
 * control characters, U+FFFE/U+FFFF) and bytes that are not UTF-8 become
 * visible \xNN, as the other formats show them. */
static void xml_safe(sd_buf *b, const char *s)
{
    size_t n = strlen(s), off = 0;
    while (off < n) {
        uint32_t cp;
        size_t k = sd_utf8_decode(s + off, n - off, &cp);
        if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
            cp == 0xFFFF) {
            if (k == 0)
                sd_buf_printf(b, "\\x%02x", (unsigned char)s[off]);
            else
                sd_buf_printf(b, cp < 0x100 ? "\\x%02x" : "\\u%04x", (unsigned)cp);
            off += k ? k : 1;
            continue;
        }
        sd_buf_add(b, s + off, k);
        off += k;
    }
}

void sd_out_svrl_related(sd_buf *b, const sd_related *rel, size_t n)
{
    sd_buf t;
    sd_buf_init(&t);
    for (size_t i = 0; i < n; i++) {
        t.len = 0;
        sd_related_text(&t, &rel[i], 1);
        sd_buf_puts(b, "<svrl:property-reference property=\"" SD_SVRL_RELATED_PROPERTY
                       "\" role=\"related\" scheme=\"" SD_SVRL_RELATED_SCHEME "\"><svrl:text>");
        sd_buf_xml_str(b, t.data ? t.data : "");
        sd_buf_puts(b, "</svrl:text></svrl:property-reference>");
    }
    if (sd_buf_failed(&t))
        b->failed = 1;
    sd_buf_free(&t);
}

static int is_svrl(xmlNodePtr n, const char *local)
{
    return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           strcmp((const char *)n->ns->href, SVRL_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

int sd_out_svrl_add_related(struct _xmlNode *assertion, const sd_related *rel, size_t n)
{
    if (assertion == NULL || assertion->type != XML_ELEMENT_NODE || assertion->ns == NULL ||
        !(is_svrl(assertion, "failed-assert") || is_svrl(assertion, "successful-report")))
        return -1;
    /* Before the assertion's own svrl:text, the last child the grammar allows
     * (diagnostic-reference*, property-reference*, text). */
    xmlNodePtr own = NULL;
    for (xmlNodePtr c = assertion->children; c != NULL; c = c->next)
        if (is_svrl(c, "text"))
            own = c;
    sd_buf t, safe;
    sd_buf_init(&t);
    sd_buf_init(&safe);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        t.len = 0;
        safe.len = 0;
        sd_related_text(&t, &rel[i], 1);
        xml_safe(&safe, t.data ? t.data : "");
        if (sd_buf_failed(&t) || sd_buf_failed(&safe)) {
            rc = -1;
            break;
        }
        xmlNodePtr p = xmlNewDocNode(assertion->doc, assertion->ns,
                                     (const xmlChar *)"property-reference", NULL);
        xmlNodePtr x = p ? xmlNewDocNode(assertion->doc, assertion->ns, (const xmlChar *)"text", NULL)
                         : NULL;
        xmlNodePtr tx = x ? xmlNewDocText(assertion->doc, (const xmlChar *)(safe.data ? safe.data : ""))
                          : NULL;
        if (tx == NULL || xmlAddChild(x, tx) == NULL) {
            xmlFreeNode(tx);
            xmlFreeNode(x);
            xmlFreeNode(p);
            rc = -1;
            break;
        }
        if (xmlAddChild(p, x) == NULL) {
            xmlFreeNode(x);
            xmlFreeNode(p);
            rc = -1;
            break;
        }
        if (xmlNewProp(p, (const xmlChar *)"property", (const xmlChar *)SD_SVRL_RELATED_PROPERTY) == NULL ||
            xmlNewProp(p, (const xmlChar *)"role", (const xmlChar *)"related") == NULL ||
            xmlNewProp(p, (const xmlChar *)"scheme", (const xmlChar *)SD_SVRL_RELATED_SCHEME) == NULL ||
            (own ? xmlAddPrevSibling(own, p) : xmlAddChild(assertion, p)) == NULL) {
            xmlFreeNode(p);
            rc = -1;
        }
    }
    sd_buf_free(&t);
    sd_buf_free(&safe);
    return rc;
}
