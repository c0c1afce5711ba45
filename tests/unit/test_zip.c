/*
 * test_zip.c — src/zip.h: what the writer writes the reader reads back (stored
 * and deflated, names found without case), and every kind of hostile archive
 * gets a clear error, never a crash or an allocation past its bounds:
 * truncated and garbage bytes, offsets and sizes outside the buffer, entry
 * counts that lie, duplicate names, encrypted entries, ZIP64 records (read
 * when consistent, refused when they lie), unsupported methods, zip bombs
 * (stated size over the limit, or inflating past the stated size), names with
 * NUL, ".." or a leading '/', CRC mismatches, multi-disk archives.
 *
 * Hostile archives are a good one from the writer with a field patched; the
 * offsets come from the format (APPNOTE 4.3.7, 4.3.12, 4.3.16).
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

#include "zip.h"

static void w16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void w32(unsigned char *p, uint32_t v)
{
    w16(p, v & 0xFFFF);
    w16(p + 2, v >> 16);
}

static unsigned r16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t r32(const unsigned char *p)
{
    return (uint32_t)r16(p) | (uint32_t)r16(p + 2) << 16;
}

typedef struct part {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
    int deflate;
} part;

static unsigned char *build(const part *p, size_t n, size_t *len)
{
    sd_zip_writer w;
    sd_zip_writer_init(&w);
    sd_error err = {0};
    for (size_t i = 0; i < n; i++) {
        size_t l = p[i].len ? p[i].len : strlen(p[i].data);
        if (sd_zip_writer_add(&w, p[i].name, p[i].data, l, p[i].deflate, &err) != SD_OK)
            fail_msg("add %s: %s", p[i].name, err.msg);
    }
    unsigned char *out = NULL;
    assert_int_equal(sd_zip_writer_finish(&w, &out, len, &err), SD_OK);
    return out;
}

/* Offsets in a written archive: the end record, and the k-th directory entry. */
static size_t eocd_of(size_t len)
{
    return len - 22;
}

static size_t central_of(const unsigned char *z, size_t len, size_t k)
{
    size_t p = r32(z + eocd_of(len) + 16);
    for (size_t i = 0; i < k; i++)
        p += 46 + r16(z + p + 28) + r16(z + p + 30) + r16(z + p + 32);
    assert_int_equal(r32(z + p), 0x02014b50);
    return p;
}

static const char *open_fail(const unsigned char *z, size_t n, sd_status want)
{
    static sd_error err;
    memset(&err, 0, sizeof err);
    sd_zip za;
    sd_status st = sd_zip_open(&za, z, n, &err);
    if (st != want)
        fail_msg("open: status %d, wanted %d (%s)", (int)st, (int)want, err.msg);
    assert_null(za.entries);
    assert_int_equal(za.count, 0);
    assert_true(err.msg[0] != '\0');
    sd_zip_close(&za);
    return err.msg;
}

/* Opens z (which must open) and extracts name with limit, wanting status want. */
static const char *extract_fail(const unsigned char *z, size_t n, const char *name, size_t limit,
                                sd_status want)
{
    static sd_error err;
    memset(&err, 0, sizeof err);
    sd_zip za;
    if (sd_zip_open(&za, z, n, &err) != SD_OK)
        fail_msg("open: %s", err.msg);
    const sd_zip_entry *e = sd_zip_find(&za, name);
    assert_non_null(e);
    unsigned char *data = (unsigned char *)"x";
    size_t len = 7;
    sd_status st = sd_zip_extract(&za, e, limit, &data, &len, &err);
    if (st != want)
        fail_msg("extract: status %d, wanted %d (%s)", (int)st, (int)want, err.msg);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_true(err.msg[0] != '\0');
    sd_zip_close(&za);
    return err.msg;
}

static void extract_ok(const unsigned char *z, size_t n, const char *name, const char *want,
                       size_t want_len)
{
    sd_error err = {0};
    sd_zip za;
    if (sd_zip_open(&za, z, n, &err) != SD_OK)
        fail_msg("open: %s", err.msg);
    const sd_zip_entry *e = sd_zip_find(&za, name);
    assert_non_null(e);
    unsigned char *data = NULL;
    size_t len = 0;
    if (sd_zip_extract(&za, e, (size_t)1 << 26, &data, &len, &err) != SD_OK)
        fail_msg("extract %s: %s", name, err.msg);
    assert_int_equal(len, want_len);
    assert_memory_equal(data, want, want_len);
    assert_int_equal(data[len], '\0');
    free(data);
    sd_zip_close(&za);
}

