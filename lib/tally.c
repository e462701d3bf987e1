/* tally: see tally.h. */
#include "tally.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A block's ring starts with its newest bucket number, an int64 in two
 * words; NO_BUCKET marks a ring that has seen nothing. */
#define NO_BUCKET INT64_MIN
#define HEAD_WORDS 2

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* floor(a / b) for b > 0, also for negative a (times before the origin). */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static size_t slot(int64_t bucket, size_t len)
{
	int64_t s = bucket % (int64_t)len;

	return (size_t)(s < 0 ? s + (int64_t)len : s);
}

int tally_layout_init(struct tally_layout *l, const int64_t *windows, size_t nwin,
		      int64_t step, int64_t origin, size_t ntally, struct adash_err *e)
{
	memset(l, 0, sizeof *l);
	l->nwin = nwin;
	l->win = xcalloc(nwin + 1, sizeof *l->win);
	l->win_ring = xcalloc(nwin + 1, sizeof *l->win_ring);
	l->win_buckets = xcalloc(nwin + 1, sizeof *l->win_buckets);
	l->width = xcalloc(nwin + 1, sizeof *l->width);
	l->len = xcalloc(nwin + 1, sizeof *l->len);
	l->offset = xcalloc(nwin + 1, sizeof *l->offset);
	l->origin = origin;
	l->ntally = ntally;
	for (size_t w = 0; w < nwin; w++) {
		int64_t g = step > 0 ? gcd64(windows[w], step) : windows[w];
		int64_t nb = windows[w] / g;
		size_t r;

		if (nb > TALLY_MAX_BUCKETS) {
			tally_layout_free(l);
			return err_set(e, ADASH_EUSAGE,
				       "a window of %lld s with cuts every %lld s needs %lld buckets of %lld s (at most %d): make the window a multiple of the step or of a larger part of it",
				       (long long)(windows[w] / 1000000), (long long)(step / 1000000),
				       (long long)nb, (long long)(g / 1000000), TALLY_MAX_BUCKETS);
		}
		for (r = 0; r < l->nrings && l->width[r] != g; r++)
			;
		if (r == l->nrings) {
			l->width[r] = g;
			l->nrings++;
		}
		if (l->len[r] < (size_t)nb)
			l->len[r] = (size_t)nb;
		l->win[w] = windows[w];
		l->win_ring[w] = r;
		l->win_buckets[w] = (size_t)nb;
	}
	for (size_t r = 0; r < l->nrings; r++) {
		l->offset[r] = l->stride;
		l->stride += HEAD_WORDS + l->len[r] * ntally;
	}
	return 0;
}

void tally_layout_free(struct tally_layout *l)
{
	free(l->win);
	free(l->win_ring);
	free(l->win_buckets);
	free(l->width);
	free(l->len);
	free(l->offset);
	memset(l, 0, sizeof *l);
}

static int64_t newest(const uint32_t *ring)
{
	int64_t b;

	memcpy(&b, ring, sizeof b);
	return b;
}

static void set_newest(uint32_t *ring, int64_t b)
{
	memcpy(ring, &b, sizeof b);
}

void tally_block_init(const struct tally_layout *l, uint32_t *block)
{
	memset(block, 0, l->stride * sizeof *block);
	for (size_t r = 0; r < l->nrings; r++)
		set_newest(block + l->offset[r], NO_BUCKET);
}

void tally_add(const struct tally_layout *l, uint32_t *block, int64_t t, size_t which,
	       uint32_t amount)
{
	for (size_t r = 0; r < l->nrings; r++) {
		uint32_t *ring = block + l->offset[r], *c = ring + HEAD_WORDS, *cell;
		size_t len = l->len[r], nt = l->ntally;
		int64_t b = floor_div(t - l->origin - 1, l->width[r]);
		int64_t last = newest(ring);

		if (last == NO_BUCKET || b - last >= (int64_t)len) {
			memset(c, 0, len * nt * sizeof *c);
			set_newest(ring, b);
		} else if (b > last) {
			for (int64_t x = last + 1; x <= b; x++)
				memset(c + slot(x, len) * nt, 0, nt * sizeof *c);
			set_newest(ring, b);
		} else if (last - b >= (int64_t)len) {
			continue; /* older than the ring: no cut to come can see it */
		}
		cell = c + slot(b, len) * nt + which;
		*cell = *cell > UINT32_MAX - amount ? UINT32_MAX : *cell + amount;
	}
}

void tally_window(const struct tally_layout *l, const uint32_t *block, size_t w, int64_t cut,
		  double *out)
{
	size_t r = l->win_ring[w], len = l->len[r], nt = l->ntally;
	const uint32_t *ring = block + l->offset[r], *c = ring + HEAD_WORDS;
	int64_t last = newest(ring);
	int64_t m = floor_div(cut - l->origin, l->width[r]);
	int64_t lo = m - (int64_t)l->win_buckets[w], hi = m - 1;

	for (size_t k = 0; k < nt; k++)
		out[k] = 0;
	if (last == NO_BUCKET)
		return;
	if (lo < last - (int64_t)len + 1)
		lo = last - (int64_t)len + 1;
	if (hi > last)
		hi = last;
	for (int64_t b = lo; b <= hi; b++) {
		const uint32_t *cell = c + slot(b, len) * nt;

		for (size_t k = 0; k < nt; k++)
			out[k] += cell[k];
	}
}
