/*
 * forecast: recursive multi-step forecasts (see forecast.h).
 */
#include "forecast.h"

#include "featspec.h"
#include "groups.h"
#include "hashmap.h"
#include "num.h"
#include "rng.h"
#include "series.h"
#include "table.h"
#include "timeutil.h"
#include "writer.h"
#include "xalloc.h"

#include <gsl/gsl_heapsort.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define MAX_TOTAL_DAYS 100000

struct key_work;

/* One series of the history: its rows in day order. */
struct series_rows {
	size_t *rows;
	int64_t *days;            /* the day of each row, parsed once */
	size_t n, cap;
};

struct fc {
	const struct forecast_options *o;
	const struct model *m;
	struct series_plan plan;
	size_t *feat_of;          /* per model input: plan feature, or NONE (text input) */
	long *text_col;           /* per model input: history column of a text input */
	long *text_fut;           /* per model input: future column of a text input */
	long target_in;           /* plan input of the target, or -1 */
	struct table hist;
	long key_col, time_col, by_col;
	long *hist_col;           /* per plan input */
	int have_future;
	struct table fut;
	long *fut_col;            /* per plan input, or -1 */
	struct hashmap fut_index; /* "key\x1fday" -> future row */
	long *set_in;             /* per --set: plan input */
	size_t missing;           /* input values that could not be computed */
	size_t clamped;           /* predictions held within the history's range */
	struct writer *w;
	struct field *out;
	char (*text)[NUM_FORMAT_MAX];
	size_t nout;
	/* reading */
	int cols_ready;           /* key_col and time_col resolved */
	int ready;                /* plan, --future and --set set up */
	struct groups groups;     /* where a key's group ends; keys seen before */
	FILE *outfp;
	struct key_work *kw;
	struct rng *g;
	/* totals: the days of every key's forecast so far */
	int64_t total_from;
	size_t total_days;
	double *total_pred;       /* total_days */
	unsigned char *total_seen;
	double *total_paths;      /* total_days x paths */
};

static int levels_numeric(const struct model_input *in)
{
	for (size_t l = 0; l < in->nlevels; l++)
		if (isnan(in->level_num[l]))
			return 0;
	return 1;
}

static int setup_plan(struct fc *f, struct adash_err *e)
{
	const struct model *m = f->m;
	struct featspec *feats = xcalloc(m->ninputs + 1, sizeof *feats);
	size_t nf = 0;

	f->feat_of = xcalloc(m->ninputs + 1, sizeof *f->feat_of);
	f->text_col = xcalloc(m->ninputs + 1, sizeof *f->text_col);
	f->text_fut = xcalloc(m->ninputs + 1, sizeof *f->text_fut);
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *in = &m->inputs[i];
		struct featspec fs;

		f->text_col[i] = f->text_fut[i] = -1;
		if (featspec_parse(in->name, (const char *const *)f->hist.names, f->hist.ncols, &fs, e) < 0) {
			char why[ADASH_ERR_MSG_MAX];

			snprintf(why, sizeof why, "%s", e->msg);
			for (size_t k = 0; k < nf; k++)
				featspec_free(&feats[k]);
			free(feats);
			return err_set(e, ADASH_EDATA, "the model's input %s", why);
		}
		/* a raw categorical column of text is carried as text; one whose
		 * levels are all numbers (--categorical promo) goes through the
		 * numeric path, so that --set promo=1 and a --future 1.0 match
		 * the level "1" by value */
		if (fs.kind == FEAT_RAW && in->categorical && !levels_numeric(in)) {
			f->feat_of[i] = NONE;
			f->text_col[i] = table_col(&f->hist, fs.col);
			if (f->text_col[i] < 0) {
				err_set(e, ADASH_EDATA, "%s: no column \"%s\", an input of the model",
					f->hist.source, fs.col);
				featspec_free(&fs);
				for (size_t k = 0; k < nf; k++)
					featspec_free(&feats[k]);
				free(feats);
				return -1;
			}
			featspec_free(&fs);
			continue;
		}
		f->feat_of[i] = nf;
		feats[nf++] = fs;
	}
	series_plan_init(&f->plan, feats, nf);
	free(feats);
	f->target_in = series_plan_input(&f->plan, m->target);
	f->hist_col = xcalloc(f->plan.ninputs + 1, sizeof *f->hist_col);
	for (size_t i = 0; i < f->plan.ninputs; i++) {
		f->hist_col[i] = table_col(&f->hist, f->plan.inputs[i]);
		if (f->hist_col[i] < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\", which the model's inputs read",
				       f->hist.source, f->plan.inputs[i]);
	}
	return 0;
}

