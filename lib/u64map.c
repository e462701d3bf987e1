/* u64map: see u64map.h. */
#include "u64map.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

void u64map_init(struct u64map *m)
{
	memset(m, 0, sizeof *m);
}

void u64map_free(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t find(const struct u64map *m, uint64_t stored)
{
	size_t i = (size_t)fmix64(stored) & (m->size - 1);

	while (m->keys[i] && m->keys[i] != stored)
		i = (i + 1) & (m->size - 1);
	return i;
}

uint32_t u64map_get(const struct u64map *m, uint64_t key)
{
	size_t i;

	if (m->count == 0)
		return UINT32_MAX;
	i = find(m, key + 1);
	return m->keys[i] ? m->vals[i] : UINT32_MAX;
}

static void grow(struct u64map *m)
{
	struct u64map old = *m;

	m->size = old.size ? old.size * 2 : 64;
	m->keys = xcalloc(m->size, sizeof *m->keys);
	m->vals = xcalloc(m->size, sizeof *m->vals);
	for (size_t k = 0; k < old.size; k++)
		if (old.keys[k]) {
			size_t i = find(m, old.keys[k]);

			m->keys[i] = old.keys[k];
			m->vals[i] = old.vals[k];
		}
	free(old.keys);
	free(old.vals);
}

uint32_t u64map_put(struct u64map *m, uint64_t key, uint32_t val, int *added)
{
	size_t i;

	if ((m->count + 1) * 2 > m->size)
		grow(m);
	i = find(m, key + 1);
	if (m->keys[i]) {
		*added = 0;
		return m->vals[i];
	}
	m->keys[i] = key + 1;
	m->vals[i] = val;
	m->count++;
	*added = 1;
	return val;
}
