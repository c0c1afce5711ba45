/*
 * test_load.c — safe loading: what is accepted, what is refused, and where the
 * finding points.  Each test builds its input in memory or in a temp file.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <libxml/tree.h>

#include "buf.h"
#include "load.h"

typedef struct parsed {
    sd_diags d;
    xmlDocPtr doc;
} parsed;

static parsed parse_bytes(const char *bytes, size_t len, sd_lang lang, size_t max)
{
    parsed p;
    sd_diags_init(&p.d);
    /* sd_load_parse may replace the bytes (re-encoding), so they must be malloc'd. */
    sd_source src = {.path = (char *)"t.xml", .bytes = malloc(len + 1), .len = len};
    memcpy(src.bytes, bytes, len);
    src.bytes[len] = '\0';
    sd_load_options o = {.lang = lang, .max_bytes = max};
    sd_error err = {0};
    assert_int_equal(sd_load_parse(&src, &o, &p.doc, &p.d, &err), SD_OK);
    free(src.bytes);
    free(src.line_starts);
    return p;
}

static parsed parse_str(const char *s)
{
    return parse_bytes(s, strlen(s), SD_LANG_ZH, 0);
}

static void done(parsed *p)
{
    xmlFreeDoc(p->doc);
    sd_diags_free(&p->d);
}

