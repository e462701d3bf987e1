/*
 * regress: see regress.h for what each fit minimizes.  Notes on how.
 *
 * One preparation serves ols, ridge and huber: the weighted column means
 * are taken out of X and y, every row is scaled by sqrt(w), and the result
 * A = sqrt(W) (X - 1 xbar') is decomposed once, A = U S V', by
 * gsl_multifit_linear_svd (which, unlike gsl_multifit_linear, does not
 * balance columns, so S and V are those of A itself).  The factors are read
 * from the workspace (A holds U, Q holds V, S the singular values, in
 * decreasing order), as GSL's own L-curve and GCV routines read them.
 *
 * Rank.  A design with an intercept and a full one-hot block is singular by
 * construction (the levels sum to the ones column), so rank deficiency is
 * the common case, not an accident.  Singular values at or below
 * RANK_TOL times the largest are treated as zero: ols uses the
 * pseudo-inverse, which gives the minimum-norm coefficients (a dropped
 * level's effect is shared equally among the collinear columns), and the
 * covariance is the pseudo-inverse's too.  gsl_multifit_linear_solve with
 * lambda = 0 was rejected for ols: it truncates only at DBL_EPSILON, and the
 * zero singular value of an exactly collinear design can come out just
 * above that, whose reciprocal then swamps the fit (the one-hot test in
 * tests/unit/test-regress.c fails with that tolerance).  Ridge with
 * lambda > 0 damps those directions by itself, so it goes through
 * gsl_multifit_linear_solve.
 *
 * Teacher's note on the covariance: with filter factors f_j = 1/s_j (ols,
 * j within the rank; 0 beyond) or f_j = s_j / (s_j^2 + lambda^2) (ridge),
 * b = V diag(f) U' y, and so cov(b) = sigma2 V diag(f^2) V': for ols this is
 * sigma2 (A'A)^+, for ridge sigma2 (A'A + l^2 I)^-1 A'A (A'A + l^2 I)^-1.
 * The hat matrix trace is sum s_j f_j (the rank, for ols), and sigma2 is
 * the weighted residual sum of squares over n - (1 + trace).
 *
 * GCV.  GSL's criterion, evaluated here (gcv_value) over a log-spaced grid
 * from the largest singular value to 10^-4 of the smallest (GSL's stops at
 * the smallest, above the optimum of long, quiet series), with the
 * design's true row count, since a
 * QR-compressed design (see compress_qr) has only p rows; the best grid
 * point is refined by a golden-section search between its neighbours.
 * GSL's own search was rejected besides: it ignores
 * gsl_min_fminimizer_set's refusal of a non-enclosing bracket (a flat
 * curve, ties) and would iterate an uninitialized minimizer.
 * GSL's lambda is the one of ||y - X b||^2 + lambda^2 ||b||^2, its grid is
 * 200 points log-spaced from the largest singular value down to the
 * smallest (at least 16 DBL_EPSILON times the largest), and its criterion
 * counts n - p + sum(lambda^2 / (s^2 + lambda^2)) residual degrees of
 * freedom, i.e. it does not know that centring used one: a difference of
 * one row, which shifts the chosen penalty negligibly and was accepted.
 *
 * Huber.  gsl_multifit_robust given a rank-deficient design (even a
 * duplicated column) can return coefficients of 1e13 or fail to converge,
 * so it is given the design in the
 * coordinates of the SVD instead: the columns Z = U_r S_r (= A V_r, the
 * first r right singular directions) plus sqrt(w) for the intercept.  These
 * columns are mutually orthogonal, and orthogonal to the intercept column
 * because A is weighted-centred; they span the same fitted values as
 * [1 X], and beta = V_r gamma maps the fit back.  With row weights, the
 * rows of y and of the design are scaled by sqrt(w): exact for least
 * squares, an approximation for Huber's loss (which is applied to
 * sqrt(w) times the residual rather than weighting the loss by w).  GSL's
 * covariance is used, mapped by V_r; it is sigma^2 (Z'Z)^-1 with GSL's
 * final (robust) sigma.  When that is not finite (GSL divides by a MAD of 0
 * when most residuals are exactly 0, as in a perfect fit), sigma2 times
 * the pseudo-inverse form replaces it.  sigma2 itself follows the header:
 * weighted residual sum of squares over n - (1 + rank).  A fit that has not
 * converged after HUBER_MAXITER iterations is kept (the loss is convex, so
 * the last iterate is close), not refused.
 *
 * SVR.  liblinear's bias is an ordinary, penalized feature of value 1, so
 * X is centred and y standardized (centred, divided by its standard
 * deviation) before training: then the best bias is near 0 and the penalty
 * on it hardly matters, and one epsilon and one C mean the same for every
 * target.  Coefficients and bias are mapped back to y's scale after.
 *
 * Rows: a fit needs n >= p + 2, one row for the intercept and at least one
 * left over, so that sigma2 has a residual degree of freedom and stays
 * finite (a model file cannot hold NaN); n = p + 1, which regress.h's "n >
 * p" would allow, is a saturated fit and is refused with exit code 1 too.
 * regress_lambda_grid asks the same of X.
 */
#include "regress.h"
#include "lsstats.h"
#include "xalloc.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>
#include <limits.h>
#include <linear.h>
#include <math.h>
#include <string.h>

