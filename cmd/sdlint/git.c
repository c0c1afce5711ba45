/*
 * git.c — the pre-commit side of the command: `sdlint --staged` lists the
 * staged documents with their index blobs, and `sdlint install-hook` writes
 * .git/hooks/pre-commit.
 *
 * Why the index and not the working tree: a hook must check what will be
 * committed; a draft fixed only in the working copy must still block, and one
 * fixed only in the index must pass.  Names come NUL-separated (-z), so
 * spaces, Chinese and even line breaks in names arrive as git holds them
 * (without -z git quotes them as "\346\262\210..."), and blobs are read by id
 * with `git cat-file blob`, never by name through a shell.
 *
 * Cost: one `git diff --cached` for the list, one `git cat-file` per staged
 * document; nothing else when no document is staged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "sdlint.h"

/* Runs cmd (fixed text, no user input) and returns all its standard output. */
static int run_capture(const char *cmd, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    size_t cap = 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) {
        if (*len + n + 1 > cap) {
            cap = (*len + n + 1) * 2;
            char *grown = realloc(*out, cap);
            if (grown == NULL) {
                free(*out);
                *out = NULL;
                pclose(p);
                return -1;
            }
            *out = grown;
        }
        memcpy(*out + *len, chunk, n);
        *len += n;
    }
    int status = pclose(p);
    if (*out == NULL && (*out = calloc(1, 1)) == NULL)
        return -1;
    (*out)[*len] = '\0';
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int is_document(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".xml") == 0;
}

int staged_list(sd_lang lang, staged_file **files, size_t *count)
{
    *files = NULL;
    *count = 0;
    char *raw;
    size_t len;
    /* Added, copied, modified, renamed: what the commit will hold.  Paths are
     * relative to the top of the work tree, as git reports them. */
    if (run_capture("git diff --cached --raw -z --full-index --no-renames --diff-filter=ACM",
                    &raw, &len) != 0) {
        free(raw);
        fprintf(stderr, "sdlint: %s\n",
                SD_TR(lang, "--staged 需要在 git 仓库中运行（git diff --cached 失败）",
                      "--staged runs inside a git repository (git diff --cached failed)"));
        return -1;
    }
    char *top = NULL;
    size_t toplen = 0;
    if (run_capture("git rev-parse --show-toplevel", &top, &toplen) != 0)
        toplen = 0;
    while (toplen > 0 && (top[toplen - 1] == '\n' || top[toplen - 1] == '\r'))
        top[--toplen] = '\0';
    size_t cap = 0;
    /* Each entry: ":old-mode new-mode old-id new-id status" NUL path NUL. */
    for (size_t i = 0; i < len;) {
        const char *meta = raw + i;
        size_t mlen = strnlen(meta, len - i);
        i += mlen + 1;
        if (i >= len)
            break;
        const char *path = raw + i;
        i += strnlen(path, len - i) + 1;
        char newmode[8] = "", newid[65] = "";
        if (sscanf(meta, ":%*7s %7s %*64s %64s", newmode, newid) != 2)
            continue;
        /* Regular files only: no symlinks (120000) or submodules (160000). */
        if (strncmp(newmode, "100", 3) != 0 || !is_document(path))
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            staged_file *grown = realloc(*files, cap * sizeof *grown);
            if (grown == NULL)
                break;
            *files = grown;
        }
        staged_file *f = &(*files)[*count];
        f->path = strdup(path);
        size_t an = toplen + strlen(path) + 2;
        f->abs = malloc(an);
        if (f->abs)
            snprintf(f->abs, an, "%s/%s", toplen ? top : ".", path);
        memcpy(f->blob, newid, sizeof f->blob);
        if (f->path == NULL || f->abs == NULL) {
            free(f->path);
            free(f->abs);
            break;
        }
        (*count)++;
    }
    free(raw);
    free(top);
    return 0;
}

int staged_read(const staged_file *f, char **bytes, size_t *len)
{
    for (const char *c = f->blob; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return -1;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "git cat-file blob %s", f->blob);
    return run_capture(cmd, bytes, len);
}

