/*
 * cooc: "people who use X also use Y": item-item cosine similarity over
 * users' engagement, and a user's collaborative score for each item.
 *
 * Each item is a vector over users (a user's engagement with it); the
 * similarity of items i and j is cos(i, j) = sum_u e_ui e_uj /
 * sqrt(sum_u e_ui^2 sum_u e_uj^2).  A user's score for item i is the sum of
 * cos(i, j) over the items j the user engaged with, j != i.
 *
 * Cost: the dot products are accumulated user by user over pairs of the
 * user's items, O(sum over users of their items squared), in a map keyed
 * by the item pair (u64map), so memory follows the pairs that co-occur,
 * not the square of the catalog; the result is kept as adjacency lists, so
 * a user's scores cost the sum of their items' neighbour counts.
 * Rejected: a dense items x items matrix (a catalog of 20,000 widgets would
 * need 3 GB) and GSL's sparse matrices (gsl_spmatrix_ptr accumulates into
 * the triplet form through a balanced tree with a node allocated per entry:
 * O(log n) and an allocation per new pair where the map is O(1), and this
 * runs tens of millions of times per run of daily cuts).
 */
#ifndef ADASH_COOC_H
#define ADASH_COOC_H

#include "u64map.h"

#include <stddef.h>
#include <stdint.h>

struct cooc {
	size_t nitems;
	double *norm2;           /* per item: sum of squared engagement */
	size_t norm2_cap;
	/* accumulation: the item pairs (i < j, as i << 32 | j, so that the
	 * key does not change when the catalog grows) seen together, in the
	 * order first seen, and their dot products */
	struct u64map index;     /* pair -> place in pairs and dots */
	uint64_t *pairs;
	double *dots;
	size_t npairs, pairs_cap, dots_cap;
	/* adjacency after cooc_finish */
	size_t *start;           /* nitems + 1 */
	uint32_t *nbr;
	double *sim;
};

void cooc_init(struct cooc *c, size_t nitems);
void cooc_free(struct cooc *c);
/* Makes room for items below nitems (before cooc_finish). */
void cooc_reserve(struct cooc *c, size_t nitems);
/* One user's engaged items (distinct) and their engagement (> 0). */
void cooc_add_user(struct cooc *c, const uint32_t *items, const double *eng, size_t n);
/* Adds to the sums directly: to item i's sum of squares, and to the dot
 * product of items i and j (i != j), as a statistics file gives them. */
void cooc_add_norm(struct cooc *c, uint32_t i, double v);
void cooc_add_dot(struct cooc *c, uint32_t i, uint32_t j, double v);
/* Turns the sums into similarities.  Engagement counts are whole
 * numbers, so the sums are exact whatever order the users (or the files
 * of partial sums) come in, and so are the similarities. */
void cooc_finish(struct cooc *c);
/* Adds to score[0..nitems) the user's collaborative score of every item,
 * given the items the user engaged with (items the sums never saw score
 * nothing).  score[i] adds one term per engaged item, in the order given,
 * so it depends on that order alone, not on how the sums were gathered. */
void cooc_scores(const struct cooc *c, const uint32_t *items, size_t n, double *score);

#endif
