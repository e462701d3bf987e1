/*
 * chart: chart data and scales (see chart.h).
 */
#include "chart.h"

#include "num.h"
#include "sidefile.h"
#include "timeutil.h"
#include "xalloc.h"

#include <gsl/gsl_heapsort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int chart_extent(const struct chart *c, double *min, double *max)
{
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < c->nhist; i++) {
		lo = fmin(lo, c->hist[i].value);
		hi = fmax(hi, c->hist[i].value);
	}
	for (size_t i = 0; i < c->nfc; i++) {
		lo = fmin(lo, c->fc[i].pred);
		hi = fmax(hi, c->fc[i].pred);
		if (!isnan(c->fc[i].lo)) {
			lo = fmin(lo, c->fc[i].lo);
			hi = fmax(hi, c->fc[i].hi);
		}
	}
	*min = lo;
	*max = hi;
	return isfinite(lo) ? 0 : -1;
}

/* The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least
 * rough. */
static double round_step_at_least(double rough)
{
	static const double steps[] = { 1, 2, 2.5, 5 };
	double mag = pow(10, floor(log10(rough)));

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (steps[i] * mag >= rough * (1 - 1e-12))
			return steps[i] * mag;
	return 10 * mag;
}

void chart_scale_of(double min, double max, int max_ticks, struct chart_scale *s)
{
	double step, span;
	int decimals;

	/* three ticks always suffice (zero is on every scale: -step, 0, step
	 * cover any range once step reaches its largest value), two do not */
	if (max_ticks < 3)
		max_ticks = 3;
	/* values so large that their range overflows, or so small that a step
	 * underflows, are drawn at the edge of a scale that stays finite */
	min = fmax(fmin(min, CHART_VALUE_MAX), -CHART_VALUE_MAX);
	max = fmax(fmin(max, CHART_VALUE_MAX), -CHART_VALUE_MAX);
	if (!(max - min > CHART_VALUE_MIN * 16 + 1e-12 * fmax(fabs(min), fabs(max)))) {
		/* a flat series: a band of a tenth of its order of magnitude */
		double mid = (min + max) / 2, pad = fabs(mid) > 1 ? pow(10, floor(log10(fabs(mid))) - 1) : 1;

		min = mid - pad;
		max = mid + pad;
	}
	span = (max - min) / (max_ticks - 1);
	/* the finest round step whose ticks, rounded out to cover both
	 * ends, are no more than asked for */
	step = round_step_at_least(span > CHART_VALUE_MIN ? span : CHART_VALUE_MIN);
	for (;;) {
		s->lo = floor(min / step) * step;
		s->hi = ceil(max / step) * step;
		s->nticks = (int)llround((s->hi - s->lo) / step) + 1;
		if (s->nticks <= max_ticks)
			break;
		step = round_step_at_least(step * (1 + 1e-9));
	}
	s->step = step;
	decimals = (int)-floor(log10(step) + 1e-9);
	if (fabs(step / pow(10, -decimals) - 2.5) < 1e-9)
		decimals++;
	s->decimals = decimals < 0 ? 0 : decimals;
}

size_t chart_format_value(double v, int decimals, char *out)
{
	/* num_format_fixed has at most 9 decimals; finer ticks are written in
	 * their shortest form */
	return decimals <= 9 ? num_format_fixed(v, decimals, out) : num_format(v, out);
}

double chart_clamp(const struct chart_scale *s, double v)
{
	return v < s->lo ? s->lo : v > s->hi ? s->hi : v;
}

void chart_days(const struct chart *c, int64_t *first, int64_t *last)
{
	*first = c->nhist ? c->hist[0].day : c->nfc ? c->fc[0].day : 0;
	*last = c->nfc ? c->fc[c->nfc - 1].day : c->nhist ? c->hist[c->nhist - 1].day : 0;
}

int64_t chart_day_step(int64_t span, int max_ticks)
{
	static const int64_t steps[] = { 1, 2, 7, 14, 28, 91, 182, 364 };
	int64_t step = 364;

	if (max_ticks < 2)
		max_ticks = 2;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (span / steps[i] + 1 <= max_ticks)
			return steps[i];
	while (span / step + 1 > max_ticks)
		step += 364;
	return step;
}

