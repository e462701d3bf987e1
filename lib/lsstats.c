/*
 * lsstats: see lsstats.h for the statistics and the merge.  Notes on how.
 *
 * Every merge, of a block into the running statistics or of two partial
 * files, goes through one function, merge_into: the stack of both R and the
 * mean-difference row, QR-decomposed.  A stack with fewer rows than
 * columns (never, for two (p + 1)-row factors; said for the reader) would
 * be padded with zero rows, which add nothing to T'T.
 */
#include "lsstats.h"
#include "xalloc.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

static gsl_matrix *mat_calloc(size_t n1, size_t n2)
{
	gsl_matrix *m = gsl_matrix_calloc(n1, n2);

	if (!m)
		xalloc_die();
	return m;
}

void lsstats_init(struct lsstats *s, size_t p)
{
	size_t q = p + 1;

	memset(s, 0, sizeof *s);
	s->p = p;
	s->mean = xcalloc(q, sizeof *s->mean);
	s->R = xcalloc(q * q, sizeof *s->R);
}

void lsstats_free(struct lsstats *s)
{
	free(s->mean);
	free(s->R);
	memset(s, 0, sizeof *s);
}

double lsstats_ss(const struct lsstats *s, size_t j)
{
	size_t q = s->p + 1;
	double ss = 0;

	for (size_t i = 0; i <= j && i < q; i++)
		ss += s->R[i * q + j] * s->R[i * q + j];
	return ss;
}

/* The upper triangle of the QR factor of T (k x q, k >= q), into R. */
static int triangle_of(gsl_matrix *T, double *R, struct adash_err *e)
{
	size_t q = T->size2;
	gsl_matrix *tau = mat_calloc(q, q);
	int status = gsl_linalg_QR_decomp_r(T, tau);

	gsl_matrix_free(tau);
	if (status)
		return err_set(e, ADASH_EINTERNAL, "QR decomposition of the statistics failed: %s",
			       gsl_strerror(status));
	for (size_t i = 0; i < q; i++)
		for (size_t j = 0; j < q; j++)
			R[i * q + j] = j >= i ? gsl_matrix_get(T, i, j) : 0.0;
	return 0;
}

/* a += b, both of q = p + 1 columns; see lsstats.h. */
static int merge_into(struct lsstats *a, const struct lsstats *b, struct adash_err *e)
{
	size_t q = a->p + 1;
	double sw = a->sw + b->sw, c;
	gsl_matrix *T;
	int rc;

	if (b->n == 0)
		return 0;
	if (a->n == 0) {
		a->n = b->n;
		a->sw = b->sw;
		memcpy(a->mean, b->mean, q * sizeof *a->mean);
		memcpy(a->R, b->R, q * q * sizeof *a->R);
		return 0;
	}
	c = sqrt(a->sw * b->sw / sw);
	T = mat_calloc(2 * q + 1, q);
	for (size_t i = 0; i < q; i++)
		for (size_t j = 0; j < q; j++) {
			gsl_matrix_set(T, i, j, a->R[i * q + j]);
			gsl_matrix_set(T, q + i, j, b->R[i * q + j]);
		}
	for (size_t j = 0; j < q; j++) {
		double d = b->mean[j] - a->mean[j];

		gsl_matrix_set(T, 2 * q, j, c * d);
		/* d = 0 (the same constant) leaves the mean exactly as it is */
		if (d != 0)
			a->mean[j] += d * (b->sw / sw);
	}
	rc = triangle_of(T, a->R, e);
	gsl_matrix_free(T);
	a->n += b->n;
	a->sw = sw;
	return rc;
}

int lsstats_merge(struct lsstats *a, const struct lsstats *b, struct adash_err *e)
{
	if (a->p != b->p)
		return err_set(e, ADASH_EINTERNAL, "statistics of %zu and %zu columns cannot merge",
			       a->p, b->p);
	return merge_into(a, b, e);
}

