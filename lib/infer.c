/* infer: see infer.h. */
#include "infer.h"
#include "num.h"
#include "timeutil.h"
#include "xalloc.h"

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

static int is_bool_word(const char *s, size_t n)
{
	static const char *const words[] = { "true", "false", "yes", "no", "0", "1" };

	for (size_t i = 0; i < 6; i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return 1;
	return 0;
}

void infer_row(struct inferrer *in, const struct field *row)
{
	for (size_t i = 0; i < in->ncols; i++) {
		struct infer_column *c = &in->cols[i];
		const struct field *f = &row[i];
		double v;
		int64_t iv;

		if (field_is_missing(f)) {
			c->missing++;
			continue;
		}
		c->present++;
		if (c->fits_bool && !is_bool_word(f->s, f->len))
			c->fits_bool = 0;
		if (c->fits_number) {
			if (num_parse(f->s, f->len, &v) < 0) {
				c->fits_number = c->fits_int = 0;
			} else {
				if (!c->have_min || v < c->min)
					c->min = v;
				c->have_min = 1;
				if (c->fits_int && num_parse_int(f->s, f->len, &iv) < 0)
					c->fits_int = 0;
			}
		}
		if (c->fits_date && time_parse_date(f->s, f->len, &iv) < 0)
			c->fits_date = 0;
		if (c->fits_timestamp && time_parse_rfc3339(f->s, f->len, &iv) < 0)
			c->fits_timestamp = 0;
		if (hashmap_count(&c->distinct) <= ENUM_MAX)
			hashmap_put(&c->distinct, f->s, f->len, NULL);
	}
}

void infer_schema(const struct inferrer *in, const char *name, struct schema *out)
{
	memset(out, 0, sizeof *out);
	out->name = xstrdup(name);
	out->ncols = in->ncols;
	out->cols = xcalloc(in->ncols ? in->ncols : 1, sizeof *out->cols);
	for (size_t i = 0; i < in->ncols; i++) {
		const struct infer_column *c = &in->cols[i];
		struct schema_column *s = &out->cols[i];
		size_t nd = hashmap_count(&c->distinct);

		s->name = xstrdup(c->name);
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
			s->nvalues = nd;
			s->values = xcalloc(nd, sizeof *s->values);
			for (size_t k = 0; k < nd; k++)
				s->values[k] = xstrdup(hashmap_at(&c->distinct, k)->key);
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
