/*
 * textcmd.c — `sdlint import FILE` and `sdlint render FILE.xml` (issue 13):
 * between the text a 编办 publishes and the XML sdlint checks.
 *
 *   sdlint import FILE [-o OUT.xml] [--check] [--encoding ENC] [--patterns FILE]
 *                      [--format text|json] [--lang zh|en]
 *   sdlint render FILE.xml [-o OUT.txt]
 *
 * import writes the XML (standard output, or OUT atomically) and lists each
 * sentence it did not read as SD301 (standard error, or with --check among the
 * findings of the imported document, whose positions are mapped back to the
 * source text's lines).  Their own option parsing: they share only --lang,
 * -o and --format with a check run.
 *
 * Switch (issue 13's .docx container and encodings, branch docx): when
 * src/textenc.h and src/docx.h are present, import decodes GB18030/GBK/UTF-16
 * text (sd_text_decode, --encoding) and reads .docx (sd_docx_read), and render
 * writes .docx for `-o X.docx` (sd_docx_write).  Without them only UTF-8 text.
 */
#include <errno.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "import.h"
#include "load.h"
#include "out.h"
#include "render.h"
#include "write.h"

#if defined(__has_include)
#if __has_include("textenc.h") && __has_include("docx.h")
#define SD_HAVE_DOCX 1
#include "docx.h"
#include "textenc.h"
#endif
#endif

#define TEXTCMD_MAX_INPUT (64u * 1024u * 1024u)

static sd_lang env_lang(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "en", 2) == 0 ? SD_LANG_EN : SD_LANG_ZH;
    }
    return SD_LANG_ZH;
}

