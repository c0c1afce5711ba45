/*
 * test_embedded.c — what the build derived from schemas/ and rules/ still says
 * what they say (tools/xsdgen.c, tools/leanpack.py).
 *
 * The Makefile regenerates the derived data whenever a schema or pack changes,
 * so it cannot go stale; these tests check that the derivation is right: every
 * label the full schemas document is in the generated table with the same words
 * (and nothing else is), every simple type and enumeration value is there, the
 * stripped schemas carry no documentation, the lean packs (one per language)
 * compile to the same rules, severities, references and parameters as the full
 * pack, and each embedded image is exactly the tree libxml2 builds from the
 * lean text it was made from (names, namespaces, attributes, texts, lines).
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
#include <libxml/tree.h>

#include "embedded.h"
#include "sch.h"

#define XS_NS "http://www.w3.org/2001/XMLSchema"

static const char *const full_schemas[] = {"sanding.xsd", "plan.xsd", "catalogue.xsd",
                                           "common.xsd"};

static int is_xs(xmlNodePtr n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, XS_NS) == 0 &&
           strcmp((const char *)n->name, local) == 0;
}

static xmlDocPtr parse_full(const char *name)
{
    const sd_embedded_file *f = sd_embedded_find(name);
    assert_non_null(f);
    xmlDocPtr doc = xmlReadMemory(f->bytes, (int)f->len, name, "UTF-8", XML_PARSE_NONET);
    assert_non_null(doc);
    return doc;
}

static const sd_embedded_label *find(const sd_embedded_label *t, const char *name)
{
    for (; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

/* The zh documentation of decl, or NULL. */
static xmlChar *zh_doc(xmlNodePtr decl)
{
    for (xmlNodePtr a = decl->children; a; a = a->next)
        for (xmlNodePtr d = is_xs(a, "annotation") ? a->children : NULL; d; d = d->next) {
            xmlChar *lang = is_xs(d, "documentation") ? xmlNodeGetLang(d) : NULL;
            int zh = lang && strncmp((const char *)lang, "zh", 2) == 0;
            xmlFree(lang);
            if (zh)
                return xmlNodeGetContent(d);
        }
    return NULL;
}

typedef struct walk {
    int declared; /* declarations with a zh label */
    int matched;  /* of which the table has that very label (first one wins: ≤ declared) */
    int types, enum_values;
} walk;

static void visit(xmlNodePtr n, walk *w)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (name && (is_xs(n, "element") || is_xs(n, "attribute"))) {
            xmlChar *doc = zh_doc(n);
            const char *t = doc ? (const char *)doc : "";
            while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r')
                t++;
            const char *sep = strstr(t, "：");
            if (sep && sep > t && sep - t <= 80) {
                const sd_embedded_label *l = find(sd_embedded_labels, (const char *)name);
                if (l == NULL)
                    fail_msg("label of %s is missing from the generated table", (const char *)name);
                w->declared++;
                w->matched += l->zh && strlen(l->zh) == (size_t)(sep - t) &&
                              strncmp(l->zh, t, (size_t)(sep - t)) == 0;
            }
            xmlFree(doc);
        }
        if (name && is_xs(n, "simpleType")) {
            const sd_embedded_label *ty = find(sd_embedded_types, (const char *)name);
            for (xmlNodePtr r = n->children; r; r = r->next) {
                /* a restriction of an inline list or union type has no base */
                if (!is_xs(r, "restriction") || !xmlHasProp(r, (const xmlChar *)"base"))
                    continue;
                if (ty == NULL)
                    fail_msg("type %s is missing from the generated table", (const char *)name);
                xmlChar *base = xmlGetProp(r, (const xmlChar *)"base");
                assert_string_equal(ty->zh, (const char *)base);
                xmlFree(base);
                w->types++;
                for (xmlNodePtr e = r->children; e; e = e->next) {
                    xmlChar *v = is_xs(e, "enumeration") ? xmlGetProp(e, (const xmlChar *)"value") : NULL;
                    if (v == NULL)
                        continue;
                    char want[512];
                    xmlChar *meaning = zh_doc(e);
                    snprintf(want, sizeof want, "%s\037%s\036", (const char *)v,
                             meaning ? (const char *)meaning : "");
                    assert_non_null(ty->en);
                    if (strstr(ty->en, want) == NULL)
                        fail_msg("enumeration value %s of %s is not in the table", (const char *)v,
                                 (const char *)name);
                    w->enum_values++;
                    xmlFree(meaning);
                    xmlFree(v);
                }
            }
        }
        xmlFree(name);
        visit(n->children, w);
    }
}

