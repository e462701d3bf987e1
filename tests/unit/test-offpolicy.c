/*
 * Unit tests of lib/offpolicy: IPS, SNIPS, the effective sample size and
 * the logged mean reward on a four-row log worked by hand; no match and no
 * rows; the bootstrap: the same seed gives the same interval, another seed
 * another, the interval contains the estimate and narrows with more rows,
 * and a log whose rows are all alike gives an interval of one point.
 */
#include "offpolicy.h"
#include "rng.h"
#include "tap.h"

#include <math.h>

static void test_by_hand(void)
{
	/* propensity, does the new layout take the logged action, reward:
	 *   0.5   yes  1     w = 2
	 *   0.25  yes  0     w = 4
	 *   0.8   no   1     w = 0
	 *   0.1   yes  1     w = 10
	 * sum w = 16, sum w r = 12, sum w^2 = 4 + 16 + 0 + 100 = 120 */
	static const double p[] = { 0.5, 0.25, 0.8, 0.1 }, r[] = { 1, 0, 1, 1 };
	static const int match[] = { 1, 1, 0, 1 };
	struct ips m;

	ips_init(&m);
	for (int i = 0; i < 4; i++)
		ips_add(&m, match[i] ? 1 / p[i] : 0, r[i]);
	is_int(m.n, 4, "four logged rows");
	is_int(m.matched, 3, "three matched");
	is_num(ips_estimate(&m), 12.0 / 4, 1e-15, "IPS = sum w r / n = 12 / 4 = 3");
	is_num(ips_snips(&m), 12.0 / 16, 1e-15, "SNIPS = sum w r / sum w = 12 / 16 = 0.75");
	is_num(ips_ess(&m), 256.0 / 120, 1e-14, "ESS = 16^2 / 120 = 2.133");
	is_num(ips_logged(&m), 0.75, 1e-15, "the logged mean reward = 3/4");
	ips_free(&m);
}

static void test_edges(void)
{
	struct ips m;
	struct ips_interval ci;
	struct rng g;

	ips_init(&m);
	ok(isnan(ips_estimate(&m)) && isnan(ips_snips(&m)) && isnan(ips_ess(&m)) &&
	   isnan(ips_logged(&m)), "no rows: everything NaN");
	rng_init(&g, 1);
	ips_bootstrap(&m, 100, 0.95, g.r, &ci);
	ok(isnan(ci.ips_lo) && isnan(ci.ips_hi) && isnan(ci.snips_lo) && isnan(ci.snips_hi),
	   "no rows: no interval");

	ips_add(&m, 0, 1);
	ips_add(&m, 0, 0);
	is_num(ips_estimate(&m), 0, 0, "no match: IPS 0");
	ok(isnan(ips_snips(&m)), "no match: SNIPS NaN (0/0)");
	is_num(ips_ess(&m), 0, 0, "no match: ESS 0");
	ips_bootstrap(&m, 100, 0.95, g.r, &ci);
	ok(ci.ips_lo == 0 && ci.ips_hi == 0, "no match: the IPS interval is [0, 0]");
	ok(isnan(ci.snips_lo) && isnan(ci.snips_hi), "no match: no SNIPS interval");
	ips_free(&m);

	/* equal weights: ESS = n, SNIPS = the mean reward of the rows */
	ips_init(&m);
	for (int i = 0; i < 5; i++)
		ips_add(&m, 2, i);
	is_num(ips_ess(&m), 5, 1e-14, "equal weights: ESS = n");
	is_num(ips_snips(&m), 2, 1e-15, "equal weights: SNIPS = mean reward");
	is_num(ips_estimate(&m), 4, 1e-15, "and IPS = weight * mean reward");
	ips_free(&m);

	/* every row alike: the interval is the point */
	ips_init(&m);
	for (int i = 0; i < 10; i++)
		ips_add(&m, 4, 0.5);
	ips_bootstrap(&m, 50, 0.9, g.r, &ci);
	ok(ci.ips_lo == 2 && ci.ips_hi == 2 && ci.snips_lo == 0.5 && ci.snips_hi == 0.5,
	   "identical rows: intervals of one point");
	ips_free(&m);
	rng_free(&g);
}

/* A log of n rows: propensities in (0.1, 1), a match half of the time,
 * rewards 0/1, from stream 99 of seed 3. */
static void make_log(struct ips *m, size_t n)
{
	struct rng g;

	rng_init(&g, 3);
	rng_reseed(&g, 3, 99);
	ips_init(m);
	for (size_t i = 0; i < n; i++) {
		double p = 0.1 + 0.9 * gsl_rng_uniform(g.r);
		int match = gsl_rng_uniform(g.r) < 0.5;
		double r = gsl_rng_uniform(g.r) < 0.3;

		ips_add(m, match ? 1 / p : 0, r);
	}
	rng_free(&g);
}

static void test_bootstrap(void)
{
	struct ips m, big;
	struct ips_interval a, b, c, d;
	struct rng g;

	make_log(&m, 200);
	rng_init(&g, 7);
	ips_bootstrap(&m, 500, 0.95, g.r, &a);
	rng_free(&g);
	rng_init(&g, 7);
	ips_bootstrap(&m, 500, 0.95, g.r, &b);
	ok(a.ips_lo == b.ips_lo && a.ips_hi == b.ips_hi && a.snips_lo == b.snips_lo &&
	   a.snips_hi == b.snips_hi, "the same seed gives the same interval, bit for bit");
	rng_free(&g);
	rng_init(&g, 8);
	ips_bootstrap(&m, 500, 0.95, g.r, &c);
	ok(a.ips_lo != c.ips_lo || a.ips_hi != c.ips_hi, "another seed, another interval");
	ok(a.ips_lo < ips_estimate(&m) && ips_estimate(&m) < a.ips_hi,
	   "the IPS interval contains the estimate (%g < %g < %g)", a.ips_lo, ips_estimate(&m), a.ips_hi);
	ok(a.snips_lo < ips_snips(&m) && ips_snips(&m) < a.snips_hi,
	   "the SNIPS interval contains the estimate (%g < %g < %g)", a.snips_lo, ips_snips(&m), a.snips_hi);
	ok(a.snips_hi - a.snips_lo < a.ips_hi - a.ips_lo,
	   "SNIPS varies less than IPS under large weights");
	rng_free(&g);

	/* level: a 50% interval inside the 95% one */
	rng_init(&g, 7);
	ips_bootstrap(&m, 500, 0.5, g.r, &d);
	ok(a.ips_lo <= d.ips_lo && d.ips_hi <= a.ips_hi, "the 50%% interval lies inside the 95%% one");
	rng_free(&g);

	/* more rows: a narrower interval */
	make_log(&big, 5000);
	rng_init(&g, 7);
	ips_bootstrap(&big, 500, 0.95, g.r, &d);
	ok(d.ips_hi - d.ips_lo < (a.ips_hi - a.ips_lo) / 2,
	   "25 times the rows: an interval less than half as wide");
	rng_free(&g);
	ips_free(&m);
	ips_free(&big);
}

int main(void)
{
	test_by_hand();
	test_edges();
	test_bootstrap();
	return tap_done();
}
