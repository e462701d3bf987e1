/*
 * Unit tests of lib/writer: CSV quoting only where needed, the header and
 * --no-header, NDJSON escaping and number/string decisions.  Output goes to a
 * tmpfile() and is compared byte for byte; a final round trip reads the
 * output back through lib/reader.
 */
#include "writer.h"
#include "reader.h"
#include "buf.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T(str) { str, sizeof str - 1, FIELD_TEXT }
#define S(str) { str, sizeof str - 1, FIELD_STRING }
#define N(str) { str, sizeof str - 1, FIELD_NUMBER }
#define B(str) { str, sizeof str - 1, FIELD_BOOL }
#define NUL_FIELD { "", 0, FIELD_NULL }

/* Reads everything written to f. */
static char *slurp(FILE *f, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	fflush(f);
	rewind(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (!b.data)
		buf_addstr(&b, "");
	return buf_detach(&b, len);
}

/* Escapes control characters for a readable diagnostic. */
static struct buf vis;

static const char *visible(const char *s)
{
	buf_reset(&vis);
	for (; *s; s++) {
		if (*s == '\n')
			buf_addstr(&vis, "\\n");
		else if (*s == '\r')
			buf_addstr(&vis, "\\r");
		else if (*s == '\t')
			buf_addstr(&vis, "\\t");
		else if ((unsigned char)*s < 0x20)
			buf_printf(&vis, "\\x%02x", (unsigned char)*s);
		else
			buf_addch(&vis, *s);
	}
	if (!vis.data)
		buf_addstr(&vis, "");
	return vis.data;
}

/* Writes rows with the given set-up and compares all the output bytes. */
static void check_output(int format, char delim, int header, size_t ncols,
			 const char *const *names, const int *json, const struct field *rows,
			 size_t nrows, const char *want, const char *what)
{
	FILE *f = tmpfile();
	struct writer *w;
	char *got;
	size_t len;

	if (!f) {
		ok(0, "%s: tmpfile", what);
		return;
	}
	w = writer_new(f, format, delim, header);
	writer_columns(w, ncols, names, json);
	for (size_t i = 0; i < nrows; i++)
		writer_row(w, rows + i * ncols);
	writer_free(w);
	got = slurp(f, &len);
	ok(len == strlen(want) && memcmp(got, want, len) == 0, "%s", what);
	if (!(len == strlen(want) && memcmp(got, want, len) == 0)) {
		printf("#   got:  \"%s\"\n", visible(got));
		printf("#   want: \"%s\"\n", visible(want));
	}
	free(got);
	fclose(f);
}

/* ---- CSV ---------------------------------------------------------------- */

static void test_csv(void)
{
	static const char *const abc[] = { "a", "b", "c" };
	static const char *const one[] = { "only" };
	static const char *const odd[] = { "x,y", "q\"uote", "plain" };

	{
		struct field r[] = { T("x"), T("y"), T("z"), T("1"), T("2.5"), T("-3") };
		check_output(FORMAT_CSV, 0, 1, 3, abc, NULL, r, 2, "a,b,c\nx,y,z\n1,2.5,-3\n",
			     "CSV: plain fields are not quoted, LF line ends");
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 2, "x,y,z\n1,2.5,-3\n",
			     "CSV: no header (--no-header)");
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 0, "",
			     "CSV: no header and no rows write nothing");
		check_output(FORMAT_CSV, 0, 1, 3, abc, NULL, r, 0, "a,b,c\n",
			     "CSV: the header is written with no rows");
	}
	{
		struct field r[] = { T("a,b"), T("say \"hi\""), T("l1\nl2") };
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 1,
			     "\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\"\n",
			     "CSV: delimiter, quote and LF are quoted, quotes doubled");
	}
	{
		struct field r[] = { T("cr\r"), T("\r\n"), T("\"") };
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 1, "\"cr\r\",\"\r\n\",\"\"\"\"\n",
			     "CSV: CR and CRLF are quoted; a lone quote");
	}
	{
		struct field r[] = { T(" lead"), T("trail "), T("in side") };
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 1, " lead,trail ,in side\n",
			     "CSV: spaces alone do not need quotes");
	}
	{
		struct field r[] = { T("h\xC3\xA9"), T("\xE2\x82\xAC"), T("semi;colon\ttab'apos") };
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 1,
			     "h\xC3\xA9,\xE2\x82\xAC,semi;colon\ttab'apos\n",
			     "CSV: UTF-8, other delimiters and apostrophes are not quoted");
	}
	{
		struct field r[] = { T(""), T(""), T(""), T("x"), NUL_FIELD, T("") };
		check_output(FORMAT_CSV, 0, 0, 3, abc, NULL, r, 2, ",,\nx,,\n",
			     "CSV: empty values are not quoted with several columns; null is empty");
	}
	{
		struct field r[] = { T(""), T("v"), NUL_FIELD, T("a,b") };
		check_output(FORMAT_CSV, 0, 1, 1, one, NULL, r, 4, "only\n\"\"\nv\n\"\"\n\"a,b\"\n",
			     "CSV: a single column quotes an empty value (not a blank line)");
	}
	{
		struct field r[] = { T("1") , T("2"), T("3") };
		check_output(FORMAT_CSV, 0, 1, 3, odd, NULL, r, 1, "\"x,y\",\"q\"\"uote\",plain\n1,2,3\n",
			     "CSV: header names are quoted like values");
	}
	{
		struct field r[] = { T("1,5"), T("x;y"), T("a\tb") };
		check_output(FORMAT_CSV, ';', 1, 3, abc, NULL, r, 1, "a;b;c\n1,5;\"x;y\";a\tb\n",
			     "CSV -d ';': commas are data, semicolons are quoted");
		check_output(FORMAT_CSV, '\t', 1, 3, abc, NULL, r, 1, "a\tb\tc\n1,5\tx;y\t\"a\tb\"\n",
			     "CSV -d tab: tabs are quoted, commas are not");
	}
	{
		FILE *f = tmpfile();
		struct writer *w = writer_new(f, FORMAT_CSV, 0, 1);
		is_int(writer_format(w), FORMAT_CSV, "writer_format CSV");
		writer_free(w);
		w = writer_new(f, FORMAT_NDJSON, 0, 1);
		is_int(writer_format(w), FORMAT_NDJSON, "writer_format NDJSON");
		writer_free(w);
		w = writer_new(f, FORMAT_AUTO, 0, 1);
		is_int(writer_format(w), FORMAT_CSV, "writer_format AUTO is CSV");
		writer_free(w);
		writer_free(NULL);
		ok(1, "writer_free(NULL) is harmless");
		fclose(f);
	}
}

