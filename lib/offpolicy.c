/*
 * offpolicy: see offpolicy.h.
 *
 * A resample is n draws of a row index; its IPS is its sum of w r over n
 * and its SNIPS that sum over its sum of w, so one pass over the draws
 * gives both.  Plain sums inside a resample: they are spreads, not the
 * reported estimate, and compensation would double the cost of the
 * bootstrap's B * n loop for no visible change in a quantile.
 */
#include "offpolicy.h"
#include "xalloc.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ips_init(struct ips *m)
{
	memset(m, 0, sizeof *m);
}

void ips_add(struct ips *m, double w, double r)
{
	if (m->n == m->cap) {
		size_t cap = m->cap;

		m->w = xgrow(m->w, &cap, m->n + 1, sizeof *m->w);
		m->r = xrealloc(m->r, cap * sizeof *m->r);
		m->cap = cap;
	}
	m->w[m->n] = w;
	m->r[m->n] = r;
	m->n++;
	m->matched += w > 0;
	kahan_add(&m->sw, w);
	kahan_add(&m->swr, w * r);
	kahan_add(&m->sw2, w * w);
	kahan_add(&m->sr, r);
}

double ips_estimate(const struct ips *m)
{
	return kahan_mean(&m->swr, m->n);
}

double ips_snips(const struct ips *m)
{
	double sw = kahan_value(&m->sw);

	return m->matched && sw > 0 ? kahan_value(&m->swr) / sw : NAN;
}

double ips_ess(const struct ips *m)
{
	double sw = kahan_value(&m->sw), sw2 = kahan_value(&m->sw2);

	if (m->n == 0)
		return NAN;
	return m->matched && sw2 > 0 ? sw * sw / sw2 : 0;
}

double ips_logged(const struct ips *m)
{
	return kahan_mean(&m->sr, m->n);
}

/* A uniform row index below n: GSL's uniform_int takes n up to the
 * generator's range (2^32 - 1 for taus2); beyond that, a scaled uniform. */
static size_t draw(gsl_rng *rng, size_t n)
{
	if (n - 1 <= gsl_rng_max(rng) - gsl_rng_min(rng))
		return (size_t)gsl_rng_uniform_int(rng, (unsigned long)n);
	return (size_t)(gsl_rng_uniform(rng) * (double)n);
}

/* The interval of the sorted values v[0..n) at level, or NaN twice. */
static void percentile(double *v, size_t n, double level, double *lo, double *hi)
{
	if (n == 0) {
		*lo = *hi = NAN;
		return;
	}
	gsl_sort(v, 1, n);
	*lo = gsl_stats_quantile_from_sorted_data(v, 1, n, (1 - level) / 2);
	*hi = gsl_stats_quantile_from_sorted_data(v, 1, n, (1 + level) / 2);
}

void ips_bootstrap(const struct ips *m, size_t resamples, double level, gsl_rng *rng,
		   struct ips_interval *out)
{
	double *ips, *snips;
	size_t nsnips = 0;

	out->ips_lo = out->ips_hi = out->snips_lo = out->snips_hi = NAN;
	if (m->n == 0 || resamples == 0)
		return;
	ips = xcalloc(resamples, sizeof *ips);
	snips = xcalloc(resamples, sizeof *snips);
	for (size_t b = 0; b < resamples; b++) {
		double swr = 0, sw = 0;

		for (size_t i = 0; i < m->n; i++) {
			size_t j = draw(rng, m->n);

			swr += m->w[j] * m->r[j];
			sw += m->w[j];
		}
		ips[b] = swr / (double)m->n;
		if (sw > 0)
			snips[nsnips++] = swr / sw;
	}
	percentile(ips, resamples, level, &out->ips_lo, &out->ips_hi);
	percentile(snips, nsnips, level, &out->snips_lo, &out->snips_hi);
	free(ips);
	free(snips);
}

void ips_free(struct ips *m)
{
	free(m->w);
	free(m->r);
	memset(m, 0, sizeof *m);
}
