/*
 * kind.h — which of our document kinds a parsed document is, from its root.
 *
 * The root element's namespace and local name decide: a 三定规定 (sanding), a
 * reform plan (reformPlan) or a higher-level catalogue (catalogue), all in one
 * namespace.  Anything else is SD_KIND_OTHER: schema validation and the built-in
 * rules are for our kinds only, user rule packs run on any XML.
 */
#ifndef SD_KIND_H
#define SD_KIND_H

struct _xmlDoc; /* libxml2's xmlDoc; no libxml2 header in the public set (sdlint.h) */

#include <stddef.h>

#define SD_NS "urn:sdlint:schema:1"

typedef enum sd_kind {
    SD_KIND_OTHER = 0,
    SD_KIND_SANDING = 1,
    SD_KIND_PLAN = 2,
    SD_KIND_CATALOGUE = 3
} sd_kind;

#define SD_KIND_COUNT 4

sd_kind sd_kind_of(struct _xmlDoc *doc);
/* "sanding", "plan", "catalogue", "other" */
const char *sd_kind_name(sd_kind k);
/* The root element's local name for k ("sanding", "reformPlan", "catalogue"), or NULL. */
const char *sd_kind_root(sd_kind k);
/* The embedded XSD file of k ("sanding.xsd", ...), or NULL. */
const char *sd_kind_schema(sd_kind k);
/* The kind the first bytes of a file (its first 64 KiB, say) declare, read
 * without parsing: SD_KIND_OTHER for a well-formed start of a root element
 * that is not ours, -1 when the bytes do not tell (a DOCTYPE, UTF-16, not
 * XML, cut short) — such a file is checked, so that its problem is reported. */
int sd_kind_sniff(const char *bytes, size_t len);
/* k for a root local name regardless of namespace, or SD_KIND_OTHER. */
sd_kind sd_kind_by_root(const char *local);

#endif
