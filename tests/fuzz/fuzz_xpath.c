/*
 * fuzz_xpath.c — libFuzzer target for the native XPath evaluator
 * (src/sch/xpn.c): the input is one XPath expression, byte 0 choosing the
 * document, the rule context and SVRL.  The harness writes it into a small
 * rule pack, as a rule let, a report test, a value-of of itself and of the
 * let, and the predicate of a rule context (any child of /r, selected by
 * xpn.c), next to variables of every type (string, number, -0, NaN,
 * -Infinity, booleans, node-sets, an empty one, a union of nested nodes, one
 * of text, comment and PI nodes among elements, attributes, a text-only let
 * and an sdl:param), and runs it with sd_sch_run.
 *
 * The fuzz library is built with -DSCH_XPN_CHECK (fuzz.mk), so eval.c
 * evaluates every native result with libxml2 too and aborts on a difference:
 * a crash here is a divergence between xpn.c and libxml2 2.9 (the stderr line
 * "SCH_XPN_CHECK: ..." names it), or any ordinary bug.  An expression that
 * does not compile (or does not fit in an attribute) is skipped; one that
 * libxml2 refuses at run time fails the run, which is fine.
 *
 * Documents: namespaces (a prefixed one and a default one), mixed content
 * with comments, PIs and CDATA, attributes with blanks, numbers such as
 * ' 3 ', '1e3', '-0', 'NaN', Chinese text, empty and nested elements.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "sch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The library never prints: a message on libxml2's generic error channel
 * is a bug, so it stops the fuzzer. */
static void on_print(void *ctx, const char *msg, ...)
{
    (void)ctx;
    fprintf(stderr, "sdlint fuzz: libxml2 printed on its generic error channel: %s\n", msg);
    abort();
}

static const char *const DOCS[] = {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<r xmlns:q=\"urn:example:q\" code=\"x\" n=\" 3 \" e=\"\" w=\"  a  b  \">\n"
    "  <a n=\"1\" m=\"一\">x</a>\n"
    "  <a n=\"2\" m=\"二\">2</a>\n"
    "  <a n=\" 3 \" m=\"\">  two words\n    here </a>\n"
    "  <a n=\"1e3\" m=\"-0\">-0</a>\n"
    "  <a n=\"-0\" m=\" -1.5 \">1.</a>\n"
    "  <b n=\"2\">2</b>\n"
    "  <b n=\"NaN\">x</b>\n"
    "  <b n=\"Infinity\">.5</b>\n"
    "  <b n=\"-.5\" m=\"+1\">0.5</b>\n"
    "  <mixed>a<!-- c --><i>b</i><![CDATA[c]]>d<?pi e?></mixed>\n"
    "  <empty/>\n"
    "  <empty n=\"\"></empty>\n"
    "  <q:a n=\"9\" q:n=\"10\">ns</q:a>\n"
    "  <d xmlns=\"urn:example:default\"><a n=\"5\">in the default namespace</a></d>\n"
    "  <dates><d v=\"2024-02-29\"/><d v=\"2023-02-29\"/><d v=\"二〇二四年十二月三十一日\"/>"
    "<d v=\" 2024-01-01 \"/></dates>\n"
    "  <t>沈阳市水务局</t>\n"
    "  <t>  沈阳市  水务局 </t>\n"
    "  <nested><a n=\"7\"><a n=\"8\"><b>deep</b></a></a><b n=\"9\"/></nested>\n"
    "  <num>12</num><num> 3 </num><num>1e3</num><num>-0</num><num>0.1</num><num/>"
    "<num>2147483648</num>\n"
    "</r>\n",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- a comment before the root -->\n"
    "<r xmlns:q=\"urn:example:q\"><a n=\"1\" m=\"x\"><b n=\"2\"><a n=\"3\"/></b></a>"
    "<b n=\"4\">4</b><a n=\"  5  \"><!--x-->5<?p?></a><q:b q:n=\"6\" n=\"7\"/>"
    "<t xml:space=\"preserve\">\n\ttab\t</t><num>-1</num><num>1.0000000000000002</num>"
    "<num>0.30000000000000004</num><empty/></r>\n",
};
#define NDOCS (sizeof DOCS / sizeof DOCS[0])

static const char *const CONTEXTS[] = {"/r",     "/r/a",   "/r/dates/d", "/r/mixed",
                                       "/r/a/@n", "/r/nested/a", "/r/num", "/"};
#define NCONTEXTS (sizeof CONTEXTS / sizeof CONTEXTS[0])

