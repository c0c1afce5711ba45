/*
 * load.c — safe reading and parsing of one input.
 *
 * Reading: regular files are size-checked before a byte is read; FIFOs and
 * standard input are read with the same cap while streaming, so no input can
 * exhaust memory.  Directories, missing and unreadable files become SD001.
 *
 * Parsing: libxml2 with XML_PARSE_NONET | XML_PARSE_BIG_LINES and without
 * NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE.  A DOCTYPE is refused outright
 * (SD004) from the internalSubset callback, which stops the parser before any
 * declaration inside it is read — entity bombs and XXE never get a chance.
 * libxml2's own limits (depth 256, 10 MB text nodes) surface as SD004 too.
 * Errors are captured per parser context through sax->serror, never through
 * libxml2's global handlers, so several threads can parse at once.
 *
 * Encoding: input without a declaration (or declaring UTF-8) is checked as
 * UTF-8 here, which gives an exact line and column for the first bad byte and
 * a hint when the bytes look like GBK.  Declared encodings (GB18030, GBK, ...)
 * are decoded by libxml2 through iconv.  Cost: one pass over the bytes.
 */
#include "load.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "pos.h"
#include "quiet.h"

#define MAX_PARSE_FINDINGS 20

static size_t max_bytes_of(const sd_load_options *opt)
{
    size_t max = (opt && opt->max_bytes) ? opt->max_bytes : SD_LOAD_DEFAULT_MAX_BYTES;
    /* Readers allocate max + 1: a caller's SIZE_MAX must not wrap to 0. */
    return max > ((size_t)1 << 60) ? ((size_t)1 << 60) : max;
}

static sd_lang lang_of(const sd_load_options *opt)
{
    return opt ? opt->lang : SD_LANG_ZH;
}

void sd_source_free(sd_source *src)
{
    if (src == NULL)
        return;
    free(src->path);
    free(src->bytes);
    free(src->line_starts);
    memset(src, 0, sizeof *src);
}

void sd_load_doc_free(xmlDocPtr doc)
{
    sd_pos_doc_free(doc);
}

static sd_status fatal(sd_diags *d, sd_error *err, const char *rule, const char *file,
                       long line, long col, const char *msg)
{
    return sd_diags_addf(d, err, rule, SD_SEV_FATAL, file, line, col, NULL, "%s", msg);
}

static sd_status too_big(sd_diags *d, sd_error *err, const char *path, size_t max,
                         sd_lang lang)
{
    char msg[256];
    snprintf(msg, sizeof msg,
             SD_TR(lang, "文件超过大小上限 %zu 字节，拒绝检查（可用 --max-size 调整）",
                   "file exceeds the size limit of %zu bytes; refused (see --max-size)"),
             max);
    return fatal(d, err, "SD004", path, 0, 0, msg);
}

/* Reads everything from fd up to max bytes.  Returns 0, or -1 with errno set,
 * or 1 when the input is larger than max. */
