/*
 * featurize: the series-mode driver of adash-features (see features.h).
 */
#include "featurize.h"

#include "accounting.h"
#include "buf.h"
#include "groups.h"
#include "hashmap.h"
#include "num.h"
#include "readloop.h"
#include "series.h"
#include "timeutil.h"
#include "writer.h"
#include "xalloc.h"

#include <gsl/gsl_heapsort.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- from options to feature definitions -------------------------------- */

static int bad_item(struct adash_err *e, const char *option, const char *item, const char *want)
{
	return err_set(e, ADASH_EUSAGE, "%s: '%s' is not %s", option, item, want);
}

static int parse_days(const char *s, int min, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end || v < min || v > FEAT_MAX_DAYS)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_positive(const char *s, double *out)
{
	return num_parse(s, strlen(s), out) == 0 && *out > 0 && isfinite(*out) ? 0 : -1;
}

static struct featspec *add_spec(struct featspec **v, size_t *n, int kind, const char *col)
{
	struct featspec *f;

	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	f = &(*v)[(*n)++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->col = col ? xstrdup(col) : NULL;
	return f;
}

static int calendar_specs(const char *item, struct featspec **v, size_t *n, struct adash_err *e)
{
	static const struct { const char *word; int kind; } words[] = {
		{ "dow", FEAT_DOW }, { "month", FEAT_MONTH }, { "dom", FEAT_DOM },
		{ "weekend", FEAT_WEEKEND },
	};
	char *period, *order, *copy;
	double p;
	int k;

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(item, words[i].word) == 0) {
			add_spec(v, n, words[i].kind, NULL);
			return 0;
		}
	if (strncmp(item, "fourier:", 8) != 0)
		return bad_item(e, "--calendar", item, "dow, month, dom, weekend or fourier:PERIOD:ORDER");
	copy = xstrdup(item + 8);
	period = copy;
	order = strchr(copy, ':');
	if (order)
		*order++ = '\0';
	if (!order || parse_positive(period, &p) < 0 || p > 1e6 ||
	    parse_days(order, 1, &k) < 0 || k > FEAT_MAX_FOURIER_ORDER) {
		free(copy);
		return bad_item(e, "--calendar", item,
				"fourier:PERIOD:ORDER (a period in days above 0, an order of 1 to 100)");
	}
	free(copy);
	for (int j = 1; j <= k; j++)
		for (int sine = 1; sine >= 0; sine--) {
			struct featspec *f = add_spec(v, n, FEAT_FOURIER, NULL);

			f->param = p;
			f->n = j;
			f->sine = sine;
		}
	return 0;
}

int features_specs(const struct features_options *o, struct featspec **out, size_t *n,
		   struct adash_err *e)
{
	struct featspec *v = NULL;
	size_t nv = 0;
	char **it;