static const char HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sch:schema xmlns:sch=\"http://purl.oclc.org/dsdl/schematron\" "
    "xmlns:sdl=\"urn:sdlint:functions\" queryBinding=\"xslt\" xml:lang=\"en\">\n"
    "<sch:ns prefix=\"q\" uri=\"urn:example:q\"/><sch:ns prefix=\"sdl\" uri=\"urn:sdlint:functions\"/>\n"
    "<sdl:param name=\"p\" type=\"number\" default=\"2.5\"><sch:title>p</sch:title></sdl:param>\n"
    "<sdl:param name=\"ps\" type=\"text\" default=\" a b \"><sch:title>ps</sch:title></sdl:param>\n"
    "<sch:let name=\"s\" value=\"'  a  b '\"/><sch:let name=\"n\" value=\"2.5\"/>"
    "<sch:let name=\"z\" value=\"-0\"/><sch:let name=\"nan\" value=\"0 div 0\"/>"
    "<sch:let name=\"inf\" value=\"-1 div 0\"/><sch:let name=\"bt\" value=\"true()\"/>"
    "<sch:let name=\"bf\" value=\"1 = 0\"/><sch:let name=\"ns\" value=\"/r/*\"/>"
    "<sch:let name=\"e\" value=\"/r/none\"/>"
    "<sch:let name=\"u\" value=\"/r/nested/a | /r/nested//a | /r/b | /r/a/@n\"/>"
    "<sch:let name=\"mix\" value=\"/r/dates/d | /r/text() | /r/mixed/node() | /r/comment()\"/>"
    "<sch:let name=\"att\" value=\"/r/a/@*\"/><sch:let name=\"p\" value=\"string(sdl:param('p'))\"/>"
    "<sch:let name=\"g\" value=\"-0\"/><sch:let name=\"txt\"> text  only </sch:let>\n";

/* The expression as an attribute value; 0 when it cannot be one. */
static int put_attr(char *out, size_t cap, size_t *at, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        char one[2] = {(char)s[i], 0};
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '"': rep = "&quot;"; break;
        case '\t': rep = "&#9;"; break;
        case '\n': rep = "&#10;"; break;
        case '\r': rep = "&#13;"; break;
        default:
            if (s[i] < 0x20 || s[i] == 0x7F)
                return 0; /* not a character of XML 1.0 */
            rep = one;
        }
        size_t k = strlen(rep);
        if (*at + k >= cap)
            return 0;
        memcpy(out + *at, rep, k);
        *at += k;
    }
    out[*at] = '\0';
    return 1;
}

static int put(char *out, size_t cap, size_t *at, const char *s)
{
    size_t k = strlen(s);
    if (*at + k >= cap)
        return 0;
    memcpy(out + *at, s, k + 1);
    *at += k;
    return 1;
}

static xmlDocPtr docs[NDOCS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (docs[0] == NULL) {
        xmlInitParser();
        xmlSetGenericErrorFunc(NULL, on_print);
        for (size_t i = 0; i < NDOCS; i++) {
            docs[i] = xmlReadMemory(DOCS[i], (int)strlen(DOCS[i]), "doc.xml", NULL,
                                    XML_PARSE_NONET | XML_PARSE_BIG_LINES);
            if (docs[i] == NULL)
                abort();
        }
    }
    if (size < 2 || size > 4096)
        return 0;
    unsigned char sel = data[0];
    const uint8_t *x = data + 1;
    size_t n = size - 1;
    char attr[4096 * 6 + 1];
    size_t al = 0;
    if (!put_attr(attr, sizeof attr, &al, x, n))
        return 0;
    size_t cap = sizeof HEAD + 4 * al + 1024;
    char *pack = malloc(cap);
    if (pack == NULL)
        return 0;
    size_t at = 0;
    int ok = put(pack, cap, &at, HEAD) &&
             put(pack, cap, &at, "<sch:pattern><sch:rule context=\"") &&
             put(pack, cap, &at, CONTEXTS[(sel >> 1) % NCONTEXTS]) &&
             put(pack, cap, &at, "\"><sch:let name=\"me\" value=\".\"/><sch:let name=\"x\" value=\"") &&
             put(pack, cap, &at, attr) && put(pack, cap, &at, "\"/><sch:report id=\"R\" test=\"") &&
             put(pack, cap, &at, attr) && put(pack, cap, &at, "\">[<sch:value-of select=\"") &&
             put(pack, cap, &at, attr) &&
             put(pack, cap, &at, "\"/>|<sch:value-of select=\"$x\"/>]</sch:report></sch:rule></sch:pattern>\n");
    if (ok && strstr((const char *)attr, "$me") == NULL) /* a rule let: not seen by a context */
        ok = put(pack, cap, &at, "<sch:pattern><sch:rule context=\"/r/*[") &&
             put(pack, cap, &at, attr) &&
             put(pack, cap, &at, "]\"><sch:report id=\"C\" test=\"true()\">c</sch:report></sch:rule>"
                                 "</sch:pattern>\n");
    ok = ok && put(pack, cap, &at, "</sch:schema>\n");
    if (!ok) {
        free(pack);
        return 0;
    }
    sd_sch_options opt = {.lang = "en"};
    sd_sch_pack *p = NULL;
    sd_error err = {0};
    if (sd_sch_compile_memory(pack, at, "/nonexistent-sdlint-fuzz/xpath.sch", &opt, &p, &err) ==
        SD_OK) {
        sd_diags d;
        sd_diags_init(&d);
        sd_svrl *svrl = NULL;
        (void)sd_sch_run(p, docs[sel % NDOCS], "doc.xml", &d, (sel & 0x80) ? &svrl : NULL, &err);
        sd_svrl_free(svrl);
        sd_diags_free(&d);
        sd_sch_free(p);
    }
    free(pack);
    return 0;
}