/* Singular values at or below RANK_TOL times the largest count as zero.
 * Well above DBL_EPSILON (exactly collinear columns land at 1e-16..1e-15),
 * well below anything a standardized real design produces. */
#define RANK_TOL 1e-10
/* Larger values are refused: their squares, summed over the rows, would
 * overflow inside the SVD, GCV or liblinear and give a silently wrong fit.
 * No measured quantity comes near. */
#define MAX_MAGNITUDE 1e150
#define GCV_GRID 200
/* Designs with at least this many rows (and four per column) are reduced
 * by QR before the SVD (compress_qr). */
#define COMPRESS_ROWS 2000
#define HUBER_MAXITER 1000
#define SVR_EPS 1e-4          /* liblinear's default for this solver */
#define SVR_DEFAULT_C 1.0
#define SVR_DEFAULT_EPSILON 0.1

static const char *const algo_names[] = {
	[REGRESS_OLS] = "ols",
	[REGRESS_RIDGE] = "ridge",
	[REGRESS_HUBER] = "huber",
	[REGRESS_SVR] = "svr",
};
#define NALGOS (sizeof algo_names / sizeof algo_names[0])

int regress_algo_from_name(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < NALGOS; i++)
		if (strcmp(name, algo_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *regress_algo_name(int algo)
{
	if (algo < 0 || (size_t)algo >= NALGOS)
		return NULL;
	return algo_names[algo];
}

/* GSL returns NULL on allocation failure (its error handler is off). */
static gsl_matrix *mat_alloc(size_t n1, size_t n2)
{
	gsl_matrix *m = gsl_matrix_alloc(n1, n2);

	if (!m)
		xalloc_die();
	return m;
}

static gsl_vector *vec_alloc(size_t n)
{
	gsl_vector *v = gsl_vector_alloc(n);

	if (!v)
		xalloc_die();
	return v;
}

static int gsl_fail(struct adash_err *e, const char *what, int status)
{
	/* Non-convergence on finite data means the data are extreme. */
	int code = status == GSL_EMAXITER || status == GSL_ERUNAWAY ||
		   status == GSL_EOVRFLW ? ADASH_EDATA : ADASH_EINTERNAL;

	return err_set(e, code, "%s failed: %s", what, gsl_strerror(status));
}

/* The weighted, centred design and its SVD. */
struct design {
	size_t n, p;
	gsl_matrix *A;        /* sqrt(w) (X - 1 xbar'), n x p */
	gsl_vector *b;        /* sqrt(w) (y - ybar); NULL without y */
	double *xbar;         /* p weighted column means */
	double ybar;
	gsl_multifit_linear_workspace *ws;   /* the SVD; NULL when p = 0 */
	size_t rank;
	double delta0;        /* compressed: ||b||^2 outside the column space */
};

static void design_free(struct design *d)
{
	if (d->A)
		gsl_matrix_free(d->A);
	if (d->b)
		gsl_vector_free(d->b);
	if (d->ws)
		gsl_multifit_linear_free(d->ws);
	free(d->xbar);
	memset(d, 0, sizeof *d);
}

static double weight(const gsl_vector *w, size_t i)
{
	return w ? gsl_vector_get(w, i) : 1.0;
}

/* Sizes, row count, finiteness and weights: everything checked before any
 * work is done. */
static int check_input(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w,
		       struct adash_err *e)
{
	size_t n = X->size1, p = X->size2;

	if ((y && y->size != n) || (w && w->size != n))
		return err_set(e, ADASH_EINTERNAL,
			       "regression: X has %zu rows but y or w has another length", n);
	if (n < p + 2)
		return err_set(e, ADASH_EDATA,
			       "%zu row%s cannot fit %zu column%s and an intercept; "
			       "need at least %zu rows",
			       n, n == 1 ? "" : "s", p, p == 1 ? "" : "s", p + 2);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < p; j++)
			if (!(fabs(gsl_matrix_get(X, i, j)) <= MAX_MAGNITUDE))
				return err_set(e, ADASH_EDATA,
					       "design row %zu, column %zu is %s", i + 1, j + 1,
					       isfinite(gsl_matrix_get(X, i, j)) ?
					       "too large to fit" : "not a finite number");
		if (y && !(fabs(gsl_vector_get(y, i)) <= MAX_MAGNITUDE))
			return err_set(e, ADASH_EDATA, "target in row %zu is %s", i + 1,
				       isfinite(gsl_vector_get(y, i)) ?
				       "too large to fit" : "not a finite number");
		if (w && !(isfinite(gsl_vector_get(w, i)) && gsl_vector_get(w, i) > 0))
			return err_set(e, ADASH_EDATA,
				       "weight of row %zu must be a positive finite number",
				       i + 1);
	}
	return 0;
}

/* Weighted mean of v[i * stride], i < n, with a second pass that adds the
 * mean of the residuals: exact to rounding even when the values share a
 * large offset. */
static double wmean(const double *v, size_t stride, size_t n, const gsl_vector *w,
		    double sw)
{
	double s = 0, m, c = 0;

	for (size_t i = 0; i < n; i++)
		s += weight(w, i) * v[i * stride];
	m = s / sw;
	for (size_t i = 0; i < n; i++)
		c += weight(w, i) * (v[i * stride] - m);
	return m + c / sw;
}

