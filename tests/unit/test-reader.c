/*
 * Unit tests of lib/reader: the CSV and NDJSON record streams.
 *
 * Every input is written to a tmpfile() and read through reader_open_fd(),
 * so the bytes under test are exactly the bytes in the C string (lengths are
 * given explicitly where the input holds NUL bytes).  Rows are compared as
 * one string per record, "[field][field]...", with control characters shown
 * as \n, \r, \t and, for NDJSON, each field prefixed with its kind
 * ("s:" string, "n:" number, "b:" bool, "0:" null, "t:" text).
 */
#include "reader.h"
#include "buf.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "t.csv"

struct src {
	FILE *f;
	struct reader *r;
};

static struct reader *open_mem(struct src *s, const char *data, size_t len,
			       const struct reader_options *o, struct adash_err *e)
{
	s->f = tmpfile();
	if (!s->f) {
		perror("tmpfile");
		exit(99);
	}
	if (len && fwrite(data, 1, len, s->f) != len) {
		perror("fwrite");
		exit(99);
	}
	fflush(s->f);
	rewind(s->f);
	err_clear(e);
	s->r = reader_open_fd(fileno(s->f), NAME, o, e);
	return s->r;
}

static void close_mem(struct src *s)
{
	reader_close(s->r);
	s->r = NULL;
	fclose(s->f);
	s->f = NULL;
}

static const char kind_letter[] = { 't', 's', 'n', 'b', '0' };

/* Renders a record as "[a][b]"; with_kinds prefixes each with its kind. */
static void show_row(struct buf *b, const struct field *rec, size_t n, int with_kinds)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		buf_addch(b, '[');
		if (with_kinds) {
			int k = rec[i].kind;
			buf_addch(b, k >= 0 && k <= 4 ? kind_letter[k] : '?');
			buf_addch(b, ':');
		}
		for (size_t k = 0; k < rec[i].len; k++) {
			char c = rec[i].s[k];
			if (c == '\n')
				buf_addstr(b, "\\n");
			else if (c == '\r')
				buf_addstr(b, "\\r");
			else if (c == '\t')
				buf_addstr(b, "\\t");
			else if (c == '\0')
				buf_addstr(b, "\\0");
			else
				buf_addch(b, c);
		}
		if (rec[i].s[rec[i].len] != '\0')
			buf_addstr(b, "<not NUL-terminated>");
		buf_addch(b, ']');
	}
	if (b->data == NULL)
		buf_addstr(b, "");
}

static void show_cols(struct buf *b, const struct reader *r)
{
	buf_reset(b);
	for (size_t i = 0; i < reader_ncols(r); i++)
		buf_printf(b, "[%s]", reader_colname(r, i));
	if (b->data == NULL)
		buf_addstr(b, "");
}

/* Reads one record and checks status, line and fields (one or two points). */
static void next_ok(struct reader *r, const char *name, long line, const char *want,
		    int with_kinds)
{
	const struct field *rec = NULL;
	struct adash_err e;
	struct buf b = BUF_INIT;
	int st = reader_next(r, &rec, &e);

	if (st != READ_OK) {
		ok(0, "%s: READ_OK", name);
		printf("#   status %d, error %d: %s\n", st, e.code, e.msg);
		return;
	}
	show_row(&b, rec, reader_ncols(r), with_kinds);
	is_str(b.data, want, "%s: fields", name);
	is_int(reader_line(r), line, "%s: line", name);
	buf_free(&b);
}

/* Reads one record and checks it is a bad row: status, code, line, reason and
 * that the message is "t.csv:LINE: ..." containing `part`. */
static void next_bad(struct reader *r, const char *name, long line, const char *reason,
		     const char *part)
{
	const struct field *rec = NULL;
	struct adash_err e;
	char prefix[64];
	int st = reader_next(r, &rec, &e);

	if (st != READ_BAD) {
		struct buf b = BUF_INIT;
		ok(0, "%s: READ_BAD", name);
		if (st == READ_OK) {
			show_row(&b, rec, reader_ncols(r), 1);
			printf("#   READ_OK: %s\n", b.data);
		} else {
			printf("#   status %d: %s\n", st, e.msg);
		}
		buf_free(&b);
		return;
	}
	snprintf(prefix, sizeof prefix, "%s:%ld: ", NAME, line);
	ok(e.code == ADASH_EDATA && strncmp(e.msg, prefix, strlen(prefix)) == 0 &&
	   strstr(e.msg, part) != NULL && strchr(e.msg, '\n') == NULL,
	   "%s: READ_BAD, code 1, message \"%s...%s\"", name, prefix, part);
	if (!(e.code == ADASH_EDATA && strncmp(e.msg, prefix, strlen(prefix)) == 0 &&
	      strstr(e.msg, part) != NULL))
		printf("#   code %d, message: %s\n", e.code, e.msg);
	is_int(reader_line(r), line, "%s: line", name);
	is_str(reader_reason(r), reason, "%s: reason", name);
}

static void next_eof(struct reader *r, const char *name)
{
	const struct field *rec;
	struct adash_err e;
	int st = reader_next(r, &rec, &e);

	is_int(st, READ_EOF, "%s: end of input", name);
}

static void raw_is(struct reader *r, const char *want, const char *name)
{
	size_t n;
	const char *raw = reader_raw(r, &n);
	char *copy = malloc(n + 1);

	memcpy(copy, raw, n);
	copy[n] = '\0';
	is_str(copy, want, "%s: raw text", name);
	free(copy);
}

/* Opens a CSV text (NUL-terminated) with default options (the format is
 * detected) and checks the header; returns NULL (with a failed point) when the open fails. */
static struct reader *open_csv(struct src *s, const char *text, const char *cols,
			       const char *name)
{
	struct adash_err e;
	struct buf b = BUF_INIT;
	struct reader_options o = { 0 };

	if (!open_mem(s, text, strlen(text), &o, &e)) {
		ok(0, "%s: reader_open", name);
		printf("#   code %d: %s\n", e.code, e.msg);
		fclose(s->f);
		s->f = NULL;
		return NULL;
	}
	show_cols(&b, s->r);
	is_str(b.data, cols, "%s: header", name);
	buf_free(&b);
	return s->r;
}