static int setup_future(struct fc *f, struct adash_err *e)
{
	const struct forecast_options *o = f->o;
	const struct model *m = f->m;
	char *inputs[] = { (char *)o->future_path, NULL };
	long fkey, ftime;

	hashmap_init(&f->fut_index);
	if (!o->future_path)
		return 0;
	if (table_read(&f->fut, inputs, &o->read, e) < 0)
		return -1;
	f->have_future = 1;
	fkey = m->key ? table_col(&f->fut, m->key) : -1;
	ftime = table_col(&f->fut, m->time);
	if ((m->key && fkey < 0) || ftime < 0)
		return err_set(e, ADASH_EDATA, "%s: --future needs the columns %s%s%s", f->fut.source,
			       m->key ? m->key : "", m->key ? " and " : "", m->time);
	f->fut_col = xcalloc(f->plan.ninputs + 1, sizeof *f->fut_col);
	for (size_t i = 0; i < f->plan.ninputs; i++)
		f->fut_col[i] = (long)i == f->target_in ? -1 : table_col(&f->fut, f->plan.inputs[i]);
	for (size_t i = 0; i < m->ninputs; i++)
		if (f->feat_of[i] == NONE)
			f->text_fut[i] = table_col(&f->fut, m->inputs[i].name);
	for (size_t r = 0; r < f->fut.nrows; r++) {
		const char *k = fkey >= 0 ? table_cell(&f->fut, r, (size_t)fkey) : "";
		const char *t = table_cell(&f->fut, r, (size_t)ftime);
		int64_t day;
		struct buf id = BUF_INIT;
		int added;
		struct hashmap_entry *en;

		if (time_parse_date(t, strlen(t), &day) < 0)
			return err_at(e, ADASH_EDATA, f->fut.source, f->fut.line[r], m->time,
				      "\"%s\" is not a date (YYYY-MM-DD)", t);
		buf_printf(&id, "%s%c%lld", k, 0x1f, (long long)day);
		en = hashmap_put(&f->fut_index, id.data, id.len, &added);
		buf_free(&id);
		if (!added)
			return err_at(e, ADASH_EDATA, f->fut.source, f->fut.line[r], m->time,
				      "a second row for the same key and day");
		en->val.num = (int64_t)r;
		for (size_t i = 0; i < f->plan.ninputs; i++) {
			double v;
			const char *s;

			if (f->fut_col[i] < 0)
				continue;
			s = table_cell(&f->fut, r, (size_t)f->fut_col[i]);
			if (!table_missing(&f->fut, r, (size_t)f->fut_col[i]) &&
			    (num_parse(s, strlen(s), &v) < 0 || !isfinite(v)))
				return err_at(e, ADASH_EDATA, f->fut.source, f->fut.line[r], f->plan.inputs[i],
					      "\"%s\" is not a number", s);
		}
	}
	return 0;
}

static int setup_sets(struct fc *f, struct adash_err *e)
{
	const struct forecast_options *o = f->o;

	f->set_in = xcalloc(o->nsets + 1, sizeof *f->set_in);
	for (size_t i = 0; i < o->nsets; i++) {
		f->set_in[i] = series_plan_input(&f->plan, o->sets[i].col);
		if (f->set_in[i] < 0 || f->set_in[i] == f->target_in)
			return err_set(e, ADASH_EUSAGE, "--set: \"%s\" is not a covariate the model reads%s",
				       o->sets[i].col, strcmp(o->sets[i].col, f->m->target) == 0 ? " (it is the target)" : "");
	}
	return 0;
}

/* The carry-forward note: covariates with no --future column and no --set. */
static void note_carried(struct fc *f)
{
	struct buf b = BUF_INIT;

	if (!f->o->notes)
		return;
	for (size_t i = 0; i < f->plan.ninputs; i++) {
		int given = 0;

		if ((long)i == f->target_in)
			continue;
		if (f->have_future && f->fut_col[i] >= 0)
			given = 1;
		for (size_t s = 0; s < f->o->nsets; s++)
			if (f->set_in[s] == (long)i && f->o->sets[s].op == WHATIF_VALUE)
				given = 1;
		if (!given)
			buf_printf(&b, "%s%s", b.len ? ", " : "", f->plan.inputs[i]);
	}
	for (size_t i = 0; i < f->m->ninputs; i++)
		if (f->feat_of[i] == NONE && f->text_fut[i] < 0)
			buf_printf(&b, "%s%s", b.len ? ", " : "", f->m->inputs[i].name);
	if (b.len)
		fprintf(f->o->notes, "%s: no future values of %s: the last observed value is carried forward\n",
			f->o->prog, b.data);
	buf_free(&b);
}

