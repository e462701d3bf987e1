/*
 * model: the model file (JSON, "format": "adash-model", "version": 1) and
 * the one predict path every program uses: encode a row's inputs into the
 * design vector (one-hot levels, standardization), take the linear
 * predictor of the right fit (the row's group, else the pooled one), and
 * map it back to the target's scale.
 *
 * The file holds everything needed to rebuild features and predict: the
 * target, key and time columns; the inputs by name (feature names follow
 * featspec's grammar, so adash-forecast rebuilds them from the names alone);
 * the encoding (levels of categorical inputs) and the standardization (mean
 * and scale of every design column); one fit per --by group plus the pooled
 * fit; training residuals for prediction intervals; cross-validation
 * metrics per fold; a fingerprint of the training data and the program
 * version; for a bandit model (linucb, thompson) the sufficient statistics
 * that adash-train --update adds new rows to and that adash-rank explores
 * with (bandit.h).  Every field is documented in adash.7 (MODEL FILE).
 *
 * Loading is strict, because a model file is input like any other: wrong
 * types, missing fields, arrays of the wrong length, non-finite numbers,
 * unknown algorithms and absurd sizes are exit 1 with a message naming the
 * field ("sales.model: "coef" has 12 entries, expected 14"), never a crash;
 * tests/fuzz/fuzz-model.c holds the loader to that.  Numbers are written
 * with num_format's shortest round-trip form, so a saved and reloaded model
 * predicts bit for bit the same.
 *
 * Rejected: liblinear's and GSL's own model files (two formats, neither
 * holds encodings, residuals or metrics), and a binary format (the file is
 * something a person should be able to read and diff).
 */
#ifndef ADASH_MODEL_H
#define ADASH_MODEL_H

#include "bandit.h"
#include "err.h"

#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <stddef.h>

#define MODEL_FORMAT "adash-model"
#define MODEL_VERSION 1
/* Loader limits against hostile files (far beyond any real model). */
#define MODEL_MAX_DESIGN 100000      /* design columns */
#define MODEL_MAX_GROUPS 10000000    /* --by groups */
#define MODEL_MAX_RESIDUALS 100000   /* per fit */

/* A bandit model predicts a reward (a number), like a regression, from
 * statistics that new rows add to (bandit.h). */
enum model_task { TASK_REGRESSION = 0, TASK_CLASSIFICATION, TASK_BANDIT };

/* One input column of the design: numeric (one design column) or
 * categorical (one design column per level, one-hot). */
struct model_input {
	char *name;
	int categorical;
	char **levels;         /* categorical: vocabulary, in order first seen */
	double *level_num;     /* levels as numbers (NaN when a level is not a
	                          number), so computed inputs such as "dow"
	                          are matched without formatting text */
	size_t nlevels;
	size_t offset;         /* first design column */
	size_t width;          /* 1, or nlevels */
};

/* One fitted linear predictor. */
struct model_fit {
	char *group;           /* the --by value; NULL for the pooled fit */
	double intercept;
	double *coef;          /* ndesign */
	double *cov;           /* ndesign x ndesign, row-major, or NULL */
	double lambda;         /* ridge penalty used (0 otherwise) */
	double sigma2;         /* residual variance */
	double dof;            /* effective parameters, intercept included */
	double smearing;       /* log target: mean of exp(residual) (Duan's
	                          smearing factor); 1 otherwise */
	size_t rows;           /* training rows */
	double *residuals;     /* for intervals, on the fitted scale (log for
	                          --log-target); out-of-fold when --cv ran */
	size_t nresiduals;
};

/* Cross-validation: one expanding-window fold.  A regression's folds have
 * the point metrics, a classification's the probability ones; the other
 * kind is NaN and not written. */
struct model_fold {
	size_t train_rows, test_rows;
	char *train_until;     /* last time value trained on (text) */
	char *test_until;
	double mae, rmse, mape, mase;   /* NaN when undefined */
	double auc, logloss, brier;     /* NaN when undefined */
};

struct model {
	int task;              /* enum model_task */
	int algo;              /* enum regress_algo, classify_algo or bandit_algo */
	char *target;
	char *key;             /* series key column, or NULL */
	char *time;            /* time column, or NULL */
	char *by;              /* --by column, or NULL */
	int log_target;
	double weight_half_life;   /* days; 0 for none */
	int season;            /* MASE season (days) */
	int penalty;           /* classification: enum classify_penalty */
	double C;              /* classification: liblinear's cost */
	double class_weight[2];    /* classification: weights of class 0 and 1 */
	struct model_input *inputs;
	size_t ninputs;
	size_t ndesign;
	double *mean, *scale;  /* ndesign each: x = (raw - mean) / scale */
	int has_pooled;
	struct model_fit pooled;
	struct model_fit *groups;
	size_t ngroups;
	struct model_fold *folds;
	size_t nfolds;
	char *fingerprint;     /* "sha256:<hex>" of the training rows */
	struct bandit *bandit; /* a bandit model's statistics, prepared for
	                          widths and draws; NULL for other tasks */
	size_t rows;           /* training rows used */
	char *program;         /* "adash-train 0.1" */
	void *group_index;     /* lookup of groups by name (a struct hashmap) */
};

