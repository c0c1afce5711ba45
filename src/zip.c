/*
 * zip.c — ZIP archives in memory over zlib (see zip.h for what is read,
 * written and refused).
 *
 * Place in the pipeline: under src/docx.c only, i.e. `sdlint import X.docx`
 * and `sdlint render -o X.docx`.  It replaces libzip, whose loading (with
 * libcrypto, libbz2 and liblzma) every run paid for, docx or not; zlib is
 * loaded by libxml2 anyway.
 *
 * Cost bounds: see zip.h — a directory read is O(n log n) in its entries, an
 * extraction allocates at most its stated size + 1 (never more than the
 * caller's limit + 1) and inflates once; the writer holds the archive once
 * plus one deflate buffer of zlib's bound for the entry being added.
 */
#include "zip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define EOCD_LEN 22
#define EOCD64_LEN 56
#define LOC64_LEN 20

/* What libzip wrote, kept so that a rendered .docx keeps its bytes: made by
 * Unix (3), version 6.3; a regular file rw-rw-rw- (0100666). */
#define MADE_BY 0x033Fu
#define EXT_ATTR 0x81B60000u
/* 1980-01-01 00:00 in DOS format: the same input gives the same bytes. */
#define DOS_TIME 0u
#define DOS_DATE ((1u << 5) | 1u)

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Does [off, off + n) lie within [0, end)?  Without overflow. */
static int within(uint64_t off, uint64_t n, uint64_t end)
{
    return off <= end && n <= end - off;
}

/* An entry's name for a message: at most 200 bytes, not cut inside a UTF-8
 * character (the command escapes what a terminal should not see). */
static int shown_len(const sd_zip_entry *e)
{
    size_t n = e->name_len > 200 ? sd_utf8_cut((const char *)e->name, 200) : e->name_len;
    return (int)n;
}

#define NAME_FMT "%.*s"
#define NAME_ARG(e) shown_len(e), (const char *)(e)->name

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int name_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        int d = fold(a[i]) - fold(b[i]);
        if (d)
            return d;
    }
    return an < bn ? -1 : an > bn;
}

static int entry_ptr_cmp(const void *a, const void *b)
{
    const sd_zip_entry *x = *(const sd_zip_entry *const *)a;
    const sd_zip_entry *y = *(const sd_zip_entry *const *)b;
    return name_cmp(x->name, x->name_len, y->name, y->name_len);
}

/* A name we refuse to hold: a NUL (the name C code sees is not the one in the
 * archive), an absolute path, or a ".." step (an OPC part name has neither). */
static const char *bad_name(const unsigned char *s, size_t n)
{
    if (memchr(s, '\0', n) != NULL)
        return "holds a NUL byte";
    if (n > 0 && (s[0] == '/' || s[0] == '\\'))
        return "is an absolute path";
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '/' && s[j] != '\\')
            j++;
        if (j - i == 2 && s[i] == '.' && s[i + 1] == '.')
            return "has a '..' step";
        i = j + 1;
    }
    return NULL;
}

void sd_zip_close(sd_zip *z)
{
    if (z == NULL)
        return;
    free(z->entries);
    memset(z, 0, sizeof *z);
}

/* The ZIP64 end of central directory record, through its locator just before
 * the classic record at eocd; fills the counts and offsets from it. */
