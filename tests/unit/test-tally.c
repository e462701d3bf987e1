/*
 * Unit tests of lib/tally and lib/cooc: window counts against a brute-force
 * count of the same events, for windows and cut steps that share bucket
 * rings, do not divide each other, or stand alone (a single cut); the
 * window's edges ((T - W, T]: the cut counts, T - W does not); a thing
 * silent for longer than its ring; events before the grid's origin; the
 * refusal of windows that would need too many buckets; and cosine
 * similarities worked by hand.
 */
#include "cooc.h"
#include "tally.h"
#include "tap.h"
#include "xalloc.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SEC INT64_C(1000000)
#define HOUR (3600 * SEC)
#define DAY (24 * HOUR)

/* Random events on a few things, cuts on a grid, every window checked at
 * every cut against counting the events themselves. */
static int check_against_brute_force(const int64_t *win, size_t nwin, int64_t step,
				     int64_t origin, int ncuts, unsigned long seed)
{
	enum { THINGS = 5, EVENTS = 3000, NT = 2 };
	struct tally_layout l;
	struct adash_err e;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	int64_t *t = xcalloc(EVENTS, sizeof *t), span = (ncuts + 2) * (step ? step : DAY);
	int *thing = xcalloc(EVENTS, sizeof *thing), *which = xcalloc(EVENTS, sizeof *which);
	uint32_t *blocks;
	int bad = 0;
	size_t next = 0;

	gsl_rng_set(r, seed);
	if (tally_layout_init(&l, win, nwin, step, origin, NT, &e) < 0)
		return -1;
	blocks = xcalloc(THINGS * l.stride, sizeof *blocks);
	for (int k = 0; k < THINGS; k++)
		tally_block_init(&l, blocks + k * l.stride);
	/* times from 40 days before the origin on, sorted; some exactly on
	 * bucket edges (whole hours) */
	for (int i = 0; i < EVENTS; i++) {
		int64_t x = (int64_t)(gsl_rng_uniform(r) * (double)(span + 40 * DAY)) - 40 * DAY;

		t[i] = gsl_rng_uniform(r) < 0.2 ? x - x % HOUR : x;
		thing[i] = (int)gsl_rng_uniform_int(r, THINGS - 1); /* the last thing stays silent */
		which[i] = (int)gsl_rng_uniform_int(r, NT);
	}
	for (int i = 1; i < EVENTS; i++)
		for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
			int64_t tt = t[j]; int th = thing[j], w = which[j];

			t[j] = t[j - 1]; thing[j] = thing[j - 1]; which[j] = which[j - 1];
			t[j - 1] = tt; thing[j - 1] = th; which[j - 1] = w;
		}
	for (int c = 0; c < ncuts; c++) {
		int64_t cut = origin + c * step;

		while (next < EVENTS && t[next] <= cut) {
			tally_add(&l, blocks + thing[next] * l.stride, t[next], (size_t)which[next],
				  (uint32_t)(1 + which[next]));
			next++;
		}
		for (int k = 0; k < THINGS; k++)
			for (size_t w = 0; w < nwin; w++) {
				double got[NT], want[NT] = { 0, 0 };

				tally_window(&l, blocks + k * l.stride, w, cut, got);
				for (int i = 0; i < EVENTS; i++)
					if (thing[i] == k && t[i] <= cut && t[i] > cut - win[w])
						want[which[i]] += 1 + which[i];
				bad += got[0] != want[0] || got[1] != want[1];
			}
		if (!step)
			break;
	}
	tally_layout_free(&l);
	free(blocks);
	free(t);
	free(thing);
	free(which);
	gsl_rng_free(r);
	return bad;
}