/* ---- the set of charts of a forecast ------------------------------------- */

void chart_set_init(struct chart_set *s, const struct chart_set_options *o)
{
	memset(s, 0, sizeof *s);
	s->o = o;
	hashmap_init(&s->index);
}

void chart_set_free(struct chart_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->charts[i].key);
		free(s->charts[i].hist);
		free(s->charts[i].fc);
		free(s->charts[i].window);
	}
	free(s->charts);
	free(s->key_col);
	hashmap_free(&s->index, NULL);
}

const struct chart *chart_set_get(const struct chart_set *s, const char *key, size_t len)
{
	struct hashmap_entry *en = hashmap_get(&s->index, key, len);

	return en ? &s->charts[en->val.num] : NULL;
}


static int number_at(struct reader *r, const struct field *rec, long col, int required,
		     double *v, struct adash_err *e)
{
	*v = NAN;
	if (col < 0 || (!required && field_is_missing(&rec[col])))
		return 0;
	if (num_parse(rec[col].s, rec[col].len, v) < 0 || !isfinite(*v))
		return reader_bad_value(r, reader_colname(r, (size_t)col), &rec[col], "a number", e);
	return 0;
}

/* The key and day of a forecast or history row; cols: key (-1: none), time. */
static int key_day(struct reader *r, const struct field *rec, long key_col, long time_col,
		   const struct field **key, int64_t *day, struct adash_err *e)
{
	static const struct field no_key = { "", 0, FIELD_TEXT };

	*key = key_col >= 0 ? &rec[key_col] : &no_key;
	if (time_parse_date(rec[time_col].s, rec[time_col].len, day) < 0)
		return reader_bad_value(r, reader_colname(r, (size_t)time_col), &rec[time_col],
					"a date (YYYY-MM-DD)", e);
	return 0;
}

/* cols: key, time, pred, lo, hi */
static int forecast_row(void *ctx, struct reader *r, const struct field *rec, const long *cols,
			struct adash_err *e)
{
	struct chart_set *s = ctx;
	long key_col = cols[0];
	const struct field *key;
	struct hashmap_entry *en;
	struct chart_step st;
	struct chart *c;
	int added;

	if (key_col < 0 && !s->o->key && (size_t)cols[1] != 0)
		key_col = 0;   /* adash-forecast writes the key first */
	if (!s->key_col)
		s->key_col = xstrdup(key_col >= 0 ? reader_colname(r, (size_t)key_col) : "");
	s->keyless = key_col < 0;
	if (key_day(r, rec, key_col, cols[1], &key, &st.day, e) < 0 ||
	    number_at(r, rec, cols[2], 1, &st.pred, e) < 0 ||
	    number_at(r, rec, cols[3], 0, &st.lo, e) < 0 || number_at(r, rec, cols[4], 0, &st.hi, e) < 0)
		return -1;
	if (isnan(st.lo) != isnan(st.hi))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), isnan(st.lo) ? "lo" : "hi",
			      "no value, while the other bound of the interval has one");
	en = hashmap_put(&s->index, key->s, key->len, &added);
	if (added) {
		s->charts = xgrow(s->charts, &s->cap, s->n + 1, sizeof *s->charts);
		c = &s->charts[s->n];
		memset(c, 0, sizeof *c);
		c->key = xstrndup(key->s, key->len);
		en->val.num = (int64_t)s->n++;
	}
	c = &s->charts[en->val.num];
	c->fc = xgrow(c->fc, &c->fccap, c->nfc + 1, sizeof *c->fc);
	c->fc[c->nfc++] = st;
	return 0;
}

int chart_set_add_forecast(struct chart_set *s, const char *path, struct adash_err *e)
{
	const char *names[5] = { s->o->key, s->o->time, "pred", "lo", "hi" };
	const char *why[5] = { "--key", "--time", "the forecast's predictions", NULL, NULL };

	return sidefile_read(path, s->o->read, names, why, 5, forecast_row, s, NULL, e);
}

