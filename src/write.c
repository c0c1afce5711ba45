/*
 * write.c — atomic replace: resolve a symbolic link to its final target, create
 * a temporary file beside it with O_EXCL and mode 0666 (the kernel applies the
 * umask: reading the umask would mean changing it, which is process state),
 * write, fsync, rename, fsync the folder.  Cost: the bytes once, plus one
 * readlink per link hop (at most MAX_HOPS).
 */
#include "write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HOPS 40 /* as the kernel's own limit on links in one lookup */

/* The folder part of path ("." when it has none), newly allocated. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Follows symbolic links at the last component of path; returns the final
 * name (which may not exist yet), newly allocated, or NULL with errno set. */
static char *final_target(const char *path)
{
    char *cur = strdup(path);
    for (int hop = 0; cur != NULL; hop++) {
        struct stat st;
        if (lstat(cur, &st) != 0) {
            if (errno == ENOENT)
                return cur; /* a dangling link: its target is created */
            free(cur);
            return NULL;
        }
        if (!S_ISLNK(st.st_mode))
            return cur;
        if (hop == MAX_HOPS) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
        char *link = malloc(cap);
        ssize_t n = link ? readlink(cur, link, cap) : -1;
        if (n < 0 || (size_t)n >= cap) {
            if (n >= 0)
                errno = ENAMETOOLONG; /* the link changed while we read it */
            free(link);
            free(cur);
            return NULL;
        }
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = link;
        } else {
            char *dir = folder_of(cur);
            size_t len = dir ? strlen(dir) + 1 + (size_t)n + 1 : 0;
            next = dir ? malloc(len) : NULL;
            if (next)
                snprintf(next, len, "%s/%s", dir, link);
            free(dir);
            free(link);
        }
        free(cur);
        cur = next;
    }
    return NULL;
}

/* Creates a new file path.XXXXXX (mode 0666 & ~umask) and returns its
 * descriptor, with its name in tmp (size at least strlen(path) + 8). */
static int create_temp(const char *path, char *tmp, size_t size)
{
    static const char LETTERS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                 ((uint64_t)getpid() << 16) ^ (uint64_t)(uintptr_t)tmp;
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[7];
        for (int i = 0; i < 6; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            suffix[i] = LETTERS[(x >> 33) % (sizeof LETTERS - 1)];
        }
        suffix[6] = '\0';
        snprintf(tmp, size, "%s.%s", path, suffix);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* Makes the rename durable; a file system that cannot sync folders says EINVAL. */
static int sync_folder(const char *path)
{
    char *dir = folder_of(path);
    if (dir == NULL)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    int e = errno;
    close(fd);
    if (r != 0 && e != EINVAL) {
        errno = e;
        return -1;
    }
    return 0;
}

sd_status sd_write_atomic(const char *path, const char *bytes, size_t len, sd_error *err)
{
    char *target = final_target(path);
    if (target == NULL)
        return sd_error_set(err, errno == ENOMEM ? SD_ENOMEM : SD_EIO, path, 0,
                            "cannot write %s: %s", path, SD_STRERROR(errno));
    struct stat st;
    if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
        free(target);
        return sd_error_set(err, SD_EINVAL, path, 0,
                            "cannot write %s: not a regular file (--output replaces a file)",
                            path);
    }
    size_t n = strlen(target) + 16;
    char *tmp = malloc(n);
    if (tmp == NULL) {
        free(target);
        return sd_error_set(err, SD_ENOMEM, path, 0, "out of memory");
    }
    int fd = create_temp(target, tmp, n);
    if (fd < 0) {
        sd_error_set(err, SD_EIO, path, 0, "cannot write %s: %s", path, SD_STRERROR(errno));
        free(tmp);
        free(target);
        return SD_EIO;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, target) != 0)
        goto fail;
    free(tmp);
    tmp = NULL;
    if (sync_folder(target) != 0) {
        sd_error_set(err, SD_EIO, path, 0, "wrote %s but could not flush its folder: %s", path,
                     SD_STRERROR(errno));
        free(target);
        return SD_EIO;
    }
    free(target);
    return SD_OK;
fail:
    sd_error_set(err, SD_EIO, path, 0, "cannot write %s: %s", path, SD_STRERROR(errno));
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    free(tmp);
    free(target);
    return SD_EIO;
}