static void expect_one(parsed *p, const char *rule, long line, long col, const char *needle)
{
    assert_null(p->doc);
    assert_int_equal(p->d.count, 1);
    assert_string_equal(p->d.items[0].rule_id, rule);
    assert_int_equal(p->d.items[0].severity, SD_SEV_FATAL);
    assert_int_equal(p->d.items[0].line, line);
    assert_int_equal(p->d.items[0].col, col);
    if (strstr(p->d.items[0].message, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", p->d.items[0].message, needle);
}

static void test_well_formed_is_parsed(void **state)
{
    (void)state;
    parsed p = parse_str("<?xml version=\"1.0\"?>\n<a>\n  <b>文字</b>\n</a>\n");
    assert_non_null(p.doc);
    assert_int_equal(p.d.count, 0);
    assert_int_equal(xmlGetLineNo(xmlDocGetRootElement(p.doc)->children->next), 3);
    done(&p);
}

static void test_bom_and_crlf_are_accepted(void **state)
{
    (void)state;
    parsed p = parse_str("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a>\r\n<b/>\r\n</a>\r\n");
    assert_non_null(p.doc);
    assert_int_equal(p.d.count, 0);
    xmlNodePtr b = xmlDocGetRootElement(p.doc)->children->next;
    assert_string_equal((const char *)b->name, "b");
    assert_int_equal(xmlGetLineNo(b), 3);
    done(&p);
}

static void test_empty_file_is_sd001(void **state)
{
    (void)state;
    parsed p = parse_str("  \n");
    expect_one(&p, "SD001", 1, 1, "文件为空");
    done(&p);
}

static void test_not_xml_is_sd001(void **state)
{
    (void)state;
    parsed p = parse_str("hello\n");
    expect_one(&p, "SD001", 1, 1, "找不到起始标签");
    done(&p);
}

static void test_truncated_is_sd001(void **state)
{
    (void)state;
    parsed p = parse_str("<a>\n  <b>text");
    assert_null(p.doc);
    assert_true(p.d.count >= 1);
    assert_string_equal(p.d.items[0].rule_id, "SD001");
    assert_int_equal(p.d.items[0].line, 2);
    done(&p);
}

static void test_doctype_is_refused_sd004(void **state)
{
    (void)state;
    parsed p = parse_str("<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<a>&x;</a>\n");
    expect_one(&p, "SD004", 2, 1, "DOCTYPE");
    done(&p);
}

static void test_entity_bomb_is_refused_fast(void **state)
{
    (void)state;
    char buf[4096] = "<?xml version=\"1.0\"?>\n<!DOCTYPE z [\n<!ENTITY e0 \"lol\">\n";
    for (int i = 1; i < 30; i++) {
        char line[128];
        snprintf(line, sizeof line, "<!ENTITY e%d \"&e%d;&e%d;&e%d;&e%d;\">\n", i, i - 1, i - 1,
                 i - 1, i - 1);
        strncat(buf, line, sizeof buf - strlen(buf) - 1);
    }
    strncat(buf, "]>\n<z>&e29;</z>\n", sizeof buf - strlen(buf) - 1);
    clock_t t0 = clock();
    parsed p = parse_str(buf);
    expect_one(&p, "SD004", 2, 1, "DOCTYPE");
    /* Not a timing assertion of speed, a guard against expansion: 4^29 would never end. */
    assert_true((clock() - t0) / CLOCKS_PER_SEC < 5);
    done(&p);
}

static void test_undefined_entity_is_sd001(void **state)
{
    (void)state;
    parsed p = parse_str("<a>&nbsp;</a>");
    assert_null(p.doc);
    assert_string_equal(p.d.items[0].rule_id, "SD001");
    done(&p);
}

static void test_invalid_utf8_is_sd003_at_byte(void **state)
{
    (void)state;
    parsed p = parse_str("<a>\n  中文\xFF</a>\n");
    expect_one(&p, "SD003", 2, 5, "UTF-8");
    done(&p);
}

/* The UTF-8 check waits for the parse (libxml2 refuses every bad byte): a
 * document broken before its bad byte, or refused for a DOCTYPE, still gets
 * only the SD003 at that byte, as when the bytes were checked first; and a
 * broken document of good UTF-8 keeps libxml2's findings. */
static void test_invalid_utf8_wins_over_earlier_parse_errors(void **state)
{
    (void)state;
    parsed p = parse_str("<a>\n<b></a>\n<c>\xC3\x28</c>\n");
    expect_one(&p, "SD003", 3, 4, "UTF-8");
    done(&p);
    p = parse_str("<!DOCTYPE a [<!ENTITY e \"x\">]>\n<a>\xED\xA0\x80</a>\n");
    expect_one(&p, "SD003", 2, 4, "UTF-8");
    done(&p);
    p = parse_str("<a>\n  中文<b></a>\n");
    assert_null(p.doc);
    assert_true(p.d.count >= 1);
    assert_string_equal(p.d.items[0].rule_id, "SD001");
    done(&p);
}

/* The check reads ASCII eight bytes at a time: a bad byte at every place of
 * such a word, after long runs of ASCII, is still found where it is. */
static void test_invalid_utf8_after_ascii_runs(void **state)
{
    (void)state;
    for (int at = 40; at < 56; at++) {
        char s[128];
        memset(s, ' ', sizeof s);
        memcpy(s, "<a>", 3);
        s[at] = '\xff';
        memcpy(s + 100, "</a>", 5);
        parsed p = parse_bytes(s, strlen(s), SD_LANG_EN, 0);
        expect_one(&p, "SD003", 1, at + 1, "UTF-8");
        done(&p);
    }
}

/* Three-byte sequences (Chinese text) are checked a character at a time in
 * a fast path: an overlong form, a surrogate, a missing or wrong
 * continuation byte after a run of good ones is found at its place. */
static void test_invalid_three_byte_sequences(void **state)
{
    (void)state;
    static const char *bad[] = {"\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xED\xBF\xBF",
                                "\xE4\xB8", "\xE4\x41\x80", "\xE4\xB8\xC0", "\xEF\xBF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char s[128];
        snprintf(s, sizeof s, "<a>中文中文%s</a>", bad[i]);
        parsed p = parse_bytes(s, strlen(s), SD_LANG_EN, 0);
        expect_one(&p, "SD003", 1, 8, "UTF-8");
        done(&p);
    }
    static const char *good[] = {"\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBD"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char s[128];
        snprintf(s, sizeof s, "<a>中文%s</a>", good[i]);
        parsed p = parse_bytes(s, strlen(s), SD_LANG_EN, 0);
        assert_non_null(p.doc);
        done(&p);
    }
}

static void test_undeclared_gbk_gets_a_hint(void **state)
{
    (void)state;
    /* "水务局" in GBK */
    parsed p = parse_str("<a>\xCB\xAE\xCE\xF1\xBE\xD6</a>");
    expect_one(&p, "SD003", 1, 5, "GB18030"); /* \xCB\xAE happens to be valid UTF-8 */
    done(&p);
}

static void test_declared_gbk_is_decoded(void **state)
{
    (void)state;
    parsed p = parse_str("<?xml version=\"1.0\" encoding=\"GBK\"?><a>\xCB\xAE\xCE\xF1\xBE\xD6</a>");
    assert_non_null(p.doc);
    assert_int_equal(p.d.count, 0);
    xmlChar *t = xmlNodeGetContent(xmlDocGetRootElement(p.doc));
    assert_string_equal((const char *)t, "水务局");
    xmlFree(t);
    done(&p);
}

static void test_declared_gb18030_is_decoded(void **state)
{
    (void)state;
    parsed p = parse_str("<?xml version=\"1.0\" encoding=\"GB18030\"?><a>\xCB\xAE</a>");
    assert_non_null(p.doc);
    done(&p);
}

static void test_gb18030_excerpt_is_reencoded(void **state)
{
    (void)state;
    const char *text = "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<a>\xCB\xAE</a>";
    sd_source src = {.path = strdup("t.xml"), .bytes = (unsigned char *)strdup(text),
                     .len = strlen(text)};
    sd_diags d;
    sd_diags_init(&d);
    sd_load_options o = {0};
    sd_error err = {0};
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &o, &doc, &d, &err), SD_OK);
    assert_non_null(doc);
    const unsigned char *line;
    assert_int_equal(sd_source_line(&src, 2, &line), 10);
    assert_memory_equal(line, "<a>水</a>", 10);
    xmlFreeDoc(doc);
    sd_diags_free(&d);
    sd_source_free(&src);
}

