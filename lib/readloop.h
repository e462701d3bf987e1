/*
 * readloop: the loop every row-reading program runs: read each record,
 * count it, show progress, hand a good one to the program, and account for
 * a bad one (the reader's, or one the program finds), so that no program
 * can forget a count or a reject.
 */
#ifndef ADASH_READLOOP_H
#define ADASH_READLOOP_H

#include "accounting.h"
#include "cli.h"
#include "err.h"
#include "reader.h"

#include <stdint.h>
#include <stdio.h>

/* What the program's function says of a good record. */
enum row_verdict {
	ROW_OK = 0,
	ROW_BAD = -1,    /* a bad row: row_err and *reason say why; --on-bad decides */
	ROW_FATAL = -2   /* stop: e says why */
};

typedef int (*row_fn)(void *ctx, struct reader *r, const struct field *rec,
		      struct adash_err *row_err, const char **reason, struct adash_err *e);

/* Reads r to its end.  Every record counts in a->rows_in; *seen (across
 * inputs) feeds the progress line (pg may be NULL).  0, or -1 with e: a
 * read error, a bad row under --on-bad fail, or fn's ROW_FATAL. */
int readloop_run(struct accounting *a, struct reader *r, struct progress *pg, uint64_t *seen,
		 row_fn fn, void *ctx, struct adash_err *e);

/* The first input's column names, which every later input must share. */
struct readloop_columns {
	char **names;
	size_t n;
};

/* One input, whole: opens path; on the first input with columns keeps
 * their names in cols and calls setup(ctx, r, e) (which may read them from
 * cols); on a later one checks it has the same names; then readloop_run.
 * An input without columns (empty, or NDJSON without a good record) has
 * nothing to set up, but its bad rows are still read and accounted for.
 * 0, or -1 with e. */
int readloop_input(const char *path, const struct reader_options *ro,
		   struct readloop_columns *cols,
		   int (*setup)(void *ctx, struct reader *r, struct adash_err *e),
		   struct accounting *a, struct progress *pg, uint64_t *seen, row_fn fn, void *ctx,
		   struct adash_err *e);
void readloop_columns_free(struct readloop_columns *cols);

/* The end of a run: the progress line's last word, then out flushed and
 * checked (the data is complete before the counts are committed), then the
 * reject and stats files committed and the counts reported on stderr as
 * verbose says (REPORT_* of accounting.h: run_io's verbose).  0, or -1
 * with e (code 3 for a write error). */
int readloop_finish(struct accounting *a, struct progress *pg, uint64_t seen, FILE *out,
		    int verbose, const char *prog, struct adash_err *e);

#endif
