/* explain: see explain.h. */
#include "explain.h"

#include "accounting.h"
#include "buf.h"
#include "featspec.h"
#include "metrics.h"
#include "num.h"
#include "readloop.h"
#include "reason.h"
#include "rng.h"
#include "writer.h"
#include "xalloc.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double explain_contributions(const struct model *m, const struct model_fit *f, const double *x,
			     double *contrib)
{
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *in = &m->inputs[i];
		double c = 0;

		for (size_t j = in->offset; j < in->offset + in->width; j++)
			c += f->coef[j] * x[j];
		contrib[i] = c;
	}
	return f->intercept;
}

/* How a --what-if reaches an input: the input is the changed column, or is
 * computed from the row's own values of it (log1p_COL, A_per_B). */
enum { FOLLOW_NONE = 0, FOLLOW_SAME, FOLLOW_LOG1P, FOLLOW_RATIO };

struct run {
	const struct explain_options *o;
	struct model m;
	struct readloop_columns cols; /* the first input's */
	long *input_col;          /* per model input */
	long by_col, target_col;
	double *x, *contrib;
	/* --what-if */
	long *whatif_col;         /* per --what-if: its input column */
	int *follow;              /* per model input: FOLLOW_* */
	long *src_a, *src_b;      /* per model input: the columns it is computed from */
	double *colval;           /* per input column: the value after the what-ifs (NaN: unchanged) */
	/* output */
	struct writer *w;
	FILE *out;
	struct field *row;
	char (*numtext)[NUM_FORMAT_MAX];
	size_t nout;
	struct buf *reasons;      /* --top: the texts of a row's reasons */
	size_t *order;
	struct accounting acc;
	uint64_t rows_seen;
	/* --global: every row kept */
	double *gx, *gcontrib, *geta, *gy;
	const struct model_fit **gfit;
	size_t gn, gcap;
};

static long col_index(const struct run *p, const char *name)
{
	return names_index((const char *const *)p->cols.names, p->cols.n, name);
}

/* ---- set-up ------------------------------------------------------------------- */

