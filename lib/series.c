/*
 * series: per-key feature state and computation (see series.h).
 */
#include "series.h"

#include "timeutil.h"
#include "xalloc.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

static size_t plan_add_input(struct series_plan *p, const char *name)
{
	for (size_t i = 0; i < p->ninputs; i++)
		if (strcmp(p->inputs[i], name) == 0)
			return i;
	p->inputs = xrealloc(p->inputs, (p->ninputs + 1) * sizeof *p->inputs);
	p->inputs[p->ninputs] = xstrdup(name);
	return p->ninputs++;
}

static size_t plan_add_slot(struct series_plan *p, size_t input, int fill)
{
	for (size_t i = 0; i < p->nslots; i++)
		if (p->slots[i].input == input && p->slots[i].fill == fill)
			return i;
	p->slots = xrealloc(p->slots, (p->nslots + 1) * sizeof *p->slots);
	p->slots[p->nslots].input = input;
	p->slots[p->nslots].fill = fill;
	return p->nslots++;
}

void series_plan_init(struct series_plan *p, struct featspec *feats, size_t n)
{
	memset(p, 0, sizeof *p);
	p->nfeats = n;
	p->feats = xmalloc((n ? n : 1) * sizeof *p->feats);
	if (n)
		memcpy(p->feats, feats, n * sizeof *feats);
	p->col = xmalloc((n ? n : 1) * sizeof *p->col);
	p->col2 = xmalloc((n ? n : 1) * sizeof *p->col2);
	p->slot = xmalloc((n ? n : 1) * sizeof *p->slot);
	p->ewm = xmalloc((n ? n : 1) * sizeof *p->ewm);
	for (size_t i = 0; i < n; i++) {
		const struct featspec *f = &p->feats[i];
		int lb = featspec_lookback(f);

		p->col[i] = f->col ? plan_add_input(p, f->col) : NONE;
		p->col2[i] = f->col2 ? plan_add_input(p, f->col2) : NONE;
		p->slot[i] = NONE;
		p->ewm[i] = NONE;
		if (f->kind == FEAT_LAG || f->kind == FEAT_ROLL)
			p->slot[i] = plan_add_slot(p, p->col[i], f->fill);
		else if (f->kind == FEAT_EWM) {
			p->ewm[i] = p->newm++;
			/* a slot keeps the column's last value for ffill */
			if (f->fill == FILL_FFILL)
				p->slot[i] = plan_add_slot(p, p->col[i], f->fill);
		}
		if (lb > p->lookback)
			p->lookback = lb;
	}
	p->ring = p->lookback > 0 ? p->lookback : 1;
}

void series_plan_free(struct series_plan *p)
{
	for (size_t i = 0; i < p->nfeats; i++)
		featspec_free(&p->feats[i]);
	for (size_t i = 0; i < p->ninputs; i++)
		free(p->inputs[i]);
	free(p->feats);
	free(p->inputs);
	free(p->col);
	free(p->col2);
	free(p->slot);
	free(p->ewm);
	free(p->slots);
	memset(p, 0, sizeof *p);
}

long series_plan_input(const struct series_plan *p, const char *name)
{
	for (size_t i = 0; i < p->ninputs; i++)
		if (strcmp(p->inputs[i], name) == 0)
			return (long)i;
	return -1;
}

void series_state_init(struct series_state *s, const struct series_plan *p)
{
	memset(s, 0, sizeof *s);
	s->ring = xmalloc((p->nslots * (size_t)p->ring + 1) * sizeof *s->ring);
	s->last = xmalloc((p->nslots + 1) * sizeof *s->last);
	s->ewm_num = xcalloc(p->newm + 1, sizeof *s->ewm_num);
	s->ewm_den = xcalloc(p->newm + 1, sizeof *s->ewm_den);
	for (size_t i = 0; i < p->nslots; i++)
		s->last[i] = NAN;
}

void series_state_free(struct series_state *s)
{
	free(s->ring);
	free(s->last);
	free(s->ewm_num);
	free(s->ewm_den);
	memset(s, 0, sizeof *s);
}

