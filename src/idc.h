/*
 * idc.h — a native, conservative check of a schema's identity constraints
 * (xs:key, xs:unique, xs:keyref) on a document libxml2 found otherwise valid.
 *
 * Why: libxml2 2.9 follows every element and attribute through a streaming
 * XPath per constraint (xmlStreamPush/PushAttr/Pop): about a third of
 * validating a 三定.  xsd.c therefore validates first against the schema
 * without its constraints (built by tools/xsdgen.c) and asks this module
 * whether the document certainly breaks none of them.  The answer is only
 * ever "certainly none" or "not sure"; "not sure" sends the document through
 * the full schema, so the findings are libxml2's own either way.
 *
 * "Certainly none" needs: supported shapes only (selectors: child steps,
 * unions of them; fields: one unprefixed attribute each; field types of the
 * string or integer family, no wildcards, no defaults — else the plan is not
 * usable and every document is "not sure"); no owner element inside another
 * of the same name (libxml2 would merge their tables); every key target with
 * all its fields; no two targets of a key/unique whose values could be equal
 * (whitespace collapsed, integers compared as numbers); every keyref value
 * equal, byte for byte and free of blanks to normalise, to a value of its
 * key, with fields of the same type family.
 *
 * Cost: one walk of the document per owner name plus sorting each table:
 * O(n log n) in the targets.  No global state; a plan is immutable and may be
 * shared by threads.
 */
#ifndef SD_IDC_H
#define SD_IDC_H

#include <libxml/tree.h>

#include "embedded.h"

/* One identity constraint as the schema declares it (tools/xsdgen.c writes
 * the table sd_idc_defs, ended by a row with schema NULL). */
typedef struct sd_idc_def {
    const char *schema;      /* "sanding.xsd" */
    int owner;               /* the declaring xs:element, numbered in the schema */
    const char *owner_name;  /* its name */
    const char *name;
    char kind;               /* 'k' key, 'u' unique, 'r' keyref; '!' one we cannot describe */
    const char *refer;       /* keyref: the local name of its key or unique */
    const char *selector;    /* xpath as written */
    const char *fields;      /* each field's xpath as written, each ended by \036 */
    const char *families;    /* per field: 's' string family, 'i' integer family, '?' other */
    const char *ns;          /* the selector's namespaces: "prefix\037uri\036…" */
} sd_idc_def;

extern const sd_idc_def sd_idc_defs[];
/* Each schema of sd_embedded_schemas without its identity constraints, as an
 * image (same names). */
extern const sd_embedded_file sd_idc_free_images[];

typedef struct sd_idc_plan sd_idc_plan;

/* The plan for the constraints of `schema` in defs (sd_idc_defs for the
 * built ones); NULL when out of memory.  A schema without constraints gets a
 * usable plan that checks nothing. */
sd_idc_plan *sd_idc_plan_new(const sd_idc_def *defs, const char *schema);
/* 1 when every constraint has a shape the check supports, else 0 (then
 * sd_idc_certain always says "not sure"). */
int sd_idc_plan_usable(const sd_idc_plan *p);
void sd_idc_plan_free(sd_idc_plan *p);

/* 1: doc certainly breaks none of p's constraints; 0: not sure (also when
 * out of memory). */
int sd_idc_certain(const sd_idc_plan *p, xmlDocPtr doc);

#endif
