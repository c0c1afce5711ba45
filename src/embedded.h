/*
 * embedded.h — the schemas and built-in rule packs compiled into the binary.
 *
 * Why: a linter that must find its XSDs on disk breaks when installed in an odd
 * place or run from a git hook; carrying them makes every run see exactly the
 * schemas it was built and tested with.  The table is generated at build time by
 * tools/embed.sh and is read-only.
 */
#ifndef SD_EMBEDDED_H
#define SD_EMBEDDED_H

#include <stddef.h>

typedef struct sd_embedded_file {
    const char *name; /* base name, e.g. "sanding.xsd"; NULL ends the table */
    const char *bytes;
    size_t len;
} sd_embedded_file;

extern const sd_embedded_file sd_embedded_files[];

/* The entry called name, or NULL. */
const sd_embedded_file *sd_embedded_find(const char *name);

#endif
