/*
 * model: see model.h.
 *
 * THE MODEL FILE.  Checklist: model_to_json writes these fields in this
 * order, model_from_json reads them, adash.7 (MODEL FILE) is the user's
 * copy; keep the three in step.
 *
 * One JSON object.  Every field below is required (null only where it says
 * so) and any other field is an error, so that a typo in a hand-edited
 * file is caught, not ignored.  The top level:
 *
 *   format            "adash-model"
 *   version           1.  A larger number is refused with "was written by a
 *                     newer adash"; a change of meaning bumps it
 *   program           what wrote the file, e.g. "adash-train 0.1"
 *   task              "regression", "classification" or "bandit"
 *   algo              the fitting algorithm, one the task knows:
 *                     regression "ols", "ridge", "huber", "svr";
 *                     classification "logreg"; bandit "linucb",
 *                     "thompson"
 *   target            the target column
 *   key               the series key column, or null
 *   time              the time column, or null
 *   by                the --by column (one fit per value), or null
 *   log_target        true when the fits model log1p(target) (regression
 *                     only), else false
 *   weight_half_life  half-life in days of the recency row weights, >= 0;
 *                     0 when rows were weighted equally
 *   season            the season of MASE in days, an integer >= 0
 *   penalty           classification only (and there required): "l2" or
 *                     "l1", the logistic regression's penalty
 *   C                 classification only: liblinear's cost, a number > 0
 *   class_weight      classification only: [weight of class 0, weight of
 *                     class 1], numbers > 0 that multiply C per class
 *   inputs            the design's inputs, in order: an array of
 *                       {"name": NAME, "type": "numeric"}
 *                       {"name": NAME, "type": "categorical",
 *                        "levels": [TEXT, ...]}
 *                     A numeric input is one design column; a categorical
 *                     one is one column per level (one-hot), levels in the
 *                     order given.  Names are distinct; levels are distinct,
 *                     non-empty and not "NA" (a missing value is no level).
 *                     The columns so laid out number ndesign
 *   standardization   {"mean": [ndesign numbers], "scale": [ndesign numbers,
 *                     each > 0]}: design column j enters every fit as
 *                     (x_j - mean[j]) / scale[j]
 *   pooled            the FIT over all rows, or null
 *   groups            an array of FITs, one per --by value, each with
 *                     "group" first; group values distinct; empty when
 *                     "by" is null.  At least one of pooled and groups
 *                     holds a fit
 *   cv                the cross-validation folds (expanding window), an
 *                     array, possibly empty, of
 *                       {"train_rows": N, "test_rows": N,
 *                        "train_until": TIME|null, "test_until": TIME|null,
 *                        "mae": X|null, "rmse": X|null, "mape": X|null,
 *                        "mase": X|null}
 *                     for a regression, and for a classification of
 *                       {"train_rows": N, "test_rows": N,
 *                        "train_until": TIME|null, "test_until": TIME|null,
 *                        "auc": X|null, "logloss": X|null, "brier": X|null}
 *                     where TIME is the last time value (text) trained on
 *                     and tested on, and each metric is >= 0 (auc and
 *                     brier at most 1), or null where it is undefined (MAPE
 *                     with a zero actual, MASE without a season of history,
 *                     AUC with one class tested); the other task's metrics
 *                     are unknown keys
 *   bandit            a bandit model only (and there required): its
 *                     statistics (bandit.h), with p = ndesign + 1
 *                       {"alpha": X >= 0, "lambda": X > 0, "sum_r": X,
 *                        "sum_r2": X >= 0, "b": [p numbers],
 *                        "A": [p * p numbers, row-major]}
 *                     A symmetric (bit for bit), positive definite, its
 *                     diagonal at least lambda, and the pooled fit's
 *                     (intercept, coef) the solution of A theta = b (see
 *                     bandit_check).  A bandit model has only the pooled
 *                     fit (by null, groups and cv empty), standardization
 *                     mean 0 and scale 1 (statistics add up only on raw
 *                     columns), no log target (a regression's only), no
 *                     row weights, no residuals and cov null; ndesign is
 *                     at most BANDIT_MAX_DESIGN.  Its fit's rows are the
 *                     n of the statistics, sigma2 the noise variance v^2
 *                     thompson draws with, lambda 0 (the prior's is
 *                     "bandit"'s), dof p - lambda trace(A^-1)
 *   data              {"rows": N, "fingerprint": "sha256:HEX"}: the
 *                     training rows used and the SHA-256 of those rows
 *                     (64 lowercase hex digits); after adash-train
 *                     --update, the SHA-256 of the previous fingerprint
 *                     and the new rows
 *
 * A FIT:
 *
 *   group             the --by value, a non-empty string (in groups only)
 *   rows              training rows of this fit, an integer >= 0
 *   intercept         a number
 *   coef              [ndesign numbers], on the standardized columns
 *   cov               [ndesign * ndesign numbers], the covariance of coef,
 *                     row-major; null (or absent) when the algorithm gives
 *                     none (svr)
 *   lambda            the ridge penalty used, >= 0 (0 for other algorithms)
 *   sigma2            the residual variance, >= 0 (0 for a classification)
 *   dof               effective parameters, intercept included, >= 0
 *   smearing          Duan's smearing factor, > 0 (1 unless log_target)
 *   residuals         [numbers]: training residuals on the fitted scale
 *                     (log1p for log_target), out-of-fold when cv ran; at
 *                     most MODEL_MAX_RESIDUALS; empty for a classification
 *
 * N is an integer >= 0, X a number.  Every number is finite.  Limits
 * against hostile files: at most MODEL_MAX_DESIGN design columns,
 * MODEL_MAX_GROUPS groups, MODEL_MAX_RESIDUALS residuals per fit.
 *
 * Writing.  Numbers are written in num_format's shortest round-trip form
 * (jansson's own output is %.17g: "0.10000000000000001"), with two
 * additions that keep load(save(m)) bit for bit: an integral value beyond
 * int64 gets ".0" (jansson reads integers as int64 and would refuse it) and
 * -0 is written "-0.0" (jansson reads "-0" as the integer 0).  The text is
 * built here from model_to_json's tree rather than by json_dumps, which is
 * also what lays it out: one field per line, two-space indent, arrays of
 * numbers or strings on one line however long, the small objects of
 * "inputs" and "cv" on one line each, a final newline.  The layout depends
 * on nothing but the model, so the same model is always the same bytes.
 *
 * model_save first reads its own JSON back through model_from_json: a model
 * that would not load (a NaN coefficient, a missing fingerprint) is a bug
 * in the program that built it, reported as an internal error (code 4)
 * rather than written as a file nothing can read.
 */
#include "model.h"
#include "atomicfile.h"
#include "bandit.h"
#include "buf.h"
#include "classify.h"
#include "hashmap.h"
#include "num.h"
#include "record.h"
#include "regress.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- names ------------------------------------------------------------- */

static const char *const task_names[] = {
	[TASK_REGRESSION] = "regression", [TASK_CLASSIFICATION] = "classification",
	[TASK_BANDIT] = "bandit"
};
#define NTASKS (sizeof task_names / sizeof *task_names)

