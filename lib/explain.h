/*
 * explain: adash-explain: why a model predicts what it does, row by row
 * and over a data set.
 *
 * Every adash model is linear on its own scale (the prediction itself; the
 * log scale of a --log-target model; the log-odds of a logistic
 * regression): eta = intercept + sum_j coef_j x_j, x_j the standardized
 * design column.  A row's explanation is exact: base = intercept (the
 * prediction at the training means, where every standardized column is 0),
 * and each input's contribution is the sum of coef_j x_j over its design
 * columns (a one-hot group summed back into its source column), so base +
 * the contributions = eta, to the rounding of a sum.  Reasons are the
 * inputs with the largest |contribution|, said in words (reason.h).
 *
 * --what-if changes a column of each row (whatif.h) and predicts again:
 * inputs computed from the row's own values (log1p_COL, A_per_B) follow the
 * change; features of the past (lags, windows) keep theirs.
 *
 * --global reads the whole input and writes one row per input: the mean
 * |contribution|; permutation importance, the rise of the loss (MAE on the
 * target's scale, log loss for a classifier) when the input's values are
 * shuffled across rows, over --repeats seeded shuffles, with its standard
 * deviation; and, where the fit has a covariance (ols, ridge, huber), the
 * coefficient per unit of the input and its standard error.
 *
 * Rejected: sampling-based attributions (SHAP, LIME): for linear models the
 * exact decomposition is cheaper and has no variance.
 */
#ifndef ADASH_EXPLAIN_H
#define ADASH_EXPLAIN_H

#include "cli.h"
#include "err.h"
#include "model.h"
#include "reader.h"
#include "whatif.h"

#include <stdint.h>
#include <stdio.h>

struct explain_options {
	const char *model_path;
	long top;                 /* reasons per row; 0: a column per input */
	struct whatif *whatif;    /* --what-if, or NULL */
	size_t nwhatif;
	int global;
	long repeats;             /* --global: shuffles per input */
	struct run_io io;            /* the common options (cli.h) */
};

/* Each model input's contribution to the linear predictor of design row x
 * under fit f (contrib has m->ninputs entries).  Returns the base, the
 * fit's intercept. */
double explain_contributions(const struct model *m, const struct model_fit *f, const double *x,
			     double *contrib);

/* Runs adash-explain over inputs (NULL-terminated; "-" is stdin).  0, or
 * -1 with e. */
int explain_run(const struct explain_options *o, char *const *inputs, FILE *out,
		struct adash_err *e);

#endif
