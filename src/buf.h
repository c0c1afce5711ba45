/*
 * buf.h — a growable byte buffer for building output.  The library renders
 * reports into a buffer and the command writes it; the library never prints.
 * Ownership: the buffer owns data; sd_buf_free releases it.  After an
 * allocation failure the buffer keeps what it had and remembers the failure
 * (sd_buf_failed), so long formatting code can check once at the end.
 */
#ifndef SD_BUF_H
#define SD_BUF_H

#include <stddef.h>

typedef struct sd_buf {
    char *data; /* always NUL-terminated when len > 0 */
    size_t len, cap;
    int failed;
} sd_buf;

void sd_buf_init(sd_buf *b);
void sd_buf_add(sd_buf *b, const char *s, size_t n);
void sd_buf_puts(sd_buf *b, const char *s);
void sd_buf_printf(sd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as the contents of a JSON string (without the quotes). */
void sd_buf_json_str(sd_buf *b, const char *s);
/* Appends s with XML special characters escaped. */
void sd_buf_xml_str(sd_buf *b, const char *s);
int sd_buf_failed(const sd_buf *b);
void sd_buf_free(sd_buf *b);

#endif
