/*
 * walk.c — recursive folder search with loop detection.
 *
 * Loop detection keeps the (device, inode) of every folder on the current
 * path, so a link back to an ancestor is caught at once; depth is capped at 64.
 * Cost: one readdir per folder plus a sort of each folder's entries.
 */
#include "walk.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ignore.h"
#include "kind.h"

#define MAX_DEPTH 64
#define SNIFF_BYTES 65536

typedef struct walk {
    sd_lang lang;
    sd_pathlist *out;
    sd_diags *d;
    sd_error *err;
    const sd_walk_options *opt; /* NULL: every *.xml */
    sd_ignore *ignore;          /* .sdlintignore patterns in effect; NULL: none */
    sd_ignore *excludes;        /* --exclude patterns; NULL: none */
    const char *root_arg;       /* the walked folder as given, and its absolute form */
    const char *root_abs;
    size_t skipped;
    dev_t devs[MAX_DEPTH];
    ino_t inos[MAX_DEPTH];
    int depth;
} walk;

static sd_status push(sd_pathlist *l, const char *p, sd_error *err)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **n = realloc(l->items, cap * sizeof *n);
        if (n == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory listing files");
        l->items = n;
        l->cap = cap;
    }
    if ((l->items[l->count] = strdup(p)) == NULL)
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory listing files");
    l->count++;
    return SD_OK;
}

