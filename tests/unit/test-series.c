/*
 * Unit tests of lib/series: lags by calendar day (a missing day never
 * shifts a lag), past-only rolling windows, decayed means, gaps under each
 * fill mode, the warm-up flag, state copies, calendar features and the
 * row transforms.
 *
 * Two kinds of check: small series computed by hand, and long random
 * series (gaps, missing values, long holes) compared at every row with a
 * direct computation from the whole history: the value of day u under a
 * fill mode, then the lag, the window statistic, or the decayed mean
 * sum(0.5^((t-1-u)/H) v_u) / sum(0.5^((t-1-u)/H)) over the days u before
 * the row's day t that hold a value.
 */
#include "featspec.h"
#include "series.h"
#include "tap.h"
#include "timeutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D0 INT64_C(19723)   /* 2024-01-01, a Monday */

/* ---- plans from feature names -------------------------------------------- */

static void plan_from(struct series_plan *p, const char *const *names, size_t n)
{
	struct featspec *f = calloc(n ? n : 1, sizeof *f);
	struct adash_err e;

	for (size_t i = 0; i < n; i++)
		if (featspec_parse(names[i], NULL, 0, &f[i], &e) < 0) {
			printf("# Bail out! %s: %s\n", names[i], e.msg);
			exit(1);
		}
	series_plan_init(p, f, n);
	free(f);
}

/* Index of feature name in the plan. */
static size_t feat(const struct series_plan *p, const char *name)
{
	for (size_t i = 0; i < p->nfeats; i++)
		if (strcmp(p->feats[i].name, name) == 0)
			return i;
	printf("# Bail out! no feature %s\n", name);
	exit(1);
}

/* is_num that also accepts NaN == NaN (missing). */
#define is_val(got, want, ...) do { \
	double v_g = (got), v_w = (want); \
	int v_p = (isnan(v_g) && isnan(v_w)) || \
		  (!isnan(v_g) && !isnan(v_w) && fabs(v_g - v_w) <= 1e-9 * (1 + fabs(v_w))); \
	tap_result(v_p, __FILE__, __LINE__, __VA_ARGS__); \
	if (!v_p) printf("#   got:  %.17g\n#   want: %.17g\n", v_g, v_w); \
} while (0)

/* ---- a hand-computed series ------------------------------------------------ */

/*
 * Days (from 2024-01-01 = d0):
 *   d0 = 1, d1 = 2, d2 absent, d3 = 4, d4 present with no value, d5 = 6
 */
static const int64_t hand_days[] = { 0, 1, 3, 4, 5 };
static const double hand_vals[] = { 1, 2, 4, NAN, 6 };