#define WITH(s, text, cols, name) \
	for (int with_once_ = (open_csv(&(s), text, cols, name) != NULL); with_once_; \
	     with_once_ = 0, close_mem(&(s)))

/* ---- CSV ---------------------------------------------------------------- */

static void test_csv_basic(void)
{
	struct src s;
	const struct field *rec;
	struct adash_err e;
	const char *in = "id,name\n1,alpha\n2,beta\n";

	WITH(s, in, "[id][name]", "basic") {
		is_int(reader_format(s.r), FORMAT_CSV, "basic: format csv");
		is_str(reader_name(s.r), NAME, "basic: reader_name");
		is_int(reader_col(s.r, "name"), 1, "basic: reader_col name");
		is_int(reader_col(s.r, "id"), 0, "basic: reader_col id");
		is_int(reader_col(s.r, "nope"), -1, "basic: reader_col unknown");
		ok(reader_colname(s.r, 2) == NULL, "basic: reader_colname out of range is NULL");
		is_int(reader_next(s.r, &rec, &e), READ_OK, "basic: first row");
		is_int(rec[0].kind, FIELD_TEXT, "basic: CSV fields are FIELD_TEXT");
		is_int(rec[1].len, 5, "basic: field length");
		is_int(reader_line(s.r), 2, "basic: first row is line 2");
		raw_is(s.r, "1,alpha", "basic first row");
		next_ok(s.r, "basic row 2", 3, "[2][beta]", 0);
		raw_is(s.r, "2,beta", "basic second row");
		next_eof(s.r, "basic");
		next_eof(s.r, "basic again");
		is_int(reader_bytes(s.r), strlen(in), "basic: reader_bytes counts every byte");
	}
}

static void test_csv_quoting(void)
{
	struct src s;

	WITH(s, "a,b\n\"x,y\",z\n\"he said \"\"hi\"\"\",2\n\"\",x\n,\n\"\",\"\"\n", "[a][b]", "quotes") {
		next_ok(s.r, "quoted comma", 2, "[x,y][z]", 0);
		next_ok(s.r, "doubled quotes", 3, "[he said \"hi\"][2]", 0);
		next_ok(s.r, "empty quoted field", 4, "[][x]", 0);
		next_ok(s.r, "two empty fields", 5, "[][]", 0);
		next_ok(s.r, "two empty quoted fields", 6, "[][]", 0);
		next_eof(s.r, "quotes");
	}
	WITH(s, "a,b,c\n,,\n1,,3\n,2,\n", "[a][b][c]", "empty fields") {
		next_ok(s.r, "all empty", 2, "[][][]", 0);
		next_ok(s.r, "middle empty", 3, "[1][][3]", 0);
		next_ok(s.r, "outer empty", 4, "[][2][]", 0);
		next_eof(s.r, "empty fields");
	}
	WITH(s, "a,b\n x , y \n\" q \",\t\n", "[a][b]", "spaces") {
		next_ok(s.r, "spaces are data", 2, "[ x ][ y ]", 0);
		next_ok(s.r, "quoted spaces and a tab", 3, "[ q ][\\t]", 0);
	}
}

static void test_csv_multiline(void)
{
	struct src s;

	WITH(s, "a,b\n\"line1\nline2\",2\n3,4\n\"p\n\nq\n\",\"r\"\n5,6\n", "[a][b]", "multi-line") {
		next_ok(s.r, "LF in quotes", 2, "[line1\\nline2][2]", 0);
		raw_is(s.r, "\"line1\nline2\",2", "LF in quotes");
		next_ok(s.r, "row after a 2-line record", 4, "[3][4]", 0);
		next_ok(s.r, "blank lines and LF inside quotes", 5, "[p\\n\\nq\\n][r]", 0);
		raw_is(s.r, "\"p\n\nq\n\",\"r\"", "blank lines inside quotes");
		next_ok(s.r, "row after a 4-line record", 9, "[5][6]", 0);
		next_eof(s.r, "multi-line");
	}
	WITH(s, "a,b\n\"x\r\ny\",2\n3,4\n", "[a][b]", "CRLF in quotes") {
		next_ok(s.r, "CRLF inside quotes kept", 2, "[x\\r\\ny][2]", 0);
		next_ok(s.r, "row after CRLF in quotes", 4, "[3][4]", 0);
	}
	WITH(s, "a,b\r\n\"x\r\ny\",2\r\n3,4\r\n", "[a][b]", "CRLF file with CRLF in quotes") {
		next_ok(s.r, "CRLF file: CRLF inside quotes", 2, "[x\\r\\ny][2]", 0);
		next_ok(s.r, "CRLF file: next row", 4, "[3][4]", 0);
		next_eof(s.r, "CRLF file with CRLF in quotes");
	}
}

