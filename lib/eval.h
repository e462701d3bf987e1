/*
 * eval: adash-eval: predictions scored against what happened, as one
 * table of measures with a row per group (--by) and a row for all.
 *
 * Four modes, each a join of the scored rows with reference data read
 * whole first, and one accumulator per group from the measure modules:
 *   regression      forecasts (key, date, pred[, lo, hi]) joined on key and
 *                   date with --truth; point_metrics (metrics.h) per group;
 *                   MASE from per-key seasonal naive scales of --history;
 *   classification  rows with a 0/1 label and a probability; class_metrics
 *                   (metrics.h), and its calibration table as a second
 *                   table (--calibration FILE);
 *   ranking         lists (adash-rank's output: user_id, rank, item_id)
 *                   against each user's relevant items in --truth;
 *                   rankmetrics.h per list, streamed one list at a time;
 *   policy          the rows of a --logged log weighed by whether the new
 *                   layout (the input) takes the logged action; offpolicy.h
 *                   with a bootstrap interval seeded by --seed and the
 *                   group's name.
 *
 * The scored rows are accounted (accounting.h): the input in the first
 * three modes, the --logged file in policy mode, since its rows are what
 * the estimate averages.  A row is out when a measure uses it, dropped
 * when it has nothing to be scored against (no truth, below --k, a user
 * without a layout), rejected when bad.  Reference data (--truth,
 * --history, --catalog, the layout in policy mode) is read whole before
 * scoring and must be clean: a bad row there is an error (exit 1)
 * whatever --on-bad says, as adash-features treats its --items file.
 * Rejected: accounting the reference rows too, which would fill the
 * counts with truth rows that no forecast asked for.
 *
 * The table's layout is the same in every mode: group, n, then the
 * mode's measures, one column each; an undefined measure (no rows, one
 * class only, no scale) is written empty (null in NDJSON), never 0.
 * Groups come in the order they first appear, then the row "all".
 */
#ifndef ADASH_EVAL_H
#define ADASH_EVAL_H

#include "cli.h"
#include "err.h"
#include "reader.h"

#include <stdint.h>
#include <stdio.h>

enum eval_mode { EVAL_REGRESSION = 1, EVAL_CLASSIFICATION, EVAL_RANKING, EVAL_POLICY };

/* Policy mode: when a logged row's action is the new layout's. */
enum eval_match {
	EVAL_MATCH_AUTO = 0, /* rank when the log has a rank column, else item */
	EVAL_MATCH_RANK,     /* the same item at the same rank */
	EVAL_MATCH_ITEM      /* the same item in the first K ranks */
};

struct eval_options {
	int mode;                   /* enum eval_mode */
	const char *by;             /* a column of the scored rows; NULL: all only */
	const char *truth_path;     /* regression, ranking */
	/* regression */
	const char *history_path;
	const char *key;            /* NULL: the whole input is one series */
	const char *time, *target, *pred, *lo, *hi;
	int season;
	/* classification */
	const char *label, *score;
	const char *calibration_path;
	/* ranking; policy with EVAL_MATCH_ITEM (0: the whole list) */
	long k;
	const char *gain, *catalog_path;
	/* policy */
	const char *logged_path;
	int match;                  /* enum eval_match */
	long bootstrap;             /* resamples; 0: no interval */
	double level;               /* of the interval, in (0, 1) */
	/* rows and output */
	struct run_io io;            /* the common options (cli.h) */
};

/* "rank", "item"; -1 for anything else. */
int eval_match_from_name(const char *name);

/* Scores the rows of inputs (NULL-terminated; "-" is stdin) and writes the
 * table to out.  0, or -1 with e. */
int eval_run(const struct eval_options *o, char *const *inputs, FILE *out,
	     struct adash_err *e);

#endif
