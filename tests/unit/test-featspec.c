/*
 * Unit tests of lib/featspec: every form of the feature-name grammar, the
 * names that must stay raw columns (non-canonical numbers, near misses), the
 * names in the grammar but out of range (code 1), the one-spelling rule
 * (featspec_set_name(parse(name)) == name, and parse(set_name(f)) == f for
 * generated definitions), the A_per_B split with and without known columns,
 * and the look-back, history and categorical flags.
 */
#include "featspec.h"
#include "err.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NA (-12345)   /* "do not check" for ints */

static const char *kind_name(int k)
{
	static const char *const names[] = { "raw", "lag", "roll", "ewm", "dow", "month", "dom",
					     "weekend", "fourier", "log1p", "ratio" };

	return k >= 0 && k <= FEAT_RATIO ? names[k] : "?";
}

struct want {
	int kind;
	const char *col, *col2;
	int n;
	double param;
	int stat, fill, sine;
};

/* Parses name (with known columns cols) and compares every field that the
 * kind defines with w. */
static void parse_is(const char *name, const char *const *cols, size_t ncols, struct want w)
{
	struct featspec f;
	struct adash_err e;
	int rc;
	char what[256];

	memset(&e, 0, sizeof e);
	rc = featspec_parse(name, cols, ncols, &f, &e);
	snprintf(what, sizeof what, "\"%s\"%s", name, cols ? " (with columns)" : "");
	is_int(rc, 0, "%s parses", what);
	if (rc != 0) {
		printf("#   error: %s\n", e.msg);
		return;
	}
	is_str(kind_name(f.kind), kind_name(w.kind), "%s is a %s", what, kind_name(w.kind));
	is_str(f.col, w.col, "%s: col", what);
	is_str(f.col2, w.col2, "%s: col2", what);
	if (w.n != NA)
		is_int(f.n, w.n, "%s: n", what);
	if (!isnan(w.param))
		ok(f.param == w.param, "%s: param %.17g (want %.17g)", what, f.param, w.param);
	if (w.stat != NA)
		is_str(roll_stat_name(f.stat), roll_stat_name(w.stat), "%s: stat", what);
	if (w.fill != NA)
		is_str(fill_name(f.fill), fill_name(w.fill), "%s: fill", what);
	if (w.sine != NA)
		is_int(f.sine, w.sine, "%s: sine", what);
	is_str(f.name, name, "%s: name kept", what);
	featspec_free(&f);
}

#define W(...) ((struct want){ __VA_ARGS__ })

static struct want lag(const char *col, int n, int fill)
{
	return W(FEAT_LAG, col, NULL, n, NAN, NA, fill, NA);
}
static struct want roll(const char *col, int stat, int n, int fill)
{
	return W(FEAT_ROLL, col, NULL, n, NAN, stat, fill, NA);
}
static struct want ewm(const char *col, double h, int fill)
{
	return W(FEAT_EWM, col, NULL, NA, h, NA, fill, NA);
}
static struct want raw(const char *col)
{
	return W(FEAT_RAW, col, NULL, NA, NAN, NA, NA, NA);
}
static struct want ratio(const char *a, const char *b)
{
	return W(FEAT_RATIO, a, b, NA, NAN, NA, NA, NA);
}
static struct want cal(int kind)
{
	return W(kind, NULL, NULL, NA, NAN, NA, NA, NA);
}
static struct want fourier(double p, int sine, int k)
{
	return W(FEAT_FOURIER, NULL, NULL, k, p, NA, NA, sine);
}

