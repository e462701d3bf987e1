/*
 * Unit tests of lib/classify: on rows drawn from a known logistic model,
 * L2 and L1 logistic regression recover the coefficients' signs and order,
 * predict probabilities inside (0, 1) that rank well (AUC) and are
 * calibrated in the large (the intercept refit); L1 sets pure-noise columns
 * to exactly 0; balanced class weights raise the predictions of a rare
 * class; a larger C shrinks less; the same data give the same bits; and
 * the errors (one class, a bad C or weight, a label not 0 or 1).
 */
#include "classify.h"
#include "metrics.h"
#include "tap.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define P 5   /* x1, x2 carry signal; x3, x4, x5 are noise */

static const double true_coef[P] = { 2.0, -1.0, 0, 0, 0 };

/* n rows of P standard normal columns and y ~ Bernoulli(logistic(b0 +
 * x . true_coef)). */
static void draw(size_t n, double b0, unsigned long seed, gsl_matrix **X, gsl_vector **y)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	gsl_rng_set(r, seed);
	*X = gsl_matrix_alloc(n, P);
	*y = gsl_vector_alloc(n);
	for (size_t i = 0; i < n; i++) {
		double eta = b0;

		for (size_t j = 0; j < P; j++) {
			double v = gsl_ran_gaussian(r, 1);

			gsl_matrix_set(*X, i, j, v);
			eta += true_coef[j] * v;
		}
		gsl_vector_set(*y, i, gsl_rng_uniform(r) < 1 / (1 + exp(-eta)));
	}
	gsl_rng_free(r);
}

static double predict(const struct regress_fit *f, const gsl_matrix *X, size_t i)
{
	return 1 / (1 + exp(-regress_predict(f, gsl_matrix_const_ptr(X, i, 0))));
}

static struct classify_options opts(int penalty, double C)
{
	struct classify_options o;

	memset(&o, 0, sizeof o);
	o.penalty = penalty;
	o.C = C;
	o.weight[0] = o.weight[1] = 1;
	return o;
}

