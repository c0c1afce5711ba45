/*
 * walk.c — recursive folder search, each real folder and file reached once.
 *
 * Folders are followed through symbolic links, so one real folder can be
 * reached by many paths: two links per level to the next level give 2^depth
 * paths.  A set of the (device, inode) of every folder entered makes each real
 * folder walked once (at the first path reached, in sorted order; its
 * .sdlintignore and the --exclude patterns apply as seen from that path); a
 * folder reached again is skipped without a finding, since its files are
 * listed already.  A link back to a folder on the current path is still a loop
 * and an SD001 finding (the stack of ancestors tells the two apart); depth
 * stays capped at 64.  The same set holds regular files: a file reached through
 * a folder (a link to it, a hard link) is listed, or counted as skipped, once,
 * under the first path; a path named on the command line is kept as given and
 * marks its file as listed.  Excluded paths are not marked, since exclusion
 * goes by path.
 * Cost: one readdir and one stat per entry, a sort of each folder's entries and
 * an O(1) expected set look-up per entry; the set lives in the walk (no global
 * state) and grows with the number of folders and files reached.
 */
#include "walk.h"

#include <dirent.h>
#include <stdint.h>
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

/* One real folder or file.  For a folder, xml counts the *.xml entries reached
 * under it (duplicates and skipped ones included), so a folder whose files were
 * all listed by an earlier path is not reported as empty. */
typedef struct seen_entry {
    dev_t dev;
    ino_t ino;
    size_t xml;
    int used;
} seen_entry;

typedef struct seen_set {
    seen_entry *slots;
    size_t cap, count; /* cap is 0 or a power of two */
} seen_set;

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
    seen_set seen;
    dev_t devs[MAX_DEPTH];
    ino_t inos[MAX_DEPTH];
    int depth;
} walk;

static size_t seen_hash(dev_t dev, ino_t ino)
{
    uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dev * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 29));
}

static seen_entry *seen_find(const seen_set *s, dev_t dev, ino_t ino)
{
    if (s->cap == 0)
        return NULL;
    for (size_t i = seen_hash(dev, ino) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        seen_entry *e = &s->slots[i];
        if (!e->used)
            return NULL;
        if (e->dev == dev && e->ino == ino)
            return e;
    }
}

/* Adds (dev, ino), which must not be in the set. */
static sd_status seen_add(seen_set *s, dev_t dev, ino_t ino, sd_error *err)
{
    if ((s->count + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        seen_entry *n = calloc(cap, sizeof *n);
        if (n == NULL)
            return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory listing files");
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i].used)
                continue;
            size_t j = seen_hash(s->slots[i].dev, s->slots[i].ino) & (cap - 1);
            while (n[j].used)
                j = (j + 1) & (cap - 1);
            n[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = n;
        s->cap = cap;
    }
    size_t i = seen_hash(dev, ino) & (s->cap - 1);
    while (s->slots[i].used)
        i = (i + 1) & (s->cap - 1);
    s->slots[i] = (seen_entry){.dev = dev, .ino = ino, .used = 1};
    s->count++;
    return SD_OK;
}

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

/* Lists the *.xml under dir, adding to *found the number of *.xml entries
 * reached (also those listed already by another path, or left out). */
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
    seen_entry *e = seen_find(&w->seen, sb.st_dev, sb.st_ino);
    if (e != NULL) {
        /* Walked already by another path: its files are listed. */
        *found += e->xml;
        return SD_OK;
    }
    if (w->depth == MAX_DEPTH)
        return sd_diags_addf(w->d, w->err, "SD004", SD_SEV_FATAL, dir, 0, 0, NULL, "%s",
                             SD_TR(w->lang, "目录层次超过 64 层，已跳过",
                                   "folders nest deeper than 64 levels; skipped"));
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return sd_diags_addf(w->d, w->err, "SD001", SD_SEV_FATAL, dir, 0, 0, NULL, "%s",
                             SD_TR(w->lang, "无法读取目录", "cannot read the folder"));
    /* Marked before descending, so no path below can enter it again. */
    sd_status st = seen_add(&w->seen, sb.st_dev, sb.st_ino, w->err);
    if (st != SD_OK) {
        closedir(dh);
        return st;
    }
    w->devs[w->depth] = sb.st_dev;
    w->inos[w->depth] = sb.st_ino;
    w->depth++;
    size_t reached = 0;
    sd_pathlist names = {0};
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
        int ok = stat(full, &es) == 0;
        int is_dir = ok && S_ISDIR(es.st_mode);
        int is_reg = ok && S_ISREG(es.st_mode);
        if (is_dir && excluded(w, full, 1)) {
            ; /* as in git: nothing below an excluded folder comes back */
        } else if (is_dir) {
            st = walk_dir(w, full, &reached);
        } else if (!ends_with_xml(names.items[i])) {
            ;
        } else if (excluded(w, full, 0)) {
            reached++; /* a folder of excluded XML is not an empty folder */
        } else if (is_reg && seen_find(&w->seen, es.st_dev, es.st_ino) != NULL) {
            reached++; /* listed or skipped already, by another path */
        } else if (is_reg && (st = seen_add(&w->seen, es.st_dev, es.st_ino, w->err)) != SD_OK) {
            ;
        } else if (is_reg && w->opt && w->opt->known_only && foreign_xml(full)) {
            /* Counted as found: a folder of other XML is not an empty folder. */
            w->skipped++;
            reached++;
        } else {
            /* Unreadable, dangling or special entries are kept: reading them reports why. */
            st = push(w->out, full, w->err);
            reached++;
        }
        free(full);
    }
    sd_pathlist_free(&names);
    if (w->ignore)
        sd_ignore_truncate(w->ignore, patterns);
    w->depth--;
    /* The set may have moved while the folder was walked: look it up again. */
    if (st == SD_OK && (e = seen_find(&w->seen, sb.st_dev, sb.st_ino)) != NULL)
        e->xml = reached;
    *found += reached;
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
    sd_status st = SD_OK;
    for (size_t i = 0; st == SD_OK && i < nargs; i++) {
        struct stat sb;
        int ok = strcmp(args[i], "-") != 0 && stat(args[i], &sb) == 0;
        if (ok && S_ISDIR(sb.st_mode)) {
            size_t found = 0;
            int again = seen_find(&w.seen, sb.st_dev, sb.st_ino) != NULL;
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
            if (st == SD_OK && found == 0 && !again)
                st = sd_diags_addf(d, err, "SD001", SD_SEV_FATAL, args[i], 0, 0, NULL, "%s",
                                   SD_TR(lang, "目录中没有找到 .xml 文件",
                                         "no .xml files found in this folder"));
        } else {
            /* Named on the command line: kept as given, even twice. */
            if (ok && S_ISREG(sb.st_mode) && seen_find(&w.seen, sb.st_dev, sb.st_ino) == NULL)
                st = seen_add(&w.seen, sb.st_dev, sb.st_ino, err);
            if (st == SD_OK)
                st = push(out, args[i], err);
        }
    }
    free(w.seen.slots);
    *skipped = w.skipped;
    return st;
}