static const char DOC[] = "<?xml version=\"1.0\"?><w:document>第一条　为了……</w:document>";

/* ------------------------------------------------------------ round trip */

static void test_round_trip(void **state)
{
    (void)state;
    size_t big = (size_t)1 << 20;
    char *x = malloc(big);
    uint32_t s = 12345;
    for (size_t i = 0; i < big; i++) { /* half text, half noise */
        s = s * 1103515245u + 12345u;
        x[i] = i < big / 2 ? "abc def\n"[i % 8] : (char)(s >> 24);
    }
    part p[] = {{"[Content_Types].xml", DOC, 0, 1},
                {"word/document.xml", DOC, 0, 0},
                {"empty", "", 0, 1},
                {"empty-stored", "", 0, 0},
                {"big.bin", x, big, 1},
                {"文档/名字.xml", "\x00\x01\x02", 3, 1}};
    size_t n;
    unsigned char *z = build(p, 6, &n);
    sd_error err = {0};
    sd_zip za;
    assert_int_equal(sd_zip_open(&za, z, n, &err), SD_OK);
    assert_int_equal(za.count, 6);
    /* OPC part names compare without case */
    assert_ptr_equal(sd_zip_find(&za, "WORD/Document.XML"), &za.entries[1]);
    assert_null(sd_zip_find(&za, "word/document.xm"));
    assert_null(sd_zip_find(&za, "word/document.xml2"));
    assert_int_equal(za.entries[1].method, 0);
    assert_int_equal(za.entries[4].method, 8);
    assert_true(za.entries[4].csize < big);
    /* the UTF-8 flag on the non-ASCII name only */
    assert_int_equal(za.entries[5].flags & 0x800, 0x800);
    assert_int_equal(za.entries[1].flags & 0x800, 0);
    sd_zip_close(&za);
    for (size_t i = 0; i < 6; i++)
        extract_ok(z, n, p[i].name, p[i].data, p[i].len ? p[i].len : strlen(p[i].data));
    /* the same input gives the same bytes */
    size_t n2;
    unsigned char *z2 = build(p, 6, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(z, z2, n);
    free(z2);
    free(z);
    free(x);
}

/* The written archive is what other tools read: Python's zipfile tests it. */
static void test_others_read_it(void **state)
{
    (void)state;
    part p[] = {{"a.xml", DOC, 0, 1}, {"b/c.txt", "stored", 0, 0}};
    size_t n;
    unsigned char *z = build(p, 2, &n);
    char path[] = "/tmp/sdlint-test-zip-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(fwrite(z, 1, n, f), n);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); "
             "sys.exit(z.testzip() is not None or z.read(\"b/c.txt\") != b\"stored\")' %s",
             path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    free(z);
}

static void test_writer_refuses_bad_names(void **state)
{
    (void)state;
    const char *bad[] = {"", "/etc/passwd", "\\x", "a/../b", "..", "../x", "a\\..\\b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sd_zip_writer w;
        sd_zip_writer_init(&w);
        sd_error err = {0};
        assert_int_equal(sd_zip_writer_add(&w, bad[i], "x", 1, 1, &err), SD_EINVAL);
        assert_non_null(strstr(err.msg, "bad zip entry name"));
        sd_zip_writer_free(&w);
    }
    /* dots that are not a ".." step are fine */
    part ok[] = {{"a..b", "1", 0, 0}, {"..a/.b./...", "2", 0, 0}};
    size_t n;
    unsigned char *z = build(ok, 2, &n);
    extract_ok(z, n, "..a/.b./...", "2", 1);
    free(z);
}

/* ------------------------------------------------------------ hostile input */

static void test_truncated_and_garbage(void **state)
{
    (void)state;
    open_fail(NULL, 0, SD_EPARSE);
    const char *m = open_fail((const unsigned char *)"hello, world, not a zip at all", 30, SD_EPARSE);
    assert_non_null(strstr(m, "no end of central directory"));
    part p[] = {{"a.xml", DOC, 0, 1}, {"b.xml", DOC, 0, 0}};
    size_t n;
    unsigned char *z = build(p, 2, &n);
    /* every prefix is refused (at open, or at extraction), never a crash */
    for (size_t k = 0; k < n; k++) {
        unsigned char *c = malloc(k ? k : 1);
        memcpy(c, z, k);
        sd_error err = {0};
        sd_zip za;
        if (sd_zip_open(&za, c, k, &err) == SD_OK) {
            int refused = 0;
            for (size_t i = 0; i < za.count; i++) {
                unsigned char *d;
                size_t dl;
                if (sd_zip_extract(&za, &za.entries[i], 1 << 20, &d, &dl, &err) != SD_OK)
                    refused = 1;
                else
                    free(d);
            }
            assert_true(refused);
        }
        sd_zip_close(&za);
        free(c);
    }
    /* noise, and noise ending in an end record: no crash; what opens extracts
     * within bounds or is refused */
    uint32_t s = 7;
    for (int round = 0; round < 2000; round++) {
        size_t len = 22 + (size_t)(round % 300);
        unsigned char *c = malloc(len);
        for (size_t i = 0; i < len; i++) {
            s = s * 1103515245u + 12345u;
            c[i] = (unsigned char)(s >> 24);
        }
        if (round % 2) {
            w32(c + len - 22, 0x06054b50);
            w16(c + len - 2, 0);
            memset(c + len - 18, 0, 4); /* one disk */
        }
        sd_error err = {0};
        sd_zip za;
        if (sd_zip_open(&za, c, len, &err) == SD_OK) {
            for (size_t i = 0; i < za.count; i++) {
                unsigned char *d;
                size_t dl;
                if (sd_zip_extract(&za, &za.entries[i], 1 << 16, &d, &dl, &err) == SD_OK)
                    free(d);
            }
        }
        sd_zip_close(&za);
        free(c);
    }
    free(z);
}

static void test_offsets_outside(void **state)
{
    (void)state;
    part p[] = {{"a.xml", DOC, 0, 1}};
    size_t n;
    unsigned char *z = build(p, 1, &n);
    size_t e = eocd_of(n), c = central_of(z, n, 0);
    unsigned char *t = malloc(n);
    /* the directory past the end of the file */
    memcpy(t, z, n);
    w32(t + e + 16, 0x7FFFFFF0u);
    assert_non_null(strstr(open_fail(t, n, SD_EPARSE), "outside the file"));
    /* its size past the end record */
    memcpy(t, z, n);
    w32(t + e + 12, r32(z + e + 12) + 1);
    open_fail(t, n, SD_EPARSE);
    w32(t + e + 12, 0xFFFFFFF0u);
    open_fail(t, n, SD_EPARSE);
    /* the local header past the directory */
    memcpy(t, z, n);
    w32(t + c + 42, (uint32_t)n - 10);
    assert_non_null(strstr(open_fail(t, n, SD_EPARSE), "outside the file"));
    /* a compressed size past the file */
    memcpy(t, z, n);
    w32(t + c + 20, 0xFFFFFFF0u);
    open_fail(t, n, SD_EPARSE);
    w32(t + c + 20, r32(z + c + 20) + (uint32_t)n);
    open_fail(t, n, SD_EPARSE);
    /* a local header whose name and extra lengths push the data past the end */
    memcpy(t, z, n);
    w16(t + 28, 0xFFFF);
    assert_non_null(strstr(extract_fail(t, n, "a.xml", 1 << 20, SD_EPARSE), "runs past"));
    /* no local header where the directory says */
    memcpy(t, z, n);
    t[0] = 'X';
    assert_non_null(strstr(extract_fail(t, n, "a.xml", 1 << 20, SD_EPARSE), "local header"));
    /* name, extra and comment lengths running past the directory */
    memcpy(t, z, n);
    w16(t + c + 32, 0xFFFF);
    assert_non_null(strstr(open_fail(t, n, SD_EPARSE), "runs past"));
    free(t);
    free(z);
}

static void test_entry_counts_that_lie(void **state)
{
    (void)state;
    /* names long enough that a fourth entry could fit in the directory's size */
    part p[] = {{"word/a-rather-long-name.xml", DOC, 0, 1},
                {"word/b-rather-long-name.xml", DOC, 0, 1},
                {"word/c-rather-long-name.xml", DOC, 0, 1}};
    size_t n;
    unsigned char *z = build(p, 3, &n);
    size_t e = eocd_of(n);
    /* more than the directory holds */
    w16(z + e + 8, 4);
    w16(z + e + 10, 4);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "fewer entries than the 4"));
    /* far more than could fit: refused before anything is allocated for them */
    w16(z + e + 8, 0xFFFE);
    w16(z + e + 10, 0xFFFE);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "cannot fit"));
    /* fewer */
    w16(z + e + 8, 2);
    w16(z + e + 10, 2);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "more than the 2 entries"));
    /* this disk's count unlike the total: a split archive */
    w16(z + e + 8, 3);
    w16(z + e + 10, 3);
    w16(z + e + 8, 2);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "multi-disk"));
    w16(z + e + 8, 3);
    w16(z + e + 4, 1);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "multi-disk"));
    free(z);
}

