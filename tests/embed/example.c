/*
 * example.c — a program that embeds the sdlint library the way a host
 * application would: it calls setlocale(LC_ALL, "") (run.sh runs it under
 * de_DE.UTF-8, whose decimal point is a comma), initialises the library from
 * two threads at once, builds a checker with the built-in packs (whose number
 * parameters, such as max-comprehensive-share 0.30, must load whatever the
 * locale), checks files passed as bytes, and prints the text report.  run.sh
 * compares that report with the sdlint binary's under LC_ALL=C.
 *
 * It includes only the public header and is compiled without libxml2's
 * include path, so a libxml2 header in the public set breaks its build.
 *
 * Usage: example [--param NAME=VALUE] FILE...
 *        example --engine PACK.sch     (compile the pack with the engine alone)
 */
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdlint.h"

static void *init_thread(void *arg)
{
    (void)arg;
    sd_init();
    return NULL;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (nb == NULL) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

int main(int argc, char **argv)
{
    if (setlocale(LC_ALL, "") == NULL) {
        fprintf(stderr, "example: setlocale(LC_ALL, \"\") failed\n");
        return 3;
    }
    if (strcmp(localeconv()->decimal_point, ",") != 0) {
        fprintf(stderr, "example: the locale's decimal point is \"%s\", not a comma: the test would prove nothing\n",
                localeconv()->decimal_point);
        return 3;
    }
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, init_thread, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);

    if (argc == 3 && strcmp(argv[1], "--engine") == 0) {
        sd_sch_options so = {.lang = "zh"};
        sd_sch_pack *pack = NULL;
        sd_error e = {0};
        if (sd_sch_compile_file(argv[2], &so, &pack, &e) != SD_OK) {
            fprintf(stderr, "example: %s:%ld: %s\n", e.file, e.line, e.msg);
            return 1;
        }
        sd_sch_free(pack);
        return 0;
    }
    sd_sch_param param = {0};
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--param") == 0) {
        char *eq = strchr(argv[2], '=');
        if (eq == NULL)
            return 2;
        *eq = '\0';
        param.name = argv[2];
        param.value = eq + 1;
        first = 3;
    }
    sd_checker_options co = {.lang = SD_LANG_ZH, .params = param.name ? &param : NULL,
                             .param_count = param.name ? 1 : 0};
    sd_checker *c = NULL;
    sd_error err = {0};
    if (sd_checker_new(&co, &c, &err) != SD_OK) {
        fprintf(stderr, "example: the built-in packs do not load: %s:%ld: %s\n", err.file, err.line,
                err.msg);
        return 1;
    }
    const sd_formatter *fmt = sd_out_find("text");
    sd_out_options oo = {.lang = SD_LANG_ZH, .min_severity = SD_SEV_INFO, .summary = 1,
                         .version = "embed"};
    sd_summary sum = {0};
    sd_buf b;
    sd_buf_init(&b);
    fmt->begin(&b, &oo);
    int rc = 0;
    for (int i = first; i < argc; i++) {
        size_t len = 0;
        char *bytes = slurp(argv[i], &len);
        if (bytes == NULL) {
            fprintf(stderr, "example: cannot read %s\n", argv[i]);
            rc = 1;
            continue;
        }
        sd_result r;
        if (sd_checker_check_memory(c, argv[i], bytes, len, &r, &err) != SD_OK) {
            fprintf(stderr, "example: %s\n", err.msg);
            rc = 1;
        } else {
            fmt->file(&b, &r, (size_t)(i - first), &oo);
            sd_summary_add(&sum, &r, oo.min_severity);
        }
        sd_result_free(&r);
        free(bytes);
    }
    fmt->end(&b, &sum, &oo);
    if (b.len)
        fwrite(b.data, 1, b.len, stdout);
    sd_buf_free(&b);
    sd_checker_free(c);
    return rc;
}