/* Replaces A (n x p) and b by R and the first p entries of Q'b, where
 * A = QR: the same singular values, right singular vectors and U'b, so the
 * same least-squares and ridge fits, from a p x p problem; what b has
 * outside A's column space is kept in delta0 for the residual sum of
 * squares and GCV.  The SVD of a tall matrix forms its n x p left factor,
 * which on a year of daily rows for a thousand shops was most of the
 * training time and a second copy of the design in memory; GSL's blocked
 * QR (gsl_linalg_QR_decomp_r) does not.  Rejected: the normal equations
 * A'A, which would square the condition number. */
static int compress_qr(struct design *d, struct adash_err *e)
{
	size_t n = d->A->size1, p = d->A->size2;
	gsl_matrix *T = mat_alloc(p, p), *R = gsl_matrix_calloc(p, p);
	int status = gsl_linalg_QR_decomp_r(d->A, T);

	if (!R)
		xalloc_die();
	if (!status && d->b) {
		gsl_vector *work = vec_alloc(p), *bc = vec_alloc(p);
		double tail = 0;

		status = gsl_linalg_QR_QTvec_r(d->A, T, d->b, work);
		for (size_t i = p; i < n; i++)
			tail += gsl_vector_get(d->b, i) * gsl_vector_get(d->b, i);
		for (size_t i = 0; i < p; i++)
			gsl_vector_set(bc, i, gsl_vector_get(d->b, i));
		d->delta0 = tail;
		gsl_vector_free(work);
		gsl_vector_free(d->b);
		d->b = bc;
	}
	for (size_t i = 0; i < p; i++)
		for (size_t j = i; j < p; j++)
			gsl_matrix_set(R, i, j, gsl_matrix_get(d->A, i, j));
	gsl_matrix_free(T);
	gsl_matrix_free(d->A);
	d->A = R;
	if (status)
		return gsl_fail(e, "QR decomposition", status);
	return 0;
}

static int design_decompose(struct design *d, struct adash_err *e);

/* Builds A (and b when y is given) and decomposes A; with compress (least
 * squares and ridge, which need only U'b), a tall A is first reduced to R. */
static int design_build(struct design *d, const gsl_matrix *X, const gsl_vector *y,
			const gsl_vector *w, int compress, struct adash_err *e)
{
	size_t n = X->size1, p = X->size2;
	double sw = 0;

	memset(d, 0, sizeof *d);
	d->n = n;
	d->p = p;
	for (size_t i = 0; i < n; i++)
		sw += weight(w, i);
	if (!isfinite(sw))
		return err_set(e, ADASH_EDATA, "the row weights are too large: their sum overflows");
	d->xbar = xcalloc(p ? p : 1, sizeof *d->xbar);
	d->A = mat_alloc(n, p);
	for (size_t j = 0; j < p; j++) {
		const double *col = X->data + j;
		int constant = 1;

		for (size_t i = 1; i < n && constant; i++)
			constant = col[i * X->tda] == col[0];
		/* A constant column is exactly zero once centred, not a
		 * rounding error's worth of noise that would count as rank. */
		d->xbar[j] = constant ? col[0] : wmean(col, X->tda, n, w, sw);
		for (size_t i = 0; i < n; i++)
			gsl_matrix_set(d->A, i, j, constant ? 0.0 :
				       sqrt(weight(w, i)) * (col[i * X->tda] - d->xbar[j]));
	}
	if (y) {
		d->ybar = wmean(y->data, y->stride, n, w, sw);
		d->b = vec_alloc(n);
		for (size_t i = 0; i < n; i++)
			gsl_vector_set(d->b, i, sqrt(weight(w, i)) *
				       (gsl_vector_get(y, i) - d->ybar));
	}
	if (p == 0)
		return 0;
	if (compress && n >= COMPRESS_ROWS && n >= 4 * p && compress_qr(d, e) < 0)
		return -1;
	return design_decompose(d, e);
}

/* The SVD of d->A and the rank. */
static int design_decompose(struct design *d, struct adash_err *e)
{
	size_t p = d->p;
	double s0;
	int status;

	d->ws = gsl_multifit_linear_alloc(d->A->size1, p);
	if (!d->ws)
		xalloc_die();
	status = gsl_multifit_linear_svd(d->A, d->ws);
	if (status)
		return gsl_fail(e, "singular value decomposition", status);
	s0 = gsl_vector_get(d->ws->S, 0);
	if (!isfinite(s0))
		return err_set(e, ADASH_EDATA, "the design's values are too extreme in magnitude");
	for (size_t j = 0; j < p; j++) {
		if (gsl_vector_get(d->ws->S, j) > RANK_TOL * s0)
			d->rank++;
		else
			/* A direction the data does not determine (a full one-hot
			 * block beside the intercept leaves one) is dropped, not
			 * damped: with its singular value at rounding-noise size, a
			 * small ridge penalty would divide that noise by it and
			 * give coefficients of 1e13.  A zero makes ridge's filter
			 * s / (s^2 + lambda^2) and GCV ignore it exactly. */
			gsl_vector_set(d->ws->S, j, 0);
	}
	return 0;
}

/* U, V and the singular values of the decomposed design. */
static double U_at(const struct design *d, size_t i, size_t j)
{
	return gsl_matrix_get(d->ws->A, i, j);
}

static double V_at(const struct design *d, size_t i, size_t j)
{
	return gsl_matrix_get(d->ws->Q, i, j);
}