static void test_bad_gbk_bytes_are_sd003(void **state)
{
    (void)state;
    parsed p = parse_str("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<a>\xCB\xAE\xFF\xFF</a>");
    expect_one(&p, "SD003", 2, 5, "GBK");
    done(&p);
}

static void test_unknown_encoding_is_sd003(void **state)
{
    (void)state;
    parsed p = parse_str("<?xml version=\"1.0\" encoding=\"X-NO-SUCH\"?><a/>");
    expect_one(&p, "SD003", 1, 1, "X-NO-SUCH");
    done(&p);
}

static void test_utf16_with_bom(void **state)
{
    (void)state;
    const char bytes[] = "\xFF\xFE<\0a\0/\0>\0";
    parsed p = parse_bytes(bytes, sizeof bytes - 1, SD_LANG_ZH, 0);
    assert_non_null(p.doc);
    assert_int_equal(p.d.count, 0);
    done(&p);
}

static void test_nul_byte_is_binary(void **state)
{
    (void)state;
    parsed p = parse_bytes("<a>\nx\0y</a>", 11, SD_LANG_EN, 0);
    expect_one(&p, "SD001", 2, 2, "NUL");
    done(&p);
}

static void test_deep_nesting_is_sd004(void **state)
{
    (void)state;
    size_t n = 10000;
    char *buf = malloc(n * 7 + 16);
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(buf + off, 8, "<a>");
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(buf + off, 8, "</a>");
    parsed p = parse_bytes(buf, off, SD_LANG_ZH, 0);
    assert_null(p.doc);
    assert_string_equal(p.d.items[0].rule_id, "SD004");
    assert_non_null(strstr(p.d.items[0].message, "256"));
    done(&p);
    free(buf);
}

static void test_line_numbers_above_65535(void **state)
{
    (void)state;
    size_t lines = 70000;
    char *buf = malloc(lines * 5 + 64);
    size_t off = (size_t)snprintf(buf, 16, "<a>");
    for (size_t i = 0; i < lines; i++)
        off += (size_t)snprintf(buf + off, 8, "<b/>\n");
    off += (size_t)snprintf(buf + off, 16, "<c/></a>");
    parsed p = parse_bytes(buf, off, SD_LANG_ZH, 0);
    assert_non_null(p.doc);
    xmlNodePtr last = xmlGetLastChild(xmlDocGetRootElement(p.doc));
    assert_string_equal((const char *)last->name, "c");
    assert_int_equal(xmlGetLineNo(last), (long)lines + 1);
    done(&p);
    free(buf);
}

static char *temp_file(const char *content, size_t len)
{
    char *path = strdup("/tmp/sdlint-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

static void test_size_limit_is_sd004(void **state)
{
    (void)state;
    char *path = temp_file("<a>0123456789012345678901234567890123456789</a>", 47);
    sd_source src;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    sd_load_options o = {.max_bytes = 20};
    assert_int_equal(sd_load_read_file(path, &o, &src, &d, &err), SD_OK);
    assert_null(src.bytes);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "SD004");
    assert_non_null(strstr(d.items[0].message, "20"));
    sd_source_free(&src);
    sd_diags_free(&d);
    unlink(path);
    free(path);
}

/* A regular file read by its fstat size: one read when the size is right;
 * grown since, read on to its end; a size over the limit refused unread. */
static void test_read_fd_sized(void **state)
{
    (void)state;
    const char *text = "<a>0123456789012345678901234567890123456789</a>";
    char *path = temp_file(text, 47);
    size_t sizes[] = {47, 10, 1};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        sd_source src;
        sd_diags d;
        sd_diags_init(&d);
        sd_error err = {0};
        assert_int_equal(sd_load_read_fd_sized(fd, "t.xml", sizes[k], NULL, &src, &d, &err), SD_OK);
        close(fd);
        assert_int_equal(d.count, 0);
        assert_int_equal(src.len, 47);
        assert_memory_equal(src.bytes, text, 47);
        sd_source_free(&src);
        sd_diags_free(&d);
    }
    int fd = open(path, O_RDONLY);
    sd_source src;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    sd_load_options o = {.max_bytes = 20};
    assert_int_equal(sd_load_read_fd_sized(fd, "t.xml", 47, &o, &src, &d, &err), SD_OK);
    close(fd);
    assert_null(src.bytes);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "SD004");
    sd_source_free(&src);
    sd_diags_free(&d);
    unlink(path);
    free(path);
}

