/*
 * Unit tests of lib/train: a model trained through the whole path (column
 * choice, one-hot, standardization, lib/regress, the model file's predict
 * path) predicts what a direct GSL least-squares solve on the raw design
 * predicts; ridge with a fixed penalty matches the normal equations in the
 * standardized space; cross-validation folds train only on earlier days.
 *
 * logreg on an events-like table (user_id, item_id, asof timestamps, role,
 * item_type, counts, a 0/1 label drawn from a known logistic model of two
 * columns): no key guessed between the two id columns, the asof column
 * found and cut into folds, the coefficients' signs and order recovered,
 * probabilities in (0, 1) that rank well, C chosen from the grid
 * deterministically, L1 zeros for noise, balanced weights raising a rare
 * class's predictions, labels true/false, and a label that is neither.
 *
 * Bandits on the same table (the label as the reward): the statistics and
 * theta against a design and a solve made here; training on the first rows
 * and updating with the rest (through a saved file) against training on
 * all of them, bit for bit; updates without rows; an unseen level; and the
 * refusals.
 */
#include "bandit.h"
#include "classify.h"
#include "metrics.h"
#include "model.h"
#include "table.h"
#include "tap.h"
#include "train.h"
#include "xalloc.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 120

static const char *const colors[] = { "red", "green", "blue" };

/* A feature table: key, date, x1, x2, color (text), dow, y. */
static char *write_fixture(void)
{
	static char path[] = "/tmp/adash-test-train-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	gsl_rng_set(r, 5);
	fprintf(f, "shop_id,date,x1,x2,color,dow,y\n");
	for (int i = 0; i < N; i++) {
		double x1 = gsl_ran_gaussian(r, 2), x2 = gsl_rng_uniform(r) * 10;
		int c = (int)gsl_rng_uniform_int(r, 3), dow = i % 7 + 1;
		double y = 3 + 1.5 * x1 - 0.7 * x2 + (c == 1 ? 2 : c == 2 ? -1 : 0) + 0.3 * dow +
			   gsl_ran_gaussian(r, 0.5);

		fprintf(f, "s%d,2024-%02d-%02d,%.6f,%.6f,%s,%d,%.6f\n", i % 2, 1 + i / 2 / 28,
			1 + i / 2 % 28, x1, x2, colors[c], dow, y);
	}
	fclose(f);
	gsl_rng_free(r);
	return path;
}

static const char *fixture;

/* A fresh table of the fixture: train_model drops a table's cells. */
static struct table read_fixture(void)
{
	char *inputs[] = { (char *)fixture, NULL };
	struct reader_options ro;
	struct table t;
	struct adash_err e;

	memset(&ro, 0, sizeof ro);
	if (table_read(&t, inputs, &ro, &e) < 0) {
		printf("# fixture: %s\n", e.msg);
		exit(1);
	}
	return t;
}

static double predict_row(const struct model *m, const struct table *t, size_t row)
{
	double *x = xcalloc(m->ndesign + 1, sizeof *x);
	double eta;

	for (size_t i = 0; i < m->ninputs; i++) {
		const char *v = table_cell(t, row, (size_t)table_col(t, m->inputs[i].name));

		model_encode_text(m, i, v, strlen(v), x);
	}
	eta = model_output(m, &m->pooled, model_linear(m, &m->pooled, x));
	free(x);
	return eta;
}

/* The raw design with an intercept: x1, x2, color one-hot less one level,
 * dow one-hot less one level (a full-rank parametrization of the same
 * model, whose least-squares predictions must be the same). */
static void direct_ols(const struct table *t, double *pred)
{
	size_t p = 1 + 2 + 2 + 6;
	gsl_matrix *X = gsl_matrix_calloc(t->nrows, p), *cov = gsl_matrix_alloc(p, p);
	gsl_vector *y = gsl_vector_alloc(t->nrows), *c = gsl_vector_alloc(p);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(t->nrows, p);
	double chisq;

	for (size_t i = 0; i < t->nrows; i++) {
		const char *color = table_cell(t, i, 4);
		int dow = atoi(table_cell(t, i, 5));

		gsl_matrix_set(X, i, 0, 1);
		gsl_matrix_set(X, i, 1, atof(table_cell(t, i, 2)));
		gsl_matrix_set(X, i, 2, atof(table_cell(t, i, 3)));
		if (strcmp(color, "green") == 0)
			gsl_matrix_set(X, i, 3, 1);
		if (strcmp(color, "blue") == 0)
			gsl_matrix_set(X, i, 4, 1);
		if (dow > 1)
			gsl_matrix_set(X, i, 5 + (size_t)(dow - 2), 1);
		gsl_vector_set(y, i, atof(table_cell(t, i, 6)));
	}
	gsl_multifit_linear(X, y, c, cov, &chisq, w);
	for (size_t i = 0; i < t->nrows; i++) {
		gsl_vector_view row = gsl_matrix_row(X, i);
		double yi;

		gsl_blas_ddot(&row.vector, c, &yi);
		pred[i] = yi;
	}
	gsl_multifit_linear_free(w);
	gsl_matrix_free(X);
	gsl_matrix_free(cov);
	gsl_vector_free(y);
	gsl_vector_free(c);
}

static struct train_options base_options(void)
{
	struct train_options o;
	static char *feats[] = { "x1", "x2", "color", "dow", NULL };