static sd_status read_eocd64(const unsigned char *b, size_t eocd, uint64_t *count, uint64_t *cd_size,
                             uint64_t *cd_off, size_t *dir_end, sd_error *err)
{
    if (eocd < LOC64_LEN || rd32(b + eocd - LOC64_LEN) != SIG_LOC64)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: a saturated field in the end of central "
                            "directory and no ZIP64 record");
    const unsigned char *loc = b + eocd - LOC64_LEN;
    uint64_t off = rd64(loc + 8);
    if (rd32(loc + 4) != 0 || rd32(loc + 16) > 1)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "a multi-disk (split) zip archive is not supported");
    if (!within(off, EOCD64_LEN, eocd - LOC64_LEN) || rd32(b + off) != SIG_EOCD64)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: the ZIP64 end of central directory is "
                            "outside the file");
    const unsigned char *r = b + off;
    uint64_t n_this = rd64(r + 24), n_total = rd64(r + 32);
    if (rd32(r + 16) != 0 || rd32(r + 20) != 0 || n_this != n_total)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "a multi-disk (split) zip archive is not supported");
    if (*count == 0xFFFF)
        *count = n_total;
    if (*cd_size == 0xFFFFFFFFu)
        *cd_size = rd64(r + 40);
    if (*cd_off == 0xFFFFFFFFu)
        *cd_off = rd64(r + 48);
    *dir_end = (size_t)off;
    return SD_OK;
}

/* The ZIP64 extended information extra field (id 1) of a directory entry:
 * the saturated sizes and offset, in that order. */
static sd_status read_zip64_extra(const unsigned char *x, size_t xlen, sd_zip_entry *e, unsigned disk,
                                  size_t index, sd_error *err)
{
    int need_u = e->usize == 0xFFFFFFFFu, need_c = e->csize == 0xFFFFFFFFu,
        need_o = e->local_off == 0xFFFFFFFFu;
    if (!need_u && !need_c && !need_o && disk != 0xFFFF)
        return SD_OK;
    for (size_t p = 0; p + 4 <= xlen;) {
        unsigned id = rd16(x + p), sz = rd16(x + p + 2);
        if (sz > xlen - p - 4)
            break;
        if (id == 1) {
            const unsigned char *v = x + p + 4;
            size_t want = 8u * (size_t)(need_u + need_c + need_o) + (disk == 0xFFFF ? 4u : 0u);
            if (sz < want)
                break;
            if (need_u)
                e->usize = rd64(v), v += 8;
            if (need_c)
                e->csize = rd64(v), v += 8;
            if (need_o)
                e->local_off = rd64(v), v += 8;
            if (disk == 0xFFFF && rd32(v) != 0)
                return sd_error_set(err, SD_EPARSE, "", 0,
                                    "a multi-disk (split) zip archive is not supported");
            return SD_OK;
        }
        p += 4 + (size_t)sz;
    }
    return sd_error_set(err, SD_EPARSE, "", 0,
                        "not a readable zip archive: entry %zu has a saturated size or offset "
                        "and no ZIP64 field giving it",
                        index + 1);
}

