/*
 * test_docx.c — sd_docx_read and sd_docx_write: write -> read gives the same
 * paragraphs; what Word puts in document.xml (revisions, fields, tables, text
 * boxes, styles, list numbers) reads as a person sees it; hostile archives
 * (truncated, zip bombs, encrypted, DTDs, deep nesting, odd names) are
 * refused with a clear error or read within bounds, never crash.
 * The written archive is checked by `unzip -t` and xmllint as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include "buf.h"
#include "docx.h"
#include "zip.h"

#define WNS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define DOC(body)                                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"                            \
    "<w:document " WNS " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">" \
    "<w:body>" body "</w:body></w:document>"

typedef struct part {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
} part;

/* A zip of the given parts, deflated (src/zip.h's writer). */
static unsigned char *make_zip(const part *parts, size_t n, size_t *len)
{
    sd_zip_writer w;
    sd_zip_writer_init(&w);
    sd_error err = {0};
    for (size_t i = 0; i < n; i++) {
        size_t l = parts[i].len ? parts[i].len : strlen(parts[i].data);
        assert_int_equal(sd_zip_writer_add(&w, parts[i].name, parts[i].data, l, 1, &err), SD_OK);
    }
    unsigned char *out = NULL;
    assert_int_equal(sd_zip_writer_finish(&w, &out, len, &err), SD_OK);
    return out;
}

