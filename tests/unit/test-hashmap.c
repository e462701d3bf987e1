/*
 * Unit tests of lib/hashmap: put/get, values, insertion order, growth,
 * binary keys and keys that are prefixes of each other.
 */
#include "hashmap.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int freed;

static void count_free(void *p)
{
	freed++;
	free(p);
}

static void test_basic(void)
{
	struct hashmap m;
	struct hashmap_entry *en, *again;
	char key[8] = "alpha";
	int added = -1;

	hashmap_init(&m);
	is_int(hashmap_count(&m), 0, "a new map is empty");
	ok(hashmap_get(&m, "x", 1) == NULL, "get on an empty map is NULL");
	ok(hashmap_get(&m, "", 0) == NULL, "get of the empty key on an empty map is NULL");

	en = hashmap_put(&m, key, 5, &added);
	ok(en != NULL && added == 1, "put adds a new key");
	is_int(en->val.num, 0, "a new entry's value is zero");
	ok(en->val.ptr == NULL, "a new entry's pointer is NULL");
	is_str(en->key, "alpha", "the entry holds the key");
	is_int(en->keylen, 5, "the entry holds the key length");
	ok(en->key != key, "the key is copied");
	en->val.num = 17;

	key[0] = 'X';   /* changing the caller's buffer must not change the map */
	again = hashmap_put(&m, "alpha", 5, &added);
	ok(added == 0, "putting an existing key does not add");
	is_int(again->val.num, 17, "putting an existing key returns its entry with its value");
	is_int(hashmap_count(&m), 1, "count stays 1");
	ok(hashmap_get(&m, "Xlpha", 5) == NULL, "the map did not see the caller's later change");
	en = hashmap_get(&m, "alpha", 5);
	ok(en != NULL && en->val.num == 17, "get finds the key and its value");
	ok(hashmap_get(&m, "alph", 4) == NULL, "a prefix is a different key");
	ok(hashmap_get(&m, "alphab", 6) == NULL, "a longer key is a different key");
	ok(hashmap_get(&m, "ALPHA", 5) == NULL, "keys are case-sensitive");

	en = hashmap_put(&m, "beta", 4, NULL);
	ok(en != NULL && hashmap_count(&m) == 2, "put with a NULL added pointer");
	en->val.num = -5;
	en = hashmap_put(&m, "", 0, &added);
	ok(added == 1 && en->keylen == 0 && en->key[0] == '\0', "the empty key is a key");
	ok(hashmap_get(&m, "", 0) == en || hashmap_get(&m, "", 0) == hashmap_at(&m, 2),
	   "the empty key is found");
	is_int(hashmap_get(&m, "beta", 4)->val.num, -5, "negative values");
	is_str(hashmap_at(&m, 0)->key, "alpha", "hashmap_at(0) is the first key");
	is_str(hashmap_at(&m, 1)->key, "beta", "hashmap_at(1) is the second key");
	hashmap_free(&m, NULL);
	is_int(hashmap_count(&m), 0, "a freed map is empty");
	ok(hashmap_get(&m, "alpha", 5) == NULL, "get on a freed map is NULL");

	/* a freed map can be used again */
	hashmap_init(&m);
	hashmap_put(&m, "again", 5, &added);
	ok(added == 1 && hashmap_get(&m, "again", 5) != NULL, "a map can be reused after free");
	hashmap_free(&m, NULL);
}

static void test_order(void)
{
	struct hashmap a, b;
	char k[32];
	int bad = 0, same = 1;

	hashmap_init(&a);
	hashmap_init(&b);
	/* a scrambled insertion order: i*7919 mod 1000 */
	for (int i = 0; i < 1000; i++) {
		int n = (i * 7919) % 1000;
		int len = snprintf(k, sizeof k, "k%d", n);
		hashmap_put(&a, k, (size_t)len, NULL)->val.num = n;
		hashmap_put(&b, k, (size_t)len, NULL)->val.num = n;
	}
	/* re-putting existing keys does not move them */
	for (int n = 0; n < 1000; n += 3) {
		int len = snprintf(k, sizeof k, "k%d", n);
		hashmap_put(&a, k, (size_t)len, NULL);
	}
	for (int i = 0; i < 1000; i++) {
		int n = (i * 7919) % 1000;
		snprintf(k, sizeof k, "k%d", n);
		if (strcmp(hashmap_at(&a, (size_t)i)->key, k) != 0 || hashmap_at(&a, (size_t)i)->val.num != n)
			bad++;
		if (strcmp(hashmap_at(&a, (size_t)i)->key, hashmap_at(&b, (size_t)i)->key) != 0)
			same = 0;
	}
	is_int(bad, 0, "iteration is in insertion order");
	ok(same, "two maps (different random seeds) iterate identically");
	is_int(hashmap_count(&a), 1000, "1000 distinct keys");
	hashmap_free(&a, NULL);
	hashmap_free(&b, NULL);
}

