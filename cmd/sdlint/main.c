/*
 * main.c — the sdlint command: parse options, build one run, print, exit.
 *
 * This file is a thin client of the library (src/): it owns everything a
 * process owns — arguments, environment, standard streams, exit codes — and
 * nothing else.  Exit codes: 0 nothing at error level or above, 1 findings at
 * error level or above, 2 a usage error or an input that could not be checked.
 */
#include <errno.h>
#include <fcntl.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "sdlint.h"
#include "summary.h"

static int want_color(const options *o)
{
    if (o->output)
        return strcmp(o->color, "always") == 0;
    if (strcmp(o->color, "always") == 0)
        return 1;
    if (strcmp(o->color, "never") == 0)
        return 0;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(STDOUT_FILENO);
}

/* Writes what b holds so far to standard output (unless the report goes to a file). */
static void flush(sd_buf *b, const options *o)
{
    if (o->output || b->len == 0)
        return;
    fwrite(b->data, 1, b->len, stdout);
    fflush(stdout);
    b->len = 0;
}

/* Writes s to f escaped for a terminal (buf.h): file names, option values and
 * messages come from outside and may hold control or bidi characters. */
void put_term(FILE *f, const char *s)
{
    sd_buf b;
    sd_buf_init(&b);
    sd_buf_term_str(&b, s);
    if (b.len)
        fwrite(b.data, 1, b.len, f);
    sd_buf_free(&b);
}

/* Prints a library error as file:line: message. */
void print_error(const sd_error *err)
{
    int with_file = err->file[0] && strstr(err->msg, err->file) == NULL;
    fputs("sdlint: ", stderr);
    if (with_file) {
        put_term(stderr, err->file);
        if (err->line > 0)
            fprintf(stderr, ":%ld", err->line);
        fputs(": ", stderr);
    }
    put_term(stderr, err->msg[0] ? err->msg : "internal error");
    fputs("\n", stderr);
}

/* In SVRL mode standard output holds only SVRL: what has no report (the input
 * could not be parsed, or failed its schema) is said on standard error. */
static void svrl_side_channel(const sd_result *r, const sd_out_options *oo)
{
    if (r->svrl != NULL || r->diags.count == 0)
        return;
    sd_buf e;
    sd_buf_init(&e);
    sd_out_text.file(&e, r, 0, oo);
    if (e.len)
        fwrite(e.data, 1, e.len, stderr);
    sd_buf_free(&e);
}

/* A set of file identities (device, inode): the 三定 the run's plans name
 * (claimed) and the files already checked with a plan (done), so that a 三定
 * in the same walk is checked once.  Open addressing, doubling at half load:
 * O(1) expected per file. */
typedef struct fidset {
    unsigned long long *keys; /* pairs: dev, ino */
    unsigned char *used;
    size_t cap, count;
} fidset;