static unsigned char *make_docx(const char *document_xml, size_t *len)
{
    part p = {"word/document.xml", document_xml, 0};
    return make_zip(&p, 1, len);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void le16(sd_buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    sd_buf_add(b, (const char *)x, 2);
}

static void le32(sd_buf *b, uint32_t v)
{
    le16(b, v & 0xFFFF);
    le16(b, v >> 16);
}

/* A stored (uncompressed) zip written byte by byte, for what the writer will not
 * write: raw non-UTF-8 names, the encryption flag, a wrong CRC. */
typedef struct raw_entry {
    const char *name; /* raw bytes */
    const char *data;
    unsigned flags;
    int bad_crc;
} raw_entry;

static unsigned char *make_raw_zip(const raw_entry *e, size_t n, size_t *len)
{
    sd_buf b, cd;
    sd_buf_init(&b);
    sd_buf_init(&cd);
    for (size_t i = 0; i < n; i++) {
        size_t off = b.len;
        size_t dl = strlen(e[i].data), nl = strlen(e[i].name);
        uint32_t crc = crc32_of((const unsigned char *)e[i].data, dl) ^ (e[i].bad_crc ? 1u : 0u);
        le32(&b, 0x04034b50);
        le16(&b, 20);
        le16(&b, e[i].flags);
        le16(&b, 0);
        le16(&b, 0);
        le16(&b, 0x21);
        le32(&b, crc);
        le32(&b, (uint32_t)dl);
        le32(&b, (uint32_t)dl);
        le16(&b, (unsigned)nl);
        le16(&b, 0);
        sd_buf_add(&b, e[i].name, nl);
        sd_buf_add(&b, e[i].data, dl);
        le32(&cd, 0x02014b50);
        le16(&cd, 20);
        le16(&cd, 20);
        le16(&cd, e[i].flags);
        le16(&cd, 0);
        le16(&cd, 0);
        le16(&cd, 0x21);
        le32(&cd, crc);
        le32(&cd, (uint32_t)dl);
        le32(&cd, (uint32_t)dl);
        le16(&cd, (unsigned)nl);
        le16(&cd, 0);
        le16(&cd, 0);
        le16(&cd, 0);
        le16(&cd, 0);
        le32(&cd, 0);
        le32(&cd, (uint32_t)off);
        sd_buf_add(&cd, e[i].name, nl);
    }
    size_t cd_off = b.len;
    sd_buf_add(&b, cd.data, cd.len);
    le32(&b, 0x06054b50);
    le16(&b, 0);
    le16(&b, 0);
    le16(&b, (unsigned)n);
    le16(&b, (unsigned)n);
    le32(&b, (uint32_t)cd.len);
    le32(&b, (uint32_t)cd_off);
    le16(&b, 0);
    sd_buf_free(&cd);
    assert_false(sd_buf_failed(&b));
    *len = b.len;
    return (unsigned char *)b.data;
}

static void read_ok(const unsigned char *z, size_t n, sd_docx_doc *d)
{
    sd_error err = {0};
    sd_status st = sd_docx_read(z, n, d, &err);
    if (st != SD_OK)
        fail_msg("read failed: %s", err.msg);
}

static const char *read_fail(const unsigned char *z, size_t n, sd_status want)
{
    static sd_error err;
    memset(&err, 0, sizeof err);
    sd_docx_doc d = {(sd_docx_para *)1, 99};
    sd_status st = sd_docx_read(z, n, &d, &err);
    if (st != want)
        fail_msg("status %d, wanted %d (%s)", (int)st, (int)want, err.msg);
    assert_null(d.items);
    assert_int_equal(d.count, 0);
    assert_true(err.msg[0] != '\0');
    return err.msg;
}

/* The paragraphs of document.xml wrapped around body, as "S|text" lines
 * (S = T, H or B) for one string compare. */
static char *paras_of(const sd_docx_doc *d)
{
    sd_buf b;
    sd_buf_init(&b);
    for (size_t i = 0; i < d->count; i++) {
        const char *s = d->items[i].style == SD_DOCX_TITLE     ? "T"
                        : d->items[i].style == SD_DOCX_HEADING ? "H"
                                                               : "B";
        sd_buf_printf(&b, "%s|%s\n", s, d->items[i].text);
    }
    sd_buf_add(&b, "", 0);
    char *s = strdup(b.len ? b.data : "");
    sd_buf_free(&b);
    return s;
}

static void expect_body(const char *body_xml, const char *want)
{
    size_t n;
    unsigned char *z = make_docx(body_xml, &n);
    sd_docx_doc d;
    read_ok(z, n, &d);
    char *got = paras_of(&d);
    assert_string_equal(got, want);
    free(got);
    sd_docx_doc_free(&d);
    free(z);
}

/* ------------------------------------------------------------ round trip */

static void test_write_read_round_trip(void **state)
{
    (void)state;
    sd_docx_para p[] = {
        {"XX市生态环境局职能配置、内设机构和人员编制规定", SD_DOCX_TITLE},
        {"第一条　为了深入贯彻落实……", SD_DOCX_BODY},
        {"第三条　主要职责", SD_DOCX_HEADING},
        {"", SD_DOCX_BODY},
        {"  leading and trailing spaces  ", SD_DOCX_BODY},
        {"a\ttab, a\nbreak, <&>\"' and 𠀀 (four bytes)", SD_DOCX_BODY},
        {"（一）负责建立健全生态环境基本制度。", SD_DOCX_BODY},
    };
    sd_docx_doc in = {p, sizeof p / sizeof p[0]};
    unsigned char *z = NULL, *z2 = NULL;
    size_t n = 0, n2 = 0;
    sd_error err = {0};
    assert_int_equal(sd_docx_write(&in, &z, &n, &err), SD_OK);
    assert_int_equal(sd_docx_write(&in, &z2, &n2, &err), SD_OK);
    /* the same input gives the same bytes */
    assert_int_equal(n, n2);
    assert_memory_equal(z, z2, n);
    sd_docx_doc out;
    read_ok(z, n, &out);
    assert_int_equal(out.count, in.count);
    for (size_t i = 0; i < in.count; i++) {
        assert_string_equal(out.items[i].text, in.items[i].text);
        assert_int_equal(out.items[i].style, in.items[i].style);
    }
    sd_docx_doc_free(&out);
    sd_docx_doc_free(&out); /* twice is harmless */
    free(z);
    free(z2);
}

static void test_write_drops_controls(void **state)
{
    (void)state;
    sd_docx_para p[] = {
        {"a\x01" "b\x1f" "c\x7f" "d\xc2\x85" "e\xef\xbf\xbe" "f", SD_DOCX_BODY},
        {"one\r\ntwo\rthree", SD_DOCX_BODY},
    };
    sd_docx_doc in = {p, 2};
    unsigned char *z = NULL;
    size_t n = 0;
    sd_error err = {0};
    assert_int_equal(sd_docx_write(&in, &z, &n, &err), SD_OK);
    sd_docx_doc out;
    read_ok(z, n, &out);
    assert_int_equal(out.count, 2);
    assert_string_equal(out.items[0].text, "abcdef");
    assert_string_equal(out.items[1].text, "one\ntwo\nthree");
    sd_docx_doc_free(&out);
    free(z);
}

static void test_write_refuses_bad_utf8(void **state)
{
    (void)state;
    sd_docx_para p[] = {{"ok", SD_DOCX_BODY}, {"ab\xff", SD_DOCX_BODY}};
    sd_docx_doc in = {p, 2};
    unsigned char *z = (unsigned char *)1;
    size_t n = 5;
    sd_error err = {0};
    assert_int_equal(sd_docx_write(&in, &z, &n, &err), SD_EINVAL);
    assert_null(z);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err.msg, "paragraph 2"));
    assert_non_null(strstr(err.msg, "byte 2"));
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* `unzip -t` accepts the archive and xmllint parses each XML part. */
static void test_written_archive_is_valid(void **state)
{
    (void)state;
    sd_docx_para p[] = {{"标题", SD_DOCX_TITLE}, {"正文 & <更多>", SD_DOCX_BODY}};
    sd_docx_doc in = {p, 2};
    unsigned char *z = NULL;
    size_t n = 0;
    sd_error err = {0};
    assert_int_equal(sd_docx_write(&in, &z, &n, &err), SD_OK);
    char path[] = "/tmp/sdlint-test-docx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, z, n), (ssize_t)n);
    close(fd);
    free(z);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "unzip -tq %s", path);
    int rc = run(cmd);
    const char *parts[] = {"word/document.xml", "word/styles.xml", "[[]Content_Types].xml",
                           "_rels/.rels", "word/_rels/document.xml.rels"};
    int xml_rc = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0] && xml_rc == 0; i++) {
        snprintf(cmd, sizeof cmd, "unzip -p %s '%s' | xmllint --noout - ", path, parts[i]);
        xml_rc = run(cmd);
    }
    /* and the A4 page is there */
    snprintf(cmd, sizeof cmd, "unzip -p %s word/document.xml | grep -q 'w:w=\"11906\" w:h=\"16838\"'",
             path);
    int page_rc = run(cmd);
    unlink(path);
    assert_int_equal(rc, 0);
    assert_int_equal(xml_rc, 0);
    assert_int_equal(page_rc, 0);
}

