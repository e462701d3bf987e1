/*
 * metrics: see metrics.h.
 *
 * A Kahan sum's best estimate is sum - c (c holds what the last addition
 * lost, negated), so that is what every mean divides; merging two
 * accumulators adds the other's sum and its compensation as two terms.
 *
 * The seasonal naive scale keeps a ring of m slots indexed by day mod m:
 * the slot a day lands in last held day - m exactly when the series had a
 * value m days ago, so a gap in the calendar (or a repeated day) never pairs
 * values that are not m days apart, whatever the rows in between.
 * naive_scale_reset forgets the ring, not the sums: pairs never cross from
 * one series to the next, and the scale of several series fed in turn is
 * their pooled one (init again for a scale per series).
 *
 * AUC from ranks (Mann-Whitney): sort the predictions, give each run of
 * equal ones the mean of the ranks it spans, and
 *   AUC = (R+ - n+ (n+ + 1) / 2) / (n+ n-)
 * where R+ is the positives' rank sum.  A run spanning ranks i + 1 .. j
 * has mean rank (i + 1 + j) / 2, so twice every rank is an integer and
 * twice R+ is summed exactly in 64 bits (up to billions of rows); the
 * pairwise count, O(n^2), was rejected.  A positive and a negative of
 * equal prediction then count half a correctly ordered pair, so all-equal
 * predictions give exactly 0.5.
 */
#include "metrics.h"
#include "xalloc.h"

#include <gsl/gsl_sort.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void point_metrics_init(struct point_metrics *m)
{
	memset(m, 0, sizeof *m);
}

void point_metrics_add(struct point_metrics *m, double y, double f)
{
	double err = f - y, ae = fabs(err), denom = fabs(y) + fabs(f);

	m->n++;
	kahan_add(&m->abs_err, ae);
	kahan_add(&m->sq_err, err * err);
	kahan_add(&m->err, err);
	if (y != 0) {
		kahan_add(&m->ape, ae / fabs(y));
		m->mape_n++;
	} else {
		m->mape_skipped++;
	}
	/* y = f = 0 is a perfect forecast: 0, not 0/0 */
	kahan_add(&m->sape, denom > 0 ? 2 * ae / denom : 0);
}

void point_metrics_add_interval(struct point_metrics *m, double y, double lo, double hi)
{
	m->interval_n++;
	if (lo <= y && y <= hi)
		m->covered++;
	kahan_add(&m->width, hi - lo);
}

void point_metrics_merge(struct point_metrics *a, const struct point_metrics *b)
{
	a->n += b->n;
	kahan_merge(&a->abs_err, &b->abs_err);
	kahan_merge(&a->sq_err, &b->sq_err);
	kahan_merge(&a->err, &b->err);
	kahan_merge(&a->ape, &b->ape);
	kahan_merge(&a->sape, &b->sape);
	a->mape_n += b->mape_n;
	a->mape_skipped += b->mape_skipped;
	a->interval_n += b->interval_n;
	a->covered += b->covered;
	kahan_merge(&a->width, &b->width);
}

double point_metrics_mae(const struct point_metrics *m)
{
	return kahan_mean(&m->abs_err, m->n);
}

double point_metrics_rmse(const struct point_metrics *m)
{
	return sqrt(kahan_mean(&m->sq_err, m->n));
}

double point_metrics_bias(const struct point_metrics *m)
{
	return kahan_mean(&m->err, m->n);
}

double point_metrics_mape(const struct point_metrics *m)
{
	return 100 * kahan_mean(&m->ape, m->mape_n);
}

double point_metrics_smape(const struct point_metrics *m)
{
	return 100 * kahan_mean(&m->sape, m->n);
}

double point_metrics_mase(const struct point_metrics *m, double scale)
{
	if (!(scale > 0) || !isfinite(scale))
		return NAN;
	return point_metrics_mae(m) / scale;
}

double point_metrics_coverage(const struct point_metrics *m)
{
	return m->interval_n ? (double)m->covered / (double)m->interval_n : NAN;
}

double point_metrics_width(const struct point_metrics *m)
{
	return kahan_mean(&m->width, m->interval_n);
}

void naive_scale_init(struct naive_scale *s, int m)
{
	memset(s, 0, sizeof *s);
	s->m = m > 0 ? m : 0;
	if (s->m) {
		s->ring = xmalloc((size_t)s->m * sizeof *s->ring);
		s->days = xmalloc((size_t)s->m * sizeof *s->days);
	}
	naive_scale_reset(s);
}

void naive_scale_reset(struct naive_scale *s)
{
	for (int i = 0; i < s->m; i++) {
		s->ring[i] = NAN;
		s->days[i] = LLONG_MIN;
	}
}

