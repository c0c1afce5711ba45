/*
 * test_suppress.c — <?sdlint disable ...?> scopes (suppress.h): the element
 * after the PI and its subtree, not its following sibling; disable-file; a
 * reason required (SD005); unused rules reported (SD006); findings about
 * another file untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "load.h"
#include "pos.h"
#include "suppress.h"

#include <unistd.h>

static const char DOC[] =
    "<?xml version=\"1.0\"?>\n"                               /* 1 */
    "<?sdlint disable-file R9 -- whole file?>\n"              /* 2 */
    "<r>\n"                                                   /* 3 */
    "  <?sdlint disable R1,R2 -- 经批准?>\n"                  /* 4 */
    "  <!-- between -->\n"                                    /* 5 */
    "  <a x=\"1\">\n"                                         /* 6 */
    "    <b/>\n"                                              /* 7 */
    "  </a>\n"                                                /* 8 */
    "  <c/>\n"                                                /* 9 */
    "  <?sdlint disable R1?>\n"                               /* 10 */
    "  <d/>\n"                                                /* 11 */
    "  <?sdlint disable R3 -- nothing here?>\n"               /* 12 */
    "  <e/>\n"                                                /* 13 */
    "</r>\n";

/* Adds a finding at the start tag of the element named name. */
static void at(sd_diags *d, xmlDocPtr doc, const char *file, const char *rule, const char *name)
{
    xmlNodePtr n = xmlDocGetRootElement(doc);
    if (strcmp(name, "r") != 0) {
        for (n = n->children; n && !(n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0);
             n = n->next)
            if (n->type == XML_ELEMENT_NODE && n->children && n->children->next &&
                strcmp((const char *)n->children->next->name, name) == 0) {
                n = n->children->next;
                break;
            }
    }
    assert_non_null(n);
    sd_pos p;
    assert_int_equal(sd_pos_of(n, &p), 1);
    sd_finding f = {.rule_id = (char *)rule, .severity = SD_SEV_ERROR, .file = (char *)file,
                    .line = p.line, .col = p.col, .offset = (long)p.offset, .message = "m"};
    sd_error err = {0};
    assert_int_equal(sd_diags_add(d, &f, &err), SD_OK);
}

static void test_scopes(void **state)
{
    (void)state;
    sd_source src = {.path = strdup("t.xml"), .bytes = (unsigned char *)strdup(DOC), .len = strlen(DOC)};
    sd_diags d;
    sd_diags_init(&d);
    sd_load_options o = {.positions = 1};
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &o, &doc, &d, &err), SD_OK);
    assert_non_null(doc);
    at(&d, doc, "t.xml", "R1", "a");     /* 0: the element itself */
    at(&d, doc, "t.xml", "R2", "b");     /* 1: its subtree */
    at(&d, doc, "t.xml", "R1", "c");     /* 2: the next sibling: not covered */
    at(&d, doc, "t.xml", "R9", "e");     /* 3: file scope */
    at(&d, doc, "other.xml", "R9", "e"); /* 4: another file */
    at(&d, doc, "t.xml", "R1", "d");     /* 5: after a directive without reason */
    assert_int_equal(sd_suppress_apply(doc, "t.xml", SD_LANG_EN, &d, &err), SD_OK);
    assert_int_equal(d.items[0].suppressed, 1);
    assert_string_equal(d.items[0].suppress_reason, "经批准");
    assert_int_equal(d.items[1].suppressed, 1);
    assert_int_equal(d.items[2].suppressed, 0);
    assert_int_equal(d.items[3].suppressed, 1);
    assert_string_equal(d.items[3].suppress_reason, "whole file");
    assert_int_equal(d.items[4].suppressed, 0);
    assert_int_equal(d.items[5].suppressed, 0);
    /* New: SD005 at line 10 (no reason), SD006 for R3 at line 12. */
    assert_int_equal(d.count, 8);
    assert_string_equal(d.items[6].rule_id, "SD005");
    assert_int_equal(d.items[6].line, 10);
    assert_int_equal(d.items[6].col, 3);
    assert_string_equal(d.items[7].rule_id, "SD006");
    assert_int_equal(d.items[7].line, 12);
    assert_int_equal(d.items[7].severity, SD_SEV_WARNING);
    assert_int_equal(sd_diags_max_severity(&d), SD_SEV_ERROR);
    sd_load_doc_free(doc);
    sd_diags_free(&d);
    sd_source_free(&src);
}