static int setup_output(struct fc *f, FILE *out, struct adash_err *e)
{
	const struct forecast_options *o = f->o;
	const struct model *m = f->m;
	const char **names = xcalloc(6 + m->ninputs + 1, sizeof *names);
	int *json = xcalloc(6 + m->ninputs + 1, sizeof *json);
	size_t n = 0;

	if (m->key) {
		json[n] = COLUMN_STRING;
		names[n++] = m->key;
	}
	json[n] = COLUMN_STRING;
	names[n++] = m->time;
	json[n] = COLUMN_NUMBER;
	names[n++] = "step";
	json[n] = COLUMN_NUMBER;
	names[n++] = "pred";
	if (o->interval > 0) {
		json[n] = COLUMN_NUMBER;
		names[n++] = "lo";
		json[n] = COLUMN_NUMBER;
		names[n++] = "hi";
	}
	if (o->with_features)
		for (size_t i = 0; i < m->ninputs; i++) {
			json[n] = f->feat_of[i] == NONE ? COLUMN_STRING : COLUMN_NUMBER;
			names[n++] = m->inputs[i].name;
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0) {
				err_set(e, ADASH_EDATA, "--with-features: the model input \"%s\" has the name of an output column",
					names[i]);
				free(names);
				free(json);
				return -1;
			}
	f->nout = n;
	f->w = writer_new(out, o->output_format ? o->output_format : f->hist.format, o->delimiter,
			  o->header);
	writer_columns(f->w, n, names, json);
	f->out = xcalloc(n + 1, sizeof *f->out);
	f->text = xcalloc(n + 1, sizeof *f->text);
	free(names);
	free(json);
	return 0;
}

static void set_text(struct field *fl, const char *s)
{
	fl->s = s;
	fl->len = strlen(s);
	fl->kind = *s ? FIELD_STRING : FIELD_NULL;
}

static void set_num(struct fc *f, size_t k, double v)
{
	struct field *fl = &f->out[k];

	if (!isfinite(v)) {
		set_text(fl, "");
		return;
	}
	fl->len = num_format(v, f->text[k]);
	fl->s = f->text[k];
	fl->kind = FIELD_NUMBER;
}

/* Writes one output row. */
static void emit(struct fc *f, const char *key, int64_t day, long step, double pred, double lo,
		 double hi, const double *feat, const char *const *texts)
{
	char date[TIME_FORMAT_MAX];
	size_t n = 0;

	if (f->m->key)
		set_text(&f->out[n++], key);
	time_format_date(day, date);
	set_text(&f->out[n++], date);
	set_num(f, n++, (double)step);
	set_num(f, n++, pred);
	if (f->o->interval > 0) {
		set_num(f, n++, lo);
		set_num(f, n++, hi);
	}
	if (f->o->with_features)
		for (size_t i = 0; i < f->m->ninputs; i++) {
			if (f->feat_of[i] == NONE)
				set_text(&f->out[n++], texts ? texts[i] : "");
			else
				set_num(f, n++, feat ? feat[f->feat_of[i]] : NAN);
		}
	writer_row(f->w, f->out);
}

/* The linear predictor of the next day from a state. */
static double predict_eta(struct fc *f, const struct model_fit *fit, const struct series_state *s,
			  int64_t day, const double *vals, const char *const *texts, double *feat,
			  double *x, size_t *missing)
{
	const struct model *m = f->m;

	series_compute(s, &f->plan, day, vals, feat);
	for (size_t i = 0; i < m->ninputs; i++) {
		if (f->feat_of[i] == NONE) {
			model_encode_text(m, i, texts[i], strlen(texts[i]), x);
			continue;
		}
		if (missing && isnan(feat[f->feat_of[i]]))
			(*missing)++;
		model_encode_num(m, i, feat[f->feat_of[i]], x);
	}
	return model_linear(m, fit, x);
}

