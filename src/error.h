/*
 * error.h — status codes and the error out-parameter every library call takes.
 *
 * Why: the library never prints or exits (only cmd/ does), so each failure travels
 * back as a stable number plus a message written for a person.  Numbers are never
 * reused; a retired one stays reserved.  An sd_error is plain storage owned by the
 * caller: no allocation, safe to put on the stack, one per thread.
 */
#ifndef SD_ERROR_H
#define SD_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum sd_status {
    SD_OK = 0,
    SD_ENOMEM = 1,   /* an allocation failed */
    SD_EIO = 2,      /* a file could not be read or written */
    SD_EPARSE = 3,   /* input is not well-formed */
    SD_EINVAL = 4,   /* a bad argument or option value */
    SD_ESCHEMA = 5,  /* an XSD could not be compiled */
    SD_ELIMIT = 6,   /* a size, depth or time limit was reached */
    SD_ERULES = 7,   /* a rule pack could not be compiled */
    SD_EUNSAFE = 8,  /* input refused as unsafe (DTD, external entity) */
    SD_EENCODING = 9 /* bytes do not match the declared or assumed encoding */
} sd_status;

typedef struct sd_error {
    sd_status code;
    char file[1024]; /* where the error is, "" if nowhere in particular */
    long line;       /* 1-based, 0 if unknown */
    char msg[1024];
} sd_error;

/* Fills err (if not NULL) and returns code, so callers can write
 * `return sd_error_set(err, SD_EIO, path, 0, "cannot open: %s", why);` */
sd_status sd_error_set(sd_error *err, sd_status code, const char *file, long line,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void sd_error_clear(sd_error *err);
const char *sd_status_name(sd_status code);
/* strerror_r into buf (thread-safe; defined in init.c).  SD_STRERROR(e) gives
 * it a buffer that lives to the end of the enclosing block. */
const char *sd_strerror(int errnum, char *buf, size_t len);
#define SD_STRERROR(e) sd_strerror((e), (char[128]){0}, 128)

#endif
