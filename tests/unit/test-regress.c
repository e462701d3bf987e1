/*
 * Unit tests of lib/regress: each fit against an independent computation
 * (GSL's least squares with an explicit ones column for ols, the ridge
 * normal equations solved by Cholesky, the GCV criterion evaluated from
 * them), weights against duplicated rows, Huber against an outlier, SVR
 * against a noiseless line, rank-deficient designs, and the refusals.
 * The data are drawn from a fixed seed, so every run sees the same numbers.
 */
#include "regress.h"
#include "tap.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static gsl_rng *rng;

/* |got - want| relative to max(1, |want|) over k entries: the largest. */
static double max_rel_err(const double *got, const double *want, size_t k)
{
	double worst = 0;

	for (size_t i = 0; i < k; i++) {
		double d = fabs(got[i] - want[i]) / fmax(1.0, fabs(want[i]));

		if (!(d <= worst))
			worst = d;   /* NaN sticks */
	}
	return worst;
}

/* n x p of standard normals, and y = b0 + X beta + sd * noise. */
static void make_data(size_t n, size_t p, double b0, const double *beta, double sd,
		      gsl_matrix **X, gsl_vector **y)
{
	*X = gsl_matrix_alloc(n, p);
	*y = gsl_vector_alloc(n);
	for (size_t i = 0; i < n; i++) {
		double v = b0;

		for (size_t j = 0; j < p; j++) {
			double x = gsl_ran_gaussian(rng, 1.0) + (double)j;

			gsl_matrix_set(*X, i, j, x);
			v += beta[j] * x;
		}
		gsl_vector_set(*y, i, v + sd * gsl_ran_gaussian(rng, 1.0));
	}
}

/* regress_fit for tests that check the fit, not the call: a failure is
 * reported and leaves NaN coefficients, so that later checks fail rather
 * than crash. */
static int fit(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w,
	       const struct regress_options *o, struct regress_fit *f)
{
	struct adash_err e;
	int rc = regress_fit(X, y, w, o, f, &e);

	if (rc) {
		printf("# regress_fit failed: %s\n", e.msg);
		f->p = X->size2;
		f->coef = malloc((f->p + 1) * sizeof *f->coef);
		f->cov = malloc((f->p * f->p + 1) * sizeof *f->cov);
		for (size_t j = 0; j < f->p; j++)
			f->coef[j] = NAN;
		for (size_t j = 0; j < f->p * f->p; j++)
			f->cov[j] = NAN;
		f->intercept = f->sigma2 = f->dof = f->lambda = NAN;
	}
	return rc;
}

static struct regress_options opts(int algo)
{
	struct regress_options o;

	memset(&o, 0, sizeof o);
	o.algo = algo;
	o.lambda_mode = LAMBDA_GCV;
	o.svr_epsilon = -1;
	return o;
}

static void test_names(void)
{
	static const char *const names[] = { "ols", "ridge", "huber", "svr" };
	int bad = 0;

	for (int a = 0; a < 4; a++)
		if (regress_algo_from_name(names[a]) != a || strcmp(regress_algo_name(a), names[a]) != 0)
			bad++;
	is_int(bad, 0, "algorithm names round-trip");
	is_int(regress_algo_from_name("lasso"), -1, "an unknown name is -1");
	is_int(regress_algo_from_name("OLS"), -1, "names are case-sensitive");
	ok(regress_algo_name(4) == NULL && regress_algo_name(-1) == NULL,
	   "an unknown algorithm has no name");
}

/* ols equals gsl_multifit_linear on [1 X], coefficients and covariance. */
static void test_ols(void)
{
	static const double beta[] = { 2.0, -1.0, 0.5 };
	size_t n = 50, p = 3;
	gsl_matrix *X, *X1 = gsl_matrix_alloc(n, p + 1), *cov1 = gsl_matrix_alloc(p + 1, p + 1);
	gsl_vector *y, *c1 = gsl_vector_alloc(p + 1);
	gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(n, p + 1);
	struct regress_options o = opts(REGRESS_OLS);
	struct regress_fit f;
	double chisq, want[3], wantcov[9], x[3];
	int rc;

	make_data(n, p, 1.5, beta, 0.3, &X, &y);
	for (size_t i = 0; i < n; i++) {
		gsl_matrix_set(X1, i, 0, 1.0);
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(X1, i, j + 1, gsl_matrix_get(X, i, j));
	}
	gsl_multifit_linear(X1, y, c1, cov1, &chisq, ws);

	rc = fit(X, y, NULL, &o, &f);
	is_int(rc, 0, "ols fits");
	is_int(f.p, 3, "ols: p is the number of columns");
	for (size_t j = 0; j < p; j++) {
		want[j] = gsl_vector_get(c1, j + 1);
		for (size_t k = 0; k < p; k++)
			wantcov[j * p + k] = gsl_matrix_get(cov1, j + 1, k + 1);
	}
	ok(max_rel_err(f.coef, want, p) <= 1e-9, "ols coefficients equal GSL's with a ones column");
	is_num(f.intercept, gsl_vector_get(c1, 0), 1e-9 * fabs(gsl_vector_get(c1, 0)),
	       "ols intercept equals GSL's");
	is_num(f.dof, 4, 1e-12, "ols dof is 1 + rank");
	is_num(f.sigma2, chisq / (double)(n - p - 1), 1e-9 * chisq / (double)n,
	       "ols sigma2 is RSS / (n - p - 1)");
	ok(f.cov != NULL && max_rel_err(f.cov, wantcov, p * p) <= 1e-9,
	   "ols covariance equals GSL's sigma2 (X'X)^-1 block");
	is_num(f.lambda, 0, 0, "ols lambda is 0");
	ok(fabs(f.coef[0] - 2.0) < 0.2 && fabs(f.coef[1] + 1.0) < 0.2, "ols is near the truth");

	x[0] = 0.3;
	x[1] = -1.2;
	x[2] = 2.5;
	{
		double want_pred = gsl_vector_get(c1, 0);

		for (size_t j = 0; j < p; j++)
			want_pred += x[j] * gsl_vector_get(c1, j + 1);
		is_num(regress_predict(&f, x), want_pred, 1e-9 * fabs(want_pred),
		       "regress_predict is intercept + x . coef");
	}
	regress_fit_free(&f);
	ok(f.coef == NULL && f.cov == NULL && f.p == 0, "regress_fit_free empties the fit");

	gsl_multifit_linear_free(ws);
	gsl_matrix_free(X);
	gsl_matrix_free(X1);
	gsl_matrix_free(cov1);
	gsl_vector_free(y);
	gsl_vector_free(c1);
}

