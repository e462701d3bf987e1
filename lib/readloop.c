/* readloop: see readloop.h. */
#include "readloop.h"

#include "xalloc.h"

#include <stdlib.h>

int readloop_run(struct accounting *a, struct reader *r, struct progress *pg, uint64_t *seen,
		 row_fn fn, void *ctx, struct adash_err *e)
{
	const struct field *rec;
	struct adash_err row_err;
	int st;

	while ((st = reader_next(r, &rec, &row_err)) != READ_EOF) {
		const char *reason = NULL;
		size_t rawlen;
		const char *raw;

		if (st == READ_FATAL) {
			*e = row_err;
			return -1;
		}
		a->rows_in++;
		if (pg)
			progress_tick(pg, ++*seen);
		if (st == READ_BAD) {
			reason = reader_reason(r);
		} else {
			int v = fn(ctx, r, rec, &row_err, &reason, e);

			if (v == ROW_FATAL)
				return -1;
			if (v == ROW_OK)
				continue;
		}
		raw = reader_raw(r, &rawlen);
		if (accounting_reject(a, &row_err, reader_name(r), reader_line(r), reason, raw, rawlen, e) < 0)
			return -1;
	}
	return 0;
}

int readloop_finish(struct accounting *a, struct progress *pg, uint64_t seen, FILE *out,
		    int verbose, const char *prog, struct adash_err *e)
{
	if (pg)
		progress_done(pg, seen);
	if (fflush(out) != 0 || ferror(out))
		return err_set(e, ADASH_EIO, "write error on standard output");
	return accounting_close(a, stderr, verbose, prog, e);
}

int readloop_input(const char *path, const struct reader_options *ro,
		   struct readloop_columns *cols,
		   int (*setup)(void *ctx, struct reader *r, struct adash_err *e),
		   struct accounting *a, struct progress *pg, uint64_t *seen, row_fn fn, void *ctx,
		   struct adash_err *e)
{
	struct reader *r = reader_open(path, ro, e);
	int rc = -1;

	if (!r)
		return -1;
	if (!cols->names && reader_ncols(r) > 0) {
		cols->n = reader_ncols(r);
		cols->names = xcalloc(cols->n + 1, sizeof *cols->names);
		for (size_t i = 0; i < cols->n; i++)
			cols->names[i] = xstrdup(reader_colname(r, i));
		if (setup(ctx, r, e) < 0)
			goto out;
	} else if (cols->names &&
		   reader_same_columns(r, (const char *const *)cols->names, cols->n, e) < 0) {
		goto out;
	}
	if (readloop_run(a, r, pg, seen, fn, ctx, e) < 0)
		goto out;
	rc = 0;
out:
	reader_close(r);
	return rc;
}

void readloop_columns_free(struct readloop_columns *cols)
{
	for (size_t i = 0; i < cols->n; i++)
		free(cols->names[i]);
	free(cols->names);
	cols->names = NULL;
	cols->n = 0;
}