static void test_hand_fill(int fill)
{
	static const char *const base[] = { "v_lag_1", "v_lag_2", "v_lag_3", "v_lag_6", "v_lag_7",
					    "v_rmean_3", "v_rstd_3", "v_rmin_3", "v_rmax_3",
					    "v_rsum_3", "v_rmean_5" };
	const char *fn = fill == FILL_NONE ? "none" : fill_name(fill);
	char names[11][64];
	const char *np[11];
	struct series_plan p;
	struct series_state s;
	double out[11], row[1];
	const double N = NAN;
	/* per fill: the value of d2 (absent) and d4 (no value) */
	const double g2 = fill == FILL_ZERO ? 0 : fill == FILL_FFILL ? 2 : N;
	const double g4 = fill == FILL_ZERO ? 0 : fill == FILL_FFILL ? 4 : N;

	for (int i = 0; i < 11; i++) {
		snprintf(names[i], sizeof names[i], "%s%s%s", base[i],
			 fill == FILL_NONE ? "" : "_", fill == FILL_NONE ? "" : fill_name(fill));
		np[i] = names[i];
	}
	plan_from(&p, np, 11);
	is_int(p.lookback, 7, "fill %s: lookback is the longest lag", fn);
	is_int(p.nslots, 1, "fill %s: one ring slot shared by lags and windows", fn);
	series_state_init(&s, &p);

	/* before anything: all missing, not warm */
	row[0] = 1;
	series_compute(&s, &p, D0, row, out);
	for (int i = 0; i < 11; i++)
		is_val(out[i], N, "fill %s: %s missing before any history", fn, np[i]);
	ok(!series_warm(&s, &p, D0), "fill %s: first day not warm", fn);

	for (size_t k = 0; k < 5; k++) {
		int64_t d = D0 + hand_days[k];

		row[0] = hand_vals[k];
		series_compute(&s, &p, d, row, out);
		switch (hand_days[k]) {
		case 1:
			is_val(out[0], 1, "fill %s: d1 lag_1 = d0", fn);
			is_val(out[1], N, "fill %s: d1 lag_2 before the start", fn);
			is_val(out[5], N, "fill %s: d1 rmean_3 before full window", fn);
			break;
		case 3:
			is_val(out[0], g2, "fill %s: d3 lag_1 = the gap day d2", fn);
			is_val(out[1], 2, "fill %s: d3 lag_2 = d1 (not shifted)", fn);
			is_val(out[2], 1, "fill %s: d3 lag_3 = d0", fn);
			{
				/* window d0..d2 */
				double w[3] = { 1, 2, g2 };
				double m = isnan(g2) ? 1.5 : (3 + g2) / 3;
				double sd = isnan(g2) ? sqrt(0.5) :
					sqrt(((w[0] - m) * (w[0] - m) + (w[1] - m) * (w[1] - m) +
					      (w[2] - m) * (w[2] - m)) / 2);

				is_val(out[5], m, "fill %s: d3 rmean_3 over d0..d2", fn);
				is_val(out[6], sd, "fill %s: d3 rstd_3 over d0..d2", fn);
				is_val(out[7], isnan(g2) ? 1 : fmin(1, g2), "fill %s: d3 rmin_3", fn);
				is_val(out[8], 2, "fill %s: d3 rmax_3", fn);
				is_val(out[9], isnan(g2) ? 3 : 3 + g2, "fill %s: d3 rsum_3", fn);
			}
			ok(series_warm(&s, &p, d) == 0, "fill %s: d3 not warm (lookback 7)", fn);
			break;
		case 4:
			is_val(out[0], 4, "fill %s: d4 lag_1 = d3", fn);
			is_val(out[1], g2, "fill %s: d4 lag_2 = d2", fn);
			is_val(out[2], 2, "fill %s: d4 lag_3 = d1", fn);
			break;
		case 5: {
			/* window d2..d4 */
			double w[3] = { g2, 4, g4 };
			double sum = 0, cnt = 0, mn = INFINITY, mx = -INFINITY, m, ss = 0;

			is_val(out[0], g4, "fill %s: d5 lag_1 = d4, a day without a value", fn);
			is_val(out[1], 4, "fill %s: d5 lag_2 = d3", fn);
			is_val(out[2], g2, "fill %s: d5 lag_3 = d2, the absent day", fn);
			for (int i = 0; i < 3; i++)
				if (!isnan(w[i])) {
					sum += w[i];
					cnt++;
					mn = fmin(mn, w[i]);
					mx = fmax(mx, w[i]);
				}
			m = sum / cnt;
			for (int i = 0; i < 3; i++)
				if (!isnan(w[i]))
					ss += (w[i] - m) * (w[i] - m);
			is_val(out[5], m, "fill %s: d5 rmean_3 over d2..d4", fn);
			is_val(out[6], cnt >= 2 ? sqrt(ss / (cnt - 1)) : N,
			       "fill %s: d5 rstd_3 (one value under none: missing)", fn);
			is_val(out[7], mn, "fill %s: d5 rmin_3", fn);
			is_val(out[8], mx, "fill %s: d5 rmax_3", fn);
			is_val(out[9], sum, "fill %s: d5 rsum_3", fn);
			{
				/* rmean_5: d0..d4 */
				double v5[5] = { 1, 2, g2, 4, g4 }, s5 = 0, c5 = 0;

				for (int i = 0; i < 5; i++)
					if (!isnan(v5[i])) {
						s5 += v5[i];
						c5++;
					}
				is_val(out[10], s5 / c5, "fill %s: d5 rmean_5 over d0..d4", fn);
			}
			break;
		}
		default:
			break;
		}
		series_push(&s, &p, d, row);
	}
	/* d6 after d5 */
	row[0] = NAN;
	series_compute(&s, &p, D0 + 6, row, out);
	is_val(out[0], 6, "fill %s: d6 lag_1 = d5", fn);
	is_val(out[3], 1, "fill %s: d6 lag_6 = d0", fn);
	is_val(out[4], N, "fill %s: d6 lag_7 before the start", fn);
	ok(!series_warm(&s, &p, D0 + 6), "fill %s: d6 not warm", fn);
	ok(series_warm(&s, &p, D0 + 7), "fill %s: d7 warm (7 days of look-back)", fn);

	/* a hole longer than the ring: d5 is the last push, the row is on d100 */
	row[0] = 5;
	series_compute(&s, &p, D0 + 100, row, out);
	{
		double g = fill == FILL_ZERO ? 0 : fill == FILL_FFILL ? 6 : N;

		is_val(out[0], g, "fill %s: d100 lag_1 across a long hole", fn);
		is_val(out[4], g, "fill %s: d100 lag_7 across a long hole", fn);
		is_val(out[5], g, "fill %s: d100 rmean_3 across a long hole", fn);
		is_val(out[9], fill == FILL_NONE ? N : 3 * g, "fill %s: d100 rsum_3 across a long hole", fn);
	}
	series_push(&s, &p, D0 + 100, row);
	row[0] = 1;
	series_compute(&s, &p, D0 + 101, row, out);
	{
		double g = fill == FILL_ZERO ? 0 : fill == FILL_FFILL ? 6 : N;

		is_val(out[0], 5, "fill %s: d101 lag_1 = d100", fn);
		is_val(out[1], g, "fill %s: d101 lag_2 = a day in the hole (ring refilled)", fn);
		is_val(out[4], g, "fill %s: d101 lag_7 = a day in the hole", fn);
		is_val(out[5], fill == FILL_NONE ? 5 : (5 + 2 * g) / 3, "fill %s: d101 rmean_3", fn);
	}
	series_state_free(&s);
	series_plan_free(&p);
}

