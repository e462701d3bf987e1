/*
 * bandit: see bandit.h for the model, the noise variance and the draws.
 * Notes on how.
 *
 * GSL's error handler.  A model file is input like any other, and a
 * hand-edited or damaged A that is not positive definite must be refused
 * with a message, not end in GSL's default handler (abort); the
 * factorization therefore runs with the handler off, whatever the caller
 * set, and its return code decides.
 *
 * Only the upper triangle of A is summed row by row (half the work), and
 * mirrored before it is factorized or written; summing both triangles
 * would give the same bits (x y = y x exactly), twice as slowly.
 */
#include "bandit.h"

#include "xalloc.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

/* The backward error a solution of A theta = b may have; see bandit.h. */
#define SOLVE_TOL 1e-8

/* Checklist: a new learner is a name here, a line in model.c's table of
 * algorithms, and a word in adash-train.1 and adash.7. */
static const char *const algo_names[] = { [BANDIT_LINUCB] = "linucb", [BANDIT_THOMPSON] = "thompson" };
#define NALGOS (sizeof algo_names / sizeof *algo_names)

int bandit_algo_from_name(const char *name)
{
	for (size_t i = 0; name && i < NALGOS; i++)
		if (strcmp(name, algo_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *bandit_algo_name(int algo)
{
	return algo >= 0 && (size_t)algo < NALGOS ? algo_names[algo] : NULL;
}

void bandit_init(struct bandit *s, size_t ndesign, double lambda, double alpha)
{
	size_t p = ndesign + 1;

	memset(s, 0, sizeof *s);
	s->p = p;
	s->alpha = alpha;
	s->lambda = lambda;
	s->A = xcalloc(p * p, sizeof *s->A);
	s->b = xcalloc(p, sizeof *s->b);
	for (size_t i = 0; i < p; i++)
		s->A[i * p + i] = lambda;
}

static void drop_factors(struct bandit *s)
{
	if (s->chol)
		gsl_matrix_free(s->chol);
	if (s->draw_chol)
		gsl_matrix_free(s->draw_chol);
	if (s->draw_mean)
		gsl_vector_free(s->draw_mean);
	if (s->work)
		gsl_vector_free(s->work);
	s->chol = s->draw_chol = NULL;
	s->draw_mean = s->work = NULL;
}

void bandit_free(struct bandit *s)
{
	drop_factors(s);
	free(s->A);
	free(s->b);
	memset(s, 0, sizeof *s);
}

void bandit_add(struct bandit *s, const double *x, double r)
{
	size_t p = s->p;

	/* z = (1, x): row 0 of A sums the columns, b[0] the rewards */
	s->A[0] += 1;
	for (size_t j = 1; j < p; j++)
		s->A[j] += x[j - 1];
	s->b[0] += r;
	for (size_t i = 1; i < p; i++) {
		double xi = x[i - 1], *row = s->A + i * p;

		if (xi == 0)
			continue;   /* one-hot columns are mostly 0: nothing to add */
		for (size_t j = i; j < p; j++)
			row[j] += xi * x[j - 1];
		s->b[i] += r * xi;
	}
	s->sum_r += r;
	s->sum_r2 += r * r;
}

static int all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

int bandit_finite(const struct bandit *s)
{
	return all_finite(s->A, s->p * s->p) && all_finite(s->b, s->p) && isfinite(s->sum_r) &&
	       isfinite(s->sum_r2);
}

static int lower_finite(const gsl_matrix *m)
{
	for (size_t i = 0; i < m->size1; i++)
		for (size_t j = 0; j <= i; j++)
			if (!isfinite(gsl_matrix_get(m, i, j)))
				return 0;
	return 1;
}

/* chol = L, A = L L'. */
static int factor(struct bandit *s, struct adash_err *e)
{
	gsl_matrix_const_view a = gsl_matrix_const_view_array(s->A, s->p, s->p);
	gsl_error_handler_t *old;
	int rc;

	drop_factors(s);
	s->chol = gsl_matrix_alloc(s->p, s->p);
	gsl_matrix_memcpy(s->chol, &a.matrix);
	old = gsl_set_error_handler_off();
	rc = gsl_linalg_cholesky_decomp1(s->chol);
	gsl_set_error_handler(old);
	if (rc != 0 || !lower_finite(s->chol))
		return err_set(e, ADASH_EDATA, "\"A\" of \"bandit\" is not positive definite");
	return 0;
}

/* L^-1 (its lower triangle) of the factor. */
static gsl_matrix *inverse_factor(const struct bandit *s)
{
	gsl_matrix *inv = gsl_matrix_alloc(s->p, s->p);

	gsl_matrix_memcpy(inv, s->chol);
	gsl_linalg_tri_invert(CblasLower, CblasNonUnit, inv);
	return inv;
}

/* The draws' factor v J L^-T J, mean J theta and the scratch vector. */
static int draw_factors(struct bandit *s, const gsl_matrix *inv, const double *theta, double sigma2,
			struct adash_err *e)
{
	size_t p = s->p;
	double v = sqrt(sigma2);

	s->draw_chol = gsl_matrix_calloc(p, p);
	s->draw_mean = gsl_vector_alloc(p);
	s->work = gsl_vector_alloc(p);
	for (size_t i = 0; i < p; i++) {
		/* (J L^-T J)[i][j] = L^-T[p-1-i][p-1-j] = L^-1[p-1-j][p-1-i] */
		for (size_t j = 0; j <= i; j++)
			gsl_matrix_set(s->draw_chol, i, j, v * gsl_matrix_get(inv, p - 1 - j, p - 1 - i));
		gsl_vector_set(s->draw_mean, i, theta[p - 1 - i]);
	}
	if (!lower_finite(s->draw_chol))
		return err_set(e, ADASH_EDATA, "the posterior covariance of \"bandit\" overflows");
	return 0;
}

int bandit_solve(struct bandit *s, size_t n, double *theta, double *sigma2, double *dof,
		 struct adash_err *e)
{
	size_t p = s->p;
	gsl_vector_const_view bv = gsl_vector_const_view_array(s->b, p);
	gsl_vector_view tv = gsl_vector_view_array(theta, p);
	gsl_matrix *inv;
	double rss, trace = 0;
	int rc;

	for (size_t i = 0; i < p; i++)
		for (size_t j = i + 1; j < p; j++)
			s->A[j * p + i] = s->A[i * p + j];
	if (factor(s, e) < 0)
		return -1;
	gsl_linalg_cholesky_solve(s->chol, &bv.vector, &tv.vector);
	if (!all_finite(theta, p))
		return err_set(e, ADASH_EDATA, "the rewards and inputs are too large in magnitude to fit");
	rss = s->sum_r2;
	for (size_t i = 0; i < p; i++)
		rss -= theta[i] * s->b[i];
	*sigma2 = ((rss > 0 ? rss : 0) + 1) / ((double)n + 1);
	inv = inverse_factor(s);
	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j <= i; j++)
			trace += gsl_matrix_get(inv, i, j) * gsl_matrix_get(inv, i, j);
	/* in [0, p] since A >= lambda I; rounding may step out by a hair */
	*dof = fmin(fmax((double)p - s->lambda * trace, 0), (double)p);
	rc = draw_factors(s, inv, theta, *sigma2, e);
	gsl_matrix_free(inv);
	return rc;
}

int bandit_check(const struct bandit *s, const double *theta, struct adash_err *e)
{
	size_t p = s->p;
	double resid = 0, anorm = 0, tnorm = 0, bnorm = 0;

	for (size_t i = 0; i < p; i++) {
		double r = -s->b[i], row = 0;

		if (!(s->A[i * p + i] >= s->lambda))
			return err_set(e, ADASH_EDATA, "entry %zu of the diagonal of \"A\" of \"bandit\" is below \"lambda\"",
				       i + 1);
		for (size_t j = 0; j < p; j++) {
			if (j > i && s->A[i * p + j] != s->A[j * p + i])
				return err_set(e, ADASH_EDATA, "\"A\" of \"bandit\" is not symmetric: entries (%zu, %zu) and (%zu, %zu) differ",
					       i + 1, j + 1, j + 1, i + 1);
			r += s->A[i * p + j] * theta[j];
			row += fabs(s->A[i * p + j]);
		}
		resid = fmax(resid, fabs(r));
		if (isnan(r))
			resid = NAN;
		anorm = fmax(anorm, row);
		tnorm = fmax(tnorm, fabs(theta[i]));
		bnorm = fmax(bnorm, fabs(s->b[i]));
	}
	if (!(resid <= SOLVE_TOL * (anorm * tnorm + bnorm)))
		return err_set(e, ADASH_EDATA, "\"intercept\" and \"coef\" of \"pooled\" are not the solution of A theta = b of \"bandit\"");
	return 0;
}

int bandit_prepare(struct bandit *s, const double *theta, double sigma2, struct adash_err *e)
{
	gsl_matrix *inv;
	int rc;

	if (factor(s, e) < 0)
		return -1;
	inv = inverse_factor(s);
	rc = draw_factors(s, inv, theta, sigma2, e);
	gsl_matrix_free(inv);
	return rc;
}

double bandit_width(const struct bandit *s, const double *x)
{
	gsl_vector *w = s->work;

	gsl_vector_set(w, 0, 1);
	for (size_t j = 1; j < s->p; j++)
		gsl_vector_set(w, j, x[j - 1]);
	gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, s->chol, w);
	return gsl_blas_dnrm2(w);
}

void bandit_draw(const struct bandit *s, gsl_rng *r, double *beta)
{
	gsl_vector_view out = gsl_vector_view_array(beta, s->p);

	gsl_ran_multivariate_gaussian(r, s->draw_mean, s->draw_chol, &out.vector);
	gsl_vector_reverse(&out.vector);
}
