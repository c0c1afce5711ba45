/*
 * xpathloc.h — the XPath location of a node, built in O(depth) per node.
 *
 * A finding names its node by an XPath (`location` in text/JSON, the SVRL
 * `location` attribute).  Each step needs the node's position among its
 * same-name siblings; counting earlier siblings per finding is quadratic when
 * thousands of children of one parent fail.  An sd_xpathloc memoises, per
 * parent, the position of every child the first time one of them is asked
 * for (one pass over that parent's children), so n locations in one document
 * cost O(total children of the parents involved + n·depth).
 *
 * Two styles:
 *   SD_XPATHLOC_COMPACT  the finding `location` of every kind of finding:
 *                        /sd:sanding[1]/sd:unit[10]/@name   (sd = urn:sdlint:schema:1)
 *                        *:a[namespace-uri()='urn:x'][1] as a step (any other namespace)
 *                        /a[1]/text()[2]                    (no namespace)
 *   SD_XPATHLOC_ISO      SVRL's form, no prefix bound: every namespaced step is
 *                        *:name[namespace-uri()='…'], as the ISO skeleton writes it.
 * Both: comment()[k], processing-instruction('t')[k], namespace::p (a namespace
 * node of an XPath node-set), "/" for the document node.
 * Adjacent text and CDATA nodes are one XPath text node (they share a position).
 *
 * Ownership: the object only reads the documents; the nodes asked about must
 * stay alive (and unmodified in their sibling lists) as long as the object is
 * used — make one per run or per document.  Not shared between threads.
 */
#ifndef SD_XPATHLOC_H
#define SD_XPATHLOC_H

#include <libxml/tree.h>

typedef struct sd_xpathloc sd_xpathloc;

typedef enum { SD_XPATHLOC_COMPACT, SD_XPATHLOC_ISO } sd_xpathloc_style;

/* NULL on out of memory. */
sd_xpathloc *sd_xpathloc_new(void);
void sd_xpathloc_free(sd_xpathloc *x); /* NULL allowed */

/* Position (1-based) of n among its parent's children of the same name (the
 * same text run, for text); 1 for a node without parent; 0 for attributes,
 * namespace nodes and the document node; -1 on out of memory. */
long sd_xpathloc_position(sd_xpathloc *x, xmlNodePtr n);

/* The location of n as a malloc'd string (caller frees), NULL on out of memory. */
char *sd_xpathloc_path(sd_xpathloc *x, xmlNodePtr n, sd_xpathloc_style style);
/* The same, written into scratch (emptied first; reused from call to call, no
 * allocation per location once it has grown); the result lives in scratch. */
struct sd_buf;
const char *sd_xpathloc_path_in(sd_xpathloc *x, xmlNodePtr n, sd_xpathloc_style style,
                                struct sd_buf *scratch);

#endif