static void test_l2(void)
{
	gsl_matrix *X;
	gsl_vector *y;
	struct classify_options o = opts(PENALTY_L2, 1);
	struct regress_fit f, g;
	struct adash_err e;
	struct class_metrics cm;
	double sum_p = 0, sum_y = 0, lo = 1, hi = 0;
	int rc;

	draw(2000, -0.5, 1, &X, &y);
	rc = classify_fit(X, y, &o, &f, &e);
	is_int(rc, 0, "L2 logistic regression fits (%s)", rc ? e.msg : "");
	if (rc)
		goto out;
	ok(f.coef[0] > 0 && f.coef[1] < 0, "signs recovered: x1 positive (%.3f), x2 negative (%.3f)",
	   f.coef[0], f.coef[1]);
	ok(fabs(f.coef[0]) > fabs(f.coef[1]), "order recovered: |x1| > |x2|");
	ok(fabs(f.coef[0] - 2) < 0.3 && fabs(f.coef[1] + 1) < 0.2, "near the truth (2, -1): %.3f, %.3f",
	   f.coef[0], f.coef[1]);
	ok(fabs(f.coef[2]) < 0.15 && fabs(f.coef[3]) < 0.15 && fabs(f.coef[4]) < 0.15,
	   "noise columns small: %.3f %.3f %.3f", f.coef[2], f.coef[3], f.coef[4]);
	ok(fabs(f.intercept + 0.5) < 0.2, "intercept near the truth (-0.5): %.3f", f.intercept);
	ok(f.cov == NULL && f.lambda == 0 && f.sigma2 == 0 && f.dof == 1 + P,
	   "no covariance, lambda 0, sigma2 0, dof 1 + non-zero coefficients");
	class_metrics_init(&cm);
	for (size_t i = 0; i < X->size1; i++) {
		double p = predict(&f, X, i);

		lo = fmin(lo, p);
		hi = fmax(hi, p);
		sum_p += p;
		sum_y += gsl_vector_get(y, i);
		class_metrics_add(&cm, gsl_vector_get(y, i) != 0, p);
	}
	ok(lo > 0 && hi < 1, "probabilities inside (0, 1): %.4g .. %.4g", lo, hi);
	ok(class_metrics_auc(&cm) > 0.8, "AUC %.3f, well above 0.5", class_metrics_auc(&cm));
	is_num(sum_p, sum_y, 1e-8 * sum_y, "the intercept refit: mean prediction = share of positives");
	class_metrics_free(&cm);

	/* the same data: the same bits */
	rc = classify_fit(X, y, &o, &g, &e);
	ok(rc == 0 && g.intercept == f.intercept && memcmp(g.coef, f.coef, P * sizeof *g.coef) == 0,
	   "fitting again gives the same bits");
	regress_fit_free(&g);

	/* a small C shrinks the coefficients */
	o.C = 1.0 / 1024;
	rc = classify_fit(X, y, &o, &g, &e);
	ok(rc == 0 && fabs(g.coef[0]) < fabs(f.coef[0]) && fabs(g.coef[1]) < fabs(f.coef[1]),
	   "C = 1/1024 shrinks: %.3f < %.3f", rc ? 0 : g.coef[0], f.coef[0]);
	regress_fit_free(&g);
	regress_fit_free(&f);
out:
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

static void test_l1(void)
{
	gsl_matrix *X;
	gsl_vector *y;
	struct classify_options o = opts(PENALTY_L1, 0.01);
	struct regress_fit f, g;
	struct adash_err e;
	int rc;

	/* 2000 rows, C = 0.01: the L1 penalty outweighs what a noise column
	 * gains in fit (its score is O(sqrt(n)) = about 22 < 1/C = 100), not
	 * what x1 and x2 gain (O(n)) */
	draw(2000, -0.5, 2, &X, &y);
	rc = classify_fit(X, y, &o, &f, &e);
	is_int(rc, 0, "L1 logistic regression fits (%s)", rc ? e.msg : "");
	if (rc)
		goto out;
	ok(f.coef[2] == 0 && f.coef[3] == 0 && f.coef[4] == 0,
	   "L1: pure-noise columns are exactly 0 (%g %g %g)", f.coef[2], f.coef[3], f.coef[4]);
	ok(f.coef[0] > 0 && f.coef[1] < 0 && f.coef[0] > -f.coef[1],
	   "L1: x1 > 0 > x2, |x1| > |x2| (%.3f, %.3f)", f.coef[0], f.coef[1]);
	is_num(f.dof, 3, 0, "dof: the intercept and two non-zero coefficients");
	rc = classify_fit(X, y, &o, &g, &e);
	ok(rc == 0 && g.intercept == f.intercept && memcmp(g.coef, f.coef, P * sizeof *g.coef) == 0,
	   "L1 (a randomized solver) fitting again gives the same bits");
	regress_fit_free(&g);
	regress_fit_free(&f);

	/* a tiny C: every coefficient 0, the intercept the log-odds of the rate */
	o.C = 1e-4;
	rc = classify_fit(X, y, &o, &f, &e);
	if (rc == 0) {
		double rate = 0;
		int zeros = 1;

		for (size_t i = 0; i < y->size; i++)
			rate += gsl_vector_get(y, i) / (double)y->size;
		for (size_t j = 0; j < P; j++)
			zeros &= f.coef[j] == 0;
		ok(zeros, "L1 with C = 1e-4: every coefficient 0");
		is_num(f.intercept, log(rate / (1 - rate)), 1e-9, "and the intercept is logit(share of positives)");
		regress_fit_free(&f);
	} else {
		ok(0, "L1 with C = 1e-4 fits: %s", e.msg);
	}
out:
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

static void test_weights(void)
{
	gsl_matrix *X;
	gsl_vector *y;
	struct classify_options o = opts(PENALTY_L2, 1);
	struct regress_fit f, g;
	struct adash_err e;
	double mean_f = 0, mean_g = 0, rate = 0, wp = 0;
	size_t n, npos = 0;

	draw(3000, -3.5, 3, &X, &y);   /* about 7% positive */
	n = y->size;
	for (size_t i = 0; i < n; i++)
		npos += gsl_vector_get(y, i) == 1;
	rate = (double)npos / (double)n;
	classify_balanced_weights(n, npos, o.weight);
	is_num(o.weight[0], (double)n / (2.0 * (double)(n - npos)), 1e-15, "balanced: class 0 weighs n / (2 n0)");
	is_num(o.weight[1], (double)n / (2.0 * (double)npos), 1e-15, "balanced: class 1 weighs n / (2 n1)");
	is_num(o.weight[0] * (double)(n - npos), o.weight[1] * (double)npos, 1e-9, "each class weighs n / 2 in all");
	{
		double w[2];

		classify_balanced_weights(10, 0, w);
		ok(w[0] == 0.5 && w[1] == 1, "balanced with an absent class: 1 for it");
	}
	ok(classify_fit(X, y, &o, &g, &e) == 0, "balanced fit");
	o.weight[0] = o.weight[1] = 1;
	ok(classify_fit(X, y, &o, &f, &e) == 0, "unweighted fit");
	for (size_t i = 0; i < n; i++) {
		mean_f += predict(&f, X, i) / (double)n;
		mean_g += predict(&g, X, i) / (double)n;
	}
	ok(mean_g > mean_f + 0.1, "balanced weights raise the mean prediction: %.3f -> %.3f (rate %.3f)",
	   mean_f, mean_g, rate);
	is_num(mean_f, rate, 1e-9, "unweighted: the mean prediction is the share of positives");
	ok(g.coef[0] > 0 && g.coef[1] < 0, "the weighted fit keeps the signs");

	/* 1:W weighs positives W times: the weighted mean prediction matches */
	regress_fit_free(&g);
	o.weight[1] = 4;
	ok(classify_fit(X, y, &o, &g, &e) == 0, "1:4 fit");
	mean_g = 0;
	for (size_t i = 0; i < n; i++) {
		int c = gsl_vector_get(y, i) == 1;

		mean_g += (c ? 4 : 1) * predict(&g, X, i);
		wp += c ? 4 : 0;
	}
	is_num(mean_g, wp, 1e-8 * wp, "1:4: the class-weighted sum of predictions = the weighted positives");
	regress_fit_free(&f);
	regress_fit_free(&g);
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

static void test_errors(void)
{
	gsl_matrix *X = gsl_matrix_calloc(4, 1);
	gsl_vector *y = gsl_vector_calloc(4);
	struct classify_options o = opts(PENALTY_L2, 1);
	struct regress_fit f;
	struct adash_err e;

	for (size_t i = 0; i < 4; i++)
		gsl_matrix_set(X, i, 0, (double)i);
	err_clear(&e);
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EDATA && strstr(e.msg, "both 0 and 1") &&
	   f.coef == NULL, "only label 0: code 1 (%s)", e.msg);
	gsl_vector_set_all(y, 1);
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EDATA && strstr(e.msg, "label 1"),
	   "only label 1: code 1");
	gsl_vector_set(y, 0, 0);
	gsl_vector_set(y, 1, 2);
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EINTERNAL, "a label 2: the caller's bug, code 4");
	gsl_vector_set(y, 1, 1);
	o.C = 0;
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EUSAGE, "C = 0: code 2");
	o.C = NAN;
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EUSAGE, "C NaN: code 2");
	o.C = 1;
	o.weight[1] = -1;
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EUSAGE, "a negative class weight: code 2");
	o.weight[1] = 1;
	o.penalty = 7;
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EUSAGE, "an unknown penalty: code 2");
	o.penalty = PENALTY_L1;
	ok(classify_fit(X, y, &o, &f, &e) == 0 && f.p == 1, "four rows, both classes: a fit");
	regress_fit_free(&f);
	gsl_matrix_set(X, 2, 0, INFINITY);
	ok(classify_fit(X, y, &o, &f, &e) == -1 && e.code == ADASH_EDATA, "an infinite value: code 1");

	/* perfectly separable rows: finite, and the right way round */
	gsl_matrix_set(X, 2, 0, 2);
	gsl_vector_set(y, 0, 0);
	gsl_vector_set(y, 1, 0);
	gsl_vector_set(y, 2, 1);
	gsl_vector_set(y, 3, 1);
	o.penalty = PENALTY_L2;
	o.C = 1000;
	ok(classify_fit(X, y, &o, &f, &e) == 0 && isfinite(f.intercept) && f.coef[0] > 0,
	   "separable rows: a finite fit, increasing in x");
	regress_fit_free(&f);

	is_str(classify_algo_name(CLASSIFY_LOGREG), "logreg", "algo name");
	is_int(classify_algo_from_name("logreg"), CLASSIFY_LOGREG, "algo from name");
	is_int(classify_algo_from_name("ridge"), -1, "ridge is no classifier");
	is_int(classify_penalty_from_name("l1"), PENALTY_L1, "penalty l1");
	is_int(classify_penalty_from_name("l2"), PENALTY_L2, "penalty l2");
	is_int(classify_penalty_from_name("L2"), -1, "names are lower case");
	ok(classify_penalty_name(2) == NULL && classify_algo_name(-1) == NULL, "no name out of range");
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

int main(void)
{
	gsl_set_error_handler_off();
	test_l2();
	test_l1();
	test_weights();
	test_errors();
	return tap_done();
}