static void test_csv_line_ends(void)
{
	struct src s;

	WITH(s, "a,b\r\n1,2\r\n3,4\r\n", "[a][b]", "CRLF") {
		next_ok(s.r, "CRLF row 1", 2, "[1][2]", 0);
		raw_is(s.r, "1,2", "CRLF row 1 (no line end)");
		next_ok(s.r, "CRLF row 2", 3, "[3][4]", 0);
		next_eof(s.r, "CRLF");
	}
	WITH(s, "a,b\r\n1,2", "[a][b]", "CRLF header, last line without newline") {
		next_ok(s.r, "last line without newline after CRLF", 2, "[1][2]", 0);
		next_eof(s.r, "CRLF, no final newline");
	}
	WITH(s, "a,b\n1,2", "[a][b]", "no final newline") {
		next_ok(s.r, "last line without newline", 2, "[1][2]", 0);
		raw_is(s.r, "1,2", "last line without newline");
		next_eof(s.r, "no final newline");
	}
	WITH(s, "a,b\n1,\"x\ny\"", "[a][b]", "quoted last field, no final newline") {
		next_ok(s.r, "quoted multi-line last field at EOF", 2, "[1][x\\ny]", 0);
		next_eof(s.r, "quoted last field");
	}
	WITH(s, "a,b\n\n1,2\n\r\n\n3,4\n\n", "[a][b]", "blank lines") {
		next_ok(s.r, "after a blank line", 3, "[1][2]", 0);
		next_ok(s.r, "after blank LF and CRLF lines", 6, "[3][4]", 0);
		next_eof(s.r, "blank lines at the end");
	}
	WITH(s, "\n\na,b\n1,2\n", "[a][b]", "blank lines before the header") {
		next_ok(s.r, "line numbers count blank lines before the header", 4, "[1][2]", 0);
	}
	WITH(s, "a,b\n1,2\r3,4\n5,6\n", "[a][b]", "bare CR") {
		next_bad(s.r, "bare CR line end", 2, "bare CR line end", "carriage return");
		next_ok(s.r, "row after a bare CR row", 3, "[5][6]", 0);
		next_eof(s.r, "bare CR");
	}
	{
		struct adash_err e;
		struct reader_options o = { 0 };
		const char *in = "a,b\r1,2\r3,4\r";
		ok(open_mem(&s, in, strlen(in), &o, &e) == NULL && e.code == ADASH_EDATA &&
		   strstr(e.msg, "carriage return") != NULL,
		   "an old-Mac file (CR only) is refused at the header with code 1");
		printf("# %s\n", e.msg);
		reader_close(s.r);
		fclose(s.f);
	}
}

static void test_csv_bom_delims(void)
{
	struct src s;
	struct adash_err e;
	struct reader_options o = { 0 };
	struct buf b = BUF_INIT;
	const char *in;

	WITH(s, "\xEF\xBB\xBFid,v\n1,2\n", "[id][v]", "BOM") {
		is_int(reader_col(s.r, "id"), 0, "BOM: first column found by name");
		next_ok(s.r, "BOM row", 2, "[1][2]", 0);
	}
	/* with the format given, detection is skipped: the BOM must still go */
	o.format = FORMAT_CSV;
	in = "\xEF\xBB\xBFid\n\xEF\xBB\xBF\n";
	if (open_mem(&s, in, strlen(in), &o, &e)) {
		show_cols(&b, s.r);
		is_str(b.data, "[id]", "forced CSV: BOM skipped");
		next_ok(s.r, "a BOM later in the file is data", 2, "[\xEF\xBB\xBF]", 0);
		close_mem(&s);
	} else {
		ok(0, "forced CSV with BOM opens");
		fclose(s.f);
	}

	o.delimiter = '\t';
	in = "a\tb\n1,5\t\"x\ty\"\n\t\n";
	if (open_mem(&s, in, strlen(in), &o, &e)) {
		show_cols(&b, s.r);
		is_str(b.data, "[a][b]", "tab delimiter: header");
		next_ok(s.r, "tab delimiter: comma is data", 2, "[1,5][x\\ty]", 0);
		next_ok(s.r, "tab delimiter: two empty fields", 3, "[][]", 0);
		close_mem(&s);
	} else {
		ok(0, "tab delimiter opens");
		fclose(s.f);
	}

	o.delimiter = ';';
	in = "a;b\n1,5;2\n\"x;y\";\"\"\"\"\n";
	if (open_mem(&s, in, strlen(in), &o, &e)) {
		show_cols(&b, s.r);
		is_str(b.data, "[a][b]", "semicolon delimiter: header");
		next_ok(s.r, "semicolon: decimal comma is data", 2, "[1,5][2]", 0);
		next_ok(s.r, "semicolon: quoted semicolon and a lone quote", 3, "[x;y][\"]", 0);
		close_mem(&s);
	} else {
		ok(0, "semicolon delimiter opens");
		fclose(s.f);
	}
	buf_free(&b);
}

static void test_csv_header_only_and_empty(void)
{
	struct src s;
	struct adash_err e;
	struct reader_options o = { 0 };

	WITH(s, "a,b\n", "[a][b]", "header only") {
		next_eof(s.r, "header only");
	}
	WITH(s, "a,b", "[a][b]", "header only, no newline") {
		next_eof(s.r, "header only, no newline");
	}
	if (open_mem(&s, "", 0, &o, &e)) {
		is_int(reader_ncols(s.r), 0, "empty input: no columns");
		next_eof(s.r, "empty input");
		close_mem(&s);
	} else {
		ok(0, "empty input opens");
		printf("#   %s\n", e.msg);
		fclose(s.f);
	}
	if (open_mem(&s, "\n\n", 2, &o, &e)) {
		is_int(reader_ncols(s.r), 0, "blank-lines-only input: no columns");
		next_eof(s.r, "blank-lines-only input");
		close_mem(&s);
	} else {
		ok(0, "blank-lines-only input opens");
		fclose(s.f);
	}
	{
		const char *in = "a,b,a\n1,2,3\n";
		ok(open_mem(&s, in, strlen(in), &o, &e) == NULL, "duplicate header column: reader_open fails");
		is_int(e.code, ADASH_EDATA, "duplicate header column: code 1");
		ok(strstr(e.msg, "duplicate column \"a\"") != NULL && strncmp(e.msg, NAME ":", 6) == 0,
		   "duplicate header column: message names file and column");
		printf("# %s\n", e.msg);
		reader_close(s.r);
		fclose(s.f);
	}
	{
		const char *in = "\"a,b\n1,2\n";
		ok(open_mem(&s, in, strlen(in), &o, &e) == NULL && e.code == ADASH_EDATA &&
		   strstr(e.msg, "header") != NULL,
		   "unterminated quote in the header: code 1, says header");
		printf("# %s\n", e.msg);
		reader_close(s.r);
		fclose(s.f);
	}
	{
		const char *in = "a,b\xFF\n1,2\n";
		ok(open_mem(&s, in, strlen(in), &o, &e) == NULL && e.code == ADASH_EDATA &&
		   strstr(e.msg, "invalid UTF-8") != NULL,
		   "invalid UTF-8 in the header: code 1");
		reader_close(s.r);
		fclose(s.f);
	}
}