static void test_duplicate_names(void **state)
{
    (void)state;
    part p[] = {{"word/document.xml", DOC, 0, 1}, {"x", "1", 0, 0}, {"word/document.xml", "evil", 0, 0}};
    size_t n;
    unsigned char *z = build(p, 3, &n);
    const char *m = open_fail(z, n, SD_EUNSAFE);
    assert_non_null(strstr(m, "two zip entries are named \"word/document.xml\""));
    free(z);
    /* alike but for case: the same OPC part name */
    part q[] = {{"word/document.xml", DOC, 0, 1}, {"Word/Document.XML", "evil", 0, 0}};
    z = build(q, 2, &n);
    open_fail(z, n, SD_EUNSAFE);
    free(z);
}

static void test_encrypted(void **state)
{
    (void)state;
    part p[] = {{"a.xml", DOC, 0, 1}};
    size_t n;
    unsigned char *z = build(p, 1, &n);
    size_t c = central_of(z, n, 0);
    w16(z + c + 8, r16(z + c + 8) | 1); /* traditional PKWARE encryption */
    assert_non_null(strstr(extract_fail(z, n, "a.xml", 1 << 20, SD_EUNSAFE), "encrypted"));
    w16(z + c + 8, (r16(z + c + 8) & ~1u) | 0x40); /* strong encryption */
    extract_fail(z, n, "a.xml", 1 << 20, SD_EUNSAFE);
    w16(z + c + 8, r16(z + c + 8) & ~0x40u);
    w16(z + c + 10, 99); /* WinZip AES */
    extract_fail(z, n, "a.xml", 1 << 20, SD_EUNSAFE);
    free(z);
}