/* ------------------------------------------------------------ reading Word */

static void test_runs_tabs_breaks_revisions(void **state)
{
    (void)state;
    expect_body(DOC("<w:p><w:r><w:t>机关</w:t></w:r><w:r><w:t xml:space=\"preserve\">行政 </w:t>"
                    "<w:tab/><w:t>编制</w:t><w:br/><w:t>68名</w:t><w:cr/><w:noBreakHyphen/></w:r></w:p>"
                    "<w:p><w:r><w:t>设局长</w:t></w:r>"
                    "<w:del><w:r><w:delText>2</w:delText></w:r></w:del>"
                    "<w:ins><w:r><w:t>1</w:t></w:r></w:ins>"
                    "<w:moveFrom><w:r><w:t>旧</w:t></w:r></w:moveFrom>"
                    "<w:moveTo><w:r><w:t>名</w:t></w:r></w:moveTo>"
                    "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>jī</w:t></w:r></w:rt>"
                    "<w:rubyBase><w:r><w:t>机</w:t></w:r></w:rubyBase></w:ruby></w:r>"
                    "<w:r><w:ptab/></w:r>"
                    "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>"
                    "<w:r><w:rPr><w:vanish w:val=\"false\"/></w:rPr><w:t>shown</w:t></w:r>"
                    "<w:hyperlink><w:r><w:t>。</w:t></w:r></w:hyperlink></w:p>"
                    "<w:p/>"
                    "<w:del><w:p><w:r><w:t>deleted paragraph container</w:t></w:r></w:p></w:del>"
                    "<w:sectPr/>"),
                "B|机关行政 \t编制\n68名\n-\nB|设局长1名机\tshown。\nB|\n");
}

