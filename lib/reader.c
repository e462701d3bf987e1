/* reader: see reader.h. */
#include "reader.h"
#include "buf.h"
#include "hashmap.h"
#include "num.h"
#include "utf8.h"
#include "xalloc.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SIZE ((size_t)256 << 10)

enum row_problem {
	ROW_FINE = 0,
	ROW_BAD_UTF8,
	ROW_NUL_BYTE,
	ROW_TOO_MANY_FIELDS
};

struct reader {
	int fd, own_fd;
	char *name;
	int format;
	char delimiter;
	size_t max_record;

	/* input block: bytes [start, end) are unread */
	char *in;
	size_t in_cap, start, end;
	int eof;
	uint64_t bytes;
	long lines_done;      /* physical lines consumed */
	long cur_line;        /* number of the line next_line returned */
	struct buf cut;       /* the kept start of an over-long line */
	long rec_line;        /* first line of the current record */

	struct buf raw;       /* NDJSON: raw text of the current record */
	int raw_cut;          /* raw exceeded max_record */
	/* CSV: the current record's raw text is in[keep, start), kept in the
	 * block (not copied) until the next record begins; SIZE_MAX: none */
	size_t keep;
	size_t raw_len;       /* bytes of the record so far */
	int raw_in_cut;       /* the raw text is the cut buffer */

	/* columns */
	char **cols;
	size_t ncols;
	struct hashmap colidx;
	int header_fixed;     /* NDJSON: no more columns may be added */

	/* CSV row under construction, filled by libcsv's callbacks */
	struct csv_parser csv;
	struct buf arena;     /* field bytes, each followed by NUL */
	size_t *off, *len, nf, fcap;
	size_t fields_seen;   /* including those past ncols */
	size_t fields_since_row; /* fields since libcsv last ended a row */
	int rows_done;        /* rows libcsv completed in the last feed */
	int line_bad;         /* a line of this record has invalid UTF-8 or a NUL */
	int problem;          /* enum row_problem of the first bad field */
	size_t problem_field, problem_offset;

	struct field *fields; /* ncols, handed to the caller */

	/* NDJSON: records read ahead at open to find the first good one,
	 * whose keys complete the columns; handed out by reader_next first */
	struct pending *pending;
	size_t npending, pending_next;
	const char *reason;       /* category of the last bad row */
};

#define PENDING_BAD_MAX 64

struct pending {
	json_t *obj;              /* NULL for a bad row */
	long line;
	char *raw;
	size_t rawlen;
	struct adash_err err;
	const char *reason;
};

/* ---- input blocks and lines ------------------------------------------- */

static int fill(struct reader *r, struct adash_err *e)
{
	ssize_t n;

	/* Bytes from `from` on are still needed: the unread ones and, while a
	 * CSV record is being assembled, its raw text. */
	size_t from = r->keep < r->start ? r->keep : r->start;

	if (from > 0 && r->end == r->in_cap) {
		memmove(r->in, r->in + from, r->end - from);
		r->end -= from;
		r->start -= from;
		if (r->keep != SIZE_MAX)
			r->keep -= from;
	}
	if (r->end == r->in_cap) {
		size_t cap = r->in_cap;
		r->in = xgrow(r->in, &cap, r->in_cap + BLOCK_SIZE, 1);
		r->in_cap = cap;
	}
	do
		n = read(r->fd, r->in + r->end, r->in_cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		err_at(e, ADASH_EIO, r->name, 0, NULL, "read error: %s", strerror(errno));
		return -1;
	}
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	r->bytes += (uint64_t)n;
	return 0;
}

/* Returns the next physical line, its '\n' included when present, in
 * [*line, *line + *len), and sets r->cur_line to its number.  1: a line; 0:
 * end of input; -1: read error.  A line longer than max_record comes back cut
 * to max_record bytes, with *cut set, and the rest of it is consumed and
 * dropped. */
static int next_line(struct reader *r, const char **line, size_t *len, int *cut,
		     struct adash_err *e)
{
	size_t scanned = 0;