static int setup_whatif(struct run *p, const char *file, struct adash_err *e)
{
	const struct explain_options *o = p->o;
	const struct model *m = &p->m;

	p->whatif_col = xcalloc(o->nwhatif + 1, sizeof *p->whatif_col);
	p->follow = xcalloc(m->ninputs + 1, sizeof *p->follow);
	p->src_a = xcalloc(m->ninputs + 1, sizeof *p->src_a);
	p->src_b = xcalloc(m->ninputs + 1, sizeof *p->src_b);
	p->colval = xcalloc(p->cols.n + 1, sizeof *p->colval);
	for (size_t k = 0; k < o->nwhatif; k++) {
		const char *col = o->whatif[k].col;
		int reaches = 0;

		p->whatif_col[k] = col_index(p, col);
		if (p->whatif_col[k] < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (--what-if)", file, col);
		for (size_t i = 0; i < m->ninputs; i++) {
			struct featspec fs;
			struct adash_err ignore;
			int follow = FOLLOW_NONE;

			if (strcmp(m->inputs[i].name, col) == 0) {
				if (m->inputs[i].categorical && m->inputs[i].nlevels &&
				    isnan(m->inputs[i].level_num[0]))
					return err_set(e, ADASH_EUSAGE,
						       "--what-if %s: a text input cannot be set to a number", col);
				follow = FOLLOW_SAME;
			} else if (featspec_parse(m->inputs[i].name, NULL, 0, &fs, &ignore) == 0) {
				/* (without the row's columns: featspec reads a name
				 * that is itself a column as a raw input, and
				 * adash-forecast --with-features writes every input) */
				if (fs.kind == FEAT_LOG1P && strcmp(fs.col, col) == 0)
					follow = FOLLOW_LOG1P;
				else if (fs.kind == FEAT_RATIO && (strcmp(fs.col, col) == 0 || strcmp(fs.col2, col) == 0))
					follow = FOLLOW_RATIO;
				if (follow != FOLLOW_NONE) {
					p->src_a[i] = col_index(p, fs.col);
					p->src_b[i] = fs.col2 ? col_index(p, fs.col2) : -1;
					if (p->src_a[i] < 0 || (fs.col2 && p->src_b[i] < 0)) {
						err_set(e, ADASH_EDATA, "%s: no column \"%s\", from which the input %s is computed (--what-if %s)",
							file, p->src_a[i] < 0 ? fs.col : fs.col2, m->inputs[i].name, col);
						featspec_free(&fs);
						return -1;
					}
				}
				featspec_free(&fs);
			}
			if (follow != FOLLOW_NONE && p->follow[i] == FOLLOW_NONE)
				p->follow[i] = follow;
			reaches |= follow != FOLLOW_NONE;
		}
		if (!reaches)
			return err_set(e, ADASH_EUSAGE,
				       "--what-if %s: the model has no input that is %s or computed from it", col, col);
	}
	return 0;
}

static void add_name(const char ***names, size_t *n, const char *name)
{
	*names = xrealloc(*names, (*n + 1) * sizeof **names);
	(*names)[(*n)++] = name;
}

static int setup_output(struct run *p, struct reader *r, struct adash_err *e)
{
	const struct explain_options *o = p->o;
	const struct model *m = &p->m;
	const char **names = NULL;
	char **owned = NULL;
	size_t n = 0, nowned = 0;
	int *json;

	if (o->global) {
		static const char *const cols[] = { "feature", "mean_abs_contrib", "importance",
						    "importance_sd", "coef", "coef_se" };

		for (size_t k = 0; k < 6; k++)
			add_name(&names, &n, cols[k]);
	} else {
		for (size_t i = 0; i < p->cols.n; i++)
			add_name(&names, &n, p->cols.names[i]);
		owned = xcalloc(m->ninputs * 2 + (size_t)o->top * 2 + 4, sizeof *owned);
		if (o->nwhatif) {
			add_name(&names, &n, "pred_before");
			add_name(&names, &n, "pred_after");
			add_name(&names, &n, "delta");
		} else {
			add_name(&names, &n, "base");
			if (o->top == 0) {
				for (size_t i = 0; i < m->ninputs; i++) {
					struct buf b = BUF_INIT;

					buf_printf(&b, "contrib_%s", m->inputs[i].name);
					owned[nowned] = buf_detach(&b, NULL);
					add_name(&names, &n, owned[nowned++]);
				}
			} else {
				for (long k = 1; k <= o->top; k++) {
					struct buf b = BUF_INIT;

					buf_printf(&b, "reason_%ld", k);
					owned[nowned] = buf_detach(&b, NULL);
					add_name(&names, &n, owned[nowned++]);
					buf_printf(&b, "reason_%ld_contrib", k);
					owned[nowned] = buf_detach(&b, NULL);
					add_name(&names, &n, owned[nowned++]);
				}
			}
			add_name(&names, &n, "explained");
		}
		for (size_t k = p->cols.n; k < n; k++)
			for (size_t j = 0; j < k; j++)
				if (strcmp(names[j], names[k]) == 0) {
					err_set(e, ADASH_EDATA, "%s: already has a column \"%s\", which adash-explain writes (leave it out first)",
						reader_name(r), names[k]);
					for (size_t q = 0; q < nowned; q++)
						free(owned[q]);
					free(owned);
					free(names);
					return -1;
				}
	}
	json = xcalloc(n + 1, sizeof *json);
	for (size_t k = 0; k < n; k++)
		json[k] = k < (o->global ? 1 : p->cols.n) ? COLUMN_AUTO : COLUMN_NUMBER;
	if (!o->global && o->top)
		for (long k = 0; k < o->top; k++)
			json[p->cols.n + 1 + 2 * (size_t)k] = COLUMN_STRING;
	if (o->global)
		json[0] = COLUMN_STRING;
	p->w = writer_new(p->out, o->io.output_format ? o->io.output_format : reader_format(r), o->io.delimiter,
			  o->io.header);
	writer_columns(p->w, n, names, json);
	p->nout = n;
	p->row = xcalloc(n + 1, sizeof *p->row);
	p->numtext = xcalloc(n + 1, sizeof *p->numtext);
	for (size_t q = 0; q < nowned; q++)
		free(owned[q]);
	free(owned);
	free(names);
	free(json);
	return 0;
}

/* readloop_input's set-up of the first input with columns. */
static int setup(void *ctx, struct reader *r, struct adash_err *e)
{
	struct run *p = ctx;
	const struct model *m = &p->m;

	p->input_col = xcalloc(m->ninputs + 1, sizeof *p->input_col);
	for (size_t i = 0; i < m->ninputs; i++)
		if ((p->input_col[i] = col_index(p, m->inputs[i].name)) < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\", an input of the model %s",
				       reader_name(r), m->inputs[i].name, p->o->model_path);
	p->by_col = -1;
	if (m->by && (p->by_col = col_index(p, m->by)) < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\", the model's --by column",
			       reader_name(r), m->by);
	p->target_col = m->target ? col_index(p, m->target) : -1;
	if (p->o->nwhatif && setup_whatif(p, reader_name(r), e) < 0)
		return -1;
	p->x = xcalloc(m->ndesign + 1, sizeof *p->x);
	p->contrib = xcalloc(m->ninputs + 1, sizeof *p->contrib);
	p->order = xcalloc(m->ninputs + 1, sizeof *p->order);
	p->reasons = xcalloc((size_t)p->o->top + 1, sizeof *p->reasons);
	return setup_output(p, r, e);
}

/* ---- one row -------------------------------------------------------------------- */

/* The fit of the row's --by group, else the pooled one. */
static const struct model_fit *row_fit(const struct run *p, const struct field *rec)
{
	const struct model_fit *f;
	char *group = NULL;

	if (p->by_col >= 0 && !field_is_missing(&rec[p->by_col]))
		group = xstrndup(rec[p->by_col].s, rec[p->by_col].len);
	f = model_fit_for(&p->m, group);
	free(group);
	return f;
}

/* Encodes the row's inputs into p->x.  -1 with row_err for a value that is
 * not a number. */
static int encode_row(struct run *p, struct reader *r, const struct field *rec,
		      struct adash_err *row_err)
{
	for (size_t i = 0; i < p->m.ninputs; i++) {
		const struct field *f = &rec[p->input_col[i]];

		if (model_encode_text(&p->m, i, f->s, f->len, p->x) < 0) {
			char q[80];

			err_quote_value(q, sizeof q, f->s, f->len);
			return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r),
				      p->m.inputs[i].name, "\"%s\" is not a number", q);
		}
	}
	return 0;
}

