/*
 * Unit tests of lib/metrics: every measure against values worked by hand on
 * small arrays, MAPE's skipped zeros, sMAPE at zero, interval coverage,
 * merging, the accuracy of the compensated sums, NaN for no rows, the
 * seasonal naive scale's calendar pairing, and the classification measures
 * (AUC with ties, clipped log loss, Brier, the calibration table) by hand,
 * at their edges (all ties 0.5, perfect 1, one class NaN) and against a
 * pairwise count.
 */
#include "metrics.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>

static void test_point(void)
{
	/* y, f and f - y:
	 *   1  2   1
	 *   2  2   0
	 *   4  3  -1
	 *   0  1   1    (MAPE skips it; sMAPE 2|1| / (0 + 1) = 2)
	 *  -5 -3   2
	 */
	static const double y[] = { 1, 2, 4, 0, -5 }, f[] = { 2, 2, 3, 1, -3 };
	struct point_metrics m;

	point_metrics_init(&m);
	for (int i = 0; i < 5; i++)
		point_metrics_add(&m, y[i], f[i]);
	is_int(m.n, 5, "five rows");
	is_num(point_metrics_mae(&m), 5.0 / 5, 1e-15, "MAE = (1+0+1+1+2)/5");
	is_num(point_metrics_rmse(&m), sqrt(7.0 / 5), 1e-15, "RMSE = sqrt((1+0+1+1+4)/5)");
	is_num(point_metrics_bias(&m), 3.0 / 5, 1e-15, "bias = mean(f - y) = 3/5");
	is_int(m.mape_n, 4, "MAPE counts the rows with y != 0");
	is_int(m.mape_skipped, 1, "and skips the row with y = 0");
	is_num(point_metrics_mape(&m), 100 * (1.0 + 0 + 0.25 + 0.4) / 4, 1e-12,
	       "MAPE = 100 mean(|f - y| / |y|) over y != 0, |y| for negative y");
	is_num(point_metrics_smape(&m), 100 * (2.0 / 3 + 0 + 2.0 / 7 + 2 + 4.0 / 8) / 5, 1e-12,
	       "sMAPE = 100 mean(2|f - y| / (|y| + |f|))");
	is_num(point_metrics_mase(&m, 0.5), 2.0, 1e-15, "MASE = MAE / scale");
	ok(isnan(point_metrics_mase(&m, 0)), "MASE with scale 0 is NaN");
	ok(isnan(point_metrics_mase(&m, -1)), "MASE with a negative scale is NaN");
	ok(isnan(point_metrics_mase(&m, NAN)), "MASE with an unknown scale is NaN");
	ok(isnan(point_metrics_coverage(&m)) && isnan(point_metrics_width(&m)),
	   "coverage and width without intervals are NaN");

	/* y = f = 0: sMAPE counts 0, not 0/0 */
	point_metrics_add(&m, 0, 0);
	is_num(point_metrics_smape(&m), 100 * (2.0 / 3 + 0 + 2.0 / 7 + 2 + 4.0 / 8 + 0) / 6, 1e-12,
	       "a row with y = f = 0 adds 0 to sMAPE and counts");
	is_int(m.mape_skipped, 2, "and is skipped by MAPE");
	is_num(point_metrics_mape(&m), 100 * (1.0 + 0 + 0.25 + 0.4) / 4, 1e-12,
	       "MAPE is unchanged by a skipped row");
	ok(isfinite(point_metrics_smape(&m)), "sMAPE stays finite");

	/* only zero actuals: MAPE has no rows */
	point_metrics_init(&m);
	point_metrics_add(&m, 0, 3);
	ok(isnan(point_metrics_mape(&m)), "MAPE with only zero actuals is NaN");
	is_num(point_metrics_smape(&m), 200, 1e-12, "sMAPE of y = 0, f = 3 is 200");
	is_num(point_metrics_mae(&m), 3, 0, "MAE of one row");
}

static void test_empty(void)
{
	struct point_metrics m;

	point_metrics_init(&m);
	ok(isnan(point_metrics_mae(&m)), "MAE with no rows is NaN");
	ok(isnan(point_metrics_rmse(&m)), "RMSE with no rows is NaN");
	ok(isnan(point_metrics_bias(&m)), "bias with no rows is NaN");
	ok(isnan(point_metrics_mape(&m)), "MAPE with no rows is NaN");
	ok(isnan(point_metrics_smape(&m)), "sMAPE with no rows is NaN");
	ok(isnan(point_metrics_mase(&m, 1.0)), "MASE with no rows is NaN");
	ok(isnan(point_metrics_coverage(&m)), "coverage with no rows is NaN");
	ok(isnan(point_metrics_width(&m)), "width with no rows is NaN");
}