/* Suppressed findings do not count. */
static void test_max_severity_ignores_suppressed(void **state)
{
    (void)state;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    sd_finding f = {.rule_id = "R", .severity = SD_SEV_ERROR, .file = "f", .message = "m",
                    .suppressed = 1, .suppress_reason = "why"};
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    assert_string_equal(d.items[0].suppress_reason, "why");
    assert_int_equal(sd_diags_max_severity(&d), -1);
    f.suppressed = 0;
    f.baselined = 1;
    assert_int_equal(sd_diags_add(&d, &f, &err), SD_OK);
    assert_int_equal(sd_diags_max_severity(&d), -1);
    sd_diags_free(&d);
}

/* The checker looks for directives only when the parsed bytes may hold one
 * (check.c skips the tree walk otherwise): a directive is still found in UTF-8,
 * in UTF-16 with a BOM (decoded before parsing) and in UTF-16 without one
 * (left to libxml2, so the bytes are not searched); a document without
 * directives keeps its finding. */
static void utf16le(const char *s, char *out, size_t *n)
{
    size_t k = 0;
    for (; *s; s++) { /* ASCII only */
        out[k++] = *s;
        out[k++] = 0;
    }
    *n = k;
}

static void test_directive_found_in_any_encoding(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-supp-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sch[600];
    snprintf(sch, sizeof sch, "%s/p.sch", dir);
    FILE *f = fopen(sch, "w");
    assert_non_null(f);
    fputs("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'><sch:pattern>"
          "<sch:rule context='a'><sch:assert id='R1' test='false()'>no</sch:assert></sch:rule>"
          "</sch:pattern></sch:schema>", f);
    fclose(f);
    const char *files[] = {sch};
    sd_checker_options o = {.lang = SD_LANG_EN, .rule_files = files, .rule_file_count = 1};
    sd_checker *c = NULL;
    sd_error err = {0};
    assert_int_equal(sd_checker_new(&o, &c, &err), SD_OK);
    /* disable-file: UTF-16 without a BOM is parsed without positions */
    const char *with = "<?xml version='1.0' encoding='UTF-16'?><?sdlint disable-file R1 -- ok?><r><a/></r>";
    const char *without = "<?xml version='1.0' encoding='UTF-16'?><r><a/></r>";
    for (int k = 0; k < 4; k++) {
        char bytes[400];
        size_t n = 0;
        if (k == 0) { /* UTF-8 */
            snprintf(bytes, sizeof bytes, "<?sdlint disable-file R1 -- ok?><r><a/></r>");
            n = strlen(bytes);
        } else if (k == 1 || k == 3) { /* UTF-16LE without a BOM */
            utf16le(k == 1 ? with : without, bytes, &n);
        } else { /* with one */
            bytes[0] = (char)0xFF;
            bytes[1] = (char)0xFE;
            utf16le(with, bytes + 2, &n);
            n += 2;
        }
        sd_result r;
        assert_int_equal(sd_checker_check_memory(c, "t.xml", bytes, n, &r, &err), SD_OK);
        assert_true(r.parsed);
        assert_int_equal(r.diags.count, 1);
        assert_string_equal(r.diags.items[0].rule_id, "R1");
        assert_int_equal(r.diags.items[0].suppressed, k != 3);
        sd_result_free(&r);
    }
    sd_checker_free(c);
    unlink(sch);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_max_severity_ignores_suppressed),
        cmocka_unit_test(test_directive_found_in_any_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