static void test_csv_malformed(void)
{
	struct src s;

	WITH(s, "a,b,c\n1,2\n4,5,6\n7,8,9,10\n11,12,13\n\n14\n", "[a][b][c]", "ragged") {
		next_bad(s.r, "too few fields", 2, "ragged row", "row has 2 fields, the header has 3");
		raw_is(s.r, "1,2", "too few fields");
		next_ok(s.r, "row after too few", 3, "[4][5][6]", 0);
		next_bad(s.r, "too many fields", 4, "ragged row", "row has 4 fields, the header has 3");
		raw_is(s.r, "7,8,9,10", "too many fields");
		next_ok(s.r, "row after too many", 5, "[11][12][13]", 0);
		next_bad(s.r, "one field", 7, "ragged row", "row has 1 field, the header has 3");
		next_eof(s.r, "ragged");
	}
	WITH(s, "a,b\nab\"c,d\n1,2\n\"ab\"c,d\n3,4\n\"x\" ,y\n5,6\n", "[a][b]", "strict quotes") {
		next_bad(s.r, "quote inside an unquoted field", 2, "malformed CSV", "quot");
		raw_is(s.r, "ab\"c,d", "quote inside an unquoted field");
		next_ok(s.r, "row after a stray quote", 3, "[1][2]", 0);
		next_bad(s.r, "text after a closing quote", 4, "malformed CSV", "quot");
		next_ok(s.r, "row after text after a quote", 5, "[3][4]", 0);
		next_bad(s.r, "a space after a closing quote", 6, "malformed CSV", "quot");
		next_ok(s.r, "row after a space after a quote", 7, "[5][6]", 0);
	}
	WITH(s, "a,b\n1,2\n3,\"abc\n4,5\n", "[a][b]", "unterminated") {
		next_ok(s.r, "row before an unterminated quote", 2, "[1][2]", 0);
		next_bad(s.r, "unterminated quote at EOF", 3, "unterminated quote", "unterminated");
		raw_is(s.r, "3,\"abc\n4,5", "unterminated quote");
		next_eof(s.r, "unterminated");
	}
	WITH(s, "id,name\n"
		"1,\xC0\xAF\n"
		"2,a\xED\xA0\x80\n"
		"3,ab\xE2\x82\n"
		"4,\xF4\x90\x80\x80\n"
		"5,\"x,\xFE\"\n"
		"\xE2\x82\xAC,ok\n"
		"6,h\xC3\xA9llo \xE2\x82\xAC \xF0\x9D\x84\x9E\n",
		"[id][name]", "UTF-8") {
		next_bad(s.r, "overlong encoding", 2, "invalid UTF-8", "column \"name\": invalid UTF-8 at byte 1");
		next_bad(s.r, "surrogate", 3, "invalid UTF-8", "column \"name\": invalid UTF-8 at byte 2");
		next_bad(s.r, "truncated sequence", 4, "invalid UTF-8", "column \"name\": invalid UTF-8 at byte 3");
		next_bad(s.r, "above U+10FFFF", 5, "invalid UTF-8", "invalid UTF-8");
		next_bad(s.r, "invalid byte in a quoted field", 6, "invalid UTF-8", "at byte 3");
		next_ok(s.r, "row after invalid UTF-8", 7, "[\xE2\x82\xAC][ok]", 0);
		next_ok(s.r, "valid multi-byte UTF-8", 8, "[6][h\xC3\xA9llo \xE2\x82\xAC \xF0\x9D\x84\x9E]", 0);
		next_eof(s.r, "UTF-8");
	}
	{
		static const char in[] = "a,b\n1,x\0y\n2,3\n\0,4\n5,6\n";
		struct adash_err e;
		struct reader_options o = { 0 };

		if (open_mem(&s, in, sizeof in - 1, &o, &e)) {
			next_bad(s.r, "NUL byte", 2, "NUL byte", "column \"b\": NUL byte at byte 2");
			next_ok(s.r, "row after a NUL byte", 3, "[2][3]", 0);
			next_bad(s.r, "NUL byte first", 4, "NUL byte", "column \"a\": NUL byte at byte 1");
			next_ok(s.r, "row after a NUL byte first", 5, "[5][6]", 0);
			close_mem(&s);
		} else {
			ok(0, "NUL input opens");
			fclose(s.f);
		}
	}
}

