/*
 * fuzz_docx.c — libFuzzer target: sd_docx_read on hostile input, then the
 * write/read round trip on whatever it read.
 *
 * Two input forms, so the fuzzer reaches both the zip layer and the
 * WordprocessingML walker (a mutated zip rarely gets past its CRC):
 *   - input starting with '<': parts separated by NUL bytes, in the order
 *     word/document.xml, word/numbering.xml, word/styles.xml, stored in a zip
 *     made here with src/zip.h;
 *   - anything else: the bytes are the .docx.
 * Properties: reading never crashes, leaks or prints; what it reads always
 * writes; reading that back gives the same number of paragraphs with the same
 * styles; and a second write/read changes nothing (the writer's
 * normalisation, \r to \n and dropped controls, is idempotent).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "docx.h"
#include "zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_print(void *ctx, const char *msg, ...)
{
    (void)ctx;
    fprintf(stderr, "sdlint fuzz: libxml2 printed on its generic error channel: %s\n", msg);
    abort();
}

/* A stored zip of the NUL-separated parts (src/zip.h's writer); NULL on failure. */
static unsigned char *zip_parts(const uint8_t *data, size_t size, size_t *len)
{
    static const char *const names[] = {"word/document.xml", "word/numbering.xml",
                                        "word/styles.xml"};
    sd_zip_writer w;
    sd_zip_writer_init(&w);
    sd_error err = {0};
    size_t start = 0;
    for (int i = 0; i < 3 && start <= size; i++) {
        const uint8_t *z = memchr(data + start, 0, size - start);
        size_t end = z ? (size_t)(z - data) : size;
        if (sd_zip_writer_add(&w, names[i], data + start, end - start, 0, &err) != SD_OK)
            break;
        start = end + 1;
        if (z == NULL)
            break;
    }
    unsigned char *out = NULL;
    if (sd_zip_writer_finish(&w, &out, len, &err) != SD_OK)
        out = NULL;
    sd_zip_writer_free(&w);
    return out;
}

static void same_shape(const sd_docx_doc *a, const sd_docx_doc *b)
{
    if (a->count != b->count)
        abort();
    for (size_t i = 0; i < a->count; i++)
        if (a->items[i].style != b->items[i].style)
            abort();
}

static void write_read(const sd_docx_doc *in, sd_docx_doc *out)
{
    unsigned char *z = NULL;
    size_t n = 0;
    sd_error err = {0};
    if (sd_docx_write(in, &z, &n, &err) != SD_OK) {
        fprintf(stderr, "fuzz_docx: a read document does not write: %s\n", err.msg);
        abort();
    }
    if (sd_docx_read(z, n, out, &err) != SD_OK) {
        fprintf(stderr, "fuzz_docx: a written document does not read: %s\n", err.msg);
        abort();
    }
    free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        xmlInitParser();
        xmlSetGenericErrorFunc(NULL, on_print);
        init = 1;
    }
    unsigned char *made = NULL;
    size_t len = size;
    const unsigned char *bytes = data;
    if (size > 0 && data[0] == '<') {
        made = zip_parts(data, size, &len);
        if (made == NULL)
            return 0;
        bytes = made;
    }
    sd_docx_doc d1, d2, d3;
    sd_error err = {0};
    if (sd_docx_read(bytes, len, &d1, &err) == SD_OK) {
        write_read(&d1, &d2);
        same_shape(&d1, &d2);
        write_read(&d2, &d3);
        same_shape(&d2, &d3);
        for (size_t i = 0; i < d2.count; i++)
            if (strcmp(d2.items[i].text, d3.items[i].text) != 0)
                abort();
        sd_docx_doc_free(&d2);
        sd_docx_doc_free(&d3);
    }
    sd_docx_doc_free(&d1);
    free(made);
    return 0;
}