static void test_csv_long(void)
{
	static const char *const ab[] = { "a", "b" };
	struct buf v = BUF_INIT, want = BUF_INIT;
	FILE *f = tmpfile();
	struct writer *w;
	char *got;
	size_t len;

	/* 100,000 quotes: the quoted form is twice as long, plus two */
	for (int i = 0; i < 100000; i++)
		buf_addch(&v, '"');
	{
		struct field r[2] = { { v.data, v.len, FIELD_TEXT }, T("z") };
		w = writer_new(f, FORMAT_CSV, 0, 0);
		writer_columns(w, 2, ab, NULL);
		writer_row(w, r);
		writer_row(w, r);
		writer_free(w);
	}
	buf_addch(&want, '"');
	for (int i = 0; i < 200000; i++)
		buf_addch(&want, '"');
	buf_addstr(&want, "\",z\n");
	got = slurp(f, &len);
	ok(len == 2 * want.len && memcmp(got, want.data, want.len) == 0 &&
	   memcmp(got + want.len, want.data, want.len) == 0,
	   "CSV: a 100,000-quote field is doubled and quoted, twice");
	free(got);
	fclose(f);
	buf_free(&v);
	buf_free(&want);
}

/* ---- NDJSON ---------------------------------------------------------------- */

static void test_ndjson(void)
{
	static const char *const abc[] = { "a", "b", "c" };
	static const char *const one[] = { "v" };
	static const char *const odd[] = { "we\"ird", "back\\slash", "new\nline" };

	{
		struct field r[] = { S("x"), N("1.5"), B("true"), S("y"), N("-2"), B("false") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, NULL, r, 2,
			     "{\"a\":\"x\",\"b\":1.5,\"c\":true}\n{\"a\":\"y\",\"b\":-2,\"c\":false}\n",
			     "NDJSON: strings quoted, numbers and bools raw, keys in column order");
		check_output(FORMAT_NDJSON, 0, 0, 3, abc, NULL, r, 1,
			     "{\"a\":\"x\",\"b\":1.5,\"c\":true}\n",
			     "NDJSON: the header flag does not matter");
	}
	{
		struct field r[] = { S("say \"hi\""), S("back\\slash"), S("a/b") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, NULL, r, 1,
			     "{\"a\":\"say \\\"hi\\\"\",\"b\":\"back\\\\slash\",\"c\":\"a/b\"}\n",
			     "NDJSON: quotes and backslashes escaped, slash not");
	}
	{
		/* (digits only in the \\u escapes: jansson writes hex in upper case) */
		struct field r[] = { S("l1\nl2\r\t"), S("\x01\x10"), S("\x7f") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, NULL, r, 1,
			     "{\"a\":\"l1\\nl2\\r\\t\",\"b\":\"\\u0001\\u0010\",\"c\":\"\x7f\"}\n",
			     "NDJSON: control characters escaped, DEL passed through");
	}
	{
		struct field r[] = { S("h\xC3\xA9"), S("\xE2\x82\xAC \"q\""), S("\xF0\x9D\x84\x9E") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, NULL, r, 1,
			     "{\"a\":\"h\xC3\xA9\",\"b\":\"\xE2\x82\xAC \\\"q\\\"\",\"c\":\"\xF0\x9D\x84\x9E\"}\n",
			     "NDJSON: UTF-8 passes through unescaped, also next to escapes");
	}
	{
		struct field r[] = { T("1"), T("2"), T("3") };
		check_output(FORMAT_NDJSON, 0, 1, 3, odd, NULL, r, 1,
			     "{\"we\\\"ird\":1,\"back\\\\slash\":2,\"new\\nline\":3}\n",
			     "NDJSON: keys are escaped");
	}
	{
		/* FIELD_TEXT: a number only when in canonical form */
		static const char *const k[] = { "t" };
		static const struct {
			const char *in, *out;
		} cases[] = {
			{ "7", "7" }, { "007", "\"007\"" }, { "-0", "\"-0\"" }, { "0", "0" },
			{ "1.50", "\"1.50\"" }, { "1.5", "1.5" }, { "1e3", "\"1e3\"" },
			{ "1e+21", "1e+21" }, { "0.1", "0.1" }, { "-2.5", "-2.5" }, { ".5", "\".5\"" },
			{ "+1", "\"+1\"" }, { "abc", "\"abc\"" }, { "NaN", "\"NaN\"" },
			{ "Infinity", "\"Infinity\"" }, { " 7", "\" 7\"" }, { "7 ", "\"7 \"" },
			{ "1,5", "\"1,5\"" }, { "0x10", "\"0x10\"" }, { "true", "\"true\"" },
			{ "123456789012345678901234567890", "\"123456789012345678901234567890\"" },
			{ "0.30000000000000004", "0.30000000000000004" },
			{ "2024-01-01", "\"2024-01-01\"" },
		};
		for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
			struct field r[1] = { { cases[i].in, strlen(cases[i].in), FIELD_TEXT } };
			char want[128], what[160];
			snprintf(want, sizeof want, "{\"t\":%s}\n", cases[i].out);
			snprintf(what, sizeof what, "NDJSON auto, text \"%s\" -> %s", cases[i].in, cases[i].out);
			check_output(FORMAT_NDJSON, 0, 1, 1, k, NULL, r, 1, want, what);
		}
	}
	{
		struct field r[] = { S("7"), N("7"), B("true") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, NULL, r, 1,
			     "{\"a\":\"7\",\"b\":7,\"c\":true}\n",
			     "NDJSON auto: FIELD_STRING \"7\" stays a string, FIELD_NUMBER 7 a number");
	}
	{
		static const int str[] = { COLUMN_STRING, COLUMN_STRING, COLUMN_STRING };
		struct field r[] = { N("7"), B("true"), T("1.5") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, str, r, 1,
			     "{\"a\":\"7\",\"b\":\"true\",\"c\":\"1.5\"}\n",
			     "NDJSON COLUMN_STRING: numbers, bools and numeric text become strings");
	}
	{
		static const int num[] = { COLUMN_NUMBER, COLUMN_NUMBER, COLUMN_NUMBER };
		struct field r[] = { T("7"), S("12"), T("1") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, num, r, 1, "{\"a\":7,\"b\":12,\"c\":1}\n",
			     "NDJSON COLUMN_NUMBER: number text is written raw whatever its kind");
	}
	{
		static const int mixed[] = { COLUMN_NUMBER, COLUMN_STRING, COLUMN_AUTO };
		struct field r[] = { NUL_FIELD, T(""), T("NA"), T(""), NUL_FIELD, S("") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, mixed, r, 2,
			     "{\"a\":null,\"b\":null,\"c\":null}\n{\"a\":null,\"b\":null,\"c\":null}\n",
			     "NDJSON: missing values (null, empty, NA) are null in every column type");
	}
	{
		/* integers beyond int64 get ".0" so that JSON readers keep them */
		static const int num[] = { COLUMN_NUMBER, COLUMN_NUMBER, COLUMN_AUTO };
		struct field r[] = { T("12345678901234567890"), T("-9223372036854775809"), N("100000000000000000000"),
				     T("9223372036854775807"), T("-9223372036854775808"), N("1e+21") };
		check_output(FORMAT_NDJSON, 0, 1, 3, abc, num, r, 2,
			     "{\"a\":12345678901234567890.0,\"b\":-9223372036854775809.0,\"c\":100000000000000000000.0}\n"
			     "{\"a\":9223372036854775807,\"b\":-9223372036854775808,\"c\":1e+21}\n",
			     "NDJSON: integers beyond int64 are written with .0, int64 itself as it is");
	}
	{
		struct field r[] = { T("x") };
		check_output(FORMAT_NDJSON, 0, 1, 1, one, NULL, r, 1, "{\"v\":\"x\"}\n",
			     "NDJSON: one column");
		check_output(FORMAT_NDJSON, 0, 1, 0, one, NULL, r, 2, "{}\n{}\n",
			     "NDJSON: no columns gives empty objects");
	}
}