static void test_csv_long_records(void)
{
	struct src s;
	struct adash_err e;
	struct reader_options o = { 0 };
	const struct field *rec;
	struct buf in = BUF_INIT;
	const size_t big = (size_t)2 << 20, mb = 1000000;
	size_t n;
	const char *raw;

	/* 2 MiB unquoted field: longer than the 1 MiB default max_record */
	buf_addstr(&in, "a,b\n");
	for (size_t i = 0; i < big; i++)
		buf_addch(&in, 'x');
	buf_addstr(&in, ",1\n2,3\n");
	if (open_mem(&s, in.data, in.len, &o, &e)) {
		next_bad(s.r, "2 MiB field", 2, "record too long", "longer than 1048576 bytes");
		raw = reader_raw(s.r, &n);
		is_int(n, READER_MAX_RECORD_DEFAULT, "2 MiB field: raw text cut at max_record");
		ok(n > 0 && raw[0] == 'x' && raw[n - 1] == 'x', "2 MiB field: raw text is the start of the record");
		next_ok(s.r, "row after a 2 MiB field", 3, "[2][3]", 0);
		next_eof(s.r, "2 MiB field");
		close_mem(&s);
	} else {
		ok(0, "2 MiB input opens");
		fclose(s.f);
	}

	/* the same quoted, with a comma inside */
	buf_reset(&in);
	buf_addstr(&in, "a,b\n1,\"");
	for (size_t i = 0; i < big; i++)
		buf_addch(&in, i % 1000 == 999 ? ',' : 'q');
	buf_addstr(&in, "\"\n2,3\n");
	if (open_mem(&s, in.data, in.len, &o, &e)) {
		next_bad(s.r, "2 MiB quoted field", 2, "record too long", "longer than");
		next_ok(s.r, "row after a 2 MiB quoted field", 3, "[2][3]", 0);
		close_mem(&s);
	} else {
		ok(0, "2 MiB quoted input opens");
		fclose(s.f);
	}

	/* a 1,000,000-byte field is within the limit and comes back intact */
	buf_reset(&in);
	buf_addstr(&in, "a,b\n");
	for (size_t i = 0; i < mb; i++)
		buf_addch(&in, (char)('a' + i % 26));
	buf_addstr(&in, ",end\n2,3\n");
	if (open_mem(&s, in.data, in.len, &o, &e)) {
		int st = reader_next(s.r, &rec, &e);
		is_int(st, READ_OK, "1,000,000-byte field: READ_OK");
		if (st == READ_OK) {
			is_int(rec[0].len, mb, "1,000,000-byte field: length");
			ok(memcmp(rec[0].s, in.data + 4, mb) == 0 && rec[0].s[mb] == '\0',
			   "1,000,000-byte field: bytes intact");
			is_str(rec[1].s, "end", "1,000,000-byte field: next field");
			raw = reader_raw(s.r, &n);
			is_int(n, mb + 4, "1,000,000-byte field: raw length");
		}
		next_ok(s.r, "row after a 1,000,000-byte field", 3, "[2][3]", 0);
		close_mem(&s);
	} else {
		ok(0, "1 MB input opens");
		fclose(s.f);
	}

	/* a 300,000-byte quoted field of 300 lines, across read blocks: line
	 * numbers go on */
	buf_reset(&in);
	buf_addstr(&in, "a,b\n\"");
	{
		size_t len = 0;
		while (len < 300000) {
			if (len % 1000 == 999)
				buf_addch(&in, '\n');
			else if (len % 100 == 50)
				buf_addstr(&in, "\"\"");
			else
				buf_addch(&in, ',');
			len++;
		}
	}
	buf_addstr(&in, "\",x\n2,3\n");
	if (open_mem(&s, in.data, in.len, &o, &e)) {
		int st = reader_next(s.r, &rec, &e);
		is_int(st, READ_OK, "300-line quoted field: READ_OK");
		if (st == READ_OK) {
			size_t nl = 0, q = 0, c = 0;
			for (size_t i = 0; i < rec[0].len; i++)
				nl += rec[0].s[i] == '\n', q += rec[0].s[i] == '"', c += rec[0].s[i] == ',';
			is_int(rec[0].len, 300000, "300-line quoted field: length");
			ok(nl == 300 && q == 3000 && c == 300000 - 3300,
			   "300-line quoted field: newlines, quotes and commas intact");
			is_int(reader_line(s.r), 2, "300-line quoted field: starts on line 2");
		}
		next_ok(s.r, "row after a 300-line record", 303, "[2][3]", 0);
		close_mem(&s);
	} else {
		ok(0, "300-line input opens");
		fclose(s.f);
	}

	/* a small max_record, and a multi-line record over it */
	o.max_record = 16;
	{
		const char *t = "a,b\n1,2\n0123456789,0123456789\n3,4\n\"x\ny\nz\",0123456789abc\n5,6\n";
		if (open_mem(&s, t, strlen(t), &o, &e)) {
			next_ok(s.r, "max_record 16: short row", 2, "[1][2]", 0);
			next_bad(s.r, "max_record 16: 21-byte row", 3, "record too long", "longer than 16 bytes");
			raw_is(s.r, "0123456789,01234", "max_record 16: raw cut to 16 bytes");
			next_ok(s.r, "max_record 16: row after", 4, "[3][4]", 0);
			next_bad(s.r, "max_record 16: multi-line record over the limit", 5,
				 "record too long", "longer than 16 bytes");
			close_mem(&s);
		} else {
			ok(0, "max_record 16 opens");
			fclose(s.f);
		}
	}
	buf_free(&in);
}

static void test_csv_many_rows(void)
{
	struct src s;
	struct adash_err e;
	struct reader_options o = { 0 };
	const struct field *rec;
	struct buf in = BUF_INIT;
	const int rows = 40000;
	int good = 0, st;
	char want[64];

	/* about 1.5 MB: records straddle the 256 KiB read blocks */
	buf_addstr(&in, "n,text\n");
	for (int i = 0; i < rows; i++) {
		if (i % 7 == 3)
			buf_printf(&in, "%d,\"multi\nline %d, \"\"q\"\"\"\n", i, i);
		else
			buf_printf(&in, "%d,plain text number %d\n", i, i);
	}
	if (open_mem(&s, in.data, in.len, &o, &e)) {
		long line = 2;
		for (int i = 0; i < rows; i++) {
			st = reader_next(s.r, &rec, &e);
			if (i % 7 == 3)
				snprintf(want, sizeof want, "multi\nline %d, \"q\"", i);
			else
				snprintf(want, sizeof want, "plain text number %d", i);
			if (st == READ_OK && reader_line(s.r) == line && strcmp(rec[1].s, want) == 0 &&
			    atoi(rec[0].s) == i)
				good++;
			else if (good == i)
				printf("# row %d: status %d line %ld (want %ld)\n", i, st, reader_line(s.r), line);
			line += i % 7 == 3 ? 2 : 1;
		}
		is_int(good, rows, "40000 rows across read blocks: values and line numbers");
		next_eof(s.r, "40000 rows");
		is_int(reader_bytes(s.r), in.len, "40000 rows: reader_bytes");
		close_mem(&s);
	} else {
		ok(0, "40000 rows open");
		fclose(s.f);
	}
	buf_free(&in);
}

