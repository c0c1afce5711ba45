/*
 * write.h — writing a file atomically: the bytes go to a temporary file in the
 * same folder, are flushed to disk, and replace the target by rename(), so a
 * reader never sees half a report and a crash never leaves one.
 */
#ifndef SD_WRITE_H
#define SD_WRITE_H

#include <stddef.h>

#include "error.h"

sd_status sd_write_atomic(const char *path, const char *bytes, size_t len, sd_error *err);

#endif