/* Row values of the history, plan input by plan input. */
static int history_values(struct fc *f, size_t r, double *vals, struct adash_err *e)
{
	for (size_t i = 0; i < f->plan.ninputs; i++) {
		const char *s = table_cell(&f->hist, r, (size_t)f->hist_col[i]);

		if (table_missing(&f->hist, r, (size_t)f->hist_col[i])) {
			vals[i] = NAN;
		} else if (num_parse(s, strlen(s), &vals[i]) < 0 || !isfinite(vals[i])) {
			return err_at(e, ADASH_EDATA, f->hist.source, f->hist.line[r], f->plan.inputs[i],
				      "\"%s\" is not a number", s);
		}
	}
	return 0;
}

/* The range a forecast may take: the history's own, widened by its span
 * on each side, and never below 0 for a series that never was.  A
 * recursive forecast feeds on itself; a model whose lags are in the
 * target's units but whose fit is on the log scale (--log-target) can
 * otherwise grow without bound over a long horizon, and a linear model can
 * forecast negative sales.  Rejected: refusing the run (one runaway series
 * of thousands would stop them all) and a fixed cap (no scale fits every
 * target). */
struct bounds {
	double lo, hi;
};

static struct bounds bounds_of(double lo_seen, double hi_seen)
{
	struct bounds b = { -INFINITY, INFINITY };
	double span;

	if (!(lo_seen <= hi_seen))
		return b;   /* no target values seen: nothing to go by */
	span = hi_seen - lo_seen;
	if (span == 0)
		span = fabs(hi_seen) > 0 ? fabs(hi_seen) : 1;
	b.lo = lo_seen - span;
	b.hi = hi_seen + span;
	if (lo_seen >= 0 && b.lo < 0)
		b.lo = 0;
	return b;
}

/* v within b; a NaN (an overflowed prediction) becomes the upper bound;
 * a value that cannot be held (no history to bound it) is NaN, written as
 * a missing value. */
static double bound(const struct bounds *b, double v, size_t *clamped)
{
	if (v >= b->lo && v <= b->hi && isfinite(v))
		return v;
	(*clamped)++;
	if (isnan(v))
		return isfinite(b->hi) ? b->hi : NAN;
	v = v < b->lo ? b->lo : v > b->hi ? b->hi : v;
	return isfinite(v) ? v : NAN;   /* no bound to hold it: missing */
}

struct key_work {
	double *vals, *carried, *feat, *feat_path, *x, *pathv;
	const char **texts, **carried_text;
	struct series_state base, point, *paths;
	size_t npaths;
	int ready;
};

static int forecast_key(struct fc *f, const char *key, const struct series_rows *sr,
			struct key_work *kw, struct rng *g, struct adash_err *e)
{
	const struct forecast_options *o = f->o;
	const struct model *m = f->m;
	const struct series_plan *pl = &f->plan;
	const char *group = NULL;
	const struct model_fit *fit;
	int64_t last_day = 0;
	size_t ni = pl->ninputs, npaths = o->interval > 0 ? (size_t)o->paths : 0;
	double lo_seen = INFINITY, hi_seen = -INFINITY;
	struct bounds b;