static void test_labels_and_types_are_those_of_the_full_schemas(void **state)
{
    (void)state;
    walk w = {0};
    for (size_t i = 0; i < sizeof full_schemas / sizeof *full_schemas; i++) {
        xmlDocPtr doc = parse_full(full_schemas[i]);
        visit(xmlDocGetRootElement(doc), &w);
        xmlFreeDoc(doc);
    }
    /* the table holds one entry per name, each the label of a declaration */
    size_t n = 0;
    for (const sd_embedded_label *l = sd_embedded_labels; l->name; l++, n++)
        assert_ptr_equal(find(sd_embedded_labels, l->name), l);
    assert_true(n > 100);
    assert_true(w.declared >= (int)n);
    /* a name declared twice may have two labels: the table has one of them;
     * nearly every declaration agrees with it */
    assert_true(w.matched * 10 >= w.declared * 9);
    assert_true(w.types > 10);
    assert_true(w.enum_values > 20);
    assert_string_equal(find(sd_embedded_labels, "posts")->zh, "编制数");
}

static void test_stripped_schemas_have_no_documentation(void **state)
{
    (void)state;
    static const char *const kinds[] = {"sanding.xsd", "plan.xsd", "catalogue.xsd"};
    for (size_t i = 0; i < 3; i++) {
        const sd_embedded_file *lean = sd_embedded_schema(kinds[i]);
        const sd_embedded_file *full = sd_embedded_find(kinds[i]);
        assert_non_null(lean);
        assert_non_null(full);
        assert_true(lean->len < full->len);
        assert_null(strstr(lean->bytes, "documentation"));
        assert_null(strstr(lean->bytes, "<!--"));
        assert_null(strstr(lean->bytes, "xs:include"));
        /* common.xsd's types came in with the include */
        assert_non_null(strstr(lean->bytes, "name=\"CountType\""));
    }
}

static int same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int has_element(const sd_embedded_file *img, const char *qname)
{
    char rec[64];
    int n = snprintf(rec, sizeof rec, "E%s", qname);
    for (const char *p = img->bytes; p + n < img->bytes + img->len; p++)
        if (memcmp(p, rec, (size_t)n + 1) == 0) /* with the field's NUL */
            return 1;
    return 0;
}

/* The run language's messages only: every assert and report's message is the
 * one the full pack shows in that language (checked by the e2e goldens); here
 * the shape: zh keeps no English diagnostic, en no assert text. */
static void test_lean_pack_runs_the_same_rules(void **state)
{
    (void)state;
    int packs = 0;
    static const struct {
        sd_lang lang;
        const char *name;
    } langs[] = {{SD_LANG_ZH, "zh"}, {SD_LANG_EN, "en"}};
    for (const sd_embedded_file *f = sd_embedded_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (n < 4 || strcmp(f->name + n - 4, ".sch") != 0)
            continue;
        for (size_t li = 0; li < 2; li++) {
            const sd_embedded_file *lean = sd_embedded_lean_pack(f->name, langs[li].lang);
            assert_non_null(lean);
            assert_true(lean->len < f->len);
            assert_memory_equal(lean->bytes, "SDIMG1\n", 7);
            assert_false(has_element(lean, "sch:p"));
            assert_false(has_element(lean, "sch:title"));
            assert_true(has_element(lean, "sch:assert"));
            assert_int_equal(has_element(lean, "sch:diagnostic"), langs[li].lang == SD_LANG_EN);
            sd_sch_options so = {.lang = langs[li].name}, lo = so;
            lo.trusted = 1;
            sd_sch_pack *pf = NULL, *pl = NULL;
            sd_error err = {0};
            assert_int_equal(sd_sch_compile_memory(f->bytes, f->len, f->name, &so, &pf, &err),
                             SD_OK);
            assert_int_equal(sd_sch_compile_memory(lean->bytes, lean->len, f->name, &lo, &pl, &err),
                             SD_OK);
            assert_int_equal(sd_sch_rule_count(pl), sd_sch_rule_count(pf));
            assert_true(sd_sch_rule_count(pf) > 0);
            for (size_t i = 0; i < sd_sch_rule_count(pf); i++) {
                const sd_sch_rule_info *a = sd_sch_rule_at(pf, i), *b = sd_sch_rule_at(pl, i);
                assert_string_equal(a->id, b->id);
                assert_int_equal(a->severity, b->severity);
                assert_true(same(a->see, b->see));
                assert_true(same(a->pattern, b->pattern));
                assert_int_equal(a->param_count, b->param_count);
                assert_true(a->title[0] != '\0'); /* what the lean pack leaves out */
                assert_string_equal(b->title, "");
            }
            assert_int_equal(sd_sch_param_count(pl), sd_sch_param_count(pf));
            for (size_t i = 0; i < sd_sch_param_count(pf); i++)
                assert_string_equal(sd_sch_param_at(pf, i)->name, sd_sch_param_at(pl, i)->name);
            sd_sch_free(pf);
            sd_sch_free(pl);
            packs++;
        }
    }
    assert_true(packs > 0);
}

/* ---- the image is the tree libxml2 builds from the lean text ------------- */

static char build_dir[1024]; /* the build's folder: this test is BUILD/tests/test_embedded */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *b = malloc(1 << 20);
    *len = b ? fread(b, 1, 1 << 20, f) : 0;
    fclose(f);
    return b;
}

static const char *href(xmlNsPtr ns)
{
    return ns ? (const char *)ns->href : NULL;
}