/* The ridge solution from the normal equations: centre (unweighted), then
 * (Xc'Xc + l^2 I) b = Xc'yc by Cholesky.  Also the hat trace and the GCV
 * criterion RSS / (n - trace)^2. */
struct ridge_ref {
	double coef[8], intercept, trace, rss, gcv;
};

static void ridge_direct(const gsl_matrix *X, const gsl_vector *y, double lambda,
			 struct ridge_ref *r)
{
	size_t n = X->size1, p = X->size2;
	gsl_matrix *Xc = gsl_matrix_alloc(n, p), *M = gsl_matrix_alloc(p, p);
	gsl_matrix *XtX = gsl_matrix_alloc(p, p), *H = gsl_matrix_alloc(p, p);
	gsl_vector *yc = gsl_vector_alloc(n), *rhs = gsl_vector_alloc(p);
	double xbar[8], ybar = 0;

	for (size_t j = 0; j < p; j++) {
		xbar[j] = 0;
		for (size_t i = 0; i < n; i++)
			xbar[j] += gsl_matrix_get(X, i, j) / (double)n;
	}
	for (size_t i = 0; i < n; i++)
		ybar += gsl_vector_get(y, i) / (double)n;
	for (size_t i = 0; i < n; i++) {
		gsl_vector_set(yc, i, gsl_vector_get(y, i) - ybar);
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(Xc, i, j, gsl_matrix_get(X, i, j) - xbar[j]);
	}
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, Xc, Xc, 0.0, XtX);
	gsl_matrix_memcpy(M, XtX);
	for (size_t j = 0; j < p; j++)
		*gsl_matrix_ptr(M, j, j) += lambda * lambda;
	gsl_blas_dgemv(CblasTrans, 1.0, Xc, yc, 0.0, rhs);
	gsl_linalg_cholesky_decomp1(M);
	{
		gsl_vector_view b = gsl_vector_view_array(r->coef, p);

		gsl_linalg_cholesky_solve(M, rhs, &b.vector);
	}
	r->intercept = ybar;
	for (size_t j = 0; j < p; j++)
		r->intercept -= xbar[j] * r->coef[j];
	/* trace of Xc M^-1 Xc' = trace of M^-1 Xc'Xc */
	gsl_matrix_memcpy(H, XtX);
	for (size_t j = 0; j < p; j++) {
		gsl_vector_view col = gsl_matrix_column(H, j);

		gsl_linalg_cholesky_svx(M, &col.vector);
	}
	r->trace = 0;
	for (size_t j = 0; j < p; j++)
		r->trace += gsl_matrix_get(H, j, j);
	r->rss = 0;
	for (size_t i = 0; i < n; i++) {
		double res = gsl_vector_get(yc, i);

		for (size_t j = 0; j < p; j++)
			res -= gsl_matrix_get(Xc, i, j) * r->coef[j];
		r->rss += res * res;
	}
	r->gcv = r->rss / (((double)n - r->trace) * ((double)n - r->trace));
	gsl_matrix_free(Xc);
	gsl_matrix_free(M);
	gsl_matrix_free(XtX);
	gsl_matrix_free(H);
	gsl_vector_free(yc);
	gsl_vector_free(rhs);
}