	for (it = o->lags; it && *it; it++) {
		struct featspec *f = add_spec(&v, &nv, FEAT_LAG, o->target);

		if (parse_days(*it, 1, &f->n) < 0) {
			bad_item(e, "--lags", *it, "a number of days from 1 to 3660");
			goto fail;
		}
	}
	for (it = o->rolling; it && *it; it++) {
		const char *colon = strchr(*it, ':');
		struct featspec *f = add_spec(&v, &nv, FEAT_ROLL, o->target);
		char stat[16];

		if (!colon || (size_t)(colon - *it) >= sizeof stat)
			goto bad_rolling;
		memcpy(stat, *it, (size_t)(colon - *it));
		stat[colon - *it] = '\0';
		f->stat = roll_stat_from_name(stat);
		if (f->stat < 0 || parse_days(colon + 1, f->stat == ROLL_STD ? 2 : 1, &f->n) < 0)
			goto bad_rolling;
		continue;
bad_rolling:
		bad_item(e, "--rolling", *it,
			 "STAT:DAYS (STAT mean, std, min, max or sum; DAYS 1 to 3660, 2 or more for std)");
		goto fail;
	}
	for (it = o->ewm; it && *it; it++) {
		struct featspec *f = add_spec(&v, &nv, FEAT_EWM, o->target);

		if (parse_positive(*it, &f->param) < 0 || f->param > FEAT_MAX_DAYS) {
			bad_item(e, "--ewm", *it, "a half-life in days (above 0, at most 3660)");
			goto fail;
		}
	}
	for (it = o->calendar; it && *it; it++)
		if (calendar_specs(*it, &v, &nv, e) < 0)
			goto fail;
	for (it = o->log1p; it && *it; it++)
		add_spec(&v, &nv, FEAT_LOG1P, *it);
	for (it = o->ratio; it && *it; it++) {
		const char *slash = strchr(*it, '/');
		struct featspec *f;

		if (!slash || slash == *it || !slash[1] || strchr(slash + 1, '/')) {
			bad_item(e, "--ratio", *it, "A/B (two column names)");
			goto fail;
		}
		f = add_spec(&v, &nv, FEAT_RATIO, NULL);
		f->col = xstrndup(*it, (size_t)(slash - *it));
		f->col2 = xstrdup(slash + 1);
	}
	for (size_t i = 0; i < nv; i++) {
		struct featspec back;

		if (featspec_uses_history(&v[i]))
			v[i].fill = o->fill;
		featspec_set_name(&v[i]);
		/* every name must read back as its own definition */
		if (featspec_parse(v[i].name, NULL, 0, &back, e) < 0)
			goto fail;
		if (back.kind != v[i].kind || strcmp(back.col ? back.col : "", v[i].col ? v[i].col : "")) {
			err_set(e, ADASH_EUSAGE, "feature \"%s\" would not read back as the same feature; rename the column",
				v[i].name);
			featspec_free(&back);
			goto fail;
		}
		featspec_free(&back);
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[i].name, v[j].name) == 0) {
				err_set(e, ADASH_EUSAGE, "feature \"%s\" is asked for twice", v[i].name);
				goto fail;
			}
	}
	*out = v;
	*n = nv;
	return 0;
fail:
	for (size_t i = 0; i < nv; i++)
		featspec_free(&v[i]);
	free(v);
	return -1;
}

/* ---- the run --------------------------------------------------------------- */

/* A row held in memory (the default, sorting way). */
struct held_row {
	size_t text;      /* offset of the fields' text, NUL-separated, in run.text */
	size_t raw;       /* offset of the raw row in run.raw */
	size_t rawlen;
	long line;
	size_t file;      /* input number */
	size_t key;       /* key number */
	int64_t day;
	size_t seq;       /* input order */
};

struct run {
	const struct features_options *o;
	char *const *inputs;
	char **file_names;        /* per input: the reader's name ("(stdin)" for "-") */
	struct series_plan plan;
	struct accounting acc;
	struct writer *w;
	FILE *out;
	char **names;             /* input columns */
	size_t ncols;
	long key_col, time_col, target_col;
	long *input_col;          /* per plan input: input column */
	struct field *outrow;     /* ncols + nfeats */
	char (*numtext)[NUM_FORMAT_MAX];
	double *vals, *feat;
	struct hashmap keys;      /* key text -> key number (not with grouped: one key held) */
	struct groups groups;     /* where a key's group ends; keys seen before */
	struct series_state *states; /* sorted streaming: one per key */
	size_t nstates;
	uint64_t rows_seen;
	/* held rows */
	struct held_row *rows;
	size_t nrows, rows_cap;
	struct buf text, raw;
	unsigned char *kinds;     /* nrows x ncols */
	size_t kinds_cap;
	double *held_vals;        /* nrows x ninputs */
	size_t held_vals_cap;
};

