/*
 * fuzz_pack.c — libFuzzer target: the input is a Schematron rule pack.  It is
 * compiled (parse, include/extends, abstract patterns, let scoping, every XPath
 * and literal regex), its rule and parameter documentation is read, and when it
 * compiles it runs on a small fixed 三定 document with the SVRL report built.
 *
 * Relative includes resolve against a folder that does not exist, so a pack
 * can only reach files by absolute path.
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
 * (which goes to stderr) is a bug, so it stops the fuzzer. */
static void on_print(void *ctx, const char *msg, ...)
{
    (void)ctx;
    fprintf(stderr, "sdlint fuzz: libxml2 printed on its generic error channel: %s\n", msg);
    abort();
}

static const char DOC[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sanding xmlns=\"urn:sdlint:schema:1\" version=\"1.0\">\n"
    "  <meta><title>沈阳市水务局职能配置、内设机构和人员编制规定</title>\n"
    "    <docNumber>沈委办发〔2019〕12号</docNumber><issued>2019-03-01</issued></meta>\n"
    "  <jurisdiction tier=\"sub-provincial\" code=\"210100\">沈阳市</jurisdiction>\n"
    "  <agency name=\"沈阳市水务局\" kind=\"government-department\" rank=\"正局级\"/>\n"
    "  <internalUnits>\n"
    "    <unit id=\"u1\" name=\"办公室\" category=\"comprehensive\" posts=\"6\"><head>1</head></unit>\n"
    "    <unit id=\"u2\" name=\"水资源管理处\" category=\"business\" posts=\"3\"/>\n"
    "  </internalUnits>\n"
    "  <staffing total=\"9\" leaders=\"4\"/>\n"
    "</sanding>\n";

static xmlDocPtr doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (doc == NULL) {
        xmlInitParser();
        xmlSetGenericErrorFunc(NULL, on_print);
        doc = xmlReadMemory(DOC, (int)strlen(DOC), "doc.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_BIG_LINES);
        if (doc == NULL)
            return 0;
    }
    if (size > (1 << 20))
        return 0;
    /* One byte of the input chooses the language and whether a phase is forced. */
    unsigned char sel = size ? data[0] : 0;
    sd_sch_options opt = {.lang = (sel & 1) ? "en" : "zh",
                          .phase = (sel & 2) ? "#ALL" : NULL,
                          .tier = (sel & 4) ? "county" : NULL};
    sd_sch_pack *pack = NULL;
    sd_error err = {0};
    if (sd_sch_compile_memory((const char *)data, size, "/nonexistent-sdlint-fuzz/pack.sch", &opt,
                              &pack, &err) != SD_OK)
        return 0;
    for (size_t i = 0; i < sd_sch_rule_count(pack); i++)
        (void)sd_sch_rule_at(pack, i);
    for (size_t i = 0; i < sd_sch_param_count(pack); i++) {
        const sd_sch_param_info *pi = sd_sch_param_at(pack, i);
        (void)sd_sch_param_value(pack, pi->name, "county");
    }
    sd_diags d;
    sd_diags_init(&d);
    sd_svrl *svrl = NULL;
    (void)sd_sch_run(pack, doc, "doc.xml", &d, (sel & 8) ? &svrl : NULL, &err);
    sd_svrl_free(svrl);
    sd_diags_free(&d);
    sd_sch_free(pack);
    return 0;
}
