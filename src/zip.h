/*
 * zip.h — the ZIP reading and writing a .docx needs, in memory, over zlib.
 *
 * Why our own and not libzip: every run of sdlint, even a check of one small
 * document that never opens a Word file, paid for loading libzip and what it
 * pulls in (libcrypto, libbz2, liblzma): about 1–2 ms of dynamic linking,
 * more than the check of the document.  A .docx needs only stored and
 * deflated entries, and zlib is already loaded by libxml2.
 *
 * Reading (sd_zip_open, then sd_zip_find and sd_zip_extract): the archive is
 * a buffer the caller keeps alive while the reader is open.  The end of
 * central directory record is found in the last 64 KiB + 22 bytes, the
 * central directory is read whole and checked before any entry is looked up:
 * every offset and size inside the buffer, the entry count equal to what the
 * directory holds, no two names alike (ASCII case folded, as OPC part names
 * compare), no name with a NUL byte, a leading '/' or '\\' or a ".." step.
 * ZIP64 records are read where a 32-bit field is saturated (a .NET-written
 * package has them); their values are held to the same bounds.  Multi-disk
 * archives are refused.  Extracting an entry: its local header must lie in
 * the buffer, an encrypted entry (flag bit 0 or 6) is SD_EUNSAFE, a method
 * other than stored (0) or deflate (8) SD_EPARSE; the uncompressed size the
 * directory states must be at most the caller's limit (else SD_ELIMIT) and is
 * all that is allocated; an entry that inflates to more than it states is
 * SD_ELIMIT (a zip bomb that lies), one that inflates to less, a broken
 * deflate stream or a CRC-32 mismatch SD_EPARSE.
 *
 * Writing (sd_zip_writer_*): entries stored or deflated (zlib level 9, the
 * window and memory level libzip used, so the bytes of a written .docx are
 * the same as before), with a fixed DOS time (1980-01-01 00:00) so that the
 * same input gives the same bytes; no extra fields, no data descriptors.
 *
 * Cost bounds: open is linear in the directory (entries sorted once for the
 * duplicate check: O(n log n), n < 65 536 as the directory is < 4 GiB and an
 * entry takes 46 bytes); an extraction allocates at most limit + 1 bytes and
 * inflates once.  Threads: no global state.
 */
#ifndef SD_ZIP_H
#define SD_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

typedef struct sd_zip_entry {
    const unsigned char *name; /* into the archive's bytes, name_len long, no NUL */
    size_t name_len;
    unsigned flags, method;
    uint32_t crc;
    uint64_t csize, usize; /* compressed and uncompressed sizes, as the directory states */
    uint64_t local_off;    /* offset of the local header */
} sd_zip_entry;

typedef struct sd_zip {
    const unsigned char *bytes;
    size_t len;
    sd_zip_entry *entries; /* in directory order */
    size_t count;
} sd_zip;

/* Reads the central directory of the archive in bytes[0..len), which must
 * outlive *z.  On error *z is empty (sd_zip_close is still fine). */
sd_status sd_zip_open(sd_zip *z, const unsigned char *bytes, size_t len, sd_error *err);

/* The entry named name (ASCII letters compared without case), or NULL. */
const sd_zip_entry *sd_zip_find(const sd_zip *z, const char *name);

/* Extracts e into a malloc'd buffer with a NUL after its len bytes (the
 * caller frees it).  Refuses an entry larger than limit bytes uncompressed. */
sd_status sd_zip_extract(const sd_zip *z, const sd_zip_entry *e, size_t limit,
                         unsigned char **data, size_t *len, sd_error *err);

void sd_zip_close(sd_zip *z);

typedef struct sd_zip_writer {
    sd_buf out;    /* local headers and data */
    sd_buf cd;     /* the central directory, appended at the end */
    size_t count;
    int failed;    /* an allocation or zlib call failed */
} sd_zip_writer;

void sd_zip_writer_init(sd_zip_writer *w);

/* Adds an entry; deflate 0 stores it.  name must be relative, without "..". */
sd_status sd_zip_writer_add(sd_zip_writer *w, const char *name, const void *data, size_t len,
                            int deflate, sd_error *err);

/* Ends the archive: *bytes malloc'd (the caller frees it), *len its length.
 * The writer is left empty. */
sd_status sd_zip_writer_finish(sd_zip_writer *w, unsigned char **bytes, size_t *len,
                               sd_error *err);

void sd_zip_writer_free(sd_zip_writer *w);

#endif