/* A lag-only plan with a ring of one day. */
static void test_ring_of_one(void)
{
	static const char *const names[] = { "v_lag_1", "v_lag_1_ffill" };
	struct series_plan p;
	struct series_state s;
	double row[1], out[2];

	plan_from(&p, names, 2);
	is_int(p.ring, 1, "ring of one day");
	is_int(p.nslots, 2, "one slot per fill");
	series_state_init(&s, &p);
	row[0] = 3;
	series_push(&s, &p, D0, row);
	series_compute(&s, &p, D0 + 1, row, out);
	is_val(out[0], 3, "ring 1: lag_1 next day");
	series_compute(&s, &p, D0 + 2, row, out);
	is_val(out[0], NAN, "ring 1: lag_1 after a gap day");
	is_val(out[1], 3, "ring 1: lag_1_ffill after a gap day");
	row[0] = 4;
	series_push(&s, &p, D0 + 2, row);
	series_compute(&s, &p, D0 + 3, row, out);
	is_val(out[0], 4, "ring 1: lag_1 after pushing across the gap");
	series_state_free(&s);
	series_plan_free(&p);
}

/* ---- random series against a direct computation ---------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static double urand(void)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* The whole history, in day order: days, values (NaN: a row without a
 * value) and, per row, the last value at or before it (NaN: none yet). */
struct hist {
	int64_t *day;
	double *val, *last;
	size_t n;
};

/* Value of day u under fill, from history rows [0, n): the row's value on
 * day u, else the fill: 0, or the last value before u, or nothing. */
