/*
 * test_sch_helpers.h — shared by the tests/unit/test_sch_*.c files: compile a
 * pack from a string, parse a document like the loader does, run, and look
 * findings up.  Header-only (static functions) so each test binary stands alone.
 */
#ifndef TEST_SCH_HELPERS_H
#define TEST_SCH_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "sch.h"
#include "sch/sch_int.h"

#define SCH_OPEN "<sch:schema xmlns:sch=\"http://purl.oclc.org/dsdl/schematron\" " \
                 "xmlns:sdl=\"urn:sdlint:functions\">\n" \
                 "<sch:ns prefix=\"sdl\" uri=\"urn:sdlint:functions\"/>\n"
#define SCH_CLOSE "</sch:schema>\n"

static inline sd_status compile_str(const char *sch, const sd_sch_options *opt, sd_sch_pack **out,
                             sd_error *err)
{
    sd_error_clear(err);
    return sd_sch_compile_memory(sch, strlen(sch), "mem.sch", opt, out, err);
}

static inline sd_sch_pack *must_compile(const char *sch, const sd_sch_options *opt)
{
    sd_error err;
    sd_sch_pack *p = NULL;
    sd_status st = compile_str(sch, opt, &p, &err);
    if (st != SD_OK)
        fprintf(stderr, "compile failed: %s:%ld: %s\n", err.file, err.line, err.msg);
    assert_int_equal(st, SD_OK);
    assert_non_null(p);
    return p;
}

static inline xmlDocPtr parse_doc(const char *xml)
{
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "doc.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    assert_non_null(d);
    return d;
}

/* Runs pack on xml; fills diags (caller frees) and returns the status. */
static inline sd_status run_str(const sd_sch_pack *p, const char *xml, sd_diags *d, sch_stats *stats,
                         sd_error *err)
{
    xmlDocPtr doc = parse_doc(xml);
    sd_diags_init(d);
    sd_error_clear(err);
    sd_status st = sch_run_ex(p, doc, "doc.xml", d, NULL, stats, err);
    xmlFreeDoc(doc);
    return st;
}

static inline const sd_finding *find_id(const sd_diags *d, const char *id, size_t nth)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].rule_id, id) == 0 && nth-- == 0)
            return &d->items[i];
    return NULL;
}

static inline size_t count_id(const sd_diags *d, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += strcmp(d->items[i].rule_id, id) == 0;
    return n;
}

/* Writes text to dir/name (dir must exist). */
static inline void write_text(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#endif
