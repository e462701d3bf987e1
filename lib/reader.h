/*
 * reader: a pull-style stream of records from CSV (libcsv) or NDJSON
 * (jansson), with the header, the line each record starts on and its raw text.
 *
 * Approach: the input is read in large blocks with read(2), cut into physical
 * lines with memchr, and each line is fed to libcsv's push parser; a record is
 * complete when libcsv reports the end of a row.  Feeding line by line costs a
 * call per line but gives, for free, the exact line each record starts on
 * and its raw bytes, which error messages and --reject files need and libcsv
 * alone cannot tell.  Rejected: feeding whole blocks (faster, but line
 * numbers and raw text would have to be reconstructed) and a hand-written
 * CSV state machine (libcsv is the project's CSV parser).
 *
 * libcsv runs in strict mode: a quote inside an unquoted field, text after a
 * closing quote and an unterminated quote at the end are errors.  Spaces are
 * data (nothing is trimmed).  Blank lines are skipped.  A UTF-8 byte order
 * mark is skipped; CRLF and LF line ends are accepted; a bare CR line end is
 * refused with a message saying how to convert.
 *
 * Bad rows (a ragged row, invalid UTF-8, a NUL byte, a record longer than
 * max_record, malformed JSON) are returned as READ_BAD with line, raw text
 * and a reason, and reading can go on, so a program can skip them or
 * collect them in a --reject file.  Memory is bounded by max_record per row
 * (NDJSON also keeps up to 64 bad records read ahead while it looks for the
 * first good one, whose keys complete the columns).
 *
 * NDJSON columns are fixed once reading starts: the declared columns (a
 * schema's) and the first good record's keys.  A later record with another
 * key is a bad row.  Rejected: growing the columns as keys appear, which an
 * already written CSV header could not follow; a schema declares optional
 * columns instead.
 */
#ifndef ADASH_READER_H
#define ADASH_READER_H

#include "err.h"
#include "record.h"

#include <stdint.h>

#define READER_MAX_RECORD_DEFAULT ((size_t)1 << 20)

struct reader_options {
	int format;              /* enum rec_format; FORMAT_AUTO detects */
	char delimiter;          /* CSV field delimiter; 0 means ',' */
	size_t max_record;       /* 0 means READER_MAX_RECORD_DEFAULT */
	/* NDJSON has no header: its columns are these (for example a
	 * schema's), then the keys of the first record that are not among
	 * them.  A later record with a key outside that set is a bad row. */
	const char *const *ndjson_columns;
	size_t n_ndjson_columns;
};

enum read_status {
	READ_EOF = 0,
	READ_OK = 1,
	READ_BAD = -1,   /* a bad row: reader_raw(), reader_line() and the error
	                    describe it; the next call reads on */
	READ_FATAL = -2  /* cannot go on: I/O error */
};

struct reader;

/* Opens path ("-" or NULL for stdin) and reads the header (CSV) or the first
 * record (NDJSON).  Returns NULL with e set: code 3 when the file cannot be
 * opened or read, 1 when the header is malformed. */
struct reader *reader_open(const char *path, const struct reader_options *opt,
			   struct adash_err *e);
/* Reads from an open descriptor; name is used in messages. */
struct reader *reader_open_fd(int fd, const char *name,
			      const struct reader_options *opt, struct adash_err *e);
void reader_close(struct reader *r);

int reader_format(const struct reader *r);
const char *reader_name(const struct reader *r);
size_t reader_ncols(const struct reader *r);
const char *reader_colname(const struct reader *r, size_t i);
/* Index of the column called name, or -1. */
long reader_col(const struct reader *r, const char *name);
/* For a second input: 0 when r has exactly the columns names[0..n) (or
 * none at all: an empty input), else -1 with e (code 1) saying where they
 * differ, since a column read by place from the wrong file would silently
 * swap values. */
int reader_same_columns(const struct reader *r, const char *const *names, size_t n,
			struct adash_err *e);

/* Reads the next record.  On READ_OK, *rec points to ncols fields valid
 * until the next call.  On READ_BAD and READ_FATAL, e says why. */
int reader_next(struct reader *r, const struct field **rec, struct adash_err *e);

/* The error of a bad value in the last record: 'FILE:LINE: column "COL":
 * "VALUE" is not WHAT', the value quoted and cut as err_quote_value does.
 * Returns -1, for "return reader_bad_value(...)". */
int reader_bad_value(const struct reader *r, const char *col, const struct field *f,
		     const char *what, struct adash_err *e);
/* Line the last record (or bad row) started on, 1-based, header included. */
long reader_line(const struct reader *r);
/* Raw bytes of the last record or bad row, without its line end; cut at
 * max_record bytes for an over-long record. */
const char *reader_raw(const struct reader *r, size_t *len);
/* Short category of the last bad row ("ragged row", "invalid UTF-8"), for
 * counting rejected rows by reason. */
const char *reader_reason(const struct reader *r);
/* Bytes consumed so far (for progress and throughput). */
uint64_t reader_bytes(const struct reader *r);

#endif
