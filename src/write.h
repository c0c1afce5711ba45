/*
 * write.h — writing a file atomically: the bytes go to a temporary file in the
 * same folder, are flushed to disk, replace the target by rename(), and the
 * folder is flushed too, so a reader never sees half a report and a crash
 * never leaves one (nor loses the rename).
 *
 * The report is an ordinary file: created with mode 0666 less the umask, as
 * the shell's `>` would.  A symbolic link at path is followed: the target is
 * replaced (atomically, in the target's own folder) and the link stays, as a
 * write through the link would do.  A target that exists and is not a regular
 * file (a device, a FIFO, a folder) is refused: replacing /dev/null with a
 * report is never what was meant.
 */
#ifndef SD_WRITE_H
#define SD_WRITE_H

#include <stddef.h>

#include "error.h"

/* Replaces path with bytes[0..len).  On failure (SD_EIO, SD_EINVAL for a target
 * that is not a regular file, SD_ENOMEM) path is unchanged and no temporary
 * file is left — except when only the final flush of the folder fails (SD_EIO,
 * "could not flush"): the new content is then in place but may not survive a
 * crash.  err names path. */
sd_status sd_write_atomic(const char *path, const char *bytes, size_t len, sd_error *err);

#endif
