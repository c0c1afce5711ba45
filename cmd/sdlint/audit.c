/*
 * audit.c — `sdlint audit PATH...`: a whole tree of plans and 三定 checked on
 * several threads, reported exactly as one thread would report it.
 *
 * Place: a client of the library like main.c's run.  The walk (walk.h) gives
 * the documents in a sorted order; a first pass (this thread) sniffs each
 * file's kind from its first 64 KiB and reads every plan's 三定 references
 * (sd_plan_sanding_files_sniffed: identities and kinds, so that a 三定 the
 * walk reaches after its plan is not opened again), so that each 三定 has an
 * owner, the first plan of the walk that names it.  The work is then cut into units in
 * walk order: a plan (checked with sd_checker_check_plan, its owned 三定 with
 * it), a document no plan names (checked alone), and at the end the files a
 * plan names that turned out not to be 三定 (checked alone, as main.c's run
 * does).  Workers take units in order; this thread resolves each unit's
 * configuration before it is handed out, and reports units strictly in order,
 * so the report is the same bytes for every -j.
 *
 * Memory: at most 2 × jobs + 2 units are in flight (handed out, not yet
 * reported); a unit's documents and results are freed once it is reported.
 * What grows with the corpus is the walk's path list and two small tables by
 * file identity (owners, and 三定 reported without an owner): O(files) words,
 * never a document.
 *
 * -j1 checks on this thread itself (no worker, no hand-over).
 *
 * Threads: the checkers are immutable (check.h); libxml2 is initialised once
 * (sd_init, main.c); every check has its own PCRE2 match context and JIT
 * stack (src/sch/regex.c), so each thread has its own; the settings cache and
 * the report are touched by this thread only.  Each worker keeps its own
 * sd_checker_cache (a parser, validation contexts, the parent plans and
 * catalogues it loaded) from one unit to the next, and frees the results it
 * made once this thread has reported them (discard): this thread never frees
 * a worker's memory, which would contend for the worker's malloc arena.
 *
 * Sharding (--shard K/N): a unit goes to shard 1 + h % N, h the FNV-1a hash of
 * its path relative to the PATH argument it was found under (a file named
 * itself: its base name), so machines with other mount points agree.  Every
 * shard does the whole first pass, so owners agree too.  The walk's own
 * findings and the count of skipped files go to shard 1.  A JSON report of a
 * shard ends with a "shard" member (audit_trailer) that `sdlint merge`
 * (merge.c) reads to put the entries back in the unsharded order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "sdlint.h"
#include "strmap.h"
#include "summary.h"

enum { U_PLAN, U_ALONE, U_NAMED };
#define NONE SIZE_MAX

typedef struct unit {
    size_t path;  /* index in the walk's list */
    size_t ord;   /* position among all units: the same in every shard */
    size_t files; /* files it stands for, for the progress line */
    unsigned long long dev, ino;
    unsigned char kind, has_id;
} unit;

/* File identity → walk index (owners) or presence (reported): open
 * addressing, doubling at half load. */
typedef struct idmap {
    unsigned long long *keys; /* pairs: dev, ino */
    size_t *vals;
    size_t cap, count;
} idmap;

