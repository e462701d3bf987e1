/*
 * partial: the partial statistics file of adash-train --partial, which
 * adash-train --merge combines with others into one model: "format":
 * "adash-partial", "version": 1, with the model file's conventions (the
 * same header fields read by the same code, model_header_from_json; the
 * same layout and number forms, model_write_json; written atomically).
 *
 * It holds what a model needs to be solved from the rows of one partition
 * without the rows: the header (program, task, algo, target, key, time,
 * season, inputs with the levels this partition saw, data: rows and
 * fingerprint), and
 *  - ols, ridge: "statistics": {"rows": N, "mean": [q numbers],
 *    "R": [q * q numbers, row-major]}, q = ndesign + 1 (the target last):
 *    lsstats.h's means and square root of the centred co-moment matrix of
 *    the raw (unstandardized) design and the target;
 *  - linucb, thompson: "bandit": {"sum_r": X, "sum_r2": X >= 0,
 *    "b": [p numbers], "A": [p * p numbers, symmetric]}, p = ndesign + 1
 *    (the intercept first): bandit.h's sums over the rows, without the
 *    prior, which the merge adds once.
 *
 * Loading is strict like a model's: wrong types, sizes and non-finite
 * numbers are exit 1 naming the field.  adash.7 (PARTIAL STATISTICS)
 * documents the format.
 */
#ifndef ADASH_PARTIAL_H
#define ADASH_PARTIAL_H

#include "err.h"
#include "lsstats.h"
#include "model.h"

#define PARTIAL_FORMAT "adash-partial"
#define PARTIAL_VERSION 1

struct partial {
	struct model m;      /* the header only: no fits, standardization unused */
	struct lsstats st;   /* ols, ridge */
	struct bandit *b;    /* linucb, thompson: sums of the rows, lambda 0 */
};

void partial_init(struct partial *pt);
void partial_free(struct partial *pt);

/* 0, or -1 with e (code 3 for the file, 4 for an invalid partial). */
int partial_save(const struct partial *pt, const char *path, struct adash_err *e);

/* 0, or -1 with e (code 3 for the file, 1 for its content). */
int partial_load(struct partial *pt, const char *path, struct adash_err *e);

#endif
