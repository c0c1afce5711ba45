/*
 * plan.c — loading a reform plan's referenced files into one model, and
 * SD207 (a reference that is missing, unsafe or of the wrong kind).  See
 * plan.h for the contract.
 *
 * Why hash tables: a plan names tens of agencies in a city and a corpus holds
 * thousands; every lookup the cross-document rules make (an agency by id, by
 * name, a file by identity so that it is read once) is O(1) expected, and the
 * whole load is linear in the references.  Keys point at strings the plan
 * owns; tables grow by doubling at half load (open addressing, FNV-1a).
 *
 * Why file identity (device, inode) and not the path string: sanding/a.xml,
 * ./sanding/a.xml and a hard link are one file, read once.
 */
#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "names.h"
#include "pos.h"
#include "safeopen.h"
#include "strmap.h"
#include "xpathloc.h"

/* ---- hash tables (strmap.h; values are indexes stored as pointers) ------ */

typedef sd_strmap strmap;

/* The index stored at slot (strmap_put's val). */
static size_t strmap_val(const strmap *m, long slot)
{
    return (size_t)(uintptr_t)m->vals[slot];
}

/* 1 added, 0 present (the first one wins), -1 out of memory. */
static int strmap_put(strmap *m, const char *key, size_t val)
{
    return sd_strmap_put(m, key, (void *)(uintptr_t)val);
}

/* (device, inode) -> document index. */
typedef struct fidmap {
    unsigned long long *dev, *ino;
    size_t *vals;
    unsigned char *used;
    size_t cap, count;
} fidmap;

static size_t fid_slot(unsigned long long dev, unsigned long long ino, size_t cap)
{
    unsigned long long k[2] = {dev, ino};
    return (size_t)sd_hash_bytes(k, sizeof k) & (cap - 1);
}

static int fidmap_grow(fidmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    fidmap n = {calloc(cap, sizeof(unsigned long long)), calloc(cap, sizeof(unsigned long long)),
                calloc(cap, sizeof(size_t)), calloc(cap, 1), cap, m->count};
    if (!n.dev || !n.ino || !n.vals || !n.used) {
        free(n.dev);
        free(n.ino);
        free(n.vals);
        free(n.used);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->used[i])
            continue;
        size_t j = fid_slot(m->dev[i], m->ino[i], cap);
        while (n.used[j])
            j = (j + 1) & (cap - 1);
        n.used[j] = 1;
        n.dev[j] = m->dev[i];
        n.ino[j] = m->ino[i];
        n.vals[j] = m->vals[i];
    }
    free(m->dev);
    free(m->ino);
    free(m->vals);
    free(m->used);
    *m = n;
    return 0;
}

static long fidmap_get(const fidmap *m, unsigned long long dev, unsigned long long ino)
{
    if (m->cap == 0)
        return -1;
    for (size_t j = fid_slot(dev, ino, m->cap); m->used[j]; j = (j + 1) & (m->cap - 1))
        if (m->dev[j] == dev && m->ino[j] == ino)
            return (long)m->vals[j];
    return -1;
}

static int fidmap_put(fidmap *m, unsigned long long dev, unsigned long long ino, size_t val)
{
    if ((m->count + 1) * 2 > m->cap && fidmap_grow(m) != 0)
        return -1;
    size_t j = fid_slot(dev, ino, m->cap);
    while (m->used[j])
        j = (j + 1) & (m->cap - 1);
    m->used[j] = 1;
    m->dev[j] = dev;
    m->ino[j] = ino;
    m->vals[j] = val;
    m->count++;
    return 0;
}

static void fidmap_free(fidmap *m)
{
    free(m->dev);
    free(m->ino);
    free(m->vals);
    free(m->used);
    memset(m, 0, sizeof *m);
}

/* ---- names ---------------------------------------------------------------- */

/* One function for the name form, so that every table and lookup agree. */
char *sd_plan_normalize_name(const char *s)
{
    return sd_names_normalize(s);
}

/* ---- the model ------------------------------------------------------------ */

struct sd_plan {
    sd_plan_doc *docs;
    size_t ndocs, capdocs;
    sd_plan_agency *ag;
    size_t nag;
    strmap docs_by_id, by_id[2], by_name[2];
    fidmap by_file;
    long catalogue, parent; /* accepted documents, -1 when none */
};

size_t sd_plan_doc_count(const sd_plan *p)
{
    return p->ndocs;
}

sd_plan_doc *sd_plan_doc_at(sd_plan *p, size_t i)
{
    return i < p->ndocs ? &p->docs[i] : NULL;
}

sd_plan_doc *sd_plan_doc_by_id(const sd_plan *p, const char *id)
{
    long j = sd_strmap_find(&p->docs_by_id, id);
    return j < 0 ? NULL : &p->docs[strmap_val(&p->docs_by_id, j)];
}

sd_plan_doc *sd_plan_catalogue(const sd_plan *p)
{
    return p->catalogue < 0 ? NULL : &p->docs[p->catalogue];
}

sd_plan_doc *sd_plan_parent(const sd_plan *p)
{
    return p->parent < 0 ? NULL : &p->docs[p->parent];
}

size_t sd_plan_agency_count(const sd_plan *p)
{
    return p->nag;
}

const sd_plan_agency *sd_plan_agency_at(const sd_plan *p, size_t i)
{
    return i < p->nag ? &p->ag[i] : NULL;
}