static size_t id_hash(unsigned long long dev, unsigned long long ino, size_t cap)
{
    unsigned long long h = (dev * 0x9E3779B97F4A7C15ULL) ^ (ino * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static size_t idmap_get(const idmap *m, unsigned long long dev, unsigned long long ino)
{
    if (m->cap == 0)
        return NONE;
    for (size_t j = id_hash(dev, ino, m->cap); m->vals[j] != NONE; j = (j + 1) & (m->cap - 1))
        if (m->keys[2 * j] == dev && m->keys[2 * j + 1] == ino)
            return m->vals[j];
    return NONE;
}

/* Adds (dev, ino) → v unless present; -1 on out of memory. */
static int idmap_put(idmap *m, unsigned long long dev, unsigned long long ino, size_t v)
{
    if (idmap_get(m, dev, ino) != NONE)
        return 0;
    if ((m->count + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        idmap n = {malloc(cap * 2 * sizeof *n.keys), malloc(cap * sizeof *n.vals), cap, m->count};
        if (n.keys == NULL || n.vals == NULL) {
            free(n.keys);
            free(n.vals);
            return -1;
        }
        for (size_t j = 0; j < cap; j++)
            n.vals[j] = NONE;
        for (size_t i = 0; i < m->cap; i++)
            if (m->vals[i] != NONE) {
                size_t j = id_hash(m->keys[2 * i], m->keys[2 * i + 1], cap);
                while (n.vals[j] != NONE)
                    j = (j + 1) & (cap - 1);
                n.keys[2 * j] = m->keys[2 * i];
                n.keys[2 * j + 1] = m->keys[2 * i + 1];
                n.vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        *m = n;
    }
    size_t j = id_hash(dev, ino, m->cap);
    while (m->vals[j] != NONE)
        j = (j + 1) & (m->cap - 1);
    m->keys[2 * j] = dev;
    m->keys[2 * j + 1] = ino;
    m->vals[j] = v;
    m->count++;
    return 0;
}

static void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* The kind a file's first 64 KiB show (sd_kind_sniff); SD_KIND_OTHER when it
 * cannot be read or is not a regular file (its problem is reported when it
 * is checked).  *id is set to the file's identity when it could be opened
 * (what a stat of the path would say, without a second walk of the path). */
static sd_kind sniff_kind(const char *path, char *buf, struct stat *id, int *has_id)
{
    *has_id = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return SD_KIND_OTHER;
    struct stat sb;
    sd_kind k = SD_KIND_OTHER;
    if (fstat(fd, &sb) == 0) {
        *id = sb;
        *has_id = 1;
    }
    if (*has_id && S_ISREG(sb.st_mode)) {
        size_t len = 0;
        while (len < 65536) {
            ssize_t n = read(fd, buf + len, 65536 - len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            len += (size_t)n;
            if (sb.st_size > 0 && (off_t)len >= sb.st_size)
                break; /* all of it: no second read to learn so */
        }
        if (len > 0)
            k = sd_kind_sniff(buf, len);
    }
    close(fd);
    return k;
}

typedef struct fileid {
    unsigned long long dev, ino;
    int has;
} fileid;

/* The name a unit is sharded by: its path relative to the PATH argument that
 * reached it, without ./ steps; a file named itself: its base name. */
static const char *shard_key(const options *o, const char *p)
{
    for (size_t a = 0; a < o->npaths; a++) {
        const char *arg = o->paths[a];
        size_t n = strlen(arg);
        while (n > 1 && arg[n - 1] == '/')
            n--;
        if (strcmp(p, arg) == 0) {
            const char *slash = strrchr(p, '/');
            return slash && slash[1] ? slash + 1 : p;
        }
        if (strncmp(p, arg, n) == 0 && (p[n] == '/' || arg[n - 1] == '/')) {
            p += n;
            break;
        }
    }
    for (;;) {
        while (*p == '/')
            p++;
        if (p[0] == '.' && p[1] == '/')
            p += 2;
        else
            return p;
    }
}

/* 64-bit FNV-1a: stable across machines and builds. */
static unsigned long long fnv1a(const char *s)
{
    unsigned long long h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* A unit in flight. */
typedef struct slot {
    const unit *u;
    size_t by; /* the worker that checked it */
    const sd_checker *checker;
    sd_config_resolved conf;
    sd_plan_options po;
    int done;
    sd_status st;
    sd_error err;
    sd_result res;
    sd_plan_member *members;
    size_t nmembers;
} slot;

struct audit_state {
    int sharded;
    long k, n, max_warnings;
    size_t *entries; /* pairs: (unit position + 1, entry within the unit); walk entries (0, i) */
    size_t nentries, cap;
};

/* A reported unit's results, waiting to be freed by the worker that made
 * them: freed by this thread, every free of a worker's memory would take the
 * lock of the worker's malloc arena while the worker allocates from it (a
 * twentieth of an audit's time went to that contention). */
typedef struct trash {
    sd_result res;
    sd_plan_member *members;
    size_t nmembers;
} trash;

typedef struct bin {
    trash *items;
    size_t n, cap;
} bin;

static void bin_empty(bin *b)
{
    for (size_t i = 0; i < b->n; i++) {
        sd_result_free(&b->items[i].res);
        sd_plan_members_free(b->items[i].members, b->items[i].nmembers);
    }
    b->n = 0;
}

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *slots;
    size_t window;
    size_t handed, taken; /* units [taken, handed) wait for a worker */
    int stop;
    const sd_pathlist *paths;
    bin *bins; /* one per worker: what it made and was reported */
} pool;

typedef struct worker_arg {
    pool *P;
    size_t id;
} worker_arg;

static void *worker(void *arg)
{
    pool *P = ((worker_arg *)arg)->P;
    size_t id = ((worker_arg *)arg)->id;
    bin spare = {0}; /* swapped with the shared bin: its array is reused */
    /* This thread's parser, validation contexts, and the parent plans and
     * catalogues it loaded (the counties of a city name the same ones): kept
     * from one unit to the next (NULL when out of memory: made each time). */
    sd_checker_cache *cache = sd_checker_cache_new();
    pthread_mutex_lock(&P->mu);
    for (;;) {
        while (P->taken == P->handed && !P->stop)
            pthread_cond_wait(&P->work, &P->mu);
        if (P->taken == P->handed)
            break;
        slot *s = &P->slots[P->taken++ % P->window];
        s->by = id;
        bin mine = P->bins[id];
        P->bins[id] = spare;
        pthread_mutex_unlock(&P->mu);
        bin_empty(&mine);
        spare = mine;
        s->st = sd_checker_check_plan_cached(s->checker, cache, P->paths->items[s->u->path], &s->po,
                                             &s->res, &s->members, &s->nmembers, &s->err);
        pthread_mutex_lock(&P->mu);
        s->done = 1;
        pthread_cond_broadcast(&P->done);
    }
    pthread_mutex_unlock(&P->mu);
    free(spare.items);
    sd_checker_cache_free(cache);
    return NULL;
}

/* Hands s's results to the worker that made them, to be freed there; frees
 * them here when that cannot be done (out of memory). */
static void discard(pool *P, slot *s)
{
    trash t = {s->res, s->members, s->nmembers};
    memset(&s->res, 0, sizeof s->res);
    s->members = NULL;
    s->nmembers = 0;
    pthread_mutex_lock(&P->mu);
    bin *b = &P->bins[s->by];
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        trash *v = realloc(b->items, cap * sizeof *v);
        if (v != NULL) {
            b->items = v;
            b->cap = cap;
        }
    }
    int kept = b->n < b->cap;
    if (kept)
        b->items[b->n++] = t;
    pthread_mutex_unlock(&P->mu);
    if (!kept) {
        sd_result_free(&t.res);
        sd_plan_members_free(t.members, t.nmembers);
    }
}

void audit_progress_format(char *buf, size_t n, size_t done, size_t total, double secs)
{
    if (done > total)
        done = total;
    double rate = secs > 0 ? (double)done / secs : 0;
    long eta = rate > 0 ? (long)((double)(total - done) / rate + 0.5) : 0;
    char bar[25];
    size_t fill = total ? done * 24 / total : 24;
    for (size_t i = 0; i < 24; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[24] = '\0';
    if (rate > 0)
        snprintf(buf, n, "\r[%s] %zu/%zu files  %.1f files/s  ETA %ld:%02ld\033[K", bar, done, total,
                 rate, eta / 60, eta % 60);
    else
        snprintf(buf, n, "\r[%s] %zu/%zu files\033[K", bar, done, total);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int note_entry(audit_state *a, size_t unit_pos, size_t sub)
{
    if (!a->sharded)
        return 0;
    if (a->nentries == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        size_t *e = realloc(a->entries, cap * 2 * sizeof *e);
        if (e == NULL)
            return -1;
        a->entries = e;
        a->cap = cap;
    }
    a->entries[2 * a->nentries] = unit_pos;
    a->entries[2 * a->nentries + 1] = sub;
    a->nentries++;
    return 0;
}

static sd_status oom(sd_error *err)
{
    return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
}

/* Reports a finished unit in its place; hands its results back to be freed
 * (discard).  -1 on an internal error. */
static int report_unit(run *R, pool *P, audit_state *a, slot *s, const idmap *owners, idmap *seen,
                       size_t *files_done)
{
    const unit *u = s->u;
    int rc = 0;
    if (s->st != SD_OK) {
        *R->err = s->err;
        rc = -1;
    } else if (u->kind == U_NAMED && (s->res.kind == SD_KIND_SANDING || !s->res.parsed)) {
        /* Its owner took it as its 三定 (what a plan loads as such: a 三定,
         * or a file that does not parse), and reported it. */
    } else if (u->kind == U_ALONE && u->has_id && idmap_get(seen, u->dev, u->ino) != NONE) {
        /* reported already, with a plan */
    } else {
        if (note_entry(a, u->ord + 1, 0) != 0) {
            sd_error_set(R->err, SD_ENOMEM, NULL, 0, "out of memory");
            rc = -1;
        } else {
            rc = run_emit(R, &s->res, &s->conf);
        }
        (*files_done)++;
    }
    size_t sub = 1;
    for (size_t k = 0; k < s->nmembers && rc == 0; k++) {
        sd_plan_member *m = &s->members[k];
        size_t owner = idmap_get(owners, m->dev, m->ino);
        /* Owned: reported with its owner.  Named by no plan the first pass
         * saw (a plan whose start did not show it): once, first come. */
        if (owner != NONE ? owner != u->path : idmap_get(seen, m->dev, m->ino) != NONE)
            continue;
        if (owner == NONE && idmap_put(seen, m->dev, m->ino, 1) != 0) {
            sd_error_set(R->err, SD_ENOMEM, NULL, 0, "out of memory");
            rc = -1;
        } else if (note_entry(a, u->ord + 1, sub++) != 0) {
            sd_error_set(R->err, SD_ENOMEM, NULL, 0, "out of memory");
            rc = -1;
        } else {
            rc = run_emit(R, &m->res, &s->conf);
        }
        (*files_done)++;
    }
    discard(P, s);
    sd_config_resolved_free(&s->conf);
    return rc;
}

/* Hands unit u out in slot s: its configuration and checker are resolved
 * here, on the reporting thread (the settings cache is not shared). */
static int prepare(run *R, settings *cfg, slot *s, const unit *u, const sd_pathlist *paths)
{
    memset(s, 0, sizeof *s);
    s->u = u;
    if (settings_resolve(cfg, paths->items[u->path], &s->conf) >= 0)
        return -1;
    if ((s->checker = settings_checker(cfg, &s->conf)) == NULL) {
        sd_config_resolved_free(&s->conf);
        return -1;
    }
    /* Precedence of a plan's catalogue: --catalogue, the plan's
     * catalogueRef, then .sdlint.xml's <catalogue>. */
    s->po.catalogue = R->o->catalogue;
    s->po.parent = R->o->parent;
    if (s->conf.catalogue.count) {
        s->po.default_catalogue = s->conf.catalogue.items[0].value;
        s->po.default_catalogue_origin = s->conf.catalogue.items[0].origin;
    }
    return 0;
}

static long online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : n;
}

/* The first pass over one path: its kind, its identity, and a plan's 三定
 * identities (sd_plan_sanding_files).  Independent from path to path, so it
 * runs on the audit's threads: on a small corpus this pass, a few system
 * calls per file and a scan per plan, was a tenth of a -j1 run, and serial,
 * the first thing keeping -j2 from twice the speed.  Owners are then decided
 * on this thread in walk order, from the per-path results alone, so the
 * outcome does not depend on the number of threads. */
typedef struct first_item {
    sd_plan_file *ids; /* a plan's 三定 (sd_plan_sanding_files_sniffed); NULL otherwise */
    size_t nids;
    unsigned long long dev, ino;
    char kind, has_id, failed;
} first_item;

/* A 三定 a plan names is opened and sniffed through the plan already (its
 * kind and identity, sd_plan_sanding_files_sniffed): when the walk then
 * reaches it by the same path — a plan's folder comes before its sanding/
 * in walk order — it is not opened again.  That was four system calls of
 * the twelve a 三定 cost an audit.  Which of the two ways tells a file's
 * kind and identity depends on the threads' timing; what they tell does not
 * (one file, one first 64 KiB), so neither does the report. */
typedef struct first_pass {
    const sd_pathlist *paths;
    size_t max_bytes;
    first_item *items;
    pthread_mutex_t mu;
    size_t next;    /* the next path to take, under mu */
    sd_strmap named; /* path -> the sd_plan_file a plan found there, under mu */
    sd_error *errs; /* one per thread: the first failure it met */
} first_pass;

typedef struct first_arg {
    first_pass *F;
    size_t id;
} first_arg;

#define FIRST_CHUNK 32

static void *first_worker(void *arg)
{
    first_pass *F = ((first_arg *)arg)->F;
    sd_error *err = &F->errs[((first_arg *)arg)->id];
    char *buf = malloc(65536);
    for (;;) {
        pthread_mutex_lock(&F->mu);
        size_t from = F->next;
        F->next += FIRST_CHUNK;
        pthread_mutex_unlock(&F->mu);
        if (from >= F->paths->count)
            break;
        size_t to = from + FIRST_CHUNK < F->paths->count ? from + FIRST_CHUNK : F->paths->count;
        for (size_t i = from; i < to; i++) {
            first_item *it = &F->items[i];
            const char *path = F->paths->items[i];
            int has_id = 0;
            if (buf == NULL) {
                it->failed = 1;
                continue;
            }
            pthread_mutex_lock(&F->mu);
            const sd_plan_file *known = F->named.count ? sd_strmap_get(&F->named, path) : NULL;
            pthread_mutex_unlock(&F->mu);
            if (known != NULL) {
                it->kind = (char)known->kind;
                it->dev = known->dev;
                it->ino = known->ino;
                has_id = 1;
            } else {
                struct stat sb;
                it->kind = (char)sniff_kind(path, buf, &sb, &has_id);
                /* what stat() says when the file cannot be opened */
                if (!has_id && stat(path, &sb) == 0)
                    has_id = 1;
                if (has_id) {
                    it->dev = (unsigned long long)sb.st_dev;
                    it->ino = (unsigned long long)sb.st_ino;
                }
            }
            it->has_id = (char)has_id;
            if (it->kind == SD_KIND_PLAN &&
                sd_plan_sanding_files_sniffed(path, F->max_bytes, &it->ids, &it->nids, err) != SD_OK)
                it->failed = 1;
            pthread_mutex_lock(&F->mu);
            for (size_t k = 0; k < it->nids && !it->failed; k++)
                if (sd_strmap_put(&F->named, it->ids[k].path, &it->ids[k]) < 0)
                    it->failed = 1;
            pthread_mutex_unlock(&F->mu);
        }
    }
    if (buf == NULL && err->code == 0)
        sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    free(buf);
    return NULL;
}

/* Runs the first pass over every path on up to nthreads threads (this one
 * among them); 0, or -1 with err set (out of memory: the first failure in
 * walk order). */
static int first_pass_run(const sd_pathlist *paths, size_t max_bytes, size_t nthreads,
                          first_item *items, sd_error *err)
{
    size_t want = paths->count / (4 * FIRST_CHUNK) + 1; /* a thread must have work */
    if (nthreads > want)
        nthreads = want;
    if (nthreads < 1)
        nthreads = 1;
    first_pass F = {.paths = paths, .max_bytes = max_bytes, .items = items};
    F.errs = calloc(nthreads, sizeof *F.errs);
    pthread_t *th = calloc(nthreads, sizeof *th);
    first_arg *args = calloc(nthreads, sizeof *args);
    if (F.errs == NULL || th == NULL || args == NULL || pthread_mutex_init(&F.mu, NULL) != 0) {
        free(F.errs);
        free(th);
        free(args);
        sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        return -1;
    }
    size_t started = 1;
    for (; started < nthreads; started++) {
        args[started] = (first_arg){&F, started};
        if (pthread_create(&th[started], NULL, first_worker, &args[started]) != 0)
            break;
    }
    args[0] = (first_arg){&F, 0};
    first_worker(&args[0]);
    for (size_t t = 1; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&F.mu);
    sd_strmap_free(&F.named);
    int rc = 0;
    for (size_t i = 0; i < paths->count && rc == 0; i++)
        if (items[i].failed)
            rc = -1;
    if (rc != 0) {
        for (size_t t = 0; t < started; t++)
            if (F.errs[t].code != 0) {
                *err = F.errs[t];
                break;
            }
        if (err->code == 0)
            sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    free(F.errs);
    free(th);
    free(args);
    return rc;
}

int cmd_audit(run *R, settings *cfg, audit_state **out)
{
    const options *o = R->o;
    int internal = 0;
    audit_state *a = calloc(1, sizeof *a);
    sd_pathlist paths = {0};
    sd_diags walked;
    sd_diags_init(&walked);
    idmap owners = {0}, seen = {0};
    unit *units = NULL, *named = NULL;
    size_t nunits = 0, nnamed = 0, skipped = 0, total = 0;
    size_t *owned = NULL;
    slot *slots = NULL;
    pthread_t *threads = NULL;
    worker_arg *wargs = NULL;
    bin *bins = NULL;
    fileid *ids_of = NULL; /* each path's identity, from the first pass */
    size_t nthreads = 0;
    *out = a;
    if (a == NULL) {
        oom(R->err);
        internal = 1;
        goto out;
    }
    a->sharded = o->shard_n > 0;
    a->k = o->shard_k;
    a->n = o->shard_n;
    a->max_warnings = o->max_warnings;
    sd_walk_options wo = {.lang = o->lang, .known_only = o->nrules == 0,
                          .excludes = o->excludes, .nexcludes = o->nexcludes};
    if (sd_walk_expand_opts(&wo, (const char *const *)o->paths, o->npaths, &paths, &walked,
                            &skipped, R->err) != SD_OK) {
        internal = 1;
        goto out;
    }
    /* First pass: kinds, and each 三定's owner (the first plan naming it). */
    char *kinds = malloc(paths.count ? paths.count : 1);
    owned = calloc(paths.count ? paths.count : 1, sizeof *owned);
    units = malloc((paths.count ? paths.count : 1) * sizeof *units);
    named = malloc((paths.count ? paths.count : 1) * sizeof *named);
    ids_of = malloc((paths.count ? paths.count : 1) * sizeof *ids_of);
    first_item *first = calloc(paths.count ? paths.count : 1, sizeof *first);
    if (kinds == NULL || owned == NULL || units == NULL || named == NULL || ids_of == NULL ||
        first == NULL) {
        free(kinds);
        free(first);
        oom(R->err);
        internal = 1;
        goto out;
    }
    if (first_pass_run(&paths, o->max_bytes, (size_t)(o->jobs ? o->jobs : online_cpus()), first,
                       R->err) != 0)
        internal = 1;
    for (size_t i = 0; i < paths.count && !internal; i++) {
        const first_item *it = &first[i];
        kinds[i] = it->kind;
        ids_of[i] = (fileid){it->dev, it->ino, it->has_id};
        for (size_t k = 0; k < it->nids && !internal; k++) {
            if (idmap_get(&owners, it->ids[k].dev, it->ids[k].ino) != NONE)
                continue;
            if (idmap_put(&owners, it->ids[k].dev, it->ids[k].ino, i) != 0) {
                oom(R->err);
                internal = 1;
            }
            owned[i]++;
        }
    }
    for (size_t i = 0; i < paths.count; i++)
        sd_plan_files_free(first[i].ids, first[i].nids);
    free(first);
    /* The units in walk order; the files plans name but may not take last. */
    for (size_t i = 0; i < paths.count && !internal; i++) {
        unit u = {.path = i, .files = 1, .kind = U_ALONE};
        if (kinds[i] == SD_KIND_PLAN) {
            u.kind = U_PLAN;
            u.files += owned[i];
        } else if (ids_of[i].has) {
            u.has_id = 1;
            u.dev = ids_of[i].dev;
            u.ino = ids_of[i].ino;
            if (idmap_get(&owners, u.dev, u.ino) != NONE) {
                if (kinds[i] == SD_KIND_SANDING)
                    continue; /* reported with its owner */
                u.kind = U_NAMED;
                named[nnamed++] = u;
                continue;
            }
        }
        units[nunits++] = u;
    }
    free(kinds);
    free(ids_of);
    ids_of = NULL;
    for (size_t i = 0; i < nnamed; i++)
        units[nunits++] = named[i];
    /* This shard's units. */
    size_t mine = 0;
    for (size_t i = 0; i < nunits; i++) {
        units[i].ord = i;
        if (a->sharded &&
            (long)(fnv1a(shard_key(o, paths.items[units[i].path])) % (unsigned long long)a->n) != a->k - 1)
            continue;
        units[mine++] = units[i];
        total += units[i].files;
    }
    nunits = mine;
    int first_shard = !a->sharded || a->k == 1;
    /* Every unit's configuration is read, and its checker compiled, before
     * the report begins (as in main.c's run). */
    for (size_t i = 0; i < nunits && !internal; i++) {
        sd_config_resolved conf;
        if (settings_resolve(cfg, paths.items[units[i].path], &conf) >= 0) {
            internal = 2;
            break;
        }
        if (settings_checker(cfg, &conf) == NULL)
            internal = 2;
        sd_config_resolved_free(&conf);
    }
    if (internal)
        goto out;
    R->fmt->begin(R->b, R->oo);
    /* Folder problems (loops, folders without XML) first, one entry each. */
    if (first_shard) {
        R->sum->skipped += skipped;
        for (size_t i = 0; i < walked.count && !internal; i++) {
            sd_result r = {0};
            sd_diags_init(&r.diags);
            r.src.path = walked.items[i].file;
            if (sd_diags_add(&r.diags, &walked.items[i], R->err) != SD_OK || note_entry(a, 0, i) != 0)
                internal = 1;
            R->fmt->file(R->b, &r, R->index++, R->oo);
            if (R->fmt == &sd_out_svrl) {
                sd_buf e;
                sd_buf_init(&e);
                sd_out_text.file(&e, &r, 0, R->oo);
                if (e.len)
                    fwrite(e.data, 1, e.len, stderr);
                sd_buf_free(&e);
            }
            sd_summary_add(R->sum, &r, R->oo->min_severity);
            sd_diags_free(&r.diags);
            R->exit_code = EXIT_USAGE;
        }
    }
    /* The workers: units handed out in order, reported in order. */
    size_t jobs = (size_t)(o->jobs ? o->jobs : online_cpus());
    if (jobs > nunits)
        jobs = nunits ? nunits : 1;
    pool P = {.window = 2 * jobs + 2, .paths = &paths};
    slots = calloc(P.window, sizeof *slots);
    threads = calloc(jobs, sizeof *threads);
    wargs = calloc(jobs, sizeof *wargs);
    bins = calloc(jobs, sizeof *bins);
    P.slots = slots;
    P.bins = bins;
    if (slots == NULL || threads == NULL || wargs == NULL || bins == NULL ||
        pthread_mutex_init(&P.mu, NULL) != 0) {
        oom(R->err);
        internal = 1;
        goto out;
    }
    pthread_cond_init(&P.work, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&P.done, &ca);
    pthread_condattr_destroy(&ca);
    R->keep_results = 1; /* freed by the workers (discard) */
    /* -j1: the one checking thread is this one.  A worker beside a reporting
     * thread that only waits cost a wake-up and a hand-over per unit, and
     * every result crossed to the other core to be reported. */
    sd_checker_cache *own = NULL;
    if (jobs == 1 && (own = sd_checker_cache_new()) != NULL)
        nthreads = 0;
    else
        own = NULL;
    for (; own == NULL && nthreads < jobs; nthreads++) {
        wargs[nthreads] = (worker_arg){&P, nthreads};
        if (pthread_create(&threads[nthreads], NULL, worker, &wargs[nthreads]) != 0)
            break;
    }
    if (nthreads == 0 && own == NULL) {
        sd_error_set(R->err, SD_EINVAL, NULL, 0, "cannot start a thread");
        internal = 1;
    }
    int progress = isatty(STDERR_FILENO);
    /* The report on the same terminal: the progress line is erased before
     * each unit's report, so that no report line starts after it. */
    int erase = progress && !o->output && isatty(STDOUT_FILENO), drawn = 0;
    double t0 = now(), shown = 0;
    size_t files_done = 0, handed = 0, next = 0;
    while (next < nunits && !internal) {
        while (handed < nunits && handed < next + P.window) {
            if (prepare(R, cfg, &slots[handed % P.window], &units[handed], &paths) != 0) {
                sd_error_set(R->err, SD_EINVAL, paths.items[units[handed].path], 0,
                             "its configuration could not be read again");
                internal = 1;
                break;
            }
            handed++;
            pthread_mutex_lock(&P.mu);
            P.handed = handed;
            pthread_cond_signal(&P.work);
            pthread_mutex_unlock(&P.mu);
        }
        if (internal)
            break;
        slot *s = &slots[next % P.window];
        if (own != NULL && !s->done) {
            s->by = 0;
            s->st = sd_checker_check_plan_cached(s->checker, own, paths.items[s->u->path], &s->po,
                                                 &s->res, &s->members, &s->nmembers, &s->err);
            s->done = 1;
        }
        pthread_mutex_lock(&P.mu);
        while (!s->done) {
            if (progress) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                ts.tv_nsec += 100000000L;
                if (ts.tv_nsec >= 1000000000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000L;
                }
                pthread_cond_timedwait(&P.done, &P.mu, &ts);
                if (!s->done)
                    break;
            } else {
                pthread_cond_wait(&P.done, &P.mu);
            }
        }
        int ready = s->done;
        pthread_mutex_unlock(&P.mu);
        if (ready) {
            if (erase && drawn) {
                fputs("\r\033[K", stderr);
                fflush(stderr);
                drawn = 0;
            }
            if (report_unit(R, &P, a, s, &owners, &seen, &files_done) != 0)
                internal = 1;
            if (own != NULL)
                bin_empty(&bins[0]); /* this thread made them */
            s->u = NULL;
            next++;
        }
        if (progress && (now() - shown >= 0.1 || next == nunits)) {
            char line[160];
            shown = now();
            audit_progress_format(line, sizeof line, files_done, total, shown - t0);
            fputs(line, stderr);
            fflush(stderr);
            drawn = 1;
        }
    }
    if (progress && nunits) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    /* Stop: what was handed out and not taken is dropped. */
    pthread_mutex_lock(&P.mu);
    P.stop = 1;
    P.handed = P.taken;
    pthread_cond_broadcast(&P.work);
    pthread_mutex_unlock(&P.mu);
    for (size_t t = 0; t < nthreads; t++)
        pthread_join(threads[t], NULL);
    sd_checker_cache_free(own);
    for (size_t i = next; i < handed; i++) {
        slot *s = &slots[i % P.window];
        sd_result_free(&s->res);
        sd_plan_members_free(s->members, s->nmembers);
        sd_config_resolved_free(&s->conf);
    }
    /* What the workers did not take back: the last units' results. */
    for (size_t t = 0; t < jobs; t++) {
        bin_empty(&bins[t]);
        free(bins[t].items);
    }
    pthread_cond_destroy(&P.work);
    pthread_cond_destroy(&P.done);
    pthread_mutex_destroy(&P.mu);
out:
    free(ids_of);
    free(slots);
    free(threads);
    free(wargs);
    free(bins);
    free(owned);
    free(units);
    free(named);
    idmap_free(&owners);
    idmap_free(&seen);
    sd_diags_free(&walked);
    sd_pathlist_free(&paths);
    return internal;
}

void audit_trailer(const audit_state *a, sd_buf *b, int exit_code, size_t warnings,
                   const sd_audit_summary *jurisdictions)
{
    if (a == NULL || !a->sharded || b->len < 4 || memcmp(b->data + b->len - 4, "}\n}\n", 4) != 0)
        return; /* not a JSON report */
    b->len -= 3; /* "\n}\n": the member goes after the summary */
    sd_buf_printf(b, ",\n  \"shard\": {\"index\": %ld, \"count\": %ld, \"exit\": %d, \"warnings\": %zu, "
                  "\"maxWarnings\": %ld, \"entries\": [",
                  a->k, a->n, exit_code, warnings, a->max_warnings);
    for (size_t i = 0; i < a->nentries; i++)
        sd_buf_printf(b, "%s[%zu, %zu]", i ? ", " : "", a->entries[2 * i], a->entries[2 * i + 1]);
    sd_buf_puts(b, "]}");
    /* The shard's jurisdictions, for merge to add up: one part a line. */
    if (jurisdictions != NULL) {
        sd_buf_puts(b, ",\n  \"jurisdictionParts\": ");
        sd_summary_parts_json(jurisdictions, b, "    ");
    }
    sd_buf_puts(b, "\n}\n");
}

void audit_free(audit_state *a)
{
    if (a == NULL)
        return;
    free(a->entries);
    free(a);
}
