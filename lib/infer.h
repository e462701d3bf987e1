/*
 * infer: guesses a schema from data (adash-ingest --infer), in one pass and
 * constant memory per column.
 *
 * For each column it tracks which types every present value fits, whether
 * any value is missing, the smallest number and up to ENUM_MAX distinct
 * values.  The narrowest type that fits all values wins, in the order bool,
 * int, number, date, timestamp, enum, string; a column is required when no
 * value is missing; numeric columns whose values are never negative get
 * "min": 0.  An enum is chosen only for a string column with few distinct
 * values seen many times (at most ENUM_MAX values, each seen on average at
 * least ENUM_REPEAT times), so that ids are not mistaken for categories.  The
 * result is a starting point for a person to edit, not a contract.
 *
 * Whether a value fits a type is asked of schema_normalize_field itself,
 * so an inferred schema always accepts the data it came from.  Rejected:
 * sampling the first N rows (faster, but a late "n/a" in a number column
 * would make the schema refuse the file it was inferred from).
 */
#ifndef ADASH_INFER_H
#define ADASH_INFER_H

struct reader_options;

#include "err.h"
#include "hashmap.h"
#include "record.h"
#include "schema.h"

#include <stdint.h>
#include <stdio.h>

#define ENUM_MAX 12
#define ENUM_REPEAT 5

struct infer_column {
	char *name;
	uint64_t present, missing;
	int fits_bool, fits_int, fits_number, fits_date, fits_timestamp;
	double min;
	int have_min;
	struct hashmap distinct;   /* up to ENUM_MAX + 1 values */
};

struct inferrer {
	struct infer_column *cols;
	size_t ncols;
};

void infer_init(struct inferrer *in, const char *const *names, size_t ncols);
void infer_row(struct inferrer *in, const struct field *row);
/* Builds the schema (named name) from what was seen. */
void infer_schema(const struct inferrer *in, const char *name, struct schema *out);
void infer_free(struct inferrer *in);

/* Reads inputs (NULL-terminated; "-" is stdin), which must share their
 * columns, and writes the inferred schema as JSON to out.  A bad row stops
 * it: a schema inferred from part of the data would be a guess about the
 * rest.  0, or -1 with e. */
int infer_run(char *const *inputs, const struct reader_options *ropt, FILE *out,
	      struct adash_err *e);

#endif
