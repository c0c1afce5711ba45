/*
 * safeopen.c — open a file named by untrusted text only beneath a folder.
 *
 * Place: the Schematron engine (sch/eval.c) opens subordinate documents with
 * it; the descriptor is then read by the safe loader (load.c).  Why not
 * realpath() and then open(): realpath fails for a resolved path longer than
 * PATH_MAX (a symlink into a deep folder) while open succeeds, and anything
 * may change between the check and the open.  So the file is opened first and
 * what was opened is checked:
 *
 *   - Linux 5.6+: openat2(folder, path, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 *     — the kernel refuses ("..", absolute symlinks, /proc magic links) any
 *     step that would leave the folder, atomically;
 *   - otherwise (ENOSYS, or a filter that forbids the call): openat() and then
 *     the real path of the opened descriptor, read back from /proc/self/fd,
 *     must lie beneath the real path of the folder's descriptor.  Any error
 *     there (no /proc, a name too long to read back) refuses the file.
 *
 * An absolute name is first made relative to the folder (by its name as given
 * or its real name); one that is not under the folder is refused without
 * being opened, so no device or FIFO outside is ever opened.  Files are
 * opened O_NONBLOCK (a FIFO cannot block) and must be regular files.
 *
 * Cost: one or two system calls per component of the name, plus two readlinks
 * in the fallback.  No global state.
 */
#include "safeopen.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__linux__) && defined(SYS_openat2) && defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define SD_HAVE_OPENAT2 1
#endif
#endif

#define PROC_LINK_MAX 8192 /* a real path longer than this is refused */

char *sd_safeopen_dirname(const char *file)
{
    const char *slash = strrchr(file, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == file)
        return strdup("/");
    return strndup(file, (size_t)(slash - file));
}

char *sd_safeopen_join(const char *dir, const char *path)
{
    if (path[0] == '/' || strcmp(dir, ".") == 0)
        return strdup(path);
    size_t dl = strlen(dir), pl = strlen(path);
    int sep = dl > 0 && dir[dl - 1] != '/';
    char *out = malloc(dl + (size_t)sep + pl + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, dir, dl);
    if (sep)
        out[dl] = '/';
    memcpy(out + dl + (size_t)sep, path, pl + 1);
    return out;
}

static void say_errno(char *why, size_t whylen, int e)
{
    switch (e) {
    case ENOENT:
        snprintf(why, whylen, "no such file");
        break;
    case EACCES:
        snprintf(why, whylen, "permission denied");
        break;
    case ELOOP:
        snprintf(why, whylen, "too many levels of symbolic links");
        break;
    case ENAMETOOLONG:
        snprintf(why, whylen, "name too long");
        break;
    case ENOTDIR:
        snprintf(why, whylen, "a part of the name is not a folder");
        break;
    default: {
        char msg[128];
        snprintf(why, whylen, "cannot open: %s", sd_strerror(e, msg, sizeof msg));
    }
    }
}

/* The real path of an open descriptor, from /proc; -1 when it cannot be had. */
static int fd_real_path(int fd, char *out, size_t outlen)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, outlen);
    if (n <= 0 || (size_t)n >= outlen || out[0] != '/')
        return -1;
    out[n] = '\0';
    return 0;
}

/* True when path is dir itself's child or deeper ("/" holds everything). */
/* 1 when out holds fd's real path: read once (known < 0), else known. */
static int known_real_path(int fd, char *out, int known)
{
    return known >= 0 ? known : fd_real_path(fd, out, PROC_LINK_MAX) == 0;
}

