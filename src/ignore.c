/*
 * ignore.c — gitignore-syntax matching for --exclude and .sdlintignore (see
 * ignore.h for the syntax).  Patterns are parsed once when added; matching
 * walks pattern and path together, backtracking only at * (within one path
 * component) and ** (at slashes).
 */
#include "ignore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_IGNORE_FILE (1024 * 1024)

typedef struct ig_pattern {
    char *base;     /* folder the pattern is relative to */
    char *glob;     /* without !, leading / and trailing / */
    int negate;
    int dir_only;
    int anchored;   /* match the whole relative path, not just the name */
} ig_pattern;

struct sd_ignore {
    ig_pattern *items;
    size_t count, cap;
};

sd_ignore *sd_ignore_new(void)
{
    return calloc(1, sizeof(sd_ignore));
}

void sd_ignore_free(sd_ignore *ig)
{
    if (ig == NULL)
        return;
    for (size_t i = 0; i < ig->count; i++) {
        free(ig->items[i].base);
        free(ig->items[i].glob);
    }
    free(ig->items);
    free(ig);
}

/* Length of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return k;
}

/* [...] at p against the byte c; returns the pattern after ']' in *end, or
 * NULL there when the class is not closed (then '[' is a literal). */
static int class_match(const char *p, unsigned char c, const char **end)
{
    const char *q = p + 1;
    int negate = 0, hit = 0;
    if (*q == '!' || *q == '^') {
        negate = 1;
        q++;
    }
    int first = 1;
    while (*q && (*q != ']' || first)) {
        unsigned char lo = (unsigned char)*q;
        if (lo == '\\' && q[1])
            lo = (unsigned char)*++q;
        unsigned char hi = lo;
        if (q[1] == '-' && q[2] && q[2] != ']') {
            hi = (unsigned char)q[2];
            q += 2;
        }
        if (c >= lo && c <= hi)
            hit = 1;
        q++;
        first = 0;
    }
    if (*q != ']') {
        *end = NULL;
        return 0;
    }
    *end = q + 1;
    return hit != negate;
}

static int glob_at(const char *p, const char *start, const char *t)
{
    while (*p) {
        if (p[0] == '*' && p[1] == '*' && (p == start || p[-1] == '/') &&
            (p[2] == '/' || p[2] == '\0')) {
            if (p[2] == '\0')
                return 1;
            /* "**" + "/": zero or more whole folders. */
            const char *rest = p + 3;
            for (const char *s = t;;) {
                if (glob_at(rest, start, s))
                    return 1;
                s = strchr(s, '/');
                if (s == NULL)
                    return 0;
                s++;
            }
        }
        switch (*p) {
        case '*':
            while (*p == '*')
                p++;
            for (const char *s = t;; s++) {
                if (glob_at(p, start, s))
                    return 1;
                if (*s == '\0' || *s == '/')
                    return 0;
            }
        case '?':
            if (*t == '\0' || *t == '/')
                return 0;
            t += char_len(t);
            p++;
            continue;
        case '[': {
            const char *end;
            int hit = class_match(p, (unsigned char)*t, &end);
            if (end != NULL) {
                if (*t == '\0' || *t == '/' || !hit)
                    return 0;
                t++;
                p = end;
                continue;
            }
            break; /* an unclosed [ is a literal */
        }
        case '\\':
            if (p[1])
                p++;
            break;
        default:
            break;
        }
        if (*p != *t)
            return 0;
        p++;
        t++;
    }
    return *t == '\0';
}

int sd_glob_match(const char *glob, const char *path)
{
    return glob_at(glob, glob, path);
}

static sd_status add_line(sd_ignore *ig, const char *base, const char *s, size_t n, sd_error *err)
{
    /* Trailing spaces go unless escaped with a backslash. */
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r') &&
           !(n > 1 && s[n - 2] == '\\'))
        n--;
    if (n == 0 || s[0] == '#')
        return SD_OK;
    ig_pattern pt = {0};
    if (s[0] == '!') {
        pt.negate = 1;
        s++;
        n--;
    } else if (s[0] == '\\' && n > 1 && (s[1] == '#' || s[1] == '!')) {
        s++;
        n--;
    }
    if (n > 0 && s[n - 1] == '/') {
        pt.dir_only = 1;
        n--;
    }
    if (n > 0 && s[0] == '/') {
        pt.anchored = 1;
        s++;
        n--;
    }
    if (n == 0)
        return SD_OK;
    if (memchr(s, '/', n) != NULL)
        pt.anchored = 1;
    if (ig->count == ig->cap) {
        size_t cap = ig->cap ? ig->cap * 2 : 16;
        ig_pattern *items = realloc(ig->items, cap * sizeof *items);
        if (items == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory reading ignore patterns");
        ig->items = items;
        ig->cap = cap;
    }
    pt.glob = strndup(s, n);
    pt.base = strdup(base);
    if (pt.glob == NULL || pt.base == NULL) {
        free(pt.glob);
        free(pt.base);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory reading ignore patterns");
    }
    ig->items[ig->count++] = pt;
    return SD_OK;
}

sd_status sd_ignore_add_text(sd_ignore *ig, const char *base, const char *text, size_t len,
                             sd_error *err)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        sd_status st = add_line(ig, base, text + i, n, err);
        if (st != SD_OK)
            return st;
        i += n + 1;
    }
    return SD_OK;
}

sd_status sd_ignore_add_file(sd_ignore *ig, const char *base, sd_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/.sdlintignore", base) >= (int)sizeof path)
        return SD_OK;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return SD_OK;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return SD_OK;
    }
    if (sb.st_size > MAX_IGNORE_FILE) {
        close(fd);
        return sd_error_set(err, SD_ELIMIT, path, 0, "larger than %d bytes", MAX_IGNORE_FILE);
    }
    size_t size = (size_t)sb.st_size, len = 0;
    char *text = malloc(size + 1);
    if (text == NULL) {
        close(fd);
        return sd_error_set(err, SD_ENOMEM, path, 0, "out of memory");
    }
    while (len < size) {
        ssize_t n = read(fd, text + len, size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    sd_status st = sd_ignore_add_text(ig, base, text, len, err);
    free(text);
    return st;
}

size_t sd_ignore_count(const sd_ignore *ig)
{
    return ig->count;
}

void sd_ignore_truncate(sd_ignore *ig, size_t count)
{
    while (ig->count > count) {
        ig->count--;
        free(ig->items[ig->count].base);
        free(ig->items[ig->count].glob);
    }
}

int sd_ignore_match(const sd_ignore *ig, const char *abs_path, int is_dir)
{
    return sd_ignore_verdict(ig, abs_path, is_dir) == 1;
}

int sd_ignore_verdict(const sd_ignore *ig, const char *abs_path, int is_dir)
{
    int ignored = -1;
    for (size_t i = 0; ig && i < ig->count; i++) {
        const ig_pattern *pt = &ig->items[i];
        if (pt->dir_only && !is_dir)
            continue;
        if (pt->negate ? ignored == 0 : ignored == 1)
            continue; /* could not change the outcome */
        size_t bl = strlen(pt->base);
        if (strncmp(abs_path, pt->base, bl) != 0 || abs_path[bl] != '/')
            continue;
        const char *rel = abs_path + bl + 1;
        const char *name = strrchr(rel, '/');
        name = name ? name + 1 : rel;
        if (sd_glob_match(pt->glob, pt->anchored ? rel : name))
            ignored = !pt->negate;
    }
    return ignored;
}
