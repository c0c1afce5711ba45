/*
 * fuzz_document.c — libFuzzer target: one input document through the whole
 * pipeline (safe load, kind, XSD validation, the built-in rule packs) and then
 * through the text and JSON formatters, which quote source lines.
 *
 * The checker (schemas and packs compiled) is built once, as the command does.
 * Build: make fuzz (clang) or the replay driver (replay.c, any compiler).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxml/parser.h>

#include "buf.h"
#include "check.h"
#include "out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The library never prints: a message on libxml2's generic error channel
 * (which goes to stderr) is a bug, so it stops the fuzzer. */
static void on_print(void *ctx, const char *msg, ...)
{
    (void)ctx;
    fprintf(stderr, "sdlint fuzz: libxml2 printed on its generic error channel: %s\n", msg);
    abort();
}

static sd_checker *checker;
static sd_checker *checker_en;

static sd_checker *make_checker(sd_lang lang)
{
    sd_checker_options opt = {.lang = lang, .max_bytes = 1 << 20};
    sd_error err = {0};
    sd_checker *c = NULL;
    if (sd_checker_new(&opt, &c, &err) != SD_OK)
        abort(); /* the built-in packs always compile */
    return c;
}

static void render(const sd_result *r, sd_lang lang)
{
    const sd_formatter *fmts[] = {&sd_out_text, &sd_out_json};
    for (size_t i = 0; i < 2; i++) {
        sd_out_options oo = {.lang = lang, .color = (int)i == 0, .min_severity = SD_SEV_INFO,
                             .summary = 1, .version = "fuzz"};
        sd_summary sum = {0};
        sd_buf b;
        sd_buf_init(&b);
        fmts[i]->begin(&b, &oo);
        fmts[i]->file(&b, r, 0, &oo);
        sd_summary_add(&sum, r, oo.min_severity);
        fmts[i]->end(&b, &sum, &oo);
        sd_buf_free(&b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (checker == NULL) {
        xmlInitParser();
        xmlSetGenericErrorFunc(NULL, on_print);
        checker = make_checker(SD_LANG_ZH);
        checker_en = make_checker(SD_LANG_EN);
    }
    /* The last byte picks the language, so both message sets are exercised. */
    const sd_checker *c = (size > 0 && (data[size - 1] & 1)) ? checker_en : checker;
    sd_result res;
    sd_error err = {0};
    if (sd_checker_check_memory(c, "fuzz.xml", (const char *)data, size, &res, &err) == SD_OK)
        render(&res, c == checker_en ? SD_LANG_EN : SD_LANG_ZH);
    sd_result_free(&res);
    return 0;
}
