/*
 * test_xpathloc.c — XPath locations (src/xpathloc.c): both styles, positions
 * among same-name siblings (text runs, CDATA, comments, PIs, namespaces,
 * quotes), linear cost with many siblings, and one location form for XSD and
 * rule findings about the same node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "sch.h"
#include "xpathloc.h"
#include "xsd.h"

static xmlDocPtr parse(const char *xml)
{
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(d);
    return d;
}

static void expect_path(sd_xpathloc *x, xmlNodePtr n, sd_xpathloc_style st, const char *want)
{
    char *got = sd_xpathloc_path(x, n, st);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_styles_and_positions(void **state)
{
    (void)state;
    xmlDocPtr d = parse("<?p1 x?><sd:r xmlns:sd='urn:sdlint:schema:1' xmlns:o='urn:o'>"
                        "<sd:u/>t1<![CDATA[c]]>t2<sd:u a='1' sd:b='2'/><!--c1--><o:u/>"
                        "<sd:w/><!--c2-->t3<u/><sd:u/><?p1 y?><?p2?><?p1 z?></sd:r>");
    sd_xpathloc *x = sd_xpathloc_new();
    assert_non_null(x);
    xmlNodePtr r = xmlDocGetRootElement(d), k[16];
    int n = 0;
    for (xmlNodePtr c = r->children; c != NULL && n < 16; c = c->next)
        k[n++] = c;
    assert_int_equal(n, 15);
    expect_path(x, (xmlNodePtr)d, SD_XPATHLOC_COMPACT, "/");
    expect_path(x, r, SD_XPATHLOC_COMPACT, "/sd:r[1]");
    expect_path(x, r, SD_XPATHLOC_ISO, "/*:r[namespace-uri()='urn:sdlint:schema:1'][1]");
    expect_path(x, k[0], SD_XPATHLOC_COMPACT, "/sd:r[1]/sd:u[1]");
    /* text, CDATA, text: one XPath text node */
    expect_path(x, k[1], SD_XPATHLOC_COMPACT, "/sd:r[1]/text()[1]");
    expect_path(x, k[2], SD_XPATHLOC_COMPACT, "/sd:r[1]/text()[1]");
    expect_path(x, k[3], SD_XPATHLOC_COMPACT, "/sd:r[1]/text()[1]");
    expect_path(x, k[4], SD_XPATHLOC_COMPACT, "/sd:r[1]/sd:u[2]");
    expect_path(x, (xmlNodePtr)k[4]->properties, SD_XPATHLOC_COMPACT, "/sd:r[1]/sd:u[2]/@a");
    expect_path(x, (xmlNodePtr)k[4]->properties->next, SD_XPATHLOC_COMPACT,
                "/sd:r[1]/sd:u[2]/@sd:b");
    expect_path(x, (xmlNodePtr)k[4]->properties->next, SD_XPATHLOC_ISO,
                "/*:r[namespace-uri()='urn:sdlint:schema:1'][1]"
                "/*:u[namespace-uri()='urn:sdlint:schema:1'][2]"
                "/@*:b[namespace-uri()='urn:sdlint:schema:1']");
    expect_path(x, k[5], SD_XPATHLOC_COMPACT, "/sd:r[1]/comment()[1]");
    /* same local name, other namespace: its own count */
    expect_path(x, k[6], SD_XPATHLOC_COMPACT, "/sd:r[1]/*:u[namespace-uri()='urn:o'][1]");
    expect_path(x, k[7], SD_XPATHLOC_COMPACT, "/sd:r[1]/sd:w[1]");
    expect_path(x, k[8], SD_XPATHLOC_COMPACT, "/sd:r[1]/comment()[2]");
    expect_path(x, k[9], SD_XPATHLOC_COMPACT, "/sd:r[1]/text()[2]");
    expect_path(x, k[10], SD_XPATHLOC_COMPACT, "/sd:r[1]/u[1]"); /* no namespace */
    expect_path(x, k[11], SD_XPATHLOC_COMPACT, "/sd:r[1]/sd:u[3]");
    expect_path(x, k[12], SD_XPATHLOC_COMPACT, "/sd:r[1]/processing-instruction('p1')[1]");
    expect_path(x, k[13], SD_XPATHLOC_COMPACT, "/sd:r[1]/processing-instruction('p2')[1]");
    /* the PI before the root element is a sibling of the root */
    expect_path(x, d->children, SD_XPATHLOC_COMPACT, "/processing-instruction('p1')[1]");
    assert_int_equal(sd_xpathloc_position(x, r->last), 2);
    /* a namespace node as XPath hands it out: an xmlNs whose next is its element */
    xmlNs ns = {.next = (xmlNsPtr)k[6], .type = XML_NAMESPACE_DECL,
                .href = (const xmlChar *)"urn:o", .prefix = (const xmlChar *)"o"};
    expect_path(x, (xmlNodePtr)&ns, SD_XPATHLOC_COMPACT,
                "/sd:r[1]/*:u[namespace-uri()='urn:o'][1]/namespace::o");
    assert_int_equal(sd_xpathloc_position(x, (xmlNodePtr)&ns), 0);
    sd_xpathloc_free(x);
    xmlFreeDoc(d);
}

