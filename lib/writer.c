/* writer: see writer.h. */
#include "writer.h"
#include "buf.h"
#include "num.h"
#include "xalloc.h"

#include <csv.h>
#include <jansson.h>
#include <string.h>

struct writer {
	FILE *out;
	int format;
	char delim;
	int header;
	size_t ncols;
	char **json_keys;   /* "\"name\":" already escaped, one per column */
	size_t *json_key_len;
	int *json_type;
	struct buf line;    /* the row being assembled: one fwrite per row */
	unsigned char special[256]; /* bytes that make a CSV field need quotes */
};

struct writer *writer_new(FILE *out, int format, char delimiter, int header)
{
	struct writer *w = xcalloc(1, sizeof *w);

	w->out = out;
	w->format = format == FORMAT_NDJSON ? FORMAT_NDJSON : FORMAT_CSV;
	w->delim = delimiter ? delimiter : ',';
	w->header = header;
	w->special[(unsigned char)w->delim] = 1;
	w->special['"'] = 1;
	w->special['\r'] = 1;
	w->special['\n'] = 1;
	return w;
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ncols && w->json_keys; i++)
		free(w->json_keys[i]);
	free(w->json_keys);
	free(w->json_key_len);
	free(w->json_type);
	buf_free(&w->line);
	free(w);
}

int writer_format(const struct writer *w) { return w->format; }

static int csv_needs_quotes(const struct writer *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w->special[(unsigned char)s[i]])
			return 1;
	return 0;
}

static void csv_field(struct writer *w, const char *s, size_t n)
{
	if ((n == 0 && w->ncols == 1) || csv_needs_quotes(w, s, n)) {
		/* libcsv quotes and doubles quotes; at most 2n + 2 bytes */
		buf_reserve(&w->line, 2 * n + 2);
		w->line.len += csv_write(w->line.data + w->line.len, 2 * n + 2, s, n);
		w->line.data[w->line.len] = '\0';
	} else {
		buf_add(&w->line, s, n);
	}
}

/* Appends s as a JSON string: as is when nothing needs escaping, else
 * escaped by jansson. */
static void json_string_out(struct buf *b, const char *s, size_t n)
{
	size_t i, need;
	json_t *j;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	if (i == n) {
		buf_reserve(b, n + 2);
		b->data[b->len++] = '"';
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len++] = '"';
		b->data[b->len] = '\0';
		return;
	}
	j = json_stringn_nocheck(s, n);
	if (!j)
		xalloc_die();
	need = json_dumpb(j, NULL, 0, JSON_ENCODE_ANY);
	buf_reserve(b, need);
	b->len += json_dumpb(j, b->data + b->len, need, JSON_ENCODE_ANY);
	b->data[b->len] = '\0';
	json_decref(j);
}

/* Appends number text.  An integer beyond int64 is written with ".0":
 * jansson reads integers as int64 and refuses larger ones, but reads
 * "1e20" or "100000000000000000000.0" as the same double, so the value
 * survives the round trip (num_format writes it back without the ".0"). */
static void json_number_out(struct buf *b, const char *s, size_t n)
{
	size_t i = s[0] == '-', digits = n - i;
	int integer = digits > 0;

	for (size_t k = i; k < n && integer; k++)
		integer = s[k] >= '0' && s[k] <= '9';
	buf_add(b, s, n);
	/* int64 runs from -9223372036854775808 to 9223372036854775807 */
	if (integer && (digits > 19 || (digits == 19 &&
			memcmp(s + i, i ? "9223372036854775808" : "9223372036854775807", 19) > 0)))
		buf_add(b, ".0", 2);
}