sd_status sd_zip_open(sd_zip *z, const unsigned char *b, size_t len, sd_error *err)
{
    memset(z, 0, sizeof *z);
    if (b == NULL || len < EOCD_LEN)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: too short for one");
    /* The end record: the last signature whose comment ends at or before the
     * end of the file (a comment is at most 65 535 bytes). */
    size_t eocd = 0;
    int found = 0;
    size_t lowest = len - EOCD_LEN > 0xFFFF ? len - EOCD_LEN - 0xFFFF : 0;
    for (size_t p = len - EOCD_LEN + 1; p-- > lowest;) {
        if (rd32(b + p) == SIG_EOCD && rd16(b + p + 20) <= len - EOCD_LEN - p) {
            eocd = p;
            found = 1;
            break;
        }
    }
    if (!found)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: no end of central directory (a truncated "
                            "or damaged file?)");
    const unsigned char *r = b + eocd;
    unsigned disk = rd16(r + 4), cd_disk = rd16(r + 6), n_this = rd16(r + 8);
    uint64_t count = rd16(r + 10), cd_size = rd32(r + 12), cd_off = rd32(r + 16);
    size_t dir_end = eocd;
    if (count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) {
        sd_status st = read_eocd64(b, eocd, &count, &cd_size, &cd_off, &dir_end, err);
        if (st != SD_OK)
            return st;
    } else if (disk != 0 || cd_disk != 0 || n_this != count) {
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "a multi-disk (split) zip archive is not supported");
    } else if (eocd >= LOC64_LEN + EOCD64_LEN && rd32(b + eocd - LOC64_LEN) == SIG_LOC64) {
        /* A ZIP64 record the classic one did not need (.NET writes one): the
         * directory ends before it. */
        uint64_t off = rd64(b + eocd - LOC64_LEN + 8);
        if (within(off, EOCD64_LEN, eocd - LOC64_LEN) && rd32(b + off) == SIG_EOCD64)
            dir_end = (size_t)off;
    }
    if (!within(cd_off, cd_size, dir_end))
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: the central directory (%llu bytes at "
                            "%llu) is outside the file",
                            (unsigned long long)cd_size, (unsigned long long)cd_off);
    if (count > cd_size / CENTRAL_LEN)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: %llu entries cannot fit in a central "
                            "directory of %llu bytes",
                            (unsigned long long)count, (unsigned long long)cd_size);
    sd_zip_entry *es = calloc(count ? (size_t)count : 1, sizeof *es);
    if (es == NULL)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading the zip directory");
    sd_status st = SD_OK;
    size_t p = (size_t)cd_off, end = (size_t)(cd_off + cd_size);
    for (size_t i = 0; i < count && st == SD_OK; i++) {
        if (end - p < CENTRAL_LEN || rd32(b + p) != SIG_CENTRAL) {
            st = sd_error_set(err, SD_EPARSE, "", 0,
                              "not a readable zip archive: the central directory holds fewer "
                              "entries than the %llu it states (entry %zu is missing or damaged)",
                              (unsigned long long)count, i + 1);
            break;
        }
        const unsigned char *c = b + p;
        size_t nlen = rd16(c + 28), xlen = rd16(c + 30), clen = rd16(c + 32);
        if (end - p - CENTRAL_LEN < nlen + xlen + clen) {
            st = sd_error_set(err, SD_EPARSE, "", 0,
                              "not a readable zip archive: entry %zu runs past the central "
                              "directory",
                              i + 1);
            break;
        }
        sd_zip_entry *e = &es[i];
        e->flags = rd16(c + 8);
        e->method = rd16(c + 10);
        e->crc = rd32(c + 16);
        e->csize = rd32(c + 20);
        e->usize = rd32(c + 24);
        e->local_off = rd32(c + 42);
        e->name = c + CENTRAL_LEN;
        e->name_len = nlen;
        unsigned edisk = rd16(c + 34);
        st = read_zip64_extra(c + CENTRAL_LEN + nlen, xlen, e, edisk, i, err);
        if (st != SD_OK)
            break;
        if (edisk != 0 && edisk != 0xFFFF) {
            st = sd_error_set(err, SD_EPARSE, "", 0,
                              "a multi-disk (split) zip archive is not supported");
            break;
        }
        const char *why = bad_name(e->name, nlen);
        if (why != NULL) {
            st = sd_error_set(err, SD_EUNSAFE, "", 0,
                              "refused: the zip entry name \"" NAME_FMT "\" %s", NAME_ARG(e), why);
            break;
        }
        if (!within(e->local_off, LOCAL_LEN, cd_off) || e->csize > cd_off) {
            st = sd_error_set(err, SD_EPARSE, "", 0,
                              "not a readable zip archive: the data of \"" NAME_FMT
                              "\" is outside the file",
                              NAME_ARG(e));
            break;
        }
        p += CENTRAL_LEN + nlen + xlen + clen;
    }
    if (st == SD_OK && p != end)
        st = sd_error_set(err, SD_EPARSE, "", 0,
                          "not a readable zip archive: the central directory holds more than "
                          "the %llu entries it states",
                          (unsigned long long)count);
    if (st == SD_OK && count > 1) {
        const sd_zip_entry **by_name = malloc((size_t)count * sizeof *by_name);
        if (by_name == NULL) {
            st = sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading the zip directory");
        } else {
            for (size_t i = 0; i < count; i++)
                by_name[i] = &es[i];
            qsort(by_name, (size_t)count, sizeof *by_name, entry_ptr_cmp);
            for (size_t i = 1; i < count && st == SD_OK; i++)
                if (entry_ptr_cmp(&by_name[i - 1], &by_name[i]) == 0)
                    st = sd_error_set(err, SD_EUNSAFE, "", 0,
                                      "refused: two zip entries are named \"" NAME_FMT
                                      "\" (which one a reader takes differs)",
                                      NAME_ARG(by_name[i]));
            free(by_name);
        }
    }
    if (st != SD_OK) {
        free(es);
        return st;
    }
    z->bytes = b;
    z->len = len;
    z->entries = es;
    z->count = (size_t)count;
    return SD_OK;
}