static double value(const gsl_matrix *X, const gsl_vector *y, size_t i, size_t j)
{
	return j < X->size2 ? gsl_matrix_get(X, i, j) : gsl_vector_get(y, i);
}

static double weight(const gsl_vector *w, size_t i)
{
	return w ? gsl_vector_get(w, i) : 1.0;
}

/* The statistics of rows [from, to) into b (initialized, empty). */
static int block_stats(struct lsstats *b, const gsl_matrix *X, const gsl_vector *y,
		       const gsl_vector *w, size_t from, size_t to, struct adash_err *e)
{
	size_t q = b->p + 1, k = to - from;
	gsl_matrix *T = mat_calloc(k > q ? k : q, q);
	double sw = 0;
	int rc;

	for (size_t i = from; i < to; i++)
		sw += weight(w, i);
	for (size_t j = 0; j < q; j++) {
		double first = value(X, y, from, j), s = 0, m, c = 0;
		int constant = 1;

		for (size_t i = from + 1; i < to && constant; i++)
			constant = value(X, y, i, j) == first;
		if (constant) {
			/* exact zeros, not a rounding error's worth of noise
			 * that would count as rank */
			b->mean[j] = first;
			continue;
		}
		/* two passes: the mean, then the mean of what is left */
		for (size_t i = from; i < to; i++)
			s += weight(w, i) * value(X, y, i, j);
		m = s / sw;
		for (size_t i = from; i < to; i++)
			c += weight(w, i) * (value(X, y, i, j) - m);
		m += c / sw;
		b->mean[j] = m;
		for (size_t i = from; i < to; i++)
			gsl_matrix_set(T, i - from, j, sqrt(weight(w, i)) * (value(X, y, i, j) - m));
	}
	rc = triangle_of(T, b->R, e);
	gsl_matrix_free(T);
	b->n = k;
	b->sw = sw;
	return rc;
}

int lsstats_add_rows(struct lsstats *s, const gsl_matrix *X, const gsl_vector *y,
		     const gsl_vector *w, struct adash_err *e)
{
	size_t n = X->size1;
	struct lsstats b;
	int rc = 0;

	if (X->size2 != s->p || y->size != n || (w && w->size != n))
		return err_set(e, ADASH_EINTERNAL, "statistics of %zu columns given %zu columns", s->p,
			       X->size2);
	lsstats_init(&b, s->p);
	for (size_t from = 0; from < n && rc == 0; from += LSSTATS_BLOCK) {
		size_t to = n - from > LSSTATS_BLOCK ? from + LSSTATS_BLOCK : n;

		b.n = 0;
		rc = block_stats(&b, X, y, w, from, to, e);
		if (rc == 0)
			rc = merge_into(s, &b, e);
	}
	lsstats_free(&b);
	return rc;
}

int lsstats_remap(struct lsstats *out, const struct lsstats *s, const size_t *map, size_t p,
		  struct adash_err *e)
{
	size_t qs = s->p + 1, q = p + 1;
	int identity = s->p == p;
	gsl_matrix *T;
	int rc;

	lsstats_init(out, p);
	out->n = s->n;
	out->sw = s->sw;
	for (size_t j = 0; j < s->p && identity; j++)
		identity = map[j] == j;
	if (identity) {
		memcpy(out->mean, s->mean, q * sizeof *out->mean);
		memcpy(out->R, s->R, q * q * sizeof *out->R);
		return 0;
	}
	/* T'T is the remapped co-moment matrix; its QR factor a triangle */
	T = mat_calloc(q, q);
	for (size_t j = 0; j < qs; j++) {
		size_t to = j < s->p ? map[j] : p;

		out->mean[to] = s->mean[j];
		for (size_t i = 0; i < qs; i++)
			gsl_matrix_set(T, i, to, s->R[i * qs + j]);
	}
	rc = triangle_of(T, out->R, e);
	gsl_matrix_free(T);
	return rc;
}