	*cut = 0;
	r->cur_line = r->lines_done + 1;
	for (;;) {
		char *nl = memchr(r->in + r->start + scanned, '\n', r->end - r->start - scanned);
		if (nl) {
			*line = r->in + r->start;
			*len = (size_t)(nl - *line) + 1;
			r->start += *len;
			r->lines_done++;
			return 1;
		}
		scanned = r->end - r->start;
		if (r->eof) {
			if (scanned == 0)
				return 0;
			*line = r->in + r->start;
			*len = scanned;
			r->start = r->end;
			return 1;
		}
		if (scanned > r->max_record) {
			/* Too long: keep the start (fill() reuses the block),
			 * drop the rest of the line. */
			*cut = 1;
			buf_reset(&r->cut);
			/* a CSV record's raw text starts at keep */
			buf_add(&r->cut, r->in + (r->keep != SIZE_MAX ? r->keep : r->start), r->max_record);
			*line = r->cut.data;
			*len = r->cut.len;
			r->start = r->end;
			r->keep = SIZE_MAX; /* the record is lost: keep nothing */
			for (;;) {
				if (fill(r, e) < 0)
					return -1;
				nl = memchr(r->in + r->start, '\n', r->end - r->start);
				if (nl) {
					r->start = (size_t)(nl - r->in) + 1;
					r->lines_done++;
					break;
				}
				r->start = r->end;
				if (r->eof)
					break;
			}
			return 1;
		}
		if (fill(r, e) < 0)
			return -1;
	}
}

/* ---- CSV via libcsv ----------------------------------------------------- */

/* Grows the parallel offset and length arrays together. */
static void fields_grow(struct reader *r, size_t need)
{
	size_t cap = r->fcap;

	r->off = xgrow(r->off, &cap, need, sizeof *r->off);
	r->len = xrealloc(r->len, cap * sizeof *r->len);
	r->fcap = cap;
}

static void on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;
	size_t bad;

	r->fields_seen++;
	r->fields_since_row++;
	if (r->header_fixed && r->nf >= r->ncols) {
		if (!r->problem)
			r->problem = ROW_TOO_MANY_FIELDS;
		return;
	}
	/* Lines are checked whole (cheaper than field by field); only a bad
	 * line's fields are checked, to say which column is bad. */
	bad = r->line_bad ? utf8_check(s, n) : n;
	if (bad < n && !r->problem) {
		r->problem = ((const char *)s)[bad] == '\0' ? ROW_NUL_BYTE : ROW_BAD_UTF8;
		r->problem_field = r->nf;
		r->problem_offset = bad;
	}
	if (r->nf + 1 > r->fcap)
		fields_grow(r, r->nf + 1);
	r->off[r->nf] = r->arena.len;
	r->len[r->nf] = n;
	buf_add(&r->arena, s, n);
	buf_addch(&r->arena, '\0');
	r->nf++;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;

	/* libcsv (with CSV_REPALL_NL) reports the LF of a CRLF, and blank
	 * lines, as rows without fields. */
	if (r->fields_since_row == 0 && c != -1)
		return;
	r->fields_since_row = 0;
	r->rows_done++;
}

static int csv_space(unsigned char c) { (void)c; return 0; }

static void csv_start(struct reader *r)
{
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL);
	csv_set_delim(&r->csv, (unsigned char)r->delimiter);
	csv_set_space_func(&r->csv, csv_space);
	/* libcsv grows its field buffer by blk_size (128 bytes by default):
	 * a 1 MB field would cost thousands of reallocs */
	csv_set_blk_size(&r->csv, (size_t)64 << 10);
}

static void csv_restart(struct reader *r)
{
	csv_free(&r->csv);
	csv_start(r);
}

static void row_reset(struct reader *r)
{
	buf_reset(&r->arena);
	r->nf = 0;
	r->fields_seen = 0;
	r->fields_since_row = 0;
	r->rows_done = 0;
	r->problem = ROW_FINE;
	r->raw_cut = 0;
	r->rec_line = 0;
	r->keep = SIZE_MAX;
	r->raw_len = 0;
	r->raw_in_cut = 0;
	r->line_bad = 0;
}

