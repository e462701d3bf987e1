/*
 * lsstats: the sufficient statistics of a least-squares fit (ols, ridge),
 * kept so that the statistics of separate batches of rows merge into those
 * of all the rows: what adash-train --partial writes and --merge combines,
 * and what every ols and ridge fit is solved from (regress_fit_stats), so
 * that one process and a merge of partitions share one solver.
 *
 * For rows z_i = (x_i, y_i) of p design columns and the target, with
 * weights w_i (1 without weights), the statistics are
 *
 *   n, W = sum w_i                    rows and total weight
 *   m = sum w_i z_i / W               the p + 1 weighted means
 *   R, (p + 1) x (p + 1), with R'R = M = sum w_i (z_i - m)(z_i - m)'
 *
 * M is the centred co-moment matrix: X'X, X'y and y'y about the means.  It
 * is kept as a square root R rather than as M itself because M squares the
 * condition number of the design, and the fit reads R exactly as it reads
 * the QR-reduced design of one process (regress.h: S, V and U'y from R, what
 * y has outside the columns' span from the last diagonal entry).
 *
 * Teacher's note on the merge (Chan, Golub and LeVeque's pairwise update of
 * means and co-moments).  Two batches a and b with d = m_b - m_a give
 *
 *   W = W_a + W_b,   m = m_a + d W_b / W,
 *   M = M_a + M_b + (W_a W_b / W) d d'.
 *
 * Each term is a Gram matrix: M_a = R_a'R_a, M_b = R_b'R_b and the last is
 * c c' with c = sqrt(W_a W_b / W) d.  So M = T'T for T the stack of R_a, R_b
 * and the row c', and the merged R is the triangular factor of T = QR
 * (GSL's gsl_linalg_QR_decomp_r): the update in square-root form, which
 * never forms M.  Rows are taken in blocks of LSSTATS_BLOCK: a block's means
 * by two passes (exact to rounding under a large common offset), its centred
 * rows by QR, then merged; memory is one block, whatever the row count.  A
 * column constant within a block is centred to exact zeros and keeps its
 * value as its mean, and two batches of the same constant merge with d = 0,
 * so a constant column stays exactly zero in R (a one-hot level absent from
 * a partition is such a column, of zeros).
 *
 * R is unique only up to the signs of its rows (and any orthogonal Q' R
 * has the same R'R); nothing downstream depends on which.  Merges are
 * exact in real arithmetic and backward stable in floating point: merging
 * the same batches in another order changes the result by rounding only,
 * which is why adash-train --merge puts partial files in a canonical order
 * first.
 *
 * Rejected: the co-moment matrix M itself (the normal equations, which
 * regress.h rejects too), and plain uncentred sums (catastrophic
 * cancellation when columns share a large offset, such as dates or prices).
 */
#ifndef ADASH_LSSTATS_H
#define ADASH_LSSTATS_H

#include "err.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stddef.h>

/* Rows per block of lsstats_add_rows. */
#define LSSTATS_BLOCK 4096

struct lsstats {
	size_t p;        /* design columns; the statistics are of p + 1 (y last) */
	size_t n;        /* rows */
	double sw;       /* total weight (n without weights) */
	double *mean;    /* p + 1 weighted means */
	double *R;       /* (p + 1) x (p + 1), row-major: R'R = M */
};

/* The statistics of no rows for p design columns. */
void lsstats_init(struct lsstats *s, size_t p);
void lsstats_free(struct lsstats *s);

/* Adds rows of X (n x p, s->p columns) and y, with weights w (NULL: 1
 * each, else each positive and finite; the caller checks).  0, or -1 with
 * e when a QR decomposition fails. */
int lsstats_add_rows(struct lsstats *s, const gsl_matrix *X, const gsl_vector *y,
		     const gsl_vector *w, struct adash_err *e);

/* Merges b into a (the same p): afterwards a holds the statistics of the
 * rows of both.  0, or -1 with e. */
int lsstats_merge(struct lsstats *a, const struct lsstats *b, struct adash_err *e);

/* The statistics of s laid out on p columns into out (initialized here):
 * s's column j becomes map[j] (map has s->p entries, distinct, below p),
 * the target stays last, and the columns nothing maps to are zeros (a
 * one-hot level these rows never had).  An identity map copies s bit for
 * bit.  0, or -1 with e. */
int lsstats_remap(struct lsstats *out, const struct lsstats *s, const size_t *map, size_t p,
		  struct adash_err *e);

/* The weighted sum of squares of column j about its mean: M[j][j], the
 * squared norm of R's column j. */
double lsstats_ss(const struct lsstats *s, size_t j);

#endif
