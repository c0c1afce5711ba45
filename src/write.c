/*
 * write.c — atomic replace via mkstemp + fsync + rename in the target's folder.
 */
#include "write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

sd_status sd_write_atomic(const char *path, const char *bytes, size_t len, sd_error *err)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return sd_error_set(err, SD_ENOMEM, path, 0, "out of memory");
    snprintf(tmp, n, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sd_error_set(err, SD_EIO, path, 0, "cannot write %s: %s", path, SD_STRERROR(errno));
        free(tmp);
        return SD_EIO;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        off += (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return SD_OK;
fail:
    sd_error_set(err, SD_EIO, path, 0, "cannot write %s: %s", path, SD_STRERROR(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return SD_EIO;
}