static int read_all(int fd, size_t max, size_t hint, unsigned char **out, size_t *outlen)
{
    size_t cap = hint ? hint + 1 : 65536, len = 0;
    if (cap > max + 1)
        cap = max + 1;
    unsigned char *buf = malloc(cap + 1);
    if (buf == NULL)
        return -1;
    for (;;) {
        if (len == cap) {
            if (cap > max) {
                free(buf);
                return 1;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            unsigned char *nb = realloc(buf, ncap + 1);
            if (nb == NULL) {
                free(buf);
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        size_t asked = cap - len;
        ssize_t n = read(fd, buf + len, asked);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max) {
            free(buf);
            return 1;
        }
        /* A regular file (a hint is its size) returns less than asked only
         * at its end: no second read to hear so.  A file grown since its
         * fstat fills the buffer and is read on, up to the limit. */
        if (hint && (size_t)n < asked)
            break;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

static sd_status read_fd_into(int fd, const char *display, size_t hint,
                              const sd_load_options *opt, sd_source *src, sd_diags *d,
                              sd_error *err)
{
    sd_lang lang = lang_of(opt);
    size_t max = max_bytes_of(opt);
    unsigned char *bytes = NULL;
    size_t len = 0;
    int r = read_all(fd, max, hint, &bytes, &len);
    if (r == 1)
        return too_big(d, err, display, max, lang);
    if (r < 0) {
        if (errno == ENOMEM)
            return sd_error_set(err, SD_ENOMEM, display, 0, "out of memory reading input");
        char msg[512];
        snprintf(msg, sizeof msg, SD_TR(lang, "无法读取文件：%s", "cannot read file: %s"),
                 SD_STRERROR(errno));
        return fatal(d, err, "SD001", display, 0, 0, msg);
    }
    src->bytes = bytes;
    src->len = len;
    return SD_OK;
}

static sd_status init_source(sd_source *src, const char *display, sd_error *err)
{
    memset(src, 0, sizeof *src);
    src->path = strdup(display);
    if (src->path == NULL)
        return sd_error_set(err, SD_ENOMEM, display, 0, "out of memory");
    return SD_OK;
}

sd_status sd_load_read_fd(int fd, const char *display, const sd_load_options *opt,
                          sd_source *src, sd_diags *d, sd_error *err)
{
    return sd_load_read_fd_sized(fd, display, 0, opt, src, d, err);
}

sd_status sd_load_read_fd_sized(int fd, const char *display, size_t size,
                                const sd_load_options *opt, sd_source *src, sd_diags *d,
                                sd_error *err)
{
    sd_status st = init_source(src, display, err);
    if (st != SD_OK)
        return st;
    if (size > max_bytes_of(opt))
        return too_big(d, err, display, max_bytes_of(opt), lang_of(opt));
    return read_fd_into(fd, display, size, opt, src, d, err);
}

sd_status sd_load_read_file(const char *path, const sd_load_options *opt, sd_source *src,
                            sd_diags *d, sd_error *err)
{
    sd_lang lang = lang_of(opt);
    sd_status st = init_source(src, path, err);
    if (st != SD_OK)
        return st;
    char msg[512];
    /* O_NONBLOCK so that opening a FIFO nobody writes to cannot hang the run. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            snprintf(msg, sizeof msg, "%s", SD_TR(lang, "文件不存在", "no such file"));
        else if (e == EACCES)
            snprintf(msg, sizeof msg, "%s",
                     SD_TR(lang, "没有读取权限", "permission denied"));
        else if (e == ELOOP)
            snprintf(msg, sizeof msg, "%s",
                     SD_TR(lang, "符号链接循环", "too many levels of symbolic links"));
        else
            snprintf(msg, sizeof msg, SD_TR(lang, "无法打开文件：%s", "cannot open file: %s"),
                     SD_STRERROR(e));
        return fatal(d, err, "SD001", path, 0, 0, msg);
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(msg, sizeof msg, SD_TR(lang, "无法读取文件：%s", "cannot read file: %s"),
                 SD_STRERROR(errno));
        close(fd);
        return fatal(d, err, "SD001", path, 0, 0, msg);
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return fatal(d, err, "SD001", path, 0, 0,
                     SD_TR(lang, "这是一个目录，不是文件", "is a directory, not a file"));
    }
    if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
        close(fd);
        return fatal(d, err, "SD001", path, 0, 0,
                     SD_TR(lang, "不是普通文件（设备或套接字），不予读取",
                           "not a regular file (a device or socket); not read"));
    }
    if (S_ISREG(sb.st_mode) && (size_t)sb.st_size > max_bytes_of(opt)) {
        close(fd);
        return too_big(d, err, path, max_bytes_of(opt), lang);
    }
    /* Back to blocking reads: a FIFO with a writer delivers as it writes
     * (a regular file ignores O_NONBLOCK: two system calls saved). */
    if (!S_ISREG(sb.st_mode)) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    st = read_fd_into(fd, path, S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0, opt, src, d,
                      err);
    close(fd);
    return st;
}

/* ---- lines and columns ------------------------------------------------- */

/* Characters (UTF-8 lead bytes) in [p, p+n). */
static long count_chars(const unsigned char *p, size_t n)
{
    long c = 0;
    for (size_t i = 0; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            c++;
    return c;
}

int sd_source_index(sd_source *src)
{
    free(src->line_starts);
    src->line_starts = NULL;
    src->nlines = 0;
    if (src->bytes == NULL)
        return 0;
    size_t n = 1;
    for (const unsigned char *p = src->bytes, *end = p + src->len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        n++;
    size_t *ls = malloc(n * sizeof *ls);
    if (ls == NULL)
        return -1;
    size_t k = 0;
    ls[k++] = 0;
    for (const unsigned char *p = src->bytes, *end = p + src->len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        ls[k++] = (size_t)(p - src->bytes) + 1;
    src->line_starts = ls;
    src->nlines = n;
    return 0;
}

void sd_source_position(const sd_source *src, size_t off, long *line, long *col)
{
    if (src->bytes == NULL || off > src->len) {
        *line = *col = 0;
        return;
    }
    size_t ls = 0;
    long l = 1;
    if (src->line_starts != NULL) {
        size_t lo = 0, hi = src->nlines; /* the last line start <= off */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (src->line_starts[mid] <= off)
                lo = mid;
            else
                hi = mid;
        }
        ls = src->line_starts[lo];
        l = (long)lo + 1;
    } else {
        for (size_t i = 0; i < off; i++)
            if (src->bytes[i] == '\n') {
                l++;
                ls = i + 1;
            }
    }
    size_t skip = (ls == 0 && off >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    *line = l;
    *col = count_chars(src->bytes + ls + skip, off - ls - skip) + 1;
}

long sd_source_line(const sd_source *src, long line, const unsigned char **start)
{
    if (src == NULL || src->bytes == NULL || line < 1)
        return -1;
    const unsigned char *p = src->bytes, *end = src->bytes + src->len;
    if (src->line_starts != NULL) {
        if ((size_t)line > src->nlines)
            return -1;
        p = src->bytes + src->line_starts[line - 1];
        /* the next line's start ends this one: no scan of a long line */
        const unsigned char *e = (size_t)line < src->nlines
                                     ? src->bytes + src->line_starts[line] - 1
                                     : end;
        if (e > p && e[-1] == '\r')
            e--;
        *start = p;
        return (long)(e - p);
    }
    for (long l = 1; l < line; l++) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return -1;
        p = nl + 1;
    }
    const unsigned char *e = memchr(p, '\n', (size_t)(end - p));
    if (e == NULL)
        e = end;
    if (e > p && e[-1] == '\r')
        e--;
    *start = p;
    return (long)(e - p);
}


long sd_source_find_col(const sd_source *src, long line, long from, const char *needle)
{
    const unsigned char *p;
    long n = sd_source_line(src, line, &p);
    if (n < 0 || needle == NULL || *needle == '\0')
        return 0;
    size_t off = 0;
    for (long c = 1; c < from && off < (size_t)n; off++)
        if (off + 1 >= (size_t)n || (p[off + 1] & 0xC0) != 0x80)
            c++;
    size_t nl = strlen(needle);
    for (size_t i = off; i + nl <= (size_t)n; i++)
        if (memcmp(p + i, needle, nl) == 0)
            return count_chars(p, i) + 1;
    return 0;
}

/* ---- encoding checks ----------------------------------------------------- */

/* Position (line, col) of byte offset off. */
static void position_of(const unsigned char *b, size_t off, long *line, long *col)
{
    long l = 1;
    size_t ls = 0;
    for (size_t i = 0; i < off; i++)
        if (b[i] == '\n') {
            l++;
            ls = i + 1;
        }
    *line = l;
    *col = count_chars(b + ls, off - ls) + 1;
}

/* Returns the offset of the first invalid UTF-8 sequence, or (size_t)-1. */
static size_t utf8_invalid_at(const unsigned char *b, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = b[i];
        if (c < 0x80) {
            i++;
            /* runs of ASCII eight bytes at a time */
            uint64_t w;
            while (i + 8 <= n && (memcpy(&w, b + i, 8), (w & 0x8080808080808080ull) == 0))
                i += 8;
            continue;
        }
        /* Chinese text is three-byte sequences one after another: those
         * are checked here at once (E1–EC and EE–EF lead any valid
         * continuation pair; E0 needs A0+, ED below A0 to stay off the
         * surrogates). */
        if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (b[i + 1] & 0xC0) == 0x80 &&
            (b[i + 2] & 0xC0) == 0x80 && (c != 0xE0 || b[i + 1] >= 0xA0) &&
            (c != 0xED || b[i + 1] < 0xA0)) {
            i += 3;
            continue;
        }
        size_t k;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (b[i + j] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (b[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += k + 1;
    }
    return (size_t)-1;
}

/* True when every byte >= 0x80 forms a GBK/GB18030 two- or four-byte sequence. */
static int looks_like_gbk(const unsigned char *b, size_t n)
{
    int seen = 0;
    for (size_t i = 0; i < n;) {
        if (b[i] < 0x80) {
            i++;
            continue;
        }
        if (b[i] == 0x80 || b[i] == 0xFF || i + 1 >= n)
            return 0;
        unsigned char t = b[i + 1];
        if ((t >= 0x40 && t <= 0xFE && t != 0x7F)) {
            i += 2;
        } else if (t >= 0x30 && t <= 0x39 && i + 3 < n && b[i + 2] >= 0x81 &&
                   b[i + 2] <= 0xFE && b[i + 3] >= 0x30 && b[i + 3] <= 0x39) {
            i += 4;
        } else {
            return 0;
        }
        seen = 1;
    }
    return seen;
}

/* Copies the value of encoding="..." of the XML declaration into enc (or "" when
 * there is none).  Only looks at the first line of the document. */
static void declared_encoding(const unsigned char *b, size_t n, char *enc, size_t encsz)
{
    enc[0] = '\0';
    if (n < 5 || memcmp(b, "<?xml", 5) != 0)
        return;
    const unsigned char *end = memchr(b, '>', n < 512 ? n : 512);
    if (end == NULL)
        return;
    const unsigned char *p = b;
    while (p + 8 < end && memcmp(p, "encoding", 8) != 0)
        p++;
    if (p + 8 >= end)
        return;
    p += 8;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p >= end || *p != '=')
        return;
    p++;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    if (p >= end || (*p != '"' && *p != '\''))
        return;
    unsigned char q = *p++;
    size_t i = 0;
    while (p < end && *p != q && i + 1 < encsz)
        enc[i++] = (char)*p++;
    enc[i] = '\0';
}

static int is_utf8_name(const char *enc)
{
    return enc[0] == '\0' || strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

/* Re-encodes src to UTF-8 from enc in place, so that excerpts and columns are
 * right whatever the declared encoding.  Line breaks keep their places, so
 * line numbers do not move.  Returns 0, 1 after a fatal finding, -1 on OOM. */
static int to_utf8(sd_source *src, const char *enc, sd_lang lang, sd_diags *d, sd_error *err)
{
    char msg[512];
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) {
        snprintf(msg, sizeof msg,
                 SD_TR(lang, "不支持 XML 声明中的编码\"%s\"（请用 UTF-8 或 GB18030）",
                       "the encoding \"%s\" named in the XML declaration is not supported (use UTF-8 or GB18030)"),
                 enc);
        return fatal(d, err, "SD003", src->path, 1, 1, msg) == SD_OK ? 1 : -1;
    }
    size_t cap = src->len * 2 + 16, outlen = 0;
    unsigned char *out = malloc(cap + 1);
    if (out == NULL) {
        iconv_close(cd);
        return -1;
    }
    char *in = (char *)src->bytes;
    size_t inleft = src->len;
    int rc = 0;
    while (inleft > 0) {
        char *o = (char *)out + outlen;
        size_t oleft = cap - outlen;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        outlen = (size_t)((unsigned char *)o - out);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            unsigned char *n = realloc(out, cap * 2 + 1);
            if (n == NULL) {
                rc = -1;
                break;
            }
            out = n;
            cap *= 2;
            continue;
        }
        /* EILSEQ or EINVAL: report where the bad bytes start. */
        long line, col;
        size_t off = (size_t)((unsigned char *)in - src->bytes);
        position_of(src->bytes, off, &line, &col);
        /* col counted in source bytes: count in the converted text instead. */
        const unsigned char *ls = out + outlen;
        while (ls > out && ls[-1] != '\n')
            ls--;
        col = count_chars(ls, (size_t)(out + outlen - ls)) + 1;
        snprintf(msg, sizeof msg,
                 SD_TR(lang, "字节 0x%02X 不是有效的 %s 编码", "byte 0x%02X is not valid %s"),
                 src->bytes[off], enc);
        rc = fatal(d, err, "SD003", src->path, line, col, msg) == SD_OK ? 1 : -1;
        break;
    }
    iconv_close(cd);
    if (rc != 0) {
        free(out);
        return rc;
    }
    out[outlen] = '\0';
    free(src->bytes);
    src->bytes = out;
    src->len = outlen;
    return 0;
}

static int utf8_problem(const sd_source *src, const char *enc, sd_lang lang, sd_diags *d,
                        sd_error *err);

/* Checks bytes before libxml2 sees them and re-encodes declared non-UTF-8
 * input.  Returns 1 when a fatal finding was added (and the parse must not go
 * on), 2 when the text was re-encoded to UTF-8, 0 otherwise, -1 on OOM.
 * With enc_out, the UTF-8 check of text read as UTF-8 is left to the caller
 * (utf8_problem, with the encoding declared, "" for none, in enc_out). */
static int precheck_ex(sd_source *src, sd_lang lang, sd_diags *d, sd_error *err, char *enc_out)
{
    const unsigned char *b = src->bytes;
    size_t n = src->len;
    size_t ws = 0;
    while (ws < n && (b[ws] == ' ' || b[ws] == '\t' || b[ws] == '\r' || b[ws] == '\n'))
        ws++;
    if (n == 0 || ws == n) {
        return fatal(d, err, "SD001", src->path, 1, 1,
                     SD_TR(lang, "文件为空，不是 XML 文档", "the file is empty, not an XML document")) ==
                       SD_OK ? 1 : -1;
    }
    if (n >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE))) {
        int r = to_utf8(src, "UTF-16", lang, d, err);
        return r == 0 ? 2 : r;
    }
    if (n >= 2 && ((b[0] == 0 && b[1] == '<') || (b[0] == '<' && b[1] == 0)))
        return 0; /* UTF-16 without a BOM: libxml2 detects and decodes it */
    const unsigned char *nul = memchr(b, '\0', n);
    if (nul != NULL) {
        long line, col;
        position_of(b, (size_t)(nul - b), &line, &col);
        return fatal(d, err, "SD001", src->path, line, col,
                     SD_TR(lang, "文件含有 NUL 字节：这是二进制文件，不是 XML 文本",
                           "the file contains a NUL byte: binary data, not XML text")) == SD_OK
                   ? 1 : -1;
    }
    size_t off = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        off = 3;
    char enc[64];
    declared_encoding(b + off, n - off, enc, sizeof enc);
    if (!is_utf8_name(enc)) {
        int r = to_utf8(src, enc, lang, d, err);
        return r == 0 ? 2 : r;
    }
    if (enc_out != NULL) {
        memcpy(enc_out, enc, sizeof enc);
        return 0;
    }
    return utf8_problem(src, enc, lang, d, err);
}

/* 0 when src's bytes are UTF-8; else 1 with the SD003 finding added (the
 * first bad byte's line and column, and a hint when they look like GBK),
 * -1 on OOM.  enc: the encoding the document declares ("" for none). */
static int utf8_problem(const sd_source *src, const char *enc, sd_lang lang, sd_diags *d,
                        sd_error *err)
{
    const unsigned char *b = src->bytes;
    size_t n = src->len;
    char msg[512];
    size_t bad = utf8_invalid_at(b, n);
    if (bad == (size_t)-1)
        return 0;
    long line, col;
    position_of(b, bad, &line, &col);
    if (enc[0] == '\0' && looks_like_gbk(b, n))
        snprintf(msg, sizeof msg, "%s",
                 SD_TR(lang,
                       "文件不是 UTF-8 编码：看起来是 GBK/GB18030，但 XML 声明中没有写明编码；"
                       "请转为 UTF-8，或在首行声明 <?xml version=\"1.0\" encoding=\"GB18030\"?>",
                       "the file is not UTF-8: it looks like GBK/GB18030 but the XML declaration "
                       "names no encoding; convert it to UTF-8 or declare "
                       "<?xml version=\"1.0\" encoding=\"GB18030\"?>"));
    else
        snprintf(msg, sizeof msg,
                 SD_TR(lang, "无效的 UTF-8 字节 0x%02X%s", "invalid UTF-8 byte 0x%02X%s"),
                 b[bad],
                 enc[0] ? "" : SD_TR(lang, "（未声明编码时按 UTF-8 读取）",
                                    " (a document without an encoding declaration is read as UTF-8)"));
    return fatal(d, err, "SD003", src->path, line, col, msg) == SD_OK ? 1 : -1;
}

/* ---- the parse ------------------------------------------------------------- */

typedef struct parse_capture {
    sd_pos_recorder *pos; /* first: pos.c finds it through ctxt->_private */
    sd_source *src; /* its line index is made at the first error (sd_source_index) */
    sd_lang lang;
    sd_diags *d;
    sd_error *err;
    int count;
    int refused;  /* a DOCTYPE was seen or a limit hit: later errors are ignored */
    int oom;
    /* sd_load_scan only */
    sd_load_scan_fn scan;
    void *user;
    int depth;
    size_t text;   /* characters since the last tag */
    int undecided; /* what only the tree builder checks is there */
} parse_capture;

static const char *plain_words(int code, sd_lang lang, const char **rule)
{
    *rule = "SD001";
    switch (code) {
    case XML_ERR_DOCUMENT_EMPTY: /* libxml2 also uses it for "Start tag expected" */
    case XML_ERR_DOCUMENT_START:
        return SD_TR(lang, "不是 XML：找不到起始标签", "not XML: no start tag found");
    case XML_ERR_DOCUMENT_END:
        return SD_TR(lang, "根元素结束后还有多余内容", "extra content after the root element");
    case XML_ERR_TAG_NOT_FINISHED:
        return SD_TR(lang, "元素没有结束（文件可能被截断）",
                     "an element is not closed (the file may be truncated)");
    case XML_ERR_TAG_NAME_MISMATCH:
        return SD_TR(lang, "结束标签与开始标签不匹配", "end tag does not match the start tag");
    case XML_ERR_LT_REQUIRED:
    case XML_ERR_GT_REQUIRED:
    case XML_ERR_LTSLASH_REQUIRED:
        return SD_TR(lang, "标签不完整", "incomplete tag");
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
    case XML_ERR_ATTRIBUTE_REDEFINED:
    case XML_ERR_LT_IN_ATTRIBUTE:
        return SD_TR(lang, "属性写法错误", "malformed attribute");
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        return SD_TR(lang, "使用了未定义的实体（只允许 &lt; &gt; &amp; &quot; &apos; 和数字字符引用）",
                     "undefined entity (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)");
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_CHARREF:
        return SD_TR(lang, "含有 XML 不允许的字符", "a character XML does not allow");
    case XML_ERR_NS_DECL_ERROR:
    case XML_NS_ERR_UNDEFINED_NAMESPACE:
    case XML_NS_ERR_QNAME:
    case XML_NS_ERR_ATTRIBUTE_REDEFINED:
        return SD_TR(lang, "命名空间错误", "namespace error");
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_UNKNOWN_ENCODING:
    case XML_ERR_INVALID_ENCODING:
    case XML_I18N_CONV_FAILED:
    case XML_I18N_NO_HANDLER:
    case XML_I18N_NO_NAME:
    case XML_I18N_EXCESS_HANDLER:
        *rule = "SD003";
        return SD_TR(lang, "编码错误：内容与声明的编码不符，或不支持该编码",
                     "encoding error: the bytes do not match the declared encoding, or it is unsupported");
    default:
        return NULL;
    }
}

static void on_parse_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt ? ctxt->_private : NULL;
    if (cap == NULL || e == NULL || e->level < XML_ERR_ERROR || cap->refused)
        return;
    if (++cap->count > MAX_PARSE_FINDINGS)
        return;
    char raw[600];
    snprintf(raw, sizeof raw, "%s", e->message ? e->message : "parse error");
    sd_utf8_fix_truncated(raw, sizeof raw); /* libxml2 quotes names from the document */
    size_t rl = strlen(raw);
    while (rl > 0 && (raw[rl - 1] == '\n' || raw[rl - 1] == ' '))
        raw[--rl] = '\0';
    const char *rule = "SD001";
    const char *words = plain_words(e->code, cap->lang, &rule);
    /* After a limit error libxml2 reports only its consequences: keep the cause. */
    int limit = 1;
    if (e->code == XML_ERR_INTERNAL_ERROR && strstr(raw, "depth") != NULL) {
        rule = "SD004";
        words = SD_TR(cap->lang, "元素嵌套超过 256 层上限，拒绝检查",
                      "elements nest deeper than the limit of 256; refused");
    } else if (strstr(raw, "huge") != NULL || strstr(raw, "too long") != NULL) {
        rule = "SD004";
        words = SD_TR(cap->lang, "文本或属性值超过 10 MB 上限，拒绝检查",
                      "a text or attribute value exceeds the 10 MB limit; refused");
    } else {
        limit = 0;
    }
    char msg[1024];
    if (cap->lang == SD_LANG_EN)
        snprintf(msg, sizeof msg, words ? "%s (%s)" : "%.0s%s", words ? words : "", raw);
    else
        snprintf(msg, sizeof msg, "%s（libxml2：%s）", words ? words : "XML 格式错误", raw);
    sd_utf8_fix_truncated(msg, sizeof msg);
    long line = e->line > 0 ? e->line : 0;
    long col = 0;
    /* libxml2's own column mixes bytes and characters; its cursor's byte
     * offset does not, so the position comes from there. */
    if (ctxt->input != NULL && ctxt->inputNr == 1 && ctxt->input->base != NULL) {
        size_t off = (size_t)ctxt->input->consumed +
                     (size_t)(ctxt->input->cur - ctxt->input->base);
        if (off <= cap->src->len) {
            if (cap->src->line_starts == NULL)
                (void)sd_source_index(cap->src); /* else each error scans from the start */
            sd_source_position(cap->src, off, &line, &col);
        }
    }
    if (fatal(cap->d, cap->err, rule, cap->src->path, line, col, msg) != SD_OK)
        cap->oom = 1;
    if (limit)
        cap->refused = 1;
}

static void on_internal_subset(void *data, const xmlChar *name, const xmlChar *ext,
                               const xmlChar *sys)
{
    (void)name;
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt->_private;
    long line = ctxt->input ? ctxt->input->line : 0;
    const char *msg =
        (ext || sys)
            ? SD_TR(cap->lang, "文档类型声明 (DOCTYPE) 引用外部 DTD，出于安全原因拒绝检查",
                    "a DOCTYPE referring to an external DTD is refused for safety")
            : SD_TR(cap->lang,
                    "文档类型声明 (DOCTYPE) 不被接受：它可以定义实体（外部实体、实体膨胀），出于安全原因拒绝检查",
                    "a DOCTYPE is not accepted: it can declare entities (external, exponential); refused for safety");
    long col = sd_source_find_col(cap->src, line, 1, "<!DOCTYPE");
    if (fatal(cap->d, cap->err, "SD004", cap->src->path, line, col, msg) != SD_OK)
        cap->oom = 1;
    cap->refused = 1;
    xmlStopParser(ctxt);
}

_Static_assert(SD_LOAD_POSITIONS_LAZY == SD_POS_LAZY, "load.h and pos.h agree");

static const int PARSE_OPTIONS = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
/* A checked document (parsed with positions) is only read, never changed:
 * its short texts and attribute values (under 16 bytes) are kept inside
 * their nodes, not in an allocation each (as xmllint does by default; a
 * fifth fewer allocations on a document of short attributes).  libxml2
 * forbids changing such a tree, so the trees sdlint edits (the schemas
 * xsd.c inlines) are parsed without. */
static const int CHECKED_OPTIONS = XML_PARSE_COMPACT;

static void make_safe(xmlParserCtxtPtr ctxt)
{
    ctxt->sax->serror = on_parse_error;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = NULL;
}

static xmlParserCtxtPtr new_safe_ctxt(void)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return NULL;
    make_safe(ctxt);
    return ctxt;
}

/* A parser kept by one thread: its handlers and options as xmlNewParserCtxt
 * made them, put back before each use (the position recorder and the scan
 * replace handlers; libxml2 only adds to ctxt->options), and its
 * dictionary, which then already holds the names of the next document. */
struct sd_load_parser {
    xmlParserCtxtPtr ctxt;
    xmlSAXHandler sax;
    int options;
};

/* Past this many names the dictionary is dropped with its parser: a run of
 * documents with ever new names must not grow a thread's memory. */
#define PARSER_DICT_MAX 50000

sd_load_parser *sd_load_parser_new(void)
{
    return calloc(1, sizeof(sd_load_parser));
}

void sd_load_parser_free(sd_load_parser *p)
{
    if (p == NULL)
        return;
    xmlFreeParserCtxt(p->ctxt);
    free(p);
}

/* A parser with the safe handlers: p's (reset by xmlCtxtReadMemory itself),
 * or a new one when p is NULL. */
static xmlParserCtxtPtr take_ctxt(sd_load_parser *p)
{
    if (p == NULL)
        return new_safe_ctxt();
    if (p->ctxt == NULL) {
        if ((p->ctxt = xmlNewParserCtxt()) == NULL)
            return NULL;
        p->sax = *p->ctxt->sax;
        p->options = p->ctxt->options;
    } else {
        *p->ctxt->sax = p->sax;
        p->ctxt->options = p->options;
    }
    make_safe(p->ctxt);
    return p->ctxt;
}

static void give_back_ctxt(sd_load_parser *p, xmlParserCtxtPtr ctxt)
{
    ctxt->_private = NULL;
    if (p == NULL) {
        xmlFreeParserCtxt(ctxt);
    } else if (ctxt->dict != NULL && xmlDictSize(ctxt->dict) > PARSER_DICT_MAX) {
        xmlFreeParserCtxt(ctxt);
        p->ctxt = NULL;
    }
}

sd_status sd_load_parse(sd_source *src, const sd_load_options *opt, xmlDocPtr *doc,
                        sd_diags *d, sd_error *err)
{
    *doc = NULL;
    if (src->bytes == NULL)
        return SD_OK;
    sd_lang lang = lang_of(opt);
    /* The UTF-8 check of text read as UTF-8 waits for the parse: libxml2
     * refuses every byte that is not UTF-8 as it reads it (a pass over the
     * bytes, a tenth of a parse, saved on every good document); only when the
     * parse fails is the text checked, and an SD003 found there replaces what
     * libxml2 said, as when it was checked first. */
    char enc[64];
    int pc = precheck_ex(src, lang, d, err, enc);
    if (pc < 0)
        return SD_ENOMEM;
    if (pc == 1)
        return SD_OK;
    if (src->len > (size_t)0x7fffffff) {
        sd_status st = too_big(d, err, src->path, 0x7fffffff, lang);
        return st;
    }
    sd_load_parser *kept = opt != NULL ? opt->parser : NULL;
    xmlParserCtxtPtr ctxt = take_ctxt(kept);
    if (ctxt == NULL)
        return sd_error_set(err, SD_ENOMEM, src->path, 0, "out of memory creating a parser");
    parse_capture cap = { .src = src, .lang = lang, .d = d, .err = err };
    ctxt->_private = &cap;
    /* The line index (sd_source_index) is made only when a finding needs it:
     * at the first parse error here, and by check.c for a document with
     * findings; most documents have none. */
    if (opt != NULL && opt->positions) {
        cap.pos = sd_pos_record_begin(ctxt, src->bytes, src->len);
        if (cap.pos == NULL) {
            give_back_ctxt(kept, ctxt);
            return sd_error_set(err, SD_ENOMEM, src->path, 0, "out of memory creating a parser");
        }
    }
    size_t before = d->count;
    const char *url = strcmp(src->path, "-") == 0 ? "stdin" : src->path;
    sd_quiet quiet; /* errors are captured through serror; see quiet.h */
    sd_quiet_begin(&quiet);
    xmlDocPtr result = xmlCtxtReadMemory(ctxt, (const char *)src->bytes, (int)src->len, url,
                                         pc == 2 ? "UTF-8" : NULL,
                                         PARSE_OPTIONS | (pc == 2 ? XML_PARSE_IGNORE_ENC : 0) |
                                             (opt != NULL && opt->positions ? CHECKED_OPTIONS : 0));
    sd_quiet_end(&quiet);
    int ok = result != NULL && ctxt->wellFormed && !cap.refused && d->count == before;
    if (ok && ctxt->nsWellFormed == 0)
        ok = 0;
    if (!ok && d->count == before && !cap.oom) {
        /* libxml2 failed without reporting: say so rather than pass silently. */
        fatal(d, err, "SD001", src->path, 0, 0,
              SD_TR(lang, "XML 解析失败", "the XML could not be parsed"));
    }
    int keep = !ok || cap.oom                                                   ? 0
               : opt != NULL && opt->positions == SD_LOAD_POSITIONS_LAZY ? SD_POS_LAZY
                                                                          : 1;
    if (sd_pos_record_end(cap.pos, result, keep) != 0)
        cap.oom = 1;
    give_back_ctxt(kept, ctxt);
    if (!ok && !cap.oom && pc == 0 && utf8_invalid_at(src->bytes, src->len) != (size_t)-1) {
        for (size_t i = before; i < d->count; i++)
            sd_finding_free(&d->items[i]);
        d->count = before;
        if (utf8_problem(src, enc, lang, d, err) < 0)
            cap.oom = 1;
    }
    if (cap.oom) {
        xmlFreeDoc(result);
        return sd_error_set(err, SD_ENOMEM, src->path, 0, "out of memory");
    }
    if (!ok) {
        xmlFreeDoc(result);
        return SD_OK;
    }
    *doc = result;
    return SD_OK;
}

/* ---- the scan: the same parser, no tree ----------------------------------- */

static void on_scan_start(void *data, const xmlChar *localname, const xmlChar *prefix,
                          const xmlChar *uri, int nb_ns, const xmlChar **ns, int nb_attrs,
                          int nb_defaulted, const xmlChar **attrs)
{
    (void)prefix;
    (void)nb_ns;
    (void)ns;
    (void)nb_defaulted;
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt->_private;
    cap->text = 0;
    /* libxml2's tree builder checks an xml:id (an NCName, once per
     * document): the scan cannot say what it would find */
    for (int i = 0; i < nb_attrs; i++)
        if (attrs[5 * i + 1] != NULL && strcmp((const char *)attrs[5 * i + 1], "xml") == 0)
            cap->undecided = 1;
    cap->scan(cap->user, cap->depth++, (const char *)localname, (const char *)uri, nb_attrs,
              (const unsigned char **)attrs);
}

/* The tree builder refuses a text node over 10 MB (XML_MAX_TEXT_LENGTH),
 * made of all the characters between two tags: past 1 MB the scan leaves
 * the judgement to it. */
static void on_scan_chars(void *data, const xmlChar *ch, int len)
{
    (void)ch;
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt->_private;
    cap->text += (size_t)(len > 0 ? len : 0);
    if (cap->text > 1000000)
        cap->undecided = 1;
}

static void on_scan_end(void *data, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri)
{
    (void)localname;
    (void)prefix;
    (void)uri;
    xmlParserCtxtPtr ctxt = data;
    parse_capture *cap = ctxt->_private;
    cap->text = 0;
    cap->depth--;
}

sd_status sd_load_scan(sd_source *src, const sd_load_options *opt, sd_load_scan_fn start,
                       void *user, int *ok, sd_error *err)
{
    *ok = 0;
    if (src->bytes == NULL)
        return SD_OK;
    sd_lang lang = lang_of(opt);
    sd_diags d;
    sd_diags_init(&d);
    sd_status st = SD_OK;
    /* Text read as UTF-8 is not checked first: libxml2 refuses every byte
     * that is not UTF-8 as it reads it, which is all the scan needs to know
     * (as in sd_load_parse, where only a failed parse looks for the byte to
     * report it). */
    char enc[64];
    int pc = precheck_ex(src, lang, &d, err, enc);
    if (pc < 0)
        st = SD_ENOMEM;
    if (pc < 0 || pc == 1 || src->len > (size_t)0x7fffffff) {
        sd_diags_free(&d);
        return st;
    }
    sd_load_parser *kept = opt != NULL ? opt->parser : NULL;
    xmlParserCtxtPtr ctxt = take_ctxt(kept);
    if (ctxt == NULL) {
        sd_diags_free(&d);
        return sd_error_set(err, SD_ENOMEM, src->path, 0, "out of memory creating a parser");
    }
    /* Only the element events, the error channel and the DOCTYPE refusal:
     * without startDocument no tree is ever made. */
    xmlSAXHandlerPtr sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = on_scan_start;
    sax->endElementNs = on_scan_end;
    sax->characters = on_scan_chars;
    sax->ignorableWhitespace = on_scan_chars;
    sax->serror = on_parse_error;
    sax->internalSubset = on_internal_subset;
    parse_capture cap = {.src = src, .lang = lang, .d = &d, .err = err, .scan = start, .user = user};
    ctxt->_private = &cap;
    const char *url = strcmp(src->path, "-") == 0 ? "stdin" : src->path;
    sd_quiet quiet;
    sd_quiet_begin(&quiet);
    xmlDocPtr none = xmlCtxtReadMemory(ctxt, (const char *)src->bytes, (int)src->len, url,
                                       pc == 2 ? "UTF-8" : NULL,
                                       PARSE_OPTIONS | (pc == 2 ? XML_PARSE_IGNORE_ENC : 0));
    sd_quiet_end(&quiet);
    xmlFreeDoc(none); /* never one: there is no startDocument */
    *ok = ctxt->wellFormed && ctxt->nsWellFormed && !cap.refused && d.count == 0 && !cap.oom;
    if (*ok && cap.undecided)
        *ok = -1;
    give_back_ctxt(kept, ctxt);
    sd_diags_free(&d);
    if (cap.oom)
        return sd_error_set(err, SD_ENOMEM, src->path, 0, "out of memory");
    return SD_OK;
}

xmlDocPtr sd_load_parse_trusted_memory(const char *bytes, size_t len, const char *url,
                                       sd_error *err)
{
    sd_diags d;
    sd_diags_init(&d);
    sd_source src = {.path = (char *)url, .bytes = malloc(len + 1), .len = len};
    if (src.bytes == NULL) {
        sd_error_set(err, SD_ENOMEM, url, 0, "out of memory");
        return NULL;
    }
    memcpy(src.bytes, bytes, len);
    src.bytes[len] = '\0';
    sd_load_options opt = {.lang = SD_LANG_EN};
    xmlDocPtr doc = NULL;
    sd_status st = sd_load_parse(&src, &opt, &doc, &d, err);
    free(src.bytes);
    free(src.line_starts);
    if (st != SD_OK) {
        sd_diags_free(&d);
        return NULL;
    }
    if (doc == NULL) {
        const sd_finding *f = d.count ? &d.items[0] : NULL;
        sd_error_set(err, SD_EPARSE, url, f ? f->line : 0, "%s",
                     f ? f->message : "the XML could not be parsed");
    }
    sd_diags_free(&d);
    return doc;
}
