/* cooc: see cooc.h. */
#include "cooc.h"

#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cooc_init(struct cooc *c, size_t nitems)
{
	memset(c, 0, sizeof *c);
	c->nitems = nitems;
	c->norm2 = xcalloc(nitems + 1, sizeof *c->norm2);
}

void cooc_free(struct cooc *c)
{
	free(c->norm2);
	free(c->keys);
	free(c->dots);
	free(c->start);
	free(c->nbr);
	free(c->sim);
	memset(c, 0, sizeof *c);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return x;
}

static void grow(struct cooc *c)
{
	size_t size = c->size ? c->size * 2 : 1024;
	uint64_t *keys = xcalloc(size, sizeof *keys);
	double *dots = xcalloc(size, sizeof *dots);

	for (size_t k = 0; k < c->size; k++) {
		size_t i;

		if (!c->keys[k])
			continue;
		for (i = mix(c->keys[k]) & (size - 1); keys[i]; i = (i + 1) & (size - 1))
			;
		keys[i] = c->keys[k];
		dots[i] = c->dots[k];
	}
	free(c->keys);
	free(c->dots);
	c->keys = keys;
	c->dots = dots;
	c->size = size;
}

static void add_dot(struct cooc *c, uint32_t a, uint32_t b, double v)
{
	uint64_t key = a < b ? (uint64_t)a * c->nitems + b + 1 : (uint64_t)b * c->nitems + a + 1;
	size_t i;

	if ((c->count + 1) * 2 > c->size)
		grow(c);
	for (i = mix(key) & (c->size - 1); c->keys[i] && c->keys[i] != key; i = (i + 1) & (c->size - 1))
		;
	if (!c->keys[i]) {
		c->keys[i] = key;
		c->count++;
	}
	c->dots[i] += v;
}

void cooc_add_user(struct cooc *c, const uint32_t *items, const double *eng, size_t n)
{
	for (size_t x = 0; x < n; x++) {
		c->norm2[items[x]] += eng[x] * eng[x];
		for (size_t y = x + 1; y < n; y++)
			add_dot(c, items[x], items[y], eng[x] * eng[y]);
	}
}

void cooc_finish(struct cooc *c)
{
	size_t n = c->nitems, *fill;

	c->start = xcalloc(n + 2, sizeof *c->start);
	for (size_t k = 0; k < c->size; k++)
		if (c->keys[k]) {
			uint64_t key = c->keys[k] - 1;

			c->start[key / n + 1]++;
			c->start[key % n + 1]++;
		}
	for (size_t i = 0; i < n; i++)
		c->start[i + 1] += c->start[i];
	c->nbr = xcalloc(c->start[n] + 1, sizeof *c->nbr);
	c->sim = xcalloc(c->start[n] + 1, sizeof *c->sim);
	fill = xcalloc(n + 1, sizeof *fill);
	memcpy(fill, c->start, n * sizeof *fill);
	/* neighbours in the table's order would depend on the hash; walking
	 * the keys in sorted order is not needed, because a score is a sum
	 * over neighbours and the sums are formed per user in the order the
	 * user's items are given, not the adjacency's order */
	for (size_t k = 0; k < c->size; k++)
		if (c->keys[k]) {
			uint64_t key = c->keys[k] - 1;
			uint32_t a = (uint32_t)(key / n), b = (uint32_t)(key % n);
			double s = c->dots[k] / sqrt(c->norm2[a] * c->norm2[b]);

			c->nbr[fill[a]] = b;
			c->sim[fill[a]++] = s;
			c->nbr[fill[b]] = a;
			c->sim[fill[b]++] = s;
		}
	free(fill);
	free(c->keys);
	free(c->dots);
	c->keys = NULL;
	c->dots = NULL;
	c->size = c->count = 0;
}

void cooc_scores(const struct cooc *c, const uint32_t *items, size_t n, double *score)
{
	for (size_t x = 0; x < n; x++)
		for (size_t k = c->start[items[x]]; k < c->start[items[x] + 1]; k++)
			score[c->nbr[k]] += c->sim[k];
}