	memset(&o, 0, sizeof o);
	o.target = "y";
	o.features = feats;
	o.fit.algo = REGRESS_OLS;
	o.fit.svr_epsilon = -1;
	o.season = 7;
	o.pooled = 1;
	o.program = "test";
	o.prog = "test";
	return o;
}

static void test_ols_matches_gsl(void)
{
	struct table tt = read_fixture(), *t = &tt;
	struct train_options o = base_options();
	struct model m;
	struct adash_err e;
	double pred[N], worst = 0;
	int rc;

	model_init(&m);
	rc = train_model(&o, t, &m, &e);
	is_int(rc, 0, "ols trains (%s)", rc ? e.msg : "");
	if (rc) {
		table_free(t);
		return;
	}
	is_str(m.key, "shop_id", "the one text column outside --features is the key");
	is_str(m.time, "date", "the date column is the time");
	is_int(m.ninputs, 4, "four inputs");
	ok(m.inputs[2].categorical && m.inputs[2].nlevels == 3, "a text column is one-hot with its 3 levels");
	ok(m.inputs[3].categorical && m.inputs[3].nlevels == 7, "dow is one-hot by the feature grammar");
	is_int(m.ndesign, 12, "12 design columns");
	table_free(t);
	tt = read_fixture();   /* training dropped the cells */
	direct_ols(t, pred);
	for (size_t i = 0; i < t->nrows; i++) {
		double d = fabs(predict_row(&m, t, i) - pred[i]) / (fabs(pred[i]) + 1);

		if (d > worst)
			worst = d;
	}
	ok(worst < 1e-9, "predictions equal a direct GSL least-squares fit (worst relative %.3g)", worst);
	model_free(&m);
	table_free(t);
}

/* Ridge with a fixed penalty: (Z'Z + l^2 I) b = Z'(y - mean y) in the
 * standardized space the model stores. */
static void test_ridge_fixed(void)
{
	struct table tt = read_fixture(), *t = &tt;
	struct train_options o = base_options();
	static char *num[] = { "x1", "x2", NULL };
	struct model m;
	struct adash_err e;
	const double lambda = 3;
	double worst = 0;

	o.features = num;
	o.key = "shop_id";   /* two text columns: the key must be named */
	o.fit.algo = REGRESS_RIDGE;
	o.fit.lambda_mode = LAMBDA_FIXED;
	o.fit.lambda = lambda;
	model_init(&m);
	if (train_model(&o, t, &m, &e) < 0) {
		ok(0, "ridge trains: %s", e.msg);
		table_free(t);
		return;
	}
	table_free(t);
	tt = read_fixture();   /* training dropped the cells */
	{
		gsl_matrix *A = gsl_matrix_calloc(2, 2);
		gsl_vector *b = gsl_vector_calloc(2), *beta = gsl_vector_alloc(2);
		gsl_permutation *perm = gsl_permutation_alloc(2);
		double ybar = 0;
		int sign;

		for (size_t i = 0; i < t->nrows; i++)
			ybar += atof(table_cell(t, i, 6)) / (double)t->nrows;
		for (size_t i = 0; i < t->nrows; i++) {
			double z[2], yc = atof(table_cell(t, i, 6)) - ybar;

			for (int j = 0; j < 2; j++)
				z[j] = (atof(table_cell(t, i, 2 + (size_t)j)) - m.mean[j]) / m.scale[j];
			for (int j = 0; j < 2; j++) {
				for (int k = 0; k < 2; k++)
					*gsl_matrix_ptr(A, (size_t)j, (size_t)k) += z[j] * z[k];
				*gsl_vector_ptr(b, (size_t)j) += z[j] * yc;
			}
		}
		for (int j = 0; j < 2; j++)
			*gsl_matrix_ptr(A, (size_t)j, (size_t)j) += lambda * lambda;
		gsl_linalg_LU_decomp(A, perm, &sign);
		gsl_linalg_LU_solve(A, perm, b, beta);
		for (int j = 0; j < 2; j++) {
			double d = fabs(m.pooled.coef[j] - gsl_vector_get(beta, (size_t)j)) /
				   (fabs(gsl_vector_get(beta, (size_t)j)) + 1e-12);

			if (d > worst)
				worst = d;
		}
		gsl_matrix_free(A);
		gsl_vector_free(b);
		gsl_vector_free(beta);
		gsl_permutation_free(perm);
	}
	ok(worst < 1e-9, "ridge coefficients solve the penalized normal equations (worst relative %.3g)", worst);
	ok(m.pooled.lambda == lambda, "the model stores the penalty");
	model_free(&m);
	table_free(t);
}

