/*
 * train: adash-train's fitting: from a table of features to a model, a
 * regression (ols, ridge, huber, svr), a classification (logreg) or a
 * bandit (linucb, thompson), and the update of a bandit model with new
 * rows.
 *
 * Columns: the target; the time column (a date or a timestamp, for
 * cross-validation order, MASE and row weights); the key (which series a
 * row belongs to, regression only); the inputs: every numeric column but
 * those three and --by, or the --features list, minus --exclude, plus the
 * text columns --categorical names.  Inputs whose values are text, those
 * named by --categorical, and the calendar features featspec calls
 * categorical (dow, month) are one-hot encoded; the rest are numbers.
 * Every design column is standardized with the training rows' mean and
 * standard deviation (a constant column gets scale 1), so that one ridge
 * penalty (or logreg's C) weighs every column alike and coefficients
 * compare.
 *
 * Rows with a missing target or a missing numeric input are left out and
 * counted (adash-features leaves warm-up values empty); a target that is
 * not a number is an error, and for logreg one that is not 0, 1, true or
 * false.  --log-target fits log1p(target) and maps predictions back with
 * Duan's smearing factor, the mean of exp(residual), because exp of a mean
 * log is the median, not the mean.
 *
 * The time column is --time, else "date", else "asof" (the cut time of an
 * events feature table); its first value says whether it holds dates or
 * timestamps, and every other value must be the same kind.  A key is
 * guessed (the one text column) for a regression only: a classification
 * has no series, and an events table's user_id and item_id are two text
 * columns that no guess should choose between.
 *
 * Cross-validation (--cv N) cuts the distinct time values into N + 1
 * consecutive blocks; fold k trains on blocks 1..k and tests on block
 * k + 1, so no fold ever trains on a time later than one it is tested on,
 * and standardization (and balanced class weights) are recomputed from
 * each fold's training rows.  Each fold's MAE, RMSE, MAPE and MASE (scaled
 * by the seasonal naive error of the fold's training rows, per key), or
 * AUC, log loss and Brier score for logreg, go to the report stream and
 * into the model; a regression's out-of-fold residuals become the model's
 * residuals for prediction intervals (one-step-ahead errors of a model
 * that had not seen the day, more honest than in-sample residuals).  With
 * --lambda cv, ridge's penalty is the one of a log-spaced grid with the
 * least total squared error over the folds; with --C cv, logreg's C is the
 * one of 2^-6 .. 2^6 with the least mean log loss over the folds (log loss
 * rather than AUC: it scores the probabilities themselves, and AUC, a
 * ranking, barely moves with C).
 *
 * --by COL fits one model per group of COL on that group's rows (groups
 * with too few rows are left to the pooled model) plus, unless told not
 * to, a pooled model on every row for groups too short or never seen.
 *
 * Bandits (bandit.h) take the same columns and rows, no key (like
 * logreg), and differ in three ways: the design is not standardized (mean
 * 0, scale 1), so that the statistics of separate batches add up; the fit
 * is the statistics' A and b summed over the rows in order, solved for
 * theta; and there are no folds, groups, row weights or log target (each
 * refused), since statistics that new rows are added to cannot be
 * re-weighted, re-scaled or split afterwards.  Any number of rows from one
 * up fits (the prior makes A positive definite).
 *
 * train_update reads new rows with the model's inputs and vocabulary (a
 * level the model has not seen encodes as zeros, and is counted), by the
 * same rules as training (left out for an empty target or input, the same
 * errors), adds them to the statistics in order, and solves again: the
 * model is then bit for bit the one training on the old rows followed by
 * the new ones would give (when the new rows bring no new level), because
 * the additions are the same.
 */
#ifndef ADASH_TRAIN_H
#define ADASH_TRAIN_H

#include "classify.h"
#include "err.h"
#include "model.h"
#include "partial.h"
#include "regress.h"
#include "table.h"

#include <stdint.h>
#include <stdio.h>