void naive_scale_add(struct naive_scale *s, long long day, double y)
{
	int slot;

	if (s->m == 0)
		return;
	slot = (int)(day % s->m);
	if (slot < 0)
		slot += s->m;
	/* day - m cannot overflow: a day that close to LLONG_MIN has no
	 * predecessor anyway */
	if (day >= LLONG_MIN + s->m && s->days[slot] == day - s->m &&
	    !isnan(s->ring[slot]) && isfinite(y)) {
		kahan_add(&s->sum, fabs(y - s->ring[slot]));
		s->n++;
	}
	s->ring[slot] = isfinite(y) ? y : NAN;   /* a missing value is an absent day */
	s->days[slot] = day;
}

double naive_scale_value(const struct naive_scale *s)
{
	return kahan_mean(&s->sum, s->n);
}

void naive_scale_free(struct naive_scale *s)
{
	free(s->ring);
	free(s->days);
	memset(s, 0, sizeof *s);
}

/* ---- classification ------------------------------------------------------ */

void class_metrics_init(struct class_metrics *m)
{
	memset(m, 0, sizeof *m);
}

static void class_reserve(struct class_metrics *m, size_t more)
{
	size_t want = m->n + more;

	if (want <= m->cap)
		return;
	if (want < 2 * m->cap)
		want = 2 * m->cap;
	if (want < 64)
		want = 64;
	m->p = xrealloc(m->p, want * sizeof *m->p);
	m->y = xrealloc(m->y, want * sizeof *m->y);
	m->cap = want;
}

void class_metrics_add(struct class_metrics *m, int y, double p)
{
	double pc;
	size_t bin;

	y = y != 0;
	p = p > 0 ? (p < 1 ? p : 1) : 0;   /* NaN too becomes 0 */
	class_reserve(m, 1);
	m->p[m->n] = p;
	m->y[m->n] = (unsigned char)y;
	m->n++;
	m->npos += (size_t)y;
	pc = fmin(fmax(p, CLASS_LOGLOSS_EPS), 1 - CLASS_LOGLOSS_EPS);
	kahan_add(&m->logloss, y ? -log(pc) : -log1p(-pc));
	kahan_add(&m->brier, (p - y) * (p - y));
	bin = (size_t)(p * CLASS_CALIBRATION_BINS);
	if (bin >= CLASS_CALIBRATION_BINS)
		bin = CLASS_CALIBRATION_BINS - 1;   /* p = 1 */
	m->bin_n[bin]++;
	m->bin_pos[bin] += (size_t)y;
	kahan_add(&m->bin_p[bin], p);
}

void class_metrics_merge(struct class_metrics *a, const struct class_metrics *b)
{
	class_reserve(a, b->n);
	if (b->n) {
		memcpy(a->p + a->n, b->p, b->n * sizeof *a->p);
		memcpy(a->y + a->n, b->y, b->n * sizeof *a->y);
	}
	a->n += b->n;
	a->npos += b->npos;
	kahan_merge(&a->logloss, &b->logloss);
	kahan_merge(&a->brier, &b->brier);
	for (size_t k = 0; k < CLASS_CALIBRATION_BINS; k++) {
		a->bin_n[k] += b->bin_n[k];
		a->bin_pos[k] += b->bin_pos[k];
		kahan_merge(&a->bin_p[k], &b->bin_p[k]);
	}
}

double class_metrics_auc(const struct class_metrics *m)
{
	size_t n = m->n, npos = m->npos, nneg = n - npos, *idx;
	uint64_t twice_r = 0, twice_u;

	if (npos == 0 || nneg == 0)
		return NAN;
	idx = xmalloc(n * sizeof *idx);
	gsl_sort_index(idx, m->p, 1, n);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1, pos = m->y[idx[i]];

		while (j < n && m->p[idx[j]] == m->p[idx[i]])
			pos += m->y[idx[j++]];
		/* ranks i + 1 .. j share their mean, (i + 1 + j) / 2 */
		twice_r += (uint64_t)pos * (uint64_t)(i + 1 + j);
		i = j;
	}
	free(idx);
	twice_u = twice_r - (uint64_t)npos * (uint64_t)(npos + 1);
	return (double)twice_u / 2 / (double)npos / (double)nneg;
}

double class_metrics_logloss(const struct class_metrics *m)
{
	return kahan_mean(&m->logloss, m->n);
}

double class_metrics_brier(const struct class_metrics *m)
{
	return kahan_mean(&m->brier, m->n);
}

void class_metrics_calibration(const struct class_metrics *m,
			       struct calibration_bin out[CLASS_CALIBRATION_BINS])
{
	for (size_t k = 0; k < CLASS_CALIBRATION_BINS; k++) {
		struct calibration_bin *b = &out[k];

		b->lo = (double)k / CLASS_CALIBRATION_BINS;
		b->hi = (double)(k + 1) / CLASS_CALIBRATION_BINS;
		b->n = m->bin_n[k];
		b->mean_pred = kahan_mean(&m->bin_p[k], b->n);
		b->observed = b->n ? (double)m->bin_pos[k] / (double)b->n : NAN;
	}
}

void class_metrics_free(struct class_metrics *m)
{
	free(m->p);
	free(m->y);
	memset(m, 0, sizeof *m);
}
