/*
 * strmap.c — the string hash table of strmap.h: open addressing, linear
 * probing, grown by doubling when more than half full.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t sd_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static size_t slot_of(const char *key, size_t cap)
{
    return (size_t)sd_hash_bytes(key, strlen(key)) & (cap - 1);
}

static int grow(sd_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    const char **keys = calloc(cap, sizeof *keys);
    void **vals = calloc(cap, sizeof *vals);
    if (keys == NULL || vals == NULL) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == NULL)
            continue;
        size_t j = slot_of(m->keys[i], cap);
        while (keys[j] != NULL)
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

long sd_strmap_find(const sd_strmap *m, const char *key)
{
    if (m->cap == 0 || key == NULL)
        return -1;
    for (size_t j = slot_of(key, m->cap); m->keys[j] != NULL; j = (j + 1) & (m->cap - 1))
        if (strcmp(m->keys[j], key) == 0)
            return (long)j;
    return -1;
}

void *sd_strmap_get(const sd_strmap *m, const char *key)
{
    long j = sd_strmap_find(m, key);
    return j < 0 ? NULL : m->vals[j];
}

int sd_strmap_put(sd_strmap *m, const char *key, void *val)
{
    if (key == NULL || sd_strmap_find(m, key) >= 0)
        return 0;
    if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    size_t j = slot_of(key, m->cap);
    while (m->keys[j] != NULL)
        j = (j + 1) & (m->cap - 1);
    m->keys[j] = key;
    m->vals[j] = val;
    m->count++;
    return 1;
}

void sd_strmap_free(sd_strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