static double ref_value(const struct hist *h, size_t n, int fill, int64_t u)
{
	size_t lo = 0, hi = n;
	double last;

	if (n == 0 || u < h->day[0])
		return NAN;
	/* lo: the number of rows on or before day u (at least 1 here) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->day[mid] <= u)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (h->day[lo - 1] == u && !isnan(h->val[lo - 1]))
		return h->val[lo - 1];
	if (h->day[lo - 1] == u)
		last = lo >= 2 ? h->last[lo - 2] : NAN;
	else
		last = h->last[lo - 1];
	return fill == FILL_ZERO ? 0 : fill == FILL_FFILL ? last : NAN;
}

static double ref_lag(const struct hist *h, size_t n, int fill, int64_t t, int k)
{
	return ref_value(h, n, fill, t - k);
}

static double ref_roll(const struct hist *h, size_t n, int fill, int64_t t, int stat, int w)
{
	double v[4000], r = 0, m;
	size_t k = 0;

	if (n == 0 || t - w < h->day[0])
		return NAN;
	for (int64_t u = t - w; u < t; u++) {
		double x = ref_value(h, n, fill, u);

		if (!isnan(x))
			v[k++] = x;
	}
	if (k == 0)
		return NAN;
	switch (stat) {
	case ROLL_MEAN:
	case ROLL_SUM:
		for (size_t i = 0; i < k; i++)
			r += v[i];
		return stat == ROLL_MEAN ? r / (double)k : r;
	case ROLL_STD:
		if (k < 2)
			return NAN;
		for (size_t i = 0; i < k; i++)
			r += v[i];
		m = r / (double)k;
		r = 0;
		for (size_t i = 0; i < k; i++)
			r += (v[i] - m) * (v[i] - m);
		return sqrt(r / (double)(k - 1));
	case ROLL_MIN:
		r = INFINITY;
		for (size_t i = 0; i < k; i++)
			r = fmin(r, v[i]);
		return r;
	case ROLL_MAX:
		r = -INFINITY;
		for (size_t i = 0; i < k; i++)
			r = fmax(r, v[i]);
		return r;
	default:
		return NAN;
	}
}

static double ref_ewm(const struct hist *h, size_t n, int fill, int64_t t, double half)
{
	double num = 0, den = 0;

	if (n == 0)
		return NAN;
	for (int64_t u = h->day[0]; u < t; u++) {
		double x = ref_value(h, n, fill, u);
		double w = pow(0.5, (double)(t - 1 - u) / half);

		if (!isnan(x)) {
			num += w * x;
			den += w;
		}
	}
	return den > 0 ? num / den : NAN;
}

static double ref_feature(const struct featspec *f, const struct hist *h, size_t n, int64_t t)
{
	switch (f->kind) {
	case FEAT_LAG: return ref_lag(h, n, f->fill, t, f->n);
	case FEAT_ROLL: return ref_roll(h, n, f->fill, t, f->stat, f->n);
	case FEAT_EWM: return ref_ewm(h, n, f->fill, t, f->param);
	default: return NAN;
	}
}

static void random_series(int fill, unsigned runs)
{
	static const char *const base[] = {
		"v_lag_1", "v_lag_2", "v_lag_7", "v_lag_30",
		"v_rmean_3", "v_rstd_3", "v_rmin_7", "v_rmax_7", "v_rsum_7", "v_rmean_28",
		"v_rstd_28", "v_rmean_100", "v_rmax_70",
		"v_ewm_0.5", "v_ewm_3.5", "v_ewm_7", "v_ewm_30",
	};
	enum { NF = sizeof base / sizeof *base };
	char names[NF][64];
	const char *np[NF];
	struct series_plan p;
	size_t bad = 0, checked = 0, valued = 0, bad_warm = 0;
	double worst = 0;

	for (int i = 0; i < NF; i++) {
		snprintf(names[i], sizeof names[i], "%s%s%s", base[i],
			 fill == FILL_NONE ? "" : "_", fill == FILL_NONE ? "" : fill_name(fill));
		np[i] = names[i];
	}
	plan_from(&p, np, NF);
	for (unsigned run = 0; run < runs; run++) {
		struct series_state s;
		struct hist h;
		size_t len = 60 + (size_t)(urand() * 200);
		/* anywhere from 1915 to 2024: day numbers of both signs */
		int64_t d = D0 - (int64_t)(urand() * 40000);
		double pmiss = urand() * 0.4, pgap = urand() * 0.4;

		h.day = calloc(len, sizeof *h.day);
		h.val = calloc(len, sizeof *h.val);
		h.last = calloc(len, sizeof *h.last);
		h.n = len;
		series_state_init(&s, &p);
		for (size_t i = 0; i < len; i++) {
			double row[1], out[NF];

			if (i > 0) {
				double g = urand();

				d += 1;
				if (g < pgap)
					d += 1 + (int64_t)(urand() * 5);
				if (g < 0.02)
					d += 30 + (int64_t)(urand() * 150);  /* a long hole */
			}
			h.day[i] = d;
			h.val[i] = urand() < pmiss ? NAN : floor(urand() * 1000) / 10 - 20;
			h.last[i] = !isnan(h.val[i]) ? h.val[i] : i > 0 ? h.last[i - 1] : NAN;
			row[0] = h.val[i];
			series_compute(&s, &p, d, row, out);
			for (int f = 0; f < NF; f++) {
				double want = ref_feature(&p.feats[f], &h, i, d);
				int same = (isnan(out[f]) && isnan(want)) ||
					   (!isnan(out[f]) && !isnan(want) &&
					    fabs(out[f] - want) <= 1e-9 * (1 + fabs(want)));

				checked++;
				valued += !isnan(want);
				if (!same) {
					if (bad++ < 10)
						printf("#   fill %s run %u row %zu (day +%lld) %s: got %.17g want %.17g\n",
						       fill_name(fill), run, i, (long long)(d - h.day[0]),
						       p.feats[f].name, out[f], want);
				} else if (!isnan(want) && fabs(out[f] - want) / (1 + fabs(want)) > worst) {
					worst = fabs(out[f] - want) / (1 + fabs(want));
				}
			}
			if (series_warm(&s, &p, d) != (i > 0 && d - h.day[0] >= p.lookback))
				bad_warm++;
			series_push(&s, &p, d, row);
		}
		series_state_free(&s);
		free(h.day);
		free(h.val);
		free(h.last);
	}
	is_int(bad, 0, "fill %s: %zu feature values (%zu not missing) of %u random series equal the direct computation",
	       fill_name(fill), checked, valued, runs);
	is_int(bad_warm, 0, "fill %s: warm exactly when the history covers the look-back", fill_name(fill));
	printf("#   largest relative difference %.3g\n", worst);
	series_plan_free(&p);
}