static void test_namespace_quotes(void **state)
{
    (void)state;
    xmlDocPtr d = parse("<a xmlns=\"urn:it's\"><b xmlns='urn:say &quot;it&apos;s&quot;'/></a>");
    sd_xpathloc *x = sd_xpathloc_new();
    xmlNodePtr a = xmlDocGetRootElement(d);
    expect_path(x, a, SD_XPATHLOC_COMPACT, "/*:a[namespace-uri()=\"urn:it's\"][1]");
    expect_path(x, a->children, SD_XPATHLOC_ISO,
                "/*:a[namespace-uri()=\"urn:it's\"][1]"
                "/*:b[namespace-uri()=concat('urn:say \"it',\"'\",'s\"')][1]");
    sd_xpathloc_free(x);
    xmlFreeDoc(d);
}

/* 200,000 children of one parent, each asked for: counting earlier siblings
 * per node would take about 2e10 steps; the memo takes one pass. */
static void test_many_siblings_are_linear(void **state)
{
    (void)state;
    xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr r = xmlNewDocNode(d, NULL, (const xmlChar *)"r", NULL);
    xmlDocSetRootElement(d, r);
    enum { N = 200000 };
    for (int i = 0; i < N; i++)
        xmlNewChild(r, NULL, (const xmlChar *)(i % 2 ? "u" : "v"), NULL);
    sd_xpathloc *x = sd_xpathloc_new();
    clock_t t0 = clock();
    long last = 0;
    for (xmlNodePtr c = r->children; c != NULL; c = c->next) {
        char *p = sd_xpathloc_path(x, c, SD_XPATHLOC_COMPACT);
        assert_non_null(p);
        free(p);
        last = sd_xpathloc_position(x, c);
    }
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(last, N / 2);
    assert_true(s < 3.0);
    sd_xpathloc_free(x);
    xmlFreeDoc(d);
}

/* An XSD finding and a rule finding about the same element (and the same
 * attribute) give the same location string. */
/* Every node of a document with mixed siblings (runs of same-name elements
 * between other names, text, comments, nested levels) gets the same path
 * whatever order the paths are asked in: document order (the per-depth cache
 * of the last node and a short walk back over siblings), reverse order and a
 * stride (the map), each node twice (the cached node itself), against a fresh
 * object per node. */
static void collect_nodes(xmlNodePtr n, xmlNodePtr *out, size_t *k, size_t max)
{
    for (xmlNodePtr c = n->children; c != NULL && *k < max; c = c->next) {
        out[(*k)++] = c;
        if (c->type == XML_ELEMENT_NODE && c->properties != NULL && *k < max)
            out[(*k)++] = (xmlNodePtr)c->properties;
        collect_nodes(c, out, k, max);
    }
}

static void test_position_cache_any_order(void **state)
{
    (void)state;
    xmlDocPtr d = parse("<r xmlns:q='urn:q'><a/><a/>t<b/><a x='1'/><!--c--><a/><q:a/><a/>"
                        "<b><a/><a/><b/><a/></b><a/><b/><b/><b/><b/><b/><b/><b/><b/><b/><a/>"
                        "<a><a>u<a/></a></a><?p i?><a/></r>");
    xmlNodePtr nodes[128];
    size_t n = 0;
    nodes[n++] = xmlDocGetRootElement(d);
    collect_nodes(nodes[0], nodes, &n, 128);
    assert_true(n > 30);
    char *want[2][128];
    for (int st = 0; st < 2; st++)
        for (size_t i = 0; i < n; i++) {
            sd_xpathloc *fresh = sd_xpathloc_new();
            want[st][i] = sd_xpathloc_path(fresh, nodes[i], st ? SD_XPATHLOC_ISO : SD_XPATHLOC_COMPACT);
            assert_non_null(want[st][i]);
            sd_xpathloc_free(fresh);
        }
    for (int order = 0; order < 3; order++) {
        sd_xpathloc *x = sd_xpathloc_new();
        for (size_t j = 0; j < n; j++) {
            size_t i = order == 0 ? j : order == 1 ? n - 1 - j : (j * 7) % n;
            for (int st = 0; st < 2; st++) {
                char *got = sd_xpathloc_path(x, nodes[i], st ? SD_XPATHLOC_ISO : SD_XPATHLOC_COMPACT);
                assert_non_null(got);
                assert_string_equal(got, want[st][i]);
                free(got);
            }
        }
        sd_xpathloc_free(x);
    }
    for (int st = 0; st < 2; st++)
        for (size_t i = 0; i < n; i++)
            free(want[st][i]);
    xmlFreeDoc(d);
}