static void test_folds(void)
{
	struct table tt = read_fixture(), *t = &tt;
	struct train_options o = base_options();
	struct model m;
	struct adash_err e;

	o.cv = 3;
	model_init(&m);
	if (train_model(&o, t, &m, &e) < 0) {
		ok(0, "cv trains: %s", e.msg);
		table_free(t);
		return;
	}
	is_int(m.nfolds, 3, "three folds");
	for (size_t k = 0; k < m.nfolds; k++) {
		ok(strcmp(m.folds[k].train_until, m.folds[k].test_until) < 0,
		   "fold %zu trains to %s, before its test days end (%s)", k + 1,
		   m.folds[k].train_until, m.folds[k].test_until);
		if (k)
			ok(strcmp(m.folds[k].train_until, m.folds[k - 1].test_until) == 0 &&
			   m.folds[k].train_rows == m.folds[k - 1].train_rows + m.folds[k - 1].test_rows,
			   "fold %zu's window expands by fold %zu's test days", k + 1, k);
		ok(isfinite(m.folds[k].mae) && isfinite(m.folds[k].rmse) && m.folds[k].rmse >= m.folds[k].mae,
		   "fold %zu: RMSE >= MAE", k + 1);
	}
	ok(m.pooled.nresiduals > 0 && m.pooled.nresiduals < t->nrows,
	   "residuals are the out-of-fold ones (%zu of %zu rows)", m.pooled.nresiduals, t->nrows);
	model_free(&m);
	table_free(t);
}

static void test_errors(void)
{
	struct table tt = read_fixture(), *t = &tt;
	struct train_options o = base_options();
	struct model m;
	struct adash_err e;
	static char *bad[] = { "x1", "nosuch", NULL };

	o.features = bad;
	model_init(&m);
	is_int(train_model(&o, t, &m, &e), -1, "an unknown --features column fails");
	is_int(e.code, 2, "as a usage error");
	model_free(&m);
	o = base_options();
	o.features = NULL;
	o.key = "shop_id";
	o.target = "color";
	model_init(&m);
	is_int(train_model(&o, t, &m, &e), -1, "a text target fails");
	is_int(e.code, 1, "as a data error");
	ok(strstr(e.msg, "not a number") != NULL, "saying so: %s", e.msg);
	model_free(&m);
	table_free(t);
}

/* ---- logreg ---------------------------------------------------------------- */

#define EV_DAYS 24
#define EV_USERS 8
#define EV_ITEMS 6

/* An events feature table: label ~ Bernoulli(logistic(b0 + 1.2 z(open_7d)
 * - 0.8 z(ratio))), z standardizing; noise1, noise2 unrelated.  labels:
 * "01" or "tf" (true/false); bad_row > 0 writes label 2 on that data row. */
static char *write_events(const char *path_template, double b0, const char *labels, int bad_row)
{
	static char paths[4][64];
	static int which;
	char *path = paths[which++ & 3];
	int fd, row = 0;
	FILE *f;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	snprintf(path, sizeof paths[0], "%s", path_template);
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	gsl_rng_set(r, 11);
	fprintf(f, "user_id,item_id,asof,role,item_type,open_7d,ratio,hour,dow,noise1,noise2,label\n");
	for (int d = 0; d < EV_DAYS; d++)
		for (int u = 0; u < EV_USERS; u++)
			for (int i = 0; i < EV_ITEMS; i++) {
				int open = (int)gsl_rng_uniform_int(r, 10), hour = (int)gsl_rng_uniform_int(r, 24);
				double ratio = gsl_rng_uniform(r), n1 = gsl_ran_gaussian(r, 1), n2 = gsl_rng_uniform(r);
				double eta = b0 + 1.2 * (open - 4.5) / 2.87 - 0.8 * (ratio - 0.5) / 0.289;
				int y = gsl_rng_uniform(r) < 1 / (1 + exp(-eta));
				const char *ys = labels[0] == 't' ? (y ? "true" : "false") : (y ? "1" : "0");

				if (++row == bad_row)
					ys = "2";
				fprintf(f, "u%d,w%d,2024-02-%02dT00:00:00Z,%s,%s,%d,%.5f,%d,%d,%.5f,%.5f,%s\n", u, i,
					d + 1, u % 3 ? "analyst" : "admin", i % 2 ? "kpi" : "chart", open, ratio, hour,
					d % 7 + 1, n1, n2, ys);
			}
	fclose(f);
	gsl_rng_free(r);
	return path;
}

static struct table read_path(const char *path)
{
	char *inputs[] = { (char *)path, NULL };
	struct reader_options ro;
	struct table t;
	struct adash_err e;

	memset(&ro, 0, sizeof ro);
	if (table_read(&t, inputs, &ro, &e) < 0) {
		printf("# %s: %s\n", path, e.msg);
		exit(1);
	}
	return t;
}

static struct train_options logreg_options(void)
{
	struct train_options o;

	memset(&o, 0, sizeof o);
	o.target = "label";
	o.task = TASK_CLASSIFICATION;
	o.cls.penalty = PENALTY_L2;
	o.cls.C = 1;
	o.cls.weight[0] = o.cls.weight[1] = 1;
	o.season = 7;
	o.pooled = 1;
	o.program = "test";
	o.prog = "test";
	return o;
}

/* Trains o on path into m; 0 or -1 (with a failed test point). */
static int train_path(const struct train_options *o, const char *path, struct model *m, struct adash_err *e)
{
	struct table t = read_path(path);
	int rc;

	model_init(m);
	rc = train_model(o, &t, m, e);
	table_free(&t);
	return rc;
}

static long input_at(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->ninputs; i++)
		if (strcmp(m->inputs[i].name, name) == 0)
			return (long)m->inputs[i].offset;
	return -1;
}

static const char *events;

