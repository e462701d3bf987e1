/*
 * ingest: the validate-and-normalize pipeline behind adash-ingest.
 *
 * Per row, in this order: read (structural checks), validate and normalize
 * against the schema, drop forgotten users (--forget) and users without
 * consent (--consent), drop duplicates (--dedupe, on normalized values),
 * replace identifiers by keyed pseudonyms (--pseudonymize), keep only the
 * chosen columns (--keep), write.  Forget and consent are checked twice, on
 * the id as read (before validation, so a forgotten user's bad row is
 * dropped rather than kept in the reject file) and on the normalized id (the
 * one that is written); both before pseudonymization, because ids are what
 * the lists hold.  Under any privacy option (--forget, --consent,
 * --pseudonymize, --keep) reject records carry no raw text.  Every row is
 * accounted for (accounting.h).
 *
 * Several input files are read one after the other; the first one with
 * columns gives the output's, and a later file's columns are matched by name
 * (one it lacks is written empty; one the first file lacks is an error).
 * Rejected: a reject file that keeps raw text of privacy-filtered data and
 * is cleaned afterwards; a file that once held a forgotten user's row has
 * already failed the user.
 */
#ifndef ADASH_INGEST_H
#define ADASH_INGEST_H

#include "cli.h"
#include "err.h"
#include "reader.h"
#include "schema.h"

#include <stdio.h>

struct ingest_options {
	const struct schema *schema;     /* NULL: structure only, values as they are */
	const char *on_bad;              /* "fail", "skip" or NULL */
	const char *reject_path;
	const char *stats_path;
	char **dedupe;                   /* NULL-terminated column names, or NULL */
	const char *forget_path;
	const char *consent_path;
	const char *user_col;            /* column the privacy lists name */
	char **pseudonymize;             /* NULL-terminated column names, or NULL */
	const char *key_file;
	char **keep;                     /* NULL-terminated column names, or NULL */
	struct reader_options read;
	int output_format;               /* FORMAT_AUTO: the first input's */
	char delimiter;
	int header;
	int verbose;                     /* REPORT_* (accounting.h): counts on stderr when done */
	const char *prog;                /* for -v output */
	struct progress *progress;
};

/* Runs the pipeline over inputs (NULL-terminated; "-" is stdin).  0, or -1
 * with e carrying the exit code. */
int ingest_run(const struct ingest_options *o, char *const *inputs, FILE *out,
	       struct adash_err *e);

#endif