static double S_at(const struct design *d, size_t j)
{
	return gsl_vector_get(d->ws->S, j);
}

/* Copies the upper triangle onto the lower: a product computed in two
 * orders can differ in the last bit, and a covariance must be symmetric. */
static void symmetrize(double *cov, size_t p)
{
	for (size_t i = 0; i < p; i++)
		for (size_t j = i + 1; j < p; j++)
			cov[j * p + i] = cov[i * p + j];
}

/* cov = scale V_k diag(g) V_k' over the first k singular directions. */
static void cov_from_svd(const struct design *d, const double *g, size_t k, double scale,
			 double *cov)
{
	size_t p = d->p;
	gsl_matrix_const_view V = gsl_matrix_const_submatrix(d->ws->Q, 0, 0, p, k);
	gsl_matrix_view out = gsl_matrix_view_array(cov, p, p);
	gsl_matrix *T = mat_alloc(p, k);

	/* T = V_k diag(g), then cov = scale T V_k' */
	gsl_matrix_memcpy(T, &V.matrix);
	for (size_t m = 0; m < k; m++) {
		gsl_vector_view col = gsl_matrix_column(T, m);

		gsl_vector_scale(&col.vector, g[m]);
	}
	gsl_blas_dgemm(CblasNoTrans, CblasTrans, scale, T, &V.matrix, 0.0, &out.matrix);
	gsl_matrix_free(T);
	symmetrize(cov, p);
}

static int check_finite_fit(const struct regress_fit *f, struct adash_err *e)
{
	int ok = isfinite(f->intercept) && isfinite(f->sigma2) && isfinite(f->dof);

	for (size_t j = 0; ok && j < f->p; j++)
		ok = isfinite(f->coef[j]);
	for (size_t j = 0; ok && f->cov && j < f->p * f->p; j++)
		ok = isfinite(f->cov[j]);
	if (!ok)
		return err_set(e, ADASH_EDATA, "the fit is not finite; the values are too "
			       "extreme in magnitude (standardize the columns)");
	return 0;
}

/* The end of every fit: a fit that went well must also be finite; one
 * that did not is freed. */
static int finish_fit(struct regress_fit *out, int rc, struct adash_err *e)
{
	if (!rc)
		rc = check_finite_fit(out, e);
	if (rc)
		regress_fit_free(out);
	return rc;
}

/* Weighted residual sum of squares of coef on the design: ||b - A coef||^2. */
static double design_rss(const struct design *d, const double *coef)
{
	double rss = 0;

	rss = d->delta0;
	for (size_t i = 0; i < d->A->size1; i++) {
		double r = gsl_vector_get(d->b, i);

		for (size_t j = 0; j < d->p; j++)
			r -= gsl_matrix_get(d->A, i, j) * coef[j];
		rss += r * r;
	}
	return rss;
}

static double centred_intercept(const struct design *d, double base, const double *coef)
{
	double a = base;

	for (size_t j = 0; j < d->p; j++)
		a -= d->xbar[j] * coef[j];
	return a;
}

/* GCV(lambda) = (||(1 - f) U'b||^2 + delta0) / (n - sum(s^2 / (s^2 + l^2)))^2
 * with f_j = s_j^2 / (s_j^2 + lambda^2): GSL's criterion, computed here
 * with the design's true row count and what lies outside its column space
 * (a QR-compressed design has p rows, which GSL's routine would take as n). */
static double gcv_value(const struct design *d, const gsl_vector *UTy, double delta0, double lambda)
{
	double rss = delta0, trace = 0, l2 = lambda * lambda;

	for (size_t j = 0; j < d->p; j++) {
		double s = S_at(d, j), s2 = s * s, r = l2 / (s2 + l2) * gsl_vector_get(UTy, j);

		rss += r * r;
		trace += s2 / (s2 + l2);
	}
	return rss / (((double)d->n - trace) * ((double)d->n - trace));
}

/* The sign of dGCV/d(lambda^2): with l = lambda^2, r_j = l / (s^2 + l) u_j
 * (u = U'b), D = n - trace, rss and trace as in gcv_value,
 *   d rss / dl = 2 sum u_j^2 l s^2 / (s^2 + l)^3,
 *   dD / dl = sum s^2 / (s^2 + l)^2 = T,
 * and dGCV/dl = (D d rss / dl - 2 rss T) / D^3, D > 0. */
static double gcv_slope(const struct design *d, const gsl_vector *UTy, double delta0, double lambda)
{
	double rss = delta0, trace = 0, drss = 0, T = 0, l2 = lambda * lambda;

	for (size_t j = 0; j < d->p; j++) {
		double s = S_at(d, j), s2 = s * s, u = gsl_vector_get(UTy, j), q = s2 + l2;
		double r = l2 / q * u;

		rss += r * r;
		trace += s2 / q;
		drss += 2 * u * u * l2 * s2 / (q * q * q);
		T += s2 / (q * q);
	}
	return ((double)d->n - trace) * drss - 2 * rss * T;
}

/* The GCV choice of ridge's penalty; see the top of the file.  The grid
 * runs from the largest singular value to 10^-4 of the smallest; the best
 * grid point is refined by a golden-section search between its neighbours,
 * on the log scale. */