struct train_options {
	const char *target;
	int task;                 /* enum model_task: TASK_CLASSIFICATION is logreg */
	const char *key;          /* NULL: the --by column, else guessed (regression) */
	const char *time;         /* NULL: "date", else "asof", when there is one */
	const char *by;
	char **features;          /* NULL-terminated, or NULL: every numeric column */
	char **exclude;
	char **categorical;
	struct regress_options fit;
	int lambda_cv;            /* ridge: penalty chosen by the folds */
	struct classify_options cls;  /* logreg: penalty, C, class weights */
	int bandit_algo;          /* bandit: enum bandit_algo */
	double prior;             /* bandit: lambda, the prior precision (> 0) */
	double alpha;             /* bandit: linucb's width, stored for adash-rank;
	                             train_update: the new one, or < 0 to keep it */
	int c_cv;                 /* logreg: C chosen by the folds (cls.C unused) */
	int balanced;             /* logreg: class weights n / (2 n_c) of each
	                             fit's rows (cls.weight unused) */
	int log_target;
	double weight_half_life;  /* days; 0: equal weights */
	int cv;                   /* folds; 0: none */
	int season;               /* MASE season in days */
	int pooled;               /* with --by: fit the pooled fallback too */
	size_t min_rows;          /* with --by: fewest rows for a group's own fit; 0: automatic */
	double sample;            /* keep this fraction of the rows (0: all of them) */
	uint64_t seed;            /* of the sample */
	const char *program;      /* "adash-train VERSION", stored in the model */
	FILE *report;             /* fold metrics and a summary; NULL for none */
	const char *prog;         /* prefix of report lines */
};

/* Trains on t into m (initialized by the caller).  Once the design is
 * built, t's cells are dropped (table_drop_cells), so that the table and
 * the fits do not share the peak of memory.  0, or -1 with e. */
int train_model(const struct train_options *o, struct table *t, struct model *m,
		struct adash_err *e);

/* Adds the rows of t to bandit model m (loaded from its file) and solves
 * it again; o gives program, report and prog, and alpha.  A table without
 * columns (an empty input), or without a usable row, changes nothing.
 * 0, or -1 with e (code 2 when m is not a bandit model). */
int train_update(const struct train_options *o, struct table *t, struct model *m,
		 struct adash_err *e);

/* The partial statistics of the rows of ts into pt (adash-train
 * --partial): inputs, vocabularies and rows read as train_model reads
 * them, any number of usable rows from one up; ols and ridge keep
 * lsstats.h's statistics, linucb and thompson bandit.h's sums.  logreg,
 * huber and svr, folds, groups, row weights and the log target are refused
 * (code 2).
 *
 * The rows are read block_rows at a time, so that memory is one block and
 * the statistics, whatever the input's length: each block's statistics
 * are those of a partial of its rows, folded into the running ones by the
 * steps of train_merge (vocabularies by union, the statistics laid out on
 * the union's design and merged), so the result is the partial of the
 * whole input to rounding, and bit for bit when the input is one block.
 * The fingerprint is of the whole input, hashed as it goes.  The first
 * block chooses the columns (which are inputs, numbers or text) as
 * train_model would from the whole table; a numeric input with text in a
 * later block is an error (code 1), where the whole table would have made
 * it a text column.  0, or -1 with e. */
#define TRAIN_BLOCK_ROWS 65536   /* a block of a feature table: some megabytes */
int train_partial(const struct train_options *o, struct table_stream *ts, size_t block_rows,
		  struct partial *pt, struct adash_err *e);

/* Merges the n partial statistics parts (names: their files, for
 * messages) into model m (initialized by the caller), and solves it as
 * train_model would solve all their rows at once: o gives the penalty
 * (ridge: fixed or GCV; bandits: the prior precision and alpha), program,
 * report and prog.  The parts must agree on task, algorithm, target, key,
 * time, season and inputs (code 1 otherwise); categorical vocabularies are
 * merged by union.  The parts are put in a canonical order (by
 * fingerprint) first, so that the order they are given in does not change
 * a bit of the model.  0, or -1 with e. */
int train_merge(const struct train_options *o, struct partial *parts, const char *const *names,
		size_t n, struct model *m, struct adash_err *e);

#endif