/* Writes tricky values and reads them back with the reader. */
static void test_roundtrip(void)
{
	static const char *const names[] = { "id", "text", "num" };
	static const struct field rows[] = {
		T("1"), T("a,b"), T("1.5"),
		T("2"), T("say \"hi\"\nnext line"), T("007"),
		T("3"), T(""), T("-0"),
		T("4"), T("cr\r\nlf"), T("1e+21"),
		T("5"), T("h\xC3\xA9 \xE2\x82\xAC\t\\"), T("x"),
	};
	const size_t nrows = sizeof rows / sizeof *rows / 3;

	for (int format = FORMAT_CSV; format <= FORMAT_NDJSON; format++) {
		FILE *f = tmpfile();
		struct writer *w = writer_new(f, format, 0, 1);
		struct reader *r;
		struct adash_err e;
		const struct field *rec;
		int same = 1;
		size_t n = 0;

		writer_columns(w, 3, names, NULL);
		for (size_t i = 0; i < nrows; i++)
			writer_row(w, rows + 3 * i);
		writer_free(w);
		fflush(f);
		rewind(f);
		r = reader_open_fd(fileno(f), "rt", NULL, &e);
		if (!r) {
			ok(0, "%s round trip: reader_open: %s", format_name(format), e.msg);
			fclose(f);
			continue;
		}
		is_int(reader_format(r), format, "%s round trip: detected as written", format_name(format));
		while (reader_next(r, &rec, &e) == READ_OK) {
			for (size_t c = 0; c < 3 && n < nrows; c++) {
				const struct field *want = &rows[3 * n + c];
				/* the empty value comes back as null in NDJSON */
				if (rec[c].len != want->len || memcmp(rec[c].s, want->s, want->len) != 0) {
					same = 0;
					printf("# row %zu column %zu: \"%s\"\n", n, c, visible(rec[c].s));
				}
			}
			n++;
		}
		ok(same && n == nrows && e.code == 0, "%s: written rows read back the same (%zu rows)",
		   format_name(format), n);
		reader_close(r);
		fclose(f);
	}
}

int main(void)
{
	test_csv();
	test_csv_long();
	test_ndjson();
	test_roundtrip();
	buf_free(&vis);
	return tap_done();
}