static void test_logreg(void)
{
	struct train_options o = logreg_options();
	struct model m;
	struct adash_err e;
	struct table t;
	struct class_metrics cm;
	double lo = 1, hi = 0;
	long jo, jr, j1, j2;
	int rc;

	rc = train_path(&o, events, &m, &e);
	is_int(rc, 0, "logreg trains on the events table (%s)", rc ? e.msg : "");
	if (rc)
		return;
	ok(m.task == TASK_CLASSIFICATION && m.algo == CLASSIFY_LOGREG, "task classification, algo logreg");
	ok(m.key == NULL, "no key guessed between user_id and item_id");
	is_str(m.time, "asof", "the time column is asof, found by name");
	ok(input_at(&m, "user_id") < 0 && input_at(&m, "item_id") < 0 && input_at(&m, "role") < 0 &&
	   input_at(&m, "asof") < 0, "ids, role and asof are not inputs");
	jo = input_at(&m, "open_7d");
	jr = input_at(&m, "ratio");
	j1 = input_at(&m, "noise1");
	j2 = input_at(&m, "noise2");
	ok(jo >= 0 && jr >= 0 && j1 >= 0 && j2 >= 0, "the numeric columns are inputs");
	if (jo < 0 || jr < 0 || j1 < 0 || j2 < 0) {
		model_free(&m);
		return;
	}
	ok(m.pooled.coef[jo] > 0 && m.pooled.coef[jr] < 0, "signs: open_7d %.3f > 0, ratio %.3f < 0",
	   m.pooled.coef[jo], m.pooled.coef[jr]);
	ok(fabs(m.pooled.coef[jo]) > fabs(m.pooled.coef[jr]) &&
	   fabs(m.pooled.coef[jr]) > fabs(m.pooled.coef[j1]) && fabs(m.pooled.coef[jr]) > fabs(m.pooled.coef[j2]),
	   "order: |open_7d| > |ratio| > |noise| (standardized coefficients compare)");
	ok(m.pooled.nresiduals == 0 && m.season == 0 && m.C == 1 && m.class_weight[0] == 1 &&
	   m.class_weight[1] == 1, "no residuals, season 0, C and weights as given");
	t = read_path(events);
	class_metrics_init(&cm);
	for (size_t r = 0; r < t.nrows; r++) {
		double p = predict_row(&m, &t, r);

		lo = fmin(lo, p);
		hi = fmax(hi, p);
		class_metrics_add(&cm, strcmp(table_cell(&t, r, 11), "1") == 0, p);
	}
	ok(lo > 0 && hi < 1, "probabilities from the model file inside (0, 1): %.4f .. %.4f", lo, hi);
	ok(class_metrics_auc(&cm) > 0.75, "in-sample AUC %.3f, well above 0.5", class_metrics_auc(&cm));
	class_metrics_free(&cm);
	table_free(&t);
	model_free(&m);

	/* text columns named by --categorical become one-hot inputs */
	{
		static char *cats[] = { "role", "item_type", NULL };

		o.categorical = cats;
		rc = train_path(&o, events, &m, &e);
		ok(rc == 0 && input_at(&m, "role") >= 0 && input_at(&m, "item_type") >= 0 &&
		   m.inputs[0].categorical && m.inputs[0].nlevels == 2,
		   "--categorical role,item_type: two one-hot text inputs");
		model_free(&m);
		o.categorical = NULL;
	}
}

static void test_logreg_cv(void)
{
	struct train_options o = logreg_options();
	struct model m, m2;
	struct adash_err e;
	int rc, in_grid = 0;

	o.cv = 3;
	o.c_cv = 1;
	rc = train_path(&o, events, &m, &e);
	is_int(rc, 0, "logreg with --cv 3 --C cv (%s)", rc ? e.msg : "");
	if (rc)
		return;
	is_int(m.nfolds, 3, "three folds");
	for (int k = -6; k <= 6; k++)
		in_grid |= m.C == ldexp(1, k);
	ok(in_grid, "C %g is one of 2^-6 .. 2^6", m.C);
	for (size_t k = 0; k < m.nfolds; k++) {
		const struct model_fold *f = &m.folds[k];

		ok(f->auc > 0.6 && f->auc <= 1 && f->logloss > 0 && f->logloss < log(2) && f->brier > 0 && f->brier < 0.25,
		   "fold %zu: AUC %.3f, log loss %.3f, Brier %.3f, all better than a coin", k + 1, f->auc,
		   f->logloss, f->brier);
		ok(isnan(f->mae) && isnan(f->rmse) && isnan(f->mape) && isnan(f->mase), "fold %zu: no regression metrics", k + 1);
		ok(strlen(f->train_until) == 20 && f->train_until[10] == 'T' && strcmp(f->train_until, f->test_until) < 0,
		   "fold %zu: trained to %s, a timestamp before %s", k + 1, f->train_until, f->test_until);
	}
	/* 24 days in 4 blocks of 6 */
	is_str(m.folds[0].train_until, "2024-02-06T00:00:00Z", "fold 1 trains on the first six days");
	is_int(m.folds[0].train_rows, 6 * EV_USERS * EV_ITEMS, "fold 1: six days of rows");
	rc = train_path(&o, events, &m2, &e);
	ok(rc == 0 && m2.C == m.C && m2.pooled.intercept == m.pooled.intercept &&
	   memcmp(m2.pooled.coef, m.pooled.coef, m.ndesign * sizeof *m.pooled.coef) == 0 &&
	   m2.folds[2].logloss == m.folds[2].logloss,
	   "trained again: the same C, coefficients and fold scores, bit for bit");
	model_free(&m2);
	model_free(&m);
}