void series_state_copy(struct series_state *dst, const struct series_state *src,
		       const struct series_plan *p)
{
	dst->started = src->started;
	dst->first_day = src->first_day;
	dst->last_day = src->last_day;
	memcpy(dst->ring, src->ring, p->nslots * (size_t)p->ring * sizeof *dst->ring);
	memcpy(dst->last, src->last, p->nslots * sizeof *dst->last);
	memcpy(dst->ewm_num, src->ewm_num, p->newm * sizeof *dst->ewm_num);
	memcpy(dst->ewm_den, src->ewm_den, p->newm * sizeof *dst->ewm_den);
}

static size_t ring_pos(int64_t day, int ring)
{
	int64_t m = day % ring;

	return (size_t)(m < 0 ? m + ring : m);
}

/* What a day without a value holds under fill. */
static double gap_value(int fill, double last)
{
	switch ((enum fill_mode)fill) {
	case FILL_ZERO: return 0;
	case FILL_FFILL: return last;
	case FILL_NONE: break;
	}
	return NAN;
}

/* The value of slot on day u, for a row after every pushed day: NaN before
 * the series starts, the gap value between the last push and the row. */
static double slot_value(const struct series_state *s, const struct series_plan *p,
			 size_t slot, int64_t u)
{
	if (!s->started || u < s->first_day)
		return NAN;
	if (u > s->last_day)
		return gap_value(p->slots[slot].fill, s->last[slot]);
	return s->ring[slot * (size_t)p->ring + ring_pos(u, p->ring)];
}

static double rolling(const struct series_state *s, const struct series_plan *p,
		      size_t slot, int stat, int64_t day, int n)
{
	double buf[64], *v = n <= 64 ? buf : xmalloc((size_t)n * sizeof *v), r = NAN;
	size_t k = 0;

	for (int64_t u = day - n; u < day; u++) {
		double x = slot_value(s, p, slot, u);

		if (!isnan(x))
			v[k++] = x;
	}
	if (k > 0) {
		switch ((enum roll_stat)stat) {
		case ROLL_MEAN: r = gsl_stats_mean(v, 1, k); break;
		case ROLL_STD: r = k >= 2 ? gsl_stats_sd(v, 1, k) : NAN; break;
		case ROLL_MIN: r = gsl_stats_min(v, 1, k); break;
		case ROLL_MAX: r = gsl_stats_max(v, 1, k); break;
		case ROLL_SUM:
			r = 0;
			for (size_t i = 0; i < k; i++)
				r += v[i];
			break;
		}
	}
	if (v != buf)
		free(v);
	return r;
}

/* sum of a^i for i in [0, g) */
static double geometric(double a, int64_t g)
{
	return g <= 0 ? 0 : (1 - pow(a, (double)g)) / (1 - a);
}

/* Decays an ewm state over g days without a pushed value that hold x
 * (NaN: nothing, only decay). */
static void ewm_gap(double *num, double *den, double a, int64_t g, double x)
{
	double d = pow(a, (double)g);

	*num *= d;
	*den *= d;
	if (!isnan(x)) {
		double sum = geometric(a, g);

		*num += x * sum;
		*den += sum;
	}
}

static double ewm_decay(const struct featspec *f)
{
	return pow(0.5, 1.0 / f->param);
}

static double ewm_value(const struct series_state *s, const struct series_plan *p,
			size_t i, int64_t day)
{
	const struct featspec *f = &p->feats[i];
	size_t e = p->ewm[i];
	double num = s->ewm_num[e], den = s->ewm_den[e];

	if (!s->started)
		return NAN;
	/* days between the last push and the row hold the gap value */
	if (day - 1 > s->last_day && f->fill != FILL_NONE)
		ewm_gap(&num, &den, ewm_decay(f), day - 1 - s->last_day,
			f->fill == FILL_ZERO ? 0 : s->last[p->slot[i]]);
	return den > 0 ? num / den : NAN;
}