/* ---- decayed means by hand -------------------------------------------------- */

static void test_ewm_hand(void)
{
	static const char *const names[] = { "v_ewm_1", "v_ewm_1_zero", "v_ewm_1_ffill", "v_ewm_2" };
	struct series_plan p;
	struct series_state s;
	double row[1], out[4];

	plan_from(&p, names, 4);
	is_int(p.lookback, 1, "ewm: look-back of one day");
	series_state_init(&s, &p);
	row[0] = 8;
	series_compute(&s, &p, D0, row, out);
	is_val(out[0], NAN, "ewm: missing with no history");
	series_push(&s, &p, D0, row);
	row[0] = 4;
	series_compute(&s, &p, D0 + 1, row, out);
	is_val(out[0], 8, "ewm: one value: that value");
	series_push(&s, &p, D0 + 1, row);
	/* H = 1: weights 1 (d1) and 0.5 (d0): (4 + 4) / 1.5 */
	series_compute(&s, &p, D0 + 2, row, out);
	is_val(out[0], 8 / 1.5, "ewm_1 after d0=8, d1=4");
	is_val(out[3], (4 + 8 * sqrt(0.5)) / (1 + sqrt(0.5)), "ewm_2 after d0=8, d1=4");
	/* the row on d4 after a gap d2, d3:
	 *  none: gap days only decay: the same mean;
	 *  zero: weights d3 1, d2 0.5, d1 0.25, d0 0.125 with values 0, 0, 4, 8;
	 *  ffill: the gap days hold 4 */
	series_compute(&s, &p, D0 + 4, row, out);
	is_val(out[0], 8 / 1.5, "ewm_1 (none) across a gap: gap days only decay");
	is_val(out[1], (0.25 * 4 + 0.125 * 8) / (1 + 0.5 + 0.25 + 0.125), "ewm_1_zero across a gap");
	is_val(out[2], (4 + 0.5 * 4 + 0.25 * 4 + 0.125 * 8) / (1 + 0.5 + 0.25 + 0.125),
	       "ewm_1_ffill across a gap");
	/* push d4 with no value, then the row on d5 */
	row[0] = NAN;
	series_push(&s, &p, D0 + 4, row);
	series_compute(&s, &p, D0 + 5, row, out);
	is_val(out[0], (0.125 * 4 + 0.0625 * 8) / (0.125 + 0.0625), "ewm_1 (none) after a day without a value");
	is_val(out[1], (0.125 * 4 + 0.0625 * 8) / (1 + 0.5 + 0.25 + 0.125 + 0.0625),
	       "ewm_1_zero after a day without a value");
	is_val(out[2], (4 + 0.5 * 4 + 0.25 * 4 + 0.125 * 4 + 0.0625 * 8) / (1 + 0.5 + 0.25 + 0.125 + 0.0625),
	       "ewm_1_ffill after a day without a value");
	series_state_free(&s);
	series_plan_free(&p);
}