static void test_logreg_l1_weights(void)
{
	struct train_options o = logreg_options();
	struct model m, w;
	struct adash_err e;
	struct table t;
	const char *rare;
	double mean_m = 0, mean_w = 0;
	size_t npos = 0;
	int rc;

	o.cls.penalty = PENALTY_L1;
	o.cls.C = 0.005;
	rc = train_path(&o, events, &m, &e);
	is_int(rc, 0, "L1 logreg trains (%s)", rc ? e.msg : "");
	if (rc == 0) {
		long j1 = input_at(&m, "noise1"), j2 = input_at(&m, "noise2"), jo = input_at(&m, "open_7d");

		ok(m.penalty == PENALTY_L1 && m.pooled.coef[j1] == 0 && m.pooled.coef[j2] == 0 && m.pooled.coef[jo] > 0,
		   "L1, C = 0.005: the noise columns are exactly 0 (%g, %g), open_7d is not (%.3f)",
		   m.pooled.coef[j1], m.pooled.coef[j2], m.pooled.coef[jo]);
		model_free(&m);
	}

	/* a rare class: balanced weights raise the mean prediction */
	rare = write_events("/tmp/adash-test-rare-XXXXXX", -3.5, "01", 0);
	o = logreg_options();
	rc = train_path(&o, rare, &m, &e);
	o.balanced = 1;
	rc |= train_path(&o, rare, &w, &e);
	is_int(rc, 0, "unweighted and balanced fits on a rare class (%s)", rc ? e.msg : "");
	if (rc == 0) {
		t = read_path(rare);
		for (size_t r = 0; r < t.nrows; r++) {
			mean_m += predict_row(&m, &t, r) / (double)t.nrows;
			mean_w += predict_row(&w, &t, r) / (double)t.nrows;
			npos += strcmp(table_cell(&t, r, 11), "1") == 0;
		}
		ok(mean_w > mean_m + 0.1, "balanced weights raise the mean prediction: %.3f -> %.3f (%zu of %zu positive)",
		   mean_m, mean_w, npos, t.nrows);
		is_num(mean_m, (double)npos / (double)t.nrows, 1e-9, "unweighted: the mean prediction is the share of 1s");
		is_num(w.class_weight[1], (double)t.nrows / (2.0 * (double)npos), 1e-12,
		       "the model stores the balanced weight of class 1, n / (2 n1)");
		is_num(w.class_weight[0], (double)t.nrows / (2.0 * (double)(t.nrows - npos)), 1e-12,
		       "and of class 0, n / (2 n0)");
		table_free(&t);
		model_free(&w);
		model_free(&m);
	}
	unlink(rare);
}

static void test_logreg_labels(void)
{
	struct train_options o = logreg_options();
	struct model m, tf;
	struct adash_err e;
	const char *path;
	int rc;

	path = write_events("/tmp/adash-test-tf-XXXXXX", -0.5, "tf", 0);
	rc = train_path(&o, events, &m, &e) | train_path(&o, path, &tf, &e);
	ok(rc == 0 && m.pooled.intercept == tf.pooled.intercept &&
	   memcmp(m.pooled.coef, tf.pooled.coef, m.ndesign * sizeof *m.pooled.coef) == 0,
	   "labels true/false train the same model as 1/0");
	if (rc == 0) {
		model_free(&m);
		model_free(&tf);
	}
	unlink(path);

	path = write_events("/tmp/adash-test-bad-XXXXXX", -0.5, "01", 17);
	rc = train_path(&o, path, &m, &e);
	ok(rc == -1 && e.code == ADASH_EDATA && strstr(e.msg, ":18: column \"label\": \"2\" is not 0 or 1"),
	   "a label 2 is exit 1 naming its line: %s", e.msg);
	model_free(&m);
	unlink(path);

	/* a fold trained on one label only */
	{
		static const char rows[] = "asof,x,label\n"
			"2024-01-01T00:00:00Z,1,0\n2024-01-02T00:00:00Z,2,0\n2024-01-03T00:00:00Z,3,1\n"
			"2024-01-04T00:00:00Z,4,0\n2024-01-05T00:00:00Z,5,1\n2024-01-06T00:00:00Z,6,1\n";
		char p[] = "/tmp/adash-test-one-XXXXXX";
		int fd = mkstemp(p);

		if (write(fd, rows, sizeof rows - 1) != (ssize_t)(sizeof rows - 1))
			ok(0, "write");
		close(fd);
		o.cv = 2;
		rc = train_path(&o, p, &m, &e);
		ok(rc == -1 && e.code == ADASH_EDATA && strstr(e.msg, "cross-validation fold 1 (training to 2024-01-02T00:00:00Z)") &&
		   strstr(e.msg, "both 0 and 1"), "a fold whose training rows are all 0: exit 1 naming the fold: %s", e.msg);
		model_free(&m);
		o.cv = 0;
		rc = train_path(&o, p, &m, &e);
		ok(rc == 0, "without folds the six rows train (%s)", rc ? e.msg : "");
		if (rc == 0)
			model_free(&m);
		unlink(p);
	}

	/* library callers get the usage refusals adash-train gives */
	o.log_target = 1;
	ok(train_path(&o, events, &m, &e) == -1 && e.code == ADASH_EUSAGE, "logreg with a log target: code 2");
	model_free(&m);
	o.log_target = 0;
	o.weight_half_life = 10;
	ok(train_path(&o, events, &m, &e) == -1 && e.code == ADASH_EUSAGE, "logreg with row weights: code 2");
	model_free(&m);
	o.weight_half_life = 0;
	o.c_cv = 1;
	ok(train_path(&o, events, &m, &e) == -1 && e.code == ADASH_EUSAGE, "--C cv without folds: code 2");
	model_free(&m);
}