/* Notes a line as part of the current record's raw text. */
static void raw_add(struct reader *r, const char *line, size_t len, int cut)
{
	if (cut) {
		r->raw_in_cut = 1;
		r->keep = SIZE_MAX;
	} else if (r->keep == SIZE_MAX && !r->raw_in_cut) {
		r->keep = (size_t)(line - r->in);
	}
	r->raw_len += len;
	if (r->raw_len > r->max_record)
		r->raw_cut = 1;
}

static int too_long(struct reader *r, struct adash_err *e)
{
	r->raw_cut = 1;
	r->reason = "record too long";
	err_at(e, ADASH_EDATA, r->name, r->rec_line, NULL,
	       "record longer than %zu bytes (an unterminated quote?)", r->max_record);
	return READ_BAD;
}

/* Length of s[0..n) without the CRs and LFs that end it. */
static size_t without_line_end(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

static int is_blank_line(const char *s, size_t n)
{
	/* "\n", "\r\n", and a lone "\r" ending the input */
	return (n == 1 && (s[0] == '\n' || s[0] == '\r')) || (n == 2 && s[0] == '\r' && s[1] == '\n');
}

static int bad_row(struct reader *r, struct adash_err *e, const char *column,
		   const char *reason, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Describes a bad row: e gets the message, r->reason its category. */
static int bad_row(struct reader *r, struct adash_err *e, const char *column,
		   const char *reason, const char *fmt, ...)
{
	char msg[ADASH_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_at(e, ADASH_EDATA, r->name, r->rec_line, column, "%s", msg);
	r->reason = reason;
	return READ_BAD;
}

/* Reads one CSV record into r->arena/off/len.  Returns READ_OK, READ_EOF,
 * READ_BAD or READ_FATAL. */
static int csv_read_record(struct reader *r, struct adash_err *e)
{
	const char *line;
	size_t len, used;
	int cut, st;

	row_reset(r);
	for (;;) {
		st = next_line(r, &line, &len, &cut, e);
		if (st < 0)
			return READ_FATAL;
		if (st == 0) {
			if (r->raw_len == 0)
				return READ_EOF;
			if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
				csv_restart(r);
				return bad_row(r, e, NULL, "unterminated quote", "%s",
					       "unterminated quoted field: a quote opened on this line is never closed");
			}
			if (r->rows_done == 0)
				return READ_EOF; /* only line ends were left */
			break;
		}
		if (!cut && r->raw_len == 0 && is_blank_line(line, len))
			continue;
		if (r->rec_line == 0)
			r->rec_line = r->cur_line;
		raw_add(r, line, len, cut);
		if (cut || r->raw_cut) {
			csv_restart(r);
			return too_long(r, e);
		}
		if (utf8_check(line, len) < len)
			r->line_bad = 1;
		used = csv_parse(&r->csv, line, len, on_field, on_row, r);
		if (used < len) {
			int code = csv_error(&r->csv);
			csv_restart(r);
			if (code == CSV_ENOMEM || code == CSV_ETOOBIG)
				xalloc_die();
			return bad_row(r, e, NULL, "malformed CSV",
				       "malformed CSV quoting at byte %zu of line %ld (a quote inside an unquoted field, or text after a closing quote)",
				       used + 1, r->cur_line);
		}
		/* libcsv's state 0 is ROW_NOT_BEGUN: anything else after a
		 * completed row means text after a bare CR */
		if (r->rows_done > 1 || (r->rows_done == 1 && r->csv.pstate != 0)) {
			csv_restart(r);
			return bad_row(r, e, NULL, "bare CR line end", "%s",
				       "bare carriage return as a line end (old Mac format); convert it first, e.g. tr '\\r' '\\n'");
		}
		if (r->rows_done == 1)
			break;
	}
	return READ_OK;
}

static int csv_row_check(struct reader *r, struct adash_err *e)
{
	char msg[160];
	const char *col;

	switch (r->problem) {
	case ROW_FINE:
		break;
	case ROW_TOO_MANY_FIELDS:
		snprintf(msg, sizeof msg, "row has %zu fields, the header has %zu",
			 r->fields_seen, r->ncols);
		return bad_row(r, e, NULL, "ragged row", "%s", msg);
	case ROW_BAD_UTF8:
	case ROW_NUL_BYTE:
		col = r->header_fixed && r->problem_field < r->ncols ? r->cols[r->problem_field] : NULL;
		snprintf(msg, sizeof msg, "%s at byte %zu of the field",
			 r->problem == ROW_NUL_BYTE ? "NUL byte" : "invalid UTF-8",
			 r->problem_offset + 1);
		return bad_row(r, e, col, r->problem == ROW_NUL_BYTE ? "NUL byte" : "invalid UTF-8", "%s", msg);
	default:
		break;
	}
	if (r->header_fixed && r->nf != r->ncols) {
		snprintf(msg, sizeof msg, "row has %zu field%s, the header has %zu",
			 r->nf, r->nf == 1 ? "" : "s", r->ncols);
		return bad_row(r, e, NULL, "ragged row", "%s", msg);
	}
	return READ_OK;
}

/* ---- columns ------------------------------------------------------------- */

static int add_column(struct reader *r, const char *name, size_t len, struct adash_err *e)
{
	int added;
	size_t cap = r->ncols;
	struct hashmap_entry *en = hashmap_put(&r->colidx, name, len, &added);

	if (!added)
		return err_at(e, ADASH_EDATA, r->name, r->rec_line, NULL,
			      "duplicate column \"%s\" in the header", en->key);
	en->val.num = (int64_t)r->ncols;
	r->cols = xgrow(r->cols, &cap, r->ncols + 1, sizeof *r->cols);
	r->cols[r->ncols++] = en->key;
	return 0;
}

static void fields_alloc(struct reader *r)
{
	free(r->fields);
	r->fields = xcalloc(r->ncols ? r->ncols : 1, sizeof *r->fields);
}

static int csv_read_header(struct reader *r, struct adash_err *e)
{
	int st = csv_read_record(r, e);

	if (st == READ_EOF)
		goto done;
	if (st == READ_OK)
		st = csv_row_check(r, e);
	if (st != READ_OK) {
		/* A bad header is fatal: no row could be read against it. */
		if (e->code == ADASH_EDATA)
			snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), " (in the header)");
		return -1;
	}
	for (size_t i = 0; i < r->nf; i++)
		if (add_column(r, r->arena.data + r->off[i], r->len[i], e) < 0)
			return -1;
done:
	r->header_fixed = 1;
	fields_alloc(r);
	return 0;
}

