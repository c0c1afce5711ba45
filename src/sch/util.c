/*
 * util.c — small containers for the Schematron engine: an arena for the pack's
 * model (freed at once by sd_sch_free), a bounded string buffer, a pointer set.
 *
 * Place in the pipeline: used by every sch/ file.  Left out: per-object frees
 * (the arena makes them unnecessary).  Costs: arena allocation O(1) amortised;
 * sch_buf grows geometrically and refuses to exceed SCH_BUF_MAX (sets oom);
 * the pointer set is open addressing at load <= 1/2, O(1) expected per add.
 */
#include "sch/sch_int.h"

#include <libxml/xpathInternals.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sch_arena_chunk {
    sch_arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

#define SCH_CHUNK (64 * 1024)

void *sch_alloc(sch_arena *a, size_t n)
{
    size_t al = sizeof(max_align_t);
    n = (n + al - 1) / al * al;
    if (n == 0)
        n = al;
    sch_arena_chunk *c = a->head;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > SCH_CHUNK ? n : SCH_CHUNK;
        c = malloc(sizeof *c + cap);
        if (c == NULL)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *sch_strndup(sch_arena *a, const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    char *p = sch_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sch_strdup(sch_arena *a, const char *s)
{
    return s == NULL ? NULL : sch_strndup(a, s, strlen(s));
}

void sch_arena_free(sch_arena *a)
{
    sch_arena_chunk *c = a->head;
    while (c != NULL) {
        sch_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

int sch_vec_push(sch_arena *a, sch_vec *vec, void *p)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 8;
        void **v = sch_alloc(a, cap * sizeof *v);
        if (v == NULL)
            return -1;
        if (vec->n)
            memcpy(v, vec->v, vec->n * sizeof *v);
        vec->v = v;
        vec->cap = cap;
    }
    vec->v[vec->n++] = p;
    return 0;
}

void sch_buf_add(sch_buf *b, const char *s, size_t n)
{
    if (b->oom || s == NULL)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > SCH_BUF_MAX) {
            b->oom = 1;
            return;
        }
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sch_buf_adds(sch_buf *b, const char *s)
{
    if (s != NULL)
        sch_buf_add(b, s, strlen(s));
}

const char *sch_buf_str(sch_buf *b)
{
    return b->p != NULL ? b->p : "";
}

void sch_buf_free(sch_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* ---- XPath objects for reuse (sch_objpool) ------------------------------ */

xmlXPathObjectPtr sch_obj_scalar(sch_objpool *p, xmlXPathObjectType type)
{
    xmlXPathObjectPtr o = p->scalars;
    if (o != NULL) {
        p->scalars = o->user;
        p->nscalars--;
    } else if ((o = xmlMalloc(sizeof *o)) == NULL) {
        return NULL;
    }
    memset(o, 0, sizeof *o);
    o->type = type;
    return o;
}

xmlXPathObjectPtr sch_obj_nodeset(sch_objpool *p)
{
    xmlXPathObjectPtr o = p->sets;
    if (o != NULL) {
        p->sets = o->user;
        p->nsets--;
        o->user = NULL;
        return o;
    }
    xmlNodeSetPtr set = xmlXPathNodeSetCreate(NULL);
    if (set == NULL)
        return NULL;
    o = xmlXPathWrapNodeSet(set);
    if (o == NULL)
        xmlXPathFreeNodeSet(set);
    return o;
}

void sch_obj_drop(sch_objpool *p, xmlXPathObjectPtr o)
{
    if (o == NULL)
        return;
    if (o->type == XPATH_NODESET && !o->boolval && o->user == NULL && o->nodesetval != NULL &&
        p->nsets < SCH_OBJPOOL_MAX) {
        /* namespace nodes in a set are copies it owns (xmlXPathNodeSetDupNs) */
        for (int i = 0; i < o->nodesetval->nodeNr; i++)
            if (o->nodesetval->nodeTab[i] != NULL &&
                o->nodesetval->nodeTab[i]->type == XML_NAMESPACE_DECL) {
                xmlXPathFreeObject(o);
                return;
            }
        o->nodesetval->nodeNr = 0;
        o->user = p->sets;
        p->sets = o;
        p->nsets++;
        return;
    }
    if ((o->type == XPATH_NUMBER || o->type == XPATH_BOOLEAN || o->type == XPATH_STRING) &&
        p->nscalars < SCH_OBJPOOL_MAX) {
        if (o->type == XPATH_STRING)
            xmlFree(o->stringval);
        o->user = p->scalars;
        p->scalars = o;
        p->nscalars++;
        return;
    }
    xmlXPathFreeObject(o);
}

void sch_objpool_free(sch_objpool *p)
{
    while (p->scalars != NULL) {
        xmlXPathObjectPtr o = p->scalars;
        p->scalars = o->user;
        xmlFree(o);
    }
    while (p->sets != NULL) {
        xmlXPathObjectPtr o = p->sets;
        p->sets = o->user;
        o->user = NULL;
        xmlXPathFreeObject(o);
    }
    p->nscalars = p->nsets = 0;
}

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void sch_normalize_space(char *s)
{
    if (s == NULL)
        return;
    char *w = s;
    int pending = 0;
    for (const char *r = s; *r; r++) {
        if (is_xml_space(*r)) {
            pending = (w != s);
            continue;
        }
        if (pending)
            *w++ = ' ';
        pending = 0;
        *w++ = *r;
    }
    *w = '\0';
}

static size_t ptr_hash(const void *p, size_t mask)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 33;
    x *= (uintptr_t)0xff51afd7ed558ccdULL;
    x ^= x >> 29;
    return (size_t)x & mask;
}

int sch_ptrset_init(sch_ptrset *s, size_t expect)
{
    size_t cap = 16;
    while (cap < expect * 2 + 2)
        cap *= 2;
    s->slot = calloc(cap, sizeof *s->slot);
    s->cap = s->slot ? cap : 0;
    s->n = 0;
    return s->slot ? 0 : -1;
}

static int ptrset_grow(sch_ptrset *s)
{
    sch_ptrset t;
    if (sch_ptrset_init(&t, s->cap) < 0)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i] != NULL)
            sch_ptrset_add(&t, s->slot[i]);
    free(s->slot);
    *s = t;
    return 0;
}

