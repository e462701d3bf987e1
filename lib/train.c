/*
 * train: from a feature table to a model (see train.h).
 *
 * One path serves both tasks: columns, rows, the design, standardization,
 * folds and groups are the same; the fits differ (regress_fit or
 * classify_fit, both giving a struct regress_fit, so predicting is one
 * dot product either way) and so do the scores (point_metrics or
 * class_metrics).  Checklist: a step that depends on the task tests
 * is_class(c) or is_bandit(c); residuals, smearing and MASE are
 * regression-only.
 *
 * A bandit leaves the path once the design is built: fold_bandit adds the
 * raw design rows to the statistics in table order, and train_update
 * comes back to the same load_rows and build_design with the model's
 * vocabulary fixed, so that an update reads rows exactly as training does.
 *
 * --partial (train_partial) takes the same path one block of rows at a
 * time: choose_columns on the first block, then per block load_rows and
 * build_design on a model of the block's own vocabulary, whose statistics
 * are folded into the running ones by fold_part, the step train_merge
 * takes for each file.  Rejected: a running design whose vocabulary grows
 * in place (a second way of widening statistics, next to the merge's), and
 * reading every block twice, first for the vocabularies (stdin cannot be
 * read again).
 */
#include "train.h"

#include "bandit.h"
#include "classify.h"
#include "featspec.h"
#include "hashmap.h"
#include "metrics.h"
#include "lsstats.h"
#include "num.h"
#include "partial.h"
#include "rng.h"
#include "timeutil.h"
#include "xalloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_heapsort.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define LAMBDA_GRID 40
/* logreg's C by the folds: 2^-6 .. 2^6, one power of two apart */
#define C_GRID 13
#define C_GRID_LOW (-6)

/* What a fit is asked for: the regression's options or the logreg's. */
struct fitopt {
	struct regress_options r;
	struct classify_options c;
};

enum { TIME_ROWS = 0, TIME_DATES, TIME_STAMPS };

struct fitset {
	int has_pooled;
	struct regress_fit pooled;
	double pooled_smear;      /* Duan's factor (1 without --log-target) */
	int *has_group;           /* ngroups */
	struct regress_fit *group;
	double *group_smear;
};

struct ctx {
	const struct train_options *o;
	const struct table *t;
	struct model *m;
	long target_col, time_col, key_col, by_col;
	size_t n;                 /* rows used */
	size_t *row;              /* table row of each */
	double *y;                /* target */
	double *z;                /* target on the fitted scale (0 or 1 for logreg) */
	double *w;                /* weights, or NULL */
	int64_t *time;            /* day number, microseconds or row number */
	int time_kind;            /* TIME_DATES, TIME_STAMPS, TIME_ROWS */
	size_t *key;              /* series number */
	size_t *group;            /* --by group number, or NONE */
	struct hashmap groups;
	size_t ngroups;
	size_t *order;            /* rows by (key, time) */
	gsl_matrix *raw;          /* n x ndesign, before standardization */
	double **colv;            /* per table column: its numbers, or NULL for
	                             a text column (parsed once, freed once the
	                             design is built) */
	size_t *col_bad;          /* per text column: its first row not a number */
	size_t min_rows;
	int fixed;                /* train_update: the model's vocabulary */
	size_t unseen;            /* train_update: rows with a level not in it */
	int partial;              /* train_partial: any number of rows will do;
	                             t is one block, m its model */
	size_t unsampled;         /* rows --sample left out */
};

/* ---- columns and rows --------------------------------------------------- */

static int is_class(const struct ctx *c)
{
	return c->o->task == TASK_CLASSIFICATION;
}

static int is_bandit(const struct ctx *c)
{
	return c->o->task == TASK_BANDIT;
}

