/*
 * metrics: accuracy measures of point forecasts, accumulated one pair at a
 * time so that a fold, a key or a whole file is scored in one pass.
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
 */
#ifndef ADASH_METRICS_H
#define ADASH_METRICS_H

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

#endif