static void test_forms(void)
{
	/* lags */
	parse_is("sales_lag_1", NULL, 0, lag("sales", 1, FILL_NONE));
	parse_is("sales_lag_7", NULL, 0, lag("sales", 7, FILL_NONE));
	parse_is("sales_lag_365", NULL, 0, lag("sales", 365, FILL_NONE));
	parse_is("sales_lag_3660", NULL, 0, lag("sales", FEAT_MAX_DAYS, FILL_NONE));
	parse_is("temp_c_lag_7", NULL, 0, lag("temp_c", 7, FILL_NONE));
	parse_is("a_b_c_lag_2", NULL, 0, lag("a_b_c", 2, FILL_NONE));
	parse_is("x_lag_lag_3", NULL, 0, lag("x_lag", 3, FILL_NONE));
	parse_is("sales_lag_7_zero", NULL, 0, lag("sales", 7, FILL_ZERO));
	parse_is("sales_lag_7_ffill", NULL, 0, lag("sales", 7, FILL_FFILL));
	parse_is("temp_c_lag_14_ffill", NULL, 0, lag("temp_c", 14, FILL_FFILL));
	parse_is("x_zero_lag_1", NULL, 0, lag("x_zero", 1, FILL_NONE));
	parse_is("x_zero_lag_1_zero", NULL, 0, lag("x_zero", 1, FILL_ZERO));
	parse_is("a_per_b_lag_7", NULL, 0, lag("a_per_b", 7, FILL_NONE));

	/* every rolling statistic */
	parse_is("sales_rmean_7", NULL, 0, roll("sales", ROLL_MEAN, 7, FILL_NONE));
	parse_is("sales_rstd_7", NULL, 0, roll("sales", ROLL_STD, 7, FILL_NONE));
	parse_is("sales_rstd_2", NULL, 0, roll("sales", ROLL_STD, 2, FILL_NONE));
	parse_is("sales_rmin_14", NULL, 0, roll("sales", ROLL_MIN, 14, FILL_NONE));
	parse_is("sales_rmax_28", NULL, 0, roll("sales", ROLL_MAX, 28, FILL_NONE));
	parse_is("sales_rsum_1", NULL, 0, roll("sales", ROLL_SUM, 1, FILL_NONE));
	parse_is("sales_rmean_28_zero", NULL, 0, roll("sales", ROLL_MEAN, 28, FILL_ZERO));
	parse_is("temp_c_rmax_7_ffill", NULL, 0, roll("temp_c", ROLL_MAX, 7, FILL_FFILL));
	parse_is("my_rmean_rstd_3", NULL, 0, roll("my_rmean", ROLL_STD, 3, FILL_NONE));

	/* ewm, integral and fractional half-lives */
	parse_is("sales_ewm_7", NULL, 0, ewm("sales", 7, FILL_NONE));
	parse_is("sales_ewm_3.5", NULL, 0, ewm("sales", 3.5, FILL_NONE));
	parse_is("sales_ewm_0.5", NULL, 0, ewm("sales", 0.5, FILL_NONE));
	parse_is("sales_ewm_0.1", NULL, 0, ewm("sales", 0.1, FILL_NONE));
	parse_is("sales_ewm_3.5_zero", NULL, 0, ewm("sales", 3.5, FILL_ZERO));
	parse_is("temp_c_ewm_14_ffill", NULL, 0, ewm("temp_c", 14, FILL_FFILL));
	parse_is("sales_ewm_3660", NULL, 0, ewm("sales", 3660, FILL_NONE));

	/* calendar */
	parse_is("dow", NULL, 0, cal(FEAT_DOW));
	parse_is("month", NULL, 0, cal(FEAT_MONTH));
	parse_is("dom", NULL, 0, cal(FEAT_DOM));
	parse_is("weekend", NULL, 0, cal(FEAT_WEEKEND));
	parse_is("fourier_365.25_sin_2", NULL, 0, fourier(365.25, 1, 2));
	parse_is("fourier_365.25_cos_1", NULL, 0, fourier(365.25, 0, 1));
	parse_is("fourier_7_sin_1", NULL, 0, fourier(7, 1, 1));
	parse_is("fourier_7_cos_3", NULL, 0, fourier(7, 0, 3));
	parse_is("fourier_30.5_cos_100", NULL, 0, fourier(30.5, 0, FEAT_MAX_FOURIER_ORDER));

	/* transforms */
	parse_is("log1p_x", NULL, 0, W(FEAT_LOG1P, "x", NULL, NA, NAN, NA, NA, NA));
	parse_is("log1p_footfall", NULL, 0, W(FEAT_LOG1P, "footfall", NULL, NA, NAN, NA, NA, NA));
	parse_is("log1p_temp_c", NULL, 0, W(FEAT_LOG1P, "temp_c", NULL, NA, NAN, NA, NA, NA));
	parse_is("a_per_b", NULL, 0, ratio("a", "b"));
	parse_is("price_per_footfall", NULL, 0, ratio("price", "footfall"));
	parse_is("temp_c_per_foot_fall", NULL, 0, ratio("temp_c", "foot_fall"));

	/* raw columns */
	parse_is("sales", NULL, 0, raw("sales"));
	parse_is("temp_c", NULL, 0, raw("temp_c"));
	parse_is("promo", NULL, 0, raw("promo"));
	parse_is("", NULL, 0, raw(""));
}

