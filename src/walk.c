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
#include <sys/stat.h>

#define MAX_DEPTH 64

typedef struct walk {
    sd_lang lang;
    sd_pathlist *out;
    sd_diags *d;
    sd_error *err;
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
        if (stat(full, &es) == 0 && S_ISDIR(es.st_mode)) {
            st = walk_dir(w, full, found);
        } else if (ends_with_xml(names.items[i])) {
            /* Unreadable or dangling entries are kept: reading them reports why. */
            st = push(w->out, full, w->err);
            (*found)++;
        }
        free(full);
    }
    sd_pathlist_free(&names);
    w->depth--;
    return st;
}

sd_status sd_walk_expand(const char *const *args, size_t nargs, sd_lang lang,
                         sd_pathlist *out, sd_diags *d, sd_error *err)
{
    walk w = {.lang = lang, .out = out, .d = d, .err = err};
    for (size_t i = 0; i < nargs; i++) {
        struct stat sb;
        sd_status st;
        if (strcmp(args[i], "-") != 0 && stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            size_t found = 0;
            st = walk_dir(&w, args[i], &found);
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
    return SD_OK;
}
