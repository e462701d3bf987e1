/*
 * regress: linear regression fits on a design matrix: ordinary least
 * squares, ridge, Huber's robust regression and linear support vector
 * regression, each with optional row weights.
 *
 * Every fit has the same shape: y ~ intercept + X beta.  The intercept is
 * never penalized: ols and ridge centre X and y (weighted means) and solve
 * for beta alone, then intercept = mean(y) - mean(X) . beta; huber fits an
 * explicit column of ones (a robust location is not the mean); svr lets
 * liblinear carry the bias.  Callers standardize columns first (model.c
 * does) so that one ridge penalty means the same for every column.
 *
 * The linear algebra is GSL's: gsl_multifit_linear_svd and
 * gsl_multifit_linear_solve for ols and ridge (one SVD serves every
 * penalty, which is what makes generalized cross-validation cheap),
 * gsl_multifit_linear_gcv to choose the ridge penalty, gsl_multifit_robust
 * with the Huber weight function, and liblinear's L2-regularized L2-loss
 * SVR.  Row weights w scale each row by sqrt(w), which turns weighted least
 * squares into ordinary least squares; liblinear 2.3 has no row weights,
 * so svr refuses them.
 *
 * Teacher's note on the ridge penalty: GSL minimizes
 * ||y - X b||^2 + lambda^2 ||b||^2 (lambda, not lambda^2, is what it
 * reports and what the model file stores).  With X = U S V', the fit is
 * b = V diag(s / (s^2 + lambda^2)) U' y; the hat matrix trace is
 * sum s^2 / (s^2 + lambda^2), and GCV(lambda) = n ||y - X b||^2 /
 * (n - trace)^2 estimates leave-one-out error without refitting, so the
 * penalty with the least GCV is chosen from a log-spaced grid from the
 * largest singular value down to 10^-4 of the smallest, then refined.
 *
 * Many rows: least squares and ridge need only S, V and U'y, which the
 * p x p factor R of A = QR has too (U'y = U_R' Q'y).  So ols and ridge are
 * solved from the statistics of lsstats.h (the means and the triangular
 * factor of the centred [X y], built block by block), whether the rows are
 * at hand (regress_fit) or merged from partitions (regress_fit_stats, for
 * adash-train --merge): one solver for both, so they agree by
 * construction.  What y has outside the columns' span enters the residual
 * sum of squares as a constant.
 *
 * Rejected: normal equations (X'X squares the condition number; the SVD
 * does not), and hand-written iteratively reweighted least squares for
 * Huber (GSL has it, tuned and tested).
 */
#ifndef ADASH_REGRESS_H
#define ADASH_REGRESS_H

#include "err.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stddef.h>

enum regress_algo { REGRESS_OLS = 0, REGRESS_RIDGE, REGRESS_HUBER, REGRESS_SVR };

/* How ridge's penalty is set. */
enum regress_lambda { LAMBDA_GCV = 0, LAMBDA_FIXED };

struct regress_options {
	int algo;             /* enum regress_algo */
	int lambda_mode;      /* ridge: enum regress_lambda */
	double lambda;        /* ridge with LAMBDA_FIXED: the penalty (>= 0) */
	double svr_c;         /* svr: cost C (> 0); 0 means 1 */
	double svr_epsilon;   /* svr: insensitive zone, in units of y's standard
	                         deviation; < 0 means 0.1 */
};

struct regress_fit {
	size_t p;             /* columns of X */
	double intercept;
	double *coef;         /* p */
	double *cov;          /* p x p, row-major: covariance of coef (ols,
	                         ridge, huber); NULL for svr */
	double lambda;        /* ridge: the penalty used; 0 otherwise */
	double sigma2;        /* residual variance: weighted residual sum of
	                         squares / (n - effective parameters) */
	double dof;           /* effective number of parameters, intercept
	                         included (ridge: 1 + hat matrix trace) */
};

/* Names: "ols", "ridge", "huber", "svr"; -1 for anything else. */
int regress_algo_from_name(const char *name);
const char *regress_algo_name(int algo);

/* Fits y ~ intercept + X beta.  X is n x p, y has n entries, w (NULL for
 * equal weights) n entries > 0.  Needs n >= p + 2 (the columns, the
 * intercept, and one more row so the residual variance is defined);
 * otherwise exit code 1 with a message saying so.
 * Returns 0, or -1 with e set; out is then left empty. */
int regress_fit(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w,
		const struct regress_options *o, struct regress_fit *out,
		struct adash_err *e);

struct lsstats;

/* ols or ridge from the statistics s of the raw design (lsstats.h), design
 * column j standardized as (x_j - center[j]) / scale[j] (both NULL: as it
 * is): the one solver of both, regress_fit's rows and adash-train --merge's
 * partial files.  The same rules as regress_fit (n >= p + 2, exit code 1
 * otherwise).  Returns 0, or -1 with e set. */
int regress_fit_stats(const struct lsstats *s, const double *center, const double *scale,
		      const struct regress_options *o, struct regress_fit *out,
		      struct adash_err *e);

/* intercept + x . coef, for x of p entries. */
double regress_predict(const struct regress_fit *f, const double *x);

/* ngrid log-spaced ridge penalties from the largest to the smallest
 * singular value of the centred (and weighted) X, for choosing the penalty
 * by cross-validation.  Returns 0, or -1 with e set. */
int regress_lambda_grid(const gsl_matrix *X, const gsl_vector *w, size_t ngrid,
			double *grid, struct adash_err *e);

void regress_fit_free(struct regress_fit *f);

#endif