static int beneath(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/' && path[1] != '\0';
    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

/* An absolute name made relative to the folder, or NULL when it lies elsewhere. */
static const char *relative_to(const char *dir, const char *real_dir, const char *path)
{
    const char *cands[2] = {real_dir, dir[0] == '/' ? dir : NULL};
    for (int i = 0; i < 2; i++) {
        const char *d = cands[i];
        if (d == NULL)
            continue;
        size_t n = strlen(d);
        while (n > 1 && d[n - 1] == '/')
            n--;
        if (n == 1 && d[0] == '/')
            n = 0;
        if (strncmp(path, d, n) == 0 && path[n] == '/') {
            const char *rel = path + n;
            while (*rel == '/')
                rel++;
            if (*rel != '\0')
                return rel;
        }
    }
    return NULL;
}

#ifdef SD_HAVE_OPENAT2
/* -2 when the kernel (or a seccomp filter) does not offer openat2. */
static int open_beneath(int dfd, const char *rel, int flags)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int tries = 0; tries < 8; tries++) {
        long fd = syscall(SYS_openat2, dfd, rel, &how, sizeof how);
        if (fd >= 0)
            return (int)fd;
        if (errno == ENOSYS || errno == EPERM || errno == E2BIG || errno == EINVAL)
            return -2;
        if (errno != EAGAIN && errno != EINTR) /* EAGAIN: a rename raced the lookup */
            return -1;
    }
    return -1;
}
#endif

/* The work of sd_safeopen_beneath_ex on the folder's open descriptor dfd
 * (left open). */
static sd_safeopen_result beneath_at(int dfd, const char *dir, const char *path, int no_openat2,
                                     int *fd_out, struct stat *st_out, char *why, size_t whylen)
{
    *fd_out = -1;
    if (path[0] == '\0') {
        snprintf(why, whylen, "empty name");
        return SD_SAFEOPEN_ERROR;
    }
    /* The real paths are read back only for an absolute name or without
     * openat2: the buffers are made then (two 8 KiB allocations per file
     * otherwise, for nothing). */
    char *real_dir = NULL, *real_file = NULL;
    sd_safeopen_result res = SD_SAFEOPEN_ERROR;
    int fd = -1;
    int need_real = path[0] == '/' || no_openat2;
#ifndef SD_HAVE_OPENAT2
    need_real = 1;
#endif
    if (need_real) {
        real_dir = malloc(PROC_LINK_MAX);
        real_file = malloc(PROC_LINK_MAX);
        if (real_dir == NULL || real_file == NULL) {
            snprintf(why, whylen, "out of memory");
            goto done;
        }
    }
    /* The folder's real path is read back only when it is needed (an
     * absolute name, or no openat2): a readlink per file otherwise. */
    int have_real_dir = -1;
    const char *rel = path;
    if (path[0] == '/') {
        have_real_dir = known_real_path(dfd, real_dir, have_real_dir);
        rel = relative_to(dir, have_real_dir ? real_dir : NULL, path);
        if (rel == NULL) {
            res = SD_SAFEOPEN_OUTSIDE;
            snprintf(why, whylen, "outside the folder");
            goto done;
        }
    }
    int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
    int checked = 0;
#ifdef SD_HAVE_OPENAT2
    if (!no_openat2) {
        fd = open_beneath(dfd, rel, flags);
        if (fd == -1 && errno == EXDEV) {
            res = SD_SAFEOPEN_OUTSIDE;
            snprintf(why, whylen, "outside the folder");
            goto done;
        }
        if (fd == -1) {
            say_errno(why, whylen, errno);
            goto done;
        }
        checked = fd >= 0; /* the kernel kept every step beneath the folder */
        if (fd == -2)
            fd = -1;
    }
#else
    (void)no_openat2;
#endif
    if (!checked) {
        if (real_dir == NULL) { /* openat2 refused by the kernel: the fallback */
            real_dir = malloc(PROC_LINK_MAX);
            real_file = malloc(PROC_LINK_MAX);
            if (real_dir == NULL || real_file == NULL) {
                snprintf(why, whylen, "out of memory");
                goto done;
            }
        }
        fd = openat(dfd, rel, flags);
        if (fd < 0) {
            say_errno(why, whylen, errno);
            goto done;
        }
        if (!(have_real_dir = known_real_path(dfd, real_dir, have_real_dir)) ||
            fd_real_path(fd, real_file, PROC_LINK_MAX) != 0) {
            snprintf(why, whylen, "its real location cannot be checked");
            goto done;
        }
        if (!beneath(real_dir, real_file)) {
            res = SD_SAFEOPEN_OUTSIDE;
            snprintf(why, whylen, "outside the folder");
            goto done;
        }
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        say_errno(why, whylen, errno);
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        res = SD_SAFEOPEN_NOT_REGULAR;
        snprintf(why, whylen, S_ISDIR(sb.st_mode) ? "a folder, not a file"
                                                  : "not a regular file (a FIFO, device or socket)");
        goto done;
    }
    /* O_NONBLOCK is left set: it changes nothing on a regular file (the
     * only kind returned), and clearing it cost two system calls a file. */
    if (st_out != NULL)
        *st_out = sb;
    res = SD_SAFEOPEN_OK;
    *fd_out = fd;
    fd = -1;
    why[0] = '\0';
done:
    if (fd >= 0)
        close(fd);
    free(real_dir);
    free(real_file);
    return res;
}