/* ---- NDJSON via jansson ------------------------------------------------ */

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Reads the next non-blank line and parses it.  READ_OK with *obj set. */
static int ndjson_parse_line(struct reader *r, json_t **obj, struct adash_err *e)
{
	const char *line;
	size_t len;
	int cut, st;
	json_error_t jerr;

	buf_reset(&r->raw);
	for (;;) {
		st = next_line(r, &line, &len, &cut, e);
		if (st < 0)
			return READ_FATAL;
		if (st == 0)
			return READ_EOF;
		r->rec_line = r->cur_line;
		if (!cut && len - (line[len - 1] == '\n') > r->max_record)
			cut = 1;   /* too long, even if it arrived in one read */
		if (!cut && is_blank(line, len))
			continue;
		break;
	}
	buf_reset(&r->raw);
	buf_add(&r->raw, line, without_line_end(line, len));
	if (cut || r->raw.len > r->max_record) {
		if (r->raw.len > r->max_record)
			r->raw.len = without_line_end(r->raw.data, r->max_record);
		r->raw.data[r->raw.len] = '\0';
		return too_long(r, e);
	}
	*obj = json_loadb(r->raw.data, r->raw.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*obj) {
		char msg[300];
		snprintf(msg, sizeof msg, "invalid JSON at character %d: %s", jerr.column, jerr.text);
		return bad_row(r, e, NULL, "invalid JSON", "%s", msg);
	}
	if (!json_is_object(*obj)) {
		json_decref(*obj);
		*obj = NULL;
		return bad_row(r, e, NULL, "not a JSON object", "%s", "an NDJSON record must be a JSON object");
	}
	return READ_OK;
}

/* Turns one JSON object into fields; columns may be added while the header
 * is not yet fixed. */