/* The time column's kinds for a regression too: timestamps cut into
 * folds, a date column with a timestamp in it refused. */
static void test_time_kinds(void)
{
	struct train_options o = base_options();
	static char *num[] = { "open_7d", "ratio", NULL };
	struct model m;
	struct adash_err e;
	int rc;

	o.target = "noise1";
	o.features = num;
	o.cv = 2;
	rc = train_path(&o, events, &m, &e);
	ok(rc == -1 && e.code == ADASH_EUSAGE && strstr(e.msg, "cannot tell the series key"),
	   "a regression on the events table asks for --key (two text columns): %s", e.msg);
	model_free(&m);
	o.key = "user_id";
	rc = train_path(&o, events, &m, &e);
	ok(rc == 0 && strcmp(m.time, "asof") == 0 && m.nfolds == 2 &&
	   strcmp(m.folds[0].train_until, "2024-02-08T00:00:00Z") == 0,
	   "a regression with --key on timestamps: folds end at %s", rc ? e.msg : m.folds[0].train_until);
	if (rc == 0)
		model_free(&m);
	o.time = "hour";
	rc = train_path(&o, events, &m, &e);
	ok(rc == -1 && e.code == ADASH_EDATA && strstr(e.msg, "column \"hour\"") &&
	   strstr(e.msg, "is not a date (YYYY-MM-DD) or a timestamp (RFC 3339)"),
	   "a number is not taken for a time (no epoch seconds): %s", e.msg);
	model_free(&m);
	o.time = NULL;
	{
		static const char rows[] = "date,x,y\n2024-01-01,1,2\n2024-01-02,2,3\n2024-01-03T00:00:00Z,3,5\n";
		char p[] = "/tmp/adash-test-mix-XXXXXX";
		int fd = mkstemp(p);

		if (write(fd, rows, sizeof rows - 1) != (ssize_t)(sizeof rows - 1))
			ok(0, "write");
		close(fd);
		o = base_options();
		o.features = NULL;
		o.target = "y";
		rc = train_path(&o, p, &m, &e);
		ok(rc == -1 && e.code == ADASH_EDATA && strstr(e.msg, ":4: column \"date\"") &&
		   strstr(e.msg, "is not a date (YYYY-MM-DD), as the column's first value is"),
		   "a timestamp in a date column: exit 1 naming the line: %s", e.msg);
		model_free(&m);
		unlink(p);
	}
}

/* ---- bandits --------------------------------------------------------------- */

static struct train_options bandit_options(int algo)
{
	static char *cats[] = { "role", NULL };
	static char *feats[] = { "open_7d", "ratio", "role", NULL };
	struct train_options o;

	memset(&o, 0, sizeof o);
	o.target = "label";
	o.task = TASK_BANDIT;
	o.bandit_algo = algo;
	o.features = feats;
	o.categorical = cats;
	o.prior = 2;
	o.alpha = 0.5;
	o.pooled = 1;
	o.program = "test";
	o.prog = "test";
	return o;
}

/* Writes the header of path and its data rows [from, to) (to 0: the end)
 * to a new temporary file, with line (a data row) added when not NULL. */
static char *rows_of(const char *path, long from, long to, const char *line)
{
	static char paths[6][64];
	static int which;
	char *out = paths[which++ % 6], buf[4096];
	FILE *in = fopen(path, "r"), *f;
	long row = -1;

	snprintf(out, sizeof paths[0], "/tmp/adash-test-rows-XXXXXX");
	f = fdopen(mkstemp(out), "w");
	while (in && fgets(buf, sizeof buf, in)) {
		if (row < 0 || (row >= from && (to == 0 || row < to)))
			fputs(buf, f);
		row++;
	}
	if (line)
		fprintf(f, "%s\n", line);
	if (in)
		fclose(in);
	fclose(f);
	return out;
}

/* The statistics and the fit, bit for bit. */
static int same_bandit(const struct model *a, const struct model *b)
{
	const struct bandit *x = a->bandit, *y = b->bandit;
	size_t p = a->ndesign + 1;

	return x && y && x->p == p && y->p == p && memcmp(x->A, y->A, p * p * sizeof *x->A) == 0 &&
	       memcmp(x->b, y->b, p * sizeof *x->b) == 0 && memcmp(&x->sum_r, &y->sum_r, sizeof x->sum_r) == 0 &&
	       memcmp(&x->sum_r2, &y->sum_r2, sizeof x->sum_r2) == 0 && a->pooled.rows == b->pooled.rows &&
	       memcmp(&a->pooled.intercept, &b->pooled.intercept, sizeof a->pooled.intercept) == 0 &&
	       memcmp(a->pooled.coef, b->pooled.coef, a->ndesign * sizeof *a->pooled.coef) == 0 &&
	       memcmp(&a->pooled.sigma2, &b->pooled.sigma2, sizeof a->pooled.sigma2) == 0 &&
	       memcmp(&a->pooled.dof, &b->pooled.dof, sizeof a->pooled.dof) == 0;
}