/* The algorithms a model file may name, per task.  Checklist: a new one
 * (logreg for classification) is one line here and a word in adash.7. */
static const struct model_algo {
	int task;
	int algo;
	const char *(*name)(int algo);
} algos[] = {
	{ TASK_REGRESSION, REGRESS_OLS, regress_algo_name },
	{ TASK_REGRESSION, REGRESS_RIDGE, regress_algo_name },
	{ TASK_REGRESSION, REGRESS_HUBER, regress_algo_name },
	{ TASK_REGRESSION, REGRESS_SVR, regress_algo_name },
	{ TASK_CLASSIFICATION, CLASSIFY_LOGREG, classify_algo_name },
	{ TASK_BANDIT, BANDIT_LINUCB, bandit_algo_name },
	{ TASK_BANDIT, BANDIT_THOMPSON, bandit_algo_name },
};
#define NALGOS (sizeof algos / sizeof *algos)

static const char *algo_name(int task, int algo)
{
	for (size_t i = 0; i < NALGOS; i++)
		if (algos[i].task == task && algos[i].algo == algo)
			return algos[i].name(algo);
	return NULL;
}

int model_algo_from_name(const char *name, int *task, int *algo)
{
	for (size_t i = 0; name && i < NALGOS; i++)
		if (strcmp(name, algos[i].name(algos[i].algo)) == 0) {
			*task = algos[i].task;
			*algo = algos[i].algo;
			return 0;
		}
	return -1;
}

const char *model_algo_name(int task, int algo)
{
	return algo_name(task, algo);
}

/* The algorithms of task, for messages: "ols, ridge, huber, svr". */
static void algo_list(int task, char *out, size_t outsz)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NALGOS && o < outsz; i++)
		if (algos[i].task == task)
			o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? ", " : "",
					      algos[i].name(algos[i].algo));
}

/* ---- errors ------------------------------------------------------------ */

/* err_set with "origin: " in front when there is an origin. */
static int fail(struct adash_err *e, const char *origin, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct adash_err *e, const char *origin, const char *fmt, ...)
{
	char msg[ADASH_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (origin)
		return err_set(e, ADASH_EDATA, "%s: %s", origin, msg);
	return err_set(e, ADASH_EDATA, "%s", msg);
}

/* " of " before a place ("group \"s001\""), nothing at the top level: so
 * that messages read "\"coef\" of group \"s001\"" and "\"target\"". */
static const char *of(const char *where)
{
	return where[0] ? " of " : "";
}

static const char *in(const char *where)
{
	return where[0] ? " in " : "";
}

/* ---- life cycle -------------------------------------------------------- */

void model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
}

static void fit_free(struct model_fit *f)
{
	free(f->group);
	free(f->coef);
	free(f->cov);
	free(f->residuals);
	memset(f, 0, sizeof *f);
}

static void drop_index(struct model *m)
{
	if (m->group_index) {
		hashmap_free(m->group_index, NULL);
		free(m->group_index);
		m->group_index = NULL;
	}
}

void model_free(struct model *m)
{
	for (size_t i = 0; i < m->ninputs; i++) {
		struct model_input *p = &m->inputs[i];
		free(p->name);
		for (size_t k = 0; k < p->nlevels && p->levels; k++)
			free(p->levels[k]);
		free(p->levels);
		free(p->level_num);
	}
	free(m->inputs);
	free(m->mean);
	free(m->scale);
	fit_free(&m->pooled);
	for (size_t i = 0; i < m->ngroups; i++)
		fit_free(&m->groups[i]);
	free(m->groups);
	for (size_t i = 0; i < m->nfolds; i++) {
		free(m->folds[i].train_until);
		free(m->folds[i].test_until);
	}
	free(m->folds);
	free(m->target);
	free(m->key);
	free(m->time);
	free(m->by);
	free(m->fingerprint);
	free(m->program);
	if (m->bandit) {
		bandit_free(m->bandit);
		free(m->bandit);
	}
	drop_index(m);
	model_init(m);
}

/* model_layout, naming origin (the file) in messages when there is one. */
static int layout(struct model *m, const char *origin, struct adash_err *e)
{
	struct hashmap names, levels;
	size_t nd = 0;
	int rc = -1;

	hashmap_init(&names);
	hashmap_init(&levels);
	for (size_t i = 0; i < m->ninputs; i++) {
		struct model_input *p = &m->inputs[i];
		int added;

		if (!p->name || !p->name[0]) {
			fail(e, origin, "\"name\" of input %zu must be a non-empty string", i + 1);
			goto out;
		}
		hashmap_put(&names, p->name, strlen(p->name), &added);
		if (!added) {
			fail(e, origin, "input \"%.200s\" appears twice in \"inputs\"", p->name);
			goto out;
		}
		if (!p->categorical) {
			if (p->nlevels) {
				fail(e, origin, "\"levels\" of input \"%.200s\" is only for categorical inputs",
				     p->name);
				goto out;
			}
			p->width = 1;
		} else {
			if (p->nlevels == 0 || !p->levels) {
				fail(e, origin, "\"levels\" of input \"%.200s\" is empty: a categorical input needs its levels",
				     p->name);
				goto out;
			}
			hashmap_free(&levels, NULL);
			hashmap_init(&levels);
			free(p->level_num);
			p->level_num = xmalloc(p->nlevels * sizeof *p->level_num);
			for (size_t k = 0; k < p->nlevels; k++) {
				const char *l = p->levels[k];
				struct field f = { l ? l : "", l ? strlen(l) : 0, FIELD_TEXT };

				if (field_is_missing(&f)) {
					fail(e, origin, "\"levels\" of input \"%.200s\": \"%s\" is a missing value, not a level",
					     p->name, f.s);
					goto out;
				}
				hashmap_put(&levels, f.s, f.len, &added);
				if (!added) {
					fail(e, origin, "\"levels\" of input \"%.200s\" has \"%.200s\" twice",
					     p->name, f.s);
					goto out;
				}
				/* a level that is not a number never matches one */
				if (num_parse(f.s, f.len, &p->level_num[k]) < 0)
					p->level_num[k] = NAN;
			}
			p->width = p->nlevels;
		}
		if (p->width > (size_t)MODEL_MAX_DESIGN - nd) {
			fail(e, origin, "\"inputs\" make more than %d design columns (at input \"%.200s\")",
			     MODEL_MAX_DESIGN, p->name);
			goto out;
		}
		p->offset = nd;
		nd += p->width;
	}
	m->ndesign = nd;
	free(m->mean);
	free(m->scale);
	m->mean = xcalloc(nd, sizeof *m->mean);
	m->scale = xmalloc((nd ? nd : 1) * sizeof *m->scale);
	for (size_t j = 0; j < nd; j++)
		m->scale[j] = 1;
	rc = 0;
out:
	hashmap_free(&names, NULL);
	hashmap_free(&levels, NULL);
	return rc;
}

int model_layout(struct model *m, struct adash_err *e)
{
	return layout(m, NULL, e);
}

