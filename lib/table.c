/*
 * table: a whole input in memory (see table.h).
 */
#include "table.h"

#include "num.h"
#include "record.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* table_read_each's row function */
typedef int (*each_fn)(void *ctx, struct table *t, const struct field *rec, const char *file,
		       long line, struct adash_err *e);

static int add_file(struct table *t, const char *path, const struct reader_options *ro,
		    size_t *cap, each_fn each, void *ctx, struct adash_err *e)
{
	struct reader *r = reader_open(path, ro, e);
	const struct field *rec;
	struct adash_err row_err;
	int st, rc = -1;

	if (!r)
		return -1;
	if (reader_ncols(r) == 0) {
		/* no columns: an empty input, or NDJSON whose every record is
		 * bad, which is an error here like any bad row */
		st = reader_next(r, &rec, &row_err);
		if (st == READ_BAD || st == READ_FATAL) {
			*e = row_err;
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (!t->names) {
		t->ncols = reader_ncols(r);
		t->names = xcalloc(t->ncols + 1, sizeof *t->names);
		for (size_t i = 0; i < t->ncols; i++)
			t->names[i] = xstrdup(reader_colname(r, i));
		t->source = xstrdup(reader_name(r));
		t->format = reader_format(r);
	} else {
		int same = reader_ncols(r) == t->ncols;

		for (size_t i = 0; same && i < t->ncols; i++)
			same = strcmp(reader_colname(r, i), t->names[i]) == 0;
		if (!same) {
			err_set(e, ADASH_EDATA, "%s: columns differ from the first input's; inputs must share columns",
				reader_name(r));
			goto out;
		}
	}
	while ((st = reader_next(r, &rec, &row_err)) != READ_EOF) {
		if (st != READ_OK) {
			*e = row_err;
			goto out;
		}
		if (each && each(ctx, t, rec, reader_name(r), reader_line(r), e) < 0)
			goto out;
		t->cell = xgrow(t->cell, cap, (t->nrows + 1) * t->ncols, sizeof *t->cell);
		t->line = xrealloc(t->line, (t->nrows + 1) * sizeof *t->line);
		for (size_t i = 0; i < t->ncols; i++) {
			t->cell[t->nrows * t->ncols + i] = t->text.len;
			if (rec[i].kind != FIELD_NULL)
				buf_add(&t->text, rec[i].s, rec[i].len);
			buf_addch(&t->text, '\0');
		}
		t->line[t->nrows++] = reader_line(r);
	}
	rc = 0;
out:
	reader_close(r);
	return rc;
}

int table_read(struct table *t, char *const *inputs, const struct reader_options *ro,
	       struct adash_err *e)
{
	return table_read_each(t, inputs, ro, NULL, NULL, e);
}

int table_read_each(struct table *t, char *const *inputs, const struct reader_options *ro,
		    each_fn each, void *ctx, struct adash_err *e)
{
	size_t cap = 0;

	memset(t, 0, sizeof *t);
	buf_init(&t->text);
	for (size_t i = 0; inputs[i]; i++)
		if (add_file(t, inputs[i], ro, &cap, each, ctx, e) < 0) {
			table_free(t);
			return -1;
		}
	if (!t->source)
		t->source = xstrdup(inputs[0] && strcmp(inputs[0], "-") ? inputs[0] : "(stdin)");
	return 0;
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

void table_clear_rows(struct table *t)
{
	t->nrows = 0;
	buf_reset(&t->text);
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
