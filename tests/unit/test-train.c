/*
 * Unit tests of lib/train: a model trained through the whole path (column
 * choice, one-hot, standardization, lib/regress, the model file's predict
 * path) predicts what a direct GSL least-squares solve on the raw design
 * predicts; ridge with a fixed penalty matches the normal equations in the
 * standardized space; cross-validation folds train only on earlier days.
 */
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
	unlink(path);
	return tap_done();
}