static void test_interval(void)
{
	struct point_metrics m;

	point_metrics_init(&m);
	point_metrics_add_interval(&m, 5, 4, 6);    /* inside */
	point_metrics_add_interval(&m, 4, 4, 6);    /* on the lower edge */
	point_metrics_add_interval(&m, 6, 4, 7);    /* inside */
	point_metrics_add_interval(&m, 8, 4, 7);    /* above */
	point_metrics_add_interval(&m, 1, 2, 3);    /* below */
	point_metrics_add_interval(&m, 3, 2, 3);    /* on the upper edge */
	is_int(m.interval_n, 6, "six intervals");
	is_int(m.covered, 4, "edges count as covered");
	is_num(point_metrics_coverage(&m), 4.0 / 6, 1e-15, "coverage = 4/6");
	is_num(point_metrics_width(&m), (2 + 2 + 3 + 3 + 1 + 1) / 6.0, 1e-15, "width = mean(hi - lo)");
	is_int(m.n, 0, "intervals do not add point rows");
	ok(isnan(point_metrics_mae(&m)), "so MAE stays NaN");
}

static void test_merge(void)
{
	struct point_metrics a, b, all;
	int i;

	point_metrics_init(&a);
	point_metrics_init(&b);
	point_metrics_init(&all);
	for (i = 0; i < 1000; i++) {
		double y = (i % 7) * 1.25 - 2, f = y + sin(i) * 0.3 + (i % 11 == 0 ? 5 : 0);
		struct point_metrics *part = i % 3 ? &a : &b;

		point_metrics_add(part, y, f);
		point_metrics_add(&all, y, f);
		if (i % 4 == 0) {
			point_metrics_add_interval(part, y, f - 0.2, f + 0.2 + (i % 5) * 0.1);
			point_metrics_add_interval(&all, y, f - 0.2, f + 0.2 + (i % 5) * 0.1);
		}
	}
	point_metrics_merge(&a, &b);
	is_int(a.n, all.n, "merged n equals one pass's");
	is_int(a.mape_n, all.mape_n, "merged MAPE rows equal");
	is_int(a.mape_skipped, all.mape_skipped, "merged MAPE skips equal");
	is_int(a.interval_n, all.interval_n, "merged interval rows equal");
	is_int(a.covered, all.covered, "merged covered rows equal");
	is_num(point_metrics_mae(&a), point_metrics_mae(&all), 1e-14, "merged MAE equals one pass's");
	is_num(point_metrics_rmse(&a), point_metrics_rmse(&all), 1e-14, "merged RMSE equals");
	is_num(point_metrics_bias(&a), point_metrics_bias(&all), 1e-14, "merged bias equals");
	is_num(point_metrics_mape(&a), point_metrics_mape(&all), 1e-12, "merged MAPE equals");
	is_num(point_metrics_smape(&a), point_metrics_smape(&all), 1e-12, "merged sMAPE equals");
	is_num(point_metrics_coverage(&a), point_metrics_coverage(&all), 0, "merged coverage equals");
	is_num(point_metrics_width(&a), point_metrics_width(&all), 1e-14, "merged width equals");

	/* merging an empty one changes nothing; merging into an empty one
	 * copies */
	point_metrics_init(&b);
	point_metrics_merge(&all, &b);
	is_int(all.n, 1000, "merging an empty accumulator adds nothing");
	point_metrics_merge(&b, &a);
	is_num(point_metrics_mae(&b), point_metrics_mae(&a), 0, "merging into an empty one copies");
}

/* A million errors of 0.1: plain summation drifts by about 1e-12 in the
 * mean, the compensated sum stays within an ulp or two. */