/* A series whose first values are missing: the decayed mean has nothing to
 * average until a value comes. */
static void test_ewm_no_values(void)
{
	static const char *const names[] = { "v_ewm_3", "v_ewm_3_ffill", "v_ewm_3_zero" };
	struct series_plan p;
	struct series_state s;
	double row[1] = { NAN }, out[3];

	plan_from(&p, names, 3);
	series_state_init(&s, &p);
	series_push(&s, &p, D0, row);
	series_push(&s, &p, D0 + 1, row);
	series_compute(&s, &p, D0 + 5, row, out);
	is_val(out[0], NAN, "ewm: no value yet (none)");
	is_val(out[1], NAN, "ewm: no value yet (ffill)");
	is_val(out[2], 0, "ewm: zero fill makes the missing days 0");
	series_state_free(&s);
	series_plan_free(&p);
}

/* ---- copies ----------------------------------------------------------------- */

static void test_copy(void)
{
	static const char *const names[] = { "v_lag_1", "v_lag_7_ffill", "v_rmean_7", "v_rstd_7_zero",
					    "v_ewm_3.5", "v_ewm_2_ffill", "w_lag_3", "log1p_w",
					    "v_per_w", "dow" };
	enum { NF = 10 };
	struct series_plan p;
	struct series_state a, b, c;
	size_t diff = 0, moved = 0;

	plan_from(&p, names, NF);
	is_int(p.ninputs, 2, "copy plan: two inputs");
	is_int(series_plan_input(&p, "v"), 0, "series_plan_input(v) = 0 (first use)");
	is_int(series_plan_input(&p, "w"), 1, "series_plan_input(w) = 1");
	is_int(series_plan_input(&p, "x"), -1, "series_plan_input(x) = -1");
	series_state_init(&a, &p);
	series_state_init(&b, &p);
	series_state_init(&c, &p);
	for (int64_t d = 0; d < 40; d++) {
		double row[2] = { d % 5 == 3 ? NAN : (double)(d * d % 17), (double)(d % 4) };

		if (d % 9 == 4)
			continue;
		series_push(&a, &p, D0 + d, row);
	}
	series_state_copy(&b, &a, &p);
	series_state_copy(&c, &a, &p);
	/* b continues like a; c goes another way, and must not disturb a */
	for (int64_t d = 40; d < 120; d++) {
		double row[2] = { d % 7 == 1 ? NAN : sin((double)d) * 10, (double)(d % 3) };
		double other[2] = { 1000, 1 };
		double oa[NF], ob[NF];

		if (d % 11 == 5)
			continue;
		series_compute(&a, &p, D0 + d, row, oa);
		series_compute(&b, &p, D0 + d, row, ob);
		if (memcmp(oa, ob, sizeof oa) != 0)
			diff++;
		if (series_warm(&a, &p, D0 + d) != series_warm(&b, &p, D0 + d))
			diff++;
		series_push(&a, &p, D0 + d, row);
		series_push(&b, &p, D0 + d, row);
		series_push(&c, &p, D0 + d, other);
	}
	is_int(diff, 0, "series_state_copy: the copy continues with identical bytes");
	{
		double row[2] = { 1, 1 }, oa[NF], oc[NF];

		series_compute(&a, &p, D0 + 120, row, oa);
		series_compute(&c, &p, D0 + 120, row, oc);
		for (int i = 0; i < NF; i++)
			if (memcmp(&oa[i], &oc[i], sizeof oa[i]) != 0)
				moved++;
	}
	ok(moved > 0, "series_state_copy: the copies are independent");
	series_state_free(&a);
	series_state_free(&b);
	series_state_free(&c);
	series_plan_free(&p);
}