/* Sets up columns and the writer from the first input. */
static int run_columns(struct run *p, struct reader *r, struct adash_err *e)
{
	const struct features_options *o = p->o;
	const struct series_plan *pl = &p->plan;
	size_t nout;
	const char **names;
	int *json;

	p->ncols = reader_ncols(r);
	p->names = xcalloc(p->ncols + 1, sizeof *p->names);
	for (size_t i = 0; i < p->ncols; i++)
		p->names[i] = xstrdup(reader_colname(r, i));
	p->key_col = o->key ? reader_col(r, o->key) : -1;
	p->time_col = reader_col(r, o->time);
	p->target_col = reader_col(r, o->target);
	if (o->key && p->key_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (the --key)", reader_name(r), o->key);
	if (p->time_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (the --time)", reader_name(r), o->time);
	if (p->target_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (the --target)", reader_name(r), o->target);
	p->input_col = xcalloc(pl->ninputs + 1, sizeof *p->input_col);
	for (size_t i = 0; i < pl->ninputs; i++) {
		p->input_col[i] = reader_col(r, pl->inputs[i]);
		if (p->input_col[i] < 0) {
			const char *by = "";

			for (size_t k = 0; k < pl->nfeats && !*by; k++)
				if (pl->col[k] == i || pl->col2[k] == i)
					by = pl->feats[k].name;
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (read by feature %s)",
				       reader_name(r), pl->inputs[i], by);
		}
	}
	for (size_t i = 0; i < pl->nfeats; i++) {
		const struct featspec *f = &pl->feats[i];

		if (reader_col(r, f->name) >= 0)
			return err_set(e, ADASH_EDATA,
				       "%s: the input already has a column \"%s\"; rename it or leave that feature out",
				       reader_name(r), f->name);
		/* the row's own target is what a model predicts: a feature of
		 * it would leak the answer into the question */
		if ((f->kind == FEAT_LOG1P || f->kind == FEAT_RATIO) &&
		    (strcmp(f->col, o->target) == 0 || (f->col2 && strcmp(f->col2, o->target) == 0)))
			return err_set(e, ADASH_EUSAGE,
				       "feature \"%s\" would use the row's own %s, the value to predict; use a lag or a rolling window of it",
				       f->name, o->target);
	}
	nout = p->ncols + pl->nfeats;
	names = xcalloc(nout + 1, sizeof *names);
	json = xcalloc(nout + 1, sizeof *json);
	for (size_t i = 0; i < p->ncols; i++)
		names[i] = p->names[i];
	for (size_t i = 0; i < pl->nfeats; i++) {
		names[p->ncols + i] = pl->feats[i].name;
		json[p->ncols + i] = COLUMN_NUMBER;
	}
	p->w = writer_new(p->out, o->io.output_format ? o->io.output_format : reader_format(r),
			  o->io.delimiter, o->io.header);
	writer_columns(p->w, nout, names, json);
	free(names);
	free(json);
	p->outrow = xcalloc(nout + 1, sizeof *p->outrow);
	p->numtext = xcalloc(pl->nfeats + 1, sizeof *p->numtext);
	p->vals = xcalloc(pl->ninputs + 1, sizeof *p->vals);
	p->feat = xcalloc(pl->nfeats + 1, sizeof *p->feat);
	return 0;
}

/* Reads key, day and input values of a record.  0, or -1 with row_err and
 * *reason for a bad row. */
static int parse_row(struct run *p, struct reader *r, const struct field *rec,
		     size_t *key, int64_t *day, double *vals,
		     struct adash_err *row_err, const char **reason)
{
	const struct field *t = &rec[p->time_col];
	int added;

	if (p->key_col >= 0 && field_is_missing(&rec[p->key_col])) {
		*reason = "missing key";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r),
			      p->names[p->key_col], "no value (the series key)");
	}
	if (field_is_missing(t) || time_parse_date(t->s, t->len, day) < 0) {
		char q[80];

		err_quote_value(q, sizeof q, t->s, t->len);
		*reason = "bad date";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r),
			      p->names[p->time_col], "\"%s\" is not a date (YYYY-MM-DD)", q);
	}
	for (size_t i = 0; i < p->plan.ninputs; i++) {
		const struct field *f = &rec[p->input_col[i]];

		if (field_is_missing(f)) {
			vals[i] = NAN;
		} else if (num_parse(f->s, f->len, &vals[i]) < 0 || !isfinite(vals[i])) {
			char q[80];

			err_quote_value(q, sizeof q, f->s, f->len);
			*reason = "not a number";
			return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r),
				      p->plan.inputs[i], "\"%s\" is not a number", q);
		}
	}
	if (p->key_col >= 0 && !p->o->grouped) {
		const struct field *k = &rec[p->key_col];
		struct hashmap_entry *en = hashmap_put(&p->keys, k->s, k->len, &added);

		if (added)
			en->val.num = (int64_t)hashmap_count(&p->keys) - 1;
		*key = (size_t)en->val.num;
	} else {
		*key = 0;
	}
	return 0;
}

