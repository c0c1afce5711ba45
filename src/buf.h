/*
 * buf.h — a growable byte buffer for building output, and the two escapings
 * every output goes through.  The library renders reports into a buffer and
 * the command writes it; the library never prints.
 * Ownership: the buffer owns data; sd_buf_free releases it.  After an
 * allocation failure the buffer keeps what it had and remembers the failure
 * (sd_buf_failed), so long formatting code can check once at the end.
 *
 * Escaping, not copying: file names, messages and source text come from
 * outside (a hostile folder, a hostile document) and may hold any byte.
 * Terminal text shows control characters, C1 controls, bidi overrides and other
 * invisible format characters, and bytes that are not UTF-8, as visible escapes
 * (\n, \x1b, \u202e, \xff); JSON strings are always valid UTF-8, with bytes that
 * are not UTF-8 shown as the text \xff.  A backslash itself is copied, so the
 * escapes are for reading, not for decoding back.
 */
#ifndef SD_BUF_H
#define SD_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct sd_buf {
    char *data; /* always NUL-terminated when len > 0 */
    size_t len, cap;
    int failed;
} sd_buf;

void sd_buf_init(sd_buf *b);
void sd_buf_add(sd_buf *b, const char *s, size_t n);
void sd_buf_puts(sd_buf *b, const char *s);
/* Appends label then v in decimal, as "%ld" gives it (without printf: a
 * report with a finding on every element spent a tenth of its time there). */
void sd_buf_put_long(sd_buf *b, const char *label, long v);
void sd_buf_printf(sd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as the contents of a JSON string (without the quotes): valid UTF-8
 * whatever s holds (see above); NULL counts as "". */
void sd_buf_json_str(sd_buf *b, const char *s);
/* s as a quoted JSON string (escaped as above), or null when s is NULL. */
void sd_buf_json_str_or_null(sd_buf *b, const char *s);
/* Appends s with XML special characters escaped; characters XML cannot carry
 * and bytes that are not UTF-8 are shown as escapes, as for the terminal. */
void sd_buf_xml_str(sd_buf *b, const char *s);
/* Appends s[0..n) escaped for a terminal (see above); returns the display
 * width it added, in columns. */
size_t sd_buf_term(sd_buf *b, const char *s, size_t n);
/* Same for a NUL-terminated string (NULL counts as ""). */
size_t sd_buf_term_str(sd_buf *b, const char *s);
int sd_buf_failed(const sd_buf *b);
void sd_buf_free(sd_buf *b);

/* One character of terminal text: how many bytes of the input it takes, what
 * to show for it (a pointer into the input, or into esc), and its width. */
typedef struct sd_term_char {
    size_t len;        /* input bytes consumed, >= 1 */
    uint32_t cp;       /* the character, or 0xFFFD for a byte that is not UTF-8 */
    const char *shown; /* the bytes to write */
    size_t shown_len;
    int cols;          /* display columns of shown */
    int escaped;       /* 1 when shown is an escape */
    char esc[12];
} sd_term_char;

/* Reads the character at s[0..n) (n > 0) into c. */
void sd_term_next(const char *s, size_t n, sd_term_char *c);

/* Decodes one UTF-8 character of s[0..n) strictly (no overlong forms, no
 * surrogates, nothing above U+10FFFF) and returns its length, or 0 when the
 * bytes at s do not start a valid character. */
size_t sd_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* The largest length <= n at which s can be cut without splitting the UTF-8
 * character that straddles n (what lies before is not checked). */
size_t sd_utf8_cut(const char *s, size_t n);
/* After a truncating snprintf into buf[size]: drops a character cut in half at
 * the end, so truncation never makes text invalid. */
void sd_utf8_fix_truncated(char *buf, size_t size);

#endif
