/*
 * test_pos.c — positions recorded at parse time (pos.h): every case the old
 * text search got wrong (`<ab` for `<a`, a `/` in a namespace URI, several
 * elements on one line, CJK, lines above 65,535, CR LF, a BOM, `>` inside an
 * attribute value), plus ends and byte offsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/xpath.h>

#include "buf.h"
#include "load.h"
#include "pos.h"

typedef struct parsed {
    sd_diags d;
    sd_source src;
    xmlDocPtr doc;
} parsed;

static parsed parse_mode(const char *bytes, size_t len, int positions);

static parsed parse_n(const char *bytes, size_t len)
{
    return parse_mode(bytes, len, 1);
}

static parsed parse_mode(const char *bytes, size_t len, int positions)
{
    parsed p;
    memset(&p, 0, sizeof p);
    sd_diags_init(&p.d);
    p.src.path = strdup("t.xml");
    p.src.bytes = malloc(len + 1);
    memcpy(p.src.bytes, bytes, len);
    p.src.bytes[len] = '\0';
    p.src.len = len;
    sd_load_options o = {.positions = positions};
    sd_error err = {0};
    assert_int_equal(sd_load_parse(&p.src, &o, &p.doc, &p.d, &err), SD_OK);
    assert_non_null(p.doc);
    return p;
}

static parsed parse(const char *s)
{
    return parse_n(s, strlen(s));
}

static void done(parsed *p)
{
    sd_load_doc_free(p->doc);
    sd_diags_free(&p->d);
    sd_source_free(&p->src);
}

/* The n-th element (1-based, document order) named name. */
static xmlNodePtr nth(xmlNodePtr n, const char *name, int *k)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 && --*k == 0)
            return n;
        xmlNodePtr below = nth(n->children, name, k);
        if (below)
            return below;
    }
    return NULL;
}

static xmlNodePtr el(parsed *p, const char *name, int k)
{
    xmlNodePtr n = nth(p->doc->children, name, &k);
    assert_non_null(n);
    return n;
}

static void expect(const xmlNode *n, long line, long col, long end_line, long end_col)
{
    sd_pos pos;
    assert_int_equal(sd_pos_of(n, &pos), 1);
    assert_int_equal(pos.line, line);
    assert_int_equal(pos.col, col);
    assert_int_equal(pos.end_line, end_line);
    assert_int_equal(pos.end_col, end_col);
}

static void test_prefix_names_and_several_per_line(void **state)
{
    (void)state;
    parsed p = parse("<r><ab/><a/><ab x='1'/><a/></r>");
    expect(el(&p, "a", 1), 1, 9, 1, 13);
    expect(el(&p, "a", 2), 1, 24, 1, 28);
    expect(el(&p, "ab", 2), 1, 13, 1, 24);
    sd_pos pos;
    sd_pos_of(el(&p, "a", 2), &pos);
    assert_int_equal(pos.offset, 23);
    done(&p);
}

static void test_namespace_uri_with_slash(void **state)
{
    (void)state;
    parsed p = parse("<p:r xmlns:p='http://x/y/unit'>\n  <p:unit/> <p:unit\n a='1'/></p:r>");
    expect(el(&p, "unit", 1), 2, 3, 2, 12);
    expect(el(&p, "unit", 2), 2, 13, 3, 9);
    expect((xmlNodePtr)el(&p, "unit", 2)->properties, 3, 2, 3, 7);
    done(&p);
}

static void test_cjk_columns_are_characters(void **state)
{
    (void)state;
    parsed p = parse("<根><单位 名称=\"综合处\" 编制=\"5\"/><单位/></根>");
    expect(el(&p, "单位", 1), 1, 4, 1, 25);
    xmlAttrPtr a = el(&p, "单位", 1)->properties;
    expect((xmlNodePtr)a, 1, 8, 1, 16);
    expect((xmlNodePtr)a->next, 1, 17, 1, 23);
    expect(el(&p, "单位", 2), 1, 25, 1, 30);
    sd_pos pos;
    sd_pos_of(el(&p, "单位", 2), &pos);
    assert_int_equal(pos.offset, strlen("<根><单位 名称=\"综合处\" 编制=\"5\"/>"));
    done(&p);
}

