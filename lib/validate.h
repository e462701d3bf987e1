/*
 * validate: applies a schema to a record stream, row by row.
 *
 * Input columns are matched to schema columns by name; columns the schema
 * does not know are kept as they are (DESIGN §4), schema columns the input
 * lacks are an error at the header when required, and otherwise simply absent.
 * Each row comes out with the same columns, values normalized
 * (schema_normalize_field), or is refused with the column and the reason.
 *
 * Values already in normal form are passed on as the reader's own bytes,
 * without a copy: nearly every value in a clean file is, and copying each
 * cost a fifth of adash-ingest's time.  Rejected: a validator that builds
 * typed values (doubles, day numbers) for later stages; nothing after
 * ingest's normalization needs them, and text keeps passthrough lossless.
 */
#ifndef ADASH_VALIDATE_H
#define ADASH_VALIDATE_H

#include "buf.h"
#include "err.h"
#include "reader.h"
#include "schema.h"

struct validator {
	const struct schema *schema;   /* NULL: pass every value through */
	size_t ncols;                  /* input (and output) columns */
	long *schema_col;              /* per input column: schema index or -1 */
	long *input_col;               /* per schema column: input index or -1 */
	struct buf *vals;              /* per input column: normalized text */
	struct field *out;
	int *json;                     /* per column: enum column_json */
	const char **names;            /* input column names */
	int has_unless;                /* some column has required_unless */
	char reason[300];              /* category of the last bad row:
	                                  "price: is not a number" */
};

/* Matches the reader's header against the schema.  -1 with e (code 1) when a
 * required column is missing. */
int validator_init(struct validator *v, const struct schema *s, const struct reader *r,
		   struct adash_err *e);
void validator_free(struct validator *v);

/* Normalizes one row.  0 with *out set, or -1 with e (code 1) naming the
 * file, line and column. */
int validator_row(struct validator *v, const struct reader *r, const struct field *in,
		  const struct field **out, struct adash_err *e);

#endif