static double cell_number(const struct field *rec, long col)
{
	double v;

	if (col < 0 || field_is_missing(&rec[col]) || num_parse(rec[col].s, rec[col].len, &v) < 0)
		return NAN;
	return v;
}

/* The row's value of column col after the what-ifs. */
static double after(const struct run *p, const struct field *rec, long col)
{
	return isnan(p->colval[col]) ? cell_number(rec, col) : p->colval[col];
}

/* Re-encodes the inputs the what-ifs reach. */
static void apply_whatif(struct run *p, const struct field *rec)
{
	const struct explain_options *o = p->o;

	for (size_t c = 0; c < p->cols.n; c++)
		p->colval[c] = NAN;
	for (size_t k = 0; k < o->nwhatif; k++) {
		long c = p->whatif_col[k];
		double v = isnan(p->colval[c]) ? cell_number(rec, c) : p->colval[c];

		p->colval[c] = whatif_apply(&o->whatif[k], v);
	}
	for (size_t i = 0; i < p->m.ninputs; i++)
		switch (p->follow[i]) {
		case FOLLOW_SAME:
			model_encode_num(&p->m, i, p->colval[p->input_col[i]], p->x);
			break;
		case FOLLOW_LOG1P:
			model_encode_num(&p->m, i, log1p(after(p, rec, p->src_a[i])), p->x);
			break;
		case FOLLOW_RATIO:
			model_encode_num(&p->m, i, after(p, rec, p->src_a[i]) / after(p, rec, p->src_b[i]), p->x);
			break;
		default:
			break;
		}
}

static void put_number(struct run *p, size_t k, double v)
{
	if (!isfinite(v))
		field_set(&p->row[k], "", 0, FIELD_NULL);
	else
		field_set(&p->row[k], p->numtext[k], num_format(v, p->numtext[k]), FIELD_NUMBER);
}

/* Input order by |contribution|, largest first (ties: model order). */
static void order_inputs(struct run *p)
{
	size_t n = p->m.ninputs;

	for (size_t i = 0; i < n; i++)
		p->order[i] = i;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && fabs(p->contrib[p->order[j]]) > fabs(p->contrib[p->order[j - 1]]); j--) {
			size_t t = p->order[j];

			p->order[j] = p->order[j - 1];
			p->order[j - 1] = t;
		}
}