void model_index_groups(struct model *m)
{
	struct hashmap *idx;

	drop_index(m);
	idx = xmalloc(sizeof *idx);
	hashmap_init(idx);
	for (size_t i = 0; i < m->ngroups; i++) {
		const char *g = m->groups[i].group;
		struct hashmap_entry *en;
		int added;

		if (!g)
			continue;
		en = hashmap_put(idx, g, strlen(g), &added);
		if (added)   /* the first of two equal names wins */
			en->val.num = (int64_t)i;
	}
	m->group_index = idx;
}

/* ---- predicting -------------------------------------------------------- */

const struct model_fit *model_fit_for(const struct model *m, const char *group)
{
	if (group && m->ngroups) {
		if (m->group_index) {
			const struct hashmap_entry *en = hashmap_get(m->group_index, group, strlen(group));
			if (en)
				return &m->groups[en->val.num];
		} else {
			/* not indexed (model_index_groups not called): still right */
			for (size_t i = 0; i < m->ngroups; i++)
				if (m->groups[i].group && strcmp(m->groups[i].group, group) == 0)
					return &m->groups[i];
		}
	}
	return m->has_pooled ? &m->pooled : NULL;
}

/* Writes the one-hot block of categorical input p, level hit set (SIZE_MAX:
 * none).  For no level, every column is its mean, a standardized 0: the
 * block then adds nothing to the linear predictor, which is the fit's
 * answer for "average over the levels seen in training". */
static void one_hot(const struct model *m, const struct model_input *p, size_t hit, double *x)
{
	for (size_t k = 0; k < p->width; k++) {
		size_t j = p->offset + k;
		x[j] = hit == SIZE_MAX ? 0 : ((k == hit ? 1.0 : 0.0) - m->mean[j]) / m->scale[j];
	}
}

void model_encode_num(const struct model *m, size_t i, double v, double *x)
{
	const struct model_input *p = &m->inputs[i];
	size_t hit = SIZE_MAX;

	if (!p->categorical) {
		size_t j = p->offset;
		x[j] = isfinite(v) ? (v - m->mean[j]) / m->scale[j] : 0;
		return;
	}
	if (isfinite(v))
		for (size_t k = 0; k < p->nlevels; k++)
			if (p->level_num[k] == v) {
				hit = k;
				break;
			}
	one_hot(m, p, hit, x);
}

int model_encode_text(const struct model *m, size_t i, const char *s, size_t len, double *x)
{
	const struct model_input *p = &m->inputs[i];
	struct field f = { s, len, FIELD_TEXT };
	size_t hit = SIZE_MAX;
	double v;

	if (field_is_missing(&f)) {
		model_encode_num(m, i, NAN, x);
		return 0;
	}
	if (!p->categorical) {
		if (num_parse(s, len, &v) < 0) {
			model_encode_num(m, i, NAN, x);
			return -1;
		}
		model_encode_num(m, i, v, x);
		return 0;
	}
	/* Linear in the levels: vocabularies are small (dow, month, a few
	 * hundred shops); an index per input would need a field model.h
	 * does not have. */
	for (size_t k = 0; k < p->nlevels; k++)
		if (strlen(p->levels[k]) == len && memcmp(p->levels[k], s, len) == 0) {
			hit = k;
			break;
		}
	one_hot(m, p, hit, x);
	return 0;
}

double model_linear(const struct model *m, const struct model_fit *f, const double *x)
{
	double eta = f->intercept;

	for (size_t j = 0; j < m->ndesign; j++)
		eta += f->coef[j] * x[j];
	return eta;
}

/* 1 / (1 + e^-eta) without overflow: exp of a negative argument only. */
static double logistic(double eta)
{
	double z;

	if (eta >= 0)
		return 1 / (1 + exp(-eta));
	z = exp(eta);
	return z / (1 + z);
}

double model_output(const struct model *m, const struct model_fit *f, double eta)
{
	double s = f ? f->smearing : 1;

	if (m->task == TASK_CLASSIFICATION)
		return logistic(eta);
	if (m->log_target)
		/* exp(eta) * s - 1, written so that a small eta with s near 1
		 * keeps its digits (expm1), and s = 1 gives model_untransform's
		 * value exactly */
		return expm1(eta) * s + (s - 1);
	return eta;
}

double model_untransform(const struct model *m, double eta)
{
	if (m->task == TASK_CLASSIFICATION)
		return logistic(eta);
	return m->log_target ? expm1(eta) : eta;
}

double model_transform(const struct model *m, double y)
{
	return m->log_target && m->task != TASK_CLASSIFICATION ? log1p(y) : y;
}

double model_bandit_width(const struct model *m, const double *x)
{
	return bandit_width(m->bandit, x);
}

void model_bandit_draw(const struct model *m, gsl_rng *r, struct model_fit *f)
{
	double *beta = xmalloc((m->ndesign + 1) * sizeof *beta);

	bandit_draw(m->bandit, r, beta);
	f->intercept = beta[0];
	memcpy(f->coef, beta + 1, m->ndesign * sizeof *beta);
	free(beta);
}

/* ---- to JSON ----------------------------------------------------------- */

