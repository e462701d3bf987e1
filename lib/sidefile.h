/*
 * sidefile: a small file a program reads whole beside its main input (a
 * catalog of items, the truth of an evaluation, a forecast to draw), where
 * every row must be good: a bad row is an error whatever --on-bad says,
 * since a report or a score built on silently fewer rows is not what was
 * asked.  The columns a program wants are looked up by name once; a
 * missing required column is an error that says what it was wanted for.
 */
#ifndef ADASH_SIDEFILE_H
#define ADASH_SIDEFILE_H

#include "err.h"
#include "reader.h"

#define SIDEFILE_MAX_COLUMNS 16

/* Called for each row; cols[i] is the index of names[i] (or -1). */
typedef int (*sidefile_row_fn)(void *ctx, struct reader *r, const struct field *rec,
			       const long *cols, struct adash_err *e);

/* Reads every row of path with fn.  names[0..n) (n at most
 * SIDEFILE_MAX_COLUMNS) are looked up: a NULL name is not wanted (-1); a
 * name whose why[i] is NULL is optional (-1 when absent); a missing other
 * one is the error 'FILE: no column "NAME" (WHY)'.  A file without columns
 * (empty) has no rows.  format, when not NULL and still FORMAT_AUTO, gets
 * the file's format.  0, or -1 with e. */
int sidefile_read(const char *path, const struct reader_options *ro, const char *const *names,
		  const char *const *why, size_t n, sidefile_row_fn fn, void *ctx, int *format,
		  struct adash_err *e);

#endif