static void test_unsupported_method(void **state)
{
    (void)state;
    part p[] = {{"a.xml", DOC, 0, 1}};
    size_t n;
    unsigned char *z = build(p, 1, &n);
    size_t c = central_of(z, n, 0);
    w16(z + c + 10, 12); /* bzip2 */
    const char *m = extract_fail(z, n, "a.xml", 1 << 20, SD_EPARSE);
    assert_non_null(strstr(m, "unsupported compression method (12)"));
    w16(z + c + 10, 14); /* LZMA */
    extract_fail(z, n, "a.xml", 1 << 20, SD_EPARSE);
    free(z);
}

static void test_bombs(void **state)
{
    (void)state;
    size_t big = (size_t)4 << 20; /* 4 MB of spaces deflate to 4 KB */
    char *x = malloc(big);
    memset(x, ' ', big);
    part p[] = {{"a.xml", x, big, 1}};
    size_t n;
    unsigned char *z = build(p, 1, &n);
    free(x);
    assert_true(n < 16384);
    /* stated size over the caller's limit: refused before allocating */
    const char *m = extract_fail(z, n, "a.xml", (size_t)1 << 20, SD_ELIMIT);
    assert_non_null(strstr(m, "over the limit of 1048576"));
    /* a stated size that lies (1000 bytes): only 1001 are allocated, and
     * inflating past them is the bomb */
    size_t c = central_of(z, n, 0);
    w32(z + c + 24, 1000);
    m = extract_fail(z, n, "a.xml", (size_t)1 << 20, SD_ELIMIT);
    assert_non_null(strstr(m, "inflates to more than the 1000 bytes"));
    /* a stated size larger than the data: damaged, not a bomb */
    w32(z + c + 24, (uint32_t)big + 1);
    m = extract_fail(z, n, "a.xml", (size_t)8 << 20, SD_EPARSE);
    assert_non_null(strstr(m, "not the 4194305"));
    /* a stored entry whose sizes disagree */
    part q[] = {{"s", "stored bytes", 0, 0}};
    unsigned char *s = build(q, 1, &n);
    c = central_of(s, n, 0);
    w32(s + c + 24, 5);
    assert_non_null(strstr(extract_fail(s, n, "s", 100, SD_EPARSE), "stored with 12 bytes"));
    free(s);
    free(z);
}