/* The line index is made at the first parse error (its position needs it),
 * not for a document that parses cleanly (check.c makes it for findings). */
static void test_line_index_only_when_needed(void **state)
{
    (void)state;
    const char *docs[] = {"<a>\n<b/>\n</a>\n", "<a>\n<b>\n</a>\n"};
    for (int k = 0; k < 2; k++) {
        sd_source src = {.path = (char *)"t.xml", .bytes = (unsigned char *)strdup(docs[k]),
                         .len = strlen(docs[k])};
        sd_diags d;
        sd_diags_init(&d);
        sd_error err = {0};
        xmlDocPtr doc = NULL;
        assert_int_equal(sd_load_parse(&src, NULL, &doc, &d, &err), SD_OK);
        if (k == 0) {
            assert_non_null(doc);
            assert_null(src.line_starts);
        } else {
            assert_null(doc);
            assert_non_null(src.line_starts);
            assert_int_equal(src.nlines, 4);
            assert_int_equal(d.items[0].line, 3);
        }
        xmlFreeDoc(doc);
        free(src.bytes);
        free(src.line_starts);
        sd_diags_free(&d);
    }
}

static void test_missing_file_and_directory_are_sd001(void **state)
{
    (void)state;
    const char *paths[] = {"/nonexistent/sdlint.xml", "/tmp"};
    const char *words[] = {"no such file", "directory"};
    for (int i = 0; i < 2; i++) {
        sd_source src;
        sd_diags d;
        sd_diags_init(&d);
        sd_error err = {0};
        sd_load_options o = {.lang = SD_LANG_EN};
        assert_int_equal(sd_load_read_file(paths[i], &o, &src, &d, &err), SD_OK);
        assert_null(src.bytes);
        assert_int_equal(d.count, 1);
        assert_string_equal(d.items[0].rule_id, "SD001");
        assert_non_null(strstr(d.items[0].message, words[i]));
        sd_source_free(&src);
        sd_diags_free(&d);
    }
}

static void test_fifo_without_writer_does_not_hang(void **state)
{
    (void)state;
    char dir[] = "/tmp/sdlint-fifo-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/f.xml", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    sd_source src;
    sd_diags d;
    sd_diags_init(&d);
    sd_error err = {0};
    sd_load_options o = {0};
    assert_int_equal(sd_load_read_file(path, &o, &src, &d, &err), SD_OK);
    xmlDocPtr doc = NULL;
    assert_int_equal(sd_load_parse(&src, &o, &doc, &d, &err), SD_OK);
    assert_null(doc);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].rule_id, "SD001"); /* read as empty */
    sd_source_free(&src);
    sd_diags_free(&d);
    unlink(path);
    rmdir(dir);
}

static void test_source_columns_count_characters(void **state)
{
    (void)state;
    const char *text = "<a>\n  <单位 name=\"x\"/>\n</a>\n";
    sd_source src = {.path = (char *)"t", .bytes = (unsigned char *)text, .len = strlen(text)};
    assert_int_equal(sd_source_find_col(&src, 2, 1, "<单位"), 3);
    assert_int_equal(sd_source_find_col(&src, 2, 3, " name="), 6);
    assert_int_equal(sd_source_find_col(&src, 9, 1, "x"), 0);
    const unsigned char *p;
    assert_int_equal(sd_source_line(&src, 3, &p), 4);
}

/* libxml2 quotes element names in its messages; a long Chinese name must not
 * be cut inside a character where the message is truncated. */