static void explain_row(struct run *p, const struct field *rec, const struct model_fit *f)
{
	const struct explain_options *o = p->o;
	const struct model *m = &p->m;
	size_t k = p->cols.n;
	double base = explain_contributions(m, f, p->x, p->contrib);

	memcpy(p->row, rec, p->cols.n * sizeof *rec);
	put_number(p, k++, base);
	if (o->top == 0) {
		for (size_t i = 0; i < m->ninputs; i++)
			put_number(p, k++, p->contrib[i]);
	} else {
		order_inputs(p);
		for (long r = 0; r < o->top; r++, k += 2) {
			struct buf *b = &p->reasons[r];

			buf_reset(b);
			if ((size_t)r >= m->ninputs) {
				field_set(&p->row[k], "", 0, FIELD_NULL);
				field_set(&p->row[k + 1], "", 0, FIELD_NULL);
				continue;
			} else {
				size_t i = p->order[r];
				const struct field *cell = &rec[p->input_col[i]];
				char *text = xstrndup(cell->s, cell->len);

				reason_sentence(m->inputs[i].name, text, cell_number(rec, p->input_col[i]),
						p->contrib[i], b);
				free(text);
				field_set(&p->row[k], b->data, b->len, FIELD_STRING);
				put_number(p, k + 1, p->contrib[i]);
			}
		}
	}
	put_number(p, k++, model_linear(m, f, p->x));
	writer_row(p->w, p->row);
}

static void whatif_row(struct run *p, const struct field *rec, const struct model_fit *f)
{
	const struct model *m = &p->m;
	size_t k = p->cols.n;
	double before = model_output(m, f, model_linear(m, f, p->x)), now;

	apply_whatif(p, rec);
	now = model_output(m, f, model_linear(m, f, p->x));
	memcpy(p->row, rec, p->cols.n * sizeof *rec);
	put_number(p, k++, before);
	put_number(p, k++, now);
	put_number(p, k++, now - before);
	writer_row(p->w, p->row);
}

static void keep_row(struct run *p, const struct field *rec, const struct model_fit *f)
{
	const struct model *m = &p->m;
	size_t n = p->gn, pd = m->ndesign, ni = m->ninputs;

	if (n == p->gcap) {
		p->gcap = p->gcap ? p->gcap * 2 : 1024;
		p->gx = xrealloc(p->gx, p->gcap * (pd + 1) * sizeof *p->gx);
		p->gcontrib = xrealloc(p->gcontrib, p->gcap * (ni + 1) * sizeof *p->gcontrib);
		p->geta = xrealloc(p->geta, p->gcap * sizeof *p->geta);
		p->gy = xrealloc(p->gy, p->gcap * sizeof *p->gy);
		p->gfit = xrealloc(p->gfit, p->gcap * sizeof *p->gfit);
	}
	memcpy(p->gx + n * (pd + 1), p->x, pd * sizeof *p->x);
	explain_contributions(m, f, p->x, p->gcontrib + n * (ni + 1));
	p->geta[n] = model_linear(m, f, p->x);
	p->gy[n] = cell_number(rec, p->target_col);
	if (m->task == TASK_CLASSIFICATION && p->target_col >= 0) {
		int flag;

		/* a label may be an NDJSON boolean */
		if (field_flag(&rec[p->target_col], &flag) == 0)
			p->gy[n] = flag;
	}
	p->gfit[n] = f;
	p->gn++;
}

static int add_row(void *ctx, struct reader *r, const struct field *rec,
		   struct adash_err *row_err, const char **reason, struct adash_err *e)
{
	struct run *p = ctx;
	const struct model_fit *f = row_fit(p, rec);

	(void)e;
	if (!f) {
		*reason = "no model for group";
		err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), p->m.by,
		       "no fit for this group and no pooled fit in the model");
		return ROW_BAD;
	}
	if (encode_row(p, r, rec, row_err) < 0) {
		*reason = "not a number";
		return ROW_BAD;
	}
	if (p->o->global)
		keep_row(p, rec, f);
	else if (p->o->nwhatif)
		whatif_row(p, rec, f);
	else
		explain_row(p, rec, f);
	p->acc.rows_out++;
	return ROW_OK;
}

/* ---- --global -------------------------------------------------------------------- */

/* The loss of row k's prediction eta: |y - prediction| on the target's
 * scale, or the log loss of a classifier (probabilities clipped as
 * metrics.c clips them). */
static double loss(const struct run *p, size_t k, double eta)
{
	double y = p->gy[k], pr = model_output(&p->m, p->gfit[k], eta);

	if (p->m.task == TASK_CLASSIFICATION) {
		pr = fmin(fmax(pr, 1e-15), 1 - 1e-15);
		return y != 0 ? -log(pr) : -log1p(-pr);
	}
	return fabs(y - pr);
}