static void test_kahan(void)
{
	struct point_metrics m, a, b;
	double naive = 0;

	point_metrics_init(&m);
	point_metrics_init(&a);
	point_metrics_init(&b);
	for (int i = 0; i < 1000000; i++) {
		point_metrics_add(&m, 1.0, 1.1);
		point_metrics_add(i % 2 ? &a : &b, 1.0, 1.1);
		naive += fabs(1.1 - 1.0);
	}
	ok(fabs(naive / 1e6 - (1.1 - 1.0)) > 1e-13, "(plain summation does drift: %.3g)",
	   fabs(naive / 1e6 - (1.1 - 1.0)));
	is_num(point_metrics_mae(&m), 1.1 - 1.0, 1e-16, "MAE of a million equal errors is exact");
	is_num(point_metrics_bias(&m), 1.1 - 1.0, 1e-16, "and so is the bias");
	point_metrics_merge(&a, &b);
	is_num(point_metrics_mae(&a), 1.1 - 1.0, 1e-16, "merging keeps the compensation");
}

static void test_naive_scale(void)
{
	struct naive_scale s;

	/* consecutive days, y = d^2: pairs d - 7 -> d for d = 7..20, each
	 * |d^2 - (d-7)^2| = 14d - 49 */
	naive_scale_init(&s, 7);
	ok(isnan(naive_scale_value(&s)), "no values: NaN");
	for (long long d = 0; d <= 20; d++)
		naive_scale_add(&s, d, (double)(d * d));
	is_int(s.n, 14, "21 consecutive days give 14 pairs 7 days apart");
	{
		double want = 0;

		for (int d = 7; d <= 20; d++)
			want += 14 * d - 49;
		is_num(naive_scale_value(&s), want / 14, 1e-12, "mean |y_t - y_{t-7}|");
	}
	naive_scale_free(&s);

	/* day 3 missing: by rows, seven rows back from day 8 is day 0 and from
	 * day 10 is day 2; by calendar day 7 pairs with day 0, 8 with 1, 9 with
	 * 2, and day 10 has no partner */
	{
		static const long long days[] = { 0, 1, 2, 4, 5, 6, 7, 8, 9, 10 };
		static const double vals[] = { 10, 20, 30, 50, 60, 70, 13, 26, 100, 1000 };

		naive_scale_init(&s, 7);
		for (int i = 0; i < 10; i++)
			naive_scale_add(&s, days[i], vals[i]);
		is_int(s.n, 3, "a missing day: days 7, 8 and 9 pair, day 10 does not");
		is_num(naive_scale_value(&s), (3 + 6 + 70) / 3.0, 1e-12,
		       "pairs by calendar: |13 - 10|, |26 - 20|, |100 - 30|");
		naive_scale_free(&s);
	}

	/* a gap: days 0 and 6 (6 apart) do not pair, 6 and 13 do */
	naive_scale_init(&s, 7);
	naive_scale_add(&s, 0, 1);
	naive_scale_add(&s, 6, 100);
	is_int(s.n, 0, "values 6 days apart do not pair for m = 7");
	ok(isnan(naive_scale_value(&s)), "and the scale is still NaN");
	naive_scale_add(&s, 14, 5);
	is_int(s.n, 0, "values 14 days apart do not pair for m = 7");
	naive_scale_add(&s, 13, 103);
	is_int(s.n, 1, "values 7 days apart pair even out of row order");
	is_num(naive_scale_value(&s), 3, 0, "|103 - 100|");

	/* reset: the next series does not pair with the last */
	naive_scale_reset(&s);
	naive_scale_add(&s, 20, 1000);
	naive_scale_add(&s, 21, 1);
	is_int(s.n, 1, "after reset, day 20 does not pair with day 13 of the last series");
	naive_scale_add(&s, 27, 1005);
	is_int(s.n, 2, "pairs within the new series count");
	is_num(naive_scale_value(&s), (3 + 5) / 2.0, 1e-15, "reset keeps the sums: a pooled scale");

	/* a missing value is an absent day */
	naive_scale_add(&s, 28, NAN);
	naive_scale_add(&s, 35, 7);
	is_int(s.n, 2, "a NaN value pairs with nothing");
	naive_scale_free(&s);
	ok(s.ring == NULL && s.days == NULL, "free releases the ring");

	/* negative days and m = 1 */
	naive_scale_init(&s, 1);
	naive_scale_add(&s, -3, 1);
	naive_scale_add(&s, -2, 4);
	naive_scale_add(&s, -1, 2);
	naive_scale_add(&s, 1, 50);
	is_int(s.n, 2, "m = 1 pairs consecutive days across negative day numbers, not over a gap");
	is_num(naive_scale_value(&s), (3 + 2) / 2.0, 1e-15, "mean absolute first difference");
	naive_scale_free(&s);

	naive_scale_init(&s, 7);
	naive_scale_add(&s, -7, 2);
	naive_scale_add(&s, 0, 9);
	is_int(s.n, 1, "day -7 pairs with day 0");
	naive_scale_free(&s);
}