static int read_all(const char *path, unsigned char **bytes, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 65536, n = 0;
    unsigned char *b = malloc(cap + 1);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        if (cap >= TEXTCMD_MAX_INPUT) {
            free(b);
            b = NULL;
            errno = EFBIG;
            break;
        }
        unsigned char *nb = realloc(b, cap * 2 + 1);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int bad = f != stdin && ferror(f);
    if (f != stdin)
        fclose(f);
    if (!b || bad) {
        free(b);
        return -1;
    }
    b[n] = 0;
    *bytes = b;
    *len = n;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int usage(sd_lang lang, const char *msg)
{
    if (msg) { /* NULL: the caller said what is wrong already */
        fputs("sdlint: ", stderr);
        put_term(stderr, msg);
        fputc('\n', stderr);
    }
    fprintf(stderr, lang == SD_LANG_EN
        ? "usage: sdlint import FILE [-o OUT.xml] [--check] [--encoding ENC] [--patterns FILE] [--format text|json]\n"
          "       sdlint render FILE.xml [-o OUT] [--official]\n"
        : "用法：sdlint import 文件 [-o 输出.xml] [--check] [--encoding 编码] [--patterns 文件] [--format text|json]\n"
          "      sdlint render 文件.xml [-o 输出] [--official]\n");
    return EXIT_USAGE;
}

/* "sdlint: [OPTION ]VALUE: what" on standard error, VALUE escaped for a
 * terminal: it comes from the command line or is a file name. */
static void say(const char *option, const char *value, const char *what)
{
    fputs("sdlint: ", stderr);
    if (option) {
        fputs(option, stderr);
        fputc(' ', stderr);
    }
    put_term(stderr, value);
    fputs(": ", stderr);
    fputs(what, stderr);
    fputc('\n', stderr);
}

static int unknown_option(sd_lang lang, const char *a)
{
    fputs(lang == SD_LANG_EN ? "sdlint: unknown option: " : "sdlint: 未知选项：", stderr);
    put_term(stderr, a);
    fputc('\n', stderr);
    return usage(lang, NULL);
}

static int write_out(const char *out, const char *bytes, size_t len)
{
    if (!out) {
        fwrite(bytes, 1, len, stdout);
        return fflush(stdout) == 0 ? 0 : -1;
    }
    sd_error err = {0};
    if (sd_write_atomic(out, bytes, len, &err) != SD_OK) {
        print_error(&err);
        return -1;
    }
    return 0;
}

/* The SD301 findings of an import, in lang. */
static sd_status add_unparsed(sd_diags *d, const sd_import_result *imp, const char *file, sd_lang lang,
                              sd_error *err)
{
    sd_status st = SD_OK;
    for (size_t i = 0; i < imp->nunparsed && st == SD_OK; i++)
        st = sd_diags_addf(d, err, "SD301", SD_SEV_WARNING, file, imp->unparsed[i].line, 0, NULL,
                           lang == SD_LANG_EN
                               ? "sentence not understood, kept in the XML as a comment; encode it by hand: %s"
                               : "未能识别的句子，已作为注释保留在 XML 中，请手工编码：%s",
                           imp->unparsed[i].text);
    return st;
}

static int print_result(sd_result *r, const char *format, sd_lang lang, FILE *to)
{
    const sd_formatter *fmt = sd_out_find(format);
    if (!fmt || strcmp(format, "sarif") == 0 || strcmp(format, "svrl") == 0) {
        say("--format", format, "import --check writes text or json");
        return -1;
    }
    sd_out_options oo = {.lang = lang, .min_severity = SD_SEV_INFO, .summary = 1, .version = SDLINT_VERSION};
    sd_summary sum = {0};
    sd_buf b;
    sd_buf_init(&b);
    if (fmt->begin)
        fmt->begin(&b, &oo);
    fmt->file(&b, r, 0, &oo);
    sd_summary_add(&sum, r, oo.min_severity);
    if (fmt->end)
        fmt->end(&b, &sum, &oo);
    if (b.data)
        fwrite(b.data, 1, b.len, to);
    sd_buf_free(&b);
    return 0;
}

int cmd_import(int argc, char **argv)
{
    sd_lang lang = env_lang();
    const char *file = NULL, *out = NULL, *encoding = NULL, *patterns = NULL, *format = "text";
    int check = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(a, "--check") == 0)
            check = 1;
        else if (strcmp(a, "--encoding") == 0 && i + 1 < argc)
            encoding = argv[++i];
        else if (strcmp(a, "--patterns") == 0 && i + 1 < argc)
            patterns = argv[++i];
        else if ((strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
            const char *l = argv[++i];
            if (strcmp(l, "en") != 0 && strcmp(l, "zh") != 0)
                return usage(lang, "--lang zh|en");
            lang = strcmp(l, "en") == 0 ? SD_LANG_EN : SD_LANG_ZH;
        } else if (a[0] == '-' && a[1] != 0) {
            return unknown_option(lang, a);
        } else if (!file)
            file = a;
        else
            return usage(lang, lang == SD_LANG_EN ? "import takes one FILE" : "import 只接受一个文件");
    }
    if (!file)
        return usage(lang, lang == SD_LANG_EN ? "import needs a FILE" : "import 需要一个文件");

    sd_error err = {0};
    sd_import_rules *rules = NULL;
    if (patterns) {
        unsigned char *pb = NULL;
        size_t pl = 0;
        if (read_all(patterns, &pb, &pl) != 0) {
            say(NULL, patterns, strerror(errno));
            return EXIT_USAGE;
        }
        sd_status st = sd_import_rules_load((const char *)pb, pl, patterns, &rules, &err);
        free(pb);
        if (st != SD_OK) {
            print_error(&err);
            return EXIT_USAGE;
        }
    } else if (sd_import_rules_builtin(&rules, &err) != SD_OK) {
        print_error(&err);
        return EXIT_USAGE;
    }

    unsigned char *bytes = NULL;
    size_t len = 0;
    if (read_all(file, &bytes, &len) != 0) {
        say(NULL, file, strerror(errno));
        sd_import_rules_free(rules);
        return EXIT_USAGE;
    }
    char *text = NULL;
    size_t tlen = 0;
    sd_import_para *paras = NULL;
    size_t nparas = 0;
    int rc = EXIT_CLEAN;
#ifdef SD_HAVE_DOCX
    sd_docx_doc dx = {0};
    int is_docx = ends_with(file, ".docx") || (len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0);
    if (is_docx) {
        if (sd_docx_read(bytes, len, &dx, &err) != SD_OK) {
            print_error(&err);
            rc = EXIT_USAGE;
        } else if (!(paras = calloc(dx.count ? dx.count : 1, sizeof *paras))) {
            rc = EXIT_USAGE;
        } else {
            /* a paragraph's "line" is its number in the document */
            for (size_t i = 0; i < dx.count; i++) {
                paras[i].text = dx.items[i].text;
                paras[i].len = strlen(dx.items[i].text);
                paras[i].line = (long)i + 1;
            }
            nparas = dx.count;
        }
    } else {
        const char *detected = NULL;
        if (sd_text_decode(bytes, len, encoding, &text, &tlen, &detected, &err) != SD_OK) {
            print_error(&err);
            rc = EXIT_USAGE;
        }
    }
#else
    if (encoding && strcmp(encoding, "UTF-8") != 0 && strcmp(encoding, "utf-8") != 0) {
        say("--encoding", encoding, "this build reads UTF-8 text only");
        rc = EXIT_USAGE;
    } else {
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            size_t l = sd_utf8_decode((const char *)bytes + i, len - i, &cp);
            if (!l) {
                char at[64];
                snprintf(at, sizeof at, lang == SD_LANG_EN ? "not UTF-8 at byte %zu" : "第 %zu 字节不是 UTF-8", i);
                say(NULL, file, at);
                rc = EXIT_USAGE;
                break;
            }
            i += l;
        }
        text = (char *)bytes;
        tlen = len;
        bytes = NULL;
    }