/* ---- files --------------------------------------------------------------- */

static void test_files(void)
{
	struct adash_err e;
	struct reader *r;
	char path[] = "/tmp/adash-test-reader-XXXXXX";
	int fd = mkstemp(path);
	const struct field *rec;

	err_clear(&e);
	r = reader_open("/nonexistent-adash-dir/in.csv", NULL, &e);
	ok(r == NULL, "missing file: reader_open fails");
	is_int(e.code, ADASH_EIO, "missing file: code 3");
	ok(strstr(e.msg, "/nonexistent-adash-dir/in.csv") != NULL &&
	   strstr(e.msg, strerror(ENOENT)) != NULL,
	   "missing file: message names the file and the reason");
	printf("# %s\n", e.msg);
	reader_close(r);

	err_clear(&e);
	r = reader_open("/tmp", NULL, &e);
	ok(r == NULL && e.code == ADASH_EIO, "a directory: reader_open fails with code 3");
	printf("# %s\n", e.msg);
	reader_close(r);

	if (fd < 0 || write(fd, "k,v\nx,1\n", 8) != 8) {
		ok(0, "temporary file");
		return;
	}
	close(fd);
	r = reader_open(path, NULL, &e);
	ok(r != NULL, "reader_open on a path");
	if (r) {
		is_str(reader_name(r), path, "reader_open: name is the path");
		is_int(reader_next(r, &rec, &e), READ_OK, "reader_open: reads a row");
		next_eof(r, "reader_open on a path");
		reader_close(r);
	}
	unlink(path);
}

/* ---- NDJSON --------------------------------------------------------------- */

static struct reader *open_nd(struct src *s, const char *text, const struct reader_options *opt,
			      const char *cols, const char *name)
{
	struct adash_err e;
	struct buf b = BUF_INIT;
	struct reader_options o = { 0 };

	if (opt)
		o = *opt;
	if (!open_mem(s, text, strlen(text), &o, &e)) {
		ok(0, "%s: reader_open", name);
		printf("#   code %d: %s\n", e.code, e.msg);
		fclose(s->f);
		s->f = NULL;
		return NULL;
	}
	show_cols(&b, s->r);
	ok(reader_format(s->r) == FORMAT_NDJSON && strcmp(b.data, cols) == 0,
	   "%s: NDJSON with columns %s", name, cols);
	if (reader_format(s->r) != FORMAT_NDJSON || strcmp(b.data, cols) != 0)
		printf("#   format %d, columns %s\n", reader_format(s->r), b.data);
	buf_free(&b);
	return s->r;
}

#define WITH_ND(s, text, opt, cols, name) \
	for (int with_once_ = (open_nd(&(s), text, opt, cols, name) != NULL); with_once_; \
	     with_once_ = 0, close_mem(&(s)))

static void test_ndjson_types(void)
{
	struct src s;

	WITH_ND(s,
		"{\"s\":\"x\",\"i\":42,\"r\":1.50,\"t\":true,\"f\":false,\"n\":null,\"e\":\"\"}\n"
		"{\"n\":7,\"e\":\"E\",\"f\":true,\"t\":false,\"r\":-0.5,\"i\":-3,\"s\":\"y\"}\n"
		"{\"s\":\"only\"}\n"
		"{\"r\":0.1,\"i\":0}\n"
		"{\"r\":1e21,\"i\":1E2}\n"
		"{\"r\":-0.0,\"i\":123456789012}\n"
		"{\"r\":1e-7,\"i\":-9223372036854775808}\n"
		"{\"r\":0.30000000000000004}\n"
		"{\"s\":\"a\\\"b\\\\c\\nd\\u0041\\u00e9\\ud834\\udd1e\"}\n"
		"{\"s\":\"NA\"}\n",
		NULL, "[s][i][r][t][f][n][e]", "types") {
		next_ok(s.r, "NDJSON types", 1, "[s:x][n:42][n:1.5][b:true][b:false][0:][s:]", 1);
		raw_is(s.r, "{\"s\":\"x\",\"i\":42,\"r\":1.50,\"t\":true,\"f\":false,\"n\":null,\"e\":\"\"}",
		       "NDJSON first record");
		next_ok(s.r, "keys in any order", 2, "[s:y][n:-3][n:-0.5][b:false][b:true][n:7][s:E]", 1);
		next_ok(s.r, "missing keys are null", 3, "[s:only][0:][0:][0:][0:][0:][0:]", 1);
		next_ok(s.r, "real 0.1 in shortest form", 4, "[0:][n:0][n:0.1][0:][0:][0:][0:]", 1);
		next_ok(s.r, "1e21 and 1E2", 5, "[0:][n:100][n:1e+21][0:][0:][0:][0:]", 1);
		next_ok(s.r, "-0.0 and a large int", 6, "[0:][n:123456789012][n:0][0:][0:][0:][0:]", 1);
		next_ok(s.r, "1e-7 and INT64_MIN", 7, "[0:][n:-9223372036854775808][n:1e-7][0:][0:][0:][0:]", 1);
		next_ok(s.r, "17-digit real", 8, "[0:][0:][n:0.30000000000000004][0:][0:][0:][0:]", 1);
		next_ok(s.r, "string escapes decoded", 9,
			"[s:a\"b\\c\\ndA\xC3\xA9\xF0\x9D\x84\x9E][0:][0:][0:][0:][0:][0:]", 1);
		next_ok(s.r, "the string NA", 10, "[s:NA][0:][0:][0:][0:][0:][0:]", 1);
		next_eof(s.r, "types");
	}
}

