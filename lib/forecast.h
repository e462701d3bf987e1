/*
 * forecast: adash-forecast: recursive multi-step forecasts of every series
 * in a history, from a model file.
 *
 * The model's inputs are parsed back into feature definitions (featspec)
 * and computed by series.c, the code adash-features ran: each key's
 * history is replayed into a series_state, then for each step the features
 * of the next day are computed, the model predicts, and the prediction is
 * pushed as that day's target, so that lags and windows of later steps
 * read it.  Covariates of future days come from --future (key, day,
 * columns), else the key's last observed value is carried forward (said
 * once on stderr); --set col=v, col=*f, col=+d then overrides, scales or
 * shifts them (what-if).
 *
 * Prediction intervals (--interval P) come from simulated paths: each path
 * replays the same recursion with a residual drawn from the model's
 * residuals (out-of-fold ones when it was trained with --cv) added to each
 * step's prediction on the fitted scale, so errors propagate through the
 * lags as they would in reality; lo and hi are the (1 - P)/2 and (1 + P)/2
 * quantiles of the paths at each step (gsl_stats_quantile_from_sorted_data).
 * Each key draws from its own random stream, derived from --seed and the
 * key's text, so a key's forecast does not depend on which other keys are
 * in the input.  --total adds one row per day with the sum over keys; its
 * interval comes from the summed paths (path i of every key added up), which
 * keeps the keys' joint randomness rather than adding widths.
 *
 * The history is held whole by default, and keys are forecast in the order
 * of their first row.  With `grouped`, the input promises each key's rows
 * come together, and one key's rows are held: a key's forecast is written
 * when the next key begins (groups.h), the same bytes in the same order,
 * in memory bounded by the largest key; a key that comes back after
 * another is refused.  --total needs only each day's sums over the keys so
 * far (and path sums with --interval), kept over the span of the
 * forecasts' days; --future is a side file, held whole.
 *
 * Rejected: direct multi-horizon models (one per step: many models to
 * train and no single feature grammar) and normal-theory intervals (the
 * recursion makes errors non-normal and growing with the step).
 */
#ifndef ADASH_FORECAST_H
#define ADASH_FORECAST_H

#include "err.h"
#include "model.h"
#include "reader.h"
#include "whatif.h"

#include <stdint.h>
#include <stdio.h>

struct forecast_options {
	const struct model *m;
	int horizon;              /* days */
	double interval;          /* percent (0, 100), or 0 for none */
	int paths;
	uint64_t seed;
	const char *future_path;  /* or NULL */
	struct whatif *sets;      /* --set */
	size_t nsets;
	const char *total;        /* key text of total rows, or NULL for none */
	int with_features;
	int grouped;              /* the rows of a key come together: hold one key */
	int verbose;              /* -v: say whether the whole history had to be held */
	struct reader_options read;
	int output_format;
	char delimiter;
	int header;
	FILE *notes;              /* the carry-forward note; NULL for none */
	const char *prog;
};

/* Forecasts every key of the history in inputs (NULL-terminated; "-" is
 * stdin) and writes the rows to out.  0, or -1 with e. */
int forecast_run(const struct forecast_options *o, char *const *inputs, FILE *out,
		 struct adash_err *e);

#endif
