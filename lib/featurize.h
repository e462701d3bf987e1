/*
 * featurize: adash-features in series mode: reads rows of daily series
 * (key, day, target, covariates), adds the feature columns the options ask
 * for, computed by series.c from each row's past only, and writes every
 * input column through unchanged.
 *
 * Three ways through the input:
 *  - by default the rows are held in memory, sorted by key and day
 *    (gsl_heapsort_index), computed, and written back in input order, so
 *    input in any order works and output lines up with input;
 *  - with `grouped`, the input promises each key's rows come together (in
 *    any order of days), and one key's rows are held: when the key changes
 *    (groups.h) they are sorted, computed and written in input order, the
 *    same bytes as the default gives, in memory bounded by the largest
 *    key; a key that comes back after another is refused (exit 1), since
 *    its first rows are written already;
 *  - with `sorted`, the input promises each key's rows come in time order
 *    (keys may interleave), and rows stream: memory is one series_state per
 *    key, O(keys x longest window), whatever the input's length.  A row
 *    earlier than its key's previous row is then an error, not a guess.
 * All give the same bytes for input that keeps their promises; with both
 * `grouped` and `sorted`, one series_state is held and renewed per key.
 *
 * Rows: a missing or unreadable key or day, a covariate that is not a
 * number, and a second row for the same key and day are bad rows (the
 * --on-bad, --reject and --stats rules of accounting.c).  A missing target
 * is not: the row is written, and its day is a gap for the lags.  Rows
 * before the end of their key's warm-up (the longest look-back) are dropped
 * and counted, or with warmup_keep written with the features that cannot
 * be computed left empty; nothing is ever filled from later rows.
 *
 * Rejected: computing on partial windows during warm-up (a 28-day mean of
 * 3 days is a different feature with the same name) and guessing the order
 * of unsorted streaming input.
 */
#ifndef ADASH_FEATURIZE_H
#define ADASH_FEATURIZE_H

#include "cli.h"
#include "err.h"
#include "featspec.h"
#include "reader.h"

#include <stdio.h>

struct features_options {
	const char *key;          /* NULL: the whole input is one series */
	const char *time;         /* a date column (YYYY-MM-DD) */
	const char *target;
	/* feature requests, NULL-terminated lists of option items, or NULL */
	char **lags;              /* "7" */
	char **rolling;           /* "mean:7" */
	char **ewm;               /* "7" (half-life in days) */
	char **calendar;          /* "dow", "fourier:365.25:2" */
	char **log1p;             /* column names */
	char **ratio;             /* "price/footfall" */
	int fill;                 /* enum fill_mode */
	int warmup_keep;
	int sorted;
	int grouped;              /* the rows of a key come together: hold one key */
	struct run_io io;            /* the common options (cli.h) */
};

/* The feature definitions the options ask for, in output order (lags,
 * rolling, ewm, calendar, log1p, ratio).  Returns 0, or -1 with e (code 2
 * for a malformed item). */
int features_specs(const struct features_options *o, struct featspec **out, size_t *n,
		   struct adash_err *e);

/* Runs over inputs (NULL-terminated; "-" is stdin), which must share their
 * columns.  0, or -1 with e. */
int features_run(const struct features_options *o, char *const *inputs, FILE *out,
		 struct adash_err *e);

#endif