static void test_fields_keep_their_result(void **state)
{
    (void)state;
    expect_body(DOC("<w:p><w:r><w:t>见</w:t></w:r>"
                    "<w:fldSimple w:instr=\" REF x \"><w:r><w:t>第三条</w:t></w:r></w:fldSimple>"
                    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                    "<w:r><w:instrText> PAGE </w:instrText></w:r>"
                    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                    "<w:r><w:t>，第</w:t></w:r>"
                    /* a field nested in the result */
                    "<w:r><w:fldChar w:fldCharType=\"begin\"/><w:instrText>SEQ</w:instrText>"
                    "<w:t>not shown</w:t><w:fldChar w:fldCharType=\"separate\"/><w:t>2</w:t>"
                    "<w:fldChar w:fldCharType=\"end\"/></w:r>"
                    "<w:r><w:t>页</w:t><w:fldChar w:fldCharType=\"end\"/></w:r>"
                    "<w:r><w:t>。</w:t></w:r></w:p>"
                    /* a field left open does not swallow what is not in it */
                    "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/><w:t>after</w:t></w:r></w:p>"),
                "B|见第三条，第2页。\nB|after\n");
}

static void test_tables_and_boxes_in_reading_order(void **state)
{
    (void)state;
    expect_body(DOC("<w:p><w:r><w:t>before</w:t></w:r></w:p>"
                    "<w:tbl><w:tblPr/>"
                    "<w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>r1c1</w:t></w:r></w:p></w:tc>"
                    "<w:tc><w:p><w:r><w:t>r1c2</w:t></w:r></w:p><w:p><w:r><w:t>r1c2b</w:t></w:r></w:p></w:tc></w:tr>"
                    "<w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>nested</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>"
                    "<w:tc><w:p><w:r><w:t>r2c2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                    "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
                    "<w:p><w:r><w:t>anchor</w:t></w:r><w:r><mc:AlternateContent>"
                    "<mc:Choice Requires=\"wps\"><w:drawing><x:any xmlns:x=\"urn:x\"><w:txbxContent>"
                    "<w:p><w:r><w:t>in the box</w:t></w:r></w:p></w:txbxContent></x:any></w:drawing></mc:Choice>"
                    "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>in the box</w:t></w:r></w:p>"
                    "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
                    "<w:r><w:t> text</w:t></w:r></w:p>"),
                "B|before\nB|r1c1\nB|r1c2\nB|r1c2b\nB|nested\nB|r2c2\nB|in a control\n"
                "B|anchor text\nB|in the box\n");
}

static void test_styles(void **state)
{
    (void)state;
    /* Chinese Word: style ids are numbers and letters, the names are English. */
    const char *styles =
        "<w:styles " WNS ">"
        "<w:style w:type=\"paragraph\" w:styleId=\"a\"><w:name w:val=\"Normal\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"a3\"><w:name w:val=\"Title\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"mine\"><w:name w:val=\"我的标题\"/>"
        "<w:basedOn w:val=\"1\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"cn\"><w:name w:val=\"标题 2\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"loop1\"><w:name w:val=\"x\"/><w:basedOn w:val=\"loop2\"/></w:style>"
        "<w:style w:type=\"paragraph\" w:styleId=\"loop2\"><w:name w:val=\"y\"/><w:basedOn w:val=\"loop1\"/></w:style>"
        "<w:style w:type=\"character\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>"
        "</w:styles>";
    const char *doc = DOC(
        "<w:p><w:pPr><w:pStyle w:val=\"a3\"/></w:pPr><w:r><w:t>T</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>H1</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"mine\"/></w:pPr><w:r><w:t>based on heading</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"cn\"/></w:pPr><w:r><w:t>标题 2</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"loop1\"/></w:pPr><w:r><w:t>loop</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Heading3\"/></w:pPr><w:r><w:t>id only</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr><w:r><w:t>outline</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"a\"/></w:pPr><w:r><w:t>normal</w:t></w:r></w:p>");
    part p[] = {{"word/document.xml", doc, 0}, {"word/styles.xml", styles, 0}};
    size_t n;
    unsigned char *z = make_zip(p, 2, &n);
    sd_docx_doc d;
    read_ok(z, n, &d);
    char *got = paras_of(&d);
    assert_string_equal(got, "T|T\nH|H1\nH|based on heading\nH|标题 2\nB|loop\nH|id only\n"
                             "H|outline\nB|normal\n");
    free(got);
    sd_docx_doc_free(&d);
    free(z);
}

