/*
 * table: a whole input held in memory, for the programs that need every
 * row at once (adash-train fits on all rows; cross-validation revisits
 * them).
 *
 * Cells stay text, NUL-terminated in one arena, so that reading costs one
 * copy and a column is parsed only when a program asks for it as numbers
 * (table_numbers), once.  The line of each row is kept for messages.  A
 * bad row from the reader is an error here: these programs have no
 * --reject (a model trained on silently fewer rows is not what was asked).
 *
 * A table can also be read in blocks of rows (struct table_stream), for a
 * program that folds rows into statistics and needs only some at a time
 * (adash-train --partial): each block is a table of the next rows, with the
 * same columns, source and format, and table_read is the one block of every
 * row, so both ways read, check and keep rows by the same code.
 *
 * Rejected: parsing every cell to a double up front (string columns such as
 * a key or a category would need a second representation anyway, and most
 * columns of a feature file are read once).
 */
#ifndef ADASH_TABLE_H
#define ADASH_TABLE_H

#include "buf.h"
#include "err.h"
#include "reader.h"

#include <stddef.h>

struct table {
	size_t ncols, nrows;
	char **names;
	struct buf text;       /* every cell, NUL-terminated */
	size_t *cell;          /* nrows x ncols offsets into text */
	long *line;            /* per row */
	char *source;          /* name of the (first) input, for messages */
	int format;            /* of the first input */
};

/* Reads inputs (NULL-terminated; "-" is stdin), which must share columns.
 * 0, or -1 with e. */
int table_read(struct table *t, char *const *inputs, const struct reader_options *ro,
	       struct adash_err *e);

/* table_read for a program that holds part of its input (adash-forecast
 * --grouped holds one key's rows): each(ctx, t, rec, file, line, e) is
 * called with every record before it is added to t (t's names are set by
 * then), and may take the rows held so far and table_clear_rows them.
 * each returns 0, or -1 with e to stop. */
int table_read_each(struct table *t, char *const *inputs, const struct reader_options *ro,
		    int (*each)(void *ctx, struct table *t, const struct field *rec,
				const char *file, long line, struct adash_err *e),
		    void *ctx, struct adash_err *e);

/* Forgets the rows, keeping the columns and the memory for the next. */
void table_clear_rows(struct table *t);
void table_free(struct table *t);

/* Reading in blocks: the inputs one after the other, as table_read reads
 * them, into t, which holds one block of rows at a time. */
struct table_stream {
	struct table t;        /* the current block */
	char *const *inputs;   /* NULL-terminated; "-" is stdin */
	size_t next;           /* the next input to open */
	const struct reader_options *ro;
	struct reader *r;      /* the input being read, or NULL */
	size_t cell_cap, line_cap;
};

/* Nothing is read until table_stream_next. */
void table_stream_open(struct table_stream *ts, char *const *inputs, const struct reader_options *ro);

/* The next at most max_rows rows (max_rows > 0) into ts->t, replacing the
 * last block's; names, source and format are set by the first call (no
 * columns for an empty input).  1 when rows were read (ts->t.nrows of
 * them), 0 once every input is read (no rows), or -1 with e. */
int table_stream_next(struct table_stream *ts, size_t max_rows, struct adash_err *e);
void table_stream_close(struct table_stream *ts);

/* Index of a column, or -1. */
long table_col(const struct table *t, const char *name);

static inline const char *table_cell(const struct table *t, size_t row, size_t col)
{
	return t->text.data + t->cell[row * t->ncols + col];
}

/* True when a cell is a missing value: field_is_missing's rule (empty, NA;
 * a JSON null was read as empty). */
int table_missing(const struct table *t, size_t row, size_t col);

/* Frees the cells (the bulk of the memory), keeping names, row count,
 * lines and source: for a program that has taken what it needs from them
 * and goes on to a memory-hungry stage.  table_cell must not be called
 * after it. */
void table_drop_cells(struct table *t);

/* Column col as numbers into out[nrows] (NaN for missing values).  Returns
 * 0 when every value is a number or missing; -1 otherwise, with *bad set
 * to the first row that is not (out is then incomplete). */
int table_numbers(const struct table *t, size_t col, double *out, size_t *bad);

#endif