static void write_global(struct run *p)
{
	const struct model *m = &p->m;
	size_t n = p->gn, pd = m->ndesign, ni = m->ninputs, nscored = 0;
	long repeats = p->o->repeats;
	double base_loss = 0;
	size_t *scored = xcalloc(n + 1, sizeof *scored), *perm = xcalloc(n + 1, sizeof *perm);
	double *rise = xcalloc((size_t)repeats + 1, sizeof *rise);
	struct rng g;

	rng_init(&g, p->o->io.seed);
	for (size_t k = 0; k < n; k++)
		if (isfinite(p->gy[k])) {
			scored[nscored++] = k;
			base_loss += loss(p, k, p->geta[k]);
		}
	for (size_t i = 0; i < ni; i++) {
		const struct model_input *in = &m->inputs[i];
		const struct model_fit *pooled = m->has_pooled ? &m->pooled : NULL;
		double mac = 0, coef = NAN, se = NAN, imp = NAN, sd = NAN;
		size_t k = 0;

		for (size_t r = 0; r < n; r++)
			mac += fabs(p->gcontrib[r * (ni + 1) + i]);
		mac = n ? mac / (double)n : NAN;
		/* a numeric input's coefficient per unit of it, and its standard
		 * error, from the pooled fit's covariance where it has one */
		if (pooled && !in->categorical) {
			size_t j = in->offset;

			coef = pooled->coef[j] / m->scale[j];
			if (pooled->cov)
				se = sqrt(pooled->cov[j * pd + j]) / m->scale[j];
		}
		if (nscored > 0) {
			/* each input's shuffles come from its own stream, so its
			 * figures do not depend on the other inputs */
			rng_reseed(&g, p->o->io.seed, i);
			for (long t = 0; t < repeats; t++) {
				double l = 0;

				for (size_t s = 0; s < nscored; s++)
					perm[s] = scored[s];
				gsl_ran_shuffle(g.r, perm, nscored, sizeof *perm);
				for (size_t s = 0; s < nscored; s++) {
					size_t row = scored[s], from = perm[s];
					const struct model_fit *f = p->gfit[row];
					const double *xf = p->gx + from * (pd + 1);
					double c = 0;

					for (size_t j = in->offset; j < in->offset + in->width; j++)
						c += f->coef[j] * xf[j];
					l += loss(p, row, p->geta[row] - p->gcontrib[row * (ni + 1) + i] + c);
				}
				rise[t] = (l - base_loss) / (double)nscored;
			}
			imp = gsl_stats_mean(rise, 1, (size_t)repeats);
			sd = repeats > 1 ? gsl_stats_sd_m(rise, 1, (size_t)repeats, imp) : NAN;
		}
		field_set(&p->row[k++], in->name, strlen(in->name), FIELD_STRING);
		put_number(p, k++, mac);
		put_number(p, k++, imp);
		put_number(p, k++, sd);
		put_number(p, k++, coef);
		put_number(p, k++, se);
		writer_row(p->w, p->row);
	}
	rng_free(&g);
	free(scored);
	free(perm);
	free(rise);
}

/* ---- the run ----------------------------------------------------------------------- */

static int run_input(struct run *p, const char *path, struct adash_err *e)
{
	return readloop_input(path, &p->o->io.read, &p->cols, setup, &p->acc, p->o->io.progress,
			      &p->rows_seen, add_row, p, e);
}

static void run_free(struct run *p)
{
	readloop_columns_free(&p->cols);
	free(p->input_col);
	free(p->x);
	free(p->contrib);
	free(p->whatif_col);
	free(p->follow);
	free(p->src_a);
	free(p->src_b);
	free(p->colval);
	for (long k = 0; p->reasons && k < p->o->top; k++)
		buf_free(&p->reasons[k]);
	free(p->reasons);
	free(p->order);
	free(p->row);
	free(p->numtext);
	free(p->gx);
	free(p->gcontrib);
	free(p->geta);
	free(p->gy);
	free(p->gfit);
	writer_free(p->w);
	model_free(&p->m);
}

int explain_run(const struct explain_options *o, char *const *inputs, FILE *out,
		struct adash_err *e)
{
	struct run p;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.out = out;
	model_init(&p.m);
	if (model_load(&p.m, o->model_path, e) < 0) {
		run_free(&p);
		return -1;
	}
	if (accounting_open(&p.acc, o->io.on_bad, o->io.reject_path, o->io.stats_path, e) < 0) {
		run_free(&p);
		return -1;
	}
	for (size_t f = 0; inputs[f]; f++)
		if (run_input(&p, inputs[f], e) < 0)
			goto out;
	/* an input without even a header has no columns to explain: the
	 * output is empty too */
	if (o->global && p.w)
		write_global(&p);
	if (readloop_finish(&p.acc, o->io.progress, p.rows_seen, out, o->io.verbose, o->io.prog, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		accounting_abort(&p.acc);
	run_free(&p);
	return rc;
}
