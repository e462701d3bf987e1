/*
 * bandit: the linear bandit learners (adash-train --algo linucb and
 * thompson) and the exploration adash-rank does with them: one linear model
 * of the reward shared by every user and item, kept as sufficient
 * statistics that new feedback is added to.
 *
 * The model.  With z = (1, x), a design row with an intercept column first
 * (p = ndesign + 1 entries), and r its reward, both learners keep
 *
 *   A = lambda I + sum z z'     (p x p)
 *   b = sum r z                 (p)
 *   n, sum r, sum r^2
 *
 * and predict with theta = A^-1 b: ridge regression with the penalty
 * lambda on every coefficient, or, the same numbers, the posterior mean of
 * Bayesian linear regression with the prior theta ~ N(0, (v^2 / lambda) I)
 * and noise variance v^2, whose posterior is N(theta, v^2 A^-1).  The
 * intercept is penalized too (it has a prior like the others): A is then
 * positive definite before the first row, so a model of few rows, or of
 * rows that do not vary, still has a posterior to draw from; with lambda 1
 * and a few hundred rows its pull on the intercept is negligible.  theta is
 * solved by GSL's Cholesky factorization (gsl_linalg_cholesky_decomp1 and
 * gsl_linalg_cholesky_solve).
 *
 * Statistics add up: A and b of the rows of two batches are those of the
 * first plus the sums of the second, which is what adash-train --update
 * does.  Rows are added one at a time, in order, as plain sums, so that
 * training on rows R1 and updating with R2 makes exactly the additions of
 * training on R1 followed by R2, and the statistics (hence theta) are bit
 * for bit the same (the model file keeps every double exactly).
 * Standardization would break this (a batch's means and scales are not the
 * whole's), so bandit design columns enter as they are: model.c stores
 * mean 0 and scale 1.  Rejected: compensated (Kahan) sums, whose
 * compensation terms the file would have to keep too for an update to
 * continue them; the rounding of plain sums, about n epsilon relative, is
 * far below the noise of any reward.
 *
 * Teacher's note on the noise variance.  Since A theta = b,
 *
 *   S = sum r^2 - theta' b = sum (r - z' theta)^2 + lambda ||theta||^2,
 *
 * the penalized residual sum of squares, known from the statistics alone.
 * The noise variance is v^2 = (S + 1) / (n + 1): the mean square with one
 * prior pseudo-row whose squared residual is 1 (the unit scale lambda's
 * prior has too), so that v^2 is never below 1 / (n + 1): a model whose
 * rewards are all 0, or that fits its few rows exactly, still explores,
 * less as rows accumulate.  S is taken as 0 when cancellation in
 * sum r^2 - theta' b leaves it a hair below.  The effective number of
 * parameters is the trace of the hat matrix, p - lambda trace(A^-1).
 *
 * Exploration.
 *  - linucb (Li, Chu, Langford and Schapire 2010): a row scores
 *    z' theta + alpha sqrt(z' A^-1 z); with A = L L' (Cholesky),
 *    z' A^-1 z = ||L^-1 z||^2, one triangular solve per row.
 *  - thompson: beta ~ N(theta, v^2 A^-1), drawn by GSL's
 *    gsl_ran_multivariate_gaussian, which wants a lower triangular factor
 *    of the covariance.  A^-1 = L^-T L^-1, and L^-T is upper triangular;
 *    with J the permutation that reverses the order of the coordinates
 *    (J = J' = J^-1), K = J L^-T J is lower triangular and
 *    K K' = J A^-1 J.  So the draw is made in reversed order, with mean
 *    J theta and factor v K, and reversed back: its covariance is then
 *    J (v^2 J A^-1 J) J = v^2 A^-1.  K comes from one triangular inverse
 *    of L (gsl_linalg_tri_invert) when the model is loaded; a draw is
 *    O(p^2).
 *    Rejected: factorizing the covariance itself (A^-1, then a second
 *    Cholesky).  Bandit columns are not standardized, so A can be
 *    ill-conditioned, and an A^-1 computed in floating point may then not
 *    be positive definite at all: a model that trained would not load.
 *
 * The statistics are a model file's "bandit" object (model.c reads and
 * checks it; adash.7, MODEL FILE, documents it).
 */
#ifndef ADASH_BANDIT_H
#define ADASH_BANDIT_H

#include "err.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <stddef.h>

enum bandit_algo { BANDIT_LINUCB = 0, BANDIT_THOMPSON };

/* The most design columns a bandit model may have: A has (p + 1)^2
 * entries and every load factorizes it, O(p^3). */
#define BANDIT_MAX_DESIGN 1000

struct bandit {
	size_t p;                /* ndesign + 1: the intercept's column, then x */
	double alpha;            /* linucb's width: adash-rank's default */
	double lambda;           /* prior precision, > 0 */
	double sum_r, sum_r2;
	double *A;               /* p x p, row-major, symmetric */
	double *b;               /* p */
	/* bandit_prepare's, for widths and draws; NULL before */
	gsl_matrix *chol;        /* L, A = L L' (lower triangle) */
	gsl_matrix *draw_chol;   /* v J L^-T J (lower triangle) */
	gsl_vector *draw_mean;   /* J theta */
	gsl_vector *work;        /* scratch of bandit_width: one caller at a time */
};

/* "linucb", "thompson"; -1 for anything else. */
int bandit_algo_from_name(const char *name);
const char *bandit_algo_name(int algo);

/* Statistics of no rows for ndesign columns: A = lambda I, the rest 0. */
void bandit_init(struct bandit *s, size_t ndesign, double lambda, double alpha);
void bandit_free(struct bandit *s);

/* Adds a row: x (ndesign entries, the design without the intercept) and
 * its reward r.  Only the upper triangle of A is summed; bandit_solve
 * mirrors it. */
void bandit_add(struct bandit *s, const double *x, double r);

/* True when the statistics are finite (huge values can overflow). */
int bandit_finite(const struct bandit *s);

/* After rows were added: mirrors A, then theta (p entries: intercept,
 * coefficients), the noise variance v^2 of n rows and the effective
 * parameters.  0, or -1 with e when A is not positive definite (code 1). */
int bandit_solve(struct bandit *s, size_t n, double *theta, double *sigma2, double *dof,
		 struct adash_err *e);

/* The checks of a loaded model, each 0 or -1 with a message (code 1; the
 * caller adds the file's name): A symmetric with a diagonal of at least
 * lambda; theta solving A theta = b up to rounding (a backward error
 * ||A theta - b|| of at most 1e-8 (||A|| ||theta|| + ||b||), infinity
 * norms, which a Cholesky solve meets on any machine however
 * ill-conditioned A is). */
int bandit_check(const struct bandit *s, const double *theta, struct adash_err *e);

/* Factors A for widths and draws from the posterior of mean theta and
 * noise variance sigma2.  0, or -1 with e (code 1) when A is not positive
 * definite or the factors overflow. */
int bandit_prepare(struct bandit *s, const double *theta, double sigma2, struct adash_err *e);

/* sqrt(z' A^-1 z) of z = (1, x); after bandit_prepare. */
double bandit_width(const struct bandit *s, const double *x);

/* One draw of beta ~ N(theta, v^2 A^-1) into beta (p entries), with r;
 * after bandit_prepare. */
void bandit_draw(const struct bandit *s, gsl_rng *r, double *beta);

#endif