static void test_centred_bold_heuristic(void **state)
{
    (void)state;
    const char *c = "<w:pPr><w:jc w:val=\"center\"/></w:pPr>";
    char doc[4096];
    snprintf(doc, sizeof doc,
             DOC("<w:p>%s<w:r><w:rPr><w:b/></w:rPr><w:t>XX市XX局</w:t></w:r></w:p>"
                 "<w:p>%s<w:r><w:rPr><w:sz w:val=\"44\"/></w:rPr><w:t>职能配置、内设机构和人员编制规定</w:t></w:r></w:p>"
                 "<w:p>%s<w:r><w:t>（厅字〔2019〕1号）</w:t></w:r></w:p>"
                 "<w:p><w:r><w:t>第一条　正文</w:t></w:r></w:p>"
                 "<w:p>%s<w:r><w:rPr><w:b/></w:rPr><w:t>附则</w:t></w:r></w:p>"
                 "<w:p>%s<w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>not bold</w:t></w:r></w:p>"),
             c, c, c, c, c);
    expect_body(doc, "T|XX市XX局\nT|职能配置、内设机构和人员编制规定\nB|（厅字〔2019〕1号）\n"
                     "B|第一条　正文\nH|附则\nB|not bold\n");
}

static const char NUMBERING[] =
    "<w:numbering " WNS ">"
    "<w:abstractNum w:abstractNumId=\"0\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
    "<w:lvlText w:val=\"（%1）\"/><w:suff w:val=\"nothing\"/></w:lvl>"
    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
    "<w:lvlText w:val=\"%2.\"/></w:lvl>"
    "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerRoman\"/><w:isLgl/>"
    "<w:lvlText w:val=\"%1.%2.%3\"/><w:suff w:val=\"space\"/></w:lvl>"
    "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId=\"1\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>"
    "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId=\"2\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"ideographTraditional\"/><w:lvlText w:val=\"%1.\"/></w:lvl>"
    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\xef\x82\xb7\"/></w:lvl>"
    "<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"hebrew2\"/><w:lvlText w:val=\"%3.\"/></w:lvl>"
    "<w:lvl w:ilvl=\"3\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimalEnclosedCircleChinese\"/><w:lvlText w:val=\"%4\"/></w:lvl>"
    "<w:lvl w:ilvl=\"4\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseLegalSimplified\"/><w:lvlText w:val=\"%5\"/></w:lvl>"
    "<w:lvl w:ilvl=\"5\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/><w:lvlText w:val=\"%6)\"/></w:lvl>"
    "<w:lvl w:ilvl=\"6\"><w:start w:val=\"1\"/><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
    "<mc:Choice Requires=\"w14\"><w:numFmt w:val=\"custom\" w:format=\"001, 002, 003, ...\"/></mc:Choice>"
    "<mc:Fallback><w:numFmt w:val=\"lowerLetter\"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val=\"%7)\"/></w:lvl>"
    "</w:abstractNum>"
    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
    "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"
    "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"0\"/>"
    "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>"
    "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/></w:num>"
    "</w:numbering>";

static char *np(char *dst, size_t size, int num, int lvl, const char *text)
{
    snprintf(dst, size,
             "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"%d\"/><w:numId w:val=\"%d\"/></w:numPr></w:pPr>"
             "<w:r><w:t>%s</w:t></w:r></w:p>",
             lvl, num, text);
    return dst;
}