const sd_zip_entry *sd_zip_find(const sd_zip *z, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < z->count; i++)
        if (name_cmp(z->entries[i].name, z->entries[i].name_len, (const unsigned char *)name, n) == 0)
            return &z->entries[i];
    return NULL;
}

/* CRC-32 of any length (zlib takes an unsigned int at a time). */
static uint32_t crc_of(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt k = n > UINT_MAX ? UINT_MAX : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

static sd_status inflate_entry(const sd_zip_entry *e, const unsigned char *in, size_t n_in,
                               unsigned char *out, size_t n_out, sd_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory inflating \"" NAME_FMT "\"",
                            NAME_ARG(e));
    /* One byte more than stated: if inflate fills it, the entry lies. */
    size_t cap = n_out + 1, got = 0;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (zs.avail_in == 0 && n_in > 0) {
            zs.next_in = (unsigned char *)in;
            zs.avail_in = n_in > UINT_MAX ? UINT_MAX : (uInt)n_in;
            in += zs.avail_in;
            n_in -= zs.avail_in;
        }
        if (zs.avail_out == 0) {
            if (got == cap)
                break;
            zs.next_out = out + got;
            zs.avail_out = cap - got > UINT_MAX ? UINT_MAX : (uInt)(cap - got);
        }
        uInt before = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        got += before - zs.avail_out;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && n_in == 0)
            break; /* no more input and no end of stream: truncated */
        if (rc == Z_BUF_ERROR && zs.avail_out == 0)
            rc = Z_OK;
    }
    const char *msg = zs.msg;
    inflateEnd(&zs);
    if (got > n_out)
        return sd_error_set(err, SD_ELIMIT, "", 0,
                            "\"" NAME_FMT "\" inflates to more than the %zu bytes its zip header "
                            "states (a zip bomb?); refused",
                            NAME_ARG(e), n_out);
    if (rc == Z_MEM_ERROR)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory inflating \"" NAME_FMT "\"",
                            NAME_ARG(e));
    if (rc == Z_DATA_ERROR)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "\"" NAME_FMT "\" is damaged: its compressed data is not valid (%s)",
                            NAME_ARG(e), msg ? msg : "deflate error");
    if (rc != Z_STREAM_END)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "\"" NAME_FMT "\" is damaged: its compressed data ends too early",
                            NAME_ARG(e));
    if (got < n_out)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "\"" NAME_FMT "\" is damaged: it inflates to %zu bytes, not the %zu "
                            "its zip header states",
                            NAME_ARG(e), got, n_out);
    return SD_OK;
}