const sd_plan_agency *sd_plan_agency_by_id(const sd_plan *p, int after, const char *id)
{
    const strmap *m = &p->by_id[after ? 1 : 0];
    long j = sd_strmap_find(m, id);
    return j < 0 ? NULL : &p->ag[strmap_val(m, j)];
}

const sd_plan_agency *sd_plan_agency_by_name(const sd_plan *p, int after, const char *name)
{
    char *norm = sd_plan_normalize_name(name);
    if (norm == NULL)
        return NULL;
    const strmap *m = &p->by_name[after ? 1 : 0];
    long j = sd_strmap_find(m, norm);
    free(norm);
    return j < 0 ? NULL : &p->ag[strmap_val(m, j)];
}

void sd_plan_free(sd_plan *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->ndocs; i++) {
        free(p->docs[i].id);
        if (p->docs[i].shared) {
            free(p->docs[i].src.path);
        } else {
            sd_source_free(&p->docs[i].src);
            sd_load_doc_free(p->docs[i].doc);
        }
        sd_diags_free(&p->docs[i].diags);
    }
    free(p->docs);
    for (size_t i = 0; i < p->nag; i++) {
        free(p->ag[i].id);
        free(p->ag[i].name);
        free(p->ag[i].norm);
    }
    free(p->ag);
    sd_strmap_free(&p->docs_by_id);
    for (int k = 0; k < 2; k++) {
        sd_strmap_free(&p->by_id[k]);
        sd_strmap_free(&p->by_name[k]);
    }
    fidmap_free(&p->by_file);
    free(p);
}

/* ---- the cache of catalogues and parent plans ------------------------------- */

typedef struct cache_entry {
    unsigned long long dev, ino, stamp; /* stamp: 0 for a free entry, else its last use */
    long long size, mtime_s, mtime_ns, ctime_s, ctime_ns;
    sd_source src;                      /* path unused */
    struct _xmlDoc *doc;
    sd_kind kind;
} cache_entry;

struct sd_plan_cache {
    cache_entry e[SD_PLAN_CACHE_SIZE];
    unsigned long long clock;
};

sd_plan_cache *sd_plan_cache_new(void)
{
    return calloc(1, sizeof(sd_plan_cache));
}

static void entry_free(cache_entry *e)
{
    sd_source_free(&e->src);
    sd_load_doc_free(e->doc);
    memset(e, 0, sizeof *e);
}

void sd_plan_cache_free(sd_plan_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < SD_PLAN_CACHE_SIZE; i++)
        if (c->e[i].stamp)
            entry_free(&c->e[i]);
    free(c);
}

static int entry_is(const cache_entry *e, const struct stat *sb)
{
    return e->stamp && e->dev == (unsigned long long)sb->st_dev &&
           e->ino == (unsigned long long)sb->st_ino && e->size == (long long)sb->st_size &&
           e->mtime_s == (long long)sb->st_mtim.tv_sec && e->mtime_ns == (long long)sb->st_mtim.tv_nsec &&
           e->ctime_s == (long long)sb->st_ctim.tv_sec && e->ctime_ns == (long long)sb->st_ctim.tv_nsec;
}

/* Fills doc from the entry for the file sb describes; 0 when there is none
 * (or it is over this run's size limit). */
static int cache_lend(sd_plan_cache *c, const struct stat *sb, size_t max_bytes, sd_plan_doc *doc,
                      const char *shown, sd_error *err, sd_status *st)
{
    size_t max = max_bytes ? max_bytes : SD_LOAD_DEFAULT_MAX_BYTES;
    for (size_t i = 0; i < SD_PLAN_CACHE_SIZE; i++) {
        cache_entry *e = &c->e[i];
        if (!entry_is(e, sb) || e->src.len > max)
            continue;
        e->stamp = ++c->clock;
        doc->src = e->src;
        doc->src.path = strdup(shown);
        doc->doc = e->doc;
        doc->kind = e->kind;
        doc->shared = 1;
        *st = doc->src.path ? SD_OK : sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        return 1;
    }
    return 0;
}

/* Hands doc's bytes and tree to the cache (doc then borrows them), in the
 * place of the least recently used entry. */
static void cache_keep(sd_plan_cache *c, const struct stat *sb, sd_plan_doc *doc)
{
    cache_entry *e = &c->e[0];
    for (size_t i = 1; i < SD_PLAN_CACHE_SIZE; i++)
        if (c->e[i].stamp < e->stamp)
            e = &c->e[i];
    if (e->stamp)
        entry_free(e);
    *e = (cache_entry){.dev = (unsigned long long)sb->st_dev, .ino = (unsigned long long)sb->st_ino,
                       .stamp = ++c->clock, .size = (long long)sb->st_size,
                       .mtime_s = (long long)sb->st_mtim.tv_sec, .mtime_ns = (long long)sb->st_mtim.tv_nsec,
                       .ctime_s = (long long)sb->st_ctim.tv_sec, .ctime_ns = (long long)sb->st_ctim.tv_nsec,
                       .src = doc->src, .doc = doc->doc, .kind = doc->kind};
    e->src.path = NULL;
    doc->shared = 1;
}

/* ---- loading -------------------------------------------------------------- */