static void test_growth(void)
{
	struct hashmap m;
	char k[32];
	int bad_get = 0, bad_order = 0, added_wrong = 0, n = 100000;

	hashmap_init(&m);
	for (int i = 0; i < n; i++) {
		int added, len = snprintf(k, sizeof k, "key-%d", i);
		struct hashmap_entry *en = hashmap_put(&m, k, (size_t)len, &added);
		if (!added)
			added_wrong++;
		en->val.num = (int64_t)i * 3;
	}
	is_int(added_wrong, 0, "100000 distinct keys are each added");
	is_int(hashmap_count(&m), n, "count is 100000");
	for (int i = 0; i < n; i++) {
		int len = snprintf(k, sizeof k, "key-%d", i);
		struct hashmap_entry *en = hashmap_get(&m, k, (size_t)len);
		if (!en || en->val.num != (int64_t)i * 3 || en->keylen != (size_t)len)
			bad_get++;
		if (strcmp(hashmap_at(&m, (size_t)i)->key, k) != 0)
			bad_order++;
	}
	is_int(bad_get, 0, "every one of 100000 keys is found with its value");
	is_int(bad_order, 0, "100000 keys iterate in insertion order");
	ok(hashmap_get(&m, "key-100000", 10) == NULL, "an absent key is not found");
	ok(hashmap_get(&m, "key-", 4) == NULL, "a common prefix is not found");
	ok(hashmap_get(&m, "key-1", 4) == NULL, "a key cut short is not found");
	{
		int added;
		hashmap_put(&m, "key-99999", 9, &added);
		ok(added == 0 && hashmap_count(&m) == (size_t)n, "re-putting after growth finds the key");
	}
	ok(m.index_size >= 2 * m.count, "the index stays at most half full");
	hashmap_free(&m, NULL);
}

static void test_binary_keys(void)
{
	static const struct {
		const char *k;
		size_t n;
	} keys[] = {
		{ "a\0b", 3 }, { "a\0c", 3 }, { "a", 1 }, { "a\0", 2 }, { "\0", 1 },
		{ "", 0 }, { "\0\0", 2 }, { "\0\0\0\0\0\0\0\0", 8 }, { "\0\0\0\0\0\0\0\0\0", 9 },
		{ "\xFF\xFE", 2 }, { "abcdefgh\0", 9 }, { "abcdefgh", 8 },
	};
	size_t nk = sizeof keys / sizeof *keys;
	struct hashmap m;
	int bad = 0;

	hashmap_init(&m);
	for (size_t i = 0; i < nk; i++) {
		int added;
		struct hashmap_entry *en = hashmap_put(&m, keys[i].k, keys[i].n, &added);
		if (!added)
			bad++;
		en->val.num = (int64_t)i + 100;
	}
	is_int(bad, 0, "keys with NUL bytes are all distinct");
	is_int(hashmap_count(&m), nk, "count of binary keys");
	bad = 0;
	for (size_t i = 0; i < nk; i++) {
		struct hashmap_entry *en = hashmap_get(&m, keys[i].k, keys[i].n);
		if (!en || en->val.num != (int64_t)i + 100 || en->keylen != keys[i].n ||
		    memcmp(en->key, keys[i].k, keys[i].n) != 0 || en->key[keys[i].n] != '\0') {
			bad++;
			printf("# binary key %zu not found intact\n", i);
		}
	}
	is_int(bad, 0, "every binary key is found, copied in full and NUL-terminated");
	ok(hashmap_get(&m, "a\0d", 3) == NULL, "a\\0d is not a\\0b");
	ok(hashmap_get(&m, "\0\0\0", 3) == NULL, "three NULs are not two or eight");
	hashmap_free(&m, NULL);
}

static void test_lengths(void)
{
	static const char text[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct hashmap m;
	int bad = 0;
	size_t n = sizeof text - 1;

	hashmap_init(&m);
	/* the same bytes with every length: each prefix is its own key */
	for (size_t len = 0; len <= n; len++) {
		int added;
		hashmap_put(&m, text, len, &added)->val.num = (int64_t)len;
		if (!added)
			bad++;
	}
	is_int(bad, 0, "every prefix length of one text is a new key");
	is_int(hashmap_count(&m), n + 1, "count of prefixes");
	bad = 0;
	for (size_t len = 0; len <= n; len++) {
		struct hashmap_entry *en = hashmap_get(&m, text, len);
		if (!en || en->val.num != (int64_t)len || en->keylen != len)
			bad++;
	}
	is_int(bad, 0, "each prefix finds its own entry (lengths 0..36, across 8-byte words)");
	/* keys that differ only in the last byte of a word or a tail */
	{
		const char *k1 = "12345678", *k2 = "12345679";
		const char *k3 = "1234567812345678x", *k4 = "1234567812345678y";
		hashmap_put(&m, k1, 8, NULL)->val.num = 1001;
		hashmap_put(&m, k2, 8, NULL)->val.num = 1002;
		hashmap_put(&m, k3, 17, NULL)->val.num = 1003;
		hashmap_put(&m, k4, 17, NULL)->val.num = 1004;
		ok(hashmap_get(&m, k1, 8)->val.num == 1001 && hashmap_get(&m, k2, 8)->val.num == 1002 &&
		   hashmap_get(&m, k3, 17)->val.num == 1003 && hashmap_get(&m, k4, 17)->val.num == 1004,
		   "keys differing in the last byte of a word or tail");
	}
	hashmap_free(&m, NULL);
}

static void test_free_val(void)
{
	struct hashmap m;
	char k[16];

	hashmap_init(&m);
	for (int i = 0; i < 50; i++) {
		int len = snprintf(k, sizeof k, "p%d", i);
		hashmap_put(&m, k, (size_t)len, NULL)->val.ptr = malloc(10);
	}
	freed = 0;
	hashmap_free(&m, count_free);
	is_int(freed, 50, "hashmap_free calls free_val on each value");
}

int main(void)
{
	test_basic();
	test_order();
	test_growth();
	test_binary_keys();
	test_lengths();
	test_free_val();
	return tap_done();
}