/* theta from the whole path is A^-1 b solved apart (LU, not Cholesky) from
 * a design built here from the table's text. */
static void test_bandit_direct(void)
{
	struct train_options o = bandit_options(BANDIT_LINUCB);
	struct model m;
	struct adash_err e;
	struct table t;
	gsl_matrix *A = gsl_matrix_calloc(5, 5);
	gsl_vector *b = gsl_vector_calloc(5), *theta = gsl_vector_alloc(5);
	gsl_permutation *perm = gsl_permutation_alloc(5);
	double worst = 0, sum_r2 = 0, rss, tr = 0;
	int rc, sign;

	rc = train_path(&o, events, &m, &e);
	is_int(rc, 0, "linucb trains on the events table (%s)", rc ? e.msg : "");
	if (rc)
		return;
	ok(m.task == TASK_BANDIT && m.algo == BANDIT_LINUCB && m.bandit, "task bandit, algo linucb, statistics");
	ok(m.key == NULL && strcmp(m.time, "asof") == 0 && m.season == 0, "no key, time asof, season 0");
	/* in the table's order: role (its two levels), open_7d, ratio */
	ok(m.ndesign == 4 && m.inputs[0].categorical && m.inputs[0].nlevels == 2 && input_at(&m, "open_7d") == 2 &&
	   input_at(&m, "ratio") == 3, "design: role's two levels, open_7d, ratio");
	ok(m.mean[0] == 0 && m.mean[3] == 0 && m.scale[0] == 1 && m.scale[2] == 1, "not standardized: mean 0, scale 1");
	ok(m.bandit->lambda == 2 && m.bandit->alpha == 0.5 && m.pooled.lambda == 0 && !m.pooled.cov,
	   "lambda and alpha stored in the statistics; the fit has neither penalty nor cov");
	is_int(m.pooled.rows, EV_DAYS * EV_USERS * EV_ITEMS, "every row is in the statistics");
	t = read_path(events);
	for (size_t j = 0; j < 5; j++)
		gsl_matrix_set(A, j, j, 2);
	for (size_t r = 0; r < t.nrows; r++) {
		const char *role = table_cell(&t, r, 3);
		double z[5] = { 1, strcmp(role, m.inputs[0].levels[0]) == 0, strcmp(role, m.inputs[0].levels[1]) == 0,
				atof(table_cell(&t, r, 5)), atof(table_cell(&t, r, 6)) };
		double y = atof(table_cell(&t, r, 11));

		for (size_t i = 0; i < 5; i++) {
			for (size_t j = 0; j < 5; j++)
				*gsl_matrix_ptr(A, i, j) += z[i] * z[j];
			*gsl_vector_ptr(b, i) += y * z[i];
		}
		sum_r2 += y * y;
	}
	table_free(&t);
	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++)
			worst = fmax(worst, fabs(gsl_matrix_get(A, i, j) - m.bandit->A[i * 5 + j]) /
					   fabs(gsl_matrix_get(A, i, j) + 1e-300));
	ok(worst < 1e-12, "A = lambda I + sum z z' (worst relative %.3g)", worst);
	gsl_linalg_LU_decomp(A, perm, &sign);
	gsl_linalg_LU_solve(A, perm, b, theta);
	worst = fabs(m.pooled.intercept - gsl_vector_get(theta, 0)) / fabs(gsl_vector_get(theta, 0));
	for (size_t j = 0; j < 4; j++)
		worst = fmax(worst, fabs(m.pooled.coef[j] - gsl_vector_get(theta, j + 1)) /
				    fabs(gsl_vector_get(theta, j + 1)));
	ok(worst < 1e-9, "theta is the solution of A theta = b, solved apart (worst relative %.3g)", worst);
	ok(m.pooled.coef[2] > 0 && m.pooled.coef[3] < 0, "signs: open_7d %.4f > 0, ratio %.4f < 0",
	   m.pooled.coef[2], m.pooled.coef[3]);
	rss = sum_r2;
	gsl_blas_ddot(theta, b, &tr);
	rss -= tr;
	is_num(m.pooled.sigma2, (rss + 1) / ((double)m.pooled.rows + 1), 1e-9 * m.pooled.sigma2,
	       "sigma2 = (sum r^2 - theta'b + 1) / (n + 1)");
	/* role's two levels sum to the intercept's column: that direction
	 * is the prior's alone */
	ok(m.pooled.dof > 3.9 && m.pooled.dof < 4, "dof just under p - 1 = 4 on many rows: %.6f", m.pooled.dof);
	gsl_matrix_free(A);
	gsl_vector_free(b);
	gsl_vector_free(theta);
	gsl_permutation_free(perm);
	model_free(&m);
}

/* Training on R1 and updating with R2 gives what training on R1 and R2
 * gives, bit for bit, through a saved and reloaded file as adash-train
 * does; an update without rows changes nothing; a model that is not a
 * bandit's is refused. */
