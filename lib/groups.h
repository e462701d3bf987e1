/*
 * groups: input grouped by key, one group at a time.
 *
 * A per-key program (adash-features in series mode, adash-forecast,
 * adash-rank) needs a key's rows together and nothing of any other key's.
 * When the input comes grouped by key (the rows of a key contiguous, as
 * adash-synth, adash-features, `sort -k1,1`, `parallel --group-by` and a
 * Hadoop reducer give it), the program can hold one group, finish it when
 * the key changes, and forget it: memory bounded by the largest group, not
 * by the input.  This module says of each row's key whether it continues
 * the current group, begins a new one, or comes back to a group that ended
 * earlier; the program holds the rows (each its own way) and decides what a
 * key that came back means: a refusal under --grouped (the program cannot
 * take back what it wrote), or nothing at all for a program that holds the
 * whole input anyway and only reports, with -v, that it had to (groups_note).
 *
 * Telling a key that comes back from a new one takes the set of ended keys:
 * a hash set of their text, O(keys) memory (the key and about 70 bytes
 * each: under 1 MB for 10,000 shops, about 70 MB for a million users), far
 * less than the rows.  Rejected: comparing with the previous key only (a
 * key that came back would silently get a second group: two half
 * histories, two rankings of one user) and requiring sorted keys (grouped
 * is enough, and `--group-by`, hash partitions and files made by
 * concatenation are grouped without being sorted).
 */
#ifndef ADASH_GROUPS_H
#define ADASH_GROUPS_H

#include "buf.h"
#include "err.h"
#include "hashmap.h"

#include <stdio.h>

enum group_step {
	GROUP_SAME = 0,   /* the row continues the current group */
	GROUP_NEW = 1,    /* the row begins a group: the one before (if any) has ended */
	GROUP_AGAIN = 2   /* the row's key had a group that ended earlier */
};

struct groups {
	struct hashmap ended;     /* keys of ended groups -> the line their group began */
	struct buf key;           /* the current group's key */
	int open;                 /* a group is current */
	long line;                /* the line the current group began on */
	size_t ngroups;           /* groups begun, a key that came back counting again */
	/* the first key that came back, for messages */
	char *again_key;
	char *again_file;
	long again_line, again_first;
};

void groups_init(struct groups *g);
void groups_free(struct groups *g);

/* The next row's key (len bytes), read from file at line.  GROUP_SAME;
 * GROUP_NEW: the caller ends the group it holds before taking the row; or
 * GROUP_AGAIN: as GROUP_NEW, but the key's group ended earlier (*first, when
 * not NULL, is the line it began on; the first such key is kept for
 * groups_refuse and groups_note). */
int groups_next(struct groups *g, const char *key, size_t len, const char *file, long line,
		long *first);

/* The key of the current group (valid until the next groups_next). */
static inline const char *groups_key(const struct groups *g, size_t *len)
{
	if (len)
		*len = g->key.len;
	return g->key.data ? g->key.data : "";
}

/* The refusal of --grouped after GROUP_AGAIN, in e (exit 1): the place,
 * the key, where its group began, and what to do.  col names the key
 * column(s) ("shop_id"); prog the program.  Returns -1. */
int groups_refuse(const struct groups *g, const char *col, const char *prog,
		  struct adash_err *e);

/* The -v note of a program that held its whole input instead of a group
 * at a time: whether the input was grouped by col, so --grouped would
 * have done, or not, with the first key that came back. */
void groups_note(const struct groups *g, FILE *out, const char *prog, const char *col);

#endif