static void set(json_t *o, const char *key, json_t *v)
{
	/* a NULL value (a string that is not UTF-8, a NULL array) becomes
	 * null, which the check in model_save then refuses by name */
	json_object_set_new(o, key, v ? v : json_null());
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Non-finite numbers have no JSON form: null (a metric's "undefined"). */
static json_t *jnum(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *jcount(size_t n)
{
	return json_integer(n > (size_t)INT64_MAX ? -1 : (json_int_t)n);
}

static json_t *jnums(const double *v, size_t n)
{
	json_t *a;

	if (!v && n)
		return json_null();
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, jnum(v[i]));
	return a;
}

static json_t *fit_json(const struct model *m, const struct model_fit *f, int with_group)
{
	json_t *o = json_object();
	size_t nd = m->ndesign;

	if (with_group)
		set(o, "group", jstr(f->group));
	set(o, "rows", jcount(f->rows));
	set(o, "intercept", jnum(f->intercept));
	set(o, "coef", jnums(f->coef, nd));
	set(o, "cov", f->cov ? jnums(f->cov, nd * nd) : json_null());
	set(o, "lambda", jnum(f->lambda));
	set(o, "sigma2", jnum(f->sigma2));
	set(o, "dof", jnum(f->dof));
	set(o, "smearing", jnum(f->smearing));
	set(o, "residuals", jnums(f->residuals, f->nresiduals));
	return o;
}

json_t *model_to_json(const struct model *m)
{
	json_t *root = json_object(), *a, *o;
	const char *name;

	set(root, "format", json_string(MODEL_FORMAT));
	set(root, "version", json_integer(MODEL_VERSION));
	set(root, "program", jstr(m->program));
	set(root, "task", m->task >= 0 && (size_t)m->task < NTASKS ? json_string(task_names[m->task]) : NULL);
	name = algo_name(m->task, m->algo);
	set(root, "algo", name ? json_string(name) : NULL);
	set(root, "target", jstr(m->target));
	set(root, "key", jstr(m->key));
	set(root, "time", jstr(m->time));
	set(root, "by", jstr(m->by));
	set(root, "log_target", json_boolean(m->log_target));
	set(root, "weight_half_life", jnum(m->weight_half_life));
	set(root, "season", json_integer(m->season));
	if (m->task == TASK_CLASSIFICATION) {
		name = classify_penalty_name(m->penalty);
		set(root, "penalty", name ? json_string(name) : NULL);
		set(root, "C", jnum(m->C));
		set(root, "class_weight", jnums(m->class_weight, 2));
	}

	a = json_array();
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *p = &m->inputs[i];
		o = json_object();
		set(o, "name", jstr(p->name));
		set(o, "type", json_string(p->categorical ? "categorical" : "numeric"));
		if (p->categorical) {
			json_t *l = json_array();
			for (size_t k = 0; k < p->nlevels; k++)
				json_array_append_new(l, p->levels[k] ? json_string(p->levels[k]) : json_null());
			set(o, "levels", l);
		}
		json_array_append_new(a, o);
	}
	set(root, "inputs", a);

	o = json_object();
	set(o, "mean", jnums(m->mean, m->ndesign));
	set(o, "scale", jnums(m->scale, m->ndesign));
	set(root, "standardization", o);

	set(root, "pooled", m->has_pooled ? fit_json(m, &m->pooled, 0) : json_null());
	a = json_array();
	for (size_t i = 0; i < m->ngroups; i++)
		json_array_append_new(a, fit_json(m, &m->groups[i], 1));
	set(root, "groups", a);

	a = json_array();
	for (size_t i = 0; i < m->nfolds; i++) {
		const struct model_fold *f = &m->folds[i];
		o = json_object();
		set(o, "train_rows", jcount(f->train_rows));
		set(o, "test_rows", jcount(f->test_rows));
		set(o, "train_until", jstr(f->train_until));
		set(o, "test_until", jstr(f->test_until));
		if (m->task == TASK_CLASSIFICATION) {
			set(o, "auc", jnum(f->auc));
			set(o, "logloss", jnum(f->logloss));
			set(o, "brier", jnum(f->brier));
		} else {
			set(o, "mae", jnum(f->mae));
			set(o, "rmse", jnum(f->rmse));
			set(o, "mape", jnum(f->mape));
			set(o, "mase", jnum(f->mase));
		}
		json_array_append_new(a, o);
	}
	set(root, "cv", a);

	if (m->task == TASK_BANDIT) {
		const struct bandit *s = m->bandit;

		o = NULL;
		if (s && s->p == m->ndesign + 1) {
			o = json_object();
			set(o, "alpha", jnum(s->alpha));
			set(o, "lambda", jnum(s->lambda));
			set(o, "sum_r", jnum(s->sum_r));
			set(o, "sum_r2", jnum(s->sum_r2));
			set(o, "b", jnums(s->b, s->p));
			set(o, "A", jnums(s->A, s->p * s->p));
		}
		set(root, "bandit", o);
	}

	o = json_object();
	set(o, "rows", jcount(m->rows));
	set(o, "fingerprint", jstr(m->fingerprint));
	set(root, "data", o);
	return root;
}

/* ---- from JSON --------------------------------------------------------- */

/* What the readers below share: the name for messages and the error. */
struct rd {
	const char *name;
	struct adash_err *e;
};

enum num_kind { NUM_ANY, NUM_NONNEG, NUM_POS, NUM_UNIT };

static const char *const num_kind_text[] = {
	[NUM_ANY] = "a number", [NUM_NONNEG] = "a number >= 0", [NUM_POS] = "a number > 0",
	[NUM_UNIT] = "a number from 0 to 1"
};

static int num_ok(double x, int kind)
{
	switch (kind) {
	case NUM_NONNEG: return isfinite(x) && x >= 0;
	case NUM_POS: return isfinite(x) && x > 0;
	case NUM_UNIT: return x >= 0 && x <= 1;
	default: return isfinite(x);
	}
}

/* Refuses any key of o not in keys (NULL-terminated). */
static int known_keys(struct rd *r, json_t *o, const char *const *keys, const char *where)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		size_t i, n = 0;
		char list[512];

		for (i = 0; keys[i] && strcmp(keys[i], key) != 0; i++)
			;
		if (keys[i])
			continue;
		list[0] = '\0';
		for (i = 0; keys[i] && n < sizeof list; i++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", keys[i]);
		return fail(r->e, r->name, "unknown key \"%.100s\"%s%s (known: %s)", key, in(where), where,
			    list);
	}
	return 0;
}

static json_t *need(struct rd *r, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		fail(r->e, r->name, "\"%s\"%s%s is missing", key, of(where), where);
	return v;
}

