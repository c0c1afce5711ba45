/*
 * safeopen.h — opening a file named by untrusted text, only when it lies
 * beneath a given folder.
 *
 * Used for subordinate documents (sch:pattern/@documents): their names come
 * from the checked document, so without this a document could make a run read
 * and print any file on the machine.  The file is opened FIRST and the opened
 * file's own location is checked, so there is no window between a check and
 * the open (a path swapped for a symlink in between cannot escape), and any
 * error in the check refuses the file.  Names are plain file-system paths
 * (UTF-8 bytes as they are, spaces and CJK included), never URIs.
 *
 * Ownership: returned strings are malloc'd and belong to the caller (free);
 * a returned descriptor belongs to the caller (close).
 */
#ifndef SD_SAFEOPEN_H
#define SD_SAFEOPEN_H

#include <stddef.h>

typedef enum sd_safeopen_result {
    SD_SAFEOPEN_OK = 0,
    SD_SAFEOPEN_OUTSIDE = 1,     /* the file lies outside the folder: refused */
    SD_SAFEOPEN_NOT_REGULAR = 2, /* a folder, FIFO, device or socket: refused */
    SD_SAFEOPEN_ERROR = 3        /* cannot be opened or checked (why says how) */
} sd_safeopen_result;

/* The folder part of a file path as the user named it ("." when it has none,
 * "/" for a file at the root).  NULL on out of memory. */
char *sd_safeopen_dirname(const char *file);

/* Plain path joining: path itself when it is absolute, else dir/path ("."
 * as dir gives path unchanged).  No URI escaping, no normalisation.  NULL on
 * out of memory. */
char *sd_safeopen_join(const char *dir, const char *path);

/* Opens path (relative to dir, or absolute) read-only for a regular file that
 * lies in dir or below it, after every symlink is followed.  On Linux 5.6+
 * a relative path is opened with openat2(RESOLVE_BENEATH); otherwise (or for
 * an absolute path) the file is opened and the real location of the opened
 * descriptor (/proc/self/fd) must lie beneath the real location of dir.  A
 * FIFO never blocks the call.  On SD_SAFEOPEN_OK *fd is open on a regular file
 * (opened O_NONBLOCK, which a regular file ignores: reads block as usual);
 * otherwise *fd is -1 and why holds a short English reason. */
sd_safeopen_result sd_safeopen_beneath(const char *dir, const char *path, int *fd, char *why,
                                       size_t whylen);

/* Same, with openat2 skipped when no_openat2 is set (tests of the fallback). */
sd_safeopen_result sd_safeopen_beneath_ex(const char *dir, const char *path, int no_openat2,
                                          int *fd, char *why, size_t whylen);
/* A folder kept open for several files beneath it (a plan's 三定): the same
 * checks as sd_safeopen_beneath, without opening and closing the folder once
 * per file.  NULL on out of memory.  The folder is the one that had the
 * folder's name when the first file was opened. */
typedef struct sd_safeopen_folder {
    char *dir;
    int fd; /* -2 until the first file; -1 when it could not be opened */
} sd_safeopen_folder;
sd_safeopen_folder *sd_safeopen_folder_open(const char *dir);
sd_safeopen_result sd_safeopen_beneath_in(sd_safeopen_folder *f, const char *path, int *fd,
                                          char *why, size_t whylen);
/* Same, and *st is the opened file's fstat (what the caller would ask for
 * next: its identity and size), on SD_SAFEOPEN_OK. */
struct stat;
sd_safeopen_result sd_safeopen_beneath_in_stat(sd_safeopen_folder *f, const char *path, int *fd,
                                               struct stat *st, char *why, size_t whylen);
void sd_safeopen_folder_close(sd_safeopen_folder *f);

#endif