static double calendar(const struct featspec *f, int64_t day)
{
	int64_t y;
	unsigned m, d;

	switch ((enum feat_kind)f->kind) {
	case FEAT_DOW: return time_weekday(day) + 1;
	case FEAT_WEEKEND: return time_weekday(day) >= 5;
	case FEAT_MONTH:
		time_civil_from_days(day, &y, &m, &d);
		return m;
	case FEAT_DOM:
		time_civil_from_days(day, &y, &m, &d);
		return d;
	case FEAT_FOURIER: {
		/* reduce k*day modulo the period first, so the angle stays
		 * small and exact over any span of days */
		double phase = fmod((double)f->n * (double)day, f->param) / f->param;

		return f->sine ? sin(2 * M_PI * phase) : cos(2 * M_PI * phase);
	}
	case FEAT_RAW:
	case FEAT_LAG:
	case FEAT_ROLL:
	case FEAT_EWM:
	case FEAT_LOG1P:
	case FEAT_RATIO:
		break;
	}
	return NAN;
}

void series_compute(const struct series_state *s, const struct series_plan *p,
		    int64_t day, const double *row, double *out)
{
	for (size_t i = 0; i < p->nfeats; i++) {
		const struct featspec *f = &p->feats[i];
		double v = NAN;

		switch ((enum feat_kind)f->kind) {
		case FEAT_RAW:
			v = row[p->col[i]];
			break;
		case FEAT_LAG:
			v = slot_value(s, p, p->slot[i], day - f->n);
			break;
		case FEAT_ROLL:
			if (s->started && day - f->n >= s->first_day)
				v = rolling(s, p, p->slot[i], f->stat, day, f->n);
			break;
		case FEAT_EWM:
			v = ewm_value(s, p, i, day);
			break;
		case FEAT_DOW:
		case FEAT_MONTH:
		case FEAT_DOM:
		case FEAT_WEEKEND:
		case FEAT_FOURIER:
			v = calendar(f, day);
			break;
		case FEAT_LOG1P: {
			double x = row[p->col[i]];

			v = x > -1 ? log1p(x) : NAN;
			break;
		}
		case FEAT_RATIO: {
			double a = row[p->col[i]], b = row[p->col2[i]];

			v = b != 0 ? a / b : NAN;
			break;
		}
		}
		out[i] = isfinite(v) ? v : NAN;
	}
}

int series_warm(const struct series_state *s, const struct series_plan *p, int64_t day)
{
	if (p->lookback == 0)
		return 1;
	return s->started && day - s->first_day >= p->lookback;
}

void series_push(struct series_state *s, const struct series_plan *p, int64_t day,
		 const double *row)
{
	int64_t gap;

	if (!s->started) {
		s->started = 1;
		s->first_day = day;
		s->last_day = day - 1;
	}
	gap = day - 1 - s->last_day;   /* days without a row in between */
	/* decayed means first: they read the last values before this day */
	for (size_t i = 0; i < p->nfeats; i++) {
		const struct featspec *f = &p->feats[i];
		size_t e = p->ewm[i];
		double a, x, last;

		if (e == NONE)
			continue;
		a = ewm_decay(f);
		x = row[p->col[i]];
		/* the column's last value before this day */
		last = f->fill == FILL_FFILL ? s->last[p->slot[i]] : NAN;
		/* the gap, then the day itself */
		ewm_gap(&s->ewm_num[e], &s->ewm_den[e], a, gap,
			f->fill == FILL_ZERO ? 0 : f->fill == FILL_FFILL ? last : NAN);
		s->ewm_num[e] *= a;
		s->ewm_den[e] *= a;
		if (isnan(x))
			x = f->fill == FILL_ZERO ? 0 : f->fill == FILL_FFILL ? last : NAN;
		if (!isnan(x)) {
			s->ewm_num[e] += x;
			s->ewm_den[e] += 1;
		}
	}
	for (size_t k = 0; k < p->nslots; k++) {
		const struct series_slot *sl = &p->slots[k];
		double *r = s->ring + k * (size_t)p->ring;
		double g = gap_value(sl->fill, s->last[k]);
		double x = row[sl->input];
		int64_t from = gap > p->ring ? day - p->ring : s->last_day + 1;

		for (int64_t u = from; u < day; u++)
			r[ring_pos(u, p->ring)] = g;
		if (isnan(x))
			x = gap_value(sl->fill, s->last[k]);
		else
			s->last[k] = x;
		r[ring_pos(day, p->ring)] = x;
	}
	s->last_day = day;
}