/* Writes a row with its features, or drops it in its warm-up. */
static void emit(struct run *p, const struct field *rec, const double *feat, int warm)
{
	const struct series_plan *pl = &p->plan;

	if (!warm && !p->o->warmup_keep) {
		accounting_drop(&p->acc, "warm-up");
		return;
	}
	memcpy(p->outrow, rec, p->ncols * sizeof *rec);
	for (size_t i = 0; i < pl->nfeats; i++) {
		struct field *f = &p->outrow[p->ncols + i];

		if (isnan(feat[i])) {
			f->s = "";
			f->len = 0;
			f->kind = FIELD_NULL;
		} else {
			f->len = num_format(feat[i], p->numtext[i]);
			f->s = p->numtext[i];
			f->kind = FIELD_NUMBER;
		}
	}
	writer_row(p->w, p->outrow);
	p->acc.rows_out++;
}

static struct series_state *state_for(struct run *p, size_t key)
{
	while (p->nstates <= key) {
		p->states = xrealloc(p->states, (p->nstates + 1) * sizeof *p->states);
		series_state_init(&p->states[p->nstates++], &p->plan);
	}
	return &p->states[key];
}

/* Sorted streaming: the row goes out at once. */
static int stream_row(struct run *p, struct reader *r, const struct field *rec, size_t key,
		      int64_t day, struct adash_err *e)
{
	struct series_state *s = state_for(p, key);
	struct adash_err row_err;

	if (s->started && day <= s->last_day) {
		char d[TIME_FORMAT_MAX], last[TIME_FORMAT_MAX];

		time_format_date(day, d);
		time_format_date(s->last_day, last);
		if (day == s->last_day) {
			err_at(&row_err, ADASH_EDATA, reader_name(r), reader_line(r), p->names[p->time_col],
			       "a second row for %s%s%s on %s", p->key_col >= 0 ? "key \"" : "the series",
			       p->key_col >= 0 ? rec[p->key_col].s : "", p->key_col >= 0 ? "\"" : "", d);
			{
				size_t rawlen;
				const char *raw = reader_raw(r, &rawlen);

				return accounting_reject(&p->acc, &row_err, reader_name(r), reader_line(r),
							 "duplicate time", raw, rawlen, e);
			}
		}
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), p->names[p->time_col],
			      "%s is earlier than %s, the day of an earlier row of the same series, but --sorted promised time order (leave out --sorted and adash-features sorts)",
			      d, last);
	}
	series_compute(s, &p->plan, day, p->vals, p->feat);
	emit(p, rec, p->feat, series_warm(s, &p->plan, day));
	series_push(s, &p->plan, day, p->vals);
	return 0;
}

/* Default: the row is kept for later. */
static void hold_row(struct run *p, struct reader *r, const struct field *rec, size_t file,
		     size_t key, int64_t day)
{
	struct held_row *h;
	const char *raw;
	size_t rawlen, ni = p->plan.ninputs;

	p->rows = xgrow(p->rows, &p->rows_cap, p->nrows + 1, sizeof *p->rows);
	p->kinds = xgrow(p->kinds, &p->kinds_cap, (p->nrows + 1) * p->ncols, 1);
	p->held_vals = xgrow(p->held_vals, &p->held_vals_cap, (p->nrows + 1) * ni + 1,
			     sizeof *p->held_vals);
	h = &p->rows[p->nrows];
	h->text = p->text.len;
	for (size_t i = 0; i < p->ncols; i++) {
		buf_add(&p->text, rec[i].s, rec[i].len);
		buf_addch(&p->text, '\0');
		p->kinds[p->nrows * p->ncols + i] = (unsigned char)rec[i].kind;
	}
	raw = reader_raw(r, &rawlen);
	h->raw = p->raw.len;
	h->rawlen = rawlen;
	buf_add(&p->raw, raw, rawlen);
	h->line = reader_line(r);
	h->file = file;
	h->key = key;
	h->day = day;
	h->seq = p->nrows;
	memcpy(p->held_vals + p->nrows * ni, p->vals, ni * sizeof *p->vals);
	p->nrows++;
}