static int choose_lambda_gcv(struct design *d, double *lambda, struct adash_err *e)
{
	gsl_vector *reg = vec_alloc(GCV_GRID), *UTy = vec_alloc(d->p);
	double delta0, best, gbest = INFINITY;
	size_t imin = 0;
	int status = gsl_multifit_linear_gcv_init(d->b, reg, UTy, &delta0, d->ws);

	if (status) {
		gsl_vector_free(reg);
		gsl_vector_free(UTy);
		return gsl_fail(e, "generalized cross-validation", status);
	}
	delta0 += d->delta0;
	/* GSL's grid stops at the smallest singular value; with many rows the
	 * least GCV can lie below it (on 6000 rows, 4 times below), so the
	 * grid here reaches 10^-4 of it. */
	if (d->rank > 0) {
		double hi = S_at(d, 0), lo = S_at(d, d->rank - 1) * 1e-4;

		for (size_t i = 0; i < GCV_GRID; i++)
			gsl_vector_set(reg, i, hi * pow(lo / hi, (double)i / (GCV_GRID - 1)));
	}
	for (size_t i = 0; i < GCV_GRID; i++) {
		double g = gcv_value(d, UTy, delta0, gsl_vector_get(reg, i));

		if (g < gbest) {
			gbest = g;
			imin = i;
		}
	}
	if (!isfinite(gbest)) {
		gsl_vector_free(reg);
		gsl_vector_free(UTy);
		return err_set(e, ADASH_EDATA, "ridge: the cross-validation criterion is not "
			       "finite; the values are too extreme in magnitude");
	}
	best = gsl_vector_get(reg, imin);
	if (imin > 0 && imin + 1 < GCV_GRID && gsl_vector_get(reg, imin + 1) > 0) {
		/* golden-section search of log lambda between the neighbours */
		const double phi = (sqrt(5.0) - 1) / 2;
		double a = log(gsl_vector_get(reg, imin + 1)), c = log(gsl_vector_get(reg, imin - 1));
		double x1 = c - phi * (c - a), x2 = a + phi * (c - a);
		double g1 = gcv_value(d, UTy, delta0, exp(x1)), g2 = gcv_value(d, UTy, delta0, exp(x2));

		if (a > c) {
			double t = a;

			a = c;
			c = t;
			x1 = c - phi * (c - a);
			x2 = a + phi * (c - a);
			g1 = gcv_value(d, UTy, delta0, exp(x1));
			g2 = gcv_value(d, UTy, delta0, exp(x2));
		}
		for (int it = 0; it < 100 && c - a > 1e-10; it++) {
			if (g1 < g2) {
				c = x2;
				x2 = x1;
				g2 = g1;
				x1 = c - phi * (c - a);
				g1 = gcv_value(d, UTy, delta0, exp(x1));
			} else {
				a = x1;
				x1 = x2;
				g1 = g2;
				x2 = a + phi * (c - a);
				g2 = gcv_value(d, UTy, delta0, exp(x2));
			}
		}
		if (fmin(g1, g2) <= gbest)
			best = exp(g1 < g2 ? x1 : x2);
		/* Near its minimum GCV is flat: comparing its values finds the
		 * minimum only to about sqrt(DBL_EPSILON), so rounding that
		 * differs in the last bit (statistics merged from partitions
		 * rather than taken at once) would move lambda by 1e-7.  The
		 * root of its slope is well-conditioned: bisection of log lambda
		 * between the grid neighbours, where the slope changes sign. */
		a = log(gsl_vector_get(reg, imin + 1));
		c = log(gsl_vector_get(reg, imin - 1));
		if (a > c) {
			double t = a;

			a = c;
			c = t;
		}
		if (gcv_slope(d, UTy, delta0, exp(a)) < 0 && gcv_slope(d, UTy, delta0, exp(c)) > 0) {
			for (int it = 0; it < 200; it++) {
				double mid = (a + c) / 2;

				if (mid <= a || mid >= c)
					break;
				if (gcv_slope(d, UTy, delta0, exp(mid)) < 0)
					a = mid;
				else
					c = mid;
			}
			if (gcv_value(d, UTy, delta0, exp(a)) <= gcv_value(d, UTy, delta0, best) * (1 + 1e-12))
				best = exp(a);
		}
	}
	gsl_vector_free(reg);
	gsl_vector_free(UTy);
	*lambda = best;
	return 0;
}

/* ols (lambda = 0) and ridge on a built design. */
static int fit_ls(struct design *d, double lambda, struct regress_fit *out,
		  struct adash_err *e)
{
	size_t p = d->p, k = d->rank;
	double trace = 0, *g = xcalloc(p ? p : 1, sizeof *g);