static void test_bad_names(void **state)
{
    (void)state;
    /* names patched in place, same length: "aaaa/bbbbbb" -> each trick */
    part p[] = {{"word/document.xml", DOC, 0, 1}, {"aaaa/bbbbbb", "1", 0, 0}};
    size_t n;
    unsigned char *z = build(p, 2, &n);
    size_t c = central_of(z, n, 1);
    struct {
        const char *name, *why;
    } bad[] = {{"aaaa/../bbb", "'..' step"}, {"../aaaabbbb", "'..' step"}, {"aaaa\\..\\bbb", "'..' step"},
               {"aaaa/bbb/..", "'..' step"}, {"/aaaabbbbbb", "absolute"}, {"\\aaaabbbbbb", "absolute"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        unsigned char *t = malloc(n);
        memcpy(t, z, n);
        memcpy(t + c + 46, bad[i].name, 11);
        const char *m = open_fail(t, n, SD_EUNSAFE);
        if (strstr(m, bad[i].why) == NULL)
            fail_msg("%s: %s", bad[i].name, m);
        free(t);
    }
    /* a NUL inside: C code would see "word/document.xml" */
    part q[] = {{"word/document.xmlXevil", "evil", 0, 0}};
    unsigned char *t = build(q, 1, &n);
    c = central_of(t, n, 0);
    t[c + 46 + 17] = '\0';
    assert_non_null(strstr(open_fail(t, n, SD_EUNSAFE), "NUL byte"));
    free(t);
    free(z);
}

static void test_crc_mismatch(void **state)
{
    (void)state;
    part p[] = {{"a.xml", DOC, 0, 1}, {"b.xml", DOC, 0, 0}};
    size_t n;
    unsigned char *z = build(p, 2, &n);
    for (size_t k = 0; k < 2; k++) {
        size_t c = central_of(z, n, k);
        w32(z + c + 16, r32(z + c + 16) ^ 1);
        const char *m = extract_fail(z, n, k ? "b.xml" : "a.xml", 1 << 20, SD_EPARSE);
        assert_non_null(strstr(m, "CRC-32"));
    }
    /* flipped data bytes: a CRC or inflate error (or, if the damage makes the
     * stream longer, the stated size), never a crash */
    unsigned char *t = build(p, 1, &n);
    size_t c = central_of(t, n, 0), data = 30 + 5, end = data + r32(t + c + 20);
    sd_zip za;
    sd_error err = {0};
    assert_int_equal(sd_zip_open(&za, t, n, &err), SD_OK);
    for (size_t k = data; k < end; k++) {
        t[k] ^= 0xA5;
        unsigned char *d = NULL;
        size_t dl = 0;
        sd_status st = sd_zip_extract(&za, &za.entries[0], 1 << 20, &d, &dl, &err);
        assert_true(st == SD_EPARSE || st == SD_ELIMIT);
        assert_null(d);
        t[k] ^= 0xA5;
    }
    sd_zip_close(&za);
    free(t);
    free(z);
}

/* Sizes given only in the directory (flag bit 3, zeros in the local header,
 * as a streaming writer leaves them) read. */
static void test_data_descriptor(void **state)
{
    (void)state;
    part p[] = {{"a.xml", DOC, 0, 1}};
    size_t n;
    unsigned char *z = build(p, 1, &n);
    size_t c = central_of(z, n, 0);
    w16(z + 6, r16(z + 6) | 8);
    w16(z + c + 8, r16(z + c + 8) | 8);
    memset(z + 14, 0, 12);
    extract_ok(z, n, "a.xml", DOC, strlen(DOC));
    free(z);
}

/* A one-entry stored archive in ZIP64 form (every 32-bit field saturated, the
 * values in the ZIP64 extra field and end records), as a streaming or .NET
 * writer makes. */
static unsigned char *zip64_archive(const char *data, size_t *len, int lie)
{
    size_t dl = strlen(data);
    unsigned char *z = calloc(1, 1024 + dl);
    size_t p = 0;
    uint32_t crc = 0;
    {
        /* the CRC of data: take it from a written archive */
        part q[] = {{"a.xml", data, 0, 0}};
        size_t qn;
        unsigned char *qz = build(q, 1, &qn);
        crc = r32(qz + 14);
        free(qz);
    }
    /* local header with a ZIP64 extra (usize, csize) */
    w32(z + p, 0x04034b50), w16(z + p + 4, 45), w32(z + p + 14, crc);
    w32(z + p + 18, 0xFFFFFFFFu), w32(z + p + 22, 0xFFFFFFFFu);
    w16(z + p + 26, 5), w16(z + p + 28, 20);
    memcpy(z + p + 30, "a.xml", 5);
    w16(z + p + 35, 1), w16(z + p + 37, 16);
    w32(z + p + 39, (uint32_t)dl), w32(z + p + 47, (uint32_t)dl);
    p += 30 + 5 + 20;
    memcpy(z + p, data, dl);
    p += dl;
    size_t cd = p;
    w32(z + p, 0x02014b50), w16(z + p + 4, 45), w16(z + p + 6, 45), w32(z + p + 16, crc);
    w32(z + p + 20, 0xFFFFFFFFu), w32(z + p + 24, 0xFFFFFFFFu), w16(z + p + 28, 5);
    w16(z + p + 30, 28), w32(z + p + 42, 0xFFFFFFFFu);
    memcpy(z + p + 46, "a.xml", 5);
    size_t x = p + 51;
    w16(z + x, 1), w16(z + x + 2, 24);
    w32(z + x + 4, (uint32_t)dl), w32(z + x + 12, (uint32_t)dl), w32(z + x + 20, 0);
    p += 46 + 5 + 28;
    size_t cd_len = p - cd, e64 = p;
    w32(z + p, 0x06064b50), w32(z + p + 4, 44), w16(z + p + 12, 45), w16(z + p + 14, 45);
    w32(z + p + 24, lie == 1 ? 5 : 1), w32(z + p + 32, lie == 1 ? 5 : 1);
    w32(z + p + 40, (uint32_t)cd_len), w32(z + p + 48, lie == 2 ? 0x7FFFFF00u : (uint32_t)cd);
    p += 56;
    w32(z + p, 0x07064b50), w32(z + p + 8, (uint32_t)e64), w32(z + p + 16, 1);
    p += 20;
    w32(z + p, 0x06054b50), w16(z + p + 8, 0xFFFF), w16(z + p + 10, 0xFFFF);
    w32(z + p + 12, 0xFFFFFFFFu), w32(z + p + 16, 0xFFFFFFFFu);
    p += 22;
    *len = p;
    return z;
}

static void test_zip64(void **state)
{
    (void)state;
    size_t n;
    unsigned char *z = zip64_archive(DOC, &n, 0);
    extract_ok(z, n, "a.xml", DOC, strlen(DOC));
    /* a ZIP64 count that lies, a directory offset outside the file */
    free(z);
    z = zip64_archive(DOC, &n, 1);
    open_fail(z, n, SD_EPARSE);
    free(z);
    z = zip64_archive(DOC, &n, 2);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "outside the file"));
    free(z);
    /* saturated fields without the ZIP64 records: the locator broken */
    z = zip64_archive(DOC, &n, 0);
    z[n - 22 - 20] = 'X';
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "no ZIP64 record"));
    free(z);
    /* a saturated entry field without its ZIP64 extra */
    z = zip64_archive(DOC, &n, 0);
    size_t c = r32(z + n - 22 - 20 - 56 + 48);
    w16(z + c + 51, 0x5455); /* the extra's id no longer 1 */
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "no ZIP64 field"));
    free(z);
    /* a ZIP64 archive split over disks */
    z = zip64_archive(DOC, &n, 0);
    w32(z + n - 22 - 20 + 16, 2);
    assert_non_null(strstr(open_fail(z, n, SD_EPARSE), "multi-disk"));
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_others_read_it),
        cmocka_unit_test(test_writer_refuses_bad_names),
        cmocka_unit_test(test_truncated_and_garbage),
        cmocka_unit_test(test_offsets_outside),
        cmocka_unit_test(test_entry_counts_that_lie),
        cmocka_unit_test(test_duplicate_names),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_unsupported_method),
        cmocka_unit_test(test_bombs),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_crc_mismatch),
        cmocka_unit_test(test_data_descriptor),
        cmocka_unit_test(test_zip64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
