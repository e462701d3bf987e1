/*
 * metrics: accuracy measures of point forecasts and of predicted
 * probabilities, accumulated one pair at a time so that a fold, a key or a
 * whole file is scored in one pass.
 *
 * MAE = mean |y - f|; RMSE = sqrt(mean (y - f)^2); bias = mean (f - y);
 * MAPE = 100 mean |y - f| / |y| over rows with y != 0 (rows with y = 0 are
 * counted in mape_skipped, since a percentage of zero is undefined);
 * sMAPE = 100 mean 2|y - f| / (|y| + |f|) (a row with y = f = 0 counts 0);
 * MASE = MAE / scale, where scale is the in-sample mean absolute error of
 * the seasonal naive forecast (y_t - y_{t-m}), supplied by the caller
 * because only the caller knows the history; NaN when the scale is 0 or
 * unknown.  Interval coverage is the share of rows with lo <= y <= hi, and
 * width the mean of hi - lo.
 *
 * Sums are Kahan-compensated; a metric with no rows is NaN (written as a
 * missing value), never 0.
 *
 * Classification (class_metrics): predicted probabilities p of the
 * positive class against labels y in {0, 1}.
 *   AUC, the probability that a random positive is ranked above a random
 *   negative: the Mann-Whitney statistic from ranks, ties counted half
 *   (each run of equal predictions shares its mean rank), so that one
 *   prediction for every row gives 0.5 and a perfect ranking 1; NaN when
 *   either class is absent (nothing to rank against).
 *   Log loss, mean -(y log p + (1 - y) log(1 - p)), with p clipped to
 *   [1e-15, 1 - 1e-15] first: a confident wrong prediction of exactly 0 or
 *   1 would otherwise cost infinity, and one row would decide the mean.
 *   Brier score, mean (p - y)^2.
 *   Calibration by probability deciles: fixed bins [0, 0.1), [0.1, 0.2),
 *   ..., [0.9, 1] (bin floor(10 p)), each with its count, mean prediction
 *   and observed share of positives.  Fixed bins rather than equal-count
 *   ones (Hosmer-Lemeshow's deciles of risk), so that the tables of two
 *   models or two folds compare bin by bin.
 * AUC needs every prediction (ranks are global), so the accumulator keeps
 * them; the other measures are running sums.  Ranking uses GSL's
 * gsl_sort_index; the rank sum is kept doubled in an integer, exact.
 */
#ifndef ADASH_METRICS_H
#define ADASH_METRICS_H

#include <math.h>
#include <stddef.h>

struct kahan {
	double sum, c;
};

static inline void kahan_add(struct kahan *k, double x)
{
	double y = x - k->c;
	double t = k->sum + y;
	k->c = (t - k->sum) - y;
	k->sum = t;
}

/* A Kahan sum's best estimate: c holds what the last addition lost,
 * negated. */
static inline double kahan_value(const struct kahan *k)
{
	return k->sum - k->c;
}

/* sum / n, or NaN when there is nothing to average. */
static inline double kahan_mean(const struct kahan *k, size_t n)
{
	return n ? kahan_value(k) / (double)n : NAN;
}

/* Adds b into a: its sum and its compensation as two terms. */
static inline void kahan_merge(struct kahan *a, const struct kahan *b)
{
	kahan_add(a, b->sum);
	kahan_add(a, -b->c);
}

struct point_metrics {
	size_t n;
	struct kahan abs_err, sq_err, err, ape, sape;
	size_t mape_n, mape_skipped;
	size_t interval_n, covered;
	struct kahan width;
};

void point_metrics_init(struct point_metrics *m);
/* Adds one actual y and forecast f (both finite). */
void point_metrics_add(struct point_metrics *m, double y, double f);
/* Adds an interval [lo, hi] for actual y. */
void point_metrics_add_interval(struct point_metrics *m, double y, double lo, double hi);
/* Merges b into a (per-key metrics into an overall one). */
void point_metrics_merge(struct point_metrics *a, const struct point_metrics *b);

double point_metrics_mae(const struct point_metrics *m);
double point_metrics_rmse(const struct point_metrics *m);
double point_metrics_bias(const struct point_metrics *m);
double point_metrics_mape(const struct point_metrics *m);
double point_metrics_smape(const struct point_metrics *m);
/* MAE / scale; NaN when scale is not > 0. */
double point_metrics_mase(const struct point_metrics *m, double scale);
double point_metrics_coverage(const struct point_metrics *m);
double point_metrics_width(const struct point_metrics *m);

/* Seasonal naive scale accumulated over a series in time order: feed each
 * value with its day number; pairs m days apart (by calendar, not by row)
 * add |y_t - y_{t-m}|.  Keeps the last m days' values. */
struct naive_scale {
	int m;
	double *ring;      /* m values, NaN where the day was absent */
	long long *days;   /* day of each ring slot */
	struct kahan sum;
	size_t n;
};
void naive_scale_init(struct naive_scale *s, int m);
/* A new series starts: pairs never span the two; the running sum is kept,
 * so series fed in turn pool into one scale. */
void naive_scale_reset(struct naive_scale *s);
void naive_scale_add(struct naive_scale *s, long long day, double y);
/* Mean |y_t - y_{t-m}|, or NaN with no pairs. */
double naive_scale_value(const struct naive_scale *s);
void naive_scale_free(struct naive_scale *s);

#define CLASS_CALIBRATION_BINS 10
/* Predictions are clipped to [CLASS_LOGLOSS_EPS, 1 - CLASS_LOGLOSS_EPS]
 * for log loss only. */
#define CLASS_LOGLOSS_EPS 1e-15

struct class_metrics {
	size_t n, npos;
	double *p;             /* every prediction, for AUC */
	unsigned char *y;      /* and its label */
	size_t cap;
	struct kahan logloss, brier;
	size_t bin_n[CLASS_CALIBRATION_BINS], bin_pos[CLASS_CALIBRATION_BINS];
	struct kahan bin_p[CLASS_CALIBRATION_BINS];
};

/* One row of the calibration table. */
struct calibration_bin {
	double lo, hi;         /* predictions in [lo, hi); the last bin includes 1 */
	size_t n;
	double mean_pred;      /* NaN when n = 0 */
	double observed;       /* share of positives; NaN when n = 0 */
};

void class_metrics_init(struct class_metrics *m);
/* Adds one label y (0 or 1; anything else counts as 1) and prediction p
 * in [0, 1] (values outside are taken as the nearer end). */
void class_metrics_add(struct class_metrics *m, int y, double p);
/* Merges b into a. */
void class_metrics_merge(struct class_metrics *a, const struct class_metrics *b);
/* NaN when either class is absent. */
double class_metrics_auc(const struct class_metrics *m);
double class_metrics_logloss(const struct class_metrics *m);
double class_metrics_brier(const struct class_metrics *m);
/* The CLASS_CALIBRATION_BINS rows of the calibration table into out. */
void class_metrics_calibration(const struct class_metrics *m,
			       struct calibration_bin out[CLASS_CALIBRATION_BINS]);
void class_metrics_free(struct class_metrics *m);

#endif
