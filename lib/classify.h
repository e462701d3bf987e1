/*
 * classify: logistic regression on a design matrix, through liblinear:
 * L2-regularized (liblinear's L2R_LR, a trust-region Newton method) or
 * L1-regularized (L1R_LR, newGLMNET coordinate descent, which sets the
 * coefficients of useless columns to exactly 0).
 *
 * The model is P(y = 1 | x) = 1 / (1 + exp(-(intercept + x . beta))), and
 * liblinear minimizes, with y in {0, 1} as s = 2y - 1 in {-1, 1},
 *
 *   L2:  0.5 ||beta||^2 + sum_i C_i log(1 + exp(-s_i eta_i))
 *   L1:      ||beta||_1 + sum_i C_i log(1 + exp(-s_i eta_i))
 *
 * where C_i = C times the weight of row i's class: class weights make the
 * rows of a rare class count more without copying them.  Larger C means
 * less regularization.  Callers standardize columns first (train.c does),
 * so that one C weighs every column alike.
 *
 * The intercept.  liblinear has no intercept of its own: its "bias" is an
 * extra feature of constant value, penalized like any other.  Penalizing
 * the intercept pulls every probability toward 0.5, most for a rare class
 * and a small C, so two things keep it out of the penalty: the bias feature
 * is CLASSIFY_BIAS (10), not 1, so the penalty on a given intercept is 100
 * times smaller (L2; 10 times for L1), and after training the intercept
 * alone is refitted with the coefficients held, by Newton's method on the
 * class-weighted log-likelihood, whose score equation for the intercept,
 * sum_i c_i (y_i - p_i) = 0, makes the class-weighted mean prediction equal
 * the class-weighted share of positives: what an unpenalized intercept
 * gives.  (The coefficients were fitted beside an intercept penalized a
 * little, which the refit does not undo; with centred columns the two
 * hardly interact.)
 *
 * liblinear 2.3 has no row weights, so a fit takes none: adash-train
 * refuses --weight-half-life with logreg, as with svr.  Its L1 solver
 * visits coordinates in an order drawn from rand(); srand is set before
 * each fit, so that a fit is a function of its data alone (byte-identical
 * model files).
 *
 * The fit is regress.h's struct regress_fit (the linear predictor is the
 * same shape, so train.c and model.c serve both with one path): coef and
 * intercept on the logit scale; cov NULL (liblinear gives none); lambda 0;
 * sigma2 0 (a classification has no residual variance); dof 1 plus the
 * number of non-zero coefficients.
 *
 * Rejected: hand-written iteratively reweighted least squares with GSL
 * (no L1, and liblinear is already a dependency for svr), and GSL's
 * multifit_nlinear (a general least-squares solver, not a likelihood).
 */
#ifndef ADASH_CLASSIFY_H
#define ADASH_CLASSIFY_H

#include "err.h"
#include "regress.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stddef.h>

enum classify_algo { CLASSIFY_LOGREG = 0 };
enum classify_penalty { PENALTY_L2 = 0, PENALTY_L1 };

/* The value of liblinear's bias feature; see the top of the file. */
#define CLASSIFY_BIAS 10.0

/* A warm start: liblinear's weights (the bias feature's last) of an
 * earlier fit of the same rows, in the same order, with another C.  Along
 * a path of growing C each optimum starts near the last one, which saves
 * most of the Newton steps of choosing C by the folds.  Used by the L2
 * solver only (liblinear starts no other from a given point). */
struct classify_warm {
	double *w;            /* p + 1 entries */
	size_t n;
	int set;              /* w holds a solution */
};

struct classify_options {
	int penalty;          /* enum classify_penalty */
	double C;             /* cost, > 0 */
	double weight[2];     /* weights of class 0 and class 1, > 0 */
	struct classify_warm *warm; /* NULL, or in: the start; out: this fit's weights */
};

/* "logreg"; -1 for anything else. */
int classify_algo_from_name(const char *name);
const char *classify_algo_name(int algo);
/* "l2", "l1"; -1 for anything else. */
int classify_penalty_from_name(const char *name);
const char *classify_penalty_name(int penalty);

/* Balanced class weights of n rows with npos positives: n / (2 n_c) for
 * class c (so that each class weighs n / 2 in all), 1 for an absent class. */
void classify_balanced_weights(size_t n, size_t npos, double weight[2]);

/* Fits P(y = 1) = logistic(intercept + X beta).  X is n x p; y has n
 * entries, each 0 or 1, both present (otherwise exit code 1: one class
 * alone has nothing to separate).  Returns 0, or -1 with e set; out is then
 * left empty. */
int classify_fit(const gsl_matrix *X, const gsl_vector *y, const struct classify_options *o,
		 struct regress_fit *out, struct adash_err *e);

#endif