	if (k > 0 && lambda > 0) {
		gsl_vector_view c = gsl_vector_view_array(out->coef, p);
		double rnorm, snorm;
		int status = gsl_multifit_linear_solve(lambda, d->A, d->b, &c.vector,
						       &rnorm, &snorm, d->ws);

		if (status) {
			free(g);
			return gsl_fail(e, "ridge regression", status);
		}
		/* every direction is damped, none dropped */
		k = p;
		for (size_t j = 0; j < p; j++) {
			double s = S_at(d, j), f = s / (s * s + lambda * lambda);

			g[j] = f * f;
			trace += s * f;
		}
	} else if (k > 0) {
		/* coef = V_k diag(1/s) U_k' b: the pseudo-inverse */
		double *t = xmalloc(k * sizeof *t);

		for (size_t m = 0; m < k; m++) {
			double s = S_at(d, m), dot = 0;

			for (size_t i = 0; i < d->A->size1; i++)
				dot += U_at(d, i, m) * gsl_vector_get(d->b, i);
			t[m] = dot / s;
			g[m] = 1 / (s * s);
		}
		for (size_t j = 0; j < p; j++) {
			double c = 0;

			for (size_t m = 0; m < k; m++)
				c += V_at(d, j, m) * t[m];
			out->coef[j] = c;
		}
		trace = (double)k;
		free(t);
	}
	out->intercept = centred_intercept(d, d->ybar, out->coef);
	out->dof = 1 + trace;
	out->sigma2 = design_rss(d, out->coef) / ((double)d->n - out->dof);
	if (k > 0)
		cov_from_svd(d, g, k, out->sigma2, out->cov);
	free(g);
	return 0;
}

static int cov_finite(const gsl_matrix *m)
{
	for (size_t i = 0; i < m->size1; i++)
		for (size_t j = 0; j < m->size2; j++)
			if (!isfinite(gsl_matrix_get(m, i, j)))
				return 0;
	return 1;
}

static int fit_huber(struct design *d, const gsl_vector *w, struct regress_fit *out,
		     struct adash_err *e)
{
	size_t n = d->n, p = d->p, r = d->rank, q = r + 1;
	gsl_matrix *Z = mat_alloc(n, q), *C = mat_alloc(q, q);
	gsl_vector *c = vec_alloc(q);
	gsl_multifit_robust_workspace *ws;
	int status;

	for (size_t i = 0; i < n; i++) {
		gsl_matrix_set(Z, i, 0, sqrt(weight(w, i)));
		for (size_t m = 0; m < r; m++)
			gsl_matrix_set(Z, i, m + 1, U_at(d, i, m) * S_at(d, m));
	}
	ws = gsl_multifit_robust_alloc(gsl_multifit_robust_huber, n, q);
	if (!ws)
		xalloc_die();
	gsl_multifit_robust_maxiter(HUBER_MAXITER, ws);
	status = gsl_multifit_robust(Z, d->b, c, C, ws);
	gsl_multifit_robust_free(ws);
	if (status && status != GSL_EMAXITER) {
		gsl_matrix_free(Z);
		gsl_matrix_free(C);
		gsl_vector_free(c);
		return gsl_fail(e, "Huber regression", status);
	}

	/* beta = V_r gamma, cov(beta) = V_r cov(gamma) V_r' */
	for (size_t j = 0; j < p; j++) {
		double s = 0;

		for (size_t m = 0; m < r; m++)
			s += V_at(d, j, m) * gsl_vector_get(c, m + 1);
		out->coef[j] = s;
	}
	out->intercept = centred_intercept(d, d->ybar + gsl_vector_get(c, 0), out->coef);
	out->dof = 1 + (double)r;
	{
		/* the weighted residuals b - Z c, rows scaled as in the fit */
		double rss = 0;

		for (size_t i = 0; i < n; i++) {
			double res = gsl_vector_get(d->b, i);

			for (size_t m = 0; m < q; m++)
				res -= gsl_matrix_get(Z, i, m) * gsl_vector_get(c, m);
			rss += res * res;
		}
		out->sigma2 = rss / ((double)n - out->dof);
	}
	if (r > 0 && cov_finite(C)) {
		gsl_matrix_const_view V = gsl_matrix_const_submatrix(d->ws->Q, 0, 0, p, r);
		gsl_matrix_const_view Cg = gsl_matrix_const_submatrix(C, 1, 1, r, r);
		gsl_matrix_view cov = gsl_matrix_view_array(out->cov, p, p);
		gsl_matrix *T = mat_alloc(p, r);

		gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &V.matrix, &Cg.matrix, 0.0, T);
		gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, T, &V.matrix, 0.0, &cov.matrix);
		gsl_matrix_free(T);
		symmetrize(out->cov, p);
	} else if (r > 0) {
		double *g = xmalloc(r * sizeof *g);

		for (size_t m = 0; m < r; m++)
			g[m] = 1 / (S_at(d, m) * S_at(d, m));
		cov_from_svd(d, g, r, out->sigma2, out->cov);
		free(g);
	}
	gsl_matrix_free(Z);
	gsl_matrix_free(C);
	gsl_vector_free(c);
	return 0;
}

static void svr_quiet(const char *s)
{
	(void)s;
}

static int fit_svr(const gsl_matrix *X, const gsl_vector *y, const struct regress_options *o,
		   struct regress_fit *out, struct adash_err *e)
{
	size_t n = X->size1, p = X->size2;
	double C = o->svr_c == 0 ? SVR_DEFAULT_C : o->svr_c;
	double eps = o->svr_epsilon < 0 ? SVR_DEFAULT_EPSILON : o->svr_epsilon;
	double ybar, sd = 0, rss = 0, *xbar;
	struct feature_node *nodes, **rows;
	double *yz;
	struct problem prob;
	struct parameter param;
	struct model *m;
	const char *bad;