sd_status sd_zip_extract(const sd_zip *z, const sd_zip_entry *e, size_t limit,
                         unsigned char **data, size_t *len, sd_error *err)
{
    *data = NULL;
    *len = 0;
    if ((e->flags & 0x41u) != 0 || e->method == 99)
        return sd_error_set(err, SD_EUNSAFE, "", 0, "\"" NAME_FMT "\" is encrypted", NAME_ARG(e));
    if (e->method != 0 && e->method != 8)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "\"" NAME_FMT "\" uses an unsupported compression method (%u)",
                            NAME_ARG(e), e->method);
    if (e->usize > limit)
        return sd_error_set(err, SD_ELIMIT, "", 0,
                            "\"" NAME_FMT "\" would inflate to %llu bytes, over the limit of %zu "
                            "(a zip bomb?); refused",
                            NAME_ARG(e), (unsigned long long)e->usize, limit);
    /* The local header: only its name and extra lengths are used (the sizes
     * may be zero there, with a data descriptor after the data). */
    const unsigned char *b = z->bytes;
    if (!within(e->local_off, LOCAL_LEN, z->len) || rd32(b + e->local_off) != SIG_LOCAL)
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: the local header of \"" NAME_FMT
                            "\" is missing",
                            NAME_ARG(e));
    const unsigned char *lh = b + e->local_off;
    uint64_t data_off = e->local_off + LOCAL_LEN + rd16(lh + 26) + rd16(lh + 28);
    if (!within(data_off, e->csize, z->len))
        return sd_error_set(err, SD_EPARSE, "", 0,
                            "not a readable zip archive: the data of \"" NAME_FMT
                            "\" runs past the end of the file",
                            NAME_ARG(e));
    size_t n = (size_t)e->usize;
    unsigned char *out = malloc(n + 1);
    if (out == NULL)
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory reading \"" NAME_FMT "\"",
                            NAME_ARG(e));
    sd_status st = SD_OK;
    if (e->method == 0) {
        if (e->csize != e->usize)
            st = sd_error_set(err, SD_EPARSE, "", 0,
                              "\"" NAME_FMT "\" is damaged: stored with %llu bytes but %llu "
                              "stated",
                              NAME_ARG(e), (unsigned long long)e->csize,
                              (unsigned long long)e->usize);
        else if (n > 0)
            memcpy(out, b + data_off, n);
    } else {
        st = inflate_entry(e, b + data_off, (size_t)e->csize, out, n, err);
    }
    if (st == SD_OK && crc_of(out, n) != e->crc)
        st = sd_error_set(err, SD_EPARSE, "", 0,
                          "\"" NAME_FMT "\" is damaged: its CRC-32 does not match", NAME_ARG(e));
    if (st != SD_OK) {
        free(out);
        return st;
    }
    out[n] = '\0';
    *data = out;
    *len = n;
    return SD_OK;
}

/* ---------------------------------------------------------------- writing */

void sd_zip_writer_init(sd_zip_writer *w)
{
    memset(w, 0, sizeof *w);
    sd_buf_init(&w->out);
    sd_buf_init(&w->cd);
}

void sd_zip_writer_free(sd_zip_writer *w)
{
    sd_buf_free(&w->out);
    sd_buf_free(&w->cd);
    memset(w, 0, sizeof *w);
}

static void put16(sd_buf *b, unsigned v)
{
    char x[2] = {(char)(v & 0xFF), (char)((v >> 8) & 0xFF)};
    sd_buf_add(b, x, 2);
}

static void put32(sd_buf *b, uint32_t v)
{
    put16(b, v & 0xFFFFu);
    put16(b, v >> 16);
}

/* The deflated form of data (raw deflate, level 9, memory level 9: libzip's
 * parameters).  Returns a malloc'd buffer, or NULL on failure. */
static unsigned char *deflate_all(const void *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong bound = deflateBound(&zs, (uLong)len);
    unsigned char *out = bound <= UINT_MAX ? malloc(bound ? bound : 1) : NULL;
    if (out != NULL) {
        zs.next_in = (unsigned char *)data;
        zs.avail_in = (uInt)len;
        zs.next_out = out;
        zs.avail_out = (uInt)bound;
        if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
            free(out);
            out = NULL;
        } else {
            *out_len = (size_t)zs.total_out;
        }
    }
    deflateEnd(&zs);
    return out;
}