/* The folder's descriptor, or -1 with why set. */
static int open_folder(const char *dir, char *why, size_t whylen)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        int e = errno;
        char m[200];
        say_errno(m, sizeof m, e);
        snprintf(why, whylen, "its folder cannot be opened: %s", m);
    }
    return dfd;
}

sd_safeopen_result sd_safeopen_beneath_ex(const char *dir, const char *path, int no_openat2,
                                          int *fd_out, char *why, size_t whylen)
{
    *fd_out = -1;
    if (path[0] == '\0') {
        snprintf(why, whylen, "empty name");
        return SD_SAFEOPEN_ERROR;
    }
    int dfd = open_folder(dir, why, whylen);
    if (dfd < 0)
        return SD_SAFEOPEN_ERROR;
    sd_safeopen_result r = beneath_at(dfd, dir, path, no_openat2, fd_out, NULL, why, whylen);
    close(dfd);
    return r;
}

sd_safeopen_folder *sd_safeopen_folder_open(const char *dir)
{
    sd_safeopen_folder *f = malloc(sizeof *f);
    if (f == NULL)
        return NULL;
    f->dir = strdup(dir);
    f->fd = -2; /* opened at the first file */
    if (f->dir == NULL) {
        free(f);
        return NULL;
    }
    return f;
}

void sd_safeopen_folder_close(sd_safeopen_folder *f)
{
    if (f == NULL)
        return;
    if (f->fd >= 0)
        close(f->fd);
    free(f->dir);
    free(f);
}

sd_safeopen_result sd_safeopen_beneath_in(sd_safeopen_folder *f, const char *path, int *fd_out,
                                          char *why, size_t whylen)
{
    return sd_safeopen_beneath_in_stat(f, path, fd_out, NULL, why, whylen);
}

sd_safeopen_result sd_safeopen_beneath_in_stat(sd_safeopen_folder *f, const char *path,
                                               int *fd_out, struct stat *st, char *why,
                                               size_t whylen)
{
    *fd_out = -1;
    if (path[0] == '\0') {
        snprintf(why, whylen, "empty name");
        return SD_SAFEOPEN_ERROR;
    }
    /* A folder that cannot be opened is tried again for each file, as
     * sd_safeopen_beneath would (and says why each time). */
    if (f->fd < 0 && (f->fd = open_folder(f->dir, why, whylen)) < 0)
        return SD_SAFEOPEN_ERROR;
    return beneath_at(f->fd, f->dir, path, 0, fd_out, st, why, whylen);
}

sd_safeopen_result sd_safeopen_beneath(const char *dir, const char *path, int *fd, char *why,
                                       size_t whylen)
{
    return sd_safeopen_beneath_ex(dir, path, 0, fd, why, whylen);
}