	if (n > INT_MAX || p + 1 > (size_t)INT_MAX)
		return err_set(e, ADASH_EDATA, "svr: %zu rows of %zu columns is too large", n, p);
	xbar = xcalloc(p ? p : 1, sizeof *xbar);
	for (size_t j = 0; j < p; j++)
		xbar[j] = wmean(X->data + j, X->tda, n, NULL, (double)n);
	ybar = wmean(y->data, y->stride, n, NULL, (double)n);
	for (size_t i = 0; i < n; i++)
		sd += (gsl_vector_get(y, i) - ybar) * (gsl_vector_get(y, i) - ybar);
	sd = sqrt(sd / (double)(n - 1));

	out->dof = 1 + (double)p;
	if (!(sd > 0) || !isfinite(sd)) {
		/* a constant target: nothing to learn beyond its value */
		free(xbar);
		if (!isfinite(sd))
			return err_set(e, ADASH_EDATA, "svr: the target's values are too large");
		out->intercept = ybar;
		out->sigma2 = 0;
		return 0;
	}

	nodes = xmalloc(n * (p + 2) * sizeof *nodes);
	rows = xmalloc(n * sizeof *rows);
	yz = xmalloc(n * sizeof *yz);
	for (size_t i = 0; i < n; i++) {
		struct feature_node *row = nodes + i * (p + 2);

		for (size_t j = 0; j < p; j++) {
			row[j].index = (int)j + 1;
			row[j].value = gsl_matrix_get(X, i, j) - xbar[j];
		}
		row[p].index = (int)p + 1;   /* the bias feature */
		row[p].value = 1.0;
		row[p + 1].index = -1;
		row[p + 1].value = 0;
		rows[i] = row;
		yz[i] = (gsl_vector_get(y, i) - ybar) / sd;
	}
	memset(&prob, 0, sizeof prob);
	prob.l = (int)n;
	prob.n = (int)p + 1;
	prob.y = yz;
	prob.x = rows;
	prob.bias = 1.0;
	memset(&param, 0, sizeof param);
	param.solver_type = L2R_L2LOSS_SVR;
	param.eps = SVR_EPS;
	param.C = C;
	param.p = eps;

	bad = check_parameter(&prob, &param);
	if (bad) {
		free(nodes);
		free(rows);
		free(yz);
		free(xbar);
		return err_set(e, ADASH_EUSAGE, "svr: %s", bad);
	}
	set_print_string_function(svr_quiet);
	m = train(&prob, &param);
	if (!m) {
		free(nodes);
		free(rows);
		free(yz);
		free(xbar);
		return err_set(e, ADASH_EINTERNAL, "svr: liblinear could not train");
	}
	/* w[0..p) are the coefficients, w[p] the bias feature's weight */
	for (size_t j = 0; j < p; j++)
		out->coef[j] = sd * m->w[j];
	out->intercept = ybar + sd * m->w[p] * m->bias;
	for (size_t j = 0; j < p; j++)
		out->intercept -= xbar[j] * out->coef[j];
	free_and_destroy_model(&m);

	for (size_t i = 0; i < n; i++) {
		double r = gsl_vector_get(y, i) - out->intercept;

		for (size_t j = 0; j < p; j++)
			r -= gsl_matrix_get(X, i, j) * out->coef[j];
		rss += r * r;
	}
	out->sigma2 = rss / ((double)n - out->dof);
	free(nodes);
	free(rows);
	free(yz);
	free(xbar);
	return 0;
}

static int check_options(const struct regress_options *o, const gsl_vector *w,
			 struct adash_err *e)
{
	switch (o->algo) {
	case REGRESS_OLS:
	case REGRESS_HUBER:
		return 0;
	case REGRESS_RIDGE:
		if (o->lambda_mode != LAMBDA_GCV && o->lambda_mode != LAMBDA_FIXED)
			return err_set(e, ADASH_EUSAGE, "ridge: unknown penalty mode %d",
				       o->lambda_mode);
		if (o->lambda_mode == LAMBDA_FIXED && !(isfinite(o->lambda) && o->lambda >= 0))
			return err_set(e, ADASH_EUSAGE,
				       "ridge: the penalty must be a finite number >= 0");
		return 0;
	case REGRESS_SVR:
		if (w)
			return err_set(e, ADASH_EUSAGE, "svr takes no row weights");
		if (!(isfinite(o->svr_c) && o->svr_c >= 0))
			return err_set(e, ADASH_EUSAGE, "svr: the cost C must be a number > 0");
		if (isnan(o->svr_epsilon) || isinf(o->svr_epsilon))
			return err_set(e, ADASH_EUSAGE, "svr: epsilon must be a finite number");
		return 0;
	}
	return err_set(e, ADASH_EUSAGE, "unknown regression algorithm %d", o->algo);
}

/* The design of statistics s, its columns standardized on the way by
 * center and scale (NULL: as they are), and decomposed: A = R_xx with
 * column j divided by scale[j], b = R_xy, delta0 = R_yy^2 (see lsstats.h),
 * what compress_qr makes of the rows themselves. */
static int design_from_stats(struct design *d, const struct lsstats *s, const double *center,
			     const double *scale, struct adash_err *e)
{
	size_t p = s->p, q = p + 1;

	memset(d, 0, sizeof *d);
	d->n = s->n;
	d->p = p;
	d->xbar = xcalloc(p, sizeof *d->xbar);
	d->A = mat_alloc(p, p);
	d->b = vec_alloc(p);
	for (size_t j = 0; j < p; j++) {
		double sc = scale ? scale[j] : 1;

		d->xbar[j] = (s->mean[j] - (center ? center[j] : 0)) / sc;
		for (size_t i = 0; i < p; i++)
			gsl_matrix_set(d->A, i, j, s->R[i * q + j] / sc);
		gsl_vector_set(d->b, j, s->R[j * q + p]);
	}
	d->ybar = s->mean[p];
	d->delta0 = s->R[p * q + p] * s->R[p * q + p];
	return design_decompose(d, e);
}