#endif
    if (rc == EXIT_CLEAN && text && sd_import_split_lines(text, tlen, &paras, &nparas, &err) != SD_OK) {
        print_error(&err);
        rc = EXIT_USAGE;
    }
    sd_import_result imp = {0};
    if (rc == EXIT_CLEAN && sd_import_run(rules, paras, nparas, &imp, &err) != SD_OK) {
        print_error(&err);
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_CLEAN && out && write_out(out, imp.xml, imp.xml_len) != 0)
        rc = EXIT_USAGE;
    if (rc == EXIT_CLEAN && !out && !check && write_out(NULL, imp.xml, imp.xml_len) != 0)
        rc = EXIT_USAGE;

    if (rc == EXIT_CLEAN) {
        sd_result res = {0};
        sd_checker *checker = NULL;
        sd_status st = SD_OK;
        if (check) {
            sd_checker_options co = {.lang = lang};
            st = sd_checker_new(&co, &checker, &err);
            if (st == SD_OK)
                st = sd_checker_check_memory(checker, file, imp.xml, imp.xml_len, &res, &err);
            /* positions mapped back: each finding to the source line of its element */
            for (size_t i = 0; st == SD_OK && i < res.diags.count; i++) {
                sd_finding *f = &res.diags.items[i];
                long line = f->line > 0 ? sd_import_source_line(&imp, f->location) : 0;
                if ((st = sd_diags_set_file(&res.diags, i, file, &err)) != SD_OK)
                    break;
                f->line = line;
                f->col = 0;
                f->end_line = 0;
                f->end_col = 0;
                f->offset = 0;
                for (size_t k = 0; k < f->nrelated; k++)
                    if (strcmp(f->related[k].file, file) == 0)
                        f->related[k].line = f->related[k].col = 0;
            }
            sd_source_free(&res.src);
        } else {
            sd_diags_init(&res.diags);
            res.parsed = 1;
            res.kind = SD_KIND_SANDING;
        }
        if (st == SD_OK)
            st = add_unparsed(&res.diags, &imp, file, lang, &err);
        if (st == SD_OK) {
            /* the source text is what findings quote */
            /* (for a .docx, its paragraphs one a line: a paragraph's number is its line) */
            sd_buf joined;
            sd_buf_init(&joined);
            if (!text)
                for (size_t i = 0; i < nparas; i++) {
                    sd_buf_add(&joined, paras[i].text, paras[i].len);
                    sd_buf_add(&joined, "\n", 1);
                }
            const char *st_text = text ? text : joined.data ? joined.data : "";
            size_t st_len = text ? tlen : joined.len;
            res.src.path = strdup(file);
            res.src.len = st_len;
            res.src.bytes = malloc(st_len + 1);
            if (res.src.bytes) {
                memcpy(res.src.bytes, st_text, st_len);
                res.src.bytes[st_len] = 0;
                sd_source_index(&res.src);
                /* a finding's offset is where its line starts in the text */
                for (size_t i = 0; i < res.diags.count; i++) {
                    sd_finding *f = &res.diags.items[i];
                    if (f->line > 0 && res.src.line_starts && (size_t)f->line <= res.src.nlines)
                        f->offset = (long)res.src.line_starts[f->line - 1];
                }
            }
            sd_buf_free(&joined);
            sd_diags_sort(&res.diags);
            if (check || res.diags.count)
                if (print_result(&res, check ? format : "text", lang, check ? stdout : stderr) != 0)
                    rc = EXIT_USAGE;
            if (check && rc == EXIT_CLEAN)
                for (size_t i = 0; i < res.diags.count; i++)
                    if (res.diags.items[i].severity >= SD_SEV_ERROR && !res.diags.items[i].suppressed)
                        rc = res.diags.items[i].severity == SD_SEV_FATAL ? EXIT_USAGE : EXIT_FINDINGS;
        } else {
            print_error(&err);
            rc = EXIT_USAGE;
        }
        sd_result_free(&res);
        sd_checker_free(checker);
    }
    sd_import_result_free(&imp);
    free(paras);
    free(text);
    free(bytes);