/* A non-empty string without NUL (or, when nullable, null: *out NULL). */
static int get_string(struct rd *r, json_t *o, const char *key, const char *where, int nullable,
		      char **out)
{
	json_t *v = need(r, o, key, where);

	if (!v)
		return -1;
	if (nullable && json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return fail(r->e, r->name, "\"%s\"%s%s must be a non-empty string%s", key, of(where), where,
			    nullable ? " or null" : "");
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int get_count(struct rd *r, json_t *o, const char *key, const char *where, size_t *out)
{
	json_t *v = need(r, o, key, where);

	if (!v)
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(r->e, r->name, "\"%s\"%s%s must be an integer >= 0", key, of(where), where);
	*out = (size_t)json_integer_value(v);
	return 0;
}

/* A finite number of kind; when nullable, null reads as NaN. */
static int get_number(struct rd *r, json_t *o, const char *key, const char *where, int kind,
		      int nullable, double *out)
{
	json_t *v = need(r, o, key, where);

	if (!v)
		return -1;
	if (nullable && json_is_null(v)) {
		*out = NAN;
		return 0;
	}
	if (!json_is_number(v) || !num_ok(json_number_value(v), kind))
		return fail(r->e, r->name, "\"%s\"%s%s must be %s%s", key, of(where), where,
			    num_kind_text[kind], nullable ? " or null" : "");
	*out = json_number_value(v);
	return 0;
}

#define ANY_LENGTH SIZE_MAX

/* An array v of numbers of kind, of length expect (or any up to max), into
 * *out (owned by the caller even on failure) and *n. */
static int get_numbers(struct rd *r, json_t *v, const char *key, const char *where, size_t expect,
		       size_t max, int kind, double **out, size_t *n)
{
	size_t i, len;
	json_t *x;

	if (!json_is_array(v))
		return fail(r->e, r->name, "\"%s\"%s%s must be an array of numbers", key, of(where), where);
	len = json_array_size(v);
	if (expect != ANY_LENGTH && len != expect)
		return fail(r->e, r->name, "\"%s\"%s%s has %zu entries, expected %zu", key, of(where), where,
			    len, expect);
	if (len > max)
		return fail(r->e, r->name, "\"%s\"%s%s has %zu entries, more than the limit of %zu", key,
			    of(where), where, len, max);
	*out = xmalloc((len ? len : 1) * sizeof **out);
	if (n)
		*n = len;
	json_array_foreach(v, i, x) {
		if (!json_is_number(x) || !num_ok(json_number_value(x), kind))
			return fail(r->e, r->name, "entry %zu of \"%s\"%s%s must be %s", i + 1, key, of(where),
				    where, num_kind_text[kind]);
		(*out)[i] = json_number_value(x);
	}
	return 0;
}

static int need_numbers(struct rd *r, json_t *o, const char *key, const char *where, size_t expect,
			size_t max, int kind, double **out, size_t *n)
{
	json_t *v = need(r, o, key, where);

	return v ? get_numbers(r, v, key, where, expect, max, kind, out, n) : -1;
}

static const char *const top_keys[] = {
	"format", "version", "program", "task", "algo", "target", "key", "time", "by",
	"log_target", "weight_half_life", "season", "penalty", "C", "class_weight", "inputs",
	"standardization", "pooled", "groups", "cv", "bandit", "data", NULL
};
/* Checklist: the fields only a classification has (read_classification). */
static const char *const class_keys[] = { "penalty", "C", "class_weight", NULL };
static const char *const input_keys[] = { "name", "type", "levels", NULL };
static const char *const std_keys[] = { "mean", "scale", NULL };
static const char *const fit_keys[] = {
	"group", "rows", "intercept", "coef", "cov", "lambda", "sigma2", "dof", "smearing",
	"residuals", NULL
};
static const char *const fold_keys[] = {
	"train_rows", "test_rows", "train_until", "test_until", "mae", "rmse", "mape", "mase", NULL
};
static const char *const class_fold_keys[] = {
	"train_rows", "test_rows", "train_until", "test_until", "auc", "logloss", "brier", NULL
};
static const char *const bandit_keys[] = { "alpha", "lambda", "sum_r", "sum_r2", "b", "A", NULL };
static const char *const data_keys[] = { "rows", "fingerprint", NULL };

/* task and algo, by name. */
static int read_task(struct rd *r, struct model *m, json_t *root)
{
	json_t *t = need(r, root, "task", ""), *a;
	const char *name;
	char list[256];

	if (!t)
		return -1;
	m->task = -1;
	for (size_t i = 0; i < NTASKS && json_is_string(t); i++)
		if (strcmp(json_string_value(t), task_names[i]) == 0)
			m->task = (int)i;
	if (m->task < 0)
		return fail(r->e, r->name, "\"task\" must be \"regression\", \"classification\" or \"bandit\"");
	if (!(a = need(r, root, "algo", "")))
		return -1;
	name = json_is_string(a) ? json_string_value(a) : NULL;
	for (size_t i = 0; name && i < NALGOS; i++)
		if (algos[i].task == m->task && strcmp(name, algos[i].name(algos[i].algo)) == 0) {
			m->algo = algos[i].algo;
			return 0;
		}
	algo_list(m->task, list, sizeof list);
	if (!list[0])
		return fail(r->e, r->name, "\"algo\": this adash has no %s algorithm",
			    task_names[m->task]);
	return fail(r->e, r->name, "\"algo\" must be a %s algorithm: one of %s",
		    task_names[m->task], list);
}

static int read_inputs(struct rd *r, struct model *m, json_t *root)
{
	json_t *a = need(r, root, "inputs", ""), *o;
	size_t i;

	if (!a)
		return -1;
	if (!json_is_array(a))
		return fail(r->e, r->name, "\"inputs\" must be an array");
	if (json_array_size(a) > MODEL_MAX_DESIGN)
		return fail(r->e, r->name, "\"inputs\" has %zu entries, more than the limit of %d design columns",
			    json_array_size(a), MODEL_MAX_DESIGN);
	m->ninputs = json_array_size(a);
	m->inputs = xcalloc(m->ninputs, sizeof *m->inputs);
	json_array_foreach(a, i, o) {
		struct model_input *p = &m->inputs[i];
		json_t *type, *levels, *l;
		char where[300];
		size_t k;

		snprintf(where, sizeof where, "input %zu", i + 1);
		if (!json_is_object(o))
			return fail(r->e, r->name, "entry %zu of \"inputs\" must be an object", i + 1);
		if (get_string(r, o, "name", where, 0, &p->name) < 0)
			return -1;
		snprintf(where, sizeof where, "input \"%.200s\"", p->name);
		if (known_keys(r, o, input_keys, where) < 0)
			return -1;
		if (!(type = need(r, o, "type", where)))
			return -1;
		if (json_is_string(type) && strcmp(json_string_value(type), "categorical") == 0)
			p->categorical = 1;
		else if (!json_is_string(type) || strcmp(json_string_value(type), "numeric") != 0)
			return fail(r->e, r->name, "\"type\" of %s must be \"numeric\" or \"categorical\"", where);
		levels = json_object_get(o, "levels");
		if (!p->categorical) {
			if (levels)
				return fail(r->e, r->name, "\"levels\" of %s is only for categorical inputs", where);
			continue;
		}
		if (!levels)
			return fail(r->e, r->name, "\"levels\" of %s is missing: a categorical input needs its levels",
				    where);
		if (!json_is_array(levels) || json_array_size(levels) == 0)
			return fail(r->e, r->name, "\"levels\" of %s must be a non-empty array of strings", where);
		if (json_array_size(levels) > MODEL_MAX_DESIGN)
			return fail(r->e, r->name, "\"levels\" of %s has %zu entries, more than the limit of %d design columns",
				    where, json_array_size(levels), MODEL_MAX_DESIGN);
		p->nlevels = json_array_size(levels);
		p->levels = xcalloc(p->nlevels, sizeof *p->levels);
		json_array_foreach(levels, k, l) {
			if (!json_is_string(l) || strlen(json_string_value(l)) != json_string_length(l))
				return fail(r->e, r->name, "entry %zu of \"levels\" of %s must be a string", k + 1, where);
			p->levels[k] = xstrdup(json_string_value(l));
		}
	}
	return layout(m, r->name, r->e);
}

static int read_standardization(struct rd *r, struct model *m, json_t *root)
{
	json_t *o = need(r, root, "standardization", "");
	const char *where = "\"standardization\"";

	if (!o)
		return -1;
	if (!json_is_object(o))
		return fail(r->e, r->name, "\"standardization\" must be an object");
	/* layout gave mean 0 and scale 1: replace both */
	free(m->mean);
	free(m->scale);
	m->mean = m->scale = NULL;
	if (known_keys(r, o, std_keys, where) < 0 ||
	    need_numbers(r, o, "mean", where, m->ndesign, MODEL_MAX_DESIGN, NUM_ANY, &m->mean, NULL) < 0 ||
	    need_numbers(r, o, "scale", where, m->ndesign, MODEL_MAX_DESIGN, NUM_POS, &m->scale, NULL) < 0)
		return -1;
	return 0;
}

/* One FIT object o into f; where names it ("\"pooled\"", "group ...").
 * group: 1 in "groups", where "group" is required and comes first. */
static int read_fit(struct rd *r, const struct model *m, json_t *o, struct model_fit *f,
		    const char *where, int group)
{
	char gwhere[300];
	size_t nd = m->ndesign, nn;
	json_t *cov;

	if (group) {
		if (get_string(r, o, "group", where, 0, &f->group) < 0)
			return -1;
		snprintf(gwhere, sizeof gwhere, "group \"%.200s\"", f->group);
		where = gwhere;
	} else if (json_object_get(o, "group")) {
		return fail(r->e, r->name, "%s must not have a \"group\" (only fits in \"groups\" do)", where);
	}
	if (known_keys(r, o, fit_keys, where) < 0)
		return -1;
	if (get_count(r, o, "rows", where, &f->rows) < 0 ||
	    get_number(r, o, "intercept", where, NUM_ANY, 0, &f->intercept) < 0 ||
	    need_numbers(r, o, "coef", where, nd, MODEL_MAX_DESIGN, NUM_ANY, &f->coef, NULL) < 0)
		return -1;
	cov = json_object_get(o, "cov");
	nn = nd * nd;   /* nd <= MODEL_MAX_DESIGN: no overflow */
	if (cov && !json_is_null(cov) &&
	    get_numbers(r, cov, "cov", where, nn, nn, NUM_ANY, &f->cov, NULL) < 0)
		return -1;
	if (get_number(r, o, "lambda", where, NUM_NONNEG, 0, &f->lambda) < 0 ||
	    get_number(r, o, "sigma2", where, NUM_NONNEG, 0, &f->sigma2) < 0 ||
	    get_number(r, o, "dof", where, NUM_NONNEG, 0, &f->dof) < 0 ||
	    get_number(r, o, "smearing", where, NUM_POS, 0, &f->smearing) < 0 ||
	    need_numbers(r, o, "residuals", where, ANY_LENGTH, MODEL_MAX_RESIDUALS, NUM_ANY,
			 &f->residuals, &f->nresiduals) < 0)
		return -1;
	return 0;
}

static int read_fits(struct rd *r, struct model *m, json_t *root)
{
	json_t *p = need(r, root, "pooled", ""), *a, *o;
	struct hashmap *idx;
	size_t i;

	if (!p)
		return -1;
	if (!json_is_null(p)) {
		if (!json_is_object(p))
			return fail(r->e, r->name, "\"pooled\" must be an object or null");
		m->has_pooled = 1;
		if (read_fit(r, m, p, &m->pooled, "\"pooled\"", 0) < 0)
			return -1;
	}
	if (!(a = need(r, root, "groups", "")))
		return -1;
	if (!json_is_array(a))
		return fail(r->e, r->name, "\"groups\" must be an array");
	if (json_array_size(a) > MODEL_MAX_GROUPS)
		return fail(r->e, r->name, "\"groups\" has %zu entries, more than the limit of %d",
			    json_array_size(a), MODEL_MAX_GROUPS);
	if (json_array_size(a) > 0 && !m->by)
		return fail(r->e, r->name, "\"groups\" holds fits but \"by\" is null");
	if (json_array_size(a) == 0 && !m->has_pooled)
		return fail(r->e, r->name, "no fit: \"pooled\" is null and \"groups\" is empty");
	m->ngroups = json_array_size(a);
	m->groups = xcalloc(m->ngroups, sizeof *m->groups);
	idx = xmalloc(sizeof *idx);
	hashmap_init(idx);
	m->group_index = idx;
	json_array_foreach(a, i, o) {
		struct model_fit *f = &m->groups[i];
		struct hashmap_entry *en;
		char where[64];
		int added;

		snprintf(where, sizeof where, "entry %zu of \"groups\"", i + 1);
		if (!json_is_object(o))
			return fail(r->e, r->name, "%s must be an object", where);
		if (read_fit(r, m, o, f, where, 1) < 0)
			return -1;
		en = hashmap_put(idx, f->group, strlen(f->group), &added);
		if (!added)
			return fail(r->e, r->name, "group \"%.200s\" appears twice in \"groups\"", f->group);
		en->val.num = (int64_t)i;
	}
	return 0;
}

static int read_folds(struct rd *r, struct model *m, json_t *root)
{
	json_t *a = need(r, root, "cv", ""), *o;
	size_t i;

	if (!a)
		return -1;
	if (!json_is_array(a))
		return fail(r->e, r->name, "\"cv\" must be an array");
	m->nfolds = json_array_size(a);
	m->folds = xcalloc(m->nfolds, sizeof *m->folds);
	json_array_foreach(a, i, o) {
		struct model_fold *f = &m->folds[i];
		char where[64];

		snprintf(where, sizeof where, "cv fold %zu", i + 1);
		if (!json_is_object(o))
			return fail(r->e, r->name, "%s must be an object", where);
		f->mae = f->rmse = f->mape = f->mase = NAN;
		f->auc = f->logloss = f->brier = NAN;
		if (known_keys(r, o, m->task == TASK_CLASSIFICATION ? class_fold_keys : fold_keys, where) < 0 ||
		    get_count(r, o, "train_rows", where, &f->train_rows) < 0 ||
		    get_count(r, o, "test_rows", where, &f->test_rows) < 0 ||
		    get_string(r, o, "train_until", where, 1, &f->train_until) < 0 ||
		    get_string(r, o, "test_until", where, 1, &f->test_until) < 0)
			return -1;
		if (m->task == TASK_CLASSIFICATION) {
			if (get_number(r, o, "auc", where, NUM_UNIT, 1, &f->auc) < 0 ||
			    get_number(r, o, "logloss", where, NUM_NONNEG, 1, &f->logloss) < 0 ||
			    get_number(r, o, "brier", where, NUM_UNIT, 1, &f->brier) < 0)
				return -1;
		} else if (get_number(r, o, "mae", where, NUM_NONNEG, 1, &f->mae) < 0 ||
			   get_number(r, o, "rmse", where, NUM_NONNEG, 1, &f->rmse) < 0 ||
			   get_number(r, o, "mape", where, NUM_NONNEG, 1, &f->mape) < 0 ||
			   get_number(r, o, "mase", where, NUM_NONNEG, 1, &f->mase) < 0) {
			return -1;
		}
	}
	return 0;
}

static int is_fingerprint(const char *s)
{
	if (strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return 0;
	for (s += 7; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static int read_data(struct rd *r, struct model *m, json_t *root)
{
	json_t *o = need(r, root, "data", "");
	const char *where = "\"data\"";

	if (!o)
		return -1;
	if (!json_is_object(o))
		return fail(r->e, r->name, "\"data\" must be an object");
	if (known_keys(r, o, data_keys, where) < 0 || get_count(r, o, "rows", where, &m->rows) < 0 ||
	    get_string(r, o, "fingerprint", where, 0, &m->fingerprint) < 0)
		return -1;
	if (!is_fingerprint(m->fingerprint))
		return fail(r->e, r->name, "\"fingerprint\" of \"data\" must be \"sha256:\" and 64 lowercase hex digits");
	return 0;
}

/* penalty, C and class_weight: required of a classification, refused in a
 * regression. */
static int read_classification(struct rd *r, struct model *m, json_t *root)
{
	json_t *v;
	double *w = NULL;
	int rc;

	if (m->task != TASK_CLASSIFICATION) {
		for (size_t i = 0; class_keys[i]; i++)
			if (json_object_get(root, class_keys[i]))
				return fail(r->e, r->name, "\"%s\" is only for a classification", class_keys[i]);
		return 0;
	}
	if (!(v = need(r, root, "penalty", "")))
		return -1;
	m->penalty = json_is_string(v) ? classify_penalty_from_name(json_string_value(v)) : -1;
	if (m->penalty < 0)
		return fail(r->e, r->name, "\"penalty\" must be \"l2\" or \"l1\"");
	if (get_number(r, root, "C", "", NUM_POS, 0, &m->C) < 0)
		return -1;
	rc = need_numbers(r, root, "class_weight", "", 2, 2, NUM_POS, &w, NULL);
	if (rc == 0)
		memcpy(m->class_weight, w, sizeof m->class_weight);
	free(w);
	return rc;
}

/* The statistics of a bandit model (required there, refused elsewhere),
 * and the shape a bandit model has (see the top of the file): read after
 * the fits and the standardization, which they are checked against. */
static int read_bandit(struct rd *r, struct model *m, json_t *root)
{
	json_t *o = json_object_get(root, "bandit");
	const char *where = "\"bandit\"";
	struct adash_err why;
	struct bandit *s;
	double *theta;
	size_t p;
	int good;

	if (m->task != TASK_BANDIT) {
		if (o)
			return fail(r->e, r->name, "\"bandit\" is only for a bandit model");
		return 0;
	}
	if (m->ndesign > BANDIT_MAX_DESIGN)
		return fail(r->e, r->name, "a bandit model has at most %d design columns, this one %zu",
			    BANDIT_MAX_DESIGN, m->ndesign);
	if (m->by || m->ngroups > 0 || !m->has_pooled)
		return fail(r->e, r->name, "a bandit model has one fit, \"pooled\", and \"by\" null");
	if (m->weight_half_life != 0)
		return fail(r->e, r->name, "a bandit model has no row weights");
	if (m->nfolds > 0)
		return fail(r->e, r->name, "a bandit model is not cross-validated: \"cv\" must be empty");
	for (size_t j = 0; j < m->ndesign; j++)
		if (m->mean[j] != 0 || m->scale[j] != 1)
			return fail(r->e, r->name, "\"standardization\" of a bandit model must be mean 0 and scale 1 (its statistics add up only on raw columns)");
	if (m->pooled.cov || m->pooled.nresiduals > 0)
		return fail(r->e, r->name, "\"pooled\" of a bandit model has \"cov\" null and no residuals");
	if (!(o = need(r, root, "bandit", "")))
		return -1;
	if (!json_is_object(o))
		return fail(r->e, r->name, "\"bandit\" must be an object");
	p = m->ndesign + 1;
	s = m->bandit = xcalloc(1, sizeof *s);
	s->p = p;
	if (known_keys(r, o, bandit_keys, where) < 0 ||
	    get_number(r, o, "alpha", where, NUM_NONNEG, 0, &s->alpha) < 0 ||
	    get_number(r, o, "lambda", where, NUM_POS, 0, &s->lambda) < 0 ||
	    get_number(r, o, "sum_r", where, NUM_ANY, 0, &s->sum_r) < 0 ||
	    get_number(r, o, "sum_r2", where, NUM_NONNEG, 0, &s->sum_r2) < 0 ||
	    need_numbers(r, o, "b", where, p, p, NUM_ANY, &s->b, NULL) < 0 ||
	    need_numbers(r, o, "A", where, p * p, p * p, NUM_ANY, &s->A, NULL) < 0)
		return -1;
	theta = xmalloc(p * sizeof *theta);
	theta[0] = m->pooled.intercept;
	memcpy(theta + 1, m->pooled.coef, m->ndesign * sizeof *theta);
	/* positive definite first (the factor reads the lower triangle),
	 * then symmetric and solved */
	good = bandit_prepare(s, theta, m->pooled.sigma2, &why) == 0 && bandit_check(s, theta, &why) == 0;
	free(theta);
	return good ? 0 : fail(r->e, r->name, "%s", why.msg);
}

/* Everything but the version check, in the order of the file. */
static int read_model(struct rd *r, struct model *m, json_t *root)
{
	json_t *v;

	if (known_keys(r, root, top_keys, "") < 0 ||
	    get_string(r, root, "program", "", 0, &m->program) < 0 ||
	    read_task(r, m, root) < 0 ||
	    get_string(r, root, "target", "", 0, &m->target) < 0 ||
	    get_string(r, root, "key", "", 1, &m->key) < 0 ||
	    get_string(r, root, "time", "", 1, &m->time) < 0 ||
	    get_string(r, root, "by", "", 1, &m->by) < 0)
		return -1;
	if (!(v = need(r, root, "log_target", "")))
		return -1;
	if (!json_is_boolean(v))
		return fail(r->e, r->name, "\"log_target\" must be true or false");
	m->log_target = json_is_true(v);
	if (m->log_target && m->task != TASK_REGRESSION)
		return fail(r->e, r->name, "\"log_target\" is true, but only a regression has a log target");
	if (get_number(r, root, "weight_half_life", "", NUM_NONNEG, 0, &m->weight_half_life) < 0 ||
	    !(v = need(r, root, "season", "")))
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > INT_MAX)
		return fail(r->e, r->name, "\"season\" must be an integer >= 0 (days)");
	m->season = (int)json_integer_value(v);
	if (read_classification(r, m, root) < 0 || read_inputs(r, m, root) < 0 || read_standardization(r, m, root) < 0 ||
	    read_fits(r, m, root) < 0 || read_folds(r, m, root) < 0 || read_bandit(r, m, root) < 0 ||
	    read_data(r, m, root) < 0)
		return -1;
	return 0;
}

int model_header_from_json(struct model *m, json_t *root, const char *name, struct adash_err *e)
{
	struct rd r = { name, e };
	json_t *v;

	if (get_string(&r, root, "program", "", 0, &m->program) < 0 || read_task(&r, m, root) < 0 ||
	    get_string(&r, root, "target", "", 0, &m->target) < 0 ||
	    get_string(&r, root, "key", "", 1, &m->key) < 0 ||
	    get_string(&r, root, "time", "", 1, &m->time) < 0 || !(v = need(&r, root, "season", "")))
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > INT_MAX)
		return fail(e, name, "\"season\" must be an integer >= 0 (days)");
	m->season = (int)json_integer_value(v);
	return read_inputs(&r, m, root) < 0 || read_data(&r, m, root) < 0 ? -1 : 0;
}

/* root is only read (the caller keeps its reference).  A NULL name leaves
 * the file name out of messages, for model_save's check. */
int model_from_json(struct model *m, json_t *root, const char *name, struct adash_err *e)
{
	struct rd r = { name, e };
	json_t *v;

	model_init(m);
	if (!json_is_object(root))
		return fail(e, name, "not an adash model file: not a JSON object");
	v = json_object_get(root, "format");
	if (!v)
		return fail(e, name, "\"format\" is missing: not an adash model file");
	if (!json_is_string(v) || strcmp(json_string_value(v), MODEL_FORMAT) != 0)
		return fail(e, name, "\"format\" must be \"%s\": not an adash model file", MODEL_FORMAT);
	v = json_object_get(root, "version");
	if (!v)
		return fail(e, name, "\"version\" is missing");
	if (json_is_integer(v) && json_integer_value(v) > MODEL_VERSION)
		return fail(e, name, "was written by a newer adash (model version %" JSON_INTEGER_FORMAT
			    "; this one reads version %d)", json_integer_value(v), MODEL_VERSION);
	if (!json_is_integer(v) || json_integer_value(v) != MODEL_VERSION)
		return fail(e, name, "\"version\" must be %d", MODEL_VERSION);
	if (read_model(&r, m, root) < 0) {
		model_free(m);
		return -1;
	}
	return 0;
}

int model_load_buffer(struct model *m, const char *data, size_t len, const char *name,
		      struct adash_err *e)
{
	json_error_t jerr;
	json_t *root;
	int rc;

	model_init(m);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0)
			return err_set(e, ADASH_EDATA, "%s:%d: not a model file: invalid JSON: %s", name,
				       jerr.line, jerr.text);
		return err_set(e, ADASH_EDATA, "%s: not a model file: invalid JSON: %s", name, jerr.text);
	}
	rc = model_from_json(m, root, name, e);
	json_decref(root);
	return rc;
}

int model_load(struct model *m, const char *path, struct adash_err *e)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int fd, rc;

	model_init(m);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ADASH_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(e, ADASH_EIO, "%s: is a directory", path);
	}
	for (;;) {
		ssize_t n;

		buf_reserve(&b, 65536);
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, ADASH_EIO, "%s: read error: %s", path, strerror(errno));
			close(fd);
			buf_free(&b);
			return -1;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
	}
	close(fd);
	rc = model_load_buffer(m, b.data, b.len, path, e);
	buf_free(&b);
	return rc;
}