static void test_bandit_update(void)
{
	struct train_options o = bandit_options(BANDIT_THOMPSON);
	struct model all, part, back;
	struct adash_err e;
	struct table t;
	char *r1 = rows_of(events, 0, 700, NULL), *r2 = rows_of(events, 700, 0, NULL);
	char *none = rows_of(events, 0, -1, NULL), *guest, path[] = "/tmp/adash-test-bandit-XXXXXX";
	FILE *report = tmpfile();
	char line[512] = "";
	int rc;

	close(mkstemp(path));
	rc = train_path(&o, events, &all, &e);
	is_int(rc, 0, "thompson on every row (%s)", rc ? e.msg : "");
	rc = train_path(&o, r1, &part, &e);
	is_int(rc, 0, "thompson on the first 700 rows (%s)", rc ? e.msg : "");
	err_clear(&e);
	is_int(model_save(&part, path, &e), 0, "saved");
	model_free(&part);
	is_int(model_load(&back, path, &e), 0, "and loaded (%s)", e.code ? e.msg : "");
	t = read_path(r2);
	o.alpha = -1;
	rc = train_update(&o, &t, &back, &e);
	table_free(&t);
	is_int(rc, 0, "updated with the other %d rows (%s)", EV_DAYS * EV_USERS * EV_ITEMS - 700, rc ? e.msg : "");
	ok(same_bandit(&all, &back), "the update is the training on all rows, bit for bit (A, b, sums, theta, sigma2, dof)");
	ok(back.rows == all.rows && back.bandit->alpha == 0.5, "rows of both batches; alpha kept");
	ok(strcmp(back.fingerprint, all.fingerprint) != 0, "the fingerprint names the two batches, not one table");
	is_int(model_save(&back, path, &e), 0, "the updated model saves");
	model_free(&back);

	/* no rows: a header alone, or nothing at all */
	model_load(&back, path, &e);
	model_load(&part, path, &e);
	t = read_path(none);
	is_int(t.nrows, 0, "a header without rows");
	rc = train_update(&o, &t, &back, &e);
	table_free(&t);
	ok(rc == 0 && same_bandit(&part, &back) && strcmp(part.fingerprint, back.fingerprint) == 0 &&
	   part.rows == back.rows, "an update without rows changes nothing");
	memset(&t, 0, sizeof t);
	unlink(none);
	none = rows_of("/nonexistent-adash", 0, 0, NULL);   /* an empty file */
	t = read_path(none);
	is_int(t.ncols, 0, "an empty input has no columns");
	rc = train_update(&o, &t, &back, &e);
	table_free(&t);
	ok(rc == 0 && same_bandit(&part, &back) && strcmp(part.fingerprint, back.fingerprint) == 0,
	   "nor does an empty input");
	model_free(&part);

	/* a level the model has not seen: zeros, counted; alpha replaced */
	guest = rows_of(events, 0, 2, "u9,w1,2024-03-01T00:00:00Z,guest,kpi,4,0.5,3,4,0,0,1");
	t = read_path(guest);
	o.alpha = 3;
	o.report = report;
	rc = train_update(&o, &t, &back, &e);
	table_free(&t);
	rewind(report);
	if (!fgets(line, sizeof line, report))
		line[0] = '\0';
	ok(rc == 0 && strstr(line, "test: thompson: added 3 rows (0 left out for empty values, 1 with a level the model had not seen, as zeros), 1155 in all"),
	   "the report counts a row of an unseen level: %s", line);
	ok(back.bandit->alpha == 3, "--alpha with --update replaces alpha");
	model_free(&back);

	/* not a bandit model */
	{
		struct train_options r = base_options();

		rc = train_path(&r, fixture, &part, &e);
		t = read_path(r2);
		rc = train_update(&o, &t, &part, &e);
		ok(rc == -1 && e.code == ADASH_EUSAGE && strstr(e.msg, "the model's algorithm is ols"),
		   "updating an ols model is a usage error: %s", e.msg);
		table_free(&t);
		model_free(&part);
	}
	fclose(report);
	model_free(&all);
	unlink(r1);
	unlink(r2);
	unlink(none);
	unlink(guest);
	unlink(path);
}

static void test_bandit_refusals(void)
{
	struct train_options o = bandit_options(BANDIT_LINUCB);
	struct model m;
	struct adash_err e;
	static const char *const why[] = { "no --cv", "no --by", "no --log-target", "no row weights",
					   "a prior precision" };

	for (int k = 0; k < 5; k++) {
		o = bandit_options(BANDIT_LINUCB);
		if (k == 0)
			o.cv = 2;
		else if (k == 1)
			o.by = "role";
		else if (k == 2)
			o.log_target = 1;
		else if (k == 3)
			o.weight_half_life = 7;
		else
			o.prior = 0;
		ok(train_path(&o, events, &m, &e) == -1 && e.code == ADASH_EUSAGE && strstr(e.msg, why[k]),
		   "a bandit takes %s: %s", why[k], e.msg);
		model_free(&m);
	}
}

int main(void)
{
	char *path = write_fixture();
	struct table t;

	gsl_set_error_handler_off();
	fixture = path;
	t = read_fixture();
	is_int(t.nrows, N, "the fixture has %d rows", N);
	table_free(&t);
	test_ols_matches_gsl();
	test_ridge_fixed();
	test_folds();
	test_errors();
	events = write_events("/tmp/adash-test-events-XXXXXX", -0.5, "01", 0);
	test_logreg();
	test_logreg_cv();
	test_logreg_l1_weights();
	test_logreg_labels();
	test_time_kinds();
	test_bandit_direct();
	test_bandit_update();
	test_bandit_refusals();
	unlink(events);
	unlink(path);
	return tap_done();
}
