/*
 * schema: column types, strict parsing and normalization of values, schema
 * files, and the built-in schemas `sales` and `events`.
 *
 * A schema lists columns: name, type, whether a value is required, allowed
 * values, a range.  Schema files are JSON (documented in adash.7):
 *
 *   {"name": "sales", "columns": [
 *     {"name": "shop_id", "type": "string", "required": true},
 *     {"name": "price", "type": "number", "min": 0, "min_exclusive": true},
 *     {"name": "event", "type": "enum", "values": ["open", "close"]},
 *     {"name": "item_id", "type": "string",
 *      "required": true, "required_unless": {"event": ["page_view"]}}]}
 *
 * The built-in schemas are JSON text in schema.c, loaded by the same parser,
 * so there is one code path and `adash-ingest --infer` output, the built-ins
 * and hand-written files all mean the same thing.
 *
 * Normalization (what ingest writes): strings and enums are trimmed of
 * surrounding blanks, enums take the spelling of the schema's value (matched
 * without regard to case), numbers their shortest form, ints their integer
 * form, bools 1 or 0, dates YYYY-MM-DD, timestamps RFC 3339 in UTC with Z.
 *
 * Rejected: JSON Schema (draft 2020-12) as the file format.  It describes
 * documents, not columns, has no notion of "required unless", and no Debian
 * C library validates it; the subset needed here is a dozen keys.
 */
#ifndef ADASH_SCHEMA_H
#define ADASH_SCHEMA_H

#include "buf.h"
#include "err.h"
#include "record.h"

#include <stddef.h>

enum col_type {
	TYPE_STRING = 0,
	TYPE_INT,
	TYPE_NUMBER,
	TYPE_BOOL,
	TYPE_DATE,
	TYPE_TIMESTAMP,
	TYPE_ENUM
};

struct schema_column {
	char *name;
	int type;                 /* enum col_type */
	int required;
	char **values;            /* TYPE_ENUM: allowed spellings */
	size_t nvalues;
	int has_min, has_max, min_exclusive, max_exclusive;
	double min, max;          /* numbers and ints */
	/* required unless column `unless_column` has one of these values */
	char *unless_column;
	char **unless_values;
	size_t n_unless;
};

struct schema {
	char *name;
	struct schema_column *cols;
	size_t ncols;
	const char **names;  /* the column names, in order */
};

const char *col_type_name(int type);
int col_type_from_name(const char *name); /* -1 if unknown */

/* name: a built-in schema ("sales", "events") or a path to a JSON file.
 * Returns 0, or -1 with e (1: malformed schema, 3: unreadable file). */
int schema_load(struct schema *s, const char *name, struct adash_err *e);
/* Parses schema JSON text; origin names it in messages. */
int schema_parse(struct schema *s, const char *text, size_t len, const char *origin,
		 struct adash_err *e);
void schema_free(struct schema *s);
/* Names of the built-in schemas, NULL-terminated. */
const char *const *schema_builtin_names(void);
/* Writes s as schema JSON (pretty, stable key order). */
char *schema_to_json(const struct schema *s);

long schema_col(const struct schema *s, const char *name);
/* The column names, in order, as an array owned by s. */
const char *const *schema_names(const struct schema *s);

/* Checks and normalizes one value of column c.  Missing values (empty, "NA",
 * null) give an empty out and return 1 when allowed, -1 with `why` when the
 * column is required.  Otherwise returns 0 with the normalized text in out,
 * or -1 with `why` ("\"abc\" is not a number"). */
int schema_normalize(const struct schema_column *c, const struct field *in,
		     struct buf *out, char *why, size_t whysz);
/* The same, without copying: *res is set to the trimmed input itself when
 * that is already the normalized text (the common case), else to scratch's
 * contents.  res->kind is FIELD_NULL for a missing value. */
int schema_normalize_field(const struct schema_column *c, const struct field *in,
			   struct buf *scratch, struct field *res, char *why, size_t whysz);

/* The category of a failure message of schema_normalize, for counting
 * ("is not a number", "a value is required", ...): a static string. */
const char *schema_why_category(const char *why);

/* How the column's values are written in NDJSON (enum column_json). */
int schema_column_json(const struct schema_column *c);

#endif