static void test_gt_inside_attribute_value(void **state)
{
    (void)state;
    parsed p = parse("<r><a t='x>y' u=\"&gt;\"/><b/></r>");
    expect(el(&p, "a", 1), 1, 4, 1, 25);
    expect((xmlNodePtr)el(&p, "a", 1)->properties->next, 1, 15, 1, 23);
    expect(el(&p, "b", 1), 1, 25, 1, 29);
    done(&p);
}

static void test_lines_above_65535_without_neighbouring_text(void **state)
{
    (void)state;
    /* <r><!--70000 line breaks--><a/><b/></r>: no text beside <a>, so
     * libxml2's 16-bit element line cannot help. */
    size_t n = 70000;
    char *s = malloc(n + 64);
    size_t len = (size_t)snprintf(s, 64, "<r><!--");
    memset(s + len, '\n', n);
    len += n;
    len += (size_t)snprintf(s + len, 64, "--><a/><b/></r>");
    parsed p = parse_n(s, len);
    expect(el(&p, "a", 1), 70001, 4, 70001, 8);
    expect(el(&p, "b", 1), 70001, 8, 70001, 12);
    free(s);
    done(&p);
}

static void test_crlf_bom_and_tabs(void **state)
{
    (void)state;
    parsed p = parse("\xEF\xBB\xBF<r>\r\n\t<a\r\n\tx='1'/>\r\n</r>\r\n");
    expect(el(&p, "r", 1), 1, 1, 1, 4);
    expect(el(&p, "a", 1), 2, 2, 3, 9);
    expect((xmlNodePtr)el(&p, "a", 1)->properties, 3, 2, 3, 7);
    done(&p);
}

static void test_text_nodes_and_fallbacks(void **state)
{
    (void)state;
    parsed p = parse("<r>one<a/>&#x4e00;two<!--c-->three<?pi x?>four</r>");
    xmlNodePtr t = el(&p, "r", 1)->children; /* "one" */
    sd_pos pos;
    assert_int_equal(sd_pos_of(t, &pos), 1);
    assert_int_equal(pos.col, 4);
    t = el(&p, "a", 1)->next; /* "一two", starts with a character reference */
    assert_int_equal(sd_pos_of(t, &pos), 1);
    assert_int_equal(pos.col, 11);
    t = t->next->next; /* "three" after the comment */
    assert_int_equal(sd_pos_of(t, &pos), 1);
    assert_int_equal(pos.col, 30);
    /* a comment has no record of its own: its element's position */
    assert_int_equal(sd_pos_of(t->prev, &pos), 1);
    assert_int_equal(pos.col, 1);
    /* a namespace-less document node and NULL give nothing */
    assert_int_equal(sd_pos_of((xmlNodePtr)p.doc, &pos), 0);
    assert_int_equal(sd_pos_of(NULL, &pos), 0);
    done(&p);
}

static void test_tree_without_positions_gives_libxml2_line(void **state)
{
    (void)state;
    xmlDocPtr doc = xmlReadMemory("<r>\n<a/></r>", 12, "x.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    sd_pos pos;
    assert_int_equal(sd_pos_of(xmlDocGetRootElement(doc)->children->next, &pos), 0);
    assert_int_equal(pos.line, 2);
    assert_int_equal(pos.col, 0);
    sd_pos_doc_free(doc);
}

static void test_broken_document_leaves_nothing_behind(void **state)
{
    (void)state;
    sd_diags d;
    sd_diags_init(&d);
    const char *s = "<r><a x='1'><b/></r>";
    sd_source src = {.path = strdup("t.xml"), .bytes = (unsigned char *)strdup(s), .len = strlen(s)};
    sd_load_options o = {.positions = 1};
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &o, &doc, &d, &err), SD_OK);
    assert_null(doc);
    assert_true(d.count >= 1);
    sd_diags_free(&d);
    sd_source_free(&src);
}