static void test_list_numbers(void **state)
{
    (void)state;
    sd_buf body;
    sd_buf_init(&body);
    char p[512];
    sd_buf_puts(&body, np(p, sizeof p, 2, 0, "主要职责"));
    for (int i = 0; i < 11; i++)
        sd_buf_puts(&body, np(p, sizeof p, 1, 0, "职责"));
    sd_buf_puts(&body, np(p, sizeof p, 1, 1, "sub"));
    sd_buf_puts(&body, np(p, sizeof p, 1, 1, "sub"));
    sd_buf_puts(&body, np(p, sizeof p, 1, 2, "legal"));
    sd_buf_puts(&body, np(p, sizeof p, 1, 0, "职责"));
    sd_buf_puts(&body, np(p, sizeof p, 1, 1, "sub restarts"));
    sd_buf_puts(&body, np(p, sizeof p, 2, 0, "内设机构"));
    sd_buf_puts(&body, np(p, sizeof p, 3, 0, "restarted by override"));
    sd_buf_puts(&body, np(p, sizeof p, 3, 0, "continues"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 0, "甲"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 0, "乙"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 1, "bullet: no label"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 2, "unknown format: no label"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 3, "circled"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 4, "legal"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 5, "roman"));
    sd_buf_puts(&body, np(p, sizeof p, 4, 6, "custom: the fallback"));
    sd_buf_puts(&body, np(p, sizeof p, 0, 0, "numId 0: none"));
    sd_buf_puts(&body, np(p, sizeof p, 99, 0, "unknown list: text kept"));
    sd_buf_puts(&body, np(p, sizeof p, 1, 12, "level out of range"));
    char *doc = malloc(body.len + 1024);
    snprintf(doc, body.len + 1024, DOC("%s"), body.data);
    sd_buf_free(&body);
    part parts[] = {{"word/document.xml", doc, 0}, {"word/numbering.xml", NUMBERING, 0}};
    size_t n;
    unsigned char *z = make_zip(parts, 2, &n);
    free(doc);
    sd_docx_doc d;
    read_ok(z, n, &d);
    char *got = paras_of(&d);
    assert_string_equal(got,
                        "B|一、主要职责\n"
                        "B|（一）职责\nB|（二）职责\nB|（三）职责\nB|（四）职责\nB|（五）职责\n"
                        "B|（六）职责\nB|（七）职责\nB|（八）职责\nB|（九）职责\nB|（十）职责\n"
                        "B|（十一）职责\n"
                        "B|1. sub\nB|2. sub\nB|11.2.1 legal\n"
                        "B|（十二）职责\nB|1. sub restarts\n"
                        "B|二、内设机构\n"
                        "B|（一）restarted by override\nB|（二）continues\n"
                        "B|甲. 甲\nB|乙. 乙\nB|bullet: no label\nB|unknown format: no label\n"
                        "B|①circled\nB|壹legal\nB|I) roman\nB|a) custom: the fallback\n"
                        "B|numId 0: none\nB|unknown list: text kept\nB|level out of range\n");
    free(got);
    sd_docx_doc_free(&d);
    free(z);
}

/* ------------------------------------------------------------ hostile input */

static void test_not_a_docx(void **state)
{
    (void)state;
    read_fail(NULL, 0, SD_EPARSE);
    read_fail((const unsigned char *)"hello, world", 12, SD_EPARSE);
    const char *m0 = read_fail((const unsigned char *)"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10,
                               SD_EPARSE);
    assert_non_null(strstr(m0, ".doc"));
    /* a zip without word/document.xml */
    part p = {"word/other.xml", "<x/>", 0};
    size_t n;
    unsigned char *z = make_zip(&p, 1, &n);
    const char *m = read_fail(z, n, SD_EPARSE);
    assert_non_null(strstr(m, "no word/document.xml"));
    free(z);
    /* not WordprocessingML */
    z = make_docx("<html/>", &n);
    m = read_fail(z, n, SD_EPARSE);
    assert_non_null(strstr(m, "w:body"));
    free(z);
    /* not well-formed */
    z = make_docx(DOC("<w:p>"), &n);
    m = read_fail(z, n, SD_EPARSE);
    assert_non_null(strstr(m, "not well-formed"));
    free(z);
    /* a broken optional part is an error too, not silently skipped */
    part q[] = {{"word/document.xml", DOC(""), 0}, {"word/styles.xml", "<w:styles", 0}};
    z = make_zip(q, 2, &n);
    m = read_fail(z, n, SD_EPARSE);
    assert_non_null(strstr(m, "word/styles.xml"));
    free(z);
}

static void test_truncated_zip(void **state)
{
    (void)state;
    sd_docx_para p[] = {{"第一条", SD_DOCX_BODY}};
    sd_docx_doc in = {p, 1};
    unsigned char *z = NULL;
    size_t n = 0;
    sd_error err = {0};
    assert_int_equal(sd_docx_write(&in, &z, &n, &err), SD_OK);
    /* every prefix: refused, never a crash */
    for (size_t k = 0; k < n; k += (k < 64 ? 1 : 7)) {
        sd_docx_doc d;
        sd_error e = {0};
        unsigned char *copy = malloc(k ? k : 1);
        memcpy(copy, z, k);
        assert_int_not_equal(sd_docx_read(copy, k, &d, &e), SD_OK);
        assert_int_equal(d.count, 0);
        free(copy);
    }
    /* one flipped byte in the middle of the deflated document: CRC or inflate error */
    unsigned char *bad = malloc(n);
    memcpy(bad, z, n);
    size_t ok = 0, refused = 0;
    for (size_t k = 30; k < n; k += 3) {
        bad[k] ^= 0x55;
        sd_docx_doc d;
        sd_error e = {0};
        if (sd_docx_read(bad, n, &d, &e) == SD_OK)
            ok++;
        else
            refused++;
        sd_docx_doc_free(&d);
        bad[k] ^= 0x55;
    }
    assert_true(refused > 0);
    free(bad);
    free(z);
}