static int in_list(char **list, const char *name)
{
	for (; list && *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static int need_column(const struct table *t, const char *name, const char *what, long *col,
		       struct adash_err *e)
{
	*col = table_col(t, name);
	if (*col < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (the %s)", t->source, name, what);
	return 0;
}

/* Parses every column once: numbers, or text (with the first row that is
 * not a number). */
static void parse_columns(struct ctx *c)
{
	const struct table *t = c->t;

	c->colv = xcalloc(t->ncols + 1, sizeof *c->colv);
	c->col_bad = xcalloc(t->ncols + 1, sizeof *c->col_bad);
	for (size_t i = 0; i < t->ncols; i++) {
		double *v = xmalloc((t->nrows + 1) * sizeof *v);

		if (table_numbers(t, i, v, &c->col_bad[i]) == 0) {
			c->colv[i] = v;
		} else {
			free(v);
		}
	}
}

static void free_columns(struct ctx *c)
{
	for (size_t i = 0; c->colv && i < c->t->ncols; i++)
		free(c->colv[i]);
	free(c->colv);
	free(c->col_bad);
	c->colv = NULL;
	c->col_bad = NULL;
}

/* key: --key, else --by, else the one text column that is not the time. */
static int find_key(struct ctx *c, struct adash_err *e)
{
	const struct train_options *o = c->o;
	const struct table *t = c->t;
	long found = -1;

	if (o->key)
		return need_column(t, o->key, "--key", &c->key_col, e);
	if (o->by) {
		c->key_col = c->by_col;
		return 0;
	}
	/* a key serves MASE and adash-forecast, regression only: an events
	 * table's user_id and item_id are no series to guess between */
	if (c->o->task != TASK_REGRESSION)
		return 0;
	for (size_t i = 0; i < t->ncols; i++) {
		if ((long)i == c->time_col || (long)i == c->target_col || in_list(o->features, t->names[i]))
			continue;
		if (c->colv[i])
			continue;
		if (found >= 0)
			return err_set(e, ADASH_EUSAGE, "cannot tell the series key: \"%s\" and \"%s\" are both text columns; name it with --key",
				       t->names[found], t->names[i]);
		found = (long)i;
	}
	c->key_col = found;
	return 0;
}

static int choose_inputs(struct ctx *c, struct adash_err *e)
{
	const struct train_options *o = c->o;
	const struct table *t = c->t;
	struct model *m = c->m;

	for (char **x = o->exclude; x && *x; x++)
		if (table_col(t, *x) < 0) {
			return err_set(e, ADASH_EUSAGE, "--exclude: no column \"%s\"", *x);
		}
	for (char **x = o->categorical; x && *x; x++)
		if (table_col(t, *x) < 0) {
			return err_set(e, ADASH_EUSAGE, "--categorical: no column \"%s\"", *x);
		}
	m->inputs = xcalloc(t->ncols + 1, sizeof *m->inputs);
	for (size_t i = 0; i < t->ncols; i++) {
		const char *name = t->names[i];
		int numeric, chosen;
		struct featspec f;
		struct adash_err ignore;

		if (o->features) {
			chosen = in_list(o->features, name);
		} else {
			chosen = (long)i != c->target_col && (long)i != c->time_col &&
				 (long)i != c->key_col && (long)i != c->by_col;
		}
		if (!chosen || in_list(o->exclude, name))
			continue;
		if ((long)i == c->target_col) {
			return err_set(e, ADASH_EUSAGE, "--features: \"%s\" is the target", name);
		}
		if ((long)i == c->time_col || (long)i == c->key_col || (long)i == c->by_col)
			return err_set(e, ADASH_EUSAGE, "--features: \"%s\" is the %s column, not an input", name,
				       (long)i == c->time_col ? "time" : (long)i == c->key_col ? "key" : "--by");
		numeric = c->colv[i] != NULL;
		if (!numeric && !o->features && !in_list(o->categorical, name)) {
			/* a column of numbers with one stray text value is a data
			 * error, not a text column to leave out without a word */
			size_t k = 0, bad = c->col_bad[i];

			while (k < bad && table_missing(t, k, i))
				k++;
			if (k < bad) {
				return err_at(e, ADASH_EDATA, t->source, t->line[bad], name,
					      "\"%s\" is not a number, but earlier values are (fix the value, or --exclude %s)",
					      table_cell(t, bad, i), name);
			}
			continue;  /* text columns only when named */
		}
		struct model_input *in = &m->inputs[m->ninputs++];
		in->name = xstrdup(name);
		in->categorical = !numeric || in_list(o->categorical, name);
		if (!in->categorical && featspec_parse(name, NULL, 0, &f, &ignore) == 0) {
			in->categorical = featspec_is_categorical(&f);
			featspec_free(&f);
		}
	}
	for (char **x = o->features; x && *x; x++)
		if (table_col(t, *x) < 0) {
			return err_set(e, ADASH_EUSAGE, "--features: no column \"%s\"", *x);
		}
	if (m->ninputs == 0)
		return err_set(e, ADASH_EDATA, "%s: no input columns to train on (every numeric column but the target, key and time is used; or name them with --features)",
			       t->source);
	return 0;
}

/* The label of row r for logreg: 0 or 1 into *y, and 1; 0 when missing;
 * -1 with e for anything else.  Numbers 0 and 1 (1.0 too: the same number)
 * and the text true and false, which is how an NDJSON boolean reads. */
static int read_label(const struct ctx *c, size_t r, double *y, struct adash_err *e)
{
	const struct table *t = c->t;
	size_t col = (size_t)c->target_col;
	const char *s = table_cell(t, r, col);
	double v;

	if (c->colv[col]) {
		v = c->colv[col][r];
		if (isnan(v))
			return 0;
	} else if (table_missing(t, r, col)) {
		return 0;
	} else if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
		v = s[0] == 't';
	} else if (num_parse(s, strlen(s), &v) < 0) {
		v = NAN;
	}
	if (v != 0 && v != 1)
		return err_at(e, ADASH_EDATA, t->source, t->line[r], c->o->target,
			      "\"%s\" is not 0 or 1 (a logreg target is 0, 1, true or false)", s);
	*y = v;
	return 1;
}

/* Time of row r: a date's day number or a timestamp's microseconds, as
 * the column's first value decides.  Timestamps are RFC 3339 only (what
 * adash-ingest and adash-features write): time_parse_timestamp would take
 * any number for epoch seconds, and a column of 20240101-style days or
 * week numbers would then train with 1970 times, MASE pairing seconds as
 * if they were days. */
static int read_time(struct ctx *c, size_t r, int64_t *out, struct adash_err *e)
{
	const struct table *t = c->t;
	const char *s = table_cell(t, r, (size_t)c->time_col);
	size_t len = strlen(s);

	if (c->time_kind == TIME_ROWS) {
		if (time_parse_date(s, len, out) == 0)
			c->time_kind = TIME_DATES;
		else if (time_parse_rfc3339(s, len, out) == 0)
			c->time_kind = TIME_STAMPS;
		else
			return err_at(e, ADASH_EDATA, t->source, t->line[r], t->names[c->time_col],
				      "\"%s\" is not a date (YYYY-MM-DD) or a timestamp (RFC 3339)", s);
		return 0;
	}
	if (c->time_kind == TIME_DATES && time_parse_date(s, len, out) < 0)
		return err_at(e, ADASH_EDATA, t->source, t->line[r], t->names[c->time_col],
			      "\"%s\" is not a date (YYYY-MM-DD), as the column's first value is", s);
	if (c->time_kind == TIME_STAMPS && time_parse_rfc3339(s, len, out) < 0)
		return err_at(e, ADASH_EDATA, t->source, t->line[r], t->names[c->time_col],
			      "\"%s\" is not a timestamp (RFC 3339), as the column's first value is", s);
	return 0;
}

/* Time units in a day: for the half-life's ages and MASE's calendar. */
static int64_t per_day(const struct ctx *c)
{
	return c->time_kind == TIME_STAMPS ? TIME_US_PER_DAY : 1;
}

/* --sample: whether row r is in the seeded Bernoulli sample of the given
 * fraction.  The draw is a function of the seed and the row's content (its
 * cells, hashed), not of its position, so that a row is in or out of the
 * sample whatever else the input holds: the same input and seed give the
 * same rows, and so do its partitions (identical rows share their fate). */
static int sampled(const struct table *t, size_t r, double fraction, uint64_t seed)
{
	uint64_t h = 14695981039346656037u;   /* FNV-1a over the cells, 0x1f apart */

	for (size_t i = 0; i < t->ncols; i++) {
		for (const unsigned char *p = (const unsigned char *)table_cell(t, r, i); *p; p++)
			h = (h ^ *p) * 1099511628211u;
		h = (h ^ 0x1f) * 1099511628211u;
	}
	return (double)(rng_derive(seed, h) >> 11) * 0x1p-53 < fraction;
}

/* Reads target, time, key and group of every row; keeps the usable ones. */
static int load_rows(struct ctx *c, size_t *skipped, struct adash_err *e)
{
	const struct train_options *o = c->o;
	const struct table *t = c->t;
	struct model *m = c->m;
	size_t nr = t->nrows, bad;
	const double *y = c->colv[c->target_col];
	const double **num = xcalloc(m->ninputs + 1, sizeof *num);
	struct hashmap keys;
	int64_t last = INT64_MIN;
	int rc = -1;

	hashmap_init(&keys);
	if (!y && !is_class(c)) {
		bad = c->col_bad[c->target_col];
		err_at(e, ADASH_EDATA, t->source, t->line[bad], o->target, "\"%s\" is not a number (the target must be)",
		       table_cell(t, bad, (size_t)c->target_col));
		goto out;
	}
	for (size_t i = 0; i < m->ninputs; i++)
		if (!m->inputs[i].categorical)
			num[i] = c->colv[table_col(t, m->inputs[i].name)];
	c->row = xmalloc((nr + 1) * sizeof *c->row);
	c->y = xmalloc((nr + 1) * sizeof *c->y);
	c->z = xmalloc((nr + 1) * sizeof *c->z);
	c->time = xmalloc((nr + 1) * sizeof *c->time);
	c->key = xmalloc((nr + 1) * sizeof *c->key);
	c->group = xmalloc((nr + 1) * sizeof *c->group);
	*skipped = 0;
	for (size_t r = 0; r < nr; r++) {
		double yr = NAN;
		int usable;
		int64_t time = (int64_t)r;

		if (o->sample > 0 && !sampled(t, r, o->sample, o->seed)) {
			c->unsampled++;
			continue;
		}

		if (is_class(c)) {
			usable = read_label(c, r, &yr, e);
			if (usable < 0)
				goto out;
		} else {
			yr = y[r];
			usable = isfinite(yr);
		}
		for (size_t i = 0; usable && i < m->ninputs; i++) {
			if (num[i]) {
				if (isnan(num[i][r]))
					usable = 0;
			} else {
				/* a missing category: left out like a missing number */
				if (table_missing(t, r, (size_t)table_col(t, m->inputs[i].name)))
					usable = 0;
			}
		}
		if (c->time_col >= 0 && read_time(c, r, &time, e) < 0)
			goto out;
		if (!usable) {
			(*skipped)++;
			continue;
		}
		if (o->log_target && !(yr > -1)) {
			err_at(e, ADASH_EDATA, t->source, t->line[r], o->target,
			       "%g cannot be log-transformed (--log-target fits log(1 + y) and needs y > -1)", yr);
			goto out;
		}
		c->row[c->n] = r;
		c->y[c->n] = yr;
		c->z[c->n] = o->log_target ? log1p(yr) : yr;
		c->time[c->n] = time;
		if (time > last)
			last = time;
		c->key[c->n] = 0;
		if (c->key_col >= 0) {
			const char *k = table_cell(t, r, (size_t)c->key_col);
			int added;
			struct hashmap_entry *en = hashmap_put(&keys, k, strlen(k), &added);

			if (added)
				en->val.num = (int64_t)hashmap_count(&keys) - 1;
			c->key[c->n] = (size_t)en->val.num;
		}
		c->group[c->n] = NONE;   /* a missing --by value: the pooled fit's */
		if (c->by_col >= 0 && !table_missing(t, r, (size_t)c->by_col)) {
			const char *g = table_cell(t, r, (size_t)c->by_col);
			int added;
			struct hashmap_entry *en = hashmap_put(&c->groups, g, strlen(g), &added);

			if (added)
				en->val.num = (int64_t)c->ngroups++;
			c->group[c->n] = (size_t)en->val.num;
		}
		c->n++;
	}
	if (o->weight_half_life > 0) {
		c->w = xmalloc((c->n + 1) * sizeof *c->w);
		for (size_t i = 0; i < c->n; i++)
			/* floored: 0.5^(age / H) underflows to 0 past about
			 * 1074 half-lives, and a weight must stay positive */
			c->w[i] = fmax(pow(0.5, (double)(last - c->time[i]) / (double)per_day(c) /
					   o->weight_half_life), 1e-300);
	}
	rc = 0;
out:
	free(num);
	hashmap_free(&keys, NULL);
	return rc;
}

/* Vocabularies, the design layout and the raw design matrix (with the
 * model's vocabulary and layout as they are when c->fixed). */
static int build_design(struct ctx *c, struct adash_err *e)
{
	const struct table *t = c->t;
	struct model *m = c->m;
	unsigned char *unseen;

	for (size_t i = 0; i < m->ninputs && !c->fixed; i++) {
		struct model_input *in = &m->inputs[i];
		struct hashmap seen;
		size_t col = (size_t)table_col(t, in->name);

		if (!in->categorical)
			continue;
		hashmap_init(&seen);
		for (size_t k = 0; k < c->n; k++) {
			const char *v = table_cell(t, c->row[k], col);
			int added;

			if (table_missing(t, c->row[k], col))
				continue;
			hashmap_put(&seen, v, strlen(v), &added);
			if (added) {
				in->levels = xrealloc(in->levels, (in->nlevels + 1) * sizeof *in->levels);
				in->levels[in->nlevels++] = xstrdup(v);
			}
		}
		hashmap_free(&seen, NULL);
		if (in->nlevels == 0) {
			return err_set(e, ADASH_EDATA, "%s: column \"%s\" has no values in the rows trained on",
				       t->source, in->name);
		}
	}
	if (!c->fixed && model_layout(m, e) < 0)
		return -1;
	if (!c->fixed && is_bandit(c) && m->ndesign > BANDIT_MAX_DESIGN)
		return err_set(e, ADASH_EDATA, "%s: %zu design columns, more than a bandit model's %d (leave inputs out with --exclude)",
			       t->source, m->ndesign, BANDIT_MAX_DESIGN);
	/* a bandit's prior makes any number of rows a fit; the others need
	 * a row per column, one for the intercept and one left over */
	if (!c->fixed && !c->partial && is_bandit(c) && c->n == 0)
		return err_set(e, ADASH_EDATA, "%s: no usable rows (rows with an empty target or input are left out)",
			       t->source);
	if (!c->fixed && !c->partial && !is_bandit(c) && c->n <= m->ndesign + 1)
		return err_set(e, ADASH_EDATA, "%s: %zu usable rows cannot fit %zu design columns and an intercept (rows with an empty target or input are left out)",
			       t->source, c->n, m->ndesign);
	if (c->n == 0)
		return 0;   /* an update without a usable row */
	c->raw = gsl_matrix_calloc(c->n, m->ndesign);
	if (!c->raw)
		xalloc_die();
	unseen = xcalloc(c->n, 1);
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *in = &m->inputs[i];
		size_t col = (size_t)table_col(t, in->name);

		for (size_t k = 0; k < c->n; k++) {
			const char *v = table_cell(t, c->row[k], col);
			size_t l;

			if (!in->categorical) {
				double x = c->colv[col][c->row[k]];

				/* squares summed over the rows must stay finite */
				if (!(fabs(x) <= 1e150)) {
					free(unseen);
					return err_at(e, ADASH_EDATA, t->source, t->line[c->row[k]], in->name,
						      "%g is too large in magnitude to fit", x);
				}
				gsl_matrix_set(c->raw, k, in->offset, x);
				continue;
			}
			/* a level the model has not seen (train_update only):
			 * zeros in every column of the input */
			for (l = 0; l < in->nlevels && strcmp(v, in->levels[l]) != 0; l++)
				;
			if (l < in->nlevels)
				gsl_matrix_set(c->raw, k, in->offset + l, 1);
			else
				unseen[k] = 1;
		}
	}
	for (size_t k = 0; k < c->n; k++)
		c->unseen += unseen[k];
	free(unseen);
	return 0;
}

/* ---- fitting ------------------------------------------------------------ */

static void standardize(const struct ctx *c, const size_t *idx, size_t k, double *mean, double *scale)
{
	size_t p = c->raw->size2;
	double *col = xmalloc((k + 1) * sizeof *col);

	for (size_t j = 0; j < p; j++) {
		for (size_t i = 0; i < k; i++)
			col[i] = gsl_matrix_get(c->raw, idx[i], j);
		mean[j] = gsl_stats_mean(col, 1, k);
		scale[j] = k > 1 ? gsl_stats_sd_m(col, 1, k, mean[j]) : 0;
		if (!(scale[j] > 1e-12 * (fabs(mean[j]) + 1)))
			scale[j] = 1;   /* a constant column: nothing to scale */
	}
	free(col);
}

static void design_row(const struct ctx *c, size_t r, const double *mean, const double *scale, double *x)
{
	for (size_t j = 0; j < c->raw->size2; j++)
		x[j] = (gsl_matrix_get(c->raw, r, j) - mean[j]) / scale[j];
}

static int fit_rows(const struct ctx *c, const size_t *idx, size_t k, const double *mean,
		    const double *scale, const struct fitopt *fo, struct regress_fit *f,
		    struct adash_err *e)
{
	size_t p = c->raw->size2;
	gsl_matrix *X = gsl_matrix_alloc(k, p);
	gsl_vector *y = gsl_vector_alloc(k);
	gsl_vector *w = c->w ? gsl_vector_alloc(k) : NULL;
	int rc;

	for (size_t i = 0; i < k; i++) {
		gsl_vector_view row = gsl_matrix_row(X, i);

		design_row(c, idx[i], mean, scale, row.vector.data);
		gsl_vector_set(y, i, c->z[idx[i]]);
		if (w)
			gsl_vector_set(w, i, c->w[idx[i]]);
	}
	if (is_class(c))
		rc = classify_fit(X, y, &fo->c, f, e);   /* logreg takes no weights: w is NULL */
	else
		rc = regress_fit(X, y, w, &fo->r, f, e);
	gsl_matrix_free(X);
	gsl_vector_free(y);
	if (w)
		gsl_vector_free(w);
	return rc;
}

/* The linear predictor of used row r. */
static double eta_of(const struct ctx *c, const struct regress_fit *f, const double *mean,
		     const double *scale, size_t r, double *x)
{
	design_row(c, r, mean, scale, x);
	return regress_predict(f, x);
}

/* Duan's smearing factor of a fit over its rows (1 without --log-target). */
static double smearing(const struct ctx *c, const struct regress_fit *f, const size_t *idx,
		       size_t k, const double *mean, const double *scale)
{
	struct kahan s = { 0, 0 };
	double *x;

	if (!c->o->log_target || k == 0)
		return 1;
	x = xmalloc((f->p + 1) * sizeof *x);
	for (size_t i = 0; i < k; i++)
		kahan_add(&s, exp(c->z[idx[i]] - eta_of(c, f, mean, scale, idx[i], x)));
	free(x);
	return s.sum / (double)k;
}

static double back(const struct ctx *c, double eta, double smear)
{
	return c->o->log_target ? exp(eta) * smear - 1 : eta;
}

static void fitset_free(struct fitset *fs, size_t ngroups)
{
	if (fs->has_pooled)
		regress_fit_free(&fs->pooled);
	for (size_t g = 0; fs->group && g < ngroups; g++)
		if (fs->has_group[g])
			regress_fit_free(&fs->group[g]);
	free(fs->group);
	free(fs->has_group);
	free(fs->group_smear);
	memset(fs, 0, sizeof *fs);
}

/* Balanced class weights, n / (2 n_c), of rows idx[0..k). */
static void balanced_weights(const struct ctx *c, const size_t *idx, size_t k, double weight[2])
{
	size_t npos = 0;

	for (size_t i = 0; i < k; i++)
		npos += c->z[idx[i]] != 0;
	classify_balanced_weights(k, npos, weight);
}

/* The pooled fit and one per group, on rows idx[0..k).  Balanced class
 * weights are those of rows idx, shared by the pooled and group fits: a
 * fold's come from its training rows alone. */
static int fit_all(const struct ctx *c, const size_t *idx, size_t k, const double *mean,
		   const double *scale, const struct fitopt *fo_in, struct fitset *fs,
		   struct adash_err *e)
{
	struct fitopt own = *fo_in, *fo = &own;

	if (is_class(c) && c->o->balanced)
		balanced_weights(c, idx, k, own.c.weight);
	memset(fs, 0, sizeof *fs);
	if (c->by_col < 0 || c->o->pooled) {
		if (fit_rows(c, idx, k, mean, scale, fo, &fs->pooled, e) < 0)
			return -1;
		fs->has_pooled = 1;
		fs->pooled_smear = smearing(c, &fs->pooled, idx, k, mean, scale);
	}
	if (c->by_col < 0)
		return 0;
	fs->group = xcalloc(c->ngroups + 1, sizeof *fs->group);
	fs->has_group = xcalloc(c->ngroups + 1, sizeof *fs->has_group);
	fs->group_smear = xcalloc(c->ngroups + 1, sizeof *fs->group_smear);
	for (size_t g = 0; g < c->ngroups; g++) {
		size_t *sub = xmalloc((k + 1) * sizeof *sub), ns = 0;
		struct adash_err ignore;

		for (size_t i = 0; i < k; i++)
			if (c->group[idx[i]] == g)
				sub[ns++] = idx[i];
		/* a group too short for its own fit is the pooled model's */
		if (ns >= c->min_rows && fit_rows(c, sub, ns, mean, scale, fo, &fs->group[g], &ignore) == 0) {
			fs->has_group[g] = 1;
			fs->group_smear[g] = smearing(c, &fs->group[g], sub, ns, mean, scale);
		}
		free(sub);
	}
	return 0;
}

/* The fit that serves used row r, and its smearing factor. */
static const struct regress_fit *fit_for(const struct ctx *c, const struct fitset *fs, size_t r,
					 double *smear)
{
	if (c->by_col >= 0 && c->group[r] != NONE && fs->has_group[c->group[r]]) {
		*smear = fs->group_smear[c->group[r]];
		return &fs->group[c->group[r]];
	}
	*smear = fs->pooled_smear;
	return fs->has_pooled ? &fs->pooled : NULL;
}

/* ---- cross-validation --------------------------------------------------- */

struct folds {
	size_t n;             /* folds */
	int64_t *times;       /* distinct times, sorted */
	size_t ntimes;
};

static int64_t fold_time(const struct folds *f, size_t block_end)
{
	return f->times[block_end - 1];
}

/* Last distinct-time index (exclusive) of block b of n + 1. */
static size_t block_end(const struct folds *f, size_t b)
{
	return (b + 1) * f->ntimes / (f->n + 1);
}

/* The calendar day of time t, for MASE's pairs: a timestamp's UTC day
 * (floored, before 1970 too). */
static long long day_of(const struct ctx *c, int64_t t)
{
	int64_t d = per_day(c);

	return (long long)(t >= 0 ? t / d : -((-(t + 1)) / d) - 1);
}

/* Seasonal naive scale of the target over used rows with time <= until:
 * pairs within each key, pooled over keys (naive_scale_reset starts a new
 * series and keeps the running sum). */
static double mase_scale(const struct ctx *c, int64_t until)
{
	struct naive_scale s;
	size_t prev_key = NONE;
	double v;

	naive_scale_init(&s, c->o->season);
	for (size_t i = 0; i < c->n; i++) {
		size_t r = c->order[i];

		if (c->time[r] > until)
			continue;
		if (c->key[r] != prev_key) {
			naive_scale_reset(&s);
			prev_key = c->key[r];
		}
		naive_scale_add(&s, day_of(c, c->time[r]), c->y[r]);
	}
	v = naive_scale_value(&s);
	naive_scale_free(&s);
	return v;
}

static void format_time(const struct ctx *c, int64_t t, char *out)
{
	if (c->time_kind == TIME_DATES)
		time_format_date(t, out);
	else if (c->time_kind == TIME_STAMPS)
		time_format_timestamp(t, out);
	else
		snprintf(out, TIME_FORMAT_MAX, "row %lld", (long long)t + 1);
}

/* x with digits decimals, or NA when it is not finite. */
static const char *fixed_or_na(double x, int digits, char *out)
{
	if (isfinite(x))
		num_format_fixed(x, digits, out);
	else
		strcpy(out, "NA");
	return out;
}

/* ": AUC 0.8123, log loss 0.4123, Brier 0.1345" of m, to fp. */
static void report_class(FILE *fp, const struct class_metrics *m)
{
	char a[NUM_FORMAT_MAX], b[NUM_FORMAT_MAX], cc[NUM_FORMAT_MAX];

	fprintf(fp, "AUC %s, log loss %s, Brier %s", fixed_or_na(class_metrics_auc(m), 4, a),
		fixed_or_na(class_metrics_logloss(m), 4, b), fixed_or_na(class_metrics_brier(m), 4, cc));
}

/* Runs the folds with fo.  With sse (ngrid entries) and grid, adds each
 * penalty's score instead of recording the folds (for --lambda cv, the
 * squared test error; for --C cv, each fold's mean log loss, whose sum
 * over the folds orders the grid as their mean does).  Otherwise records
 * fold metrics and, for a regression, out-of-fold residuals: resid[0..n)
 * of the fit that serves each row (its group's or the pooled one),
 * resid[n..2n) of the pooled fit, NaN where a row was never tested. */
static int run_folds(struct ctx *c, const struct folds *fo, const struct fitopt *fopt,
		     const double *grid, double *sse, size_t ngrid, double *resid,
		     struct adash_err *e)
{
	size_t p = c->raw->size2;
	double *mean = xmalloc((p + 1) * sizeof *mean), *scale = xmalloc((p + 1) * sizeof *scale);
	double *x = xmalloc((p + 1) * sizeof *x);
	size_t *train = xmalloc((c->n + 1) * sizeof *train), *test = xmalloc((c->n + 1) * sizeof *test);
	struct classify_warm warm = { xcalloc(p + 2, sizeof *warm.w), p + 1, 0 };
	int rc = -1;

	for (size_t k = 1; k <= fo->n; k++) {
		int64_t until = fold_time(fo, block_end(fo, k - 1));
		int64_t test_until = fold_time(fo, block_end(fo, k));
		size_t ntrain = 0, ntest = 0;
		struct point_metrics pm;
		struct class_metrics cm;

		for (size_t i = 0; i < c->n; i++) {
			if (c->time[i] <= until)
				train[ntrain++] = i;
			else if (c->time[i] <= test_until)
				test[ntest++] = i;
		}
		standardize(c, train, ntrain, mean, scale);
		warm.set = 0;
		for (size_t g = 0; g < (sse ? ngrid : 1); g++) {
			struct fitopt rg = *fopt;
			struct fitset fs;

			if (sse && is_class(c)) {
				rg.c.C = grid[g];
				/* one fit per C (no --by groups): start from the
				 * last C's optimum; the grid ascends */
				if (c->by_col < 0)
					rg.c.warm = &warm;
			} else if (sse) {
				rg.r.lambda_mode = LAMBDA_FIXED;
				rg.r.lambda = grid[g];
			}
			if (fit_all(c, train, ntrain, mean, scale, &rg, &fs, e) < 0) {
				char d[TIME_FORMAT_MAX];

				char why[ADASH_ERR_MSG_MAX];

				format_time(c, until, d);
				snprintf(why, sizeof why, "%s", e->msg);
				err_set(e, e->code, "cross-validation fold %zu (training to %s): %s", k, d, why);
				goto out;
			}
			point_metrics_init(&pm);
			class_metrics_init(&cm);
			for (size_t i = 0; i < ntest; i++) {
				size_t r = test[i];
				double smear, eta;
				const struct regress_fit *f = fit_for(c, &fs, r, &smear);

				if (!f)
					continue;   /* a group unseen in training, and no pooled fit */
				eta = eta_of(c, f, mean, scale, r, x);
				if (is_class(c)) {
					class_metrics_add(&cm, c->z[r] != 0, model_untransform(c->m, eta));
					continue;
				}
				if (sse) {
					sse[g] += (c->z[r] - eta) * (c->z[r] - eta);
					continue;
				}
				resid[r] = c->z[r] - eta;
				if (fs.has_pooled)
					resid[c->n + r] = f == &fs.pooled ? resid[r] :
						c->z[r] - eta_of(c, &fs.pooled, mean, scale, r, x);
				point_metrics_add(&pm, c->y[r], back(c, eta, smear));
			}
			/* a fold with no row scored (--no-pooled, only unseen
			 * groups) has no log loss, and adds nothing */
			if (sse && is_class(c) && cm.n > 0)
				sse[g] += class_metrics_logloss(&cm);
			if (!sse) {
				struct model_fold *mf = &c->m->folds[k - 1];
				char d1[TIME_FORMAT_MAX], d2[TIME_FORMAT_MAX];

				format_time(c, until, d1);
				format_time(c, test_until, d2);
				mf->train_rows = ntrain;
				mf->test_rows = ntest;
				mf->train_until = xstrdup(d1);
				mf->test_until = xstrdup(d2);
				mf->mae = mf->rmse = mf->mape = mf->mase = NAN;
				mf->auc = mf->logloss = mf->brier = NAN;
				if (is_class(c)) {
					mf->auc = class_metrics_auc(&cm);
					mf->logloss = class_metrics_logloss(&cm);
					mf->brier = class_metrics_brier(&cm);
				} else {
					mf->mae = point_metrics_mae(&pm);
					mf->rmse = point_metrics_rmse(&pm);
					mf->mape = point_metrics_mape(&pm);
					mf->mase = point_metrics_mase(&pm, mase_scale(c, until));
				}
				if (c->o->report) {
					char a[NUM_FORMAT_MAX], b[NUM_FORMAT_MAX], cc[NUM_FORMAT_MAX], dd[NUM_FORMAT_MAX];

					fprintf(c->o->report, "%s: fold %zu/%zu: trained on %zu rows to %s, tested on %zu rows to %s: ",
						c->o->prog, k, fo->n, ntrain, d1, ntest, d2);
					if (is_class(c))
						report_class(c->o->report, &cm);
					else
						fprintf(c->o->report, "MAE %s, RMSE %s, MAPE %s%%, MASE %s",
							fixed_or_na(mf->mae, 4, a), fixed_or_na(mf->rmse, 4, b),
							fixed_or_na(mf->mape, 2, cc), fixed_or_na(mf->mase, 4, dd));
					fputc('\n', c->o->report);
				}
			}
			class_metrics_free(&cm);
			fitset_free(&fs, c->ngroups);
		}
	}
	rc = 0;
out:
	free(mean);
	free(scale);
	free(x);
	free(train);
	free(test);
	free(warm.w);
	return rc;
}

static int cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int make_folds(struct ctx *c, struct folds *fo, struct adash_err *e)
{
	int64_t *d = xmalloc((c->n + 1) * sizeof *d);
	size_t nd = 0;

	/* int64, not double: microseconds of a far year exceed 2^53 */
	memcpy(d, c->time, c->n * sizeof *d);
	qsort(d, c->n, sizeof *d, cmp_time);
	for (size_t i = 0; i < c->n; i++)
		if (nd == 0 || d[i] != d[nd - 1])
			d[nd++] = d[i];
	fo->n = (size_t)c->o->cv;
	fo->times = d;
	fo->ntimes = nd;
	if (nd < fo->n + 1)
		return err_set(e, ADASH_EDATA, "--cv %zu needs at least %zu distinct %s, the data has %zu",
			       fo->n, fo->n + 1, c->time_kind == TIME_DATES ? "days" :
			       c->time_kind == TIME_STAMPS ? "times" : "rows", nd);
	return 0;
}

/* ---- the model ---------------------------------------------------------- */

static int key_day_cmp(const void *a, const void *b)
{
	/* elements are packed (key, day, index) triples of int64 */
	const int64_t *x = a, *y = b;

	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static void sort_by_key_time(struct ctx *c)
{
	int64_t *tri = xmalloc((3 * c->n + 1) * sizeof *tri);

	for (size_t i = 0; i < c->n; i++) {
		tri[3 * i] = (int64_t)c->key[i];
		tri[3 * i + 1] = c->time[i];
		tri[3 * i + 2] = (int64_t)i;
	}
	c->order = xmalloc((c->n + 1) * sizeof *c->order);
	if (c->n)
		gsl_heapsort_index(c->order, tri, c->n, 3 * sizeof *tri, key_day_cmp);
	free(tri);
}

/* Residuals kept for intervals: the latest ones, at most the loader's
 * limit, in time order, centred on their mean.  The intervals are around
 * the point forecast: out-of-fold errors carry the early folds' bias (a
 * trend a fit on a short past had not seen), and uncentred they put whole
 * intervals above the forecast they belong to.  Measured on
 * scripts/bench/forecast's default configuration: 80% coverage 82.9%
 * centred, 79.3% not (both within the goal). */
static void keep_residuals(const struct ctx *c, const double *resid, const size_t *idx, size_t k,
			   struct model_fit *mf)
{
	size_t *sel = xmalloc((k + 1) * sizeof *sel), ns = 0, from;
	double *days = xmalloc((k + 1) * sizeof *days);
	size_t *perm = xmalloc((k + 1) * sizeof *perm);

	for (size_t i = 0; i < k; i++)
		if (!isnan(resid[idx[i]]))
			sel[ns++] = idx[i];
	for (size_t i = 0; i < ns; i++)
		days[i] = (double)c->time[sel[i]];
	if (ns)
		gsl_sort_index(perm, days, 1, ns);
	from = ns > MODEL_MAX_RESIDUALS ? ns - MODEL_MAX_RESIDUALS : 0;
	mf->nresiduals = ns - from;
	mf->residuals = xmalloc((mf->nresiduals + 1) * sizeof *mf->residuals);
	for (size_t i = from; i < ns; i++)
		mf->residuals[i - from] = resid[sel[perm[i]]];
	if (mf->nresiduals > 0) {
		double mean = gsl_stats_mean(mf->residuals, 1, mf->nresiduals);

		for (size_t i = 0; i < mf->nresiduals; i++)
			mf->residuals[i] -= mean;
	}
	free(sel);
	free(days);
	free(perm);
}

static void to_model_fit(const struct ctx *c, const struct regress_fit *f, const size_t *idx, size_t k,
			 const double *resid, const double *x_mean, const double *x_scale,
			 struct model_fit *mf)
{
	size_t p = f->p;
	double *x = xmalloc((p + 1) * sizeof *x);

	mf->intercept = f->intercept;
	mf->coef = xmalloc((p + 1) * sizeof *mf->coef);
	memcpy(mf->coef, f->coef, p * sizeof *mf->coef);
	if (f->cov) {
		mf->cov = xmalloc((p * p + 1) * sizeof *mf->cov);
		memcpy(mf->cov, f->cov, p * p * sizeof *mf->cov);
	}
	mf->lambda = f->lambda;
	mf->sigma2 = f->sigma2;
	mf->dof = f->dof;
	mf->rows = k;
	mf->smearing = smearing(c, f, idx, k, x_mean, x_scale);
	keep_residuals(c, resid, idx, k, mf);
	free(x);
}

/* The SHA-256 of the table's column names and cells; when the model has a
 * fingerprint already (train_update), of that first and then the table, so
 * that the fingerprint names the whole sequence of batches.  In three steps
 * so that a table read in blocks (train_partial) hashes the same bytes as
 * the whole table: its names once, then each block's cells, which are the
 * whole table's cells cut between rows. */
static void fingerprint_begin(struct sha256_ctx *h, const struct table *t, const struct model *m)
{
	sha256_init(h);
	if (m->fingerprint)
		sha256_update(h, strlen(m->fingerprint), (const uint8_t *)m->fingerprint);
	for (size_t i = 0; i < t->ncols; i++)
		sha256_update(h, strlen(t->names[i]) + 1, (const uint8_t *)t->names[i]);
}

static void fingerprint_add(struct sha256_ctx *h, const struct table *t)
{
	sha256_update(h, t->text.len, (const uint8_t *)t->text.data);
}

static void fingerprint_end(struct sha256_ctx *h, struct model *m)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char hex[] = "0123456789abcdef";
	char out[8 + 2 * SHA256_DIGEST_SIZE + 1] = "sha256:";

	sha256_digest(h, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++) {
		out[7 + 2 * i] = hex[d[i] >> 4];
		out[8 + 2 * i] = hex[d[i] & 15];
	}
	out[7 + 2 * sizeof d] = '\0';
	free(m->fingerprint);
	m->fingerprint = xstrdup(out);
}

static void fingerprint(const struct table *t, struct model *m)
{
	struct sha256_ctx h;

	fingerprint_begin(&h, t, m);
	fingerprint_add(&h, t);
	fingerprint_end(&h, m);
}

/* ---- bandits ------------------------------------------------------------ */

/* Adds the used rows to bandit statistics b, in table order.  0, or -1
 * with e. */
static int add_bandit_rows(const struct ctx *c, struct bandit *b, struct adash_err *e)
{
	const struct table *t = c->t;

	for (size_t i = 0; i < c->n; i++) {
		/* r^2 summed over the rows must stay finite, as x^2 must */
		if (!(fabs(c->z[i]) <= 1e150))
			return err_at(e, ADASH_EDATA, t->source, t->line[c->row[i]], c->o->target,
				      "%g is too large in magnitude to fit", c->z[i]);
		bandit_add(b, gsl_matrix_const_ptr(c->raw, i, 0), c->z[i]);
	}
	if (!bandit_finite(b))
		return err_set(e, ADASH_EDATA, "%s: the sums of the rewards and inputs overflow (values too large in magnitude)",
			       t->source);
	return 0;
}

/* Solves m's bandit statistics, of rows rows in all, into its pooled fit;
 * source names the rows in a message. */
static int solve_bandit(struct model *m, size_t rows, const char *source, struct adash_err *e)
{
	struct model_fit *f = &m->pooled;
	size_t p = m->ndesign + 1;
	double *theta = xmalloc(p * sizeof *theta), sigma2, dof;

	if (bandit_solve(m->bandit, rows, theta, &sigma2, &dof, e) < 0) {
		char why[ADASH_ERR_MSG_MAX];

		memcpy(why, e->msg, sizeof why);
		free(theta);
		return err_set(e, ADASH_EDATA, "%s: %s", source, why);
	}
	f->rows = rows;
	f->intercept = theta[0];
	if (!f->coef)
		f->coef = xmalloc(p * sizeof *f->coef);
	memcpy(f->coef, theta + 1, m->ndesign * sizeof *theta);
	f->sigma2 = sigma2;
	f->dof = dof;
	f->lambda = 0;     /* the prior's is the statistics' */
	f->smearing = 1;
	m->has_pooled = 1;
	free(theta);
	return 0;
}

/* Adds the used rows to the bandit statistics, in table order, and solves
 * them into the pooled fit (of m->pooled.rows earlier rows and these). */
static int fold_bandit(const struct ctx *c, struct adash_err *e)
{
	if (add_bandit_rows(c, c->m->bandit, e) < 0)
		return -1;
	return solve_bandit(c->m, c->m->pooled.rows + c->n, c->t->source, e);
}

/* The summary line of a bandit model, after "prog: algo" and what was
 * read. */
static void report_bandit(const struct ctx *c)
{
	const struct model *m = c->m;
	char l[NUM_FORMAT_MAX], a[NUM_FORMAT_MAX], v[NUM_FORMAT_MAX];

	num_format(m->bandit->lambda, l);
	num_format(m->bandit->alpha, a);
	num_format(m->pooled.sigma2, v);
	fprintf(c->o->report, ", %zu design columns, lambda %s, alpha %s, noise variance %s\n", m->ndesign, l, a,
		v);
}

/* ---- statistics: ols and ridge as --partial and --merge fit them ------- */

/* ols and ridge on every row, unweighted, without folds or groups: the
 * case --partial and --merge serve, which one process trains as a merge of
 * one partition is (standardization from the statistics, then
 * regress_fit_stats), so that one process and a merge agree by
 * construction, not by a second solver kept in step. */
static int stats_path(const struct ctx *c)
{
	return c->o->task == TASK_REGRESSION && c->by_col < 0 && c->o->cv <= 0 && !c->w &&
	       (c->o->fit.algo == REGRESS_OLS || c->o->fit.algo == REGRESS_RIDGE);
}

/* The statistics of the used rows: the raw design and the fitted target. */
static int rows_stats(const struct ctx *c, struct lsstats *s, struct adash_err *e)
{
	lsstats_init(s, c->m->ndesign);
	if (c->n == 0)
		return 0;
	gsl_vector_const_view z = gsl_vector_const_view_array(c->z, c->n);

	return lsstats_add_rows(s, c->raw, &z.vector, NULL, e);
}

/* Standardization from statistics: each design column's mean and standard
 * deviation (n - 1), standardize()'s rule for a constant column. */
static void stats_standardize(const struct lsstats *s, double *mean, double *scale)
{
	for (size_t j = 0; j < s->p; j++) {
		mean[j] = s->mean[j];
		scale[j] = s->n > 1 ? sqrt(lsstats_ss(s, j) / (double)(s->n - 1)) : 0;
		if (!(scale[j] > 1e-12 * (fabs(mean[j]) + 1)))
			scale[j] = 1;
	}
}

/* The columns of t: target, time, --by, key and inputs (into c->m), and
 * every column parsed (c->colv).  0, or -1 with e. */
static int choose_columns(struct ctx *c, const struct table *t, struct adash_err *e)
{
	const struct train_options *o = c->o;

	if (need_column(t, o->target, "--target", &c->target_col, e) < 0)
		return -1;
	if (o->time) {
		if (need_column(t, o->time, "--time", &c->time_col, e) < 0)
			return -1;
	} else {
		/* a feature table of series has "date", one of events "asof" */
		c->time_col = table_col(t, "date");
		if (c->time_col < 0)
			c->time_col = table_col(t, "asof");
	}
	if (o->weight_half_life > 0 && c->time_col < 0) {
		return err_set(e, ADASH_EUSAGE, "--weight-half-life needs a time column (--time)");
	}
	if (o->by && need_column(t, o->by, "--by", &c->by_col, e) < 0)
		return -1;
	parse_columns(c);
	if (find_key(c, e) < 0)
		return -1;
	if (c->key_col == c->target_col || c->by_col == c->target_col || c->time_col == c->target_col) {
		err_set(e, ADASH_EUSAGE, "\"%s\" is the target; it cannot be the %s too", o->target,
			c->key_col == c->target_col ? "key" : c->by_col == c->target_col ? "--by column" : "time");
		return -1;
	}
	return choose_inputs(c, e);
}

/* The model's fields that describe the columns and the settings, and its
 * rows, c->n. */
static void describe(const struct ctx *c, const struct table *t, struct model *m)
{
	const struct train_options *o = c->o;

	m->task = o->task;
	m->algo = is_class(c) ? CLASSIFY_LOGREG : o->fit.algo;   /* a bandit's below */
	m->target = xstrdup(o->target);
	m->key = c->key_col >= 0 ? xstrdup(t->names[c->key_col]) : NULL;
	m->time = c->time_col >= 0 ? xstrdup(t->names[c->time_col]) : NULL;
	m->by = c->by_col >= 0 ? xstrdup(t->names[c->by_col]) : NULL;
	m->log_target = o->log_target;
	m->weight_half_life = o->weight_half_life;
	m->season = is_class(c) ? 0 : o->season;   /* MASE is a regression's */
	if (is_class(c)) {
		m->penalty = o->cls.penalty;
		m->C = o->cls.C;
		memcpy(m->class_weight, o->cls.weight, sizeof m->class_weight);
	}
	m->program = xstrdup(o->program);
	m->rows = c->n;
}

/* What every training shares, from the table to the raw design: the
 * columns, the rows (sampled with --sample), the vocabularies and layout,
 * the fingerprint, and the model's fields that describe them.  t's cells
 * are dropped after.  0, or -1 with e. */
static int prepare(struct ctx *c, struct table *t, size_t *skipped, struct adash_err *e)
{
	const struct train_options *o = c->o;
	struct model *m = c->m;

	if (choose_columns(c, t, e) < 0 || load_rows(c, skipped, e) < 0 || build_design(c, e) < 0)
		return -1;
	free_columns(c);   /* the design holds what the fits need */
	fingerprint(t, m);
	table_drop_cells(t);
	c->min_rows = o->min_rows ? o->min_rows : m->ndesign + 10 > 30 ? m->ndesign + 10 : 30;
	sort_by_key_time(c);
	describe(c, t, m);
	return 0;
}

int train_model(const struct train_options *o, struct table *t, struct model *m,
		struct adash_err *e)
{
	struct ctx c;
	struct folds fo = { 0, NULL, 0 };
	struct fitopt ro;
	struct fitset fs;
	struct lsstats st;
	double *mean = NULL, *scale = NULL, *resid = NULL, *x = NULL;
	size_t *all = NULL, skipped = 0;
	int rc = -1;

	memset(&c, 0, sizeof c);
	memset(&fs, 0, sizeof fs);
	memset(&st, 0, sizeof st);
	c.o = o;
	c.t = t;
	c.m = m;
	c.time_col = c.key_col = c.by_col = -1;
	hashmap_init(&c.groups);
	ro.r = o->fit;
	ro.c = o->cls;
	if (is_class(&c)) {
		/* adash-train says so before reading; a caller of the library
		 * gets the same refusals */
		if (o->log_target || o->weight_half_life > 0 || (o->c_cv && o->cv <= 0)) {
			err_set(e, ADASH_EUSAGE, "logreg takes %s",
				o->log_target ? "no --log-target (its target is 0 or 1)" :
				o->weight_half_life > 0 ? "no row weights (liblinear has none)" :
				"--C cv only with --cv N");
			goto out;
		}
	}
	if (is_bandit(&c) && (o->cv > 0 || o->by || o->log_target || o->weight_half_life > 0 || !(o->prior > 0))) {
		/* statistics that later rows are added to cannot be split
		 * into folds or groups, re-weighted by age or transformed */
		err_set(e, ADASH_EUSAGE, "a bandit model takes %s",
			o->cv > 0 ? "no --cv (evaluate a bandit policy off-policy, from the propensities adash-rank writes)" :
			o->by ? "no --by (it is one model shared by every user and item)" :
			o->log_target ? "no --log-target" :
			o->weight_half_life > 0 ? "no row weights (statistics of separate batches must add up)" :
			"a prior precision --lambda above 0");
		goto out;
	}
	if (prepare(&c, t, &skipped, e) < 0)
		goto out;
	if (is_bandit(&c)) {
		m->algo = o->bandit_algo;
		m->season = 0;
		m->bandit = xcalloc(1, sizeof *m->bandit);
		bandit_init(m->bandit, m->ndesign, o->prior, o->alpha);
		if (fold_bandit(&c, e) < 0)
			goto out;
		if (o->report) {
			fprintf(o->report, "%s: %s on %zu rows (%zu left out for empty values)", o->prog,
				bandit_algo_name(m->algo), c.n, skipped);
			report_bandit(&c);
		}
		rc = 0;
		goto out;
	}

	resid = xmalloc((2 * c.n + 1) * sizeof *resid);
	for (size_t i = 0; i < 2 * c.n; i++)
		resid[i] = NAN;
	if (o->cv > 0) {
		if (make_folds(&c, &fo, e) < 0)
			goto out;
		if (o->lambda_cv) {
			double grid[LAMBDA_GRID], sse[LAMBDA_GRID] = { 0 };
			gsl_matrix *X = gsl_matrix_alloc(c.n, m->ndesign);
			gsl_vector_view wv;
			size_t best = 0;

			all = xmalloc((c.n + 1) * sizeof *all);
			for (size_t i = 0; i < c.n; i++)
				all[i] = i;
			mean = xmalloc((m->ndesign + 1) * sizeof *mean);
			scale = xmalloc((m->ndesign + 1) * sizeof *scale);
			standardize(&c, all, c.n, mean, scale);
			for (size_t i = 0; i < c.n; i++) {
				gsl_vector_view row = gsl_matrix_row(X, i);

				design_row(&c, i, mean, scale, row.vector.data);
			}
			if (c.w)
				wv = gsl_vector_view_array(c.w, c.n);
			rc = regress_lambda_grid(X, c.w ? &wv.vector : NULL, LAMBDA_GRID, grid, e);
			gsl_matrix_free(X);
			if (rc < 0)
				goto out;
			rc = -1;
			if (run_folds(&c, &fo, &ro, grid, sse, LAMBDA_GRID, NULL, e) < 0)
				goto out;
			for (size_t g = 1; g < LAMBDA_GRID; g++)
				if (sse[g] < sse[best])
					best = g;
			ro.r.lambda_mode = LAMBDA_FIXED;
			ro.r.lambda = grid[best];
		}
		if (is_class(&c) && o->c_cv) {
			/* the grid ascends, and only a strictly smaller loss
			 * moves the choice: of equal ones the smallest C, the
			 * strongest penalty, wins */
			double grid[C_GRID], loss[C_GRID] = { 0 };
			size_t best = 0;

			for (size_t g = 0; g < C_GRID; g++)
				grid[g] = ldexp(1, (int)g + C_GRID_LOW);
			if (run_folds(&c, &fo, &ro, grid, loss, C_GRID, NULL, e) < 0)
				goto out;
			for (size_t g = 1; g < C_GRID; g++)
				if (loss[g] < loss[best])
					best = g;
			ro.c.C = m->C = grid[best];
		}
		m->folds = xcalloc(fo.n + 1, sizeof *m->folds);
		m->nfolds = fo.n;
		if (run_folds(&c, &fo, &ro, NULL, NULL, 0, resid, e) < 0)
			goto out;
	}

	/* the final fits, on every row */
	if (!all) {
		all = xmalloc((c.n + 1) * sizeof *all);
		for (size_t i = 0; i < c.n; i++)
			all[i] = i;
	}
	if (!mean) {
		mean = xmalloc((m->ndesign + 1) * sizeof *mean);
		scale = xmalloc((m->ndesign + 1) * sizeof *scale);
		if (stats_path(&c)) {
			if (rows_stats(&c, &st, e) < 0)
				goto out;
			stats_standardize(&st, mean, scale);
		} else {
			standardize(&c, all, c.n, mean, scale);
		}
	}
	memcpy(m->mean, mean, m->ndesign * sizeof *mean);
	memcpy(m->scale, scale, m->ndesign * sizeof *scale);
	if (stats_path(&c)) {
		if (regress_fit_stats(&st, mean, scale, &ro.r, &fs.pooled, e) < 0)
			goto out;
		fs.has_pooled = 1;
		fs.pooled_smear = smearing(&c, &fs.pooled, all, c.n, mean, scale);
	} else if (fit_all(&c, all, c.n, mean, scale, &ro, &fs, e) < 0) {
		goto out;
	}
	if (is_class(&c) && o->balanced)   /* what fit_all gave the final fits */
		balanced_weights(&c, all, c.n, m->class_weight);
	x = xmalloc((m->ndesign + 1) * sizeof *x);
	if (o->cv <= 0 && !is_class(&c))   /* no folds: in-sample residuals */
		for (size_t i = 0; i < c.n; i++) {
			double smear;
			const struct regress_fit *f = fit_for(&c, &fs, i, &smear);

			if (f)
				resid[i] = c.z[i] - eta_of(&c, f, mean, scale, i, x);
			if (fs.has_pooled)
				resid[c.n + i] = c.z[i] - eta_of(&c, &fs.pooled, mean, scale, i, x);
		}
	if (fs.has_pooled) {
		m->has_pooled = 1;
		/* the pooled fit's own residuals: it serves the groups too
		 * short for a fit, whose errors the group fits' would hide */
		to_model_fit(&c, &fs.pooled, all, c.n, resid + c.n, mean, scale, &m->pooled);
	}
	if (c.by_col >= 0) {
		size_t *sub = xmalloc((c.n + 1) * sizeof *sub);

		m->groups = xcalloc(c.ngroups + 1, sizeof *m->groups);
		for (size_t g = 0; g < c.ngroups; g++) {
			size_t ns = 0;

			if (!fs.has_group[g])
				continue;
			for (size_t i = 0; i < c.n; i++)
				if (c.group[i] == g)
					sub[ns++] = i;
			struct model_fit *mf = &m->groups[m->ngroups++];
			mf->group = xstrdup(hashmap_at(&c.groups, g)->key);
			to_model_fit(&c, &fs.group[g], sub, ns, resid, mean, scale, mf);
		}
		free(sub);
		if (!m->has_pooled && m->ngroups == 0) {
			err_set(e, ADASH_EDATA, "no group of \"%s\" has the %zu rows a fit of its own needs, and --no-pooled leaves no fallback",
				o->by, c.min_rows);
			goto out;
		}
		model_index_groups(m);
	}
	if (o->report && is_class(&c)) {
		struct class_metrics cm;
		char l[NUM_FORMAT_MAX], w0[NUM_FORMAT_MAX], w1[NUM_FORMAT_MAX];

		num_format(m->C, l);
		fprintf(o->report, "%s: logreg (%s, C %s%s", o->prog, classify_penalty_name(m->penalty), l,
			o->c_cv ? " by the folds" : "");
		if (m->class_weight[0] != 1 || m->class_weight[1] != 1) {
			num_format(m->class_weight[0], w0);
			num_format(m->class_weight[1], w1);
			fprintf(o->report, ", class weights %s and %s", w0, w1);
		}
		fprintf(o->report, ") on %zu rows (%zu left out for empty values), %zu design columns",
			c.n, skipped, m->ndesign);
		if (c.by_col >= 0)
			fprintf(o->report, ", %zu of %zu groups with their own fit%s", m->ngroups, c.ngroups,
				m->has_pooled ? " and a pooled fallback" : "");
		class_metrics_init(&cm);
		for (size_t i = 0; i < c.n; i++) {
			double smear;
			const struct regress_fit *f = fit_for(&c, &fs, i, &smear);

			if (f)
				class_metrics_add(&cm, c.z[i] != 0, model_untransform(m, eta_of(&c, f, mean, scale, i, x)));
		}
		fprintf(o->report, "; in-sample ");
		report_class(o->report, &cm);
		fputc('\n', o->report);
		class_metrics_free(&cm);
	} else if (o->report) {
		char l[NUM_FORMAT_MAX];

		fprintf(o->report, "%s: %s on %zu rows (%zu left out for empty values), %zu design columns",
			o->prog, regress_algo_name(m->algo), c.n, skipped, m->ndesign);
		if (m->algo == REGRESS_RIDGE && m->has_pooled) {
			num_format(m->pooled.lambda, l);
			fprintf(o->report, ", lambda %s", l);
		}
		if (c.by_col >= 0)
			fprintf(o->report, ", %zu of %zu groups with their own fit%s", m->ngroups, c.ngroups,
				m->has_pooled ? " and a pooled fallback" : "");
		fprintf(o->report, "\n");
	}
	rc = 0;
out:
	if (st.R)
		lsstats_free(&st);
	fitset_free(&fs, c.ngroups);
	free(fo.times);
	free(mean);
	free(scale);
	free(resid);
	free(x);
	free(all);
	free(c.row);
	free(c.y);
	free(c.z);
	free(c.w);
	free(c.time);
	free(c.key);
	free(c.group);
	free(c.order);
	hashmap_free(&c.groups, NULL);
	free_columns(&c);
	if (c.raw)
		gsl_matrix_free(c.raw);
	return rc;
}

/* The model's inputs in the new table: every one a column, and a numeric
 * one a column of numbers (what choose_inputs requires of training). */
static int update_inputs(const struct ctx *c, struct adash_err *e)
{
	const struct table *t = c->t;
	const struct model *m = c->m;

	for (size_t i = 0; i < m->ninputs; i++) {
		const char *name = m->inputs[i].name;
		long col = table_col(t, name);

		if (col < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\", an input of the model", t->source, name);
		if (!m->inputs[i].categorical && !c->colv[col]) {
			size_t bad = c->col_bad[col];

			return err_at(e, ADASH_EDATA, t->source, t->line[bad], name, "\"%s\" is not a number (a numeric input of the model)",
				      table_cell(t, bad, (size_t)col));
		}
	}
	return 0;
}

int train_update(const struct train_options *o, struct table *t, struct model *m,
		 struct adash_err *e)
{
	struct train_options uo = *o;
	struct ctx c;
	size_t skipped = 0;
	int rc = -1;

	if (m->task != TASK_BANDIT || !m->bandit)
		return err_set(e, ADASH_EUSAGE, "--update adds rows to the statistics of a bandit model (linucb, thompson); the model's algorithm is %s: train it again on all the rows",
			       model_algo_name(m->task, m->algo));
	if (o->alpha >= 0)
		m->bandit->alpha = o->alpha;
	/* the model's settings, not the command line's, read the rows */
	uo.task = m->task;
	uo.target = m->target;
	uo.log_target = 0;
	uo.weight_half_life = 0;
	memset(&c, 0, sizeof c);
	c.o = &uo;
	c.t = t;
	c.m = m;
	c.fixed = 1;
	c.key_col = c.by_col = -1;
	c.time_col = m->time ? table_col(t, m->time) : -1;
	hashmap_init(&c.groups);
	if (t->ncols == 0)
		goto report;   /* an empty input: no rows, not even a header */
	if (need_column(t, m->target, "model's target", &c.target_col, e) < 0)
		goto out;
	parse_columns(&c);
	if (update_inputs(&c, e) < 0 || load_rows(&c, &skipped, e) < 0 || build_design(&c, e) < 0)
		goto out;
	free_columns(&c);
	if (c.n > 0) {
		fingerprint(t, m);
		if (fold_bandit(&c, e) < 0)
			goto out;
		m->rows += c.n;
		free(m->program);
		m->program = xstrdup(o->program);
	}
report:
	if (o->report) {
		fprintf(o->report, "%s: %s: added %zu rows (%zu left out for empty values", o->prog,
			bandit_algo_name(m->algo), c.n, skipped);
		if (c.unseen)
			fprintf(o->report, ", %zu with a level the model had not seen, as zeros", c.unseen);
		fprintf(o->report, "), %zu in all", m->pooled.rows);
		report_bandit(&c);
	}
	rc = 0;
out:
	free(c.row);
	free(c.y);
	free(c.z);
	free(c.time);
	free(c.key);
	free(c.group);
	hashmap_free(&c.groups, NULL);
	free_columns(&c);
	if (c.raw)
		gsl_matrix_free(c.raw);
	return rc;
}

/* ---- partial statistics and their merge --------------------------------- */

static void ctx_free(struct ctx *c)
{
	free(c->row);
	free(c->y);
	free(c->z);
	free(c->w);
	free(c->time);
	free(c->key);
	free(c->group);
	free(c->order);
	hashmap_free(&c->groups, NULL);
	free_columns(c);
	if (c->raw)
		gsl_matrix_free(c->raw);
}

/* Why o cannot be a partial's or a merge's, or NULL: what needs the rows
 * again (an iterative fit, folds) or a whole no partition knows (groups
 * met in several partitions, the latest date of row weights, the
 * residuals of the log target's smearing). */
static const char *not_mergeable(const struct train_options *o)
{
	if (o->task == TASK_CLASSIFICATION ||
	    (o->task == TASK_REGRESSION && o->fit.algo != REGRESS_OLS && o->fit.algo != REGRESS_RIDGE))
		return "logreg, huber and svr fit by iterating over the rows, so their statistics do not merge: train one model per group (--by) or one on a sample of the rows (--sample FRACTION --seed N)";
	if (o->cv > 0 || o->lambda_cv)
		return "--cv and --lambda cv need the rows of every fold: a merged ridge chooses its penalty by GCV, or takes --lambda VALUE";
	if (o->by)
		return "--by: a group's rows may be spread over partitions; train one model per group with --by instead, one process per partition of the groups";
	if (o->log_target)
		return "--log-target: the smearing factor needs the residuals of the final fit";
	if (o->weight_half_life > 0)
		return "--weight-half-life: row weights need the latest date of all the rows";
	return NULL;
}

static int same_name(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether partial b can merge with a: 0, or -1 with e naming the difference. */
static int compatible(const struct partial *a, const char *aname, const struct partial *b,
		      const char *bname, struct adash_err *e)
{
	const struct model *x = &a->m, *y = &b->m;
	const char *what = NULL;

	if (x->task != y->task || x->algo != y->algo)
		what = "algorithm";
	else if (!same_name(x->target, y->target))
		what = "target";
	else if (!same_name(x->key, y->key))
		what = "key column";
	else if (!same_name(x->time, y->time))
		what = "time column";
	else if (x->season != y->season)
		what = "--season";
	else if (x->ninputs != y->ninputs)
		what = "number of inputs";
	for (size_t i = 0; !what && i < x->ninputs; i++)
		if (strcmp(x->inputs[i].name, y->inputs[i].name) != 0 ||
		    x->inputs[i].categorical != y->inputs[i].categorical)
			what = "inputs (names, order or types)";
	if (what)
		return err_set(e, ADASH_EDATA, "%s and %s cannot merge: they differ in %s (make every partial with the same options from tables of the same columns)",
			       aname, bname, what);
	return 0;
}

static size_t level_index(const struct model_input *in, const char *level)
{
	for (size_t l = 0; l < in->nlevels; l++)
		if (strcmp(in->levels[l], level) == 0)
			return l;
	return NONE;
}

/* The merged model's design column of each of part's design columns. */
static size_t *design_map(const struct model *m, const struct model *part)
{
	size_t *map = xmalloc((part->ndesign + 1) * sizeof *map);

	for (size_t i = 0; i < part->ninputs; i++) {
		const struct model_input *in = &part->inputs[i], *to = &m->inputs[i];

		if (!in->categorical) {
			map[in->offset] = to->offset;
			continue;
		}
		for (size_t l = 0; l < in->nlevels; l++)
			map[in->offset + l] = to->offset + level_index(to, in->levels[l]);
	}
	return map;
}

/* The parts' inputs (the same names and kinds, which compatible checks)
 * into m with their vocabularies by union: the first part's levels in its
 * order, then each later part's new ones; and m's layout.  0, or -1 with e. */
static int union_inputs(struct partial *const *ord, size_t n, struct model *m, struct adash_err *e)
{
	const struct model *first = &ord[0]->m;

	m->ninputs = first->ninputs;
	m->inputs = xcalloc(first->ninputs + 1, sizeof *m->inputs);
	for (size_t i = 0; i < first->ninputs; i++) {
		struct model_input *to = &m->inputs[i];

		to->name = xstrdup(first->inputs[i].name);
		to->categorical = first->inputs[i].categorical;
		for (size_t k = 0; k < n; k++) {
			const struct model_input *in = &ord[k]->m.inputs[i];

			for (size_t l = 0; l < in->nlevels; l++)
				if (level_index(to, in->levels[l]) == NONE) {
					to->levels = xrealloc(to->levels, (to->nlevels + 1) * sizeof *to->levels);
					to->levels[to->nlevels++] = xstrdup(in->levels[l]);
				}
		}
	}
	return model_layout(m, e);
}

/* Adds part, laid out on m's design (a union of its vocabulary), to the
 * statistics st (ols, ridge: merged, lsstats.h) or to the sums b
 * (bandits: added; A symmetric, as a partial file holds it).  The one
 * step of every merge, of partial files (train_merge) and of the blocks of
 * one input (train_partial).  0, or -1 with e. */
static int fold_part(const struct model *m, const struct partial *part, struct lsstats *st,
		     struct bandit *b, struct adash_err *e)
{
	size_t *map = design_map(m, &part->m);
	int rc = 0;

	if (b) {
		const struct bandit *pb = part->b;
		size_t p = m->ndesign + 1, q = pb->p;

		/* z = (1, x): the intercept's index 0 stays, x's shift by one */
		for (size_t i = 0; i < q; i++) {
			size_t mi = i ? 1 + map[i - 1] : 0;

			b->b[mi] += pb->b[i];
			for (size_t j = 0; j < q; j++)
				b->A[mi * p + (j ? 1 + map[j - 1] : 0)] += pb->A[i * q + j];
		}
		b->sum_r += pb->sum_r;
		b->sum_r2 += pb->sum_r2;
	} else {
		struct lsstats one;

		if (lsstats_remap(&one, &part->st, map, m->ndesign, e) < 0 || lsstats_merge(st, &one, e) < 0)
			rc = -1;
		lsstats_free(&one);
	}
	free(map);
	return rc;
}

/* The intervals of a merged model: residuals need the final coefficients,
 * which no partition has, so the model carries MERGED_RESIDUALS quantiles
 * (i + 1/2) / K of N(0, sigma2) instead, which adash-forecast resamples
 * like residuals: Gaussian intervals of the in-sample residual variance. */
#define MERGED_RESIDUALS 1000

static void gaussian_residuals(struct model_fit *f)
{
	double sd = sqrt(f->sigma2);

	f->nresiduals = MERGED_RESIDUALS;
	f->residuals = xmalloc(MERGED_RESIDUALS * sizeof *f->residuals);
	for (size_t i = 0; i < MERGED_RESIDUALS; i++)
		f->residuals[i] = sd * gsl_cdf_ugaussian_Pinv(((double)i + 0.5) / MERGED_RESIDUALS);
}

static int by_fingerprint(const void *a, const void *b)
{
	const struct partial *x = *(const struct partial *const *)a, *y = *(const struct partial *const *)b;
	int c = strcmp(x->m.fingerprint, y->m.fingerprint);

	return c ? c : x->m.rows < y->m.rows ? -1 : x->m.rows > y->m.rows;
}

/* The merged fingerprint: SHA-256 of the parts' in their canonical order. */
static void merged_fingerprint(struct partial *const *ord, size_t n, struct model *m)
{
	struct sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char hex[] = "0123456789abcdef";
	char out[8 + 2 * SHA256_DIGEST_SIZE + 1] = "sha256:";

	sha256_init(&h);
	for (size_t i = 0; i < n; i++)
		sha256_update(&h, strlen(ord[i]->m.fingerprint) + 1, (const uint8_t *)ord[i]->m.fingerprint);
	sha256_digest(&h, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++) {
		out[7 + 2 * i] = hex[d[i] >> 4];
		out[8 + 2 * i] = hex[d[i] & 15];
	}
	out[7 + 2 * sizeof d] = '\0';
	m->fingerprint = xstrdup(out);
}

int train_merge(const struct train_options *o, struct partial *parts, const char *const *names,
		size_t n, struct model *m, struct adash_err *e)
{
	struct partial **ord = xmalloc((n + 1) * sizeof *ord);
	const struct model *first;
	struct lsstats acc;
	struct regress_options fit = o->fit;
	size_t nd, rows = 0;
	int rc = -1;

	memset(&acc, 0, sizeof acc);
	for (size_t i = 0; i < n; i++)
		ord[i] = &parts[i];
	/* canonical order: the same model whatever order the files come in */
	qsort(ord, n, sizeof *ord, by_fingerprint);
	for (size_t i = 1; i < n; i++)
		if (compatible(&parts[0], names[0], &parts[i], names[i], e) < 0)
			goto out;
	first = &ord[0]->m;
	m->task = first->task;
	m->algo = first->algo;
	m->target = xstrdup(first->target);
	m->key = first->key ? xstrdup(first->key) : NULL;
	m->time = first->time ? xstrdup(first->time) : NULL;
	m->season = first->season;
	m->program = xstrdup(o->program);
	if (union_inputs(ord, n, m, e) < 0)
		goto out;
	nd = m->ndesign;
	for (size_t k = 0; k < n; k++)
		rows += ord[k]->m.rows;
	m->rows = rows;
	merged_fingerprint(ord, n, m);

	if (m->task == TASK_BANDIT) {
		if (nd > BANDIT_MAX_DESIGN) {
			err_set(e, ADASH_EDATA, "%zu design columns, more than a bandit model's %d", nd, BANDIT_MAX_DESIGN);
			goto out;
		}
		m->bandit = xcalloc(1, sizeof *m->bandit);
		bandit_init(m->bandit, nd, o->prior, o->alpha >= 0 ? o->alpha : 1);
		for (size_t k = 0; k < n; k++)
			if (fold_part(m, ord[k], NULL, m->bandit, e) < 0)
				goto out;
		for (size_t j = 0; j < nd; j++) {
			m->mean[j] = 0;
			m->scale[j] = 1;
		}
		if (!bandit_finite(m->bandit)) {
			err_set(e, ADASH_EDATA, "the merged sums overflow (values too large in magnitude)");
			goto out;
		}
		if (solve_bandit(m, rows, "merged statistics", e) < 0)
			goto out;
		if (o->report) {
			char l[NUM_FORMAT_MAX], a[NUM_FORMAT_MAX], v[NUM_FORMAT_MAX];

			num_format(m->bandit->lambda, l);
			num_format(m->bandit->alpha, a);
			num_format(m->pooled.sigma2, v);
			fprintf(o->report, "%s: %s merged from %zu partial statistics of %zu rows, %zu design columns, lambda %s, alpha %s, noise variance %s\n",
				o->prog, bandit_algo_name(m->algo), n, rows, nd, l, a, v);
		}
		rc = 0;
		goto out;
	}

	lsstats_init(&acc, nd);
	for (size_t k = 0; k < n; k++)
		if (fold_part(m, ord[k], &acc, NULL, e) < 0)
			goto out;
	if (acc.n <= nd + 1) {
		err_set(e, ADASH_EDATA, "%zu usable rows in all cannot fit %zu design columns and an intercept",
			acc.n, nd);
		goto out;
	}
	stats_standardize(&acc, m->mean, m->scale);
	{
		struct regress_fit f;
		struct model_fit *mf = &m->pooled;

		fit.algo = m->algo;   /* the partials' */
		if (regress_fit_stats(&acc, m->mean, m->scale, &fit, &f, e) < 0)
			goto out;
		mf->intercept = f.intercept;
		mf->coef = f.coef;
		mf->cov = f.cov;
		mf->lambda = f.lambda;
		mf->sigma2 = f.sigma2;
		mf->dof = f.dof;
		mf->rows = rows;
		mf->smearing = 1;
		gaussian_residuals(mf);
		m->has_pooled = 1;
	}
	if (o->report) {
		char l[NUM_FORMAT_MAX];

		fprintf(o->report, "%s: %s merged from %zu partial statistics of %zu rows, %zu design columns", o->prog,
			regress_algo_name(m->algo), n, rows, nd);
		if (m->algo == REGRESS_RIDGE) {
			num_format(m->pooled.lambda, l);
			fprintf(o->report, ", lambda %s", l);
		}
		fprintf(o->report, "\n");
	}
	rc = 0;
out:
	if (acc.R)
		lsstats_free(&acc);
	free(ord);
	return rc;
}

/* ---- --partial: the input in blocks ------------------------------------- */

/* What load_rows, build_design and parse_columns allocated for one block,
 * freed so that the next block starts empty; the columns chosen, the time
 * column's kind and the counts stay. */
static void ctx_next_block(struct ctx *c)
{
	free(c->row);
	free(c->y);
	free(c->z);
	free(c->time);
	free(c->key);
	free(c->group);
	c->row = NULL;
	c->y = c->z = NULL;
	c->time = NULL;
	c->key = c->group = NULL;
	free_columns(c);
	if (c->raw)
		gsl_matrix_free(c->raw);
	c->raw = NULL;
	c->n = 0;
}

/* A later block read with the inputs the first chose: a numeric input
 * must still be numbers (or empty), not become text that the whole table
 * would have had as a text column. */
static int same_kinds(const struct ctx *c, struct adash_err *e)
{
	const struct table *t = c->t;
	const struct model *m = c->m;

	for (size_t i = 0; i < m->ninputs; i++) {
		size_t col = (size_t)table_col(t, m->inputs[i].name), bad = c->col_bad[col];

		if (!m->inputs[i].categorical && !c->colv[col])
			return err_at(e, ADASH_EDATA, t->source, t->line[bad], m->inputs[i].name,
				      "\"%s\" is not a number, but the column's values in the first block of rows were numbers or empty (fix the value, or --exclude %s)",
				      table_cell(t, bad, col), m->inputs[i].name);
	}
	return 0;
}

/* The partial statistics of a block's used rows into bp, whose model holds
 * the block's inputs, vocabulary and layout. */
static int block_partial(const struct ctx *c, struct partial *bp, struct adash_err *e)
{
	size_t p = bp->m.ndesign + 1;

	if (!is_bandit(c))
		return rows_stats(c, &bp->st, e);
	/* the sums alone: the prior is added once, by the merge */
	bp->b = xcalloc(1, sizeof *bp->b);
	bandit_init(bp->b, bp->m.ndesign, 0, 0);
	if (add_bandit_rows(c, bp->b, e) < 0)
		return -1;
	for (size_t i = 0; i < p; i++)   /* bandit_add sums the upper triangle */
		for (size_t j = i + 1; j < p; j++)
			bp->b->A[j * p + i] = bp->b->A[i * p + j];
	return 0;
}

/* Swaps the inputs and design layouts of two models. */
static void swap_design(struct model *a, struct model *b)
{
	struct model t = *a;

	a->inputs = b->inputs;
	a->ninputs = b->ninputs;
	a->ndesign = b->ndesign;
	a->mean = b->mean;
	a->scale = b->scale;
	b->inputs = t.inputs;
	b->ninputs = t.ninputs;
	b->ndesign = t.ndesign;
	b->mean = t.mean;
	b->scale = t.scale;
}

/* Folds block partial bp into the running partial pt: the merge of the
 * two, in that order, by the merge's own steps (union_inputs, fold_part).
 * The first block with rows is taken as it is. */
static int fold_block(struct partial *pt, struct partial *bp, int first, const char *source,
		      struct adash_err *e)
{
	struct partial *two[2] = { pt, bp };
	struct model u;
	struct lsstats st;
	struct bandit *b = NULL;
	int rc = -1;

	if (first) {
		swap_design(&pt->m, &bp->m);
		pt->st = bp->st;
		pt->b = bp->b;
		memset(&bp->st, 0, sizeof bp->st);
		bp->b = NULL;
		return 0;
	}
	model_init(&u);
	memset(&st, 0, sizeof st);
	if (union_inputs(two, 2, &u, e) < 0)
		goto out;
	if (bp->b && u.ndesign > BANDIT_MAX_DESIGN) {
		err_set(e, ADASH_EDATA, "%s: %zu design columns, more than a bandit model's %d (leave inputs out with --exclude)",
			source, u.ndesign, BANDIT_MAX_DESIGN);
		goto out;
	}
	if (bp->b) {
		b = xcalloc(1, sizeof *b);
		bandit_init(b, u.ndesign, 0, 0);
	} else {
		lsstats_init(&st, u.ndesign);
	}
	if (fold_part(&u, pt, &st, b, e) < 0 || fold_part(&u, bp, &st, b, e) < 0)
		goto out;
	if (b && !bandit_finite(b)) {
		err_set(e, ADASH_EDATA, "%s: the sums of the rewards and inputs overflow (values too large in magnitude)",
			source);
		goto out;
	}
	swap_design(&pt->m, &u);
	if (b) {
		bandit_free(pt->b);
		free(pt->b);
		pt->b = b;
		b = NULL;
	} else {
		lsstats_free(&pt->st);
		pt->st = st;
		memset(&st, 0, sizeof st);
	}
	rc = 0;
out:
	model_free(&u);
	if (st.R)
		lsstats_free(&st);
	if (b) {
		bandit_free(b);
		free(b);
	}
	return rc;
}

/* The inputs of m, without vocabularies: a block's model. */
static void copy_inputs(struct model *to, const struct model *from)
{
	to->ninputs = from->ninputs;
	to->inputs = xcalloc(from->ninputs + 1, sizeof *to->inputs);
	for (size_t i = 0; i < from->ninputs; i++) {
		to->inputs[i].name = xstrdup(from->inputs[i].name);
		to->inputs[i].categorical = from->inputs[i].categorical;
	}
}

int train_partial(const struct train_options *o, struct table_stream *ts, size_t block_rows,
		  struct partial *pt, struct adash_err *e)
{
	struct ctx c;
	struct model *m = &pt->m;
	struct sha256_ctx h;
	const char *why = not_mergeable(o);
	size_t skipped = 0, rows = 0;
	int more, rc = -1;

	if (why)
		return err_set(e, ADASH_EUSAGE, "--partial: %s", why);
	memset(&c, 0, sizeof c);
	c.o = o;
	c.t = &ts->t;
	c.m = m;
	c.partial = 1;
	c.time_col = c.key_col = c.by_col = -1;
	hashmap_init(&c.groups);
	more = table_stream_next(ts, block_rows, e);
	/* the first block chooses the columns, as the whole table would
	 * unless a later block disagrees (same_kinds) */
	if (more < 0 || choose_columns(&c, c.t, e) < 0)
		goto out;
	fingerprint_begin(&h, c.t, m);
	for (;;) {
		struct partial bp;
		size_t sk = 0;
		int bad;

		partial_init(&bp);
		copy_inputs(&bp.m, m);
		c.m = &bp.m;
		fingerprint_add(&h, c.t);
		if (!c.colv) {
			parse_columns(&c);
			if (same_kinds(&c, e) < 0) {
				partial_free(&bp);
				goto out;
			}
		}
		bad = load_rows(&c, &sk, e) < 0 ||
		      (c.n > 0 && (build_design(&c, e) < 0 || block_partial(&c, &bp, e) < 0 ||
				   fold_block(pt, &bp, rows == 0, c.t->source, e) < 0));
		partial_free(&bp);
		c.m = m;
		if (bad)
			goto out;
		skipped += sk;
		rows += c.n;
		ctx_next_block(&c);
		if (more == 0 || (more = table_stream_next(ts, block_rows, e)) == 0)
			break;
		if (more < 0)
			goto out;
	}
	if (rows == 0) {
		/* no usable row: empty statistics, which only inputs without
		 * a vocabulary to find can have */
		for (size_t i = 0; i < m->ninputs; i++)
			if (m->inputs[i].categorical) {
				err_set(e, ADASH_EDATA, "%s: column \"%s\" has no values in the rows trained on",
					c.t->source, m->inputs[i].name);
				goto out;
			}
		if (model_layout(m, e) < 0)
			goto out;
		if (is_bandit(&c)) {
			pt->b = xcalloc(1, sizeof *pt->b);
			bandit_init(pt->b, m->ndesign, 0, 0);
		} else {
			lsstats_init(&pt->st, m->ndesign);
		}
	}
	fingerprint_end(&h, m);
	c.n = rows;
	describe(&c, c.t, m);
	if (is_bandit(&c)) {
		m->algo = o->bandit_algo;
		m->season = 0;
	}
	if (o->report) {
		fprintf(o->report, "%s: partial statistics of %zu rows (%zu left out for empty values", o->prog, rows,
			skipped);
		if (o->sample > 0)
			fprintf(o->report, ", %zu outside the sample", c.unsampled);
		fprintf(o->report, "), %zu design columns\n", m->ndesign);
	}
	rc = 0;
out:
	ctx_free(&c);
	return rc;
}