/* ---- calendar --------------------------------------------------------------- */

static void cal_is(int64_t y, unsigned m, unsigned d, int dow, int weekend)
{
	static const char *const names[] = { "dow", "month", "dom", "weekend" };
	struct series_plan p;
	struct series_state s;
	double out[4];
	int64_t day = time_days_from_civil(y, m, d);

	plan_from(&p, names, 4);
	is_int(p.lookback, 0, "calendar: no look-back");
	series_state_init(&s, &p);
	ok(series_warm(&s, &p, day), "calendar: warm without history");
	series_compute(&s, &p, day, NULL, out);
	is_val(out[0], dow, "dow(%04lld-%02u-%02u) = %d", (long long)y, m, d, dow);
	is_val(out[1], m, "month(%04lld-%02u-%02u) = %u", (long long)y, m, d, m);
	is_val(out[2], d, "dom(%04lld-%02u-%02u) = %u", (long long)y, m, d, d);
	is_val(out[3], weekend, "weekend(%04lld-%02u-%02u) = %d", (long long)y, m, d, weekend);
	series_state_free(&s);
	series_plan_free(&p);
}

static void test_calendar(void)
{
	is_int(time_days_from_civil(2024, 1, 1), D0, "2024-01-01 is day %lld", (long long)D0);
	cal_is(2024, 1, 1, 1, 0);    /* Monday */
	cal_is(2024, 1, 2, 2, 0);
	cal_is(2024, 1, 5, 5, 0);    /* Friday */
	cal_is(2024, 1, 6, 6, 1);    /* Saturday */
	cal_is(2024, 1, 7, 7, 1);    /* Sunday */
	cal_is(2024, 2, 29, 4, 0);   /* Thursday */
	cal_is(2024, 12, 31, 2, 0);
	cal_is(1970, 1, 1, 4, 0);
	cal_is(1969, 12, 31, 3, 0);  /* before the epoch */
	cal_is(2000, 1, 1, 6, 1);
}

static void test_fourier(void)
{
	static const char *const names[] = { "fourier_365.25_sin_1", "fourier_365.25_cos_1",
					    "fourier_365.25_sin_2", "fourier_365.25_cos_2",
					    "fourier_7_sin_1", "fourier_7_cos_3", "fourier_30.5_sin_100" };
	static const int64_t days[] = { 0, 1, -1, -1000, 19723, 19724, 20000, 2932896, -719162 };
	struct series_plan p;
	struct series_state s;
	size_t bad = 0;

	plan_from(&p, names, 7);
	series_state_init(&s, &p);
	for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
		double out[7];

		series_compute(&s, &p, days[i], NULL, out);
		for (int f = 0; f < 7; f++) {
			const struct featspec *fs = &p.feats[f];
			long double a = 2 * 3.14159265358979323846264338327950288L * fs->n *
					(long double)days[i] / fs->param;
			double want = fs->sine ? (double)sinl(a) : (double)cosl(a);

			if (!(fabs(out[f] - want) <= 1e-9)) {
				if (bad++ < 5)
					printf("#   %s on day %lld: got %.17g want %.17g\n", fs->name,
					       (long long)days[i], out[f], want);
			}
		}
	}
	is_int(bad, 0, "fourier terms equal sin/cos(2 pi k d / P)");
	{
		double out[7];

		series_compute(&s, &p, 0, NULL, out);
		is_val(out[0], 0, "fourier sin on day 0 is 0");
		is_val(out[1], 1, "fourier cos on day 0 is 1");
		series_compute(&s, &p, 7, NULL, out);
		is_val(out[4], 0, "fourier_7_sin_1 on day 7 is 0 (one full week)");
		series_compute(&s, &p, D0, NULL, out);
		is_val(out[4], sin(2 * M_PI * (double)D0 / 7), "fourier_7_sin_1 on 2024-01-01");
		is_val(out[2], sin(2 * M_PI * 2 * (double)D0 / 365.25), "fourier_365.25_sin_2 on 2024-01-01");
	}
	series_state_free(&s);
	series_plan_free(&p);
}