static void test_parse_message_is_cut_between_characters(void **state)
{
    (void)state;
    for (size_t lead = 0; lead < 3; lead++) {
        char doc[4000];
        size_t n = (size_t)snprintf(doc, sizeof doc, "<%.*s", (int)lead, "ab");
        for (size_t i = 0; i < 400; i++)
            n += (size_t)snprintf(doc + n, sizeof doc - n, "名");
        n += (size_t)snprintf(doc + n, sizeof doc - n, "></x>\n");
        for (sd_lang lang = SD_LANG_ZH; lang <= SD_LANG_EN; lang++) {
            parsed p = parse_bytes(doc, n, lang, 0);
            assert_true(p.d.count >= 1);
            for (size_t k = 0; k < p.d.count; k++) {
                const unsigned char *m = (const unsigned char *)p.d.items[k].message;
                size_t len = strlen((const char *)m), off = 0;
                uint32_t cp;
                while (off < len) {
                    size_t c = sd_utf8_decode((const char *)m + off, len - off, &cp);
                    if (c == 0)
                        fail_msg("message cut inside a character at byte %zu: %s", off, m);
                    off += c;
                }
            }
            done(&p);
        }
    }
}

/* ---- sd_load_scan ---- */

static void log_element(void *user, int depth, const char *local, const char *uri, int nattrs,
                        const unsigned char **attrs)
{
    sd_buf *b = user;
    sd_buf_printf(b, "%d:%s{%s}", depth, local, uri ? uri : "");
    for (int i = 0; i < nattrs; i++)
        sd_buf_printf(b, " %s=%.*s", (const char *)attrs[5 * i], (int)(attrs[5 * i + 4] - attrs[5 * i + 3]),
                      (const char *)attrs[5 * i + 3]);
    sd_buf_puts(b, ";");
}

/* Scans s; *log gets the elements; returns ok.  Checks that a decided scan
 * agrees with the parse. */
static int scan_str(const char *s, size_t len, sd_buf *log)
{
    sd_source src = {.path = (char *)"t.xml", .bytes = malloc(len + 1), .len = len};
    memcpy(src.bytes, s, len);
    src.bytes[len] = '\0';
    sd_load_options o = {.lang = SD_LANG_EN};
    sd_error err = {0};
    int ok = 9;
    sd_buf_init(log);
    assert_int_equal(sd_load_scan(&src, &o, log_element, log, &ok, &err), SD_OK);
    free(src.bytes);
    free(src.line_starts);
    parsed p = parse_bytes(s, len, SD_LANG_EN, 0);
    if (ok >= 0)
        assert_int_equal(ok, p.doc != NULL);
    done(&p);
    return ok;
}

static void test_scan_reports_elements_without_a_tree(void **state)
{
    (void)state;
    sd_buf b;
    const char *s = "<?xml version=\"1.0\"?>\n<p:r xmlns:p=\"urn:p\" a=\" x &amp; &#20013;\">"
                    "<!-- c --><b xmlns=\"urn:d\" v=\"1\n2\"><c/></b><?pi x?>text</p:r>";
    assert_int_equal(scan_str(s, strlen(s), &b), 1);
    assert_string_equal(b.data, "0:r{urn:p} a= x &#38; 中;1:b{urn:d} v=1 2;2:c{urn:d};");
    sd_buf_free(&b);
    /* a declared encoding is decoded first, as for the parse */
    s = "<?xml version=\"1.0\" encoding=\"GBK\"?><a n=\"\xCB\xAE\xCE\xF1\xBE\xD6\"/>";
    assert_int_equal(scan_str(s, strlen(s), &b), 1);
    assert_string_equal(b.data, "0:a{} n=水务局;");
    sd_buf_free(&b);
}