static void test_bad_crc_encrypted_and_odd_names(void **state)
{
    (void)state;
    const char *doc = DOC("<w:p><w:r><w:t>ok</w:t></w:r></w:p>");
    raw_entry crc[] = {{"word/document.xml", doc, 0, 1}};
    size_t n;
    unsigned char *z = make_raw_zip(crc, 1, &n);
    const char *m = read_fail(z, n, SD_EPARSE);
    assert_non_null(strstr(m, "CRC"));
    free(z);

    raw_entry enc[] = {{"word/document.xml", doc, 1, 0}};
    z = make_raw_zip(enc, 1, &n);
    m = read_fail(z, n, SD_EUNSAFE);
    assert_non_null(strstr(m, "encrypted"));
    free(z);

    /* a name that is not UTF-8 (CP437 or junk) next to the real part: the
     * part is still found and read */
    raw_entry odd[] = {{"\xff\xfe\x80name", "junk", 0, 0}, {"word/document.xml", doc, 0, 0}};
    z = make_raw_zip(odd, 2, &n);
    sd_docx_doc d;
    read_ok(z, n, &d);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].text, "ok");
    sd_docx_doc_free(&d);
    free(z);
    /* a path trick (no OPC part name has a ".." step) refuses the archive, even
     * next to a good part: the name is in the message, escaped by the command */
    raw_entry dots[] = {{"../../etc/passwd", "junk", 0, 0}, {"word/document.xml", doc, 0, 0}};
    z = make_raw_zip(dots, 2, &n);
    m = read_fail(z, n, SD_EUNSAFE);
    assert_non_null(strstr(m, "\"../../etc/passwd\" has a '..' step"));
    free(z);
    /* the stored archive itself is fine: the same without tricks reads */
    raw_entry plain[] = {{"word/document.xml", doc, 0, 0}};
    z = make_raw_zip(plain, 1, &n);
    read_ok(z, n, &d);
    assert_int_equal(d.count, 1);
    sd_docx_doc_free(&d);
    free(z);
}

static void test_dtd_refused(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = make_docx(
        "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<w:document " WNS "><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>",
        &n);
    const char *m = read_fail(z, n, SD_EUNSAFE);
    assert_non_null(strstr(m, "DOCTYPE"));
    free(z);
    z = make_docx("<?xml version=\"1.0\"?><!DOCTYPE w:document SYSTEM \"http://example.com/x.dtd\">"
                  "<w:document " WNS "><w:body/></w:document>",
                  &n);
    read_fail(z, n, SD_EUNSAFE);
    free(z);
    /* an undeclared entity is just an error, nothing is fetched or expanded */
    z = make_docx(DOC("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"), &n);
    read_fail(z, n, SD_EPARSE);
    free(z);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "<w:document " WNS "><w:body>");
    for (int i = 0; i < 5000; i++)
        sd_buf_puts(&b, "<w:tbl><w:tr><w:tc>");
    for (int i = 0; i < 5000; i++)
        sd_buf_puts(&b, "</w:tc></w:tr></w:tbl>");
    sd_buf_puts(&b, "</w:body></w:document>");
    size_t n;
    unsigned char *z = make_docx(b.data, &n);
    sd_buf_free(&b);
    read_fail(z, n, SD_EPARSE);
    free(z);
    /* within the limit, nesting reads */
    sd_buf_init(&b);
    sd_buf_puts(&b, "<w:document " WNS "><w:body>");
    for (int i = 0; i < 60; i++)
        sd_buf_puts(&b, "<w:tbl><w:tr><w:tc>");
    sd_buf_puts(&b, "<w:p><w:r><w:t>deep</w:t></w:r></w:p>");
    for (int i = 0; i < 60; i++)
        sd_buf_puts(&b, "</w:tc></w:tr></w:tbl>");
    sd_buf_puts(&b, "</w:body></w:document>");
    z = make_docx(b.data, &n);
    sd_buf_free(&b);
    sd_docx_doc d;
    read_ok(z, n, &d);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].text, "deep");
    sd_docx_doc_free(&d);
    free(z);
}