void staged_free(staged_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(files[i].path);
        free(files[i].abs);
    }
    free(files);
}

/* The hook: runs the sdlint that installed it, or the one on PATH. */
static char *hook_text(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_puts(&b, "#!/bin/sh\n# pre-commit hook written by `sdlint install-hook`: checks the staged\n"
                    "# documents (the index, not the working tree).\nsdlint='");
    for (const char *c = self; *c; c++)
        sd_buf_puts(&b, *c == '\'' ? "'\\''" : (char[2]){*c, 0});
    sd_buf_puts(&b, "'\n[ -x \"$sdlint\" ] || sdlint=sdlint\nexec \"$sdlint\" --staged\n");
    if (sd_buf_failed(&b)) {
        sd_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static int read_all(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    *out = NULL;
    *len = 0;
    size_t cap = 0, n;
    char chunk[8192];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        char *g = realloc(*out, cap = *len + n + 1);
        if (g == NULL) {
            free(*out);
            fclose(f);
            return -1;
        }
        *out = g;
        memcpy(*out + *len, chunk, n);
        *len += n;
    }
    fclose(f);
    if (*out == NULL && (*out = calloc(1, 1)) == NULL)
        return -1;
    (*out)[*len] = '\0';
    (void)cap;
    return 0;
}

int cmd_install_hook(const options *o)
{
    sd_lang lang = o->lang;
    char *dir;
    size_t len;
    if (run_capture("git rev-parse --git-path hooks", &dir, &len) != 0 || len == 0) {
        free(dir);
        fprintf(stderr, "sdlint: %s\n", SD_TR(lang, "install-hook 需要在 git 仓库中运行",
                                              "install-hook runs inside a git repository"));
        return EXIT_USAGE;
    }
    while (len > 0 && (dir[len - 1] == '\n' || dir[len - 1] == '\r'))
        dir[--len] = '\0';
    mkdir(dir, 0777);
    char path[4200], backup[4300];
    snprintf(path, sizeof path, "%s/pre-commit", dir);
    snprintf(backup, sizeof backup, "%s/pre-commit.sdlint-backup", dir);
    free(dir);
    char *text = hook_text();
    if (text == NULL)
        return EXIT_USAGE;
    char *old = NULL;
    size_t oldlen = 0;
    int rc = EXIT_CLEAN;
    if (read_all(path, &old, &oldlen) == 0) {
        if (oldlen == strlen(text) && memcmp(old, text, oldlen) == 0) {
            printf(SD_TR(lang, "%s 已是 sdlint 钩子\n", "%s is already the sdlint hook\n"), path);
            goto done;
        }
        if (!o->force) {
            fprintf(stderr, SD_TR(lang, "sdlint: %s 已存在且不是 sdlint 钩子；用 --force 替换（原文件将备份为 %s）\n",
                                  "sdlint: %s exists and is not the sdlint hook; --force replaces it (keeping a backup in %s)\n"),
                    path, backup);
            rc = EXIT_USAGE;
            goto done;
        }
        sd_error err = {0};
        if (sd_write_atomic(backup, old, oldlen, &err) != SD_OK) {
            fprintf(stderr, "sdlint: %s\n", err.msg);
            rc = EXIT_USAGE;
            goto done;
        }
        struct stat st;
        if (stat(path, &st) == 0)
            chmod(backup, st.st_mode & 07777);
        printf(SD_TR(lang, "原钩子已备份为 %s\n", "the previous hook is kept in %s\n"), backup);
    }
    sd_error err = {0};
    if (sd_write_atomic(path, text, strlen(text), &err) != SD_OK || chmod(path, 0755) != 0) {
        fprintf(stderr, "sdlint: %s\n", err.msg[0] ? err.msg : SD_STRERROR(errno));
        rc = EXIT_USAGE;
        goto done;
    }
    printf(SD_TR(lang, "已写入 %s：每次提交前检查暂存的文档\n",
                 "wrote %s: every commit checks the staged documents first\n"), path);
done:
    free(old);
    free(text);
    return rc;
}