/* ols (lambda 0) or ridge, its penalty fixed or by GCV, on a built design. */
static int solve_ls(struct design *d, const struct regress_options *o, struct regress_fit *out,
		    struct adash_err *e)
{
	double lambda = 0;

	if (o->algo == REGRESS_RIDGE && o->lambda_mode == LAMBDA_FIXED)
		lambda = o->lambda;
	else if (o->algo == REGRESS_RIDGE && d->rank > 0 && choose_lambda_gcv(d, &lambda, e) < 0)
		return -1;
	out->lambda = lambda;
	return fit_ls(d, lambda, out, e);
}

int regress_fit_stats(const struct lsstats *s, const double *center, const double *scale,
		      const struct regress_options *o, struct regress_fit *out,
		      struct adash_err *e)
{
	struct design d;
	size_t p = s->p, q = p + 1;
	int rc;

	memset(out, 0, sizeof *out);
	if (check_options(o, NULL, e))
		return -1;
	if (o->algo != REGRESS_OLS && o->algo != REGRESS_RIDGE)
		return err_set(e, ADASH_EINTERNAL, "%s is not fitted from statistics",
			       regress_algo_name(o->algo));
	if (s->n < p + 2)
		return err_set(e, ADASH_EDATA,
			       "%zu row%s cannot fit %zu column%s and an intercept; "
			       "need at least %zu rows",
			       s->n, s->n == 1 ? "" : "s", p, p == 1 ? "" : "s", p + 2);
	if (!(isfinite(s->sw) && s->sw > 0))
		return err_set(e, ADASH_EDATA, "the row weights are too large: their sum overflows");
	for (size_t j = 0; j < q * q; j++)
		if (!isfinite(s->R[j]) || (j < q && !isfinite(s->mean[j])))
			return err_set(e, ADASH_EDATA, "the design's values are too extreme in magnitude");
	out->p = p;
	out->coef = xcalloc(p ? p : 1, sizeof *out->coef);
	out->cov = xcalloc(p ? p * p : 1, sizeof *out->cov);
	if (p == 0) {
		/* the intercept alone: the mean, and the variance about it */
		out->intercept = s->mean[0];
		out->dof = 1;
		out->sigma2 = s->R[0] * s->R[0] / ((double)s->n - 1);
		return finish_fit(out, 0, e);
	}
	rc = design_from_stats(&d, s, center, scale, e);
	if (!rc)
		rc = solve_ls(&d, o, out, e);
	design_free(&d);
	return finish_fit(out, rc, e);
}

int regress_fit(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w,
		const struct regress_options *o, struct regress_fit *out,
		struct adash_err *e)
{
	struct design d;
	size_t p = X->size2;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (check_options(o, w, e) || check_input(X, y, w, e))
		return -1;
	if (o->algo == REGRESS_OLS || o->algo == REGRESS_RIDGE) {
		/* through the statistics, as adash-train --merge solves them */
		struct lsstats s;

		lsstats_init(&s, p);
		rc = lsstats_add_rows(&s, X, y, w, e);
		if (!rc)
			rc = regress_fit_stats(&s, NULL, NULL, o, out, e);
		lsstats_free(&s);
		return rc;
	}
	out->p = p;
	out->coef = xcalloc(p ? p : 1, sizeof *out->coef);
	if (o->algo == REGRESS_SVR) {
		rc = fit_svr(X, y, o, out, e);
	} else {
		out->cov = xcalloc(p ? p * p : 1, sizeof *out->cov);
		rc = design_build(&d, X, y, w, 0, e);
		if (!rc)
			rc = fit_huber(&d, w, out, e);
		design_free(&d);
	}
	return finish_fit(out, rc, e);
}

double regress_predict(const struct regress_fit *f, const double *x)
{
	double s = f->intercept;

	for (size_t j = 0; j < f->p; j++)
		s += x[j] * f->coef[j];
	return s;
}

int regress_lambda_grid(const gsl_matrix *X, const gsl_vector *w, size_t ngrid,
			double *grid, struct adash_err *e)
{
	struct design d;
	double smax = 0, smin = 0;

	if (check_input(X, NULL, w, e))
		return -1;
	if (design_build(&d, X, NULL, w, 1, e)) {
		design_free(&d);
		return -1;
	}
	if (d.rank > 0) {
		smax = S_at(&d, 0);
		smin = S_at(&d, d.rank - 1);
	}
	design_free(&d);
	/* No column varies: no penalty means anything, and 0 is harmless. */
	for (size_t i = 0; i < ngrid; i++)
		grid[i] = smax == 0 ? 0 : ngrid == 1 ? smax :
			  smax * pow(smin / smax, (double)i / (double)(ngrid - 1));
	return 0;
}

void regress_fit_free(struct regress_fit *f)
{
	free(f->coef);
	free(f->cov);
	memset(f, 0, sizeof *f);
}