	if (m->by) {
		long bc = table_col(&f->hist, m->by);

		if (bc < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (the model's --by)", f->hist.source, m->by);
		group = table_cell(&f->hist, sr->rows[sr->n - 1], (size_t)bc);
	}
	fit = model_fit_for(m, group);
	if (!fit)
		return err_set(e, ADASH_EDATA, "no model for %s \"%s\": the model was trained --by %s without a pooled fallback and never saw it",
			       m->by, group, m->by);
	if (npaths && fit->nresiduals == 0)
		return err_set(e, ADASH_EDATA, "the model holds no residuals, so --interval cannot be simulated");

	/* replay the history */
	series_state_free(&kw->base);
	series_state_init(&kw->base, pl);
	for (size_t i = 0; i < ni; i++)
		kw->carried[i] = NAN;
	for (size_t i = 0; i < m->ninputs; i++)
		kw->carried_text[i] = "";
	for (size_t k = 0; k < sr->n; k++) {
		size_t r = sr->rows[k];
		int64_t day = sr->days[k];

		if (history_values(f, r, kw->vals, e) < 0)
			return -1;
		series_push(&kw->base, pl, day, kw->vals);
		if (f->target_in >= 0 && !isnan(kw->vals[f->target_in])) {
			lo_seen = fmin(lo_seen, kw->vals[f->target_in]);
			hi_seen = fmax(hi_seen, kw->vals[f->target_in]);
		}
		for (size_t i = 0; i < ni; i++)
			if (!isnan(kw->vals[i]))
				kw->carried[i] = kw->vals[i];
		for (size_t i = 0; i < m->ninputs; i++)
			if (f->text_col[i] >= 0) {
				if (!table_missing(&f->hist, r, (size_t)f->text_col[i]))
					kw->carried_text[i] = table_cell(&f->hist, r, (size_t)f->text_col[i]);
			}
		last_day = day;
	}
	b = bounds_of(lo_seen, hi_seen);
	if (last_day + o->horizon > time_days_from_civil(9999, 12, 31)) {
		char d[TIME_FORMAT_MAX];

		time_format_date(last_day, d);
		return err_set(e, ADASH_EDATA, "%s%s%sthe history ends on %s: %d days more run past 9999-12-31",
			       m->key ? "series \"" : "", m->key ? key : "", m->key ? "\": " : "", d, o->horizon);
	}
	series_state_copy(&kw->point, &kw->base, pl);
	for (size_t p = 0; p < npaths; p++)
		series_state_copy(&kw->paths[p], &kw->base, pl);
	rng_reseed(g, o->seed, rng_stream_of(key, strlen(key)));

	for (int h = 1; h <= o->horizon; h++) {
		int64_t day = last_day + h;
		double eta, pred, lo = NAN, hi = NAN;
		struct hashmap_entry *en = NULL;

		/* this day's covariates: carried, then --future, then --set */
		memcpy(kw->vals, kw->carried, ni * sizeof *kw->vals);
		for (size_t i = 0; i < m->ninputs; i++)
			kw->texts[i] = kw->carried_text[i];
		if (f->have_future) {
			struct buf id = BUF_INIT;

			buf_printf(&id, "%s%c%lld", m->key ? key : "", 0x1f, (long long)day);
			en = hashmap_get(&f->fut_index, id.data, id.len);
			buf_free(&id);
		}
		if (en) {
			size_t fr = (size_t)en->val.num;

			for (size_t i = 0; i < ni; i++) {
				const char *s;

				if (f->fut_col[i] < 0)
					continue;
				s = table_cell(&f->fut, fr, (size_t)f->fut_col[i]);
				if (!table_missing(&f->fut, fr, (size_t)f->fut_col[i]))
					num_parse(s, strlen(s), &kw->vals[i]);
			}
			for (size_t i = 0; i < m->ninputs; i++)
				if (f->text_fut[i] >= 0) {
					if (!table_missing(&f->fut, fr, (size_t)f->text_fut[i]))
						kw->texts[i] = table_cell(&f->fut, fr, (size_t)f->text_fut[i]);
				}
		}
		for (size_t s = 0; s < o->nsets; s++)
			kw->vals[f->set_in[s]] = whatif_apply(&o->sets[s], kw->vals[f->set_in[s]]);
		if (f->target_in >= 0)
			kw->vals[f->target_in] = NAN;

		/* the point forecast */
		eta = predict_eta(f, fit, &kw->point, day, kw->vals, kw->texts, kw->feat, kw->x,
				  &f->missing);
		pred = bound(&b, model_output(m, fit, eta), &f->clamped);
		if (npaths) {
			double *pv = kw->pathv;

			for (size_t p = 0; p < npaths; p++) {
				double ep = predict_eta(f, fit, &kw->paths[p], day, kw->vals, kw->texts,
							kw->feat_path, kw->x, NULL);
				double r = fit->residuals[gsl_rng_uniform_int(g->r, fit->nresiduals)];
				double v = bound(&b, model_untransform(m, ep + r), &f->clamped);

				if (f->target_in >= 0) {
					double keep = kw->vals[f->target_in];

					kw->vals[f->target_in] = v;
					series_push(&kw->paths[p], pl, day, kw->vals);
					kw->vals[f->target_in] = keep;
				} else {
					series_push(&kw->paths[p], pl, day, kw->vals);
				}
				pv[p] = v;
				if (o->total && f->total_paths)
					f->total_paths[(size_t)(day - f->total_from) * npaths + p] += v;
			}
			gsl_sort(pv, 1, npaths);
			lo = gsl_stats_quantile_from_sorted_data(pv, 1, npaths, (1 - o->interval / 100) / 2);
			hi = gsl_stats_quantile_from_sorted_data(pv, 1, npaths, (1 + o->interval / 100) / 2);
		}
		emit(f, key, day, h, pred, lo, hi, kw->feat, kw->texts);
		if (o->total) {
			size_t d = (size_t)(day - f->total_from);

			f->total_pred[d] += pred;
			f->total_seen[d] = 1;
		}
		if (f->target_in >= 0)
			kw->vals[f->target_in] = pred;
		series_push(&kw->point, pl, day, kw->vals);
	}
	return 0;
}

static int day_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Groups history rows by key, each in day order; checks days. */
static int group_history(struct fc *f, struct hashmap *keys, struct series_rows **out,
			 struct adash_err *e)
{
	const struct model *m = f->m;
	struct series_rows *sr = NULL;
	size_t nk = 0;

	for (size_t r = 0; r < f->hist.nrows; r++) {
		const char *k = f->key_col >= 0 ? table_cell(&f->hist, r, (size_t)f->key_col) : "";
		const char *t = table_cell(&f->hist, r, (size_t)f->time_col);
		int64_t day;
		int added;
		struct hashmap_entry *en;

		*out = sr;   /* the caller frees it, error or not */
		if (f->key_col >= 0 && !*k)
			return err_at(e, ADASH_EDATA, f->hist.source, f->hist.line[r], m->key, "no value (the series key)");
		if (time_parse_date(t, strlen(t), &day) < 0)
			return err_at(e, ADASH_EDATA, f->hist.source, f->hist.line[r], m->time,
				      "\"%s\" is not a date (YYYY-MM-DD)", t);
		en = hashmap_put(keys, k, strlen(k), &added);
		if (added) {
			sr = xrealloc(sr, (nk + 1) * sizeof *sr);
			memset(&sr[nk], 0, sizeof *sr);
			en->val.num = (int64_t)nk++;
		}
		struct series_rows *s = &sr[en->val.num];
		if (s->n == s->cap) {
			s->rows = xgrow(s->rows, &s->cap, s->n + 1, sizeof *s->rows);
			s->days = xrealloc(s->days, s->cap * sizeof *s->days);
		}
		s->rows[s->n] = r;
		s->days[s->n++] = day;
	}
	for (size_t k = 0; k < nk; k++) {
		struct series_rows *s = &sr[k];
		int64_t *pairs = xmalloc((2 * s->n + 1) * sizeof *pairs);
		size_t *perm = xmalloc((s->n + 1) * sizeof *perm), *rows = xmalloc((s->n + 1) * sizeof *rows);
		int64_t *days = xmalloc((s->n + 1) * sizeof *days);

		for (size_t i = 0; i < s->n; i++) {
			pairs[2 * i] = s->days[i];
			pairs[2 * i + 1] = (int64_t)s->rows[i];
		}
		gsl_heapsort_index(perm, pairs, s->n, 2 * sizeof *pairs, day_cmp);
		for (size_t i = 0; i < s->n; i++) {
			rows[i] = s->rows[perm[i]];
			days[i] = s->days[perm[i]];
		}
		free(s->rows);
		free(s->days);
		s->rows = rows;
		s->days = days;
		free(pairs);
		free(perm);
		for (size_t i = 1; i < s->n; i++)
			if (days[i] == days[i - 1])
				return err_at(e, ADASH_EDATA, f->hist.source, f->hist.line[rows[i]], m->time,
					      "a second row for the same series and day");
	}
	*out = sr;
	return 0;
}

/* --total: makes the sums cover from..to, the days of a key's forecast.
 * They grow as keys come (a key's days may fall before or after those of
 * the keys before it), so that only the span of the forecasts is held,
 * never the keys. */
static int total_cover(struct fc *f, int64_t from, int64_t to, struct adash_err *e)
{
	size_t npaths = f->o->interval > 0 ? (size_t)f->o->paths : 0;
	int64_t lo = from, hi = to;
	size_t n, shift;
	double *pred, *paths = NULL;
	unsigned char *seen;

	if (f->total_days) {
		int64_t end = f->total_from + (int64_t)f->total_days - 1;

		if (from >= f->total_from && to <= end)
			return 0;
		lo = from < f->total_from ? from : f->total_from;
		hi = to > end ? to : end;
	}
	if (hi - lo + 1 > MAX_TOTAL_DAYS)
		return err_set(e, ADASH_EDATA, "--total: the series end more than %d days apart", MAX_TOTAL_DAYS);
	n = (size_t)(hi - lo + 1);
	shift = f->total_days ? (size_t)(f->total_from - lo) : 0;
	pred = xcalloc(n + 1, sizeof *pred);
	seen = xcalloc(n + 1, 1);
	if (npaths)
		paths = xcalloc(n * npaths + 1, sizeof *paths);
	if (f->total_days) {
		memcpy(pred + shift, f->total_pred, f->total_days * sizeof *pred);
		memcpy(seen + shift, f->total_seen, f->total_days);
		if (npaths)
			memcpy(paths + shift * npaths, f->total_paths, f->total_days * npaths * sizeof *paths);
	}
	free(f->total_pred);
	free(f->total_seen);
	free(f->total_paths);
	f->total_pred = pred;
	f->total_seen = seen;
	f->total_paths = paths;
	f->total_from = lo;
	f->total_days = n;
	return 0;
}

/* The scratch of forecast_key, sized by the plan. */
static void key_work_init(struct fc *f, struct key_work *kw)
{
	size_t npaths = f->o->interval > 0 ? (size_t)f->o->paths : 0;

	kw->vals = xcalloc(f->plan.ninputs + 1, sizeof *kw->vals);
	kw->carried = xcalloc(f->plan.ninputs + 1, sizeof *kw->carried);
	kw->feat = xcalloc(f->plan.nfeats + 1, sizeof *kw->feat);
	kw->feat_path = xcalloc(f->plan.nfeats + 1, sizeof *kw->feat_path);
	kw->x = xcalloc(f->m->ndesign + 1, sizeof *kw->x);
	kw->pathv = xcalloc(npaths + 1, sizeof *kw->pathv);
	kw->texts = xcalloc(f->m->ninputs + 1, sizeof *kw->texts);
	kw->carried_text = xcalloc(f->m->ninputs + 1, sizeof *kw->carried_text);
	series_state_init(&kw->base, &f->plan);
	series_state_init(&kw->point, &f->plan);
	kw->paths = xcalloc(npaths + 1, sizeof *kw->paths);
	for (size_t p = 0; p < npaths; p++)
		series_state_init(&kw->paths[p], &f->plan);
	kw->npaths = npaths;
	kw->ready = 1;
}

static void key_work_free(struct key_work *kw)
{
	if (!kw->ready)
		return;
	series_state_free(&kw->base);
	series_state_free(&kw->point);
	for (size_t p = 0; p < kw->npaths; p++)
		series_state_free(&kw->paths[p]);
	free(kw->paths);
	free(kw->vals);
	free(kw->carried);
	free(kw->feat);
	free(kw->feat_path);
	free(kw->x);
	free(kw->pathv);
	free(kw->texts);
	free(kw->carried_text);
}

/* Forecasts the keys of the rows held (the whole history, or with grouped
 * one key's rows), in order of their first row, and forgets the rows.  The
 * first time, sets up what the history's columns decide and the output. */
static int forecast_held(struct fc *f, struct adash_err *e)
{
	struct hashmap keys;
	struct series_rows *sr = NULL;
	int rc = -1;

	hashmap_init(&keys);
	if (!f->ready) {
		if (setup_plan(f, e) < 0 || setup_future(f, e) < 0 || setup_sets(f, e) < 0)
			goto out;
		f->ready = 1;
	}
	if (group_history(f, &keys, &sr, e) < 0)
		goto out;
	if (!f->w) {
		note_carried(f);
		if (setup_output(f, f->outfp, e) < 0)
			goto out;
		key_work_init(f, f->kw);
	}
	for (size_t k = 0; k < hashmap_count(&keys); k++) {
		int64_t last = sr[k].days[sr[k].n - 1];

		if (f->o->total && total_cover(f, last + 1, last + f->o->horizon, e) < 0)
			goto out;
		if (forecast_key(f, hashmap_at(&keys, k)->key, &sr[k], f->kw, f->g, e) < 0)
			goto out;
	}
	table_clear_rows(&f->hist);
	rc = 0;
out:
	for (size_t k = 0; sr && k < hashmap_count(&keys); k++) {
		free(sr[k].rows);
		free(sr[k].days);
	}
	free(sr);
	hashmap_free(&keys, NULL);
	return rc;
}

/* The key and time columns of the history (its first input with columns). */
static int history_columns(struct fc *f, struct adash_err *e)
{
	if (f->cols_ready)
		return 0;
	f->key_col = f->m->key ? table_col(&f->hist, f->m->key) : -1;
	f->time_col = table_col(&f->hist, f->m->time);
	if ((f->m->key && f->key_col < 0) || f->time_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (the model's %s)", f->hist.source,
			       f->time_col < 0 ? f->m->time : f->m->key, f->time_col < 0 ? "time" : "key");
	f->cols_ready = 1;
	return 0;
}

/* table_read_each's look at a history row before it is held: where its
 * key's group ends (grouped: the group held is forecast and forgotten). */
static int history_row(void *ctx, struct table *t, const struct field *rec, const char *file,
		       long line, struct adash_err *e)
{
	struct fc *f = ctx;
	const struct field *k;
	int step;

	if (!f->cols_ready && history_columns(f, e) < 0)
		return -1;
	if (f->key_col < 0)
		return 0;  /* one series: one group */
	k = &rec[f->key_col];
	/* as the table holds it: a JSON null is empty */
	step = groups_next(&f->groups, k->kind == FIELD_NULL ? "" : k->s, k->kind == FIELD_NULL ? 0 : k->len,
			   file, line, NULL);
	if (!f->o->grouped || step == GROUP_SAME || t->nrows == 0)
		return 0;
	if (step == GROUP_AGAIN)
		return groups_refuse(&f->groups, f->m->key, f->o->prog, e);
	return forecast_held(f, e);
}

int forecast_run(const struct forecast_options *o, char *const *inputs, FILE *out,
		 struct adash_err *e)
{
	struct fc f;
	struct key_work kw;
	struct rng g;
	size_t npaths = o->interval > 0 ? (size_t)o->paths : 0;
	int rc = -1;

	memset(&f, 0, sizeof f);
	memset(&kw, 0, sizeof kw);
	f.o = o;
	f.m = o->m;
	f.outfp = out;
	f.kw = &kw;
	f.g = &g;
	groups_init(&f.groups);
	hashmap_init(&f.fut_index);
	rng_init(&g, o->seed);
	/* the task first: a classification model has no series to forecast,
	 * whatever its time column */
	if (f.m->task != TASK_REGRESSION) {
		err_set(e, ADASH_EDATA, "the model is a classification (%s of \"%s\"), not a regression; adash-forecast forecasts the series of a regression target",
			model_algo_name(f.m->task, f.m->algo), f.m->target);
		goto out;
	}
	if (!f.m->time) {
		err_set(e, ADASH_EDATA, "the model was trained without a date column; adash-forecast needs one (adash-train --time)");
		goto out;
	}
	if (table_read_each(&f.hist, inputs, &o->read, history_row, &f, e) < 0)
		goto out;
	if (f.hist.ncols == 0) {
		rc = 0;   /* no history: nothing to forecast */
		goto out;
	}
	if (history_columns(&f, e) < 0)
		goto out;
	/* what is held: the whole history, or with grouped the last group
	 * (or nothing at all, for the header of an empty forecast) */
	if ((f.hist.nrows > 0 || !f.w) && forecast_held(&f, e) < 0)
		goto out;
	/* training left such rows out; a forecast cannot, so says so */
	if (f.missing && o->notes)
		fprintf(o->notes, "%s: %zu input values could not be computed (a history shorter than a window, or a gap); the training mean stands in for them\n",
			o->prog, f.missing);
	if (f.clamped && o->notes)
		fprintf(o->notes, "%s: %zu predictions (paths included) left the range of their series' history widened by its span, and were held at its edge\n",
			o->prog, f.clamped);
	if (!o->grouped && f.key_col >= 0 && o->verbose)
		groups_note(&f.groups, stderr, o->prog, f.m->key);
	if (o->total)
		for (size_t d = 0, step = 0; d < f.total_days; d++) {
			double lo = NAN, hi = NAN;

			if (!f.total_seen[d])
				continue;
			if (npaths) {
				double *pv = f.total_paths + d * npaths;

				gsl_sort(pv, 1, npaths);
				lo = gsl_stats_quantile_from_sorted_data(pv, 1, npaths, (1 - o->interval / 100) / 2);
				hi = gsl_stats_quantile_from_sorted_data(pv, 1, npaths, (1 + o->interval / 100) / 2);
			}
			emit(&f, o->total, f.total_from + (int64_t)d, (long)++step, f.total_pred[d], lo, hi,
			     NULL, NULL);
		}
	rc = 0;
out:
	groups_free(&f.groups);
	hashmap_free(&f.fut_index, NULL);
	key_work_free(&kw);
	rng_free(&g);
	series_plan_free(&f.plan);
	free(f.feat_of);
	free(f.text_col);
	free(f.text_fut);
	free(f.hist_col);
	free(f.fut_col);
	free(f.set_in);
	free(f.out);
	free(f.text);
	writer_free(f.w);
	table_free(&f.hist);
	if (f.have_future)
		table_free(&f.fut);
	free(f.total_pred);
	free(f.total_seen);
	free(f.total_paths);
	return rc;
}