static void test_ndjson_bad(void)
{
	struct src s;

	WITH_ND(s,
		"{\"a\":1,\"b\":\"x\"}\n"
		"{\"a\":2,\"zz\":1}\n"
		"{\"a\":3}\n"
		"{\"a\":{\"x\":1}}\n"
		"{\"a\":4}\n"
		"{\"b\":[1,2]}\n"
		"{\"a\":5}\n"
		"{\"a\": }\n"
		"{\"a\":6}\n"
		"[1,2]\n"
		"42\n"
		"{\"a\":1,\"a\":2}\n"
		"{\"a\":\"x\\u0000y\"}\n"
		"{\"a\":\"\xC0\xAF\"}\n"
		"{\"a\":7} {\"a\":8}\n"
		"{\"a\":1e400}\n"
		"{\"a\":9}",
		NULL, "[a][b]", "bad NDJSON") {
		next_ok(s.r, "first record", 1, "[n:1][s:x]", 1);
		next_bad(s.r, "unknown key", 2, "unknown key", "\"zz\"");
		raw_is(s.r, "{\"a\":2,\"zz\":1}", "unknown key");
		next_ok(s.r, "after unknown key", 3, "[n:3][0:]", 1);
		next_bad(s.r, "nested object", 4, "nested value", "column \"a\"");
		next_ok(s.r, "after nested object", 5, "[n:4][0:]", 1);
		next_bad(s.r, "nested array", 6, "nested value", "column \"b\"");
		next_ok(s.r, "after nested array", 7, "[n:5][0:]", 1);
		next_bad(s.r, "invalid JSON", 8, "invalid JSON", "invalid JSON");
		next_ok(s.r, "after invalid JSON", 9, "[n:6][0:]", 1);
		next_bad(s.r, "an array record", 10, "not a JSON object", "object");
		/* jansson itself refuses a bare scalar as a JSON text */
		next_bad(s.r, "a number record", 11, "invalid JSON", "invalid JSON");
		next_bad(s.r, "duplicate key", 12, "invalid JSON", "duplicate");
		next_bad(s.r, "\\u0000 in a string", 13, "invalid JSON", "invalid JSON");
		next_bad(s.r, "invalid UTF-8", 14, "invalid JSON", "invalid JSON");
		next_bad(s.r, "two objects on one line", 15, "invalid JSON", "invalid JSON");
		next_bad(s.r, "1e400", 16, "invalid JSON", "invalid JSON");
		next_ok(s.r, "last line without newline", 17, "[n:9][0:]", 1);
		next_eof(s.r, "bad NDJSON");
	}
	WITH_ND(s, "{\"a\":1,\"a\":2}\n{\"a\":3}\n", NULL, "[a]", "duplicate key first") {
		next_bad(s.r, "duplicate key in the first record", 1, "invalid JSON", "duplicate");
		next_ok(s.r, "record after a duplicate-key first record", 2, "[n:3]", 1);
	}
}

static void test_ndjson_first_bad(void)
{
	struct src s;
	struct reader_options o = { 0 };
	static const char *const cols[] = { "a" };

	/* the first good record gives the columns */
	WITH_ND(s, "{bad\n{\"a\":1}\n{\"a\":2}\n", NULL, "[a]", "bad first record") {
		next_bad(s.r, "bad first record", 1, "invalid JSON", "invalid JSON");
		raw_is(s.r, "{bad", "bad first record");
		next_ok(s.r, "good record after a bad first record", 2, "[n:1]", 1);
		next_ok(s.r, "second good record after a bad first record", 3, "[n:2]", 1);
		next_eof(s.r, "bad first record");
	}
	o.ndjson_columns = cols;
	o.n_ndjson_columns = 1;
	WITH_ND(s, "{bad\n{\"a\":1}\n", &o, "[a]", "bad first record, declared columns") {
		next_bad(s.r, "bad first record (declared columns)", 1, "invalid JSON", "invalid JSON");
		next_ok(s.r, "good record after it (declared columns)", 2, "[n:1]", 1);
		next_eof(s.r, "bad first record, declared columns");
	}
	WITH_ND(s, "{\"a\":[1]}\n{\"a\":2}\n", NULL, "[a]", "nested first record") {
		next_bad(s.r, "nested value in the first record", 1, "nested value", "column \"a\"");
		next_ok(s.r, "record after a nested first record", 2, "[n:2]", 1);
	}
	WITH_ND(s, "{\"a\":\n", NULL, "", "only a bad record") {
		next_bad(s.r, "the only record is bad", 1, "invalid JSON", "invalid JSON");
		next_eof(s.r, "only a bad record");
	}
}

static void test_ndjson_layout(void)
{
	struct src s;
	struct reader_options o = { 0 };
	static const char *const cols[] = { "x", "y" };

	WITH_ND(s, "\n  \n{\"a\":1}\n\n\t \r\n{\"a\":2}\r\n{\"a\":3}\r\n\n", NULL, "[a]", "blank lines") {
		next_ok(s.r, "record after blank lines", 3, "[n:1]", 1);
		next_ok(s.r, "record after blank and CRLF lines", 6, "[n:2]", 1);
		raw_is(s.r, "{\"a\":2}", "CRLF NDJSON raw");
		next_ok(s.r, "CRLF NDJSON", 7, "[n:3]", 1);
		next_eof(s.r, "blank lines");
	}
	o.ndjson_columns = cols;
	o.n_ndjson_columns = 2;
	WITH_ND(s, "{\"y\":1,\"z\":\"q\"}\n{\"x\":true}\n{\"w\":1}\n", &o, "[x][y][z]", "ndjson_columns") {
		next_ok(s.r, "declared columns first, then the first record's", 1, "[0:][n:1][s:q]", 1);
		next_ok(s.r, "a declared column the first record lacked", 2, "[b:true][0:][0:]", 1);
		next_bad(s.r, "a key neither declared nor in the first record", 3, "unknown key", "\"w\"");
	}
	o.format = FORMAT_NDJSON;
	WITH_ND(s, "", &o, "[x][y]", "empty NDJSON with declared columns") {
		next_eof(s.r, "empty NDJSON");
	}
	o.format = FORMAT_AUTO;
	o.n_ndjson_columns = 0;
	o.ndjson_columns = NULL;
	o.max_record = 32;
	WITH_ND(s, "{\"a\":1}\n{\"a\":\"0123456789012345678901234567890123456789\"}\n{\"a\":2}\n",
		&o, "[a]", "NDJSON max_record") {
		next_ok(s.r, "short record", 1, "[n:1]", 1);
		next_bad(s.r, "NDJSON record over max_record", 2, "record too long", "longer than 32 bytes");
		next_ok(s.r, "record after an over-long one", 3, "[n:2]", 1);
	}
}

