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
 * Left out: svrl:copy-of content (needs XSLT).  Cost: one element per event.
 *
 * Locations come from xpathloc.c, which memoises sibling positions for the
 * run: the SVRL `location` attribute is the ISO form (every namespaced step
 * written *:name[namespace-uri()='…'][k]); the finding's `location` (text,
 * JSON) is the compact form shared with XSD findings (sd: bound to
 * urn:sdlint:schema:1).  A finding's line and column come from the positions
 * recorded at parse time (pos.c), not from here.
 *
 * Cost: O(depth) per location after one pass over each parent's children.
 */
#include "sch/sch_int.h"

#include <stdlib.h>
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

/* An svrl:text; d (a diagnostic or property, or NULL) gives its see, icon,
 * fpi and xml:lang. */
static void text(sch_svrl *s, xmlNodePtr parent, const char *t, const sch_diag *d)
{
    xmlNodePtr n = el(s, parent, "text");
    if (n == NULL)
        return;
    if (d != NULL) {
        sch_svrl_set(n, "see", d->see);
        sch_svrl_set(n, "icon", d->icon);
        sch_svrl_set(n, "fpi", d->fpi);
        if (d->lang != NULL)
            xmlNodeSetLang(n, (const xmlChar *)d->lang);
    }
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
    sch_svrl_set(s->root, "schemaVersion", pk->schema_version);
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
    sch_svrl_set(n, "role", p->role);
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

void sch_svrl_assert(sch_svrl *s, const sch_assert *a, xmlNodePtr node, const char *t,
                     char *const *dtext)
{
    xmlNodePtr e = el(s, NULL, a->is_report ? "successful-report" : "failed-assert");
    if (e == NULL)
        return;
    char *location = sch_location(s, node, SD_XPATHLOC_ISO);
    sch_svrl_set(e, "test", a->test);
    sch_svrl_set(e, "id", a->id);
    sch_svrl_set(e, "role", a->role);
    sch_svrl_set(e, "flag", a->flag);
    sch_svrl_set(e, "see", a->see);
    sch_svrl_set(e, "icon", a->icon);
    sch_svrl_set(e, "fpi", a->fpi);
    sch_svrl_set(e, "location", location ? location : "/");
    free(location);
    if (a->lang != NULL)
        xmlNodeSetLang(e, (const xmlChar *)a->lang);
    for (size_t i = 0; i < a->ndiags; i++) {
        xmlNodePtr d = el(s, e, "diagnostic-reference");
        sch_svrl_set(d, "diagnostic", a->diags[i]->id);
        if (d != NULL)
            text(s, d, dtext[i], a->diags[i]);
    }
    for (size_t i = 0; i < a->nprops; i++) {
        const sch_diag *pr = a->props[i];
        xmlNodePtr d = el(s, e, "property-reference");
        sch_svrl_set(d, "property", pr->id);
        sch_svrl_set(d, "role", pr->role);
        sch_svrl_set(d, "scheme", pr->scheme);
        if (d != NULL)
            text(s, d, dtext[a->ndiags + i], pr);
    }
    text(s, e, t, NULL);
}

void sch_svrl_free(sch_svrl *s)
{
    xmlFreeDoc(s->doc);
    s->doc = NULL;
    sd_xpathloc_free(s->loc);
    s->loc = NULL;
}

/* ---- location --------------------------------------------- */

char *sch_location(sch_svrl *s, xmlNodePtr n, sd_xpathloc_style style)
{
    if (s->loc == NULL && (s->loc = sd_xpathloc_new()) == NULL)
        return NULL;
    return sd_xpathloc_path(s->loc, n, style);
}