static int ndjson_fields(struct reader *r, json_t *obj, struct adash_err *e)
{
	const char *key;
	json_t *v;
	size_t i;

	buf_reset(&r->arena);
	json_object_foreach(obj, key, v) {
		size_t klen = strlen(key);
		struct hashmap_entry *en = hashmap_get(&r->colidx, key, klen);

		if (!en) {
			if (r->header_fixed)
				return bad_row(r, e, NULL, "unknown key",
					       "key \"%s\" is not a column (NDJSON columns are the schema's and the first record's keys)",
					       key);
			if (add_column(r, key, klen, e) < 0)
				return READ_BAD;
		}
	}
	if (!r->header_fixed) {
		r->header_fixed = 1;
		fields_alloc(r);
	}
	/* Lay the values out in the arena first; pointers are set after,
	 * since the arena may move while it grows. */
	if (r->ncols > r->fcap)
		fields_grow(r, r->ncols);
	for (i = 0; i < r->ncols; i++) {
		r->fields[i].kind = FIELD_NULL;
		r->off[i] = SIZE_MAX;
	}
	json_object_foreach(obj, key, v) {
		struct hashmap_entry *en = hashmap_get(&r->colidx, key, strlen(key));
		char num[NUM_FORMAT_MAX];
		size_t c = (size_t)en->val.num;
		const char *s = "";
		size_t n = 0;
		int kind;

		switch (json_typeof(v)) {
		case JSON_STRING:
			s = json_string_value(v);
			n = json_string_length(v);
			kind = FIELD_STRING;
			break;
		case JSON_INTEGER:
			n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			s = num;
			kind = FIELD_NUMBER;
			break;
		case JSON_REAL:
			n = num_format(json_real_value(v), num);
			s = num;
			kind = FIELD_NUMBER;
			break;
		case JSON_TRUE:
			s = "true", n = 4, kind = FIELD_BOOL;
			break;
		case JSON_FALSE:
			s = "false", n = 5, kind = FIELD_BOOL;
			break;
		case JSON_NULL:
			kind = FIELD_NULL;
			break;
		case JSON_OBJECT:
		case JSON_ARRAY:
		default:
			return bad_row(r, e, key, "nested value", "%s",
				       "value is an array or object; NDJSON records must be flat");
		}
		r->fields[c].kind = kind;
		r->off[c] = r->arena.len;
		r->len[c] = n;
		buf_add(&r->arena, s, n);
		buf_addch(&r->arena, '\0');
	}
	for (i = 0; i < r->ncols; i++) {
		if (r->off[i] == SIZE_MAX) {
			r->fields[i].s = "";
			r->fields[i].len = 0;
			r->fields[i].kind = FIELD_NULL;
		} else {
			r->fields[i].s = r->arena.data + r->off[i];
			r->fields[i].len = r->len[i];
		}
	}
	return READ_OK;
}

static int ndjson_read_header(struct reader *r, const struct reader_options *opt,
			      struct adash_err *e)
{
	size_t bad = 0;
	int st;

	for (size_t i = 0; i < opt->n_ndjson_columns; i++)
		if (add_column(r, opt->ndjson_columns[i], strlen(opt->ndjson_columns[i]), e) < 0)
			return -1;
	/* The keys of the first good record complete the columns; bad
	 * records before it (up to PENDING_BAD_MAX) are read ahead and
	 * reported by reader_next in their place.  Blank input has only the
	 * declared columns. */
	r->pending = xcalloc(PENDING_BAD_MAX + 1, sizeof *r->pending);
	for (;;) {
		json_t *obj = NULL;
		struct pending *p;

		st = ndjson_parse_line(r, &obj, e);
		if (st == READ_FATAL)
			return -1;
		if (st == READ_EOF)
			break;
		p = &r->pending[r->npending++];
		p->obj = st == READ_OK ? obj : NULL;
		p->line = r->rec_line;
		p->raw = xstrndup(r->raw.data ? r->raw.data : "", r->raw.len);
		p->rawlen = r->raw.len;
		if (st == READ_BAD) {
			p->err = *e;
			p->reason = r->reason;
			if (++bad >= PENDING_BAD_MAX)
				break;
			continue;
		}
		{
			const char *key;
			json_t *v;
			json_object_foreach(obj, key, v)
				if (!hashmap_get(&r->colidx, key, strlen(key)) &&
				    add_column(r, key, strlen(key), e) < 0)
					return -1;
		}
		break;
	}
	r->header_fixed = 1;
	fields_alloc(r);
	err_clear(e);
	return 0;
}