static void test_detection(void)
{
	struct src s;
	struct reader_options o = { 0 };

	WITH_ND(s, "  \n\t{\"a\":1}\n", NULL, "[a]", "leading whitespace") {
		next_ok(s.r, "NDJSON after leading whitespace", 2, "[n:1]", 1);
	}
	WITH_ND(s, "\xEF\xBB\xBF{\"a\":1}\n", NULL, "[a]", "BOM NDJSON") {
		next_ok(s.r, "NDJSON after a BOM", 1, "[n:1]", 1);
	}
	WITH_ND(s, "\xEF\xBB\xBF \r\n {\"a\":1}\n", NULL, "[a]", "BOM and whitespace NDJSON") {
		next_ok(s.r, "NDJSON after a BOM and blank lines", 2, "[n:1]", 1);
	}
	WITH(s, " a,b\n1,2\n", "[ a][b]", "CSV with a leading space") {
		next_ok(s.r, "CSV with a leading space", 2, "[1][2]", 0);
	}
	o.format = FORMAT_CSV;
	{
		struct adash_err e;
		struct buf b = BUF_INIT;
		const char *in = "{x},y\n1,2\n";

		if (open_mem(&s, in, strlen(in), &o, &e)) {
			show_cols(&b, s.r);
			ok(reader_format(s.r) == FORMAT_CSV && strcmp(b.data, "[{x}][y]") == 0,
			   "forced CSV: a '{' header is CSV");
			close_mem(&s);
		} else {
			ok(0, "forced CSV opens");
			fclose(s.f);
		}
		buf_free(&b);
	}
	is_int(format_from_name("csv"), FORMAT_CSV, "format_from_name csv");
	is_int(format_from_name("ndjson"), FORMAT_NDJSON, "format_from_name ndjson");
	is_int(format_from_name("json"), FORMAT_NDJSON, "format_from_name json");
	is_int(format_from_name("auto"), FORMAT_AUTO, "format_from_name auto");
	is_int(format_from_name("xml"), -1, "format_from_name xml");
}

static void test_missing(void)
{
	struct field f;

	f = (struct field){ "", 0, FIELD_TEXT };
	ok(field_is_missing(&f), "empty text is missing");
	f = (struct field){ "NA", 2, FIELD_TEXT };
	ok(field_is_missing(&f), "NA is missing");
	f = (struct field){ "", 0, FIELD_NULL };
	ok(field_is_missing(&f), "null is missing");
	f = (struct field){ "NAN", 3, FIELD_TEXT };
	ok(!field_is_missing(&f), "NAN is not missing");
	f = (struct field){ "na", 2, FIELD_TEXT };
	ok(!field_is_missing(&f), "na is not missing");
	f = (struct field){ " ", 1, FIELD_TEXT };
	ok(!field_is_missing(&f), "a space is not missing (the reader does not trim)");
}

static void test_flag(void)
{
	static const struct {
		const char *s;
		int want;   /* -1: not a flag */
	} cases[] = {
		{ "0", 0 }, { "1", 1 }, { "1.0", 1 }, { "0e3", 0 }, { "true", 1 }, { "false", 0 },
		{ "2", -1 }, { "0.5", -1 }, { "TRUE", -1 }, { "yes", -1 }, { "", -1 }, { "NA", -1 },
		{ " 1", -1 }
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct field f = { cases[i].s, strlen(cases[i].s), FIELD_TEXT };
		int v = 7, rc = field_flag(&f, &v);

		ok(cases[i].want < 0 ? rc == -1 : rc == 0 && v == cases[i].want,
		   "field_flag(\"%s\"): %s", cases[i].s,
		   cases[i].want < 0 ? "not a flag" : cases[i].want ? "1" : "0");
	}
}

/* Run last: a first record that is JSON but not an object once made the
 * reader use freed memory (a crash under AddressSanitizer would hide the
 * checks after it). */
static void test_ndjson_first_not_object(void)
{
	struct src s;
	struct reader_options o = { 0 };

	WITH_ND(s, "{x\n\n[1]\n{\"b\":1,\"c\":2}\n{\"c\":3}\n", NULL, "[b][c]", "two bad first records") {
		next_bad(s.r, "bad first record 1 of 2", 1, "invalid JSON", "invalid JSON");
		next_bad(s.r, "bad first record 2 of 2", 3, "not a JSON object", "object");
		next_ok(s.r, "the first good record after two bad ones", 4, "[n:1][n:2]", 1);
		next_ok(s.r, "the next record", 5, "[0:][n:3]", 1);
		next_eof(s.r, "two bad first records");
	}
	o.format = FORMAT_NDJSON;   /* '[' would be detected as CSV */
	WITH_ND(s, "[1]\n{\"a\":1}\n", &o, "[a]", "an array first") {
		next_bad(s.r, "an array as the first record", 1, "not a JSON object", "object");
		next_ok(s.r, "the record after an array first", 2, "[n:1]", 1);
	}
}

int main(void)
{
	test_csv_basic();
	test_csv_quoting();
	test_csv_multiline();
	test_csv_line_ends();
	test_csv_bom_delims();
	test_csv_header_only_and_empty();
	test_csv_malformed();
	test_csv_long_records();
	test_csv_many_rows();
	test_files();
	test_ndjson_types();
	test_ndjson_bad();
	test_ndjson_first_bad();
	test_ndjson_layout();
	test_detection();
	test_missing();
	test_flag();
	test_ndjson_first_not_object();
	return tap_done();
}
