/*
 * tally: exact counts over trailing time windows, "how many opens in the 7
 * days before the cut", kept in constant memory per counted thing.
 *
 * The cut times are known before the events are read: one --asof time, or a
 * grid of cuts every `step`.  A window W at a cut T covers (T - W, T].  Time
 * is cut into buckets of width g = gcd(W, step), aligned on the grid, so
 * every window at every cut is an exact union of W / g whole buckets, and a
 * ring of the last W / g buckets per counted thing answers it.  Windows that
 * share a bucket width share a ring (1d, 7d and 30d with a daily step are
 * one ring of 30 daily buckets); with a single cut every window is one
 * bucket of its own width.  Events must come in time order; a bucket older
 * than its ring is cleared lazily when a later bucket is written, so a
 * thing that sees no events costs nothing.
 *
 * A block is the counters of one thing (a user's item, a user): per ring,
 * its newest bucket number, then `ntally` counters for each bucket.
 * Counters are 32-bit: a count or a sum of milliseconds per bucket.
 *
 * Rejected: keeping each event's time until it leaves the longest window
 * (memory grows with events, not with things counted) and approximate
 * sketches (exponential histograms; counts must be exact to be tested and
 * explained).
 */
#ifndef ADASH_TALLY_H
#define ADASH_TALLY_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* Buckets per ring beyond which a window and step are refused: the ring
 * would cost more memory per thing than the feature is worth. */
#define TALLY_MAX_BUCKETS 1000

struct tally_layout {
	size_t nwin;
	int64_t *win;          /* window lengths, microseconds */
	size_t *win_ring;      /* the ring each window reads */
	size_t *win_buckets;   /* buckets it spans */
	size_t nrings;
	int64_t *width;        /* bucket width per ring, microseconds */
	size_t *len;           /* buckets per ring */
	size_t *offset;        /* where a ring's counters start in a block */
	int64_t origin;        /* a bucket boundary: a cut time */
	size_t ntally;         /* counters per bucket */
	size_t stride;         /* uint32 words per block */
};

/* Lays out windows (microseconds, each > 0) for cuts at origin + k * step
 * (step 0: the single cut origin).  -1 with e (code 2) when a window and the
 * step need more than TALLY_MAX_BUCKETS buckets. */
int tally_layout_init(struct tally_layout *l, const int64_t *windows, size_t nwin,
		      int64_t step, int64_t origin, size_t ntally, struct adash_err *e);
void tally_layout_free(struct tally_layout *l);

/* Makes a block empty (it must have l->stride words). */
void tally_block_init(const struct tally_layout *l, uint32_t *block);

/* Adds amount to counter `which` for an event at time t.  Events of a block
 * must come in time order. */
void tally_add(const struct tally_layout *l, uint32_t *block, int64_t t, size_t which,
	       uint32_t amount);

/* Sums window w at cut time `cut` (on the grid, not earlier than the block's
 * last event) into out[0..ntally). */
void tally_window(const struct tally_layout *l, const uint32_t *block, size_t w, int64_t cut,
		  double *out);

#endif