/* ---- row transforms ------------------------------------------------------------ */

static void test_transforms(void)
{
	static const char *const names[] = { "log1p_x", "x_per_y", "y" };
	struct series_plan p;
	struct series_state s;
	static const struct { double x, y, log1p, ratio; } cases[] = {
		{ 0, 1, 0, 0 },
		{ M_E - 1, 2, 1, (M_E - 1) / 2 },
		{ 9, 3, 2.302585092994046, 3 },
		{ 1e-20, 1e-20, 1e-20, 1 },
		{ 6, 0, 1.9459101490553132, NAN },     /* a zero denominator */
		{ 0, 0, 0, NAN },
		{ -0.5, -2, -0.6931471805599453, 0.25 },
		{ -1, 1, NAN, -1 },                      /* log1p(-1) is -inf: missing */
		{ -2, 4, NAN, -0.5 },
		{ NAN, 2, NAN, NAN },
		{ 3, NAN, 1.3862943611198906, NAN },
		{ 1e300, 1e-300, 690.77552789821368, NAN },  /* overflow: missing */
	};

	plan_from(&p, names, 3);
	is_int(p.ninputs, 2, "transforms: two inputs");
	is_int(p.lookback, 0, "transforms: no look-back");
	series_state_init(&s, &p);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		double row[2], out[3];

		row[series_plan_input(&p, "x")] = cases[i].x;
		row[series_plan_input(&p, "y")] = cases[i].y;
		series_compute(&s, &p, D0, row, out);
		is_val(out[0], cases[i].log1p, "log1p(%g)", cases[i].x);
		is_val(out[1], cases[i].ratio, "%g / %g", cases[i].x, cases[i].y);
		is_val(out[2], cases[i].y, "raw y = %g", cases[i].y);
	}
	series_state_free(&s);
	series_plan_free(&p);
}

/* Several features on one (column, fill) share a ring; different columns
 * and fills do not. */
static void test_plan(void)
{
	static const char *const names[] = { "a_lag_1", "a_rmean_14", "a_lag_7_zero", "b_rmax_3",
					    "a_ewm_2", "a_ewm_2_ffill", "dow" };
	struct series_plan p;

	plan_from(&p, names, 7);
	is_int(p.nfeats, 7, "plan: 7 features");
	is_int(p.ninputs, 2, "plan: inputs a and b");
	is_int(p.nslots, 4, "plan: slots a/none, a/zero, b/none, a/ffill");
	is_int(p.newm, 2, "plan: two decayed means");
	is_int(p.lookback, 14, "plan: lookback 14");
	is_int(p.ring, 14, "plan: ring 14");
	ok(p.slot[feat(&p, "a_lag_1")] == p.slot[feat(&p, "a_rmean_14")], "plan: a lags and windows share a slot");
	ok(p.slot[feat(&p, "a_lag_1")] != p.slot[feat(&p, "a_lag_7_zero")], "plan: another fill, another slot");
	ok(p.col[feat(&p, "dow")] == SIZE_MAX && p.slot[feat(&p, "dow")] == SIZE_MAX, "plan: dow reads nothing");
	series_plan_free(&p);
}

int main(void)
{
	test_plan();
	test_hand_fill(FILL_NONE);
	test_hand_fill(FILL_ZERO);
	test_hand_fill(FILL_FFILL);
	test_ring_of_one();
	test_ewm_hand();
	test_ewm_no_values();
	random_series(FILL_NONE, 60);
	random_series(FILL_ZERO, 60);
	random_series(FILL_FFILL, 60);
	test_copy();
	test_calendar();
	test_fourier();
	test_transforms();
	return tap_done();
}
