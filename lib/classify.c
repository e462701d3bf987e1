/*
 * classify: see classify.h for what a fit minimizes.  Notes on how.
 *
 * liblinear's labels.  train() numbers the classes in the order they first
 * appear in y and treats the first as its +1: the weight vector it returns
 * is for "label[0] against the rest".  The rows are given as they come, so
 * the sign is read from model->label[0] and the weights negated when that
 * is class 0.  Class weights go through nr_weight / weight_label / weight,
 * which multiply C per class.
 *
 * Teacher's note on the intercept refit.  With beta held, the class-weighted
 * log-likelihood is concave in the intercept a, and its derivative
 *   f(a) = sum_i c_i (y_i - p_i(a)),  p_i(a) = logistic(a + x_i . beta)
 * falls strictly from sum_i c_i y_i > 0 (a -> -inf) to
 * -sum_i c_i (1 - y_i) < 0 (a -> +inf) when both classes are present, so
 * it has one root.  It is bracketed by stepping out from liblinear's
 * intercept in doubling steps, then found by Newton's method,
 * a <- a + f(a) / sum_i c_i p_i (1 - p_i), falling back to bisection when a
 * step leaves the bracket (far in the tails, where p (1 - p) underflows).
 *
 * Stopping tolerance: 1e-4 (LOGREG_EPS), tighter than liblinear's default
 * of 0.01, whose coefficients still move in the second digit when C
 * changes a little; a fit of 100000 rows of 30 columns takes well under a
 * second either way.
 */
#include "classify.h"
#include "xalloc.h"

#include <limits.h>
#include <linear.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOGREG_EPS 1e-4
#define INTERCEPT_MAXITER 200

static const char *const algo_names[] = { [CLASSIFY_LOGREG] = "logreg" };
#define NALGOS (sizeof algo_names / sizeof *algo_names)
static const char *const penalty_names[] = { [PENALTY_L2] = "l2", [PENALTY_L1] = "l1" };
#define NPENALTIES (sizeof penalty_names / sizeof *penalty_names)

