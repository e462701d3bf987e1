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
	c->norm2_cap = nitems + 1;
	u64map_init(&c->index);
}

void cooc_free(struct cooc *c)
{
	free(c->norm2);
	u64map_free(&c->index);
	free(c->pairs);
	free(c->dots);
	free(c->start);
	free(c->nbr);
	free(c->sim);
	memset(c, 0, sizeof *c);
}

void cooc_reserve(struct cooc *c, size_t nitems)
{
	if (nitems <= c->nitems)
		return;
	c->norm2 = xgrow(c->norm2, &c->norm2_cap, nitems + 1, sizeof *c->norm2);
	memset(c->norm2 + c->nitems, 0, (nitems + 1 - c->nitems) * sizeof *c->norm2);
	c->nitems = nitems;
}

void cooc_add_norm(struct cooc *c, uint32_t i, double v)
{
	cooc_reserve(c, (size_t)i + 1);
	c->norm2[i] += v;
}

void cooc_add_dot(struct cooc *c, uint32_t a, uint32_t b, double v)
{
	uint64_t key = a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
	int added;
	uint32_t k = u64map_put(&c->index, key, (uint32_t)c->npairs, &added);

	if (added) {
		c->pairs = xgrow(c->pairs, &c->pairs_cap, c->npairs + 1, sizeof *c->pairs);
		c->dots = xgrow(c->dots, &c->dots_cap, c->npairs + 1, sizeof *c->dots);
		c->pairs[c->npairs] = key;
		c->dots[c->npairs++] = 0;
	}
	c->dots[k] += v;
}

void cooc_add_user(struct cooc *c, const uint32_t *items, const double *eng, size_t n)
{
	for (size_t x = 0; x < n; x++) {
		cooc_add_norm(c, items[x], eng[x] * eng[x]);
		for (size_t y = x + 1; y < n; y++)
			cooc_add_dot(c, items[x], items[y], eng[x] * eng[y]);
	}
}

void cooc_finish(struct cooc *c)
{
	size_t n = c->nitems, *fill;

	c->start = xcalloc(n + 2, sizeof *c->start);
	for (size_t k = 0; k < c->npairs; k++) {
		c->start[(c->pairs[k] >> 32) + 1]++;
		c->start[(c->pairs[k] & UINT32_MAX) + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		c->start[i + 1] += c->start[i];
	c->nbr = xcalloc(c->start[n] + 1, sizeof *c->nbr);
	c->sim = xcalloc(c->start[n] + 1, sizeof *c->sim);
	fill = xcalloc(n + 1, sizeof *fill);
	memcpy(fill, c->start, n * sizeof *fill);
	for (size_t k = 0; k < c->npairs; k++) {
		uint32_t a = (uint32_t)(c->pairs[k] >> 32), b = (uint32_t)(c->pairs[k] & UINT32_MAX);
		double s = c->dots[k] / sqrt(c->norm2[a] * c->norm2[b]);

		c->nbr[fill[a]] = b;
		c->sim[fill[a]++] = s;
		c->nbr[fill[b]] = a;
		c->sim[fill[b]++] = s;
	}
	free(fill);
	u64map_free(&c->index);
	free(c->pairs);
	free(c->dots);
	c->pairs = NULL;
	c->dots = NULL;
	c->npairs = c->pairs_cap = c->dots_cap = 0;
}

void cooc_scores(const struct cooc *c, const uint32_t *items, size_t n, double *score)
{
	for (size_t x = 0; x < n; x++) {
		if (items[x] >= c->nitems)
			continue;
		for (size_t k = c->start[items[x]]; k < c->start[items[x] + 1]; k++)
			score[c->nbr[k]] += c->sim[k];
	}
}
