/* infer: see infer.h. */
#include "infer.h"
#include "reader.h"
#include "num.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void infer_init(struct inferrer *in, const char *const *names, size_t ncols)
{
	in->ncols = ncols;
	in->cols = xcalloc(ncols ? ncols : 1, sizeof *in->cols);
	for (size_t i = 0; i < ncols; i++) {
		struct infer_column *c = &in->cols[i];
		c->name = xstrdup(names[i]);
		c->fits_bool = c->fits_int = c->fits_number = 1;
		c->fits_date = c->fits_timestamp = 1;
		hashmap_init(&c->distinct);
	}
}

/* Probe columns: a value fits a type when ingest would accept it as that
 * type, so an inferred schema never refuses the data it came from. */
static const struct schema_column probes[] = {
	{ .name = "bool", .type = TYPE_BOOL },
	{ .name = "int", .type = TYPE_INT },
	{ .name = "number", .type = TYPE_NUMBER },
	{ .name = "date", .type = TYPE_DATE },
	{ .name = "timestamp", .type = TYPE_TIMESTAMP },
};

static int fits(const struct schema_column *probe, const struct field *f, struct buf *scratch)
{
	struct field res;
	char why[160];

	return schema_normalize_field(probe, f, scratch, &res, why, sizeof why) >= 0;
}

void infer_row(struct inferrer *in, const struct field *row)
{
	struct buf scratch = BUF_INIT;

	for (size_t i = 0; i < in->ncols; i++) {
		struct infer_column *c = &in->cols[i];
		struct field f = row[i];
		double v;

		field_trim(&f.s, &f.len);
		if (field_is_missing(&f)) {
			c->missing++;
			continue;
		}
		c->present++;
		if (c->fits_bool && !fits(&probes[0], &f, &scratch))
			c->fits_bool = 0;
		if (c->fits_int && !fits(&probes[1], &f, &scratch))
			c->fits_int = 0;
		if (c->fits_number && !fits(&probes[2], &f, &scratch))
			c->fits_number = 0;
		if (c->fits_number && num_parse(f.s, f.len, &v) == 0) {
			if (!c->have_min || v < c->min)
				c->min = v;
			c->have_min = 1;
		}
		if (c->fits_date && !fits(&probes[3], &f, &scratch))
			c->fits_date = 0;
		if (c->fits_timestamp && !fits(&probes[4], &f, &scratch))
			c->fits_timestamp = 0;
		if (hashmap_count(&c->distinct) <= ENUM_MAX)
			hashmap_put(&c->distinct, f.s, f.len, NULL);
	}
	buf_free(&scratch);
}

void infer_schema(const struct inferrer *in, const char *name, struct schema *out)
{
	memset(out, 0, sizeof *out);
	out->name = xstrdup(name);
	out->ncols = in->ncols;
	out->cols = xcalloc(in->ncols ? in->ncols : 1, sizeof *out->cols);
	out->names = xcalloc(in->ncols + 1, sizeof *out->names);
	for (size_t i = 0; i < in->ncols; i++) {
		const struct infer_column *c = &in->cols[i];
		struct schema_column *s = &out->cols[i];
		size_t nd = hashmap_count(&c->distinct);

		s->name = xstrdup(c->name);
		out->names[i] = s->name;
		s->required = c->present > 0 && c->missing == 0;
		if (c->present == 0)
			s->type = TYPE_STRING;
		else if (c->fits_bool)
			s->type = TYPE_BOOL;
		else if (c->fits_int)
			s->type = TYPE_INT;
		else if (c->fits_number)
			s->type = TYPE_NUMBER;
		else if (c->fits_date)
			s->type = TYPE_DATE;
		else if (c->fits_timestamp)
			s->type = TYPE_TIMESTAMP;
		else if (nd <= ENUM_MAX && c->present >= (uint64_t)nd * ENUM_REPEAT)
			s->type = TYPE_ENUM;
		else
			s->type = TYPE_STRING;
		if ((s->type == TYPE_INT || s->type == TYPE_NUMBER) && c->have_min && c->min >= 0) {
			s->has_min = 1;
			s->min = 0;
		}
		if (s->type == TYPE_ENUM) {
			/* enums match without regard to case: "x" and "X"
			 * are one value, spelled as first seen */
			s->values = xcalloc(nd, sizeof *s->values);
			for (size_t k = 0; k < nd; k++) {
				const char *v = hashmap_at(&c->distinct, k)->key;
				size_t j;
				for (j = 0; j < s->nvalues && strcasecmp(s->values[j], v) != 0; j++)
					;
				if (j == s->nvalues)
					s->values[s->nvalues++] = xstrdup(v);
			}
		}
	}
}

void infer_free(struct inferrer *in)
{
	for (size_t i = 0; i < in->ncols; i++) {
		free(in->cols[i].name);
		hashmap_free(&in->cols[i].distinct, NULL);
	}
	free(in->cols);
}

/* Reads every input, one after the other, and prints the inferred schema. */
int infer_run(char *const *inputs, const struct reader_options *ropt, FILE *out,
	      struct adash_err *e)
{
	struct inferrer inf;
	struct schema s;
	int started = 0;
	char *json;

	for (size_t i = 0; inputs[i]; i++) {
		struct reader *r = reader_open(inputs[i], ropt, e);
		const struct field *rec;
		int st;

		if (!r)
			goto fail;
		if (!started) {
			const char **names = xcalloc(reader_ncols(r) + 1, sizeof *names);
			for (size_t k = 0; k < reader_ncols(r); k++)
				names[k] = reader_colname(r, k);
			infer_init(&inf, names, reader_ncols(r));
			free(names);
			started = 1;
		} else {
			int same = reader_ncols(r) == inf.ncols;
			for (size_t k = 0; same && k < inf.ncols; k++)
				same = strcmp(reader_colname(r, k), inf.cols[k].name) == 0;
			if (!same) {
				err_at(e, ADASH_EDATA, reader_name(r), 0, NULL,
				       "columns differ from the first input's; --infer needs the same columns in the same order");
				reader_close(r);
				goto fail;
			}
		}
		while ((st = reader_next(r, &rec, e)) != READ_EOF) {
			if (st != READ_OK) {
				reader_close(r);
				goto fail;
			}
			infer_row(&inf, rec);
		}
		reader_close(r);
	}
	if (inf.ncols == 0) {
		err_set(e, ADASH_EDATA, "%s: no columns to infer a schema from (empty input)",
			strcmp(inputs[0], "-") == 0 ? "(stdin)" : inputs[0]);
		goto fail;
	}
	infer_schema(&inf, "inferred", &s);
	json = schema_to_json(&s);
	fprintf(out, "%s\n", json);
	free(json);
	schema_free(&s);
	infer_free(&inf);
	return 0;
fail:
	if (started)
		infer_free(&inf);
	return -1;
}
