/* validate: see validate.h. */
#include "validate.h"
#include "writer.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int validator_init(struct validator *v, const struct schema *s, const struct reader *r,
		   struct adash_err *e)
{
	size_t n = reader_ncols(r);

	memset(v, 0, sizeof *v);
	v->schema = s;
	v->ncols = n;
	v->schema_col = xcalloc(n ? n : 1, sizeof *v->schema_col);
	v->vals = xcalloc(n ? n : 1, sizeof *v->vals);
	v->out = xcalloc(n ? n : 1, sizeof *v->out);
	v->json = xcalloc(n ? n : 1, sizeof *v->json);
	v->names = xcalloc(n ? n : 1, sizeof *v->names);
	for (size_t i = 0; i < n; i++) {
		v->names[i] = reader_colname(r, i);
		v->schema_col[i] = s ? schema_col(s, v->names[i]) : -1;
		v->json[i] = v->schema_col[i] >= 0 ?
			     schema_column_json(&s->cols[v->schema_col[i]]) : COLUMN_AUTO;
	}
	if (!s)
		return 0;
	v->input_col = xcalloc(s->ncols, sizeof *v->input_col);
	for (size_t k = 0; k < s->ncols; k++) {
		if (s->cols[k].unless_column)
			v->has_unless = 1;
		v->input_col[k] = reader_col(r, s->cols[k].name);
		if (v->input_col[k] < 0 && s->cols[k].required && n > 0)
			return err_at(e, ADASH_EDATA, reader_name(r), reader_format(r) == FORMAT_CSV ? 1 : 0,
				      NULL, "column \"%s\" required by schema %s is missing",
				      s->cols[k].name, s->name);
	}
	return 0;
}

void validator_free(struct validator *v)
{
	for (size_t i = 0; i < v->ncols; i++)
		buf_free(&v->vals[i]);
	free(v->schema_col);
	free(v->input_col);
	free(v->vals);
	free(v->out);
	free(v->json);
	free(v->names);
	memset(v, 0, sizeof *v);
}

static int value_in(const struct field *f, char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == f->len && memcmp(f->s, list[i], f->len) == 0)
			return 1;
	return 0;
}

int validator_row(struct validator *v, const struct reader *r, const struct field *in,
		  const struct field **out, struct adash_err *e)
{
	char why[400];

	for (size_t i = 0; i < v->ncols; i++) {
		long k = v->schema_col[i];
		int rc;

		if (k < 0) {
			v->out[i] = in[i];
			continue;
		}
		rc = schema_normalize_field(&v->schema->cols[k], &in[i], &v->vals[i], &v->out[i],
					    why, sizeof why);
		if (rc < 0) {
			snprintf(v->reason, sizeof v->reason, "%.200s: %s", v->names[i],
				 schema_why_category(why));
			return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r),
				      v->names[i], "%s", why);
		}
	}
	/* cross-column rule: required unless another column has a value */
	for (size_t i = 0; v->has_unless && i < v->ncols; i++) {
		long k = v->schema_col[i], u;
		const struct schema_column *c;

		if (k < 0)
			continue;
		c = &v->schema->cols[k];
		if (!c->unless_column || !c->required || v->out[i].kind != FIELD_NULL)
			continue;
		u = v->input_col[schema_col(v->schema, c->unless_column)];
		if (u >= 0 && value_in(&v->out[u], c->unless_values, c->n_unless))
			continue;
		snprintf(v->reason, sizeof v->reason, "%.200s: a value is required", v->names[i]);
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), v->names[i],
			      "a value is required (it may be empty only when %s is %s%s)",
			      c->unless_column, c->unless_values[0], c->n_unless > 1 ? ", ..." : "");
	}
	*out = v->out;
	return 0;
}