/* ---- the text ---------------------------------------------------------- */

static void put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	buf_addch(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:
			if (c < 0x20) {
				char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				buf_add(b, u, sizeof u);
			} else {
				buf_addch(b, (char)c);
			}
		}
	}
	buf_addch(b, '"');
}

/* Shortest round-trip text, which jansson reads back as the same double. */
static void put_number(struct buf *b, double x)
{
	char t[NUM_FORMAT_MAX];
	size_t n, i, digits;
	int integer;

	if (x == 0 && signbit(x)) {
		buf_addstr(b, "-0.0");   /* "-0" would read as the integer 0 */
		return;
	}
	n = num_format(x, t);
	buf_add(b, t, n);
	/* jansson reads integer text as int64 and refuses anything beyond:
	 * "1e20" is written "100000000000000000000", so say it is real */
	i = t[0] == '-';
	digits = n - i;
	integer = 1;
	for (size_t k = i; k < n; k++)
		integer &= t[k] >= '0' && t[k] <= '9';
	if (integer && (digits > 19 || (digits == 19 &&
			memcmp(t + i, i ? "9223372036854775808" : "9223372036854775807", 19) > 0)))
		buf_add(b, ".0", 2);
}

static void put_scalar(struct buf *b, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		put_number(b, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_addstr(b, "true");
		break;
	case JSON_FALSE:
		buf_addstr(b, "false");
		break;
	case JSON_NULL:
	case JSON_OBJECT:
	case JSON_ARRAY:
	default:
		buf_addstr(b, "null");
		break;
	}
}

