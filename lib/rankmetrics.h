/*
 * rankmetrics: top-K measures of ranked lists against what each user then
 * engaged with, accumulated one list at a time.
 *
 * A list is given by its gains: g_r, for r = 1 .. K, is the gain of the
 * item placed at rank r (0 when the item is not among the user's relevant
 * items, or when no item is at that rank), and the user's relevant items
 * are given by their gains G (all > 0).  A hit is a rank r <= K with
 * g_r > 0.
 *   DCG@K   = sum over r <= K of g_r / log2(r + 1)
 *   IDCG@K  = the DCG of the ideal list: G sorted from the highest, the
 *             first K of them at ranks 1, 2, ...
 *   NDCG@K  = DCG@K / IDCG@K, in [0, 1]: 1 exactly when no other order of
 *             the user's items could do better in the first K ranks
 *   RR@K    = 1 / the first rank of a hit, 0 without a hit (MRR: its mean)
 *   HR@K    = 1 with a hit, else 0
 *   precision@K = hits / K (a list shorter than K misses the empty ranks)
 *   recall@K    = hits / |G|
 * Each list counts once, and every measure is the mean over lists, so a
 * user with many relevant items weighs no more than one with a few.
 *
 * Gains are linear: the gain itself, not Burges et al.'s 2^g - 1.  With
 * binary gains (1 for an item the user engaged with) the two agree; with
 * graded gains read from a column (a count of opens, minutes spent) an
 * exponent would let one heavy item outweigh everything else in the list.
 *
 * Catalog coverage is the share of the catalog's items that some list
 * placed in its first K ranks: a ranking that gives everyone the same few
 * items scores well on popular items and low here.
 *
 * Sums are Kahan-compensated (metrics.h); a measure over no lists is NaN.
 * Rejected: accumulating DCG and IDCG apart and dividing the sums (a
 * "global" NDCG): users with long truth lists would dominate it.
 */
#ifndef ADASH_RANKMETRICS_H
#define ADASH_RANKMETRICS_H

#include "hashmap.h"
#include "metrics.h"

#include <stddef.h>

/* The measures of one list. */
struct list_score {
	double ndcg, rr, hit, precision, recall;
};

/* IDCG@k of relevant items with gains g[0..n) (each > 0); sorts g from the
 * highest, in place. */
double rank_ideal_dcg(double *g, size_t n, size_t k);

/* The measures of a list with gains[0..k) at ranks 1..k, for a user whose
 * relevant items have IDCG@k idcg and number nrelevant (both > 0). */
void rank_list_score(const double *gains, size_t k, double idcg, size_t nrelevant,
		     struct list_score *s);

struct rank_metrics {
	size_t n;
	struct kahan ndcg, rr, hit, precision, recall;
};

void rank_metrics_init(struct rank_metrics *m);
void rank_metrics_add(struct rank_metrics *m, const struct list_score *s);
void rank_metrics_merge(struct rank_metrics *a, const struct rank_metrics *b);
/* Means over the lists; NaN with none. */
double rank_metrics_ndcg(const struct rank_metrics *m);
double rank_metrics_mrr(const struct rank_metrics *m);
double rank_metrics_hr(const struct rank_metrics *m);
double rank_metrics_precision(const struct rank_metrics *m);
double rank_metrics_recall(const struct rank_metrics *m);

/* The distinct items placed. */
struct coverage {
	struct hashmap items;
};

void coverage_init(struct coverage *c);
void coverage_add(struct coverage *c, const char *item, size_t len);
/* Items placed / catalog_size; NaN for an empty catalog. */
double coverage_value(const struct coverage *c, size_t catalog_size);
void coverage_free(struct coverage *c);

#endif