static size_t fid_hash(unsigned long long dev, unsigned long long ino, size_t cap)
{
    unsigned long long h = (dev * 0x9E3779B97F4A7C15ULL) ^ (ino * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int fidset_has(const fidset *s, unsigned long long dev, unsigned long long ino)
{
    for (size_t j = s->cap ? fid_hash(dev, ino, s->cap) : 0; s->cap && s->used[j]; j = (j + 1) & (s->cap - 1))
        if (s->keys[2 * j] == dev && s->keys[2 * j + 1] == ino)
            return 1;
    return 0;
}

static int fidset_add(fidset *s, unsigned long long dev, unsigned long long ino)
{
    if (fidset_has(s, dev, ino))
        return 0;
    if ((s->count + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        fidset n = {calloc(cap * 2, sizeof *n.keys), calloc(cap, 1), cap, 0};
        if (n.keys == NULL || n.used == NULL) {
            free(n.keys);
            free(n.used);
            return -1;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->used[i]) {
                size_t j = fid_hash(s->keys[2 * i], s->keys[2 * i + 1], cap);
                while (n.used[j])
                    j = (j + 1) & (cap - 1);
                n.used[j] = 1;
                n.keys[2 * j] = s->keys[2 * i];
                n.keys[2 * j + 1] = s->keys[2 * i + 1];
            }
        n.count = s->count;
        free(s->keys);
        free(s->used);
        *s = n;
    }
    size_t j = fid_hash(dev, ino, s->cap);
    while (s->used[j])
        j = (j + 1) & (s->cap - 1);
    s->used[j] = 1;
    s->keys[2 * j] = dev;
    s->keys[2 * j + 1] = ino;
    s->count++;
    return 0;
}

static int fidset_has_path(const fidset *s, const char *path)
{
    struct stat sb;
    return s->count > 0 && stat(path, &sb) == 0 &&
           fidset_has(s, (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
}

static int fidset_add_path(fidset *s, const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? fidset_add(s, (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino) : 0;
}

static void fidset_free(fidset *s)
{
    free(s->keys);
    free(s->used);
    memset(s, 0, sizeof *s);
}

/* 1 when the file at path says in its first 64 KiB that it is a reform plan
 * (sd_kind_sniff); a FIFO or unreadable file is not opened for long. */
static int sniff_plan(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    struct stat sb;
    int plan = 0;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        char *buf = malloc(65536);
        size_t len = 0;
        while (buf && len < 65536) {
            ssize_t n = read(fd, buf + len, 65536 - len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            len += (size_t)n;
        }
        plan = buf && len > 0 && sd_kind_sniff(buf, len) == SD_KIND_PLAN;
        free(buf);
    }
    close(fd);
    return plan;
}

/* The last result printed, kept until the next input is checked instead of
 * freed at once: the last of a run then never is (its tree, findings and
 * report are most of a large run's memory, and freeing them node by node
 * costs a tenth of the run, for a process that is exiting).  The memory
 * stays reachable from here, so leak checkers do not count it;
 * SDLINT_FREE_AT_EXIT=1 frees it before exit all the same. */
static sd_result parked;

/* What a check run holds when it ends — the compiled checkers (one per
 * configuration), the rule documentation, the summaries — is not freed
 * either: freeing the compiled packs and schemas node by node was 7 % of a
 * one-document run's instructions, for a process about to exit.  Kept here,
 * reachable, so that valgrind calls it "still reachable" and LeakSanitizer
 * does not count it (volatile: stores to a variable nothing reads would
 * otherwise be dropped); SDLINT_FREE_AT_EXIT=1 frees it all as before. */
static volatile struct {
    sd_checker *checker;
    settings *cfg;
    sd_ruledocs docs;
    sd_audit_summary *jurisdictions;
    audit_state *audit;
} kept_at_exit;

static void park(sd_result *r)
{
    sd_result_free(&parked);
    parked = *r;
    memset(r, 0, sizeof *r);
}

/* One checked input: selection and severities of its configuration, the
 * baseline, then the report, the summary and the exit code.  Frees r's
 * contents.  Returns -1 on an internal error (R->err says which). */
int run_emit(run *R, sd_result *r, const sd_config_resolved *conf)
{
    /* Selection and severities (.sdlint.xml with the command line on
     * top) before the baseline: what is not reported is not recorded. */
    sd_config_filter(conf, &r->diags);
    int fail_level = sd_config_fail_level(conf);
    sd_status cs = SD_OK;
    if (R->recorded) {
        for (size_t k = 0; k < r->diags.count && cs == SD_OK; k++)
            cs = sd_baseline_add(R->recorded, &r->diags.items[k], R->err);
        /* What is recorded now is the baseline of this run too. */
        for (size_t k = 0; k < r->diags.count; k++)
            if (!r->diags.items[k].suppressed && r->diags.items[k].severity != SD_SEV_FATAL)
                r->diags.items[k].baselined = 1;
    } else if (R->baseline) {
        cs = sd_baseline_apply(R->baseline, r->src.path ? r->src.path : "", &r->diags, R->err);
    }
    if (cs != SD_OK) {
        sd_result_free(r);
        return -1;
    }
    R->fmt->file(R->b, r, R->index++, R->oo);
    if (R->fmt == &sd_out_svrl)
        svrl_side_channel(r, R->oo);
    sd_summary_add(R->sum, r, R->oo->min_severity);
    /* Suppressed and baselined findings are reported but never fail the run. */
    int max = -1;
    for (size_t k = 0; k < r->diags.count; k++) {
        const sd_finding *f = &r->diags.items[k];
        if (f->suppressed || f->baselined)
            continue;
        if ((int)f->severity > max)
            max = (int)f->severity;
        R->warnings += f->severity == SD_SEV_WARNING;
    }
    if (!r->parsed || max >= SD_SEV_FATAL)
        R->exit_code = EXIT_USAGE;
    else if (max >= fail_level && R->exit_code == EXIT_CLEAN)
        R->exit_code = EXIT_FINDINGS;
    if (!R->keep_results)
        park(r);
    flush(R->b, R->o);
    return 0;
}

/* Checks standard input: the library never reads the process's standard
 * input, so the command reads it (at most one byte over the size limit, which
 * the library then reports as SD004) and passes the bytes. */
static sd_status check_stdin(const sd_checker *c, const options *o, const char *name, sd_result *r,
                             sd_error *err)
{
    size_t max = o->max_bytes ? o->max_bytes : SD_LOAD_DEFAULT_MAX_BYTES;
    size_t cap = max < SIZE_MAX ? max + 1 : max, len = 0, size = 0;
    char *bytes = NULL;
    for (;;) {
        if (len == size) {
            if (size == cap)
                break;
            size_t grow = size ? size * 2 : 65536;
            grow = grow > cap || grow < size ? cap : grow;
            char *nb = realloc(bytes, grow);
            if (nb == NULL) {
                free(bytes);
                memset(r, 0, sizeof *r);
                return sd_error_set(err, SD_ENOMEM, "-", 0, "out of memory reading standard input");
            }
            bytes = nb;
            size = grow;
        }
        ssize_t n = read(STDIN_FILENO, bytes + len, size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(bytes);
            /* As for an unreadable file: a finding, and the run goes on. */
            memset(r, 0, sizeof *r);
            sd_diags_init(&r->diags);
            if ((r->src.path = strdup(name)) == NULL)
                return sd_error_set(err, SD_ENOMEM, "-", 0, "out of memory");
            return sd_diags_addf(&r->diags, err, "SD001", SD_SEV_FATAL, name, 0, 0, NULL, "%s%s",
                                 SD_TR(o->lang, "无法读取标准输入：", "cannot read standard input: "),
                                 SD_STRERROR(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    sd_status st = sd_checker_check_memory(c, name, bytes ? bytes : "", len, r, err);
    free(bytes);
    return st;
}

/* Checks the index blob of a staged document, under its repository path. */
/* As in folder walks, a staged XML file that is none of sdlint's kinds (a
 * build.xml, say) is skipped (*skipped = 1, r empty) unless --rules is given. */
static sd_status check_staged(const sd_checker *c, const options *o, const staged_file *f,
                              sd_result *r, int *skipped, sd_error *err)
{
    *skipped = 0;
    char *bytes;
    size_t len;
    if (staged_read(f, &bytes, &len) != 0) {
        free(bytes);
        memset(r, 0, sizeof *r);
        sd_diags_init(&r->diags);
        if ((r->src.path = strdup(f->path)) == NULL)
            return sd_error_set(err, SD_ENOMEM, f->path, 0, "out of memory");
        return sd_diags_addf(&r->diags, err, "SD001", SD_SEV_FATAL, f->path, 0, 0, NULL, "%s",
                             SD_TR(o->lang, "无法从 git 暂存区读取", "cannot read it from the git index"));
    }
    if (o->nrules == 0 && sd_kind_sniff(bytes, len < 65536 ? len : 65536) == SD_KIND_OTHER) {
        free(bytes);
        memset(r, 0, sizeof *r);
        sd_diags_init(&r->diags);
        *skipped = 1;
        return SD_OK;
    }
    sd_status st = sd_checker_check_memory(c, f->path, bytes, len, r, err);
    free(bytes);
    return st;
}

/* The repository the run is in: the nearest folder from the current one up
 * holding .git, else the current folder (absolute, symlink-free); NULL when
 * the current folder has no path.  Reports make paths relative to it. */
static char *repo_root(void)
{
    char *cwd = realpath(".", NULL);
    if (cwd == NULL)
        return NULL;
    size_t n = strlen(cwd);
    char *probe = malloc(n + 6);
    if (probe == NULL)
        return cwd;
    memcpy(probe, cwd, n + 1);
    for (;;) {
        struct stat sb;
        memcpy(probe + n, "/.git", 6);
        if (lstat(probe, &sb) == 0) {
            probe[n ? n : 1] = '\0';
            free(cwd);
            return probe;
        }
        while (n > 0 && probe[n - 1] != '/')
            n--;
        if (n <= 1)
            break;
        n--; /* drop the slash */
        probe[n] = '\0';
    }
    free(probe);
    return cwd;
}

/* Checks every code of --select, --extend-select and --ignore against the
 * run's rules; an unknown one is a usage error with "did you mean". */
static int check_codes(const options *o, const sd_ruledocs *docs)
{
    const char **ids = calloc(docs->count + 1, sizeof *ids);
    if (ids == NULL)
        return usage_error(o->lang, "%s", "out of memory");
    for (size_t i = 0; i < docs->count; i++)
        ids[i] = docs->items[i].id;
    char **lists[] = {o->select, o->extend, o->ignore};
    size_t counts[] = {o->nselect, o->nextend, o->nignore};
    int rc = -1;
    for (size_t l = 0; l < 3 && rc < 0; l++)
        for (size_t i = 0; i < counts[l] && rc < 0; i++)
            if (!sd_select_code_known(lists[l][i], ids, docs->count))
                rc = unknown_error(o->lang, "没有这条规则：", "no such rule: ", lists[l][i],
                                   lists[l][i], ids, docs->count);
    free(ids);
    return rc;
}

/* The name an input's configuration is found from: its own place (the
 * repository path of a staged file, standard input's given name). */
static const char *input_name(const options *o, const staged_file *staged,
                              const sd_pathlist *paths, size_t i)
{
    if (o->staged)
        return staged[i].abs;
    if (strcmp(paths->items[i], "-") == 0)
        return o->stdin_filename ? o->stdin_filename : "-";
    return paths->items[i];
}

int main(int argc, char **argv)
{
#ifdef M_MXFAST
    /* A checked document is a million small allocations freed together; with
     * glibc's fast bins the next larger allocation (the output buffer) then
     * sorts them all (malloc_consolidate: a fifth of a large file's run).
     * Without fast bins frees coalesce as they go.  Process-wide, so it is
     * the command's choice, not the library's. */
    mallopt(M_MXFAST, 0);
#endif
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    /* Large buffers (an input, a report, the list of findings) in their own
     * mappings from 256 KiB: grown by the kernel in place, never copied, as
     * glibc's moving threshold otherwise does once it has risen; and the heap
     * kept, not trimmed and faulted in again, up to 64 MiB free at its top.
     * 6 % fewer page faults on a 200,000-finding report. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
#ifdef M_TOP_PAD
    /* The heap grown 1 MiB at a time: a small check needs about that much,
     * which glibc's default pad (128 KiB) asked of the kernel in a dozen
     * brk calls.  Only address space: a page costs when first touched. */
    mallopt(M_TOP_PAD, 1024 * 1024);
#endif
    if (argc > 1 && (strcmp(argv[1], "import") == 0 || strcmp(argv[1], "render") == 0)) {
        sd_init();
        int trc = strcmp(argv[1], "import") == 0 ? cmd_import(argc, argv) : cmd_render(argc, argv);
        sd_cleanup();
        return trc;
    }
    options o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        free_options(&o);
        return rc;
    }
    sd_init();
    sd_error err = {0};
    sd_checker *checker = NULL;
    staged_file *staged = NULL;
    size_t nstaged = 0;
    if (o.subcommand && strcmp(o.subcommand, "merge") == 0) {
        rc = cmd_merge(&o);
        free_options(&o);
        sd_cleanup();
        return rc;
    }
    if (o.subcommand && strcmp(o.subcommand, "install-hook") == 0) {
        rc = cmd_install_hook(&o);
        free_options(&o);
        sd_cleanup();
        return rc;
    }
    /* Nothing staged: done before any schema is compiled (commits that touch
     * no document stay fast). */
    if (o.staged && staged_list(o.lang, &staged, &nstaged) != 0) {
        free_options(&o);
        sd_cleanup();
        return EXIT_USAGE;
    }
    sd_checker_options co = {.lang = o.lang, .max_bytes = o.max_bytes,
                             .rule_files = o.rules, .rule_file_count = o.nrules,
                             .phase = o.phase, .tier = o.tier, .params = o.params,
                             .param_count = o.nparams,
                             .want_svrl = strcmp(o.format, "svrl") == 0, .keep_tree = 1,
                             /* tests of the fast path compare it with the full schemas */
                             .xsd_full = getenv("SDLINT_XSD_FULL") != NULL,
                             /* rules, explain and sarif show each rule's title and documentation */
                             .no_docs = strcmp(o.format, "sarif") != 0 &&
                                        !(o.subcommand && (strcmp(o.subcommand, "rules") == 0 ||
                                                           strcmp(o.subcommand, "explain") == 0))};
    if (!(o.staged && nstaged == 0) && sd_checker_new(&co, &checker, &err) != SD_OK) {
        print_error(&err);
        staged_free(staged, nstaged);
        free_options(&o);
        sd_cleanup();
        return EXIT_USAGE;
    }
    settings *cfg = settings_new(&o, &co, checker);
    if (cfg == NULL) {
        fprintf(stderr, "sdlint: out of memory\n");
        sd_checker_free(checker);
        staged_free(staged, nstaged);
        free_options(&o);
        sd_cleanup();
        return EXIT_USAGE;
    }
    if (o.subcommand && strcmp(o.subcommand, "config") == 0) {
        rc = cmd_config(cfg, o.paths[0]);
        settings_free(cfg);
        sd_checker_free(checker);
        free_options(&o);
        sd_cleanup();
        return rc;
    }
    int is_audit = o.subcommand && strcmp(o.subcommand, "audit") == 0;
    if (o.subcommand && !is_audit) {
        settings_free(cfg);
        rc = strcmp(o.subcommand, "rules") == 0 ? cmd_rules(&o, checker)
                                                : cmd_explain(&o, checker, o.paths[0]);
        sd_checker_free(checker);
        staged_free(staged, nstaged);
        free_options(&o);
        sd_cleanup();
        return rc;
    }
    /* Under GitHub Actions findings become annotations unless a format is named. */
    const char *gha = getenv("GITHUB_ACTIONS");
    if (!o.format_given && gha && strcmp(gha, "true") == 0)
        o.format = "github";
    sd_baseline *baseline = NULL, *recorded = NULL;
    if (o.baseline) {
        if (sd_baseline_load(o.baseline, &baseline, &err) != SD_OK) {
            print_error(&err);
            rc = EXIT_USAGE;
        } else if (sd_baseline_lang(baseline) != o.lang) {
            fprintf(stderr, "sdlint: %s\n",
                    SD_TR(o.lang, "基线文件是用另一种语言的消息写的：请用同一 --lang 运行",
                          "the baseline was written with messages in another language: run with the same --lang"));
            rc = EXIT_USAGE;
        }
    }
    if (rc < 0 && o.write_baseline && (recorded = sd_baseline_new(o.lang)) == NULL)
        rc = EXIT_USAGE;
    if (rc >= 0) {
        sd_baseline_free(baseline);
        settings_free(cfg);
        sd_checker_free(checker);
        staged_free(staged, nstaged);
        free_options(&o);
        sd_cleanup();
        return rc;
    }
    const sd_formatter *fmt = sd_out_find(o.format);
    sd_ruledocs docs = {0};
    /* No checker: --staged with no document staged; nothing is checked. */
    if (checker && sd_ruledoc_list(checker, o.lang, &docs, &err) != SD_OK) {
        print_error(&err);
        rc = EXIT_USAGE;
    } else if (checker) {
        rc = check_codes(&o, &docs);
    }
    if (rc >= 0) {
        sd_ruledocs_free(&docs);
        sd_baseline_free(baseline);
        sd_baseline_free(recorded);
        settings_free(cfg);
        sd_checker_free(checker);
        staged_free(staged, nstaged);
        free_options(&o);
        sd_cleanup();
        return rc;
    }
    char *root = repo_root();
    sd_out_state ostate = {0};
    sd_out_options oo = {.lang = o.lang, .color = want_color(&o),
                         .min_severity = o.quiet ? SD_SEV_ERROR : SD_SEV_INFO,
                         .summary = !o.quiet, .version = SDLINT_VERSION,
                         .rules = &docs, .homepage = SDLINT_HOMEPAGE, .root = root,
                         .state = &ostate};
    if (fmt == &sd_out_svrl) { /* several inputs: one document holding a report each */
        struct stat st;
        oo.svrl_set = is_audit || o.npaths != 1 || (strcmp(o.paths[0], "-") != 0 && stat(o.paths[0], &st) == 0 &&
                                        S_ISDIR(st.st_mode)) /* --staged: no PATH, a set */
                      || (strcmp(o.paths[0], "-") != 0 && sniff_plan(o.paths[0])); /* its 三定 too */
    }
    sd_summary sum = {0};
    /* Findings and plan figures per jurisdiction, for text, json and html. */
    oo.jurisdictions = sd_summary_new();
    /* A shard sees part of the run: its JSON report hands its jurisdictions on
     * as parts, which `sdlint merge` adds up (summary_parts.c). */
    oo.jurisdiction_parts = is_audit && o.shard_n > 0 && fmt == &sd_out_json;
    sd_buf b;
    sd_buf_init(&b);

    sd_pathlist paths = {0};
    sd_result walked = {0};
    sd_diags_init(&walked.diags);
    int exit_code = EXIT_CLEAN, internal = 0;
    size_t warnings = 0;
    audit_state *audit = NULL;
    if (is_audit) {
        run A = {.o = &o, .fmt = fmt, .oo = &oo, .b = &b, .sum = &sum, .baseline = baseline,
                 .recorded = recorded, .exit_code = EXIT_CLEAN, .err = &err};
        internal = cmd_audit(&A, cfg, &audit);
        exit_code = A.exit_code;
        warnings = A.warnings;
        if (internal == 2) { /* a configuration problem: no report begins */
            exit_code = EXIT_USAGE;
            goto done;
        }
        goto checked;
    }
    /* With --rules any XML is a document; else folders give only ours. */
    sd_walk_options wo = {.lang = o.lang, .known_only = o.nrules == 0,
                          .excludes = o.excludes, .nexcludes = o.nexcludes};
    if (sd_walk_expand_opts(&wo, (const char *const *)o.paths, o.npaths, &paths, &walked.diags,
                            &sum.skipped, &err) != SD_OK)
        internal = 1;
    size_t ninputs = o.staged ? nstaged : paths.count;
    /* Every input's configuration is read, and its checker compiled, before
     * the report begins: a broken .sdlint.xml is a usage error with no
     * report, never a report cut off in the middle. */
    for (size_t i = 0; i < ninputs && !internal; i++) {
        sd_config_resolved conf;
        if (settings_resolve(cfg, input_name(&o, staged, &paths, i), &conf) >= 0) {
            internal = 2;
            break;
        }
        if (settings_checker(cfg, &conf) == NULL)
            internal = 2;
        sd_config_resolved_free(&conf);
    }
    if (internal == 2) { /* a configuration problem: no report begins */
        exit_code = EXIT_USAGE;
        goto done;
    }
    fmt->begin(&b, &oo);
    size_t index = 0;
    /* Folder problems (loops, folders without XML) come first, one entry each. */
    for (size_t i = 0; i < walked.diags.count; i++) {
        sd_result r = {0};
        sd_diags_init(&r.diags);
        sd_source src = {.path = walked.diags.items[i].file};
        r.src = src;
        if (sd_diags_add(&r.diags, &walked.diags.items[i], &err) != SD_OK)
            internal = 1;
        fmt->file(&b, &r, index++, &oo);
        if (fmt == &sd_out_svrl)
            svrl_side_channel(&r, &oo);
        sd_summary_add(&sum, &r, oo.min_severity);
        sd_diags_free(&r.diags);
        exit_code = EXIT_USAGE;
    }
    run R = {.o = &o, .fmt = fmt, .oo = &oo, .b = &b, .sum = &sum, .baseline = baseline,
             .recorded = recorded, .index = index, .exit_code = exit_code, .err = &err};
    /* A plan is checked with the 三定 it loads, right after it.  So that such
     * a 三定 in the same walk is checked once, the plans' 三定 files are
     * claimed first (each plan read and parsed, its references opened, no
     * 三定 read): a claimed input is passed over in the walk's order and
     * checked at the end only if no plan took it (one that turned out not to
     * be a 三定, say).  A plan whose first bytes do not show it is checked as
     * a plan still, its 三定 then possibly twice. */
    char *is_plan = calloc(ninputs ? ninputs : 1, 1);
    size_t *deferred = calloc(ninputs ? ninputs : 1, sizeof *deferred), ndeferred = 0;
    fidset done = {0}, claimed = {0};
    if (is_plan == NULL || deferred == NULL) {
        sd_error_set(&err, SD_ENOMEM, NULL, 0, "out of memory");
        internal = 1;
    }
    for (size_t i = 0; !internal && !o.staged && i < ninputs; i++) {
        if (strcmp(paths.items[i], "-") == 0 || !(is_plan[i] = (char)sniff_plan(paths.items[i])))
            continue;
        sd_plan_fileid *ids = NULL;
        size_t nids = 0;
        if (sd_plan_sanding_files(paths.items[i], o.max_bytes, &ids, &nids, &err) != SD_OK)
            internal = 1;
        for (size_t k = 0; k < nids && !internal; k++)
            if (fidset_add(&claimed, ids[k].dev, ids[k].ino) != 0) {
                sd_error_set(&err, SD_ENOMEM, NULL, 0, "out of memory");
                internal = 1;
            }
        free(ids);
    }
    for (size_t step = 0; step < ninputs + ndeferred && !internal; step++) {
        sd_result_free(&parked);
        size_t i = step < ninputs ? step : deferred[step - ninputs];
        int is_file = !o.staged && strcmp(paths.items[i], "-") != 0;
        if (is_file && !is_plan[i]) {
            if (fidset_has_path(&done, paths.items[i]))
                continue; /* checked with its plan */
            if (step < ninputs && fidset_has_path(&claimed, paths.items[i])) {
                deferred[ndeferred++] = i; /* its plan comes later, or did not take it */
                continue;
            }
        }
        sd_result r;
        sd_config_resolved conf;
        if (settings_resolve(cfg, input_name(&o, staged, &paths, i), &conf) >= 0) {
            R.exit_code = EXIT_USAGE;
            internal = 2;
            break;
        }
        const sd_checker *use = settings_checker(cfg, &conf);
        if (use == NULL) {
            sd_config_resolved_free(&conf);
            R.exit_code = EXIT_USAGE;
            internal = 2;
            break;
        }
        int skipped = 0;
        sd_plan_member *members = NULL;
        size_t nmembers = 0;
        sd_status cs;
        if (o.staged) {
            cs = check_staged(use, &o, &staged[i], &r, &skipped, &err);
        } else if (!is_file) {
            cs = check_stdin(use, &o, o.stdin_filename ? o.stdin_filename : "-", &r, &err);
        } else {
            /* Precedence of a plan's catalogue: --catalogue, the plan's
             * catalogueRef, then .sdlint.xml's <catalogue>. */
            sd_plan_options po = {.catalogue = o.catalogue, .parent = o.parent};
            if (conf.catalogue.count) {
                po.default_catalogue = conf.catalogue.items[0].value;
                po.default_catalogue_origin = conf.catalogue.items[0].origin;
            }
            cs = sd_checker_check_plan(use, paths.items[i], &po, &r, &members, &nmembers, &err);
            if (cs == SD_OK && r.kind == SD_KIND_PLAN && fidset_add_path(&done, paths.items[i]) != 0)
                cs = sd_error_set(&err, SD_ENOMEM, NULL, 0, "out of memory");
        }
        if (cs == SD_OK && skipped) {
            sd_config_resolved_free(&conf);
            sd_result_free(&r);
            R.sum->skipped++;
            continue;
        }
        if (cs != SD_OK || run_emit(&R, &r, &conf) != 0) {
            if (cs != SD_OK)
                sd_result_free(&r);
            internal = 1;
        }
        /* A 三定 referenced by two plans of the run is reported once. */
        for (size_t k = 0; k < nmembers && !internal; k++) {
            sd_plan_member *m = &members[k];
            if (fidset_has(&done, m->dev, m->ino))
                continue;
            if (fidset_add(&done, m->dev, m->ino) != 0) {
                sd_error_set(&err, SD_ENOMEM, NULL, 0, "out of memory");
                internal = 1;
            } else if (run_emit(&R, &m->res, &conf) != 0) {
                internal = 1;
            }
        }
        sd_plan_members_free(members, nmembers);
        sd_config_resolved_free(&conf);
    }
    free(is_plan);
    free(deferred);
    fidset_free(&done);
    fidset_free(&claimed);
    exit_code = R.exit_code;
    warnings = R.warnings;
checked:;
    int exit_before_warnings = exit_code;
    if (o.max_warnings >= 0 && warnings > (size_t)o.max_warnings && !internal) {
        if (o.lang == SD_LANG_EN)
            fprintf(stderr, "sdlint: %zu warning%s, more than --max-warnings %ld\n", warnings,
                    warnings == 1 ? "" : "s", o.max_warnings);
        else
            fprintf(stderr, "sdlint: 警告 %zu 个，超过 --max-warnings %ld\n", warnings, o.max_warnings);
        if (exit_code == EXIT_CLEAN)
            exit_code = EXIT_FINDINGS;
    }
    /* A run stopped by an internal or rule-pack error has no summary: it would
     * claim that the inputs not reached were checked. */
    if (!internal && baseline && sd_baseline_stale(baseline, &sum.stale, &sum.nstale, &err) != SD_OK)
        internal = 1;
    if (!internal && recorded && sd_baseline_save(recorded, o.write_baseline, &err) != SD_OK)
        internal = 1;
    if (!internal) {
        fmt->end(&b, &sum, &oo);
        if (audit)
            audit_trailer(audit, &b, exit_before_warnings, warnings, oo.jurisdictions);
    }
    else if (fmt == &sd_out_svrl)
        fmt->end(&b, NULL, &oo); /* a set says it was cut short */
    if (sd_buf_failed(&b)) {
        fprintf(stderr, "sdlint: out of memory writing the report\n");
        exit_code = EXIT_USAGE;
    } else if (o.output) {
        if (sd_write_atomic(o.output, b.data ? b.data : "", b.len, &err) != SD_OK) {
            fputs("sdlint: ", stderr);
            put_term(stderr, err.msg);
            fputs("\n", stderr);
            exit_code = EXIT_USAGE;
        }
    } else {
        flush(&b, &o);
    }
    if (internal == 1) {
        print_error(&err);
        exit_code = EXIT_USAGE;
    }
done:
    if (getenv("SDLINT_FREE_AT_EXIT")) {
        sd_result_free(&parked);
    } else {
        kept_at_exit.checker = checker;
        kept_at_exit.cfg = cfg;
        kept_at_exit.docs = docs;
        kept_at_exit.jurisdictions = oo.jurisdictions;
        kept_at_exit.audit = audit;
        checker = NULL;
        cfg = NULL;
        memset(&docs, 0, sizeof docs);
        oo.jurisdictions = NULL;
        audit = NULL;
    }
    audit_free(audit);
    sd_summary_free(oo.jurisdictions);
    sd_buf_free(&b);
    free(root);
    sd_ruledocs_free(&docs);
    sd_diags_free(&walked.diags);
    sd_pathlist_free(&paths);
    staged_free(staged, nstaged);
    sd_baseline_free(baseline);
    sd_baseline_free(recorded);
    settings_free(cfg);
    sd_checker_free(checker);
    free_options(&o);
    sd_cleanup();
    return exit_code;
}