/* The task and algorithm of an --algo name ("ridge", "logreg"): 0, or -1
 * for a name no task knows. */
int model_algo_from_name(const char *name, int *task, int *algo);
/* The name of a task's algorithm, or NULL. */
const char *model_algo_name(int task, int algo);

/* An empty model (every pointer NULL). */
void model_init(struct model *m);
void model_free(struct model *m);

/* Lays out the design after inputs are set: offsets, widths, ndesign,
 * level_num; allocates mean and scale.  Checks names are distinct. */
int model_layout(struct model *m, struct adash_err *e);
/* Indexes groups by name for model_fit_for; call after filling groups. */
void model_index_groups(struct model *m);

/* Writes the model atomically (temporary file, then rename), after reading
 * its own JSON back through the loader's checks.  0, or -1 with e: code 3
 * when the file cannot be written, 4 when the model is not valid (a bug in
 * the caller: nothing is written). */
int model_save(const struct model *m, const char *path, struct adash_err *e);
/* Writes root (its reference is taken) in the model file's layout and
 * number forms, atomically: what model_save writes, for other files of
 * the same conventions (adash-train --partial's).  0, or -1 with e (code
 * 3). */
int model_write_json(json_t *root, const char *path, struct adash_err *e);

/* Loads and validates.  0, or -1 with e: code 3 when the file cannot be
 * read, 1 when it is not a valid model. */
int model_load(struct model *m, const char *path, struct adash_err *e);
/* The same from bytes in memory; name is used in messages. */
int model_load_buffer(struct model *m, const char *data, size_t len, const char *name,
		      struct adash_err *e);
/* The JSON form, and back (model_load goes through model_from_json). */
json_t *model_to_json(const struct model *m);
int model_from_json(struct model *m, json_t *root, const char *name, struct adash_err *e);

/* The fields a model file shares with adash-train --partial's files,
 * read and checked as model_from_json reads them: program, task, algo,
 * target, key, time, season, inputs (laid out: ndesign, mean and scale
 * allocated) and data (rows, fingerprint).  Other keys are the caller's to
 * check.  0, or -1 with e (code 1). */
int model_header_from_json(struct model *m, json_t *root, const char *name, struct adash_err *e);

/* The fit that serves group (the --by value; NULL when the model has no
 * --by): the group's own, else the pooled one, else NULL. */
const struct model_fit *model_fit_for(const struct model *m, const char *group);

/* Writes input i's design columns into x (x has ndesign entries) from a
 * number; a categorical input matches it against level_num.  Standardized.
 * A missing value (NaN) or unseen level encodes as the training mean (a
 * standardized 0), which contributes nothing. */
void model_encode_num(const struct model *m, size_t i, double v, double *x);
/* The same from text: numbers are parsed (num_parse), categories matched
 * as text.  Returns 0, or -1 when a numeric input's text is not a number
 * (the caller reports it with the row's position). */
int model_encode_text(const struct model *m, size_t i, const char *s, size_t len, double *x);

/* The linear predictor: intercept + coef . x. */
double model_linear(const struct model *m, const struct model_fit *f, const double *x);
/* The prediction on the target's scale: the linear predictor itself, or
 * for --log-target exp(eta) * smearing - 1 (the target was log1p'd), or
 * for classification the logistic function of eta. */
double model_output(const struct model *m, const struct model_fit *f, double eta);
/* The target's scale from the fitted scale without bias correction (a
 * simulated path value: eta already carries its residual): expm1 for
 * --log-target, the logistic function for classification. */
double model_untransform(const struct model *m, double eta);
/* The fitted scale from the target's: log1p(y) for --log-target, else y. */
double model_transform(const struct model *m, double y);

/* A bandit model's exploration (adash-rank), for a design vector x of
 * model_encode_*.  The width sqrt(z' A^-1 z) of z = (1, x): linucb scores
 * the linear predictor plus alpha times it. */
double model_bandit_width(const struct model *m, const double *x);
/* One draw of the coefficients from the posterior, N(theta, sigma2 A^-1),
 * with r into f's intercept and coef (ndesign entries, the caller's): what
 * thompson ranks by. */
void model_bandit_draw(const struct model *m, gsl_rng *r, struct model_fit *f);

#endif
