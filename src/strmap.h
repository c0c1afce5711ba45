/*
 * strmap.h — a hash table from strings to values, open addressing with linear
 * probing, the first key put winning.  Why one of our own: the plan model
 * (plan.c) and the plan rules (planrules/) each index agencies, documents and
 * catalogue names by id and by normalised name, and libxml2's xmlHashTable
 * copies keys and has no "first wins" insert.  Keys are borrowed (they must
 * outlive the map); values are opaque pointers (an index may be stored as
 * (void *)(uintptr_t)i).  Cost: O(1) expected per operation, the table kept at
 * most half full; no global state.
 */
#ifndef SD_STRMAP_H
#define SD_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sd_strmap {
    const char **keys;
    void **vals;
    size_t cap, count; /* cap: 0 or a power of two */
} sd_strmap;           /* zero-initialised is an empty map */

/* FNV-1a over n bytes (also what callers use for keys of their own kind). */
uint64_t sd_hash_bytes(const void *p, size_t n);
/* The slot holding key, or -1 (key NULL too); m->vals[slot] is its value. */
long sd_strmap_find(const sd_strmap *m, const char *key);
/* key's value, or NULL when absent. */
void *sd_strmap_get(const sd_strmap *m, const char *key);
/* Adds key -> val unless key is there already (the first one wins).
 * 1 added, 0 already present, -1 out of memory (m unchanged). */
int sd_strmap_put(sd_strmap *m, const char *key, void *val);
void sd_strmap_free(sd_strmap *m); /* back to empty */

#endif