static void same_tree(xmlNodePtr a, xmlNodePtr b)
{
    for (; a != NULL || b != NULL; a = a->next, b = b->next) {
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(a->type, b->type);
        assert_int_equal(xmlGetLineNo(a), xmlGetLineNo(b));
        if (a->type == XML_TEXT_NODE) {
            assert_string_equal(a->content, b->content);
            continue;
        }
        assert_int_equal(a->type, XML_ELEMENT_NODE);
        assert_string_equal(a->name, b->name);
        assert_true(same(href(a->ns), href(b->ns)));
        xmlNsPtr na = a->nsDef, nb = b->nsDef;
        for (; na || nb; na = na->next, nb = nb->next) {
            assert_true(na && nb);
            assert_true(same((const char *)na->prefix, (const char *)nb->prefix));
            assert_string_equal(na->href, nb->href);
        }
        xmlAttrPtr pa = a->properties, pb = b->properties;
        for (; pa || pb; pa = pa->next, pb = pb->next) {
            assert_true(pa && pb);
            assert_string_equal(pa->name, pb->name);
            assert_true(same(href(pa->ns), href(pb->ns)));
            xmlChar *va = xmlNodeGetContent((xmlNodePtr)pa), *vb = xmlNodeGetContent((xmlNodePtr)pb);
            assert_string_equal(va, vb);
            xmlFree(va);
            xmlFree(vb);
        }
        same_tree(a->children, b->children);
    }
}

static void test_lean_image_is_the_tree_of_its_text(void **state)
{
    (void)state;
    const char *const langs[] = {"zh", "en"};
    for (size_t li = 0; li < 2; li++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/gen/lean/%s/sanding.sch", build_dir, langs[li]);
        size_t len = 0;
        char *text = slurp(path, &len);
        assert_non_null(text);
        assert_true(len > 1000);
        const sd_embedded_file *img =
            sd_embedded_lean_pack("sanding.sch", li ? SD_LANG_EN : SD_LANG_ZH);
        assert_non_null(img);
        xmlDocPtr want = xmlReadMemory(text, (int)len, "rules/sanding.sch", NULL,
                                       XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
        assert_non_null(want);
        sd_embedded_tree *owner = NULL;
        xmlDocPtr ro = sd_embedded_tree_new("rules/sanding.sch", img->bytes, img->len, &owner);
        assert_non_null(ro);
        assert_non_null(owner);
        assert_string_equal(ro->URL, want->URL);
        same_tree(want->children, ro->children);
        xmlNodePtr root = xmlDocGetRootElement(ro);
        xmlChar *lang = xmlNodeGetLang(root->children ? root->last : root);
        assert_string_equal(lang, "zh"); /* xml:lang, inherited from the root */
        xmlFree(lang);
        sd_embedded_tree_free(owner);
        xmlFreeDoc(want);
        /* a cut image is refused, not half read */
        for (size_t cut = 7; cut < img->len; cut += img->len / 7 + 1) {
            sd_embedded_tree *o = (sd_embedded_tree *)&cut; /* overwritten with NULL */
            assert_null(sd_embedded_tree_new("x", img->bytes, cut, &o));
            assert_null(o);
        }
        sd_embedded_tree *o = NULL;
        assert_null(sd_embedded_tree_new("x", text, len, &o)); /* text is no image */
        free(text);
    }
}

static void test_schema_images_are_the_trees_of_their_texts(void **state)
{
    (void)state;
    int n = 0;
    for (const sd_embedded_file *f = sd_embedded_schemas; f->name; f++, n++) {
        const sd_embedded_file *img = sd_embedded_schema_image(f->name);
        assert_non_null(img);
        xmlDocPtr want = xmlReadMemory(f->bytes, (int)f->len, "schemas/x.xsd", "UTF-8",
                                       XML_PARSE_NONET);
        assert_non_null(want);
        /* the read-only tree src/xsd.c compiles (a default namespace here: an
         * unprefixed attribute is in none) */
        sd_embedded_tree *owner = NULL;
        xmlDocPtr ro = sd_embedded_tree_new("schemas/x.xsd", img->bytes, img->len, &owner);
        assert_non_null(ro);
        same_tree(want->children, ro->children);
        sd_embedded_tree_free(owner);
        xmlFreeDoc(want);
    }
    assert_int_equal(n, 3);
}

int main(int argc, char **argv)
{
    (void)argc;
    snprintf(build_dir, sizeof build_dir, "%s", argv[0]);
    for (int up = 0; up < 2; up++) { /* BUILD/tests/test_embedded -> BUILD */
        char *slash = strrchr(build_dir, '/');
        if (slash == NULL)
            snprintf(build_dir, sizeof build_dir, "..");
        else
            *slash = '\0';
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_and_types_are_those_of_the_full_schemas),
        cmocka_unit_test(test_stripped_schemas_have_no_documentation),
        cmocka_unit_test(test_lean_pack_runs_the_same_rules),
        cmocka_unit_test(test_lean_image_is_the_tree_of_its_text),
        cmocka_unit_test(test_schema_images_are_the_trees_of_their_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
