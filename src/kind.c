/*
 * kind.c — the table of document kinds.  Adding a kind is one row here plus
 * its XSD in schemas/.
 */
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