void writer_columns(struct writer *w, size_t ncols, const char *const *names,
		    const int *json)
{
	w->ncols = ncols;
	w->json_type = xcalloc(ncols ? ncols : 1, sizeof *w->json_type);
	if (json)
		memcpy(w->json_type, json, ncols * sizeof *json);
	if (w->format == FORMAT_NDJSON) {
		w->json_keys = xcalloc(ncols ? ncols : 1, sizeof *w->json_keys);
		w->json_key_len = xcalloc(ncols ? ncols : 1, sizeof *w->json_key_len);
		for (size_t i = 0; i < ncols; i++) {
			json_t *j = json_string(names[i]);
			char *k;
			size_t n;

			if (!j)
				xalloc_die();
			k = json_dumps(j, JSON_ENCODE_ANY);
			json_decref(j);
			if (!k)
				xalloc_die();
			n = strlen(k);
			w->json_keys[i] = xmalloc(n + 2);
			memcpy(w->json_keys[i], k, n);
			w->json_keys[i][n] = ':';
			w->json_keys[i][n + 1] = '\0';
			w->json_key_len[i] = n + 1;
			free(k);
		}
		return;
	}
	if (!w->header)
		return;
	buf_reset(&w->line);
	for (size_t i = 0; i < ncols; i++) {
		const char *name = names[i];

		if (i)
			buf_addch(&w->line, w->delim);
		while (i == 0 && (*name == ' ' || *name == '\t'))
			name++;
		/* A file whose first byte is '{' is read as NDJSON: quote a
		 * first column name that would start it so. */
		if (i == 0 && *name == '{') {
			size_t n = strlen(names[0]);
			buf_reserve(&w->line, 2 * n + 2);
			w->line.len += csv_write(w->line.data + w->line.len, 2 * n + 2, names[0], n);
			w->line.data[w->line.len] = '\0';
			continue;
		}
		csv_field(w, names[i], strlen(names[i]));
	}
	buf_addch(&w->line, '\n');
	fwrite(w->line.data, 1, w->line.len, w->out);
}

/* An integer in int64 range without a sign or leading zeros that would
 * change its text ("-7" yes, "007" and "+7" no): jansson reads it back
 * exactly, so it is a number even beyond 2^53. */
static int is_int64_text(const char *s, size_t n)
{
	size_t i = n > 0 && s[0] == '-', digits = n - i;

	if (digits == 0 || digits > 19 || (s[i] == '0' && digits > 1) || (i && s[i] == '0'))
		return 0;
	for (size_t k = i; k < n; k++)
		if (s[k] < '0' || s[k] > '9')
			return 0;
	return digits < 19 ||
	       memcmp(s + i, i ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

static int json_as_number(int type, const struct field *f)
{
	switch (type) {
	case COLUMN_NUMBER:
		return 1;
	case COLUMN_STRING:
		return 0;
	default:
		break;
	}
	switch (f->kind) {
	case FIELD_NUMBER:
		return 1;
	case FIELD_TEXT:
		return num_is_canonical(f->s, f->len) || is_int64_text(f->s, f->len);
	case FIELD_STRING:
	case FIELD_BOOL:
	case FIELD_NULL:
	default:
		return 0;
	}
}

void writer_row(struct writer *w, const struct field *fields)
{
	struct buf *b = &w->line;
	size_t i;

	buf_reset(b);
	if (w->format == FORMAT_CSV) {
		for (i = 0; i < w->ncols; i++) {
			if (i)
				buf_addch(b, w->delim);
			csv_field(w, fields[i].s, fields[i].len);
		}
	} else {
		buf_addch(b, '{');
		for (i = 0; i < w->ncols; i++) {
			const struct field *f = &fields[i];

			if (i)
				buf_addch(b, ',');
			buf_add(b, w->json_keys[i], w->json_key_len[i]);
			if (field_is_missing(f))
				buf_add(b, "null", 4);
			else if (f->kind == FIELD_BOOL && w->json_type[i] == COLUMN_AUTO)
				buf_add(b, f->s, f->len);
			else if (json_as_number(w->json_type[i], f))
				json_number_out(b, f->s, f->len);
			else
				json_string_out(b, f->s, f->len);
		}
		buf_addch(b, '}');
	}
	buf_addch(b, '\n');
	fwrite_unlocked(b->data, 1, b->len, w->out);
}
