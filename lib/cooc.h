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
 * user's items, O(sum over users of their items squared), in a hash table
 * keyed by the item pair, so memory follows the pairs that co-occur, not
 * the square of the catalog; the result is kept as adjacency lists, so a
 * user's scores cost the sum of their items' neighbour counts.  Rejected:
 * a dense items x items matrix (a catalog of 20,000 widgets would need
 * 3 GB) and GSL's sparse matrices (their triplet-to-compressed conversion
 * does not sum duplicates, and we would still need the accumulation).
 */
#ifndef ADASH_COOC_H
#define ADASH_COOC_H

#include <stddef.h>
#include <stdint.h>

struct cooc {
	size_t nitems;
	double *norm2;           /* per item: sum of squared engagement */
	/* accumulation: open addressing of item pairs (i < j) */
	uint64_t *keys;          /* i * nitems + j + 1; 0 = empty */
	double *dots;
	size_t size, count;
	/* adjacency after cooc_finish */
	size_t *start;           /* nitems + 1 */
	uint32_t *nbr;
	double *sim;
};

void cooc_init(struct cooc *c, size_t nitems);
void cooc_free(struct cooc *c);
/* One user's engaged items (distinct) and their engagement (> 0). */
void cooc_add_user(struct cooc *c, const uint32_t *items, const double *eng, size_t n);
/* Turns the sums into similarities. */
void cooc_finish(struct cooc *c);
/* Adds to score[0..nitems) the user's collaborative score of every item,
 * given the items the user engaged with. */
void cooc_scores(const struct cooc *c, const uint32_t *items, size_t n, double *score);

#endif