/* Names that look close to the grammar but are not in it: raw columns. */
static void test_raw(void)
{
	static const char *const names[] = {
		"sales_lag_07",        /* non-canonical number */
		"sales_lag_+7",
		"sales_lag_7.0",
		"sales_lag_1.5",       /* not an integer */
		"sales_lag_1e1",
		"sales_lag_",
		"sales_lag_x",
		"_lag_7",              /* no column */
		"lag_7",
		"sales_rmean_07",
		"sales_rmedian_7",     /* unknown statistic */
		"sales_r_7",
		"sales_ewm_3.50",      /* non-canonical half-life */
		"sales_ewm_03.5",
		"sales_ewm_.5",
		"sales_ewm_7.",
		"sales_lag_7_none",    /* "none" is never written */
		"sales_lag_7_Zero",
		"sales_lag_7_zero_zero",
		"sales_lag_7_fill",
		"Dow",
		"dow_zero",
		"dows",
		"weekend_lag",
		"fourier_365.25_tan_2",
		"fourier_365.250_sin_2",
		"fourier_365.25_sin_02",
		"fourier_365.25_sin_",
		"fourier__sin_1",
		"fourier_7",
		"fourier_7_sin_1_zero",
		"log1p_",
		"_per_b",
		"a_per_",
		"_per_",
		"sales lag 7",
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		parse_is(names[i], NULL, 0, raw(names[i]));
}

/* Names in the grammar with a number out of range: -1 with code 1, and a
 * message naming the feature. */
static void test_range(void)
{
	static const char *const names[] = {
		"sales_lag_0",
		"sales_lag_-1",
		"sales_lag_3661",
		"sales_lag_99999",
		"sales_lag_10000000000",   /* beyond an int: still out of range, not raw */
		"sales_lag_1e+21",
		"sales_lag_-10000000000",
		"sales_lag_0_zero",
		"sales_rmean_0",
		"sales_rstd_1",
		"sales_rstd_1_ffill",
		"sales_rsum_99999",
		"sales_ewm_0",
		"sales_ewm_-1",
		"sales_ewm_3660.5",
		"sales_ewm_100000",
		"fourier_0_sin_1",
		"fourier_-7_sin_1",
		"fourier_7_sin_0",
		"fourier_7_cos_101",
		"fourier_7_sin_100000000000",
		"fourier_10000000_sin_1",
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct featspec f;
		struct adash_err e;
		int rc;

		memset(&e, 0, sizeof e);
		memset(&f, 0x5a, sizeof f);
		rc = featspec_parse(names[i], NULL, 0, &f, &e);
		is_int(rc, -1, "\"%s\" is out of range", names[i]);
		is_int(e.code, ADASH_EDATA, "\"%s\": code 1", names[i]);
		ok(strstr(e.msg, names[i]) != NULL && !strchr(e.msg, '\n'),
		   "\"%s\": one-line message names it: %s", names[i], e.msg);
		ok(f.col == NULL && f.col2 == NULL && f.name == NULL,
		   "\"%s\": nothing left allocated", names[i]);
		if (rc == 0)
			featspec_free(&f);
	}
}

/* featspec_set_name(parse(name)) == name. */
static void test_round_trip_names(void)
{
	static const char *const names[] = {
		"sales_lag_1", "sales_lag_7", "sales_lag_14", "sales_lag_3660",
		"temp_c_lag_7", "temp_c_lag_7_zero", "temp_c_lag_7_ffill",
		"sales_rmean_7", "sales_rstd_7", "sales_rmin_7", "sales_rmax_7", "sales_rsum_7",
		"sales_rmean_28_zero", "sales_rstd_2_ffill", "a_b_rsum_10_zero",
		"sales_ewm_7", "sales_ewm_3.5", "sales_ewm_0.25_zero", "sales_ewm_0.1_ffill",
		"sales_ewm_1e-7", "sales_ewm_0.30000000000000004",
		"dow", "month", "dom", "weekend",
		"fourier_365.25_sin_2", "fourier_365.25_cos_2", "fourier_7_sin_1",
		"fourier_0.5_cos_100", "fourier_1000000_sin_1",
		"log1p_x", "log1p_footfall", "log1p_temp_c", "log1p_sales_lag_7",
		"a_per_b", "price_per_footfall", "a_per_b_per_c",
		"sales", "temp_c", "sales_lag_07", "sales_ewm_3.50", "x_lag_7_none",
		"a_per_b_lag_7", "x_zero_lag_1_zero",
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct featspec f;
		struct adash_err e;

		if (featspec_parse(names[i], NULL, 0, &f, &e) < 0) {
			ok(0, "round trip \"%s\": parse failed: %s", names[i], e.msg);
			continue;
		}
		free(f.name);
		f.name = NULL;
		featspec_set_name(&f);
		is_str(f.name, names[i], "set_name(parse(\"%s\"))", names[i]);
		featspec_free(&f);
	}
}

static int same_spec(const struct featspec *a, const struct featspec *b)
{
	if (a->kind != b->kind)
		return 0;
	if ((a->col == NULL) != (b->col == NULL) || (a->col && strcmp(a->col, b->col)))
		return 0;
	if ((a->col2 == NULL) != (b->col2 == NULL) || (a->col2 && strcmp(a->col2, b->col2)))
		return 0;
	switch (a->kind) {
	case FEAT_LAG: return a->n == b->n && a->fill == b->fill;
	case FEAT_ROLL: return a->n == b->n && a->stat == b->stat && a->fill == b->fill;
	case FEAT_EWM: return a->param == b->param && a->fill == b->fill;
	case FEAT_FOURIER: return a->param == b->param && a->n == b->n && a->sine == b->sine;
	default: return 1;
	}
}

/* parse(set_name(f)) == f for generated definitions: every window kind,
 * every fill, columns with underscores, awkward half-lives and periods. */
static void test_round_trip_specs(void)
{
	static const char *const cols[] = { "sales", "temp_c", "a_b_c", "x_lag", "y_zero",
					    "z_ffill", "q_per_r", "dow", "s_ewm", "log1px" };
	static const int days[] = { 1, 2, 7, 13, 28, 365, 3660 };
	static const double halves[] = { 0.1, 0.5, 1, 1.0 / 3, 3.5, 7, 14.25, 1e-3, 3660 };
	static const double periods[] = { 7, 365.25, 30.4375, 0.1, 1e6, 2.0 / 3 };
	size_t n = 0, bad = 0;

	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
		for (int fill = FILL_NONE; fill <= FILL_FFILL; fill++) {
			for (int kind = FEAT_LAG; kind <= FEAT_ROLL; kind++)
				for (int stat = 0; stat <= (kind == FEAT_ROLL ? ROLL_SUM : 0); stat++)
					for (size_t d = 0; d < sizeof days / sizeof *days; d++) {
						struct featspec f, g;
						struct adash_err e;

						if (kind == FEAT_ROLL && stat == ROLL_STD && days[d] < 2)
							continue;
						memset(&f, 0, sizeof f);
						f.kind = kind;
						f.col = (char *)cols[c];
						f.n = days[d];
						f.stat = stat;
						f.fill = fill;
						featspec_set_name(&f);
						n++;
						if (featspec_parse(f.name, NULL, 0, &g, &e) < 0 || !same_spec(&f, &g)) {
							if (bad++ < 5)
								printf("#   %s does not read back\n", f.name);
						} else {
							featspec_free(&g);
						}
						free(f.name);
					}
			for (size_t h = 0; h < sizeof halves / sizeof *halves; h++) {
				struct featspec f, g;
				struct adash_err e;

				memset(&f, 0, sizeof f);
				f.kind = FEAT_EWM;
				f.col = (char *)cols[c];
				f.param = halves[h];
				f.fill = fill;
				featspec_set_name(&f);
				n++;
				if (featspec_parse(f.name, NULL, 0, &g, &e) < 0 || !same_spec(&f, &g)) {
					if (bad++ < 5)
						printf("#   %s does not read back\n", f.name);
				} else {
					featspec_free(&g);
				}
				free(f.name);
			}
		}
	for (size_t p = 0; p < sizeof periods / sizeof *periods; p++)
		for (int k = 1; k <= FEAT_MAX_FOURIER_ORDER; k += 33)
			for (int sine = 0; sine <= 1; sine++) {
				struct featspec f, g;
				struct adash_err e;

				memset(&f, 0, sizeof f);
				f.kind = FEAT_FOURIER;
				f.param = periods[p];
				f.n = k;
				f.sine = sine;
				featspec_set_name(&f);
				n++;
				if (featspec_parse(f.name, NULL, 0, &g, &e) < 0 || !same_spec(&f, &g)) {
					if (bad++ < 5)
						printf("#   %s does not read back\n", f.name);
				} else {
					featspec_free(&g);
				}
				free(f.name);
			}
	is_int(bad, 0, "parse(set_name(f)) == f for %zu generated window, ewm and fourier features", n);
}

/* A fill suffix is written only for features that read history, and the
 * names are the documented spellings. */
static void test_set_name(void)
{
	struct featspec f;

	memset(&f, 0, sizeof f);
	f.kind = FEAT_LAG;
	f.col = "sales";
	f.n = 7;
	f.fill = FILL_ZERO;
	featspec_set_name(&f);
	is_str(f.name, "sales_lag_7_zero", "set_name: lag with zero fill");
	f.kind = FEAT_ROLL;
	f.stat = ROLL_STD;
	f.fill = FILL_FFILL;
	featspec_set_name(&f);   /* replaces the old name (no leak under ASan) */
	is_str(f.name, "sales_rstd_7_ffill", "set_name: rolling std with ffill");
	f.kind = FEAT_EWM;
	f.param = 3.5;
	f.fill = FILL_NONE;
	featspec_set_name(&f);
	is_str(f.name, "sales_ewm_3.5", "set_name: ewm 3.5");
	f.kind = FEAT_LOG1P;
	f.fill = FILL_ZERO;   /* meaningless here: not written */
	featspec_set_name(&f);
	is_str(f.name, "log1p_sales", "set_name: no fill suffix on log1p");
	f.kind = FEAT_DOW;
	featspec_set_name(&f);
	is_str(f.name, "dow", "set_name: no fill suffix on dow");
	f.kind = FEAT_FOURIER;
	f.param = 365.25;
	f.n = 2;
	f.sine = 1;
	f.fill = FILL_NONE;
	featspec_set_name(&f);
	is_str(f.name, "fourier_365.25_sin_2", "set_name: fourier");
	f.kind = FEAT_RATIO;
	f.col = "price";
	f.col2 = "footfall";
	featspec_set_name(&f);
	is_str(f.name, "price_per_footfall", "set_name: ratio");
	free(f.name);
}

static void test_ratio_split(void)
{
	static const char *const c1[] = { "a", "b", "a_per_b" };
	static const char *const c2[] = { "a_per_b", "c" };
	static const char *const c3[] = { "a", "b_per_c" };
	static const char *const c4[] = { "x", "y" };
	static const char *const c5[] = { "a_per", "b", "a", "per_b" };
	static const char *const c6[] = { "unit_per_day", "price" };

	/* a name that is itself a known column is that column */
	parse_is("a_per_b", c1, 3, raw("a_per_b"));
	parse_is("a_per_b", c1, 2, ratio("a", "b"));
	parse_is("a_per_b", NULL, 0, ratio("a", "b"));
	/* several _per_: the split whose sides are both known */
	parse_is("a_per_b_per_c", c2, 2, ratio("a_per_b", "c"));
	parse_is("a_per_b_per_c", c3, 2, ratio("a", "b_per_c"));
	parse_is("a_per_b_per_c", NULL, 0, ratio("a", "b_per_c"));
	/* no split with both sides known: the first split */
	parse_is("a_per_b_per_c", c4, 2, ratio("a", "b_per_c"));
	/* overlapping _per_per_: both splits are tried */
	parse_is("a_per_per_b", c5, 4, ratio("a", "per_b"));
	parse_is("a_per_per_b", c5, 2, ratio("a_per", "b"));
	parse_is("a_per_per_b", NULL, 0, ratio("a", "per_b"));
	/* a column with _per_ in its name, over another column */
	parse_is("unit_per_day_per_price", c6, 2, ratio("unit_per_day", "price"));
	parse_is("unit_per_day", c6, 2, raw("unit_per_day"));
	/* windows are matched before ratios */
	parse_is("a_per_b_lag_7", c1, 3, lag("a_per_b", 7, FILL_NONE));
}

static void flags_are(const char *name, int lookback, int history, int categorical)
{
	struct featspec f;
	struct adash_err e;

	if (featspec_parse(name, NULL, 0, &f, &e) < 0) {
		ok(0, "flags of %s: parse failed: %s", name, e.msg);
		return;
	}
	is_int(featspec_lookback(&f), lookback, "lookback(%s) = %d", name, lookback);
	is_int(featspec_uses_history(&f), history, "uses_history(%s) = %d", name, history);
	is_int(featspec_is_categorical(&f), categorical, "is_categorical(%s) = %d", name, categorical);
	featspec_free(&f);
}

static void test_flags(void)
{
	flags_are("sales_lag_1", 1, 1, 0);
	flags_are("sales_lag_14_zero", 14, 1, 0);
	flags_are("sales_rmean_28", 28, 1, 0);
	flags_are("sales_rstd_7_ffill", 7, 1, 0);
	flags_are("sales_rsum_3660", 3660, 1, 0);
	flags_are("sales_ewm_3.5", 1, 1, 0);
	flags_are("sales_ewm_100", 1, 1, 0);
	flags_are("dow", 0, 0, 1);
	flags_are("month", 0, 0, 1);
	flags_are("dom", 0, 0, 0);
	flags_are("weekend", 0, 0, 0);
	flags_are("fourier_7_sin_1", 0, 0, 0);
	flags_are("log1p_x", 0, 0, 0);
	flags_are("a_per_b", 0, 0, 0);
	flags_are("promo", 0, 0, 0);
}

static void test_names(void)
{
	static const char *const stats[] = { "mean", "std", "min", "max", "sum" };
	static const char *const fills[] = { "none", "zero", "ffill" };

	for (int i = 0; i < 5; i++) {
		is_int(roll_stat_from_name(stats[i]), i, "roll_stat_from_name(%s)", stats[i]);
		is_str(roll_stat_name(i), stats[i], "roll_stat_name(%d)", i);
	}
	is_int(roll_stat_from_name("median"), -1, "roll_stat_from_name(median) = -1");
	is_int(roll_stat_from_name("Mean"), -1, "roll_stat_from_name(Mean) = -1");
	is_int(roll_stat_from_name(""), -1, "roll_stat_from_name('') = -1");
	is_str(roll_stat_name(-1), "?", "roll_stat_name(-1)");
	is_str(roll_stat_name(5), "?", "roll_stat_name(5)");
	for (int i = 0; i < 3; i++) {
		is_int(fill_from_name(fills[i]), i, "fill_from_name(%s)", fills[i]);
		is_str(fill_name(i), fills[i], "fill_name(%d)", i);
	}
	is_int(fill_from_name("bfill"), -1, "fill_from_name(bfill) = -1");
	is_int(fill_from_name(""), -1, "fill_from_name('') = -1");
	is_str(fill_name(3), "?", "fill_name(3)");
}

/* Events-mode names: every feature's name reads back as itself, windows
 * included; near misses are not names. */
static void test_event_names(void)
{
	static const char *const not_names[] = { "open", "open_", "open_7", "open_07d", "open_7dd",
						 "open_7x", "since_last_7d", "cooc_1h", "user_7d",
						 "sales_lag_7", "pinned_", "" };
	int bad = 0, f;
	const char *w;

	for (int k = 0; k < NEVF; k++) {
		char name[64];

		if (event_feature_windowed(k))
			snprintf(name, sizeof name, "%s_%s", event_feature_prefix(k), "24h");
		else
			snprintf(name, sizeof name, "%s", event_feature_prefix(k));
		if (event_feature_parse(name, &f, &w) < 0 || f != k ||
		    (event_feature_windowed(k) ? !w || strcmp(w, "24h") != 0 : w != NULL))
			bad++;
	}
	is_int(bad, 0, "every events-mode name parses back to its feature and window");
	for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
		ok(event_feature_parse(not_names[i], &f, &w) < 0, "'%s' is no events-mode name", not_names[i]);
	ok(event_feature_parse("user_engage_30d", &f, &w) == 0 && f == EVF_USER_ENGAGE && strcmp(w, "30d") == 0,
	   "user_engage_30d is user_engage over 30d");
	ok(event_feature_parse("engage_decay_7d", &f, &w) == 0 && f == EVF_DECAY, "engage_decay_7d is the decay");
}

int main(void)
{
	test_event_names();
	test_forms();
	test_raw();
	test_range();
	test_round_trip_names();
	test_round_trip_specs();
	test_set_name();
	test_ratio_split();
	test_flags();
	test_names();
	return tap_done();
}