static int name_index(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

int classify_algo_from_name(const char *name)
{
	return name_index(algo_names, NALGOS, name);
}

const char *classify_algo_name(int algo)
{
	return algo >= 0 && (size_t)algo < NALGOS ? algo_names[algo] : NULL;
}

int classify_penalty_from_name(const char *name)
{
	return name_index(penalty_names, NPENALTIES, name);
}

const char *classify_penalty_name(int penalty)
{
	return penalty >= 0 && (size_t)penalty < NPENALTIES ? penalty_names[penalty] : NULL;
}

void classify_balanced_weights(size_t n, size_t npos, double weight[2])
{
	size_t count[2] = { n - npos, npos };

	for (int c = 0; c < 2; c++)
		weight[c] = count[c] ? (double)n / (2.0 * (double)count[c]) : 1;
}

static void quiet(const char *s)
{
	(void)s;
}

/* 1 / (1 + e^-eta) without overflow. */
static double logistic(double eta)
{
	double z;

	if (eta >= 0)
		return 1 / (1 + exp(-eta));
	z = exp(eta);
	return z / (1 + z);
}

/* f(a) of the note above, and into *slope its negated derivative. */
static double intercept_score(const double *s, const gsl_vector *y, const double *weight, double a,
			      double *slope)
{
	double f = 0, d = 0;

	for (size_t i = 0; i < y->size; i++) {
		int c = gsl_vector_get(y, i) != 0;
		double p = logistic(a + s[i]);

		f += weight[c] * (c - p);
		d += weight[c] * p * (1 - p);
	}
	*slope = d;
	return f;
}

/* The intercept's root of the class-weighted score, from a0 (kept when no
 * root is bracketed within 2^64 of it, which finite data never reach). */
static double refit_intercept(const double *s, const gsl_vector *y, const double *weight, double a0)
{
	double slope, f0 = intercept_score(s, y, weight, a0, &slope), dir = f0 > 0 ? 1 : -1;
	double near = a0, far = a0, step = 1, lo, hi, a;
	int found = 0;

	if (f0 == 0 || isnan(f0))
		return a0;
	/* near: where f still has f0's sign; far: where it has changed */
	for (int i = 0; i < 64 && !found; i++, step *= 2) {
		double t = a0 + dir * step, g = intercept_score(s, y, weight, t, &slope);

		if (g != 0 && (g > 0) == (f0 > 0))
			near = t;
		else
			far = t, found = 1;
	}
	if (!found)
		return a0;
	lo = fmin(near, far);
	hi = fmax(near, far);
	a = near;
	for (int it = 0; it < INTERCEPT_MAXITER; it++) {
		double g = intercept_score(s, y, weight, a, &slope), next;

		if (g == 0)
			break;
		if (g > 0)   /* f falls: the root is above a */
			lo = a;
		else
			hi = a;
		next = slope > 0 ? a + g / slope : NAN;
		if (!(next > lo && next < hi))
			next = lo + (hi - lo) / 2;
		if (fabs(next - a) <= 1e-13 * (1 + fabs(a))) {
			a = next;
			break;
		}
		a = next;
	}
	return a;
}

static int check_input(const gsl_matrix *X, const gsl_vector *y, const struct classify_options *o,
		       size_t *npos, struct adash_err *e)
{
	size_t n = X->size1, p = X->size2;

	if (o->penalty != PENALTY_L2 && o->penalty != PENALTY_L1)
		return err_set(e, ADASH_EUSAGE, "logreg: unknown penalty %d", o->penalty);
	if (!(isfinite(o->C) && o->C > 0))
		return err_set(e, ADASH_EUSAGE, "logreg: the cost C must be a number > 0");
	for (int c = 0; c < 2; c++)
		if (!(isfinite(o->weight[c]) && o->weight[c] > 0))
			return err_set(e, ADASH_EUSAGE, "logreg: class weights must be numbers > 0");
	if (y->size != n)
		return err_set(e, ADASH_EINTERNAL, "logreg: X has %zu rows but y has %zu", n, y->size);
	if (n > INT_MAX || p + 1 > (size_t)INT_MAX || (p + 2) > SIZE_MAX / (n ? n : 1))
		return err_set(e, ADASH_EDATA, "logreg: %zu rows of %zu columns is too large", n, p);
	*npos = 0;
	for (size_t i = 0; i < n; i++) {
		double v = gsl_vector_get(y, i);

		if (v != 0 && v != 1)
			return err_set(e, ADASH_EINTERNAL, "logreg: label %g is not 0 or 1", v);
		*npos += v == 1;
		for (size_t j = 0; j < p; j++)
			if (!isfinite(gsl_matrix_get(X, i, j)))
				return err_set(e, ADASH_EDATA, "logreg: a value is not finite");
	}
	if (*npos == 0 || *npos == n)
		return err_set(e, ADASH_EDATA, "logreg: every one of the %zu rows has label %d; a classifier needs rows of both 0 and 1",
			       n, *npos ? 1 : 0);
	return 0;
}

int classify_fit(const gsl_matrix *X, const gsl_vector *y, const struct classify_options *o,
		 struct regress_fit *out, struct adash_err *e)
{
	size_t n = X->size1, p = X->size2, npos, nonzero = 0;
	struct feature_node *nodes, **rows;
	double *yl, *s, sign;
	int labels[2] = { 0, 1 };
	double weights[2];
	struct problem prob;
	struct parameter param;
	struct model *m;
	const char *bad;
	int ok = 1;

	memset(out, 0, sizeof *out);
	if (check_input(X, y, o, &npos, e) < 0)
		return -1;
	nodes = xmalloc(n * (p + 2) * sizeof *nodes);
	rows = xmalloc(n * sizeof *rows);
	yl = xmalloc(n * sizeof *yl);
	for (size_t i = 0; i < n; i++) {
		struct feature_node *row = nodes + i * (p + 2);

		for (size_t j = 0; j < p; j++) {
			row[j].index = (int)j + 1;
			row[j].value = gsl_matrix_get(X, i, j);
		}
		row[p].index = (int)p + 1;   /* the bias feature */
		row[p].value = CLASSIFY_BIAS;
		row[p + 1].index = -1;
		row[p + 1].value = 0;
		rows[i] = row;
		yl[i] = gsl_vector_get(y, i);
	}
	memset(&prob, 0, sizeof prob);
	prob.l = (int)n;
	prob.n = (int)p + 1;
	prob.y = yl;
	prob.x = rows;
	prob.bias = CLASSIFY_BIAS;
	memcpy(weights, o->weight, sizeof weights);
	memset(&param, 0, sizeof param);
	param.solver_type = o->penalty == PENALTY_L1 ? L1R_LR : L2R_LR;
	param.eps = LOGREG_EPS;
	param.C = o->C;
	param.nr_weight = 2;
	param.weight_label = labels;
	param.weight = weights;
	if (o->warm && o->warm->set && o->warm->n == p + 1 && o->penalty == PENALTY_L2)
		param.init_sol = o->warm->w;

	bad = check_parameter(&prob, &param);
	if (bad) {
		free(nodes);
		free(rows);
		free(yl);
		return err_set(e, ADASH_EUSAGE, "logreg: %s", bad);
	}
	set_print_string_function(quiet);
	srand(1);   /* the L1 solver's coordinate order; see classify.h */
	m = train(&prob, &param);
	free(nodes);
	free(rows);
	free(yl);
	if (!m)
		return err_set(e, ADASH_EINTERNAL, "logreg: liblinear could not train");

	if (o->warm && o->warm->n == p + 1) {
		memcpy(o->warm->w, m->w, (p + 1) * sizeof *m->w);
		o->warm->set = 1;
	}
	/* w is for label[0] against the other; see the top of the file */
	sign = m->label[0] == 1 ? 1 : -1;
	out->p = p;
	out->coef = xcalloc(p ? p : 1, sizeof *out->coef);
	for (size_t j = 0; j < p; j++) {
		double v = sign * m->w[j];

		out->coef[j] = v == 0 ? 0 : v;   /* an L1 zero negated is 0, not -0 */
		nonzero += v != 0;
	}
	out->intercept = sign * m->w[p] * m->bias;
	free_and_destroy_model(&m);

	s = xmalloc((n ? n : 1) * sizeof *s);
	for (size_t i = 0; i < n; i++) {
		double v = 0;

		for (size_t j = 0; j < p; j++)
			v += gsl_matrix_get(X, i, j) * out->coef[j];
		s[i] = v;
	}
	out->intercept = refit_intercept(s, y, o->weight, out->intercept);
	free(s);
	out->lambda = 0;
	out->sigma2 = 0;
	out->dof = 1 + (double)nonzero;
	ok = isfinite(out->intercept);
	for (size_t j = 0; ok && j < p; j++)
		ok = isfinite(out->coef[j]);
	if (!ok) {
		regress_fit_free(out);
		return err_set(e, ADASH_EDATA, "logreg: the fit is not finite; the values are too extreme in magnitude");
	}
	return 0;
}