/* What one sd_plan_load call works with. */
typedef struct loader {
    const sd_plan_options *opt;
    sd_lang lang;
    const char *plan_path;
    char *dir;            /* the plan's folder as the user named it */
    sd_safeopen_folder *folder; /* the same, kept open for its 三定 */
    sd_plan *p;
    sd_diags *d;
    sd_error *err;
    sd_xpathloc *loc;
    char *code;           /* the plan's jurisdiction code, NULL when absent */
    int have_self;
    unsigned long long self_dev, self_ino;
} loader;

static int in_ns(xmlNodePtr n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, SD_NS) == 0 && strcmp((const char *)n->name, local) == 0;
}

static xmlAttrPtr attr_of(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

static int xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The attribute's value without leading and trailing XML white space, as the
 * schema reads ids, codes and paths (malloc'd); NULL when absent or out of
 * memory. */
static char *attr_value(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = attr_of(n, name);
    if (a == NULL)
        return NULL;
    xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
    const char *b = v ? (const char *)v : "";
    size_t len = strlen(b);
    while (len > 0 && xml_space(b[len - 1]))
        len--;
    while (len > 0 && xml_space(*b))
        b++, len--;
    char *s = strndup(b, len);
    xmlFree(v);
    return s;
}

/* One SD207 finding about the plan, at node (an attribute) or, when node is
 * NULL, about the whole file. */
static sd_status finding(loader *L, xmlNodePtr node, const char *msg)
{
    if (L->d == NULL)
        return SD_OK;
    sd_pos pos = {0};
    char *path = NULL;
    if (node) {
        sd_pos_of(node, &pos);
        if (L->loc && (path = sd_xpathloc_path(L->loc, node, SD_XPATHLOC_COMPACT)) == NULL)
            return sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    sd_finding f = {.rule_id = "SD207", .severity = SD_SEV_ERROR, .file = (char *)L->plan_path,
                    .line = pos.line, .col = pos.col, .end_line = pos.end_line,
                    .end_col = pos.end_col, .offset = (long)pos.offset, .location = path,
                    .message = (char *)msg};
    sd_status st = sd_diags_add(L->d, &f, L->err);
    free(path);
    return st;
}

/* What a reference is, for messages. */
typedef struct ref {
    sd_plan_role role;
    const char *href;   /* as written (or as given on the command line) */
    const char *shown;  /* the path findings name */
    xmlNodePtr at;      /* the referring attribute, NULL for an override */
    const char *origin; /* for an override: "--catalogue", ".sdlint.xml (FILE:LINE)" */
    const char *agency; /* the referring agency's id (三定) */
} ref;

static const char *role_zh(sd_plan_role r)
{
    return r == SD_PLAN_ROLE_SANDING ? "三定规定" : r == SD_PLAN_ROLE_CATALOGUE ? "上级机构目录" : "上级方案";
}

static const char *role_en(sd_plan_role r)
{
    return r == SD_PLAN_ROLE_SANDING ? "三定" : r == SD_PLAN_ROLE_CATALOGUE ? "catalogue" : "parent plan";
}

/* Reports "<role> file PATH<origin> <why>". */
static sd_status report(loader *L, const ref *r, const char *why_zh, const char *why_en)
{
    char origin[1200] = "";
    if (r->origin)
        snprintf(origin, sizeof origin, SD_TR(L->lang, "（由 %s 指定）", " (given by %s)"), r->origin);
    char msg[4096];
    if (L->lang == SD_LANG_EN)
        snprintf(msg, sizeof msg, "the %s file %s%s %s", role_en(r->role), r->shown, origin, why_en);
    else
        snprintf(msg, sizeof msg, "%s文件 %s%s%s%s", role_zh(r->role), r->shown, origin,
                 origin[0] ? "" : " ", why_zh);
    return finding(L, r->at, msg);
}

static const char *kind_zh(sd_kind k)
{
    return k == SD_KIND_SANDING ? "三定规定（sanding）"
           : k == SD_KIND_PLAN  ? "机构改革方案（reformPlan）"
           : k == SD_KIND_CATALOGUE ? "上级机构目录（catalogue）"
                                    : "sdlint 文档之外的 XML（根元素不是 urn:sdlint:schema:1 中的 sanding、reformPlan 或 catalogue）";
}

static const char *kind_en(sd_kind k)
{
    return k == SD_KIND_SANDING ? "a 三定 (sanding)"
           : k == SD_KIND_PLAN  ? "a reform plan (reformPlan)"
           : k == SD_KIND_CATALOGUE ? "a higher-level catalogue (catalogue)"
                                    : "XML that is none of sdlint's documents (its root is not sanding, reformPlan or catalogue in urn:sdlint:schema:1)";
}

static sd_kind role_kind(sd_plan_role r)
{
    return r == SD_PLAN_ROLE_SANDING ? SD_KIND_SANDING : r == SD_PLAN_ROLE_CATALOGUE ? SD_KIND_CATALOGUE : SD_KIND_PLAN;
}

/* dir joined with href, without href's "./" steps (./sanding/a.xml and
 * sanding/a.xml are named alike in findings).  NULL on out of memory. */
static char *shown_path(const char *dir, const char *href)
{
    char *h = strdup(href);
    if (h == NULL)
        return NULL;
    size_t o = 0;
    for (const char *p = href; *p;) {
        if (p[0] == '.' && p[1] == '/' && (p == href || p[-1] == '/')) {
            p += 2;
            while (*p == '/')
                p++;
            continue;
        }
        h[o++] = *p++;
    }
    h[o] = '\0';
    char *j = sd_safeopen_join(dir, o ? h : href);
    free(h);
    return j;
}

/* Opens a catalogue or parent plan: anywhere, but a regular file, and never
 * blocking on a FIFO.  Returns the descriptor or -1 with *e set (ENOENT,
 * EACCES, EISDIR for a folder, EINVAL for another non-regular file). */
static int open_anywhere(const char *path, int *e)
{
    /* A device is not even opened (opening some has effects); the fstat
     * below catches a file swapped for one in between. */
    struct stat pre;
    if (stat(path, &pre) != 0) {
        *e = errno;
        return -1;
    }
    if (!S_ISREG(pre.st_mode)) {
        *e = S_ISDIR(pre.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *e = errno;
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *e = fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        *e = errno;
        close(fd);
        return -1;
    }
    return fd;
}

/* The document entry for the open file fd (known: its fstat, when the
 * opener made one): the one already loaded from the same file, else a new
 * one, read and parsed; *idx is its index.  fd is closed. */
static sd_status add_doc(loader *L, int fd, const struct stat *known_sb, const ref *r,
                         const char *id, long *idx)
{
    sd_plan *p = L->p;
    struct stat sb;
    if (known_sb != NULL) {
        sb = *known_sb;
    } else if (fstat(fd, &sb) != 0) {
        close(fd);
        *idx = -1;
        return SD_OK;
    }
    long known = fidmap_get(&p->by_file, (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
    if (known >= 0) {
        close(fd);
        *idx = known;
        return SD_OK;
    }
    if (p->ndocs == p->capdocs) {
        size_t cap = p->capdocs ? p->capdocs * 2 : 8;
        sd_plan_doc *g = realloc(p->docs, cap * sizeof *g);
        if (g == NULL) {
            close(fd);
            return sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
        }
        p->docs = g;
        p->capdocs = cap;
    }
    sd_plan_doc *doc = &p->docs[p->ndocs];
    memset(doc, 0, sizeof *doc);
    sd_diags_init(&doc->diags);
    doc->role = r->role;
    doc->kind = SD_KIND_OTHER;
    doc->dev = (unsigned long long)sb.st_dev;
    doc->ino = (unsigned long long)sb.st_ino;
    doc->id = strdup(id);
    doc->src.path = NULL;
    if (doc->id == NULL) {
        close(fd);
        return sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    p->ndocs++;
    *idx = (long)(p->ndocs - 1);
    /* A catalogue or parent plan is reachable by its id once accepted (load_other). */
    if (fidmap_put(&p->by_file, doc->dev, doc->ino, (size_t)*idx) != 0 ||
        (r->role == SD_PLAN_ROLE_SANDING && strmap_put(&p->docs_by_id, doc->id, (size_t)*idx) < 0)) {
        close(fd);
        return sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    /* A catalogue or a parent plan (never a 三定, whose source moves to its
     * result) may be one this thread has loaded for an earlier plan. */
    sd_plan_cache *cache = r->role != SD_PLAN_ROLE_SANDING ? L->opt->cache : NULL;
    sd_status st = SD_OK;
    if (cache != NULL && cache_lend(cache, &sb, L->opt->max_bytes, doc, r->shown, L->err, &st)) {
        close(fd);
        return st;
    }
    /* doc->src lives as long as the tree: freed with it (sd_plan_free, the
     * cache), or moved into a member's result, which outlives the plan */
    sd_load_options lo = {.max_bytes = L->opt->max_bytes, .lang = L->lang,
                          .positions = SD_LOAD_POSITIONS_LAZY, .parser = L->opt->parser};
    st = sd_load_read_fd_sized(fd, r->shown, S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0, &lo,
                               &doc->src, &doc->diags, L->err);
    close(fd);
    if (st == SD_OK && doc->src.bytes != NULL)
        st = sd_load_parse(&doc->src, &lo, &doc->doc, &doc->diags, L->err);
    if (st == SD_OK && doc->doc != NULL)
        doc->kind = sd_kind_of(doc->doc);
    if (st == SD_OK && cache != NULL && doc->doc != NULL && doc->diags.count == 0)
        cache_keep(cache, &sb, doc);
    return st;
}

/* Checks the loaded document idx against what reference r wants. */
static sd_status check_doc(loader *L, const ref *r, long idx)
{
    sd_plan_doc *doc = &L->p->docs[idx];
    if (doc->doc == NULL)
        return r->role == SD_PLAN_ROLE_SANDING
                   ? report(L, r, "无法载入：不是格式正确的 XML，或被安全限制拒绝（该文件的问题随该文件报告）",
                            "cannot be loaded: it is not well-formed XML, or was refused by a safety limit (that file's own findings are reported with it)")
                   : report(L, r, "无法载入：不是格式正确的 XML，或被安全限制拒绝（单独检查该文件可见详情）",
                            "cannot be loaded: it is not well-formed XML, or was refused by a safety limit (check that file on its own for details)");
    sd_kind want = role_kind(r->role);
    if (doc->kind != want) {
        char zh[1024], en[1024];
        snprintf(zh, sizeof zh, "不是%s，而是%s", role_zh(r->role), kind_zh(doc->kind));
        snprintf(en, sizeof en, "is not a %s but %s", role_en(r->role), kind_en(doc->kind));
        return report(L, r, zh, en);
    }
    if (r->role == SD_PLAN_ROLE_SANDING && L->code != NULL) {
        xmlNodePtr j = NULL;
        for (xmlNodePtr n = xmlDocGetRootElement(doc->doc)->children; n && !j; n = n->next)
            if (in_ns(n, "jurisdiction"))
                j = n;
        char *code = j ? attr_value(j, "code") : NULL;
        sd_status st = SD_OK;
        if (code && strcmp(code, L->code) != 0) {
            char zh[1024], en[1024];
            snprintf(zh, sizeof zh, "属于行政区划 %.64s，不属于本方案的行政区划 %.64s：三定规定必须与方案同属一个行政区域",
                     code, L->code);
            snprintf(en, sizeof en, "is of jurisdiction %.64s, not of the plan's %.64s: a 三定 must be of the plan's jurisdiction",
                     code, L->code);
            st = report(L, r, zh, en);
        }
        free(code);
        return st;
    }
    return SD_OK;
}

/* 1 when the relative path's ".." components climb above its start
 * (a/../../b), read as text, before any file is looked at. */
static int climbs_out(const char *path)
{
    long depth = 0;
    for (const char *p = path; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return 1;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    return 0;
}

/* Resolves, opens and loads a 三定 reference; returns the document index in
 * *idx (-1 when none). */
static sd_status load_sanding(loader *L, const ref *r, long *idx)
{
    *idx = -1;
    if (r->href[0] == '\0')
        return SD_OK; /* the schema reports an empty path */
    if (r->href[0] == '/')
        return report(L, r, "是绝对路径：三定规定必须位于方案所在目录之内，请写相对于方案文件的路径",
                            "is an absolute path: a 三定 must lie inside the plan's folder; write the path relative to the plan file");
    int fd = -1;
    char why[256];
    struct stat sb;
    /* A path whose ".." steps climb above the plan's folder is outside it
     * whether or not the file exists (the open below would say "does not
     * exist" on a kernel without openat2, whose /proc fallback opens first). */
    sd_safeopen_result sr = climbs_out(r->href)
                                ? SD_SAFEOPEN_OUTSIDE
                                : sd_safeopen_beneath_in_stat(L->folder, r->href, &fd, &sb, why,
                                                              sizeof why);
    if (sr != SD_SAFEOPEN_OK) {
        if (sr == SD_SAFEOPEN_OUTSIDE)
            return report(L, r, "位于方案所在目录之外（经由 .. 或符号链接）：三定规定必须位于方案所在目录之内",
                          "leaves the plan's folder (through .. or a symbolic link): a 三定 must lie inside the plan's folder");
        if (sr == SD_SAFEOPEN_NOT_REGULAR)
            return strncmp(why, "a folder", 8) == 0
                       ? report(L, r, "是目录，不是文件", "is a folder, not a file")
                       : report(L, r, "不是普通文件（FIFO、设备或套接字），不予读取",
                                "is not a regular file (a FIFO, device or socket); not read");
        if (strcmp(why, "no such file") == 0)
            return report(L, r, "不存在", "does not exist");
        if (strcmp(why, "permission denied") == 0)
            return report(L, r, "无法读取：没有读取权限", "cannot be read: permission denied");
        char zh[400], en[400];
        snprintf(zh, sizeof zh, "无法读取：%s", why);
        snprintf(en, sizeof en, "cannot be read: %s", why);
        return report(L, r, zh, en);
    }
    sd_status st = add_doc(L, fd, &sb, r, r->agency, idx);
    if (st == SD_OK && *idx >= 0)
        st = check_doc(L, r, *idx);
    return st;
}

/* Loads the catalogue or parent plan reference r (path: where to open it). */
static sd_status load_other(loader *L, const ref *r, const char *path, long *accepted)
{
    *accepted = -1;
    if (path[0] == '\0')
        return SD_OK;
    int e = 0;
    int fd = open_anywhere(path, &e);
    if (fd < 0) {
        if (e == ENOENT)
            return report(L, r, "不存在", "does not exist");
        if (e == EACCES)
            return report(L, r, "无法读取：没有读取权限", "cannot be read: permission denied");
        if (e == EISDIR)
            return report(L, r, "是目录，不是文件", "is a folder, not a file");
        if (e == EINVAL)
            return report(L, r, "不是普通文件（FIFO、设备或套接字），不予读取",
                          "is not a regular file (a FIFO, device or socket); not read");
        char zh[400], en[400];
        snprintf(zh, sizeof zh, "无法读取：%s", SD_STRERROR(e));
        snprintf(en, sizeof en, "cannot be read: %s", SD_STRERROR(e));
        return report(L, r, zh, en);
    }
    if (r->role == SD_PLAN_ROLE_PARENT && L->have_self) {
        struct stat sb;
        if (fstat(fd, &sb) == 0 && (unsigned long long)sb.st_dev == L->self_dev &&
            (unsigned long long)sb.st_ino == L->self_ino) {
            close(fd);
            return report(L, r, "就是本方案自身：上级方案应是另一个（上一级的）方案",
                          "is this plan itself: the parent plan is another, higher-level plan");
        }
    }
    long idx;
    sd_status st = add_doc(L, fd, NULL, r, r->role == SD_PLAN_ROLE_CATALOGUE ? "#catalogue" : "#parent", &idx);
    if (st != SD_OK || idx < 0)
        return st;
    size_t before = L->d ? L->d->count : 0;
    st = check_doc(L, r, idx);
    if (st == SD_OK && (L->d ? L->d->count : 0) == before) {
        *accepted = idx;
        /* reachable by its role's id even when the file was loaded first as a 三定 */
        if (strmap_put(&L->p->docs_by_id, r->role == SD_PLAN_ROLE_CATALOGUE ? "#catalogue" : "#parent",
                       (size_t)idx) < 0)
            st = sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    return st;
}

/* The catalogue or parent plan of role: the command line's override if given,
 * else the plan's own reference (el/@href, relative to the plan), else the
 * configuration's fallback.  *out receives the document index (-1: none). */
static sd_status load_reference(loader *L, sd_plan_role role, xmlNodePtr el, const char *override,
                                const char *override_origin, const char *fallback,
                                const char *fallback_origin, long *out, sd_error *err)
{
    xmlAttrPtr href = el ? attr_of(el, "href") : NULL;
    char *v = NULL, *joined = NULL;
    sd_status st = SD_OK;
    ref r = {.role = role};
    if (override) {
        r.href = r.shown = override;
        r.origin = override_origin;
    } else if (href) {
        v = attr_value(el, "href");
        joined = v ? shown_path(L->dir, v) : NULL;
        if (joined == NULL)
            st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
        r.href = v;
        r.shown = joined;
        r.at = (xmlNodePtr)href;
    } else if (fallback) {
        r.href = r.shown = fallback;
        r.origin = fallback_origin;
    }
    if (st == SD_OK && r.shown)
        st = load_other(L, &r, r.shown, out);
    free(v);
    free(joined);
    return st;
}

static sd_status add_agency(loader *L, xmlNodePtr n, int after)
{
    sd_plan *p = L->p;
    sd_plan_agency *a = &p->ag[p->nag];
    memset(a, 0, sizeof *a);
    a->after = after;
    a->node = n;
    a->doc = -1;
    a->id = attr_value(n, "id");
    a->name = attr_value(n, "name");
    if (a->id == NULL)
        a->id = strdup("");
    if (a->name == NULL)
        a->name = strdup("");
    a->norm = a->name ? sd_plan_normalize_name(a->name) : NULL;
    p->nag++;
    if (a->id == NULL || a->name == NULL || a->norm == NULL)
        return sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
    /* The first of duplicate ids or names wins; the schema reports duplicates. */
    if ((a->id[0] && strmap_put(&p->by_id[after], a->id, p->nag - 1) < 0) ||
        (a->norm[0] && strmap_put(&p->by_name[after], a->norm, p->nag - 1) < 0))
        return sd_error_set(L->err, SD_ENOMEM, NULL, 0, "out of memory");
    return SD_OK;
}

sd_status sd_plan_load(const sd_plan_options *opt, const char *plan_path, xmlDocPtr plan_doc,
                       sd_plan **out, sd_diags *d, sd_error *err)
{
    *out = NULL;
    loader L = {.opt = opt, .lang = opt->lang, .plan_path = plan_path, .d = d, .err = err};
    L.p = calloc(1, sizeof *L.p);
    L.dir = sd_safeopen_dirname(plan_path);
    L.folder = L.dir ? sd_safeopen_folder_open(L.dir) : NULL;
    L.loc = sd_xpathloc_new();
    if (L.p == NULL || L.dir == NULL || L.folder == NULL || L.loc == NULL) {
        free(L.dir);
        sd_safeopen_folder_close(L.folder);
        sd_xpathloc_free(L.loc);
        free(L.p);
        return sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    }
    sd_plan *p = L.p;
    p->catalogue = p->parent = -1;
    struct stat sb;
    if (stat(plan_path, &sb) == 0) {
        L.have_self = 1;
        L.self_dev = (unsigned long long)sb.st_dev;
        L.self_ino = (unsigned long long)sb.st_ino;
    }
    sd_status st = SD_OK;
    xmlNodePtr root = plan_doc ? xmlDocGetRootElement(plan_doc) : NULL;
    xmlNodePtr parent_ref = NULL, cat_ref = NULL;
    size_t nag = 0;
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (in_ns(n, "jurisdiction") && L.code == NULL)
            L.code = attr_value(n, "code");
        else if (in_ns(n, "parentPlan") && parent_ref == NULL)
            parent_ref = n;
        else if (in_ns(n, "catalogueRef") && cat_ref == NULL)
            cat_ref = n;
        else if (in_ns(n, "agenciesBefore") || in_ns(n, "agenciesAfter"))
            for (xmlNodePtr a = n->children; a; a = a->next)
                nag += in_ns(a, "agency");
    }
    p->ag = calloc(nag ? nag : 1, sizeof *p->ag);
    if (p->ag == NULL)
        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    /* The agencies and their 三定, in document order. */
    for (xmlNodePtr n = root ? root->children : NULL; n && st == SD_OK; n = n->next) {
        int after = in_ns(n, "agenciesAfter");
        if (!after && !in_ns(n, "agenciesBefore"))
            continue;
        for (xmlNodePtr a = n->children; a && st == SD_OK; a = a->next) {
            if (!in_ns(a, "agency"))
                continue;
            st = add_agency(&L, a, after);
            xmlAttrPtr href = after ? attr_of(a, "sanding") : NULL;
            char *v = href ? attr_value(a, "sanding") : NULL;
            char *shown = v ? shown_path(L.dir, v) : NULL;
            if (st == SD_OK && href && (v == NULL || shown == NULL))
                st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
            if (st == SD_OK && href) {
                sd_plan_agency *ag = &p->ag[p->nag - 1];
                ref r = {.role = SD_PLAN_ROLE_SANDING, .href = v, .shown = shown,
                         .at = (xmlNodePtr)href, .agency = ag->id};
                st = load_sanding(&L, &r, &ag->doc);
            }
            free(v);
            free(shown);
        }
    }
    /* The catalogue: --catalogue, else the plan's, else the configuration's. */
    if (st == SD_OK)
        st = load_reference(&L, SD_PLAN_ROLE_CATALOGUE, cat_ref, opt->catalogue, "--catalogue",
                            opt->default_catalogue,
                            opt->default_catalogue_origin ? opt->default_catalogue_origin
                                                          : ".sdlint.xml",
                            &p->catalogue, err);
    /* The parent plan: --parent, else the plan's parentPlan/@href. */
    if (st == SD_OK)
        st = load_reference(&L, SD_PLAN_ROLE_PARENT, parent_ref, opt->parent, "--parent", NULL, NULL,
                            &p->parent, err);
    free(L.dir);
    sd_safeopen_folder_close(L.folder);
    free(L.code);
    sd_xpathloc_free(L.loc);
    if (st != SD_OK) {
        sd_plan_free(p);
        return st;
    }
    *out = p;
    return SD_OK;
}

/* The 三定 references of a plan (agenciesAfter/agency/@sanding, blanks
 * trimmed, in document order), gathered by a scan without a tree. */
typedef struct ref_scan {
    int is_plan, in_after, oom;
    char **hrefs;
    size_t n, cap;
} ref_scan;

static int push_href(ref_scan *r, char *h)
{
    if (h == NULL) {
        r->oom = 1;
        return -1;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        char **v = realloc(r->hrefs, cap * sizeof *v);
        if (v == NULL) {
            free(h);
            r->oom = 1;
            return -1;
        }
        r->hrefs = v;
        r->cap = cap;
    }
    r->hrefs[r->n++] = h;
    return 0;
}

static void scan_refs(void *user, int depth, const char *local, const char *uri, int nattrs,
                      const unsigned char **attrs)
{
    ref_scan *r = user;
    int ours = uri != NULL && strcmp(uri, SD_NS) == 0;
    if (depth == 0) {
        r->is_plan = ours && sd_kind_by_root(local) == SD_KIND_PLAN;
        return;
    }
    if (!r->is_plan || r->oom)
        return;
    if (depth == 1) {
        r->in_after = ours && strcmp(local, "agenciesAfter") == 0;
        return;
    }
    if (depth != 2 || !r->in_after || !ours || strcmp(local, "agency") != 0)
        return;
    for (int i = 0; i < nattrs; i++) {
        const unsigned char **a = attrs + 5 * i;
        if (a[2] != NULL || strcmp((const char *)a[0], "sanding") != 0)
            continue;
        /* '&' comes as "&#38;" (load.h): decoded as the tree has it */
        char *v = strndup((const char *)a[3], (size_t)(a[4] - a[3]));
        if (v == NULL) {
            r->oom = 1;
            return;
        }
        size_t o = 0;
        for (const char *p = v; *p;)
            if (strncmp(p, "&#38;", 5) == 0) {
                v[o++] = '&';
                p += 5;
            } else {
                v[o++] = *p++;
            }
        v[o] = '\0';
        const char *b = v;
        while (o > 0 && xml_space(v[o - 1]))
            o--;
        while (o > 0 && xml_space(*b))
            b++, o--;
        push_href(r, strndup(b, o));
        free(v);
        return;
    }
}

/* The same from a tree, for a plan the scan could not judge. */
static void tree_refs(xmlDocPtr doc, ref_scan *r)
{
    r->is_plan = sd_kind_of(doc) == SD_KIND_PLAN;
    for (xmlNodePtr l = r->is_plan ? xmlDocGetRootElement(doc)->children : NULL; l; l = l->next) {
        if (!in_ns(l, "agenciesAfter"))
            continue;
        for (xmlNodePtr a = l->children; a; a = a->next) {
            char *href = in_ns(a, "agency") ? attr_value(a, "sanding") : NULL;
            if (href != NULL && push_href(r, href) != 0)
                return;
        }
    }
}

#define SNIFF_MAX 65536 /* as audit.c sniffs a file: its first 64 KiB */

/* What a first read of the file at fd (fstat sb) shows, exactly as a caller
 * opening it by its path would sniff it (audit.c): the kind of its first 64
 * KiB when it is a regular file, else SD_KIND_OTHER. */
static int sniff_fd(int fd, const struct stat *sb, char *buf)
{
    if (!S_ISREG(sb->st_mode) || buf == NULL)
        return SD_KIND_OTHER;
    size_t len = 0;
    while (len < SNIFF_MAX) {
        ssize_t got = read(fd, buf + len, SNIFF_MAX - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (sb->st_size > 0 && (off_t)len >= sb->st_size)
            break;
    }
    return len > 0 ? sd_kind_sniff(buf, len) : SD_KIND_OTHER;
}

/* sd_plan_sanding_files, and with files set sd_plan_sanding_files_sniffed. */
static sd_status sanding_files(const char *plan_path, size_t max_bytes, sd_plan_fileid **ids,
                               sd_plan_file **files, size_t *n, sd_error *err)
{
    if (ids != NULL)
        *ids = NULL;
    if (files != NULL)
        *files = NULL;
    *n = 0;
    sd_diags d;
    sd_diags_init(&d);
    sd_source src = {0};
    sd_load_options lo = {.max_bytes = max_bytes};
    ref_scan rs = {0};
    int ok = 0;
    sd_status st = sd_load_read_file(plan_path, &lo, &src, &d, err);
    /* Only the references are needed: a scan, no tree (on the 1x corpus 133 M
     * instructions for 104 plans instead of 297 M with the tree) */
    if (st == SD_OK && src.bytes != NULL)
        st = sd_load_scan(&src, &lo, scan_refs, &rs, &ok, err);
    if (st == SD_OK && ok < 0) {
        xmlDocPtr doc = NULL;
        for (size_t i = 0; i < rs.n; i++)
            free(rs.hrefs[i]);
        free(rs.hrefs);
        memset(&rs, 0, sizeof rs);
        st = sd_load_parse(&src, &lo, &doc, &d, err);
        ok = doc != NULL;
        if (doc != NULL)
            tree_refs(doc, &rs);
        sd_load_doc_free(doc);
    }
    sd_diags_free(&d);
    if (st == SD_OK && rs.oom)
        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    char *dir = st == SD_OK && ok == 1 && rs.is_plan ? sd_safeopen_dirname(plan_path) : NULL;
    sd_safeopen_folder *folder = dir ? sd_safeopen_folder_open(dir) : NULL;
    if (dir != NULL && folder == NULL)
        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    size_t cap = 0;
    /* A file named by the plan, spelled as a walk of the plan's folder
     * spells it: the plan's path up to its last slash, then the reference. */
    const char *slash = strrchr(plan_path, '/');
    size_t prefix = slash ? (size_t)(slash - plan_path) + 1 : 0;
    char *buf = files != NULL && folder != NULL ? malloc(SNIFF_MAX) : NULL;
    if (files != NULL && folder != NULL && buf == NULL)
        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; folder && k < rs.n && st == SD_OK; k++) {
        const char *href = rs.hrefs[k];
        int fd = -1;
        char why[256];
        struct stat sb;
        if (href[0] && href[0] != '/' &&
            sd_safeopen_beneath_in_stat(folder, href, &fd, &sb, why, sizeof why) ==
                SD_SAFEOPEN_OK) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                if (ids != NULL) {
                    sd_plan_fileid *g = realloc(*ids, cap * sizeof *g);
                    if (g == NULL)
                        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                    else
                        *ids = g;
                } else {
                    sd_plan_file *g = realloc(*files, cap * sizeof *g);
                    if (g == NULL)
                        st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                    else
                        *files = g;
                }
            }
            if (st == SD_OK && ids != NULL) {
                (*ids)[*n].dev = (unsigned long long)sb.st_dev;
                (*ids)[*n].ino = (unsigned long long)sb.st_ino;
                (*n)++;
            } else if (st == SD_OK) {
                sd_plan_file *f = &(*files)[*n];
                size_t hl = strlen(href);
                f->dev = (unsigned long long)sb.st_dev;
                f->ino = (unsigned long long)sb.st_ino;
                f->kind = sniff_fd(fd, &sb, buf);
                f->path = malloc(prefix + hl + 1);
                if (f->path == NULL) {
                    st = sd_error_set(err, SD_ENOMEM, NULL, 0, "out of memory");
                } else {
                    memcpy(f->path, plan_path, prefix);
                    memcpy(f->path + prefix, href, hl + 1);
                    (*n)++;
                }
            }
        }
        if (fd >= 0)
            close(fd);
    }
    free(buf);
    for (size_t i = 0; i < rs.n; i++)
        free(rs.hrefs[i]);
    free(rs.hrefs);
    sd_safeopen_folder_close(folder);
    free(dir);
    sd_source_free(&src);
    if (st != SD_OK) {
        if (ids != NULL) {
            free(*ids);
            *ids = NULL;
        } else {
            sd_plan_files_free(*files, *n);
            *files = NULL;
        }
        *n = 0;
    }
    return st;
}

sd_status sd_plan_sanding_files(const char *plan_path, size_t max_bytes, sd_plan_fileid **ids,
                                size_t *n, sd_error *err)
{
    return sanding_files(plan_path, max_bytes, ids, NULL, n, err);
}

sd_status sd_plan_sanding_files_sniffed(const char *plan_path, size_t max_bytes,
                                        sd_plan_file **files, size_t *n, sd_error *err)
{
    return sanding_files(plan_path, max_bytes, NULL, files, n, err);
}

void sd_plan_files_free(sd_plan_file *files, size_t n)
{
    for (size_t i = 0; files != NULL && i < n; i++)
        free(files[i].path);
    free(files);
}
