/*
 * xsd.h — validating a document against the XSD of its kind, in plain words.
 *
 * Second stage.  sd_xsd_compile makes the set; each kind's schema is compiled
 * from the binary at the first document of that kind (the build inlined
 * common.xsd and removed the documentation, tools/xsdgen.c, so nothing is read
 * from disk or network), and the Chinese and English labels of every element
 * and attribute, read from their xs:documentation, come from the build too.
 * sd_xsd_validate then reports each libxml2 validation error as an SD002 finding
 * such as 内设机构"综合处"缺少编制数 (posts), at the element's line and column.
 *
 * A document is first validated against its schema without the identity
 * constraints, which idc.c then checks natively when it can be certain; any
 * doubt, and any error, runs the full schema as before (same findings).
 *
 * Ownership: the set is immutable after compile and may be shared by threads
 * (each validation has its own libxml2 validation context); free it last.
 */
#ifndef SD_XSD_H
#define SD_XSD_H

#include <libxml/tree.h>

#include "diag.h"
#include "error.h"
#include "kind.h"
#include "lang.h"
#include "load.h"

typedef struct sd_xsd_set sd_xsd_set;

/* Makes the set (cheap: schemas compile on first need, in sd_xsd_validate); on
 * failure (out of memory) *out is NULL and err says why. */
sd_status sd_xsd_compile(sd_xsd_set **out, sd_error *err);

/* Validates doc (parsed from src) against the schema of its kind, appending SD002
 * findings.  A root that is none of our kinds is one SD002 finding too.
 * Returns an error only for out-of-memory or a schema that does not compile. */
sd_status sd_xsd_validate(const sd_xsd_set *set, xmlDocPtr doc, const sd_source *src,
                          sd_lang lang, sd_diags *d, sd_error *err);

/* The validation contexts one thread keeps from one document to the next
 * (one per kind, made at the kind's first document; libxml2 resets a context
 * at each validation), instead of one made and freed per document.  Made by
 * sd_xsd_validators_new (NULL when out of memory), freed before the set
 * whose schemas they validate against.  Never used by two threads at once. */
typedef struct sd_xsd_validators sd_xsd_validators;
sd_xsd_validators *sd_xsd_validators_new(void);
void sd_xsd_validators_free(sd_xsd_validators *v);
/* sd_xsd_validate with vals' contexts (vals NULL: a context per call). */
sd_status sd_xsd_validate_with(const sd_xsd_set *set, sd_xsd_validators *vals, xmlDocPtr doc,
                               const sd_source *src, sd_lang lang, sd_diags *d, sd_error *err);
/* on: validate with each kind's full schema only, never the fast path of
 * idc.h (tests compare the two).  Before the set is shared. */
void sd_xsd_set_full_only(sd_xsd_set *set, int on);
/* The label of an element or attribute name in lang ("编制数" / "posts"), or NULL. */
const char *sd_xsd_label(const sd_xsd_set *set, const char *local_name, sd_lang lang);

void sd_xsd_free(sd_xsd_set *set);

#endif
