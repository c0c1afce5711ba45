/*
 * path.c — a finding's file as CI systems want it: relative to the
 * repository root (SARIF's %SRCROOT%, GitHub's workspace), so a report made in
 * one checkout reads the same in another.  One realpath per call; formats call
 * it once per file or finding, so the cost is a few system calls per finding.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

/* The absolute, symlink-free form of path, or NULL.  A file that does not
 * exist (reported as unreadable) still gets one through its folder. */
static char *resolve(const char *path)
{
    char *abs = realpath(path, NULL);
    if (abs != NULL)
        return abs;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
    if (dir == NULL)
        return NULL;
    char *rdir = realpath(dir, NULL);
    free(dir);
    if (rdir == NULL)
        return NULL;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(rdir) + strlen(base) + 2;
    char *out = malloc(n);
    if (out != NULL) {
        size_t dl = strlen(rdir);
        memcpy(out, rdir, dl);
        out[dl] = '/';
        memcpy(out + dl + 1, base, strlen(base) + 1);
    }
    free(rdir);
    return out;
}

int sd_out_repo_path(const char *root, const char *file, sd_buf *b)
{
    if (root == NULL || file == NULL || strcmp(file, "-") == 0 || file[0] == '\0') {
        sd_buf_puts(b, file ? file : "");
        return 0;
    }
    char *abs = resolve(file);
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    int inside = abs && strncmp(abs, root, rl) == 0 &&
                 (rl == 1 ? abs[0] == '/' && abs[1] != '\0' : abs[rl] == '/' && abs[rl + 1] != '\0');
    if (inside)
        sd_buf_puts(b, abs + (rl == 1 ? 1 : rl + 1));
    else
        sd_buf_puts(b, abs ? abs : file);
    free(abs);
    return inside;
}

void sd_out_uri(sd_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            sd_buf_add(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            sd_buf_add(b, e, 3);
        }
    }
}
