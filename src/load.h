/*
 * load.h — reading input bytes and parsing them safely into a libxml2 tree.
 *
 * First stage of the pipeline.  Reading keeps the raw bytes (the output stage
 * quotes source lines from them).  Parsing never touches the network, never
 * loads a DTD, refuses any DOCTYPE (so no entity can be declared, let alone
 * expanded), never processes XInclude, and keeps line numbers above 65,535.
 * Every problem becomes a finding — SD001 not well-formed or unreadable, SD003
 * encoding, SD004 unsafe or oversized — with file, line and column.
 *
 * Ownership: sd_source owns its bytes, path and line index (sd_source_free);
 * the parsed xmlDoc belongs to the caller (sd_load_doc_free).
 */
#ifndef SD_LOAD_H
#define SD_LOAD_H

#include <stddef.h>

struct _xmlDoc; /* libxml2's xmlDoc; no libxml2 header in the public set (sdlint.h) */

#include "diag.h"
#include "error.h"
#include "lang.h"

#define SD_LOAD_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define SD_LOAD_POSITIONS_LAZY 2 /* sd_load_options.positions; = SD_POS_LAZY */

/* A parser one thread keeps from one parse to the next (its dictionary then
 * already holds the names the next document uses): made by
 * sd_load_parser_new (NULL when out of memory), passed in
 * sd_load_options.parser, freed by sd_load_parser_free (the trees parsed
 * with it hold their own reference to the dictionary and may outlive it).
 * Never used by two threads at once. */
typedef struct sd_load_parser sd_load_parser;
sd_load_parser *sd_load_parser_new(void);
void sd_load_parser_free(sd_load_parser *p);
typedef struct sd_load_options {
    size_t max_bytes; /* 0 means SD_LOAD_DEFAULT_MAX_BYTES */
    sd_lang lang;
    int positions;    /* record every node's line and column (pos.h); free the tree
                         with sd_load_doc_free.  Such a tree is read-only: its short
                         texts live inside their nodes (XML_PARSE_COMPACT).
                         SD_LOAD_POSITIONS_LAZY: the caller keeps src->bytes as long
                         as the tree, and lines are indexed on the first lookup */
    sd_load_parser *parser; /* the calling thread's, or NULL: a new parser each time */
} sd_load_options;

typedef struct sd_source {
    char *path;           /* as the user named it; "-" for standard input */
    unsigned char *bytes; /* NUL-terminated copy of the input, NULL if unreadable */
    size_t len;
    size_t *line_starts;  /* byte offset of each line, built by sd_source_index */
    size_t nlines;
} sd_source;

/* Reads path (or fd when path is "-" ... see below) into src.  A file that cannot
 * be read (missing, a directory, no permission, a FIFO that fails, over the size
 * limit) yields SD_OK with src->bytes NULL and one fatal finding in d; the error
 * return is kept for out-of-memory only. */
sd_status sd_load_read_file(const char *path, const sd_load_options *opt, sd_source *src,
                            sd_diags *d, sd_error *err);
/* Same for an open descriptor (standard input); display is the name findings carry. */
sd_status sd_load_read_fd(int fd, const char *display, const sd_load_options *opt,
                          sd_source *src, sd_diags *d, sd_error *err);
/* Same for a regular file of size bytes (its fstat): one buffer of that size,
 * and a read shorter than asked is its end.  0 as size: read_fd's way. */
sd_status sd_load_read_fd_sized(int fd, const char *display, size_t size,
                                const sd_load_options *opt, sd_source *src, sd_diags *d,
                                sd_error *err);

/* Parses src.  On success *doc is the tree; when the input is refused or broken
 * *doc is NULL and d holds the fatal finding(s).  Error return: out of memory.
 * Input in another encoding (GB18030, GBK, UTF-16 …) is re-encoded to UTF-8
 * first, and src->bytes then holds the UTF-8 text (lines stay where they were),
 * so quoted source lines and columns are right. */
sd_status sd_load_parse(sd_source *src, const sd_load_options *opt, struct _xmlDoc **doc,
                        sd_diags *d, sd_error *err);

/* A streaming pass over src for a caller that needs a few attributes and no
 * tree: the same checks and parser settings as sd_load_parse (encodings, no
 * DOCTYPE, no network, libxml2's limits), but nothing is built or freed, so
 * it costs about half of a parse (the tokenising is what remains).  start is called for every element in document order
 * with its depth (the root's is 0), local name, namespace URI (NULL when
 * none) and its attributes as libxml2's SAX2 hands them: nattrs groups of 5
 * pointers (local name, prefix, URI, value, end of the value: the value is
 * not NUL-terminated, and a '&' in it, written &amp; or &#38;, stands there
 * as "&#38;", which libxml2 leaves for its tree builder to decode).  *ok is 1 when the input is well-formed, as
 * sd_load_parse would have returned a tree; what start gathered is to be
 * believed only then.  0 when it is not; -1 when it holds what only building
 * the tree judges (an xml:* attribute, a text of over 1 MB): the caller then
 * parses it with sd_load_parse.  Findings are not kept.  Error return: out
 * of memory. */
typedef void (*sd_load_scan_fn)(void *user, int depth, const char *local, const char *uri,
                                int nattrs, const unsigned char **attrs);
sd_status sd_load_scan(sd_source *src, const sd_load_options *opt, sd_load_scan_fn start,
                       void *user, int *ok, sd_error *err);
/* Same parser settings for files we read ourselves (rule packs, subordinate
 * documents): returns NULL and fills err with file:line on any problem. */
struct _xmlDoc *sd_load_parse_trusted_memory(const char *bytes, size_t len, const char *url,
                                       sd_error *err);

void sd_source_free(sd_source *src);
/* Frees a tree from sd_load_parse, with its positions when it has them. */
void sd_load_doc_free(struct _xmlDoc *doc);
/* Builds src's line index (one pass), so sd_source_line is O(1) instead of a
 * scan from the start.  Returns -1 when out of memory (lines are then found by
 * scanning).  Bytes must not change afterwards; sd_load_parse calls it. */
int sd_source_index(sd_source *src);

/* The 1-based column (in characters) of the first occurrence of needle on line
 * `line` of src, searching from character column `from` (1-based); 0 if absent. */
long sd_source_find_col(const sd_source *src, long line, long from, const char *needle);
/* Line and column (1-based, characters; a BOM is not a column) of byte offset
 * off of src: O(log lines + column) with the index, O(off) without. */
void sd_source_position(const sd_source *src, size_t off, long *line, long *col);
/* Points *start at line `line` (1-based) of src and returns its length in bytes
 * without the line break; returns -1 when there is no such line. */
long sd_source_line(const sd_source *src, long line, const unsigned char **start);

#endif