void sd_pathlist_free(sd_pathlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int ends_with_xml(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The absolute form of a path under the walked folder: its absolute root
 * plus what the walk appended to the root as given. */
static int abs_of(const walk *w, const char *path, char *buf, size_t size)
{
    const char *rest = path + strlen(w->root_arg);
    while (*rest == '/')
        rest++;
    int n = snprintf(buf, size, "%s%s%s", w->root_abs, *rest ? "/" : "", rest);
    return n >= 0 && (size_t)n < size;
}

static int excluded(const walk *w, const char *path, int is_dir)
{
    char abs[PATH_MAX * 2];
    if (!w->ignore || !abs_of(w, path, abs, sizeof abs))
        return 0;
    /* --exclude has the last word; then the .sdlintignore files. */
    int v = sd_ignore_verdict(w->excludes, abs, is_dir);
    return v >= 0 ? v : sd_ignore_verdict(w->ignore, abs, is_dir) == 1;
}

/* 1 when a regular file's first bytes show a root element that is not ours. */
static int foreign_xml(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char *buf = malloc(SNIFF_BYTES);
    ssize_t n = buf ? read(fd, buf, SNIFF_BYTES) : -1;
    close(fd);
    int foreign = n > 0 && sd_kind_sniff(buf, (size_t)n) == SD_KIND_OTHER;
    free(buf);
    return foreign;
}

static sd_status walk_dir(walk *w, const char *dir, size_t *found)
{
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return sd_diags_addf(w->d, w->err, "SD001", SD_SEV_FATAL, dir, 0, 0, NULL, "%s",
                             SD_TR(w->lang, "无法进入目录（符号链接循环或无权限）",
                                   "cannot enter the folder (a symbolic-link loop or no permission)"));
    for (int i = 0; i < w->depth; i++)
        if (w->devs[i] == sb.st_dev && w->inos[i] == sb.st_ino)
            return sd_diags_addf(w->d, w->err, "SD001", SD_SEV_FATAL, dir, 0, 0, NULL, "%s",
                                 SD_TR(w->lang, "符号链接循环：该目录指回它的上级目录，已跳过",
                                       "symbolic-link loop: the folder leads back to one of its parents; skipped"));
    if (w->depth == MAX_DEPTH)
        return sd_diags_addf(w->d, w->err, "SD004", SD_SEV_FATAL, dir, 0, 0, NULL, "%s",
                             SD_TR(w->lang, "目录层次超过 64 层，已跳过",
                                   "folders nest deeper than 64 levels; skipped"));
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return sd_diags_addf(w->d, w->err, "SD001", SD_SEV_FATAL, dir, 0, 0, NULL, "%s",
                             SD_TR(w->lang, "无法读取目录", "cannot read the folder"));
    w->devs[w->depth] = sb.st_dev;
    w->inos[w->depth] = sb.st_ino;
    w->depth++;
    sd_pathlist names = {0};
    sd_status st = SD_OK;
    /* A folder's own .sdlintignore holds for what is below it (the walked
     * folder's was read with its ancestors'). */
    size_t patterns = w->ignore ? sd_ignore_count(w->ignore) : 0;
    char here[PATH_MAX * 2];
    if (w->ignore && w->depth > 1 && abs_of(w, dir, here, sizeof here))
        st = sd_ignore_add_file(w->ignore, here, w->err);
    struct dirent *de;
    while (st == SD_OK && (de = readdir(dh)) != NULL)
        if (de->d_name[0] != '.')
            st = push(&names, de->d_name, w->err);
    closedir(dh);
    if (names.count > 1)
        qsort(names.items, names.count, sizeof *names.items, cmp_names);
    for (size_t i = 0; st == SD_OK && i < names.count; i++) {
        size_t n = strlen(dir) + strlen(names.items[i]) + 2;
        char *full = malloc(n);
        if (full == NULL) {
            st = sd_error_set(w->err, SD_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        snprintf(full, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.items[i]);
        struct stat es;
        int is_dir = stat(full, &es) == 0 && S_ISDIR(es.st_mode);
        if (is_dir && excluded(w, full, 1)) {
            ; /* as in git: nothing below an excluded folder comes back */
        } else if (is_dir) {
            st = walk_dir(w, full, found);
        } else if (ends_with_xml(names.items[i]) &&
                   (excluded(w, full, 0) ||
                    (w->opt && w->opt->known_only && S_ISREG(es.st_mode) && foreign_xml(full)))) {
            /* Counted as found: a folder of other XML is not an empty folder. */
            if (!excluded(w, full, 0))
                w->skipped++;
            (*found)++;
        } else if (ends_with_xml(names.items[i])) {
            /* Unreadable or dangling entries are kept: reading them reports why. */
            st = push(w->out, full, w->err);
            (*found)++;
        }
        free(full);
    }
    sd_pathlist_free(&names);
    if (w->ignore)
        sd_ignore_truncate(w->ignore, patterns);
    w->depth--;
    return st;
}

/* The .sdlintignore files of abs_dir and its ancestors up to the git root
 * (outermost first, so deeper files win) into *out; the --exclude patterns,
 * relative to the current folder, into *exc. */
static sd_status load_ignores(walk *w, const char *abs_dir, sd_ignore **out, sd_ignore **exc)
{
    *out = NULL;
    *exc = NULL;
    size_t ne = w->opt ? w->opt->nexcludes : 0;
    sd_ignore *ig = sd_ignore_new(), *ex = sd_ignore_new();
    if (ig == NULL || ex == NULL) {
        sd_ignore_free(ig);
        sd_ignore_free(ex);
        return sd_error_set(w->err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    /* Folders from abs_dir up to the one holding .git (or abs_dir alone). */
    char *dirs[MAX_DEPTH * 4];
    size_t nd = 0, top = 1;
    char *cur = strdup(abs_dir);
    sd_status st = cur ? SD_OK : sd_error_set(w->err, SD_ENOMEM, NULL, 0, "out of memory");
    while (st == SD_OK && cur && nd < sizeof dirs / sizeof dirs[0]) {
        dirs[nd++] = cur;
        char git[PATH_MAX + 8];
        struct stat gs;
        if (snprintf(git, sizeof git, "%s/.git", cur) < (int)sizeof git && lstat(git, &gs) == 0) {
            top = nd;
            break;
        }
        char *slash = strrchr(cur, '/');
        if (slash == NULL || cur[1] == '\0' || slash == cur) {
            top = 1; /* no git root: only the walked folder */
            break;
        }
        cur = strndup(cur, (size_t)(slash - cur));
        if (cur == NULL)
            st = sd_error_set(w->err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    if (top > nd)
        top = nd;
    for (size_t i = top; st == SD_OK && i-- > 0;)
        st = sd_ignore_add_file(ig, dirs[i], w->err);
    for (size_t i = 0; i < nd; i++)
        free(dirs[i]);
    if (st == SD_OK && ne) {
        char *cwd = realpath(".", NULL);
        for (size_t i = 0; st == SD_OK && cwd && i < ne; i++)
            st = sd_ignore_add_text(ex, strcmp(cwd, "/") == 0 ? "" : cwd, w->opt->excludes[i],
                                    strlen(w->opt->excludes[i]), w->err);
        free(cwd);
    }
    if (st != SD_OK) {
        sd_ignore_free(ig);
        sd_ignore_free(ex);
        return st;
    }
    *out = ig;
    *exc = ex;
    return SD_OK;
}

sd_status sd_walk_expand(const char *const *args, size_t nargs, sd_lang lang,
                         sd_pathlist *out, sd_diags *d, sd_error *err)
{
    sd_walk_options opt = {.lang = lang};
    size_t skipped = 0;
    return sd_walk_expand_opts(&opt, args, nargs, out, d, &skipped, err);
}

sd_status sd_walk_expand_opts(const sd_walk_options *opt, const char *const *args, size_t nargs,
                              sd_pathlist *out, sd_diags *d, size_t *skipped, sd_error *err)
{
    sd_lang lang = opt->lang;
    walk w = {.lang = lang, .out = out, .d = d, .err = err, .opt = opt};
    *skipped = 0;
    for (size_t i = 0; i < nargs; i++) {
        struct stat sb;
        sd_status st;
        if (strcmp(args[i], "-") != 0 && stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            size_t found = 0;
            char *abs = realpath(args[i], NULL);
            w.root_arg = args[i];
            w.root_abs = abs && strcmp(abs, "/") == 0 ? "" : abs;
            st = abs ? load_ignores(&w, abs, &w.ignore, &w.excludes) : SD_OK;
            if (st == SD_OK)
                st = walk_dir(&w, args[i], &found);
            sd_ignore_free(w.ignore);
            sd_ignore_free(w.excludes);
            w.ignore = w.excludes = NULL;
            free(abs);
            if (st == SD_OK && found == 0)
                st = sd_diags_addf(d, err, "SD001", SD_SEV_FATAL, args[i], 0, 0, NULL, "%s",
                                   SD_TR(lang, "目录中没有找到 .xml 文件",
                                         "no .xml files found in this folder"));
        } else {
            st = push(out, args[i], err);
        }
        if (st != SD_OK)
            return st;
    }
    *skipped = w.skipped;
    return SD_OK;
}