static int is_container(json_t *v)
{
	return json_is_object(v) || json_is_array(v);
}

static void put_compact(struct buf *b, json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		buf_addch(b, '[');
		json_array_foreach(v, i, x) {
			if (i)
				buf_add(b, ", ", 2);
			put_compact(b, x);
		}
		buf_addch(b, ']');
	} else if (json_is_object(v)) {
		i = 0;
		buf_addch(b, '{');
		json_object_foreach(v, key, x) {
			if (i++)
				buf_add(b, ", ", 2);
			put_string(b, key, strlen(key));
			buf_add(b, ": ", 2);
			put_compact(b, x);
		}
		buf_addch(b, '}');
	} else {
		put_scalar(b, v);
	}
}

/* An object made of scalars and non-empty string arrays (an input, a cv
 * fold, never a fit): one line when it is an array's element. */
static int flat_object(json_t *o)
{
	const char *key;
	json_t *x, *y;
	size_t i;

	json_object_foreach(o, key, x) {
		if (json_is_object(x))
			return 0;
		if (json_is_array(x)) {
			if (json_array_size(x) == 0)
				return 0;
			json_array_foreach(x, i, y)
				if (!json_is_string(y))
					return 0;
		}
	}
	return 1;
}

static void indent(struct buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		buf_add(b, "  ", 2);
}