static void test_class(void)
{
	/* y, p:   1 0.9 | 0 0.1 | 1 0.6 | 0 0.6 | 1 0.3
	 * pairs (positive, negative): (0.9, 0.1) 1, (0.9, 0.6) 1,
	 * (0.6, 0.1) 1, (0.6, 0.6) a tie, 1/2, (0.3, 0.1) 1, (0.3, 0.6) 0:
	 * 4.5 of 6 */
	static const int y[] = { 1, 0, 1, 0, 1 };
	static const double p[] = { 0.9, 0.1, 0.6, 0.6, 0.3 };
	struct class_metrics m;
	struct calibration_bin cal[CLASS_CALIBRATION_BINS];

	class_metrics_init(&m);
	for (int i = 0; i < 5; i++)
		class_metrics_add(&m, y[i], p[i]);
	is_int(m.n, 5, "five rows");
	is_int(m.npos, 3, "three positives");
	is_num(class_metrics_auc(&m), 4.5 / 6, 1e-15, "AUC = 4.5 / 6, the tie counted half");
	is_num(class_metrics_logloss(&m), -(log(0.9) + log(0.9) + log(0.6) + log(0.4) + log(0.3)) / 5, 1e-15,
	       "log loss = -mean(y log p + (1 - y) log(1 - p))");
	is_num(class_metrics_brier(&m), (0.01 + 0.01 + 0.16 + 0.36 + 0.49) / 5, 1e-15,
	       "Brier = mean (p - y)^2");
	class_metrics_calibration(&m, cal);
	ok(cal[0].lo == 0 && cal[0].hi == 0.1 && cal[9].lo == 0.9 && cal[9].hi == 1,
	   "calibration: ten bins of width 0.1 from 0 to 1");
	ok(cal[1].n == 1 && cal[3].n == 1 && cal[6].n == 2 && cal[9].n == 1 &&
	   cal[0].n + cal[2].n + cal[4].n + cal[5].n + cal[7].n + cal[8].n == 0,
	   "calibration: 0.1 in bin 1, 0.3 in 3, both 0.6 in 6, 0.9 in 9");
	is_num(cal[6].mean_pred, 0.6, 1e-15, "bin 6: mean prediction 0.6");
	is_num(cal[6].observed, 0.5, 0, "bin 6: one of two positive");
	ok(cal[1].observed == 0 && cal[9].observed == 1 && cal[3].observed == 1,
	   "bins 1, 3, 9: observed 0, 1, 1");
	ok(isnan(cal[0].mean_pred) && isnan(cal[0].observed), "an empty bin: NaN");
	class_metrics_free(&m);
	ok(m.p == NULL && m.n == 0, "free empties the accumulator");

	/* edges */
	class_metrics_init(&m);
	ok(isnan(class_metrics_auc(&m)) && isnan(class_metrics_logloss(&m)) && isnan(class_metrics_brier(&m)),
	   "no rows: every measure NaN");
	for (int i = 0; i < 10; i++)
		class_metrics_add(&m, i % 3 == 0, 0.3);
	is_num(class_metrics_auc(&m), 0.5, 0, "every prediction equal: AUC exactly 0.5");
	class_metrics_free(&m);
	for (int i = 0; i < 10; i++)
		class_metrics_add(&m, i >= 6, i / 10.0);
	is_num(class_metrics_auc(&m), 1, 0, "a perfect ranking: AUC 1");
	class_metrics_free(&m);
	for (int i = 0; i < 10; i++)
		class_metrics_add(&m, i < 6, i / 10.0);
	is_num(class_metrics_auc(&m), 0, 0, "a reversed ranking: AUC 0");
	class_metrics_free(&m);
	for (int i = 0; i < 4; i++)
		class_metrics_add(&m, 1, 0.2 * i);
	ok(isnan(class_metrics_auc(&m)), "only positives: AUC NaN");
	ok(isfinite(class_metrics_logloss(&m)) && isfinite(class_metrics_brier(&m)),
	   "but log loss and Brier are defined");
	class_metrics_free(&m);
	for (int i = 0; i < 4; i++)
		class_metrics_add(&m, 0, 0.2 * i);
	ok(isnan(class_metrics_auc(&m)), "only negatives: AUC NaN");
	class_metrics_free(&m);

	/* clipping */
	class_metrics_add(&m, 1, 0);
	is_num(class_metrics_logloss(&m), -log(1e-15), 1e-12, "y = 1, p = 0: log loss -log(1e-15), not infinity");
	is_num(class_metrics_brier(&m), 1, 0, "and Brier 1 (unclipped)");
	class_metrics_free(&m);
	class_metrics_add(&m, 0, 1);
	is_num(class_metrics_logloss(&m), -log1p(-(1 - 1e-15)), 1e-12, "y = 0, p = 1: clipped at 1 - 1e-15");
	class_metrics_free(&m);
	class_metrics_add(&m, 1, 1);
	class_metrics_add(&m, 0, 0);
	ok(class_metrics_logloss(&m) > 0 && class_metrics_logloss(&m) < 1e-14,
	   "certain and right: a log loss just above 0");
	class_metrics_calibration(&m, cal);
	ok(cal[9].n == 1 && cal[0].n == 1, "p = 1 falls in the last bin, p = 0 in the first");
	class_metrics_free(&m);
	class_metrics_add(&m, 1, 1.5);
	class_metrics_add(&m, 0, -0.5);
	class_metrics_add(&m, 0, NAN);
	ok(m.p[0] == 1 && m.p[1] == 0 && m.p[2] == 0, "predictions outside [0, 1] (and NaN) are clamped");
	class_metrics_free(&m);
}