static int step_cmp(const void *a, const void *b)
{
	const struct chart_step *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

int chart_set_seal(struct chart_set *s, struct adash_err *e)
{
	for (size_t i = 0; i < s->n; i++) {
		struct chart *c = &s->charts[i];

		gsl_heapsort(c->fc, c->nfc, sizeof *c->fc, step_cmp);
		for (size_t k = 1; k < c->nfc; k++)
			if (c->fc[k].day == c->fc[k - 1].day) {
				char date[16];

				time_format_date(c->fc[k].day, date);
				return err_set(e, ADASH_EDATA, "the forecast has two rows for %s%s%s on %s",
					       s->keyless ? "the series" : "\"", c->key,
					       s->keyless ? "" : "\"", date);
			}
	}
	return 0;
}

/* Each chart's window of history days, empty: made only when history is
 * read, since it is keys x --history-days. */
static void open_windows(struct chart_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct chart *c = &s->charts[i];

		free(c->window);
		c->window = xmalloc((size_t)s->o->history_days * sizeof *c->window);
		for (int d = 0; d < s->o->history_days; d++)
			c->window[d] = NAN;
	}
}

/* cols: key, time, target */
static int history_row(void *ctx, struct reader *r, const struct field *rec, const long *cols,
		       struct adash_err *e)
{
	struct chart_set *s = ctx;
	const struct field *key;
	struct hashmap_entry *en;
	struct chart *c;
	int64_t day, slot;
	double v;

	if (key_day(r, rec, cols[0], cols[1], &key, &day, e) < 0)
		return -1;
	if (!(en = hashmap_get(&s->index, key->s, key->len)))
		return 0;   /* a series without a forecast is not drawn */
	c = &s->charts[en->val.num];
	slot = day - (c->fc[0].day - s->o->history_days);
	if (slot < 0 || slot >= s->o->history_days)
		return 0;
	if (number_at(r, rec, cols[2], 0, &v, e) < 0)
		return -1;
	if (isnan(v))
		return 0;
	if (!isnan(c->window[slot]))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), s->o->time,
			      "a second history row for this series and date");
	c->window[slot] = v;
	return 0;
}

/* The total's history, when the observations had none, from the other
 * series: a day counts only when all of them have it. */
static void sum_into_total(struct chart_set *s)
{
	struct hashmap_entry *en;
	struct chart *t;

	if (!s->o->total_key || !(en = hashmap_get(&s->index, s->o->total_key, strlen(s->o->total_key))))
		return;
	t = &s->charts[en->val.num];
	for (int d = 0; d < s->o->history_days; d++)
		if (!isnan(t->window[d]))
			return;
	for (int d = 0; d < s->o->history_days; d++) {
		int64_t day = t->fc[0].day - s->o->history_days + d;
		double sum = 0;
		size_t n = 0;

		for (size_t i = 0; i < s->n; i++) {
			const struct chart *c = &s->charts[i];
			int64_t slot = day - (c->fc[0].day - s->o->history_days);

			if (c == t)
				continue;
			if (slot < 0 || slot >= s->o->history_days || isnan(c->window[slot]))
				break;
			sum += c->window[slot];
			n++;
		}
		if (n + 1 == s->n && n > 0)
			t->window[d] = sum;
	}
}

int chart_set_add_history(struct chart_set *s, const char *path, struct adash_err *e)
{
	const char *names[3] = { s->keyless ? NULL : s->key_col, s->o->time, s->o->target };
	const char *why[3] = { "the forecast's key", "--time", "--target" };

	if (s->n == 0)
		return 0;
	open_windows(s);
	if (sidefile_read(path, s->o->read, names, why, 3, history_row, s, NULL, e) < 0)
		return -1;
	sum_into_total(s);
	for (size_t i = 0; i < s->n; i++) {
		struct chart *c = &s->charts[i];
		int64_t first = c->fc[0].day - s->o->history_days;

		size_t n = 0;

		for (int d = 0; d < s->o->history_days; d++)
			n += !isnan(c->window[d]);
		free(c->hist);
		c->hist = xmalloc((n ? n : 1) * sizeof *c->hist);
		c->nhist = 0;
		for (int d = 0; d < s->o->history_days; d++)
			if (!isnan(c->window[d])) {
				c->hist[c->nhist].day = first + d;
				c->hist[c->nhist++].value = c->window[d];
			}
		/* the window was for reading; the days drawn are kept */
		free(c->window);
		c->window = NULL;
	}
	return 0;
}
