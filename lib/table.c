/*
 * table: a whole input in memory (see table.h).
 */
#include "table.h"

#include "num.h"
#include "record.h"
#include "xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* table_read_each's row function */
typedef int (*each_fn)(void *ctx, struct table *t, const struct field *rec, const char *file,
		       long line, struct adash_err *e);

/* Opens the next input with columns into ts->r: 1, or 0 when none is
 * left, or -1 with e.  An input without columns (empty) is passed over; the
 * columns of every later one must be the first's. */
static int open_next(struct table_stream *ts, struct table *t, struct adash_err *e)
{

	while (ts->inputs[ts->next]) {
		struct reader *r = reader_open(ts->inputs[ts->next++], ts->ro, e);
		const struct field *rec;
		struct adash_err row_err;
		int st, same;

		if (!r)
			return -1;
		if (reader_ncols(r) == 0) {
			/* no columns: an empty input, or NDJSON whose every
			 * record is bad, which is an error here like any bad row */
			st = reader_next(r, &rec, &row_err);
			reader_close(r);
			if (st == READ_BAD || st == READ_FATAL) {
				*e = row_err;
				return -1;
			}
			continue;
		}
		if (!t->names) {
			t->ncols = reader_ncols(r);
			t->names = xcalloc(t->ncols + 1, sizeof *t->names);
			for (size_t i = 0; i < t->ncols; i++)
				t->names[i] = xstrdup(reader_colname(r, i));
			t->source = xstrdup(reader_name(r));
			t->format = reader_format(r);
		}
		same = reader_ncols(r) == t->ncols;
		for (size_t i = 0; same && i < t->ncols; i++)
			same = strcmp(reader_colname(r, i), t->names[i]) == 0;
		if (!same) {
			err_set(e, ADASH_EDATA, "%s: columns differ from the first input's; inputs must share columns",
				reader_name(r));
			reader_close(r);
			return -1;
		}
		ts->r = r;
		return 1;
	}
	return 0;
}

void table_stream_open(struct table_stream *ts, char *const *inputs, const struct reader_options *ro)
{
	memset(ts, 0, sizeof *ts);
	buf_init(&ts->t.text);
	ts->inputs = inputs;
	ts->ro = ro;
}

/* Adds up to max_rows rows of the stream to t (each, when given, sees
 * every record first).  1 when a row was added, 0 at the end, or -1 with e. */
static int stream_rows(struct table_stream *ts, struct table *t, size_t max_rows, each_fn each,
		       void *ctx, struct adash_err *e)
{
	const struct field *rec;
	struct adash_err row_err;
	size_t added = 0;
	int st;

	while (added < max_rows) {
		if (!ts->r) {
			st = open_next(ts, t, e);
			if (st < 0)
				return -1;
			if (st == 0)
				break;
		}
		st = reader_next(ts->r, &rec, &row_err);
		if (st == READ_EOF) {
			reader_close(ts->r);
			ts->r = NULL;
			continue;
		}
		if (st != READ_OK) {
			*e = row_err;
			return -1;
		}
		if (each && each(ctx, t, rec, reader_name(ts->r), reader_line(ts->r), e) < 0)
			return -1;
		t->cell = xgrow(t->cell, &ts->cell_cap, (t->nrows + 1) * t->ncols, sizeof *t->cell);
		t->line = xgrow(t->line, &ts->line_cap, t->nrows + 1, sizeof *t->line);
		for (size_t i = 0; i < t->ncols; i++) {
			t->cell[t->nrows * t->ncols + i] = t->text.len;
			if (rec[i].kind != FIELD_NULL)
				buf_add(&t->text, rec[i].s, rec[i].len);
			buf_addch(&t->text, '\0');
		}
		t->line[t->nrows++] = reader_line(ts->r);
		added++;
	}
	if (!t->source)
		t->source = xstrdup(ts->inputs[0] && strcmp(ts->inputs[0], "-") ? ts->inputs[0] : "(stdin)");
	return added > 0;
}

int table_stream_next(struct table_stream *ts, size_t max_rows, struct adash_err *e)
{
	table_clear_rows(&ts->t);
	return stream_rows(ts, &ts->t, max_rows, NULL, NULL, e);
}

void table_stream_close(struct table_stream *ts)
{
	if (ts->r)
		reader_close(ts->r);
	table_free(&ts->t);
	memset(ts, 0, sizeof *ts);
}

int table_read(struct table *t, char *const *inputs, const struct reader_options *ro,
	       struct adash_err *e)
{
	return table_read_each(t, inputs, ro, NULL, NULL, e);
}

int table_read_each(struct table *t, char *const *inputs, const struct reader_options *ro,
		    each_fn each, void *ctx, struct adash_err *e)
{
	struct table_stream ts;
	int rc;

	memset(t, 0, sizeof *t);
	buf_init(&t->text);
	table_stream_open(&ts, inputs, ro);
	/* the caller's table takes every row; the stream only reads */
	rc = stream_rows(&ts, t, SIZE_MAX, each, ctx, e);
	table_stream_close(&ts);
	if (rc < 0) {
		table_free(t);
		return -1;
	}
	return 0;
}

void table_clear_rows(struct table *t)
{
	t->nrows = 0;
	buf_reset(&t->text);
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free(t->names[i]);
	free(t->names);
	buf_free(&t->text);
	free(t->cell);
	free(t->line);
	free(t->source);
	memset(t, 0, sizeof *t);
}

int table_missing(const struct table *t, size_t row, size_t col)
{
	const char *s = table_cell(t, row, col);
	struct field f = { s, strlen(s), FIELD_TEXT };

	return field_is_missing(&f);
}

void table_drop_cells(struct table *t)
{
	buf_free(&t->text);
	free(t->cell);
	t->cell = NULL;
}

long table_col(const struct table *t, const char *name)
{
	return names_index((const char *const *)t->names, t->ncols, name);
}

int table_numbers(const struct table *t, size_t col, double *out, size_t *bad)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const char *s = table_cell(t, i, col);

		if (table_missing(t, i, col)) {
			out[i] = NAN;
		} else if (num_parse(s, strlen(s), &out[i]) < 0 || !isfinite(out[i])) {
			*bad = i;
			return -1;
		}
	}
	return 0;
}
