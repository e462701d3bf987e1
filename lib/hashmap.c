/* hashmap: see hashmap.h. */
#include "hashmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* A multiply-xorshift hash over 8-byte words (in the spirit of wyhash and
 * murmur's finalizer): fast on the short keys this project has (ids, column
 * names) and, seeded, not predictable from outside. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	return x;
}

static uint64_t hash_bytes(const char *s, size_t len, uint64_t seed)
{
	uint64_t h = seed ^ (len * UINT64_C(0x9e3779b97f4a7c15));
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = mix(h ^ w) + UINT64_C(0x9e3779b97f4a7c15);
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, s + i, len - i);
		h = mix(h ^ w ^ ((uint64_t)(len - i) << 56));
	}
	return mix(h);
}

void hashmap_init(struct hashmap *m)
{
	memset(m, 0, sizeof *m);
	if (getrandom(&m->seed, sizeof m->seed, GRND_NONBLOCK) != sizeof m->seed)
		m->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)m;
}

void hashmap_free(struct hashmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->entries[i].key);
		if (free_val)
			free_val(m->entries[i].val.ptr);
	}
	free(m->entries);
	free(m->index);
	memset(m, 0, sizeof *m);
}

static size_t find_slot(const struct hashmap *m, const char *key, size_t len,
			uint64_t h, int *found)
{
	size_t mask = m->index_size - 1, i = (size_t)h & mask;

	for (;;) {
		uint32_t e = m->index[i];
		if (e == 0) {
			*found = 0;
			return i;
		}
		const struct hashmap_entry *en = &m->entries[e - 1];
		if (en->hash == h && en->keylen == len && memcmp(en->key, key, len) == 0) {
			*found = 1;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static void rehash(struct hashmap *m, size_t size)
{
	free(m->index);
	m->index = xcalloc(size, sizeof *m->index);
	m->index_size = size;
	for (size_t n = 0; n < m->count; n++) {
		size_t i = (size_t)m->entries[n].hash & (size - 1);
		while (m->index[i])
			i = (i + 1) & (size - 1);
		m->index[i] = (uint32_t)(n + 1);
	}
}

struct hashmap_entry *hashmap_get(const struct hashmap *m, const char *key, size_t len)
{
	int found;
	size_t slot;

	if (m->count == 0)
		return NULL;
	slot = find_slot(m, key, len, hash_bytes(key, len, m->seed), &found);
	return found ? &m->entries[m->index[slot] - 1] : NULL;
}

struct hashmap_entry *hashmap_put(struct hashmap *m, const char *key, size_t len, int *added)
{
	uint64_t h = hash_bytes(key, len, m->seed);
	struct hashmap_entry *en;
	int found;
	size_t slot;

	if (m->count >= UINT32_MAX - 1)
		xalloc_die();
	/* keep the load factor under one half */
	if ((m->count + 1) * 2 > m->index_size)
		rehash(m, m->index_size ? m->index_size * 2 : 16);
	slot = find_slot(m, key, len, h, &found);
	if (found) {
		if (added)
			*added = 0;
		return &m->entries[m->index[slot] - 1];
	}
	m->entries = xgrow(m->entries, &m->cap, m->count + 1, sizeof *m->entries);
	en = &m->entries[m->count];
	en->key = xstrndup(key, len);
	en->keylen = len;
	en->hash = h;
	en->val.num = 0;
	m->index[slot] = (uint32_t)(++m->count);
	if (added)
		*added = 1;
	return en;
}