static int held_cmp(const void *a, const void *b)
{
	const struct held_row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Computes every held row's features in (key, day) order, then writes the
 * rows in input order. */
static int flush_held(struct run *p, struct adash_err *e)
{
	const struct series_plan *pl = &p->plan;
	size_t n = p->nrows, nf = pl->nfeats, ni = pl->ninputs;
	size_t *order = xcalloc(n + 1, sizeof *order);
	double *feat = xcalloc(n * nf + 1, sizeof *feat);
	unsigned char *state = xcalloc(n + 1, 1);  /* 0 cold, 1 warm, 2 duplicate */
	struct series_state s;
	struct field *rec = xcalloc(p->ncols + 1, sizeof *rec);
	int rc = -1;

	if (n)
		gsl_heapsort_index(order, p->rows, n, sizeof *p->rows, held_cmp);
	series_state_init(&s, pl);
	for (size_t k = 0; k < n; k++) {
		const struct held_row *h = &p->rows[order[k]];
		const struct held_row *prev = k ? &p->rows[order[k - 1]] : NULL;

		if (prev && prev->key != h->key) {
			series_state_free(&s);
			series_state_init(&s, pl);
		}
		if (s.started && h->day == s.last_day) {
			state[order[k]] = 2;
			continue;
		}
		series_compute(&s, pl, h->day, p->held_vals + order[k] * ni, feat + order[k] * nf);
		state[order[k]] = (unsigned char)series_warm(&s, pl, h->day);
		series_push(&s, pl, h->day, p->held_vals + order[k] * ni);
	}
	series_state_free(&s);
	for (size_t i = 0; i < n; i++) {
		const struct held_row *h = &p->rows[i];
		const char *t = p->text.data + h->text;

		if (state[i] == 2) {
			struct adash_err row_err;
			char d[TIME_FORMAT_MAX];

			time_format_date(h->day, d);
			err_at(&row_err, ADASH_EDATA, p->file_names[h->file], h->line, p->names[p->time_col],
			       "a second row for the same series on %s", d);
			if (accounting_reject(&p->acc, &row_err, p->file_names[h->file], h->line,
					      "duplicate time", p->raw.data + h->raw, h->rawlen, e) < 0)
				goto out;
			continue;
		}
		for (size_t c = 0; c < p->ncols; c++) {
			rec[c].s = t;
			rec[c].len = strlen(t);
			rec[c].kind = p->kinds[i * p->ncols + c];
			t += rec[c].len + 1;
		}
		emit(p, rec, feat + i * nf, state[i] == 1);
	}
	/* written: with grouped, the next group is held in the same arrays */
	p->nrows = 0;
	buf_reset(&p->text);
	buf_reset(&p->raw);
	rc = 0;
out:
	free(order);
	free(feat);
	free(state);
	free(rec);
	return rc;
}

/* What run_file hands readloop. */
struct file_reading {
	struct run *p;
	size_t file;
};

static int file_row(void *ctx, struct reader *r, const struct field *rec,
		    struct adash_err *row_err, const char **reason, struct adash_err *e)
{
	struct file_reading *fr = ctx;
	struct run *p = fr->p;
	size_t key = 0;
	int64_t day = 0;

	if (parse_row(p, r, rec, &key, &day, p->vals, row_err, reason) < 0)
		return ROW_BAD;
	if (p->key_col >= 0) {
		const struct field *k = &rec[p->key_col];
		int step = groups_next(&p->groups, k->s, k->len, reader_name(r), reader_line(r), NULL);

		/* grouped: a new key ends the group held, which is computed and
		 * written now, in input order, as the whole input would be */
		if (p->o->grouped && step != GROUP_SAME) {
			if (step == GROUP_AGAIN) {
				groups_refuse(&p->groups, p->names[p->key_col], p->o->io.prog, e);
				return ROW_FATAL;
			}
			if (!p->o->sorted && flush_held(p, e) < 0)
				return ROW_FATAL;
			if (p->o->sorted && p->nstates) {
				series_state_free(&p->states[0]);
				series_state_init(&p->states[0], &p->plan);
			}
		}
	}
	if (!p->o->sorted) {
		hold_row(p, r, rec, fr->file, key, day);
		return ROW_OK;
	}
	/* stream_row rejects a duplicate itself; -1 is a stop */
	return stream_row(p, r, rec, key, day, e) < 0 ? ROW_FATAL : ROW_OK;
}

static int run_file(struct run *p, size_t file, struct adash_err *e)
{
	const struct features_options *o = p->o;
	struct reader *r = reader_open(p->inputs[file], &o->io.read, e);
	struct file_reading fr = { p, file };
	int rc = -1;

	if (!r)
		return -1;
	p->file_names[file] = xstrdup(reader_name(r));
	/* an empty input, or NDJSON without a good record, has no columns,
	 * but its bad rows are still rows, accounted for by the loop */
	if (!p->w && reader_ncols(r) > 0) {
		if (run_columns(p, r, e) < 0)
			goto out;
	} else if (p->w && reader_same_columns(r, (const char *const *)p->names, p->ncols, e) < 0) {
		goto out;
	}
	if (readloop_run(&p->acc, r, o->io.progress, &p->rows_seen, file_row, &fr, e) < 0)
		goto out;
	rc = 0;
out:
	reader_close(r);
	return rc;
}

static void run_free(struct run *p)
{
	series_plan_free(&p->plan);
	for (size_t i = 0; p->file_names && p->inputs[i]; i++)
		free(p->file_names[i]);
	free(p->file_names);
	for (size_t i = 0; i < p->ncols; i++)
		free(p->names[i]);
	free(p->names);
	free(p->input_col);
	free(p->outrow);
	free(p->numtext);
	free(p->vals);
	free(p->feat);
	hashmap_free(&p->keys, NULL);
	groups_free(&p->groups);
	for (size_t i = 0; i < p->nstates; i++)
		series_state_free(&p->states[i]);
	free(p->states);
	free(p->rows);
	buf_free(&p->text);
	buf_free(&p->raw);
	free(p->kinds);
	free(p->held_vals);
	writer_free(p->w);
}

int features_run(const struct features_options *o, char *const *inputs, FILE *out,
		 struct adash_err *e)
{
	struct run p;
	struct featspec *specs;
	size_t nspecs;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.inputs = inputs;
	p.out = out;
	if (features_specs(o, &specs, &nspecs, e) < 0)
		return -1;
	if (nspecs == 0) {
		free(specs);
		return err_set(e, ADASH_EUSAGE,
			       "no features asked for (give --lags, --rolling, --ewm, --calendar, --log1p or --ratio)");
	}
	series_plan_init(&p.plan, specs, nspecs);
	free(specs);
	hashmap_init(&p.keys);
	groups_init(&p.groups);
	{
		size_t ninputs = 0;

		while (inputs[ninputs])
			ninputs++;
		p.file_names = xcalloc(ninputs + 1, sizeof *p.file_names);
	}
	if (accounting_open(&p.acc, o->io.on_bad, o->io.reject_path, o->io.stats_path, e) < 0) {
		run_free(&p);
		return -1;
	}
	for (size_t f = 0; inputs[f]; f++)
		if (run_file(&p, f, e) < 0)
			goto out;
	if (!o->sorted && flush_held(&p, e) < 0)
		goto out;
	/* -v: the whole input was held; say whether it had to be */
	if (!o->grouped && !o->sorted && p.key_col >= 0 && (o->io.verbose & REPORT_COUNTS))
		groups_note(&p.groups, stderr, o->io.prog, o->key);
	if (readloop_finish(&p.acc, o->io.progress, p.rows_seen, out, o->io.verbose, o->io.prog, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		accounting_abort(&p.acc);
	run_free(&p);
	return rc;
}