/* ---- public ---------------------------------------------------------------- */

static int detect_format(struct reader *r, struct adash_err *e)
{
	for (;;) {
		size_t i = r->start;

		/* UTF-8 byte order mark, perhaps not all read yet; it means
		 * something only as the file's first bytes */
		int at_start = r->start == 0 && r->lines_done == 0;

		if (at_start && r->end - i < 3 && !r->eof && memcmp(r->in + i, "\xEF\xBB\xBF", r->end - i) == 0) {
			if (fill(r, e) < 0)
				return -1;
			continue;
		}
		if (at_start && r->end - i >= 3 && memcmp(r->in + i, "\xEF\xBB\xBF", 3) == 0)
			i += 3;
		while (i < r->end && (r->in[i] == ' ' || r->in[i] == '\t' ||
				      r->in[i] == '\r' || r->in[i] == '\n')) {
			/* Empty lines are skipped by both readers: consume
			 * them now, so that memory does not grow with them.
			 * (A line of spaces is a CSV record: it stays.) */
			if (r->in[i] == '\n' && (i == r->start || (i == r->start + 1 && r->in[r->start] == '\r'))) {
				r->start = i + 1;
				r->lines_done++;
			}
			i++;
			/* The same answer whatever the reads: a run of blanks
			 * longer than a record makes it CSV (and the reader
			 * then reports the record as too long). */
			if (i - r->start > r->max_record)
				return FORMAT_CSV;
		}
		if (i < r->end)
			return r->in[i] == '{' ? FORMAT_NDJSON : FORMAT_CSV;
		if (r->eof)
			return FORMAT_CSV;
		if (fill(r, e) < 0)
			return -1;
	}
}

struct reader *reader_open_fd(int fd, const char *name,
			      const struct reader_options *opt, struct adash_err *e)
{
	static const struct reader_options defaults = { 0 };
	struct reader *r = xcalloc(1, sizeof *r);
	int ok;

	if (!opt)
		opt = &defaults;
	r->fd = fd;
	r->name = xstrdup(name ? name : "-");
	r->delimiter = opt->delimiter ? opt->delimiter : ',';
	r->max_record = opt->max_record ? opt->max_record : READER_MAX_RECORD_DEFAULT;
	r->in_cap = BLOCK_SIZE;
	r->in = xmalloc(r->in_cap);
	r->keep = SIZE_MAX;
	hashmap_init(&r->colidx);
	buf_init(&r->raw);
	buf_init(&r->arena);
	buf_init(&r->cut);

	/* detect the format (looking past a byte order mark and blank
	 * lines), then skip the byte order mark */
	if (fill(r, e) < 0)
		goto fail;
	r->format = opt->format;
	if (r->format == FORMAT_AUTO && (r->format = detect_format(r, e)) < 0)
		goto fail;
	while (r->end - r->start < 3 && !r->eof)
		if (fill(r, e) < 0)
			goto fail;
	if (r->start == 0 && r->lines_done == 0 && r->end >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0)
		r->start += 3;

	if (r->format == FORMAT_CSV) {
		csv_start(r);
		ok = csv_read_header(r, e) == 0;
	} else {
		ok = ndjson_read_header(r, opt, e) == 0;
	}
	if (!ok)
		goto fail;
	return r;
fail:
	reader_close(r);
	return NULL;
}

struct reader *reader_open(const char *path, const struct reader_options *opt,
			   struct adash_err *e)
{
	int fd;
	struct reader *r;

