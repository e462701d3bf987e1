/*
 * accounting: nothing lost.  Every row a row-preserving program reads is
 * either written, rejected (bad data) or dropped (on purpose: a duplicate, a
 * forgotten user, a user without consent), and the counts say so:
 *
 *     rows_in = rows_out + rows_rejected + rows_dropped
 *
 * DESIGN §3 states rows_in = rows_out + rows_rejected; dropped rows are
 * counted apart because folding them into "rejected" would either put the
 * rows of users who asked to be forgotten into the --reject file or make the
 * reject file disagree with rows_rejected.  Without privacy or dedupe
 * options, rows_dropped is 0 and DESIGN's equation holds as written.
 *
 * The --on-bad policy lives here: `fail` stops at the first bad row (exit 1),
 * `skip` counts it and goes on; --reject FILE writes each bad row as NDJSON
 * {"file", "line", "reason", "raw"} and implies skip.  --stats FILE writes the
 * counts as JSON, with a count per reason; -v prints them on stderr.
 * --counters hadoop prints them on stderr as Hadoop Streaming's counter
 * protocol, a line `reporter:counter:adash,rows_in,N` per count, so that
 * a job run as a Streaming mapper or reducer sums them across its tasks
 * (the framework reads such lines from a task's stderr and keeps them out
 * of its log).
 */
#ifndef ADASH_ACCOUNTING_H
#define ADASH_ACCOUNTING_H

#include "atomicfile.h"
#include "err.h"
#include "hashmap.h"

#include <stdint.h>
#include <stdio.h>

enum on_bad { ON_BAD_FAIL = 0, ON_BAD_SKIP };

/* What accounting_close reports on stderr, or-ed. */
enum {
	REPORT_COUNTS = 1,   /* -v: one line of counts */
	REPORT_HADOOP = 2    /* --counters hadoop: reporter:counter:adash,NAME,N lines */
};

/* "hadoop" to REPORT_HADOOP; -1 for anything else. */
int counters_from_name(const char *name);

struct accounting {
	uint64_t rows_in, rows_out, rows_rejected, rows_dropped;
	int on_bad;
	struct hashmap reasons;       /* reason -> count, in order first seen */
	struct atomic_file reject;
	char *stats_path;
};

/* "fail" or "skip" to enum on_bad; -1 for anything else. */
int on_bad_from_name(const char *name);

/* on_bad_name: "fail", "skip" or NULL (fail, or skip when reject_path is
 * given).  Opens the reject file.  -1 with e: 2 for a bad policy name, 3 when
 * the file cannot be created. */
int accounting_open(struct accounting *a, const char *on_bad_name, const char *reject_path,
		    const char *stats_path, struct adash_err *e);

/* A bad row: counted under `reason` (a short category such as
 * "price: not a number") and written to the reject file.  Returns 0 to go
 * on, or -1 when the policy is to fail (e is then the row's error). */
int accounting_reject(struct accounting *a, const struct adash_err *row_err,
		      const char *file, long line, const char *reason,
		      const char *raw, size_t rawlen, struct adash_err *e);

/* A row left out on purpose, counted under reason ("duplicate"). */
void accounting_drop(struct accounting *a, const char *reason);

/* Commits the reject and stats files; reports the counts on `out` (stderr
 * in a program) as `report` (REPORT_* or-ed; 0 for nothing) says.  -1 with
 * e (code 3) on a write error. */
int accounting_close(struct accounting *a, FILE *out, int report, const char *prog,
		     struct adash_err *e);
/* Removes files not yet committed (on a failing exit). */
void accounting_abort(struct accounting *a);

#endif