static void test_ridge_fixed(void)
{
	static const double beta[] = { 1.0, 0.8, -0.6, 0.0 };
	size_t n = 40, p = 4;
	gsl_matrix *X;
	gsl_vector *y;
	struct regress_options o = opts(REGRESS_RIDGE);
	struct regress_fit f, g;
	struct ridge_ref r;
	struct adash_err e;
	double lambdas[] = { 0.5, 3.7, 40.0 };

	make_data(n, p, -2.0, beta, 1.0, &X, &y);
	o.lambda_mode = LAMBDA_FIXED;
	for (size_t k = 0; k < 3; k++) {
		o.lambda = lambdas[k];
		ridge_direct(X, y, o.lambda, &r);
		is_int(fit(X, y, NULL, &o, &f), 0, "ridge with lambda %g fits", o.lambda);
		ok(max_rel_err(f.coef, r.coef, p) <= 1e-9,
		   "ridge lambda %g: coefficients solve (Xc'Xc + l^2 I) b = Xc'yc", o.lambda);
		is_num(f.intercept, r.intercept, 1e-9 * fmax(1, fabs(r.intercept)),
		       "ridge lambda %g: intercept is mean(y) - mean(X) . b", o.lambda);
		is_num(f.dof, 1 + r.trace, 1e-9, "ridge lambda %g: dof is 1 + hat trace", o.lambda);
		is_num(f.sigma2, r.rss / ((double)n - 1 - r.trace), 1e-9 * f.sigma2,
		       "ridge lambda %g: sigma2 is RSS / (n - dof)", o.lambda);
		is_num(f.lambda, o.lambda, 0, "ridge lambda %g: the penalty is reported", o.lambda);
		regress_fit_free(&f);
	}

	/* a larger penalty shrinks the coefficients */
	{
		double n1 = 0, n2 = 0;

		o.lambda = 1;
		fit(X, y, NULL, &o, &f);
		o.lambda = 10;
		fit(X, y, NULL, &o, &g);
		for (size_t j = 0; j < p; j++) {
			n1 += f.coef[j] * f.coef[j];
			n2 += g.coef[j] * g.coef[j];
		}
		ok(n2 < n1, "a larger penalty gives a smaller coefficient norm");
		/* cov = sigma2 M^-1 Xc'Xc M^-1 is symmetric positive: check the
		 * diagonal and symmetry */
		ok(g.cov[0] > 0 && g.cov[1] == g.cov[p], "ridge covariance is symmetric with a positive diagonal");
		regress_fit_free(&f);
		regress_fit_free(&g);
	}

	/* lambda 0 is ols */
	{
		struct regress_options ols = opts(REGRESS_OLS);

		o.lambda = 0;
		fit(X, y, NULL, &o, &f);
		fit(X, y, NULL, &ols, &g);
		ok(max_rel_err(f.coef, g.coef, p) <= 1e-12 && f.intercept == g.intercept,
		   "ridge with lambda 0 is ols");
		regress_fit_free(&f);
		regress_fit_free(&g);
	}

	o.lambda = -1;
	ok(regress_fit(X, y, NULL, &o, &f, &e) == -1 && e.code == 2, "a negative penalty is a usage error");
	o.lambda = NAN;
	ok(regress_fit(X, y, NULL, &o, &f, &e) == -1 && e.code == 2, "a NaN penalty is a usage error");
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

static void test_ridge_gcv(void)
{
	static const double beta[] = { 1.0, 0.5, 0.0, 0.0, -0.3, 0.0 };
	size_t n = 30, p = 6, ngrid = 25;
	gsl_matrix *X;
	gsl_vector *y;
	struct regress_options o = opts(REGRESS_RIDGE);
	struct regress_fit f, g;
	struct ridge_ref at, other;
	struct adash_err e;
	double grid[25];
	int worse = 0;

	make_data(n, p, 0.5, beta, 2.0, &X, &y);
	is_int(fit(X, y, NULL, &o, &f), 0, "ridge with GCV fits");
	ok(f.lambda > 0 && isfinite(f.lambda), "GCV picks a positive penalty (%g)", f.lambda);

	is_int(regress_lambda_grid(X, NULL, ngrid, grid, &e), 0, "regress_lambda_grid works");
	ok(f.lambda <= grid[0] && f.lambda >= grid[ngrid - 1],
	   "the GCV penalty lies between the smallest and largest singular values");

	ridge_direct(X, y, f.lambda, &at);
	for (size_t k = 0; k < ngrid; k++) {
		ridge_direct(X, y, grid[k], &other);
		if (at.gcv > other.gcv * (1 + 1e-12))
			worse++;
	}
	ridge_direct(X, y, f.lambda * 1.5, &other);
	worse += at.gcv > other.gcv;
	ridge_direct(X, y, f.lambda / 1.5, &other);
	worse += at.gcv > other.gcv;
	is_int(worse, 0, "GCV at the chosen penalty is no worse than at 27 others");
	/* and it is refined between grid points, not just the best of them */
	ridge_direct(X, y, f.lambda * 1.0005, &other);
	worse = at.gcv > other.gcv;
	ridge_direct(X, y, f.lambda / 1.0005, &other);
	worse += at.gcv > other.gcv;
	is_int(worse, 0, "GCV at the chosen penalty is no worse than 0.05%% either side");

	/* the GCV fit is the fixed fit at the chosen penalty */
	o.lambda_mode = LAMBDA_FIXED;
	o.lambda = f.lambda;
	fit(X, y, NULL, &o, &g);
	ok(max_rel_err(f.coef, g.coef, p) <= 1e-12, "a GCV fit equals a fixed fit at its penalty");
	ok(max_rel_err(f.coef, at.coef, p) <= 1e-9, "and the normal equations' solution");
	regress_fit_free(&f);
	regress_fit_free(&g);

	/* the grid: largest and smallest singular values of centred X,
	 * log-spaced */
	{
		gsl_matrix *A = gsl_matrix_alloc(n, p), *V = gsl_matrix_alloc(p, p);
		gsl_vector *S = gsl_vector_alloc(p), *work = gsl_vector_alloc(p);
		double ratio = grid[1] / grid[0];
		int uneven = 0;

		for (size_t j = 0; j < p; j++) {
			double m = 0;

			for (size_t i = 0; i < n; i++)
				m += gsl_matrix_get(X, i, j) / (double)n;
			for (size_t i = 0; i < n; i++)
				gsl_matrix_set(A, i, j, gsl_matrix_get(X, i, j) - m);
		}
		gsl_linalg_SV_decomp(A, V, S, work);
		is_num(grid[0], gsl_vector_get(S, 0), 1e-9 * grid[0],
		       "the grid starts at the largest singular value");
		is_num(grid[ngrid - 1], gsl_vector_get(S, p - 1), 1e-9 * grid[ngrid - 1],
		       "the grid ends at the smallest singular value");
		for (size_t k = 1; k < ngrid; k++)
			if (fabs(grid[k] / grid[k - 1] - ratio) > 1e-9)
				uneven++;
		is_int(uneven, 0, "the grid is log-spaced");
		gsl_matrix_free(A);
		gsl_matrix_free(V);
		gsl_vector_free(S);
		gsl_vector_free(work);
	}
	{
		double one;

		is_int(regress_lambda_grid(X, NULL, 1, &one, &e), 0, "a grid of one");
		is_num(one, grid[0], 1e-12 * grid[0], "a grid of one is the largest singular value");
	}
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

/* Integer weights are duplicated rows: same coefficients for ols and
 * ridge. */
static void test_weights(void)
{
	static const double beta[] = { 0.7, -1.3 };
	size_t n = 25, p = 2, m = 0;
	gsl_matrix *X, *Xd;
	gsl_vector *y, *yd, *w = gsl_vector_alloc(n);
	struct regress_options o = opts(REGRESS_OLS);
	struct regress_fit f, g;
	struct adash_err e;
	double grid_w[10], grid_d[10];

	make_data(n, p, 4.0, beta, 0.5, &X, &y);
	for (size_t i = 0; i < n; i++) {
		gsl_vector_set(w, i, (double)(1 + i % 3));
		m += 1 + i % 3;
	}
	Xd = gsl_matrix_alloc(m, p);
	yd = gsl_vector_alloc(m);
	for (size_t i = 0, r = 0; i < n; i++)
		for (size_t k = 0; k < 1 + i % 3; k++, r++) {
			for (size_t j = 0; j < p; j++)
				gsl_matrix_set(Xd, r, j, gsl_matrix_get(X, i, j));
			gsl_vector_set(yd, r, gsl_vector_get(y, i));
		}

	is_int(fit(X, y, w, &o, &f), 0, "weighted ols fits");
	is_int(fit(Xd, yd, NULL, &o, &g), 0, "ols on duplicated rows fits");
	ok(max_rel_err(f.coef, g.coef, p) <= 1e-9, "weighted ols coefficients equal duplicated rows'");
	is_num(f.intercept, g.intercept, 1e-9 * fabs(g.intercept),
	       "weighted ols intercept equals duplicated rows'");
	/* the covariance differs only through sigma2's row count */
	is_num(f.cov[0] / f.sigma2, g.cov[0] / g.sigma2, 1e-9 * fabs(g.cov[0] / g.sigma2),
	       "weighted ols (X'WX)^-1 equals duplicated rows' (X'X)^-1");
	regress_fit_free(&f);
	regress_fit_free(&g);

	o.algo = REGRESS_RIDGE;
	o.lambda_mode = LAMBDA_FIXED;
	o.lambda = 2.5;
	fit(X, y, w, &o, &f);
	fit(Xd, yd, NULL, &o, &g);
	ok(max_rel_err(f.coef, g.coef, p) <= 1e-9 && fabs(f.intercept - g.intercept) <= 1e-9,
	   "weighted ridge equals ridge on duplicated rows");
	is_num(f.dof, g.dof, 1e-9, "and has the same hat trace");
	regress_fit_free(&f);
	regress_fit_free(&g);

	regress_lambda_grid(X, w, 10, grid_w, &e);
	regress_lambda_grid(Xd, NULL, 10, grid_d, &e);
	ok(max_rel_err(grid_w, grid_d, 10) <= 1e-9, "the weighted grid equals duplicated rows' grid");

	/* a weight of 1 everywhere changes nothing */
	gsl_vector_set_all(w, 1.0);
	o.algo = REGRESS_OLS;
	fit(X, y, w, &o, &f);
	fit(X, y, NULL, &o, &g);
	ok(max_rel_err(f.coef, g.coef, p) <= 1e-12, "unit weights are no weights");
	regress_fit_free(&f);
	regress_fit_free(&g);

	gsl_vector_set(w, 3, 0.0);
	ok(regress_fit(X, y, w, &o, &f, &e) == -1 && e.code == 1 && strstr(e.msg, "row 4"),
	   "a zero weight is bad data naming the row: %s", e.msg);
	gsl_vector_set(w, 3, NAN);
	ok(regress_fit(X, y, w, &o, &f, &e) == -1 && e.code == 1, "a NaN weight is bad data");

	gsl_matrix_free(X);
	gsl_matrix_free(Xd);
	gsl_vector_free(y);
	gsl_vector_free(yd);
	gsl_vector_free(w);
}

static void test_huber(void)
{
	size_t n = 40;
	gsl_matrix *X = gsl_matrix_alloc(n, 1);
	gsl_vector *y = gsl_vector_alloc(n), *w = gsl_vector_alloc(n);
	struct regress_options o = opts(REGRESS_OLS);
	struct regress_fit ols, hub;

	for (size_t i = 0; i < n; i++) {
		double x = (double)i / 4.0;

		gsl_matrix_set(X, i, 0, x);
		gsl_vector_set(y, i, 1.0 + 2.0 * x + 0.1 * gsl_ran_gaussian(rng, 1.0));
	}
	/* an outlier at the high-leverage end */
	*gsl_vector_ptr(y, n - 1) += 80;

	is_int(fit(X, y, NULL, &o, &ols), 0, "ols on data with an outlier");
	o.algo = REGRESS_HUBER;
	is_int(fit(X, y, NULL, &o, &hub), 0, "huber on data with an outlier");
	ok(fabs(ols.coef[0] - 2.0) > 0.5, "the outlier drags the ols slope (%g)", ols.coef[0]);
	ok(fabs(hub.coef[0] - 2.0) < 0.05, "huber's slope stays near 2 (%g)", hub.coef[0]);
	ok(fabs(hub.intercept - 1.0) < 0.2, "huber's intercept stays near 1 (%g)", hub.intercept);
	ok(hub.cov && hub.cov[0] > 0 && isfinite(hub.cov[0]), "huber has a covariance");
	is_num(hub.dof, 2, 0, "huber dof is 1 + rank");
	ok(hub.sigma2 > 0, "huber sigma2 is positive");
	regress_fit_free(&ols);
	regress_fit_free(&hub);

	/* weights: all 2 gives the same fit as none (scaling every row) */
	gsl_vector_set_all(w, 2.0);
	{
		struct regress_fit a, b;

		fit(X, y, w, &o, &a);
		fit(X, y, NULL, &o, &b);
		is_num(a.coef[0], b.coef[0], 1e-6, "huber with equal weights equals unweighted");
		regress_fit_free(&a);
		regress_fit_free(&b);
	}

	/* a perfect fit: most residuals exactly 0 */
	for (size_t i = 0; i < n; i++)
		gsl_vector_set(y, i, 3.0 - 0.5 * gsl_matrix_get(X, i, 0));
	is_int(fit(X, y, NULL, &o, &hub), 0, "huber on a perfect line fits");
	ok(fabs(hub.coef[0] + 0.5) < 1e-9 && fabs(hub.intercept - 3.0) < 1e-9,
	   "huber recovers a perfect line exactly");
	ok(hub.cov && isfinite(hub.cov[0]), "huber's covariance is finite on a perfect line");
	regress_fit_free(&hub);

	gsl_matrix_free(X);
	gsl_vector_free(y);
	gsl_vector_free(w);
}

static void test_svr(void)
{
	static const double beta[] = { 2.0, -1.0 };
	size_t n = 200, p = 2;
	gsl_matrix *X;
	gsl_vector *y, *w = gsl_vector_alloc(n);
	struct regress_options o = opts(REGRESS_SVR);
	struct regress_fit f;
	struct adash_err e;
	int rc;

	make_data(n, p, 3.0, beta, 0.0, &X, &y);
	o.svr_c = 100;
	o.svr_epsilon = 0;
	rc = fit(X, y, NULL, &o, &f);
	is_int(rc, 0, "svr fits");
	ok(fabs(f.coef[0] - 2.0) < 1e-2 && fabs(f.coef[1] + 1.0) < 1e-2,
	   "svr recovers the slopes of a noiseless plane (%g, %g)", f.coef[0], f.coef[1]);
	ok(fabs(f.intercept - 3.0) < 1e-2, "svr recovers the intercept (%g)", f.intercept);
	ok(f.cov == NULL, "svr has no covariance");
	is_num(f.lambda, 0, 0, "svr lambda is 0");
	{
		double x[2] = { 1.0, 1.0 };

		is_num(regress_predict(&f, x), f.intercept + f.coef[0] + f.coef[1], 1e-12,
		       "svr predicts intercept + x . coef");
		is_num(regress_predict(&f, x), 4.0, 2e-2, "svr predicts the plane");
	}
	regress_fit_free(&f);

	/* defaults (C = 1, epsilon = 0.1 sd): close, not exact */
	o.svr_c = 0;
	o.svr_epsilon = -1;
	is_int(fit(X, y, NULL, &o, &f), 0, "svr with default C and epsilon fits");
	ok(fabs(f.coef[0] - 2.0) < 0.2 && fabs(f.coef[1] + 1.0) < 0.2,
	   "svr defaults are near the truth (%g, %g)", f.coef[0], f.coef[1]);
	regress_fit_free(&f);

	/* the same target on another scale gives the same fit, scaled */
	{
		struct regress_fit a;

		o.svr_c = 10;
		o.svr_epsilon = 0.05;
		fit(X, y, NULL, &o, &f);
		gsl_vector_scale(y, 1000);
		fit(X, y, NULL, &o, &a);
		is_num(a.coef[0], 1000 * f.coef[0], 1e-6 * fabs(a.coef[0]),
		       "svr's epsilon and C are in units of y's spread");
		regress_fit_free(&a);
		regress_fit_free(&f);
	}

	gsl_vector_set_all(w, 1.0);
	rc = regress_fit(X, y, w, &o, &f, &e);
	ok(rc == -1 && e.code == 2, "svr with weights is a usage error");
	is_str(e.msg, "svr takes no row weights", "and says so");
	ok(f.coef == NULL, "a failed fit is left empty");
	o.svr_c = -1;
	ok(regress_fit(X, y, NULL, &o, &f, &e) == -1 && e.code == 2, "a negative C is a usage error");

	gsl_matrix_free(X);
	gsl_vector_free(y);
	gsl_vector_free(w);
}

/* A duplicated column and a full one-hot block: the fits go through and
 * predict what the full-rank design predicts. */
static void test_rank_deficient(void)
{
	static const double beta[] = { 1.5, -0.5 };
	static const int algos[] = { REGRESS_OLS, REGRESS_RIDGE, REGRESS_HUBER };
	size_t n = 30, p = 2;
	gsl_matrix *X, *X3 = gsl_matrix_alloc(n, 3);
	gsl_vector *y;
	struct regress_fit f, g;

	make_data(n, p, 1.0, beta, 0.2, &X, &y);
	for (size_t i = 0; i < n; i++) {
		gsl_matrix_set(X3, i, 0, gsl_matrix_get(X, i, 0));
		gsl_matrix_set(X3, i, 1, gsl_matrix_get(X, i, 1));
		gsl_matrix_set(X3, i, 2, gsl_matrix_get(X, i, 0));
	}
	for (size_t a = 0; a < 3; a++) {
		struct regress_options o = opts(algos[a]);
		double worst = 0;
		int rc1, rc2;

		rc1 = fit(X3, y, NULL, &o, &f);
		if (algos[a] == REGRESS_RIDGE) {
			/* the same penalty for both, so the fits compare */
			o.lambda_mode = LAMBDA_FIXED;
			o.lambda = f.lambda;
			regress_fit_free(&f);
			rc1 = fit(X3, y, NULL, &o, &f);
		}
		rc2 = fit(X, y, NULL, &o, &g);
		ok(rc1 == 0 && rc2 == 0, "%s fits with a duplicated column", regress_algo_name(algos[a]));
		for (size_t i = 0; i < n; i++) {
			double x3[3], x2[2];

			x2[0] = x3[0] = x3[2] = gsl_matrix_get(X, i, 0) + 0.5;
			x2[1] = x3[1] = gsl_matrix_get(X, i, 1) - 0.25;
			worst = fmax(worst, fabs(regress_predict(&f, x3) - regress_predict(&g, x2)));
		}
		if (algos[a] == REGRESS_OLS) {
			ok(worst <= 1e-9, "ols: predictions with the duplicate equal those without");
			is_num(f.coef[0], f.coef[2], 1e-9, "ols: the duplicates share the effect equally");
			is_num(f.coef[0] + f.coef[2], g.coef[0], 1e-9, "ols: and sum to it");
			is_num(f.dof, 3, 0, "ols: dof counts the rank, not the columns");
			is_num(f.sigma2, g.sigma2, 1e-9 * g.sigma2, "ols: sigma2 is unchanged");
			ok(isfinite(f.cov[0]) && f.cov[0] > 0, "ols: the covariance is finite");
		} else if (algos[a] == REGRESS_RIDGE) {
			/* not the same fit: the duplicate halves the penalty on
			 * x1's effect; but finite and close */
			ok(isfinite(worst) && worst < 0.5, "ridge: a duplicated column fits sensibly");
		} else {
			ok(worst <= 1e-6, "huber: predictions with the duplicate equal those without (%g)",
			   worst);
		}
		regress_fit_free(&f);
		regress_fit_free(&g);
	}

	/* one-hot: three levels, every row in one, plus a numeric column;
	 * against dummy coding with the first level dropped */
	{
		gsl_matrix *H = gsl_matrix_alloc(n, 4), *D = gsl_matrix_alloc(n, 3);
		struct regress_options o = opts(REGRESS_OLS);
		double worst = 0;

		for (size_t i = 0; i < n; i++) {
			size_t lev = i % 3;
			double x = gsl_matrix_get(X, i, 0);

			for (size_t k = 0; k < 3; k++)
				gsl_matrix_set(H, i, k, k == lev);
			gsl_matrix_set(H, i, 3, x);
			gsl_matrix_set(D, i, 0, lev == 1);
			gsl_matrix_set(D, i, 1, lev == 2);
			gsl_matrix_set(D, i, 2, x);
			gsl_vector_set(y, i, 2.0 + (double)lev * 1.5 - x + 0.1 * gsl_ran_gaussian(rng, 1));
		}
		ok(fit(H, y, NULL, &o, &f) == 0 && fit(D, y, NULL, &o, &g) == 0,
		   "ols fits a full one-hot block");
		for (size_t lev = 0; lev < 3; lev++) {
			double h[4] = { lev == 0, lev == 1, lev == 2, 0.7 }, d[3] = { lev == 1, lev == 2, 0.7 };

			worst = fmax(worst, fabs(regress_predict(&f, h) - regress_predict(&g, d)));
		}
		ok(worst <= 1e-9, "one-hot predictions equal dummy coding's");
		is_num(f.coef[1] - f.coef[0], g.coef[0], 1e-9, "level contrasts equal dummy coding's");
		is_num(f.coef[0] + f.coef[1] + f.coef[2], 0, 1e-9,
		       "the minimum-norm one-hot effects sum to 0");
		regress_fit_free(&f);
		regress_fit_free(&g);
		gsl_matrix_free(H);
		gsl_matrix_free(D);
	}

	/* a constant column: no effect, no harm */
	{
		struct regress_options o = opts(REGRESS_OLS);

		for (size_t i = 0; i < n; i++)
			gsl_matrix_set(X3, i, 2, 0.1);
		fit(X3, y, NULL, &o, &f);
		fit(X, y, NULL, &o, &g);
		ok(f.coef[2] == 0 && max_rel_err(f.coef, g.coef, 2) <= 1e-9 &&
		   fabs(f.intercept - g.intercept) <= 1e-9,
		   "a constant column gets 0 and changes nothing");
		regress_fit_free(&f);
		regress_fit_free(&g);
		o.algo = REGRESS_RIDGE;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < 3; j++)
				gsl_matrix_set(X3, i, j, 7.0);
		ok(fit(X3, y, NULL, &o, &f) == 0 && f.coef[0] == 0 && f.coef[1] == 0,
		   "ridge with every column constant fits the mean");
		{
			double ybar = 0;

			for (size_t i = 0; i < n; i++)
				ybar += gsl_vector_get(y, i) / (double)n;
			is_num(f.intercept, ybar, 1e-12, "and the intercept is the mean");
		}
		regress_fit_free(&f);
	}
	gsl_matrix_free(X);
	gsl_matrix_free(X3);
	gsl_vector_free(y);
}

static void test_refusals(void)
{
	static const int algos[] = { REGRESS_OLS, REGRESS_RIDGE, REGRESS_HUBER, REGRESS_SVR };
	gsl_matrix *X = gsl_matrix_alloc(4, 3);
	gsl_vector *y = gsl_vector_alloc(4);
	struct regress_fit f;
	struct adash_err e;
	double grid[3];

	for (size_t i = 0; i < 4; i++) {
		for (size_t j = 0; j < 3; j++)
			gsl_matrix_set(X, i, j, (double)((i * 7 + j * 3) % 5));
		gsl_vector_set(y, i, (double)i);
	}
	for (size_t a = 0; a < 4; a++) {
		struct regress_options o = opts(algos[a]);
		gsl_matrix_const_view sub = gsl_matrix_const_submatrix(X, 0, 0, 3, 3);
		gsl_vector_const_view ysub = gsl_vector_const_subvector(y, 0, 3);

		ok(regress_fit(&sub.matrix, &ysub.vector, NULL, &o, &f, &e) == -1 && e.code == 1 &&
		   f.coef == NULL, "%s: 3 rows for 3 columns is bad data", regress_algo_name(algos[a]));
		ok(regress_fit(X, y, NULL, &o, &f, &e) == -1 && e.code == 1 &&
		   strstr(e.msg, "need at least 5 rows"),
		   "%s: 4 rows for 3 columns and an intercept: %s", regress_algo_name(algos[a]), e.msg);
	}
	ok(regress_lambda_grid(X, NULL, 3, grid, &e) == -1 && e.code == 1,
	   "the grid refuses too few rows too");
	gsl_matrix_free(X);
	gsl_vector_free(y);

	/* non-finite values */
	{
		static const double beta[] = { 1.0 };
		gsl_matrix *X2;
		gsl_vector *y2;

		make_data(10, 1, 0, beta, 1, &X2, &y2);
		for (size_t a = 0; a < 4; a++) {
			struct regress_options o = opts(algos[a]);
			const char *name = regress_algo_name(algos[a]);

			gsl_matrix_set(X2, 5, 0, NAN);
			ok(regress_fit(X2, y2, NULL, &o, &f, &e) == -1 && e.code == 1 &&
			   strstr(e.msg, "row 6"), "%s: NaN in X is bad data: %s", name, e.msg);
			gsl_matrix_set(X2, 5, 0, 1.0);
			gsl_vector_set(y2, 2, INFINITY);
			ok(regress_fit(X2, y2, NULL, &o, &f, &e) == -1 && e.code == 1 &&
			   strstr(e.msg, "row 3"), "%s: infinity in y is bad data: %s", name, e.msg);
			gsl_vector_set(y2, 2, 1.0);
			ok(fit(X2, y2, NULL, &o, &f) == 0, "%s: fixed, it fits", name);
			regress_fit_free(&f);
		}
		{
			struct regress_options o = opts(REGRESS_OLS);

			o.algo = 9;
			ok(regress_fit(X2, y2, NULL, &o, &f, &e) == -1 && e.code == 2,
			   "an unknown algorithm is a usage error");
			o = opts(REGRESS_RIDGE);
			o.lambda_mode = 5;
			ok(regress_fit(X2, y2, NULL, &o, &f, &e) == -1 && e.code == 2,
			   "an unknown penalty mode is a usage error");
		}
		gsl_matrix_free(X2);
		gsl_vector_free(y2);
	}
}

/* No columns: the intercept alone; and magnitudes no fit survives. */
static void test_edges(void)
{
	static const int algos[] = { REGRESS_OLS, REGRESS_RIDGE, REGRESS_HUBER, REGRESS_SVR };
	size_t n = 12;
	gsl_matrix *X0 = gsl_matrix_alloc(n, 0), *X = gsl_matrix_alloc(n, 1);
	gsl_vector *y = gsl_vector_alloc(n);
	struct regress_options o = opts(REGRESS_OLS);
	struct regress_fit f;
	struct adash_err e;
	double mean = 0, ss = 0;

	for (size_t i = 0; i < n; i++) {
		gsl_vector_set(y, i, (double)(i * i % 5));
		gsl_matrix_set(X, i, 0, (double)i);
		mean += gsl_vector_get(y, i) / (double)n;
	}
	for (size_t i = 0; i < n; i++)
		ss += (gsl_vector_get(y, i) - mean) * (gsl_vector_get(y, i) - mean);
	is_int(fit(X0, y, NULL, &o, &f), 0, "ols with no columns fits");
	is_num(f.intercept, mean, 1e-12, "and the intercept is the mean");
	is_num(f.dof, 1, 0, "with one parameter");
	is_num(f.sigma2, ss / (double)(n - 1), 1e-12, "and sigma2 the sample variance");
	regress_fit_free(&f);
	for (size_t a = 1; a < 4; a++) {
		o = opts(algos[a]);
		ok(fit(X0, y, NULL, &o, &f) == 0 && isfinite(f.intercept) && f.p == 0,
		   "%s with no columns fits", regress_algo_name(algos[a]));
		regress_fit_free(&f);
	}

	gsl_matrix_set(X, 4, 0, 1e200);
	for (size_t a = 0; a < 4; a++) {
		o = opts(algos[a]);
		ok(regress_fit(X, y, NULL, &o, &f, &e) == -1 && e.code == 1 && strstr(e.msg, "too large"),
		   "%s: a value of 1e200 is refused: %s", regress_algo_name(algos[a]), e.msg);
	}
	gsl_matrix_free(X0);
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

/* Values with a large common offset: centring keeps the precision. */
static void test_offset(void)
{
	static const double beta[] = { 0.25, 4.0 };
	size_t n = 60, p = 2;
	gsl_matrix *X;
	gsl_vector *y;
	struct regress_options o = opts(REGRESS_OLS);
	struct regress_fit f, g;

	make_data(n, p, 0, beta, 0.1, &X, &y);
	fit(X, y, NULL, &o, &g);
	gsl_matrix_add_constant(X, 1e6);
	fit(X, y, NULL, &o, &f);
	ok(max_rel_err(f.coef, g.coef, p) <= 1e-6,
	   "shifting X by 1e6 leaves the slopes (%.12g vs %.12g)", f.coef[0], g.coef[0]);
	regress_fit_free(&f);
	regress_fit_free(&g);
	gsl_matrix_free(X);
	gsl_vector_free(y);
}

/* Tall designs (thousands of rows) are reduced by QR before the SVD: the
 * fits must be those of the full problem, and GCV must still see n rows
 * and the residual outside the column space. */
static void test_tall(void)
{
	static const double beta[] = { 1.0, 0.5, 0.0, 0.0, -0.3, 0.0 };
	size_t n = 6000, p = 6, rows[2] = { 3000, 6000 };
	gsl_matrix *X, *X1 = gsl_matrix_alloc(n, p + 1), *cov1 = gsl_matrix_alloc(p + 1, p + 1);
	gsl_vector *y, *c1 = gsl_vector_alloc(p + 1);
	gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(n, p + 1);
	struct regress_options o = opts(REGRESS_OLS);
	struct regress_fit f;
	struct ridge_ref at, other;
	double chisq, want[6];
	int worse = 0;

	(void)rows;
	make_data(n, p, 0.5, beta, 3.0, &X, &y);
	for (size_t i = 0; i < n; i++) {
		gsl_matrix_set(X1, i, 0, 1.0);
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(X1, i, j + 1, gsl_matrix_get(X, i, j));
	}
	gsl_multifit_linear(X1, y, c1, cov1, &chisq, ws);
	for (size_t j = 0; j < p; j++)
		want[j] = gsl_vector_get(c1, j + 1);
	fit(X, y, NULL, &o, &f);
	ok(max_rel_err(f.coef, want, p) <= 1e-9, "tall ols: coefficients equal GSL's full solve");
	is_num(f.intercept, gsl_vector_get(c1, 0), 1e-9, "tall ols: the intercept too");
	is_num(f.sigma2, chisq / (double)(n - p - 1), 1e-9 * chisq / (double)n,
	       "tall ols: sigma2 counts the residual outside the column space");
	regress_fit_free(&f);

	o = opts(REGRESS_RIDGE);
	o.lambda_mode = LAMBDA_FIXED;
	o.lambda = 20;
	fit(X, y, NULL, &o, &f);
	ridge_direct(X, y, 20, &at);
	ok(max_rel_err(f.coef, at.coef, p) <= 1e-9, "tall ridge: the normal equations' solution");
	is_num(f.sigma2 * ((double)n - f.dof), at.rss, 1e-9 * at.rss, "tall ridge: the residual sum of squares");
	regress_fit_free(&f);

	o.lambda_mode = LAMBDA_GCV;
	fit(X, y, NULL, &o, &f);
	ridge_direct(X, y, f.lambda, &at);
	for (double m = 0.25; m <= 4; m *= 2) {
		ridge_direct(X, y, f.lambda * m, &other);
		worse += at.gcv > other.gcv * (1 + 1e-12);
	}
	ridge_direct(X, y, f.lambda * 1.001, &other);
	worse += at.gcv > other.gcv * (1 + 1e-12);
	ridge_direct(X, y, f.lambda / 1.001, &other);
	worse += at.gcv > other.gcv * (1 + 1e-12);
	is_int(worse, 0, "tall ridge: GCV (with n rows) is least at the chosen penalty %g", f.lambda);
	regress_fit_free(&f);
	gsl_multifit_linear_free(ws);
	gsl_matrix_free(X);
	gsl_matrix_free(X1);
	gsl_matrix_free(cov1);
	gsl_vector_free(y);
	gsl_vector_free(c1);
}

int main(void)
{
	gsl_set_error_handler_off();
	rng = gsl_rng_alloc(gsl_rng_taus2);
	gsl_rng_set(rng, 20240601);
	test_names();
	test_ols();
	test_ridge_fixed();
	test_ridge_gcv();
	test_weights();
	test_huber();
	test_svr();
	test_rank_deficient();
	test_refusals();
	test_edges();
	test_offset();
	test_tall();
	gsl_rng_free(rng);
	return tap_done();
}