/* Processing instructions have their own place (the <?sdlint ...?>
 * suppressions report at it), in the prolog after the XML declaration too,
 * and however they are surrounded. */
static void test_processing_instructions(void **state)
{
    (void)state;
    parsed p = parse("<?xml version=\"1.0\"?>\n<?sdlint disable-file SD1 -- a <?x?>\n"
                     "<r>\n  <?sdlint disable SD2 -- 批准?><a/>\n  text<?p?></r>\n");
    xmlNodePtr pi1 = p.doc->children;
    assert_int_equal(pi1->type, XML_PI_NODE);
    expect(pi1, 2, 1, 2, 37);
    xmlNodePtr r = el(&p, "r", 1), pi2 = r->children->next;
    assert_int_equal(pi2->type, XML_PI_NODE);
    expect(pi2, 4, 3, 4, 31);
    expect(el(&p, "a", 1), 4, 31, 4, 35);
    xmlNodePtr pi3 = r->last;
    assert_int_equal(pi3->type, XML_PI_NODE);
    expect(pi3, 5, 7, 5, 12);
    /* counted, for check.c to skip the search for directives */
    assert_int_equal(sd_pos_doc_pi_count(p.doc), 3);
    done(&p);
    p = parse("<r><!-- <?sdlint disable SD1?> --><a x='&lt;?sdlint'/></r>");
    assert_int_equal(sd_pos_doc_pi_count(p.doc), 0);
    done(&p);
    assert_int_equal(sd_pos_doc_pi_count(NULL), -1);
}

/* The parse numbers every element in document order exactly as
 * xmlXPathOrderDocElems would (so the engine skips that walk); a tree parsed
 * without positions is not said to be numbered. */
static void collect_elements(xmlNodePtr n, xmlNodePtr *out, size_t *k, size_t max)
{
    for (; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE && *k < max) {
            out[(*k)++] = n;
            collect_elements(n->children, out, k, max);
        }
}

static void test_elements_numbered_in_document_order(void **state)
{
    (void)state;
    parsed p = parse("<?xml version='1.0'?>\n<!--c--><r xmlns:q='urn:q'><a><b/>t<c>u<d/></c></a>"
                     "<?pi x?><q:e/><a/>\n<f g='1'><h/></f></r>");
    assert_int_equal(sd_pos_doc_ordered(p.doc), 1);
    xmlNodePtr els[32];
    size_t n = 0;
    collect_elements(p.doc->children, els, &n, 32);
    assert_int_equal(n, 9);
    ptrdiff_t got[32];
    for (size_t i = 0; i < n; i++)
        got[i] = (ptrdiff_t)els[i]->content;
    xmlXPathOrderDocElems(p.doc);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i], -(ptrdiff_t)(i + 1));
        assert_int_equal(got[i], (ptrdiff_t)els[i]->content);
    }
    done(&p);
    xmlDocPtr d = xmlReadMemory("<r/>", 4, "r.xml", NULL, 0);
    assert_int_equal(sd_pos_doc_ordered(d), 0);
    xmlFreeDoc(d);
}

