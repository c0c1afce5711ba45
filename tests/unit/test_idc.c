/*
 * test_idc.c — the native identity-constraint check (src/idc.c): certain only
 * when libxml2 could not find an error, "not sure" for every way it could,
 * and unusable for shapes it does not support.  Also that the built table
 * (tools/xsdgen.c) describes sanding.xsd's constraints and is usable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/parser.h>

#include "idc.h"

#define NSMAP "p\037urn:t\036"

/* a root "r" with a key on a/k@id, a keyref on b/ref@to, a unique on
 * a/k(@x, @y), an integer unique on n@v, and an inner scope "s" */
static const sd_idc_def DEFS[] = {
    {"t.xsd", 1, "r", "key", 'k', NULL, "p:a/p:k", "@id\036", "s", NSMAP},
    {"t.xsd", 1, "r", "ref", 'r', "key", "p:b/p:ref | p:c/p:ref", "@to\036", "s", NSMAP},
    {"t.xsd", 1, "r", "pair", 'u', NULL, "p:a/p:k", "@x\036@y\036", "ss", NSMAP},
    {"t.xsd", 1, "r", "num", 'u', NULL, "p:n", "@v\036", "i", NSMAP},
    {"t.xsd", 2, "s", "inner", 'u', NULL, "p:k", "@id\036", "s", NSMAP},
    {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL},
};

static int certain(const sd_idc_def *defs, const char *body)
{
    char xml[4096];
    snprintf(xml, sizeof xml, "<r xmlns='urn:t'>%s</r>", body);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    sd_idc_plan *p = sd_idc_plan_new(defs, "t.xsd");
    assert_non_null(p);
    assert_true(sd_idc_plan_usable(p));
    int r = sd_idc_certain(p, doc);
    sd_idc_plan_free(p);
    xmlFreeDoc(doc);
    return r;
}

#define OK "<a><k id='a1' x='1' y='1'/><k id='a2' x='1' y='2'/></a>"

static void test_valid_is_certain(void **state)
{
    (void)state;
    assert_int_equal(certain(DEFS, OK), 1);
    assert_int_equal(certain(DEFS, OK "<b><ref to='a1'/><ref to='a2'/></b><c><ref to='a2'/></c>"), 1);
    assert_int_equal(certain(DEFS, OK "<n v='1'/><n v='2'/><n v='10'/>"), 1);
    /* a unique target without all its fields is left out; so is a keyref's */
    assert_int_equal(certain(DEFS, OK "<a><k id='a3' x='1'/><k id='a4' x='1'/></a>"), 1);
    assert_int_equal(certain(DEFS, OK "<b><ref/></b>"), 1);
    /* inner scopes are checked each on its own */
    assert_int_equal(certain(DEFS, OK "<s><k id='z'/></s><s><k id='z'/></s>"), 1);
    /* another namespace is another element */
    assert_int_equal(certain(DEFS, OK "<a xmlns='urn:other'><k id='a1'/></a>"), 1);
}

static void test_key_errors_are_not_sure(void **state)
{
    (void)state;
    assert_int_equal(certain(DEFS, "<a><k id='a1' x='1' y='1'/><k id='a1' x='2' y='2'/></a>"), 0);
    assert_int_equal(certain(DEFS, "<a><k x='1' y='1'/></a>"), 0); /* a key without its field */
    assert_int_equal(certain(DEFS, "<a><k id='a1' x='1' y='1'/><k id=' a1 ' x='2' y='2'/></a>"), 0);
    assert_int_equal(certain(DEFS, "<a><k id='a b' x='1' y='1'/><k id='a  b' x='2' y='2'/></a>"), 0);
    /* two fields: both must be maybe-equal */
    assert_int_equal(certain(DEFS, "<a><k id='1' x='1' y='1'/><k id='2' x='1' y='1'/></a>"), 0);
    assert_int_equal(certain(DEFS, "<a><k id='1' x='1' y='1'/><k id='2' x='1' y=' 1'/></a>"), 0);
    /* a unique field of an integer type: leading zeros, a sign, blanks */
    assert_int_equal(certain(DEFS, OK "<n v='1'/><n v='01'/>"), 0);
    assert_int_equal(certain(DEFS, OK "<n v='1'/><n v='+1'/>"), 0);
    assert_int_equal(certain(DEFS, OK "<n v='0'/><n v='-0'/>"), 0);
    assert_int_equal(certain(DEFS, OK "<n v='7'/><n v=' 7 '/>"), 0);
    assert_int_equal(certain(DEFS, OK "<n v='x'/>"), 0); /* no integer: not sure */
    assert_int_equal(certain(DEFS, "<s><k id='z'/><k id='z'/></s>"), 0);
}

static void test_keyref_errors_are_not_sure(void **state)
{
    (void)state;
    assert_int_equal(certain(DEFS, OK "<b><ref to='a3'/></b>"), 0);
    assert_int_equal(certain(DEFS, OK "<c><ref to='A1'/></c>"), 0);
    /* equal once collapsed, as libxml2 would find it for a token: still not sure */
    assert_int_equal(certain(DEFS, OK "<b><ref to=' a1'/></b>"), 0);
    assert_int_equal(certain(DEFS, OK "<b><ref to='a1&#9;'/></b>"), 0);
    /* no key at all */
    assert_int_equal(certain(DEFS, "<b><ref to='a1'/></b>"), 0);
}