static void test_scan_refuses_what_the_parse_refuses(void **state)
{
    (void)state;
    static const char *bad[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<a>&x;</a>\n",
        "<a><b></a>", "<a>&nbsp;</a>", "<a>\n  中文\xFF</a>\n", "<x:a/>", "", "<a/><b/>",
        "<?xml version=\"1.0\" encoding=\"NOPE-9\"?><a/>",
        /* a byte that is not UTF-8 anywhere (the scan leaves finding it to
         * libxml2, as the parse does) */
        "<a v=\"\xC3\"/>", "<a v='x\xE4\xB8'/>", "<a><!-- \xE4\xB8 --></a>", "<a/><!-- \xFF -->",
        "<a><?pi \xFF?></a>", "<?pi \xC0\x80?><a/>", "<a\xC3\xA9\xFF/>", "<a \xFF=\"1\"/>",
        "<a><![CDATA[\xFF]]></a>", "<a>\xED\xA0\x80</a>", "<a>\xF4\x90\x80\x80</a>", "<a/>\xFF",
        "<?xml version=\"1.0\"?>\xFF<a/>", "<a>\xEF\xBF\xBE</a>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sd_buf b;
        assert_int_equal(scan_str(bad[i], strlen(bad[i]), &b), 0);
        sd_buf_free(&b);
    }
    /* an entity bomb is refused at its DOCTYPE, before any element */
    char buf[4096] = "<?xml version=\"1.0\"?>\n<!DOCTYPE z [\n<!ENTITY e0 \"lol\">\n";
    for (int i = 1; i < 30; i++) {
        char line[128];
        snprintf(line, sizeof line, "<!ENTITY e%d \"&e%d;&e%d;&e%d;&e%d;\">\n", i, i - 1, i - 1, i - 1, i - 1);
        strncat(buf, line, sizeof buf - strlen(buf) - 1);
    }
    strncat(buf, "]>\n<z>&e29;</z>\n", sizeof buf - strlen(buf) - 1);
    sd_buf b;
    assert_int_equal(scan_str(buf, strlen(buf), &b), 0);
    assert_int_equal(b.len, 0);
    sd_buf_free(&b);
}

/* What only libxml2's tree builder judges is left to the parse: xml:id
 * (checked as an NCName) and a text past 1 MB (the builder's limit is 10 MB). */
static void test_scan_leaves_tree_checks_undecided(void **state)
{
    (void)state;
    sd_buf b;
    assert_int_equal(scan_str("<a xml:id=\"1\"/>", 15, &b), -1);
    sd_buf_free(&b);
    size_t n = 1100000;
    char *big = malloc(n + 8);
    memcpy(big, "<a>", 3);
    memset(big + 3, 'x', n);
    memcpy(big + 3 + n, "</a>", 5);
    assert_int_equal(scan_str(big, n + 7, &b), -1);
    sd_buf_free(&b);
    /* the same text in pieces between tags is decided */
    for (size_t i = 3; i + 4 < n; i += 100000)
        memcpy(big + i, "<b/>", 4);
    assert_int_equal(scan_str(big, n + 7, &b), 1);
    sd_buf_free(&b);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed_is_parsed),
        cmocka_unit_test(test_read_fd_sized),
        cmocka_unit_test(test_line_index_only_when_needed),
        cmocka_unit_test(test_bom_and_crlf_are_accepted),
        cmocka_unit_test(test_empty_file_is_sd001),
        cmocka_unit_test(test_not_xml_is_sd001),
        cmocka_unit_test(test_truncated_is_sd001),
        cmocka_unit_test(test_doctype_is_refused_sd004),
        cmocka_unit_test(test_entity_bomb_is_refused_fast),
        cmocka_unit_test(test_undefined_entity_is_sd001),
        cmocka_unit_test(test_invalid_utf8_is_sd003_at_byte),
        cmocka_unit_test(test_invalid_utf8_after_ascii_runs),
        cmocka_unit_test(test_invalid_utf8_wins_over_earlier_parse_errors),
        cmocka_unit_test(test_invalid_three_byte_sequences),
        cmocka_unit_test(test_undeclared_gbk_gets_a_hint),
        cmocka_unit_test(test_declared_gbk_is_decoded),
        cmocka_unit_test(test_declared_gb18030_is_decoded),
        cmocka_unit_test(test_gb18030_excerpt_is_reencoded),
        cmocka_unit_test(test_bad_gbk_bytes_are_sd003),
        cmocka_unit_test(test_unknown_encoding_is_sd003),
        cmocka_unit_test(test_utf16_with_bom),
        cmocka_unit_test(test_nul_byte_is_binary),
        cmocka_unit_test(test_deep_nesting_is_sd004),
        cmocka_unit_test(test_line_numbers_above_65535),
        cmocka_unit_test(test_size_limit_is_sd004),
        cmocka_unit_test(test_missing_file_and_directory_are_sd001),
        cmocka_unit_test(test_fifo_without_writer_does_not_hang),
        cmocka_unit_test(test_source_columns_count_characters),
        cmocka_unit_test(test_parse_message_is_cut_between_characters),
        cmocka_unit_test(test_scan_reports_elements_without_a_tree),
        cmocka_unit_test(test_scan_refuses_what_the_parse_refuses),
        cmocka_unit_test(test_scan_leaves_tree_checks_undecided),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
