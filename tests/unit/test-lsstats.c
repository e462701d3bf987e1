/*
 * test-lsstats: the statistics of all rows against merges of their parts:
 * the means and the co-moment matrix R'R (which is what is unique; R is so
 * up to the signs of its rows) of 2, 3 and 10-row splits, in either order,
 * a part of one row, a constant column kept exactly zero, an identity
 * remap copying bit for bit, and a remap inserting a zero column.
 */
#include "lsstats.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 500
#define P 3

/* M = R'R */
static void comoment(const struct lsstats *s, double *M)
{
	size_t q = s->p + 1;

	for (size_t i = 0; i < q; i++)
		for (size_t j = 0; j < q; j++) {
			double v = 0;

			for (size_t k = 0; k < q; k++)
				v += s->R[k * q + i] * s->R[k * q + j];
			M[i * q + j] = v;
		}
}

/* The statistics of rows [from, to) of X and y. */
static void stats_of(struct lsstats *s, const gsl_matrix *X, const gsl_vector *y, size_t from, size_t to)
{
	gsl_matrix_const_view Xv = gsl_matrix_const_submatrix(X, from, 0, to - from, X->size2);
	gsl_vector_const_view yv = gsl_vector_const_subvector(y, from, to - from);
	struct adash_err e;

	lsstats_init(s, X->size2);
	lsstats_add_rows(s, &Xv.matrix, &yv.vector, NULL, &e);
}

static double max_rel(const double *a, const double *b, size_t n)
{
	double m = 0, big = 0;

	for (size_t i = 0; i < n; i++)
		big = fmax(big, fabs(a[i]));
	for (size_t i = 0; i < n; i++)
		m = fmax(m, fabs(a[i] - b[i]) / big);
	return m;
}

int main(void)
{
	gsl_matrix *X = gsl_matrix_alloc(N, P);
	gsl_vector *y = gsl_vector_alloc(N);
	struct lsstats all, acc, part, moved;
	double Ma[16], Mb[16];
	size_t cuts[][4] = { { 0, 250, N, 0 }, { 0, 1, 300, N }, { 0, 499, N, 0 } };
	unsigned long seed = 12345;
	struct adash_err e;

	for (size_t i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		gsl_matrix_set(X, i, 0, 1e6 + (double)(seed >> 40) / 1000);   /* a large offset */
		gsl_matrix_set(X, i, 1, 7);                                     /* constant */
		gsl_matrix_set(X, i, 2, (double)(i % 7));
		gsl_vector_set(y, i, 3 * gsl_matrix_get(X, i, 0) - 2 * (double)(i % 7) + (double)(seed >> 60));
	}
	stats_of(&all, X, y, 0, N);
	comoment(&all, Ma);
	ok(all.n == N && all.sw == N, "the rows and their weight are counted");
	ok(all.mean[1] == 7, "a constant column's mean is its value exactly");
	ok(lsstats_ss(&all, 1) == 0, "and its sum of squares exactly 0");

	for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++)
		for (int reverse = 0; reverse < 2; reverse++) {
			size_t k = cuts[c][3] ? 3 : 2;

			lsstats_init(&acc, P);
			for (size_t j = 0; j < k; j++) {
				size_t jj = reverse ? k - 1 - j : j;

				stats_of(&part, X, y, cuts[c][jj], cuts[c][jj + 1]);
				lsstats_merge(&acc, &part, &e);
				lsstats_free(&part);
			}
			comoment(&acc, Mb);
			ok(acc.n == N, "split %zu%s: the rows add up", c + 1, reverse ? " reversed" : "");
			ok(max_rel(all.mean, acc.mean, P + 1) < 1e-14, "split %zu%s: the means agree", c + 1,
			   reverse ? " reversed" : "");
			ok(max_rel(Ma, Mb, 16) < 1e-12, "split %zu%s: the co-moments agree (%.2g)", c + 1,
			   reverse ? " reversed" : "", max_rel(Ma, Mb, 16));
			ok(acc.mean[1] == 7 && lsstats_ss(&acc, 1) == 0,
			   "split %zu%s: the constant column stays exactly constant", c + 1, reverse ? " reversed" : "");
			lsstats_free(&acc);
		}

	{
		size_t id[P] = { 0, 1, 2 }, gap[P] = { 0, 2, 3 };

		lsstats_remap(&moved, &all, id, P, &e);
		ok(memcmp(moved.R, all.R, 16 * sizeof *all.R) == 0 && memcmp(moved.mean, all.mean, 4 * sizeof *all.mean) == 0,
		   "an identity remap copies bit for bit");
		lsstats_free(&moved);
		lsstats_remap(&moved, &all, gap, P + 1, &e);
		ok(moved.p == P + 1 && moved.mean[1] == 0 && lsstats_ss(&moved, 1) == 0,
		   "a remap leaves an unmapped column of zeros");
		is_num(lsstats_ss(&moved, 4), lsstats_ss(&all, 3), 1e-9 * lsstats_ss(&all, 3),
		       "and the target's sum of squares where it was");
		lsstats_free(&moved);
	}
	lsstats_free(&all);
	gsl_matrix_free(X);
	gsl_vector_free(y);
	return tap_done();
}
