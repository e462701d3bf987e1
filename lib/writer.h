/*
 * writer: records out as CSV or NDJSON.
 *
 * CSV: RFC 4180 with LF line ends, quoting only fields that need it (the
 * delimiter, a quote, CR or LF inside; an empty value when there is a single
 * column, so the row is not read back as a blank line).  The quoting itself is
 * libcsv's csv_fwrite.
 *
 * NDJSON: one object per line, every column present (missing values are
 * null), keys in column order.  Strings are escaped by jansson; a string
 * with nothing to escape is copied as it is (the common case, and measurably
 * faster than building a jansson value per field).  Numbers are written as
 * their text, which is already in num_format's shortest form, because
 * jansson's own real formatting uses 17 digits ("0.1" would become
 * "0.10000000000000001").
 *
 * A column's type, when the program knows it (a schema, its own output),
 * decides quoting; otherwise the field's kind from the reader does, and
 * untyped CSV text is a number only when it is a number in canonical form
 * or an int64 integer, so that CSV -> NDJSON -> CSV gives back the same
 * bytes (except "NA", a missing value by design, which comes back empty).
 */
#ifndef ADASH_WRITER_H
#define ADASH_WRITER_H

#include "record.h"

#include <stdio.h>

struct writer;

/* How a column is written in NDJSON. */
enum column_json {
	COLUMN_AUTO = 0, /* from the field's kind */
	COLUMN_STRING,   /* always a string */
	COLUMN_NUMBER    /* a number (values are number text) */
};

/* header: write the CSV header row (DESIGN §3 --no-header turns it off). */
struct writer *writer_new(FILE *out, int format, char delimiter, int header);
void writer_free(struct writer *w);

/* Declares the columns; json, when not NULL, gives enum column_json per
 * column.  Must precede the first row; the CSV header is written at once. */
void writer_columns(struct writer *w, size_t ncols, const char *const *names,
		    const int *json);

/* Writes one row of ncols fields.  Write errors are left for the stream's
 * error flag, checked once at the end (cli_close_stdout, atomic_commit). */
void writer_row(struct writer *w, const struct field *fields);

int writer_format(const struct writer *w);

#endif