/* Line and column (characters) of byte off, the slow way. */
static void brute(const unsigned char *b, size_t off, long *line, long *col)
{
    size_t i = (off >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    *line = 1;
    *col = 1;
    for (; i < off; i++) {
        if (b[i] == '\n') {
            ++*line;
            *col = 1;
        } else if ((b[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* Every element's and attribute's start and end, checked against a count
 * from the start of the text: the line index (64-byte blocks with bit masks)
 * at every place in a block and across blocks — characters of 1 to 4 bytes
 * cut by block boundaries, lines longer than a block, CR LF, tabs, a BOM. */
static void test_index_agrees_with_counting(void **state)
{
    (void)state;
    static const char *const words[] = {"x", "单位", "\t", "\r\n", "\n", "ab cd", "😀", "é",
                                        "\n\n", "                                                 "};
    char *s = malloc(400000);
    assert_non_null(s);
    size_t len = 0;
    for (int bom = 0; bom < 2; bom++) {
        len = 0;
        if (bom)
            len += (size_t)sprintf(s, "\xEF\xBB\xBF");
        len += (size_t)sprintf(s + len, "<r>");
        unsigned seed = 7;
        for (int i = 0; i < 3000; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *w = words[(seed >> 16) % 10];
            const char *v = words[(seed >> 8) % 10];
            if ((seed >> 4) % 3 == 0)
                len += (size_t)sprintf(s + len, "<e%d a=\"%s\"%sb='%d'/>%s", i, v,
                                       (seed >> 20) % 2 ? "\n " : " ", i, w);
            else
                len += (size_t)sprintf(s + len, "<e%d>%s</e%d>%s", i, w, i, v);
        }
        len += (size_t)sprintf(s + len, "</r>");
        parsed p = parse_n(s, len);
        size_t checked = 0;
        for (xmlNodePtr e = el(&p, "r", 1)->children; e != NULL; e = e->next) {
            if (e->type != XML_ELEMENT_NODE)
                continue;
            sd_pos pos;
            assert_int_equal(sd_pos_of(e, &pos), 1);
            assert_int_equal(p.src.bytes[pos.offset], '<');
            long line, col;
            brute(p.src.bytes, pos.offset, &line, &col);
            assert_int_equal(pos.line, line);
            assert_int_equal(pos.col, col);
            const unsigned char *gt = memchr(p.src.bytes + pos.offset, '>', len - pos.offset);
            assert_non_null(gt);
            brute(p.src.bytes, (size_t)(gt - p.src.bytes) + 1, &line, &col);
            assert_int_equal(pos.end_line, line);
            assert_int_equal(pos.end_col, col);
            for (xmlAttrPtr a = e->properties; a != NULL; a = a->next) {
                sd_pos ap;
                assert_int_equal(sd_pos_of((xmlNodePtr)a, &ap), 1);
                assert_int_equal(p.src.bytes[ap.offset], a->name[0]);
                brute(p.src.bytes, ap.offset, &line, &col);
                assert_int_equal(ap.line, line);
                assert_int_equal(ap.col, col);
            }
            checked++;
        }
        assert_int_equal(checked, 3000);
        done(&p);
    }
    free(s);
}

/* A checked document (parsed with positions) keeps texts and attribute
 * values under 16 bytes inside their nodes, not in an allocation each; the
 * positions and string values are the same. */
static void test_short_texts_live_in_their_nodes(void **state)
{
    (void)state;
    parsed p = parse("<r><a v='594'>机构</a><a v='a value longer than sixteen bytes'/></r>");
    xmlNodePtr a = el(&p, "a", 1);
    xmlNodePtr t = a->children;
    assert_ptr_equal(t->content, (xmlChar *)&t->properties);
    assert_string_equal((const char *)t->content, "机构");
    xmlNodePtr v = a->properties->children;
    assert_ptr_equal(v->content, (xmlChar *)&v->properties);
    xmlChar *s = xmlGetProp(a, (const xmlChar *)"v");
    assert_string_equal((const char *)s, "594");
    xmlFree(s);
    expect(t, 1, 15, 1, 15);
    expect((xmlNodePtr)a->properties, 1, 7, 1, 14);
    xmlNodePtr longer = el(&p, "a", 2)->properties->children;
    assert_ptr_not_equal(longer->content, (xmlChar *)&longer->properties);
    done(&p);
}

/* From the root on, an attribute value libxml2 copied (a non-ASCII
 * character, a reference) becomes its one text node directly: a short one
 * lives in its node like any other; references give the same characters
 * and still one text node; the root's own attributes (read before) too. */
static void test_copied_attribute_values_are_one_text_node(void **state)
{
    (void)state;
    parsed p = parse("<r k='根&amp;'><a v='财政局' w='a&amp;b&#38;c&lt;&#x4E2D;&gt;' x=''/></r>");
    xmlNodePtr r = el(&p, "r", 1), a = el(&p, "a", 1);
    xmlAttrPtr v = a->properties, w = v->next;
    assert_ptr_equal(v->children->content, (xmlChar *)&v->children->properties);
    const struct {
        xmlAttrPtr at;
        const char *value;
    } want[] = {{r->properties, "根&"}, {v, "财政局"}, {w, "a&b&c<中>"}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        xmlNodePtr t = want[i].at->children;
        assert_non_null(t);
        assert_int_equal(t->type, XML_TEXT_NODE);
        assert_null(t->next);
        assert_ptr_equal(want[i].at->last, t);
        assert_ptr_equal(t->parent, (xmlNodePtr)want[i].at);
        assert_string_equal((const char *)t->content, want[i].value);
    }
    xmlChar *s = xmlGetProp(a, (const xmlChar *)"x");
    assert_string_equal((const char *)s, "");
    xmlFree(s);
    expect((xmlNodePtr)w, 1, 26, 1, 59);
    done(&p);
}

/* Lines indexed on the first lookup (SD_LOAD_POSITIONS_LAZY, the bytes kept
 * by the caller) give every node the position the index made at the end of
 * the parse gives it: CR LF, a BOM, CJK, several lines, a long one. */
static void test_lazy_index_agrees(void **state)
{
    (void)state;
    sd_buf text;
    sd_buf_init(&text);
    sd_buf_puts(&text, "\xEF\xBB\xBF<r a='1'>\r\n <x b=\"机构\">中文</x>\n");
    for (int i = 0; i < 300; i++)
        sd_buf_printf(&text, "<y n='%d'>%s</y>%s", i, i % 7 ? "t" : "长的文本长的文本长的文本", i % 5 ? "" : "\n");
    sd_buf_puts(&text, "<?pi x?></r>\n");
    parsed eager = parse_mode(text.data, text.len, 1);
    parsed lazy = parse_mode(text.data, text.len, SD_LOAD_POSITIONS_LAZY);
    xmlNodePtr e = xmlDocGetRootElement(eager.doc), l = xmlDocGetRootElement(lazy.doc);
    size_t n = 0;
    while (e != NULL && l != NULL) {
        for (xmlAttrPtr ea = e->type == XML_ELEMENT_NODE ? e->properties : NULL,
                        la = l->type == XML_ELEMENT_NODE ? l->properties : NULL;
             ea && la; ea = ea->next, la = la->next) {
            sd_pos pe, pl;
            assert_int_equal(sd_pos_of((xmlNodePtr)ea, &pe), sd_pos_of((xmlNodePtr)la, &pl));
            assert_memory_equal(&pe, &pl, sizeof pe);
        }
        sd_pos pe, pl;
        assert_int_equal(sd_pos_of(e, &pe), 1);
        assert_int_equal(sd_pos_of(l, &pl), 1);
        assert_memory_equal(&pe, &pl, sizeof pe);
        n++;
        /* document order */
        if (e->children && l->children) {
            e = e->children;
            l = l->children;
            continue;
        }
        while (e && !e->next) {
            e = e->parent;
            l = l->parent;
            if (e && e->type == XML_DOCUMENT_NODE)
                e = l = NULL;
        }
        if (e) {
            e = e->next;
            l = l->next;
        }
    }
    assert_true(n > 600);
    done(&eager);
    done(&lazy);
    sd_buf_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_names_and_several_per_line),
        cmocka_unit_test(test_index_agrees_with_counting),
        cmocka_unit_test(test_short_texts_live_in_their_nodes),
        cmocka_unit_test(test_copied_attribute_values_are_one_text_node),
        cmocka_unit_test(test_lazy_index_agrees),
        cmocka_unit_test(test_namespace_uri_with_slash),
        cmocka_unit_test(test_cjk_columns_are_characters),
        cmocka_unit_test(test_gt_inside_attribute_value),
        cmocka_unit_test(test_lines_above_65535_without_neighbouring_text),
        cmocka_unit_test(test_crlf_bom_and_tabs),
        cmocka_unit_test(test_text_nodes_and_fallbacks),
        cmocka_unit_test(test_tree_without_positions_gives_libxml2_line),
        cmocka_unit_test(test_broken_document_leaves_nothing_behind),
        cmocka_unit_test(test_processing_instructions),
        cmocka_unit_test(test_elements_numbered_in_document_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