int sch_ptrset_add(sch_ptrset *s, const void *p)
{
    if ((s->n + 1) * 2 > s->cap && ptrset_grow(s) < 0)
        return -1;
    size_t mask = s->cap - 1;
    for (size_t i = ptr_hash(p, mask);; i = (i + 1) & mask) {
        if (s->slot[i] == p)
            return 0;
        if (s->slot[i] == NULL) {
            s->slot[i] = p;
            s->n++;
            return 1;
        }
    }
}

void sch_ptrset_free(sch_ptrset *s)
{
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
}

int sch_is_ns(xmlNodePtr n, const char *ns, const char *local)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL && n->ns->href != NULL &&
           strcmp((const char *)n->ns->href, ns) == 0 &&
           (local == NULL || strcmp((const char *)n->name, local) == 0);
}

int sch_is_sch(xmlNodePtr n, const char *local)
{
    return sch_is_ns(n, SCH_NS, local);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Equal up to the end of the shorter tag, which must end at a subtag
 * boundary: "zh" ~ "zh-CN", "zh-CN" ~ "zh", "zh" !~ "zha", case-insensitive. */
int sch_lang_match(const char *want, const char *have)
{
    if (want == NULL || have == NULL || want[0] == '\0' || have[0] == '\0')
        return 0;
    size_t i = 0;
    while (want[i] && have[i] && lower(want[i]) == lower(have[i]))
        i++;
    if (want[i] == '\0' && have[i] == '\0')
        return 1;
    if (want[i] == '\0')
        return have[i] == '-' || have[i] == '_';
    if (have[i] == '\0')
        return want[i] == '-' || want[i] == '_';
    return 0;
}