static void put_pretty(struct buf *b, json_t *v, int depth, int in_array)
{
	const char *key;
	json_t *x;
	size_t i, n;
	int flat;

	if (json_is_object(v)) {
		if (json_object_size(v) == 0 || (in_array && flat_object(v))) {
			put_compact(b, v);
			return;
		}
		buf_add(b, "{\n", 2);
		n = json_object_size(v);
		i = 0;
		json_object_foreach(v, key, x) {
			indent(b, depth + 1);
			put_string(b, key, strlen(key));
			buf_add(b, ": ", 2);
			put_pretty(b, x, depth + 1, 0);
			if (++i < n)
				buf_addch(b, ',');
			buf_addch(b, '\n');
		}
		indent(b, depth);
		buf_addch(b, '}');
	} else if (json_is_array(v)) {
		flat = 1;
		json_array_foreach(v, i, x)
			flat &= !is_container(x);
		if (flat) {
			put_compact(b, v);
			return;
		}
		buf_add(b, "[\n", 2);
		n = json_array_size(v);
		json_array_foreach(v, i, x) {
			indent(b, depth + 1);
			put_pretty(b, x, depth + 1, 1);
			if (i + 1 < n)
				buf_addch(b, ',');
			buf_addch(b, '\n');
		}
		indent(b, depth);
		buf_addch(b, ']');
	} else {
		put_scalar(b, v);
	}
}

int model_save(const struct model *m, const char *path, struct adash_err *e)
{
	json_t *root = model_to_json(m);
	struct model check;

	if (model_from_json(&check, root, NULL, e) < 0) {
		char why[ADASH_ERR_MSG_MAX];

		json_decref(root);
		memcpy(why, e->msg, sizeof why);
		return err_set(e, ADASH_EINTERNAL, "%s: internal error: the model is not valid, not written: %s",
			       path, why);
	}
	model_free(&check);
	return model_write_json(root, path, e);
}

int model_write_json(json_t *root, const char *path, struct adash_err *e)
{
	struct atomic_file af;
	struct buf b = BUF_INIT;

	put_pretty(&b, root, 0, 0);
	buf_addch(&b, '\n');
	json_decref(root);
	if (atomic_open(&af, path, e) < 0) {
		buf_free(&b);
		return -1;
	}
	fwrite(b.data, 1, b.len, af.fp);   /* atomic_commit checks ferror */
	buf_free(&b);
	return atomic_commit(&af, e);
}
