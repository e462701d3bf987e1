/*
 * offpolicy: what a new policy would have earned, estimated from rows that
 * another policy (the logging policy) chose, with the probability it chose
 * each (its propensity) and the reward that followed.
 *
 * Each logged row i has a weight w_i = pi_new(a_i) / pi_log(a_i): how much
 * more (or less) often the new policy takes the logged action than the
 * logging policy did; the caller computes it (eval.c: 1 / propensity when
 * the new layout takes the logged action, else 0).  Over n rows:
 *   IPS   = sum w_i r_i / n    (inverse propensity scoring, Horvitz and
 *           Thompson): unbiased for the new policy's mean reward when every
 *           action the new policy takes had a propensity > 0 and the
 *           propensities are the true ones;
 *   SNIPS = sum w_i r_i / sum w_i   (self-normalized): a little biased,
 *           but bounded by the rewards and much less variable when a few
 *           rows have large weights; NaN when no weight is > 0;
 *   ESS   = (sum w_i)^2 / sum w_i^2   (Kish's effective sample size): how
 *           many rows the estimate is really worth; n when every weight is
 *           equal, near 1 when one row dominates, 0 when no row matches.
 * The logged rows' mean reward, the logging policy's own value, is kept
 * beside them for comparison.
 *
 * Confidence intervals: the percentile bootstrap.  B resamples of n rows
 * drawn with replacement, each estimated again, and the (1 - L)/2 and
 * (1 + L)/2 quantiles of the B estimates (GSL's interpolated quantile of
 * the sorted values).  Resamples in which no row matches have no SNIPS and
 * are left out of its interval.  Rejected: a normal interval from the
 * delta method, which assumes a symmetric spread that heavy weights do not
 * give; the bootstrap makes no such assumption and is what analysts
 * expect.  The draws come from the caller's gsl_rng, so the same seed
 * gives the same interval.
 *
 * Every row's weight and reward are kept for the bootstrap (16 bytes a
 * row); the estimates themselves are Kahan-compensated running sums.
 */
#ifndef ADASH_OFFPOLICY_H
#define ADASH_OFFPOLICY_H

#include "metrics.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>

struct ips {
	size_t n, matched;      /* rows, rows with w > 0 */
	double *w, *r;          /* every row's weight and reward */
	size_t cap;
	struct kahan sw, swr, sw2, sr;
};

/* A confidence interval of both estimates; NaN where there is none. */
struct ips_interval {
	double ips_lo, ips_hi, snips_lo, snips_hi;
};

void ips_init(struct ips *m);
/* Adds a logged row of weight w (finite, >= 0) and reward r (finite). */
void ips_add(struct ips *m, double w, double r);

/* NaN with no rows. */
double ips_estimate(const struct ips *m);
/* NaN when no weight is > 0. */
double ips_snips(const struct ips *m);
/* 0 when no weight is > 0; NaN with no rows. */
double ips_ess(const struct ips *m);
/* The mean reward of the logged rows; NaN with no rows. */
double ips_logged(const struct ips *m);

/* The percentile bootstrap interval at level (0 < level < 1, e.g. 0.95)
 * from `resamples` resamples drawn with rng; all NaN with no rows or no
 * resamples. */
void ips_bootstrap(const struct ips *m, size_t resamples, double level, gsl_rng *rng,
		   struct ips_interval *out);

void ips_free(struct ips *m);

#endif
