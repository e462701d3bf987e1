/* writer: see writer.h. */
#include "writer.h"
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
	int *json_type;
};

struct writer *writer_new(FILE *out, int format, char delimiter, int header)
{
	struct writer *w = xcalloc(1, sizeof *w);

	w->out = out;
	w->format = format == FORMAT_NDJSON ? FORMAT_NDJSON : FORMAT_CSV;
	w->delim = delimiter ? delimiter : ',';
	w->header = header;
	return w;
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ncols && w->json_keys; i++)
		free(w->json_keys[i]);
	free(w->json_keys);
	free(w->json_type);
	free(w);
}

int writer_format(const struct writer *w) { return w->format; }

static int csv_needs_quotes(const char *s, size_t n, char delim)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == delim || c == '"' || c == '\n' || c == '\r')
			return 1;
	}
	return 0;
}

static void csv_field(struct writer *w, const char *s, size_t n)
{
	if ((n == 0 && w->ncols == 1) || csv_needs_quotes(s, n, w->delim))
		csv_fwrite(w->out, s, n);
	else
		fwrite(s, 1, n, w->out);
}

/* Writes s as a JSON string: as is when nothing needs escaping, else through
 * jansson. */
static void json_string_out(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	if (i == n) {
		putc('"', out);
		fwrite(s, 1, n, out);
		putc('"', out);
		return;
	}
	json_t *j = json_stringn_nocheck(s, n);
	if (!j)
		xalloc_die();
	if (json_dumpf(j, out, JSON_ENCODE_ANY) != 0)
		xalloc_die();
	json_decref(j);
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
			free(k);
		}
		return;
	}
	if (!w->header)
		return;
	for (size_t i = 0; i < ncols; i++) {
		if (i)
			putc(w->delim, w->out);
		csv_field(w, names[i], strlen(names[i]));
	}
	putc('\n', w->out);
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
		return num_is_canonical(f->s, f->len);
	case FIELD_STRING:
	case FIELD_BOOL:
	case FIELD_NULL:
	default:
		return 0;
	}
}

void writer_row(struct writer *w, const struct field *fields)
{
	size_t i;

	if (w->format == FORMAT_CSV) {
		for (i = 0; i < w->ncols; i++) {
			if (i)
				putc(w->delim, w->out);
			csv_field(w, fields[i].s, fields[i].len);
		}
		putc('\n', w->out);
		return;
	}
	putc('{', w->out);
	for (i = 0; i < w->ncols; i++) {
		const struct field *f = &fields[i];

		if (i)
			putc(',', w->out);
		fputs(w->json_keys[i], w->out);
		if (field_is_missing(f))
			fputs("null", w->out);
		else if (f->kind == FIELD_BOOL && w->json_type[i] == COLUMN_AUTO)
			fwrite(f->s, 1, f->len, w->out);
		else if (json_as_number(w->json_type[i], f))
			fwrite(f->s, 1, f->len, w->out);
		else
			json_string_out(w->out, f->s, f->len);
	}
	fputs("}\n", w->out);
}
