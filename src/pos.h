/*
 * pos.h — where each node of a parsed document stands in its source text.
 *
 * Positions are recorded while libxml2 parses (SAX hooks installed by load.c),
 * never reconstructed afterwards by searching the text: a finding's line and
 * column come from its node.  For an element: its start tag, from `<` to the
 * character after `>`; for an attribute: from its name to the character after
 * the closing quote; for a text node: its first character.  Lines and columns
 * are 1-based, columns count characters (not bytes), and lines above 65,535
 * are exact (libxml2's own node->line stops there).
 *
 * Cost: O(input) at parse time in total — each start tag scanned once more
 * for its attributes, and one pass over the bytes for the line index when the
 * parse ends — and O(1) per lookup.  Memory: 24 bytes per 64 bytes of input
 * (the line index), 8 bytes per element (its list), nothing else per node
 * (see pos.c).
 *
 * Ownership: the table hangs on doc->_private and each recorded node's
 * _private holds its byte span; nothing else in sdlint may use those fields.  A
 * document parsed with positions must be freed with sd_pos_doc_free (or
 * sd_load_doc_free), which frees the table and then the tree.
 */
#ifndef SD_POS_H
#define SD_POS_H

#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct sd_pos {
    long line, col;         /* start, 1-based, column in characters */
    long end_line, end_col; /* the character after the end */
    size_t offset;          /* byte offset of the start in the UTF-8 source */
} sd_pos;

/* The position of n: an element, attribute, text node or processing
 * instruction as recorded; any other node (comment, namespace node,
 * unrecorded attribute) gives the
 * position of its nearest recorded ancestor.  Returns 0 and zeroes *out when
 * the document was not parsed with positions. */
int sd_pos_of(const xmlNode *n, sd_pos *out);

/* The recorder: load.c owns one per parse.  sd_pos_record_begin installs the
 * SAX hooks on ctxt; ctxt->_private must point to a struct whose first member
 * is an sd_pos_recorder pointer (the hooks find the recorder through it).
 * bytes are exactly the bytes given to libxml2 (UTF-8).  After the parse,
 * sd_pos_record_end frees the recorder and, when keep is set, hands the table
 * to doc; doc is the tree libxml2 returned (NULL when it freed it).  Returns
 * -1 when recording ran out of memory: doc then carries no positions.  keep
 * SD_POS_LAZY: the caller keeps the bytes, unchanged, for as long as the
 * tree, and the line index is made from them on the first lookup, not when
 * the parse ends — most checked documents have no finding, and the index was
 * a pass over the bytes and an allocation for each (a fortieth of a batch). */
#define SD_POS_LAZY 2
typedef struct sd_pos_recorder sd_pos_recorder;
sd_pos_recorder *sd_pos_record_begin(xmlParserCtxtPtr ctxt, const unsigned char *bytes,
                                     size_t len);
int sd_pos_record_end(sd_pos_recorder *r, xmlDocPtr doc, int keep);

/* 1 when the parse that recorded doc's positions also numbered every element
 * in document order as xmlXPathOrderDocElems does (so the engine need not);
 * 0 for any other tree.  The numbers stay valid while no element is added. */
int sd_pos_doc_ordered(const xmlDoc *doc);

/* The elements of doc in document order, as its parse met them (*n of
 * them; a list of 8 bytes an element, so that a rule context naming an
 * element need not walk the whole tree); NULL when the parse did not number
 * them (sd_pos_doc_ordered).  Valid while no element is added or removed. */
xmlNodePtr const *sd_pos_doc_elements(const xmlDoc *doc, size_t *n);

/* Frees doc's position table (if any), then doc. */
/* How many processing instructions the parse put in doc (0: suppress.c has
 * no directive to look for, and need not walk the tree); -1 when doc was not
 * parsed with positions. */
long sd_pos_doc_pi_count(const xmlDoc *doc);

void sd_pos_doc_free(xmlDocPtr doc);

#endif
