/*
 * reason: a feature's value said in words, for explanations people read
 * ("opened 5 times in the last 7 days", "sales 7 days earlier: 212.4", "a
 * promotion is planned").
 *
 * The phrase comes from the feature's name alone, through featspec's two
 * grammars (series names such as sales_lag_7, events-mode names such as
 * open_7d), so any model adash trains on adash features can be explained
 * without a side table; one phrase per kind of feature.  A few raw columns
 * of the built-in sales schema have their own (promo, price, temp_c,
 * footfall); any other column is "NAME: VALUE"; a missing value is "NAME:
 * no value".  Numbers are shown to four significant digits (whole numbers
 * from 10000 up), shares as percentages.
 *
 * Rejected: templates in a user-supplied file (one more file for every
 * model; the names already say what the features are).
 */
#ifndef ADASH_REASON_H
#define ADASH_REASON_H

#include "buf.h"

/* Appends to out the phrase for feature `name` whose value in the row is
 * text (as written) and v (its number, or NaN for text values). */
void reason_phrase(const char *name, const char *text, double v, struct buf *out);

/* Appends the whole reason: the phrase and, by the sign of the
 * contribution, "(raises the prediction)", "(lowers the prediction)" or,
 * for 0, "(no effect)". */
void reason_sentence(const char *name, const char *text, double v, double contribution,
		     struct buf *out);

#endif