/* AUC from ranks against the pairwise definition, on many ties; merging. */
static void test_class_pairs(void)
{
	struct class_metrics all, a, b;
	int yy[3000];
	double pp[3000], good = 0;
	long long npos = 0, nneg = 0;
	unsigned s = 12345;

	class_metrics_init(&all);
	class_metrics_init(&a);
	class_metrics_init(&b);
	for (int i = 0; i < 3000; i++) {
		s = s * 1103515245u + 12345u;
		pp[i] = (double)((s >> 8) % 21) / 20;   /* 21 values: ties galore */
		s = s * 1103515245u + 12345u;
		yy[i] = (double)((s >> 8) % 1000) / 1000 < 0.2 + 0.6 * pp[i];
		class_metrics_add(&all, yy[i], pp[i]);
		class_metrics_add(i % 3 ? &a : &b, yy[i], pp[i]);
	}
	for (int i = 0; i < 3000; i++) {
		if (!yy[i])
			continue;
		npos++;
		for (int j = 0; j < 3000; j++)
			if (!yy[j])
				good += pp[i] > pp[j] ? 1 : pp[i] == pp[j] ? 0.5 : 0;
	}
	nneg = 3000 - npos;
	is_num(class_metrics_auc(&all), good / (double)npos / (double)nneg, 1e-12,
	       "AUC from ranks equals the pairwise count (%.6f)", good / (double)npos / (double)nneg);
	ok(class_metrics_auc(&all) > 0.6, "and is well above 0.5 on informative predictions");
	class_metrics_merge(&a, &b);
	is_int(a.n, all.n, "merged n equals one pass's");
	is_int(a.npos, all.npos, "merged positives equal");
	is_num(class_metrics_auc(&a), class_metrics_auc(&all), 1e-15, "merged AUC equals");
	is_num(class_metrics_logloss(&a), class_metrics_logloss(&all), 1e-14, "merged log loss equals");
	is_num(class_metrics_brier(&a), class_metrics_brier(&all), 1e-14, "merged Brier equals");
	{
		struct calibration_bin x[CLASS_CALIBRATION_BINS], w[CLASS_CALIBRATION_BINS];
		int same = 1;
		size_t total = 0;

		class_metrics_calibration(&a, x);
		class_metrics_calibration(&all, w);
		for (int k = 0; k < CLASS_CALIBRATION_BINS; k++) {
			same &= x[k].n == w[k].n && fabs(x[k].mean_pred - w[k].mean_pred) < 1e-14 &&
				x[k].observed == w[k].observed;
			total += w[k].n;
		}
		ok(same, "merged calibration table equals");
		is_int(total, 3000, "the bins hold every row");
	}
	class_metrics_free(&all);
	class_metrics_free(&a);
	class_metrics_free(&b);
}

int main(void)
{
	test_class();
	test_class_pairs();
	test_point();
	test_empty();
	test_interval();
	test_merge();
	test_kahan();
	test_naive_scale();
	return tap_done();
}