#ifdef SD_HAVE_DOCX
    sd_docx_doc_free(&dx);
#endif
    sd_import_rules_free(rules);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    sd_lang lang = env_lang();
    const char *file = NULL, *out = NULL;
    int official = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(a, "--official") == 0)
            official = 1;
        else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
            const char *l = argv[++i];
            if (strcmp(l, "en") != 0 && strcmp(l, "zh") != 0)
                return usage(lang, "--lang zh|en");
            lang = strcmp(l, "en") == 0 ? SD_LANG_EN : SD_LANG_ZH;
        }
        else if (a[0] == '-' && a[1] != 0) {
            return unknown_option(lang, a);
        } else if (!file)
            file = a;
        else
            return usage(lang, lang == SD_LANG_EN ? "render takes one FILE" : "render 只接受一个文件");
    }
    if (!file)
        return usage(lang, lang == SD_LANG_EN ? "render needs a FILE.xml" : "render 需要一个 XML 文件");
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (read_all(file, &bytes, &len) != 0) {
        say(NULL, file, strerror(errno));
        return EXIT_USAGE;
    }
    sd_error err = {0};
    xmlDocPtr doc = sd_load_parse_trusted_memory((const char *)bytes, len, file, &err);
    free(bytes);
    if (!doc) {
        print_error(&err);
        return EXIT_USAGE;
    }
    sd_render_doc rd = {0};
    int rc = EXIT_CLEAN;
    if (sd_render_sanding(doc, &rd, &err) != SD_OK) {
        snprintf(err.file, sizeof err.file, "%s", file);
        print_error(&err);
        rc = EXIT_USAGE;
    } else if (official && rd.appendix < rd.count) {
        /* The text as published: without the data appendix, which only
         * `sdlint import` needs to give back every figure. */
        for (size_t i = rd.appendix; i < rd.count; i++)
            free(rd.items[i].text);
        rd.count = rd.appendix;
    }
    if (rc == EXIT_CLEAN && out && ends_with(out, ".docx")) {
#ifdef SD_HAVE_DOCX
        /* sd_render_doc has sd_docx_doc's layout (render.h) */
        sd_docx_doc dx = {.items = (sd_docx_para *)(void *)rd.items, .count = rd.count};
        unsigned char *zb = NULL;
        size_t zl = 0;
        if (sd_docx_write(&dx, &zb, &zl, &err) != SD_OK || write_out(out, (const char *)zb, zl) != 0) {
            if (err.code)
                print_error(&err);
            rc = EXIT_USAGE;
        }
        free(zb);
#else
        say(NULL, out, "this build writes plain text only (.docx needs src/docx.c)");
        rc = EXIT_USAGE;
#endif
    } else if (rc == EXIT_CLEAN) {
        char *text = NULL;
        size_t tl = 0;
        if (sd_render_text(&rd, &text, &tl, &err) != SD_OK || write_out(out, text, tl) != 0) {
            if (err.code)
                print_error(&err);
            rc = EXIT_USAGE;
        }
        free(text);
    }
    sd_render_doc_free(&rd);
    sd_load_doc_free(doc);
    return rc;
}