static void test_nested_owner_is_not_sure(void **state)
{
    (void)state;
    assert_int_equal(certain(DEFS, "<s><k id='1'/><s><k id='2'/></s></s>"), 0);
}

static void test_unsupported_shapes_make_the_plan_unusable(void **state)
{
    (void)state;
    static const char *const selectors[] = {"p:a//p:k", ".//p:k", "p:a/*", "a/k", "p:a/@id",
                                            "child::p:a", "p:a/.", "q:a", "p:a[1]", ""};
    for (size_t i = 0; i < sizeof selectors / sizeof *selectors; i++) {
        sd_idc_def d[] = {{"t.xsd", 1, "r", "key", 'k', NULL, selectors[i], "@id\036", "s", NSMAP},
                          {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}};
        sd_idc_plan *p = sd_idc_plan_new(d, "t.xsd");
        assert_non_null(p);
        if (sd_idc_plan_usable(p))
            fail_msg("selector \"%s\" taken as supported", selectors[i]);
        sd_idc_plan_free(p);
    }
    static const char *const fields[] = {"p:k/@id\036", "@p:id\036", ".\036", "@*\036", "id\036"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        sd_idc_def d[] = {{"t.xsd", 1, "r", "key", 'k', NULL, "p:a", fields[i], "s", NSMAP},
                          {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}};
        sd_idc_plan *p = sd_idc_plan_new(d, "t.xsd");
        assert_false(sd_idc_plan_usable(p));
        sd_idc_plan_free(p);
    }
    /* a field type of another family; a keyref whose key lives elsewhere or
     * has fields of another family; a row xsdgen could not describe */
    sd_idc_def other_type[] = {{"t.xsd", 1, "r", "key", 'k', NULL, "p:a", "@id\036", "?", NSMAP},
                               {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}};
    sd_idc_def elsewhere[] = {{"t.xsd", 1, "r", "key", 'k', NULL, "p:a", "@id\036", "s", NSMAP},
                              {"t.xsd", 2, "s", "ref", 'r', "key", "p:b", "@to\036", "s", NSMAP},
                              {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}};
    sd_idc_def families[] = {{"t.xsd", 1, "r", "key", 'k', NULL, "p:a", "@id\036", "i", NSMAP},
                             {"t.xsd", 1, "r", "ref", 'r', "key", "p:b", "@to\036", "s", NSMAP},
                             {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}};
    sd_idc_def wildcard[] = {{"t.xsd", 0, NULL, NULL, '!', NULL, NULL, NULL, NULL, NULL},
                             {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}};
    const sd_idc_def *bad[] = {other_type, elsewhere, families, wildcard};
    for (size_t i = 0; i < 4; i++) {
        sd_idc_plan *p = sd_idc_plan_new(bad[i], "t.xsd");
        assert_false(sd_idc_plan_usable(p));
        xmlDocPtr doc = xmlReadMemory("<r xmlns='urn:t'/>", 18, "t.xml", NULL, 0);
        assert_int_equal(sd_idc_certain(p, doc), 0);
        xmlFreeDoc(doc);
        sd_idc_plan_free(p);
    }
}

static void test_built_table_describes_sanding(void **state)
{
    (void)state;
    int keys = 0, keyrefs = 0, uniques = 0;
    for (const sd_idc_def *d = sd_idc_defs; d->schema; d++)
        if (strcmp(d->schema, "sanding.xsd") == 0) {
            keys += d->kind == 'k';
            keyrefs += d->kind == 'r';
            uniques += d->kind == 'u';
        }
    assert_int_equal(keys, 2);
    assert_int_equal(keyrefs, 3);
    assert_int_equal(uniques, 8);
    for (const char *k = "sanding.xsd"; k; k = NULL) {
        sd_idc_plan *p = sd_idc_plan_new(sd_idc_defs, k);
        assert_true(sd_idc_plan_usable(p));
        sd_idc_plan_free(p);
    }
    /* the image without them names none of them (its fields are NUL-ended) */
    int images = 0;
    for (const sd_embedded_file *f = sd_idc_free_images; f->name; f++) {
        if (strcmp(f->name, "sanding.xsd") != 0)
            continue;
        images++;
        for (size_t i = 0; i + 9 <= f->len; i++)
            if (memcmp(f->bytes + i, "xs:keyref", 9) == 0 || memcmp(f->bytes + i, "xs:unique", 9) == 0)
                fail_msg("the image without identity constraints has one");
    }
    assert_int_equal(images, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_is_certain),
        cmocka_unit_test(test_key_errors_are_not_sure),
        cmocka_unit_test(test_keyref_errors_are_not_sure),
        cmocka_unit_test(test_nested_owner_is_not_sure),
        cmocka_unit_test(test_unsupported_shapes_make_the_plan_unusable),
        cmocka_unit_test(test_built_table_describes_sanding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