static void test_windows(void)
{
	static const int64_t usual[] = { HOUR, 24 * HOUR, 7 * DAY, 30 * DAY };
	static const int64_t odd[] = { 36 * HOUR, 5 * HOUR, 90 * 60 * SEC };
	static const int64_t one[] = { 3 * DAY };
	int64_t origin = 19700 * DAY + 9 * HOUR + 30 * 60 * SEC;

	is_int(check_against_brute_force(usual, 4, DAY, 19700 * DAY, 60, 1), 0,
	       "1h, 24h, 7d, 30d with daily cuts: every count at every cut equals the brute-force count");
	is_int(check_against_brute_force(usual, 4, DAY, origin, 60, 2), 0,
	       "the same with cuts at 09:30 each day");
	is_int(check_against_brute_force(odd, 3, 6 * HOUR, origin, 100, 3), 0,
	       "windows that do not divide the step (36h, 5h, 90m every 6h)");
	is_int(check_against_brute_force(usual, 4, 7 * DAY, origin, 12, 4), 0,
	       "a weekly step");
	is_int(check_against_brute_force(usual, 4, 0, origin, 1, 5), 0,
	       "a single cut: each window one bucket");
	is_int(check_against_brute_force(one, 1, HOUR, origin, 200, 6), 0,
	       "a 3d window with hourly cuts (72 buckets)");
}

static void test_edges(void)
{
	static const int64_t win[] = { DAY };
	int64_t cut = 20000 * DAY;
	struct tally_layout l;
	struct adash_err e;
	uint32_t *b;
	double got;

	tally_layout_init(&l, win, 1, DAY, cut, 1, &e);
	b = xcalloc(l.stride, sizeof *b);
	tally_block_init(&l, b);
	tally_window(&l, b, 0, cut, &got);
	is_num(got, 0, 0, "an empty block counts 0");
	tally_add(&l, b, cut - DAY, 0, 1);
	tally_window(&l, b, 0, cut, &got);
	is_num(got, 0, 0, "an event at exactly T - W is outside (T - W, T]");
	tally_add(&l, b, cut, 0, 1);
	tally_window(&l, b, 0, cut, &got);
	is_num(got, 1, 0, "an event at exactly T is inside");
	tally_window(&l, b, 0, cut + DAY, &got);
	is_num(got, 0, 0, "a day later the window has moved past it");
	tally_window(&l, b, 0, cut + 400 * DAY, &got);
	is_num(got, 0, 0, "a thing silent for longer than its ring counts 0");
	tally_add(&l, b, cut + 400 * DAY, 0, UINT32_MAX);
	tally_add(&l, b, cut + 400 * DAY, 0, 5);
	tally_window(&l, b, 0, cut + 400 * DAY, &got);
	is_num(got, UINT32_MAX, 0, "a counter saturates instead of wrapping");
	free(b);
	tally_layout_free(&l);

	{
		static const int64_t long_win[] = { 1001 * HOUR };

		ok(tally_layout_init(&l, long_win, 1, DAY, 0, 1, &e) < 0 && e.code == 2,
		   "a window needing more than 1000 buckets is refused (exit 2): %s", e.msg);
	}
}

static void test_cooc(void)
{
	/* users' engagement: u1 {0:1, 1:2}, u2 {1:1, 2:3}, u3 {0:2, 1:1} */
	static const uint32_t u1[] = { 0, 1 }, u2[] = { 1, 2 }, u3[] = { 0, 1 };
	static const double e1[] = { 1, 2 }, e2[] = { 1, 3 }, e3[] = { 2, 1 };
	struct cooc c;
	double score[3] = { 0, 0, 0 };
	/* item vectors over (u1, u2, u3): 0 = (1,0,2), 1 = (2,1,1), 2 = (0,3,0) */
	double c01 = (1 * 2 + 2 * 1) / sqrt(5.0 * 6), c12 = 3 / sqrt(6.0 * 9);

	cooc_init(&c, 3);
	cooc_add_user(&c, u1, e1, 2);
	cooc_add_user(&c, u2, e2, 2);
	cooc_add_user(&c, u3, e3, 2);
	cooc_finish(&c);
	cooc_scores(&c, u1, 2, score);
	is_num(score[0], c01, 1e-15, "score of item 0 for a user of items 0 and 1: cos(0, 1)");
	is_num(score[1], c01, 1e-15, "score of item 1: cos(1, 0)");
	is_num(score[2], c12, 1e-15, "score of item 2: cos(2, 1) (0 and 2 never co-occur)");
	cooc_free(&c);
}

int main(void)
{
	test_windows();
	test_edges();
	test_cooc();
	return tap_done();
}