static void test_zip_bomb(void **state)
{
    (void)state;
    /* 40 MB of spaces inside a valid document deflate to ~40 KB */
    size_t big = (size_t)40 << 20;
    char *x = malloc(big + 200);
    size_t k = (size_t)snprintf(x, 200, "<w:document " WNS "><w:body>");
    memset(x + k, ' ', big);
    memcpy(x + k + big, "</w:body></w:document>", sizeof "</w:body></w:document>");
    part p = {"word/document.xml", x, 0};
    size_t n;
    unsigned char *z = make_zip(&p, 1, &n);
    free(x);
    assert_true(n < ((size_t)1 << 20));
    const char *m = read_fail(z, n, SD_ELIMIT);
    assert_non_null(strstr(m, "zip bomb"));

    /* The same archive lying about its size (1000 bytes in both headers):
     * only the stated size (+ 1) is allocated, and inflating past it stops
     * the read. */
    assert_int_equal(z[0], 0x50);
    size_t eocd = n - 22;
    assert_true(z[eocd] == 0x50 && z[eocd + 1] == 0x4b && z[eocd + 2] == 5 && z[eocd + 3] == 6);
    size_t cd = (size_t)z[eocd + 16] | (size_t)z[eocd + 17] << 8 | (size_t)z[eocd + 18] << 16 |
                (size_t)z[eocd + 19] << 24;
    unsigned char small[4] = {0xe8, 0x03, 0, 0};
    memcpy(z + 22, small, 4);
    memcpy(z + cd + 24, small, 4);
    m = read_fail(z, n, SD_ELIMIT);
    assert_non_null(strstr(m, "inflates to more than"));
    free(z);
}

static void test_large_documents(void **state)
{
    (void)state;
    /* 10 MB of document.xml in 100 000 paragraphs: read, within bounds */
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "<w:document " WNS "><w:body>");
    for (int i = 0; i < 100000; i++)
        sd_buf_printf(&b, "<w:p><w:r><w:t>第%06d段：机关行政编制68名，设局长1名、副局长4名。</w:t></w:r></w:p>", i);
    sd_buf_puts(&b, "</w:body></w:document>");
    assert_true(b.len > (size_t)10000000);
    size_t n;
    unsigned char *z = make_docx(b.data, &n);
    sd_buf_free(&b);
    sd_docx_doc d;
    read_ok(z, n, &d);
    assert_int_equal(d.count, 100000);
    assert_string_equal(d.items[99999].text, "第099999段：机关行政编制68名，设局长1名、副局长4名。");
    sd_docx_doc_free(&d);
    free(z);
    /* one 11 MB paragraph, one text node: read whole */
    size_t big = 11u << 20;
    char *x = malloc(big + 300);
    size_t k = (size_t)snprintf(x, 300, "<w:document " WNS "><w:body><w:p><w:r><w:t>");
    memset(x + k, 'a', big);
    memcpy(x + k + big, "</w:t></w:r></w:p></w:body></w:document>",
           sizeof "</w:t></w:r></w:p></w:body></w:document>");
    z = make_docx(x, &n);
    free(x);
    read_ok(z, n, &d);
    assert_int_equal(d.count, 1);
    assert_int_equal(strlen(d.items[0].text), big);
    sd_docx_doc_free(&d);
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_read_round_trip),
        cmocka_unit_test(test_write_drops_controls),
        cmocka_unit_test(test_write_refuses_bad_utf8),
        cmocka_unit_test(test_written_archive_is_valid),
        cmocka_unit_test(test_runs_tabs_breaks_revisions),
        cmocka_unit_test(test_fields_keep_their_result),
        cmocka_unit_test(test_tables_and_boxes_in_reading_order),
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_centred_bold_heuristic),
        cmocka_unit_test(test_list_numbers),
        cmocka_unit_test(test_not_a_docx),
        cmocka_unit_test(test_truncated_zip),
        cmocka_unit_test(test_bad_crc_encrypted_and_odd_names),
        cmocka_unit_test(test_dtd_refused),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_large_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
