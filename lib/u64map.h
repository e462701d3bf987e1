/*
 * u64map: a map from 64-bit integer keys to 32-bit values, for keys the
 * program makes itself (a pair of ids packed in one word), where the
 * string-keyed hashmap would copy and compare bytes for nothing.
 *
 * Open addressing with linear probing over a power-of-two table kept at
 * most half full; the hash is a fixed 64-bit finalizer (MurmurHash3's
 * fmix64): the keys are small numbers the program hands out, not text from
 * the input, so no per-run seed is needed against crafted collisions.
 * There is no deletion.
 */
#ifndef ADASH_U64MAP_H
#define ADASH_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *keys;     /* key + 1; 0 marks an empty slot */
	uint32_t *vals;
	size_t size, count;
};

void u64map_init(struct u64map *m);
void u64map_free(struct u64map *m);
/* The value of key, or UINT32_MAX when absent. */
uint32_t u64map_get(const struct u64map *m, uint64_t key);
/* The value of key, adding it with value `val` when absent (*added says
 * which).  key must be below UINT64_MAX. */
uint32_t u64map_put(struct u64map *m, uint64_t key, uint32_t val, int *added);

#endif