	if (!path || strcmp(path, "-") == 0)
		return reader_open_fd(STDIN_FILENO, "(stdin)", opt, e);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(e, ADASH_EIO, "%s: %s", path, strerror(errno));
		return NULL;
	}
	r = reader_open_fd(fd, path, opt, e);
	if (r)
		r->own_fd = 1;
	else
		close(fd);
	return r;
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	if (r->format == FORMAT_CSV)
		csv_free(&r->csv);
	if (r->own_fd)
		close(r->fd);
	for (size_t i = 0; i < r->npending; i++) {
		if (r->pending[i].obj)
			json_decref(r->pending[i].obj);
		free(r->pending[i].raw);
	}
	free(r->pending);
	hashmap_free(&r->colidx, NULL);
	buf_free(&r->raw);
	buf_free(&r->arena);
	buf_free(&r->cut);
	free(r->cols);
	free(r->off);
	free(r->len);
	free(r->fields);
	free(r->in);
	free(r->name);
	free(r);
}

int reader_format(const struct reader *r) { return r->format; }
const char *reader_name(const struct reader *r) { return r->name; }
size_t reader_ncols(const struct reader *r) { return r->ncols; }
const char *reader_colname(const struct reader *r, size_t i) { return i < r->ncols ? r->cols[i] : NULL; }
long reader_line(const struct reader *r) { return r->rec_line; }

int reader_bad_value(const struct reader *r, const char *col, const struct field *f,
		     const char *what, struct adash_err *e)
{
	char q[80];

	err_quote_value(q, sizeof q, f->s, f->len);
	return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), col, "\"%s\" is not %s", q, what);
}
const char *reader_reason(const struct reader *r) { return r->reason ? r->reason : "bad row"; }
uint64_t reader_bytes(const struct reader *r) { return r->bytes; }

long reader_col(const struct reader *r, const char *name)
{
	struct hashmap_entry *en = hashmap_get(&r->colidx, name, strlen(name));

	return en ? (long)en->val.num : -1;
}

const char *reader_raw(const struct reader *r, size_t *len)
{
	const char *p = r->raw.data ? r->raw.data : "";
	size_t n = r->raw.len;

	if (r->format == FORMAT_CSV) {
		if (r->raw_in_cut) {
			p = r->cut.data;
			n = r->cut.len;
		} else if (r->keep != SIZE_MAX) {
			p = r->in + r->keep;
			n = r->start - r->keep;
		} else {
			p = "";
			n = 0;
		}
		if (n > r->max_record)
			n = r->max_record;
	}
	*len = without_line_end(p, n);
	return p;
}

int reader_next(struct reader *r, const struct field **rec, struct adash_err *e)
{
	int st;

	err_clear(e);
	if (r->format == FORMAT_CSV) {
		st = csv_read_record(r, e);
		if (st != READ_OK)
			return st;
		if ((st = csv_row_check(r, e)) != READ_OK)
			return st;
		for (size_t i = 0; i < r->ncols; i++) {
			r->fields[i].s = r->arena.data + r->off[i];
			r->fields[i].len = r->len[i];
			r->fields[i].kind = FIELD_TEXT;
		}
		*rec = r->fields;
		return READ_OK;
	}

	json_t *obj = NULL;
	if (r->pending_next < r->npending) {
		/* a record read ahead with the header */
		struct pending *p = &r->pending[r->pending_next++];
		r->rec_line = p->line;
		buf_reset(&r->raw);
		buf_add(&r->raw, p->raw, p->rawlen);
		free(p->raw);
		p->raw = NULL;
		if (!p->obj) {
			*e = p->err;
			r->reason = p->reason;
			return READ_BAD;
		}
		obj = p->obj;
		p->obj = NULL;
	} else {
		st = ndjson_parse_line(r, &obj, e);
		if (st != READ_OK)
			return st;
	}
	st = ndjson_fields(r, obj, e);
	json_decref(obj);
	if (st != READ_OK)
		return st;
	*rec = r->fields;
	return READ_OK;
}

int reader_same_columns(const struct reader *r, const char *const *names, size_t n,
			struct adash_err *e)
{
	if (reader_ncols(r) == 0)
		return 0;
	if (reader_ncols(r) != n)
		return err_set(e, ADASH_EDATA, "%s: has %zu columns, the first input %zu; inputs must share columns",
			       reader_name(r), reader_ncols(r), n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(reader_colname(r, i), names[i]) != 0)
			return err_set(e, ADASH_EDATA, "%s: column %zu is \"%s\", the first input's \"%s\"; inputs must share columns",
				       reader_name(r), i + 1, reader_colname(r, i), names[i]);
	return 0;
}
