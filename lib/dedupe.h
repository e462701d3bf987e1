/*
 * dedupe: drops rows whose values in chosen columns equal an earlier row's.
 *
 * Remembers every distinct key it has seen, so memory grows with the number
 * of distinct keys (the one adash-ingest option that does not stream in
 * constant memory; its man page says so).  Keys are the exact bytes of the
 * normalized values, length-prefixed so that ("ab","c") and ("a","bc")
 * differ.  Rejected: a Bloom filter or keeping only hashes (smaller, but a
 * false positive silently drops a row that is not a duplicate), and sorting
 * first (not a stream, and the first occurrence would no longer be the one
 * kept in input order).
 */
#ifndef ADASH_DEDUPE_H
#define ADASH_DEDUPE_H

#include "buf.h"
#include "err.h"
#include "hashmap.h"
#include "record.h"

struct dedupe {
	size_t *cols;
	size_t ncols;
	struct hashmap seen;
	struct buf key;
};

/* names: the key columns, looked up in names_in (ncols_in of them). */
int dedupe_init(struct dedupe *d, char *const *names, size_t n,
		const char *const *names_in, size_t ncols_in, struct adash_err *e);
/* 1 when the row's key was seen before; otherwise remembers it and 0. */
int dedupe_seen(struct dedupe *d, const struct field *row);
void dedupe_free(struct dedupe *d);

#endif
