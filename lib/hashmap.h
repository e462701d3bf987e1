/*
 * hashmap: a map from byte-string keys to a pointer-sized value, iterated in
 * insertion order.
 *
 * Approach: entries live in an array in the order they were added (so that
 * anything written from a map is deterministic without a sort) and an
 * open-addressing index of entry numbers with linear probing finds them.  The
 * hash is seeded from the key length and a per-map random seed: iteration
 * never depends on it, so output stays byte-identical across runs, while a
 * file crafted to collide cannot turn lookups quadratic.  Rejected: GLib's
 * GHashTable (a large dependency for one data structure, and its iteration
 * order is unspecified) and hsearch(3) (fixed size, one table per process).
 *
 * Keys are copied into the map.  There is no deletion: no program needs it.
 */
#ifndef ADASH_HASHMAP_H
#define ADASH_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct hashmap_entry {
	char *key;        /* NUL-terminated copy */
	size_t keylen;
	uint64_t hash;
	union {
		void *ptr;
		int64_t num;
	} val;
};

struct hashmap {
	struct hashmap_entry *entries; /* insertion order */
	size_t count, cap;
	uint32_t *index;               /* entry number + 1; 0 = empty slot */
	size_t index_size;             /* power of two */
	uint64_t seed;
};

void hashmap_init(struct hashmap *m);
/* Frees the map; free_val, when given, is called on each ptr value. */
void hashmap_free(struct hashmap *m, void (*free_val)(void *));

struct hashmap_entry *hashmap_get(const struct hashmap *m, const char *key, size_t len);
/* Finds or adds key; *added says which.  A new entry's value is zero. */
struct hashmap_entry *hashmap_put(struct hashmap *m, const char *key, size_t len, int *added);

static inline size_t hashmap_count(const struct hashmap *m) { return m->count; }
static inline struct hashmap_entry *hashmap_at(const struct hashmap *m, size_t i)
{
	return &m->entries[i];
}

#endif
