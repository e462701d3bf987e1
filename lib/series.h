/*
 * series: the features of one daily series, computed row by row from its
 * past: the one implementation behind adash-features (series mode) and
 * adash-forecast, which is what makes training and serving agree.
 *
 * A plan (struct series_plan) is a list of parsed feature definitions and
 * the input columns they read.  A state (struct series_state) is one key's
 * history, as much of it as the plan can look back at: for each (column,
 * fill) pair that a lag or window reads, a ring of the last `lookback`
 * days indexed by day number, so that a lag is the value of the day N days
 * earlier on the calendar, never N rows earlier (a missing day leaves its
 * slot empty, or filled with 0 or the last value under --fill), plus the
 * running sums of each exponentially weighted mean.  Memory per key is
 * O(lookback), whatever the history's length.
 *
 * The protocol, per key in time order: series_compute(day) writes the
 * features of a row on `day` from the days before it; series_push(day)
 * then adds that row's values.  adash-forecast pushes its predictions the
 * same way, step after step, and copies states (series_state_copy) to run
 * simulated paths side by side.
 *
 * Teacher's note on the decayed mean: with a = 0.5^(1/H) per day, pushing
 * day d multiplies both the weighted sum and the weight total by a^(days
 * since the last push) before adding the new value and 1, so a value k
 * days old weighs a^k; the ratio is the mean.  Days with no value (under
 * fill none) only decay; under zero or ffill they add 0 or the last value,
 * in closed form (a geometric sum), so a long gap costs O(1).
 *
 * Rolling statistics gather the window's values and hand them to GSL
 * (gsl_stats_mean, _sd, _min, _max).  Days without a value are left out;
 * a window with none (or, for std, fewer than two) gives a missing value.
 *
 * Rejected: keeping whole histories per key (memory grows with time) and
 * running sums for rolling windows (drift over long series, and the
 * window is short enough that recomputing is cheap and exact).
 */
#ifndef ADASH_SERIES_H
#define ADASH_SERIES_H

#include "err.h"
#include "featspec.h"

#include <stddef.h>
#include <stdint.h>

struct series_slot {
	size_t input;    /* column read */
	int fill;        /* enum fill_mode */
};

struct series_plan {
	struct featspec *feats;   /* owned */
	size_t nfeats;
	char **inputs;            /* columns read, in first-use order */
	size_t ninputs;
	size_t *col;              /* per feature: input index of col (or SIZE_MAX) */
	size_t *col2;             /* per feature: input index of col2 (or SIZE_MAX) */
	size_t *slot;             /* per feature: ring slot (or SIZE_MAX) */
	size_t *ewm;              /* per feature: ewm state (or SIZE_MAX) */
	struct series_slot *slots;
	size_t nslots;
	size_t newm;
	int lookback;             /* longest look back of any feature, in days */
	int ring;                 /* ring length (lookback, at least 1) */
};

struct series_state {
	int started;
	int64_t first_day, last_day;
	double *ring;      /* nslots x ring */
	double *last;      /* per slot: last value seen (ffill), NaN if none */
	double *ewm_num, *ewm_den;
};

/* Takes ownership of feats[0..n) (the array itself is copied). */
void series_plan_init(struct series_plan *p, struct featspec *feats, size_t n);
void series_plan_free(struct series_plan *p);
/* Index of input column name, or -1. */
long series_plan_input(const struct series_plan *p, const char *name);

void series_state_init(struct series_state *s, const struct series_plan *p);
void series_state_free(struct series_state *s);
/* dst (initialized with the same plan) becomes a copy of src. */
void series_state_copy(struct series_state *dst, const struct series_state *src,
		       const struct series_plan *p);

/* Features of a row on `day` (after every pushed day) into out[nfeats]:
 * NaN where a value is missing or the history is too short.  row holds the
 * row's own input values (NaN for missing), read by raw, log1p and ratio
 * features. */
void series_compute(const struct series_state *s, const struct series_plan *p,
		    int64_t day, const double *row, double *out);

/* True when the history covers the plan's whole look-back before `day`
 * (the row is past its warm-up). */
int series_warm(const struct series_state *s, const struct series_plan *p, int64_t day);

/* Adds a row on `day` (> the last pushed day) with input values row[ninputs]. */
void series_push(struct series_state *s, const struct series_plan *p, int64_t day,
		 const double *row);

#endif
