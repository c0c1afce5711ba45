/*
 * kind.c — the table of document kinds.  Adding a kind is one row here plus
 * its XSD in schemas/.
 */
#define _GNU_SOURCE /* memmem */
#include "kind.h"

#include <libxml/tree.h>

#include <string.h>

static const struct {
    sd_kind kind;
    const char *name, *root, *schema;
} KINDS[] = {
    {SD_KIND_SANDING, "sanding", "sanding", "sanding.xsd"},
    {SD_KIND_PLAN, "plan", "reformPlan", "plan.xsd"},
    {SD_KIND_CATALOGUE, "catalogue", "catalogue", "catalogue.xsd"},
};

#define NKINDS (sizeof KINDS / sizeof KINDS[0])

sd_kind sd_kind_by_root(const char *local)
{
    for (size_t i = 0; local && i < NKINDS; i++)
        if (strcmp(KINDS[i].root, local) == 0)
            return KINDS[i].kind;
    return SD_KIND_OTHER;
}

sd_kind sd_kind_of(xmlDocPtr doc)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root == NULL || root->ns == NULL || root->ns->href == NULL ||
        strcmp((const char *)root->ns->href, SD_NS) != 0)
        return SD_KIND_OTHER;
    return sd_kind_by_root((const char *)root->name);
}

const char *sd_kind_name(sd_kind k)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (KINDS[i].kind == k)
            return KINDS[i].name;
    return "other";
}

const char *sd_kind_root(sd_kind k)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (KINDS[i].kind == k)
            return KINDS[i].root;
    return NULL;
}

const char *sd_kind_schema(sd_kind k)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (KINDS[i].kind == k)
            return KINDS[i].schema;
    return NULL;
}

/* The sniffer reads bytes, not a tree: a folder walk asks it about every
 * *.xml file before any is parsed. */
static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int name_char(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ':';
}

int sd_kind_sniff(const char *bytes, size_t len)
{
    const char *p = bytes, *end = bytes + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    /* The prolog: XML declaration, comments, processing instructions. */
    for (;;) {
        p = skip_space(p, end);
        if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
            const char *q = memmem(p + 2, (size_t)(end - p - 2), "?>", 2);
            if (q == NULL)
                return -1;
            p = q + 2;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
            if (q == NULL)
                return -1;
            p = q + 3;
        } else {
            break;
        }
    }
    /* A DOCTYPE, another encoding's bytes, text: let the checker say. */
    if (p >= end || *p != '<' || p + 1 >= end || !name_char((unsigned char)p[1]))
        return -1;
    const char *name = ++p;
    while (p < end && name_char((unsigned char)*p))
        p++;
    const char *colon = memchr(name, ':', (size_t)(p - name));
    const char *prefix = colon ? name : NULL, *local = colon ? colon + 1 : name;
    size_t prefix_len = colon ? (size_t)(colon - name) : 0, local_len = (size_t)(p - local);
    /* The root's namespace is declared on the root itself. */
    const char *ns = NULL;
    size_t ns_len = 0;
    for (;;) {
        p = skip_space(p, end);
        if (p >= end)
            return -1;
        if (*p == '>' || *p == '/')
            break;
        const char *an = p;
        while (p < end && name_char((unsigned char)*p))
            p++;
        size_t an_len = (size_t)(p - an);
        if (an_len == 0)
            return -1;
        p = skip_space(p, end);
        if (p >= end || *p != '=')
            return -1;
        p = skip_space(p + 1, end);
        if (p >= end || (*p != '"' && *p != '\''))
            return -1;
        char quote = *p++;
        const char *v = p;
        while (p < end && *p != quote)
            p++;
        if (p >= end)
            return -1;
        size_t v_len = (size_t)(p - v);
        p++;
        int is_decl = prefix ? (an_len == 6 + prefix_len && memcmp(an, "xmlns:", 6) == 0 &&
                                memcmp(an + 6, prefix, prefix_len) == 0)
                             : (an_len == 5 && memcmp(an, "xmlns", 5) == 0);
        if (is_decl) {
            if (memchr(v, '&', v_len) != NULL)
                return -1; /* a character reference: let the parser read it */
            ns = v;
            ns_len = v_len;
        }
    }
    if (ns == NULL || ns_len != strlen(SD_NS) || memcmp(ns, SD_NS, ns_len) != 0)
        return SD_KIND_OTHER;
    for (size_t i = 0; i < NKINDS; i++)
        if (strlen(KINDS[i].root) == local_len && memcmp(KINDS[i].root, local, local_len) == 0)
            return KINDS[i].kind;
    return SD_KIND_OTHER;
}