static void test_same_location_for_xsd_and_rules(void **state)
{
    (void)state;
    /* the sample with unit 2 missing its posts and unit 3 given negative posts */
    FILE *f = fopen("tests/e2e/inputs/v2/yingshang.xml", "rb");
    assert_non_null(f);
    char *xml = calloc(1, 1 << 20);
    size_t len = fread(xml, 1, (1 << 20) - 1, f);
    fclose(f);
    char *u2 = strstr(xml, "<unit name=\"人事处\" category=\"comprehensive\" posts=\"5\"");
    assert_non_null(u2);
    memcpy(strstr(u2, "posts=\"5\""), "         ", 9);
    char *u3 = strstr(xml, "<unit name=\"政策法规处\" category=\"business\" posts=\"6\"");
    assert_non_null(u3);
    memcpy(strstr(u3, "posts=\"6\""), "posts=\"-\"", 9);
    (void)len;
    sd_source src = {.path = strdup("t.xml"), .bytes = (unsigned char *)xml, .len = strlen(xml)};
    sd_load_options lo = {.lang = SD_LANG_EN};
    sd_diags xd, rd;
    sd_diags_init(&xd);
    sd_diags_init(&rd);
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &lo, &doc, &xd, &err), SD_OK);
    sd_xsd_set *set = NULL;
    assert_int_equal(sd_xsd_compile(&set, &err), SD_OK);
    assert_int_equal(sd_xsd_validate(set, doc, &src, SD_LANG_EN, &xd, &err), SD_OK);
    const char *sch =
        "<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>"
        "<sch:ns prefix='s' uri='urn:sdlint:schema:1'/><sch:pattern>"
        "<sch:rule context='s:unit[not(@posts)]'><sch:report id='NOPOSTS' test='true()'>x</sch:report></sch:rule>"
        "<sch:rule context='s:unit/@posts[. = \"-\"]'><sch:report id='NEG' test='true()'>x</sch:report></sch:rule>"
        "</sch:pattern></sch:schema>";
    sd_sch_pack *pk = NULL;
    assert_int_equal(sd_sch_compile_memory(sch, strlen(sch), "m.sch", NULL, &pk, &err), SD_OK);
    assert_int_equal(sd_sch_run(pk, doc, "t.xml", &rd, NULL, &err), SD_OK);
    assert_int_equal(rd.count, 2);
    const char *want[] = {"/sd:sanding[1]/sd:internalUnits[1]/sd:unit[2]",
                          "/sd:sanding[1]/sd:internalUnits[1]/sd:unit[3]/@posts"};
    for (size_t w = 0; w < 2; w++) {
        int in_xsd = 0, in_rules = 0;
        for (size_t i = 0; i < xd.count; i++)
            in_xsd += xd.items[i].location && strcmp(xd.items[i].location, want[w]) == 0;
        for (size_t i = 0; i < rd.count; i++)
            in_rules += rd.items[i].location && strcmp(rd.items[i].location, want[w]) == 0;
        if (in_xsd != 1 || in_rules != 1) {
            for (size_t i = 0; i < xd.count; i++)
                fprintf(stderr, "xsd: %s\n", xd.items[i].location ? xd.items[i].location : "(null)");
            for (size_t i = 0; i < rd.count; i++)
                fprintf(stderr, "rule: %s\n", rd.items[i].location);
        }
        assert_int_equal(in_xsd, 1);
        assert_int_equal(in_rules, 1);
    }
    sd_sch_free(pk);
    sd_xsd_free(set);
    xmlFreeDoc(doc);
    sd_source_free(&src);
    sd_diags_free(&xd);
    sd_diags_free(&rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_styles_and_positions),
        cmocka_unit_test(test_namespace_quotes),
        cmocka_unit_test(test_many_siblings_are_linear),
        cmocka_unit_test(test_same_location_for_xsd_and_rules),
        cmocka_unit_test(test_position_cache_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
