/*
 * import.h — a 三定规定 as text (paragraphs of UTF-8) becomes vocabulary-2 XML.
 *
 * Why: 编办 write and publish 三定 as text; an audit starts from that text.  The
 * wording is data (rules/import-zh.txt: PCRE2 patterns with named groups, one
 * construct each, with an example a test runs); this module only knows which
 * construct a place of the text may hold and which XML each named group fills.
 * Nothing is lost: a sentence no pattern reads is kept in the XML, in place, as
 * a comment, and listed (SD301) with its source line.  Nothing is invented:
 * a figure the text does not state is left out.
 *
 * Place in the pipeline: before the checker.  `sdlint import` writes the XML;
 * `--check` checks it and maps findings back through sd_import_source_line.
 * Cost: linear in the text (each paragraph is tried against each pattern of its
 * place: a few dozen); the rules are compiled once and are immutable, so one
 * compiled set may serve several threads.
 */
#ifndef SD_IMPORT_H
#define SD_IMPORT_H
#include <stddef.h>

#include "error.h"

struct _xmlDoc;
struct _xmlNode;

typedef struct sd_import_rules sd_import_rules;

/* Compiles the patterns file text[0..len) (name for errors: err names the line). */
sd_status sd_import_rules_load(const char *text, size_t len, const char *name,
                               sd_import_rules **out, sd_error *err);
/* The built-in file (rules/import-zh.txt, embedded). */
sd_status sd_import_rules_builtin(sd_import_rules **out, sd_error *err);
void sd_import_rules_free(sd_import_rules *r);
/* Runs every pattern's example: each must match and give its stated groups.
 * Returns the number of failures; each is described in err (the last one) and,
 * when report is not NULL, appended to it as lines (malloc'd, caller frees). */
size_t sd_import_rules_selftest(const sd_import_rules *r, char **report, sd_error *err);

/* One paragraph of the source: its text (UTF-8) and the line it starts on. */
typedef struct sd_import_para {
    const char *text;
    size_t len;
    long line;
} sd_import_para;

/* Splits text into lines ("\n", "\r\n", "\r"), each a paragraph numbered from 1
 * (pointing into text; free *paras only).  A UTF-8 byte-order mark is skipped. */
sd_status sd_import_split_lines(const char *text, size_t len, sd_import_para **paras, size_t *n,
                                sd_error *err);

/* A sentence the patterns did not read. */
typedef struct sd_import_unparsed {
    long line;
    char *text;
} sd_import_unparsed;

typedef struct sd_import_result {
    struct _xmlDoc *doc;          /* the document; each element's _private is its source line */
    char *xml;                    /* doc serialised (UTF-8, indented) */
    size_t xml_len;
    sd_import_unparsed *unparsed; /* in source order */
    size_t nunparsed;
} sd_import_result;

/* Reads paras[0..n) into res (fresh; free with sd_import_result_free). */
sd_status sd_import_run(const sd_import_rules *r, const sd_import_para *paras, size_t n,
                        sd_import_result *res, sd_error *err);
void sd_import_result_free(sd_import_result *res);

/* The source line of the node an XPath location (as findings carry it:
 * /sd:sanding[1]/sd:internalUnits[1]/sd:unit[2]/@posts) names in res->doc, or
 * of its nearest ancestor that has one; 0 when none. */
long sd_import_source_line(const sd_import_result *res, const char *location);

/* Reads a figure as texts write it: ASCII or full-width digits, or Chinese
 * numerals (一百二十, 两, 十二, 二〇一九 digit by digit).  -1 when s is not one. */
long sd_import_number(const char *s);

#endif