sd_status sd_zip_writer_add(sd_zip_writer *w, const char *name, const void *data, size_t len,
                            int deflate, sd_error *err)
{
    size_t nlen = strlen(name);
    if (nlen == 0 || nlen > 0xFFFF || bad_name((const unsigned char *)name, nlen) != NULL)
        return sd_error_set(err, SD_EINVAL, "", 0, "a bad zip entry name: \"%.200s\"", name);
    if (len > 0xFFFFFFFEu || w->out.len > 0xFFFFFFFEu || w->count >= 0xFFFE)
        return sd_error_set(err, SD_ELIMIT, "", 0,
                            "%s: the archive would need ZIP64 (over 4 GiB or 65 535 entries)",
                            name);
    unsigned char *packed = NULL;
    size_t plen = len;
    if (deflate) {
        packed = deflate_all(data, len, &plen);
        if (packed == NULL)
            return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory compressing %s", name);
    }
    int utf8 = 0;
    for (size_t i = 0; i < nlen; i++)
        utf8 |= (unsigned char)name[i] >= 0x80;
    unsigned flags = (deflate ? 0x0002u : 0u) | (utf8 ? 0x0800u : 0u);
    unsigned method = deflate ? 8u : 0u, needed = deflate ? 20u : 10u;
    uint32_t crc = crc_of(data, len), off = (uint32_t)w->out.len;

    put32(&w->out, SIG_LOCAL);
    put16(&w->out, needed);
    put16(&w->out, flags);
    put16(&w->out, method);
    put16(&w->out, DOS_TIME);
    put16(&w->out, DOS_DATE);
    put32(&w->out, crc);
    put32(&w->out, (uint32_t)plen);
    put32(&w->out, (uint32_t)len);
    put16(&w->out, (unsigned)nlen);
    put16(&w->out, 0);
    sd_buf_add(&w->out, name, nlen);
    if (plen > 0)
        sd_buf_add(&w->out, packed ? (const char *)packed : (const char *)data, plen);
    free(packed);

    put32(&w->cd, SIG_CENTRAL);
    put16(&w->cd, MADE_BY);
    put16(&w->cd, needed);
    put16(&w->cd, flags);
    put16(&w->cd, method);
    put16(&w->cd, DOS_TIME);
    put16(&w->cd, DOS_DATE);
    put32(&w->cd, crc);
    put32(&w->cd, (uint32_t)plen);
    put32(&w->cd, (uint32_t)len);
    put16(&w->cd, (unsigned)nlen);
    put16(&w->cd, 0); /* extra */
    put16(&w->cd, 0); /* comment */
    put16(&w->cd, 0); /* disk */
    put16(&w->cd, 0); /* internal attributes */
    put32(&w->cd, EXT_ATTR);
    put32(&w->cd, off);
    sd_buf_add(&w->cd, name, nlen);
    w->count++;
    if (sd_buf_failed(&w->out) || sd_buf_failed(&w->cd)) {
        w->failed = 1;
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory writing the archive");
    }
    return SD_OK;
}

sd_status sd_zip_writer_finish(sd_zip_writer *w, unsigned char **bytes, size_t *len,
                               sd_error *err)
{
    *bytes = NULL;
    *len = 0;
    if (w->failed) {
        sd_zip_writer_free(w);
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory writing the archive");
    }
    if (w->out.len > 0xFFFFFFFFu || w->cd.len > 0xFFFFFFFFu - w->out.len) {
        sd_zip_writer_free(w);
        return sd_error_set(err, SD_ELIMIT, "", 0,
                            "the archive would need ZIP64 (over 4 GiB)");
    }
    uint32_t cd_off = (uint32_t)w->out.len, cd_len = (uint32_t)w->cd.len;
    sd_buf_add(&w->out, w->cd.data ? w->cd.data : "", w->cd.len);
    put32(&w->out, SIG_EOCD);
    put16(&w->out, 0);
    put16(&w->out, 0);
    put16(&w->out, (unsigned)w->count);
    put16(&w->out, (unsigned)w->count);
    put32(&w->out, cd_len);
    put32(&w->out, cd_off);
    put16(&w->out, 0);
    if (sd_buf_failed(&w->out)) {
        sd_zip_writer_free(w);
        return sd_error_set(err, SD_ENOMEM, "", 0, "out of memory writing the archive");
    }
    *bytes = (unsigned char *)w->out.data;
    *len = w->out.len;
    w->out.data = NULL;
    sd_zip_writer_free(w);
    return SD_OK;
}
