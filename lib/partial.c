/*
 * partial: see partial.h for the format.  The header is the model file's,
 * written by model_to_json with the fields a partial does not have taken
 * out (a model's fits, standardization, folds; --by, --log-target and row
 * weights, which --partial refuses), and read back by
 * model_header_from_json; this file adds and checks the statistics.
 */
#include "partial.h"

#include "bandit.h"
#include "regress.h"
#include "xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Checklist: a key added here is written in partial_save and documented
 * in adash.7 (PARTIAL STATISTICS). */
static const char *const top_keys[] = {
	"format", "version", "program", "task", "algo", "target", "key", "time", "season",
	"inputs", "statistics", "bandit", "data", NULL
};
static const char *const dropped[] = {
	"by", "log_target", "weight_half_life", "standardization", "pooled", "groups", "cv", "bandit",
	NULL
};

void partial_init(struct partial *pt)
{
	memset(pt, 0, sizeof *pt);
	model_init(&pt->m);
}

void partial_free(struct partial *pt)
{
	model_free(&pt->m);
	if (pt->st.R)
		lsstats_free(&pt->st);
	if (pt->b) {
		bandit_free(pt->b);
		free(pt->b);
	}
	memset(pt, 0, sizeof *pt);
}

static json_t *nums(const double *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, isfinite(v[i]) ? json_real(v[i]) : json_null());
	return a;
}

int partial_save(const struct partial *pt, const char *path, struct adash_err *e)
{
	json_t *root = model_to_json(&pt->m), *o = json_object(), *data;
	size_t q = pt->m.ndesign + 1;

	data = json_incref(json_object_get(root, "data"));
	for (size_t i = 0; dropped[i]; i++)
		json_object_del(root, dropped[i]);
	json_object_del(root, "data");
	json_object_set_new(root, "format", json_string(PARTIAL_FORMAT));
	json_object_set_new(root, "version", json_integer(PARTIAL_VERSION));
	if (pt->m.task == TASK_BANDIT) {
		const struct bandit *b = pt->b;

		json_object_set_new(o, "sum_r", json_real(b->sum_r));
		json_object_set_new(o, "sum_r2", json_real(b->sum_r2));
		json_object_set_new(o, "b", nums(b->b, q));
		json_object_set_new(o, "A", nums(b->A, q * q));
		json_object_set_new(root, "bandit", o);
	} else {
		json_object_set_new(o, "rows", json_integer((json_int_t)pt->st.n));
		json_object_set_new(o, "mean", nums(pt->st.mean, q));
		json_object_set_new(o, "R", nums(pt->st.R, q * q));
		json_object_set_new(root, "statistics", o);
	}
	json_object_set_new(root, "data", data);
	/* the same checks a --merge will make, so that a bug writes nothing */
	{
		struct model hm;
		struct adash_err ignore;

		model_init(&hm);
		if (model_header_from_json(&hm, root, NULL, &ignore) < 0) {
			model_free(&hm);
			json_decref(root);
			return err_set(e, ADASH_EINTERNAL, "%s: internal error: the partial statistics are not valid, not written: %s",
				       path, ignore.msg);
		}
		model_free(&hm);
	}
	return model_write_json(root, path, e);
}

/* n finite numbers of array key of o into out (allocated). */
static int read_nums(json_t *o, const char *key, size_t n, double **out, const char *path,
		     struct adash_err *e)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != n)
		return err_set(e, ADASH_EDATA, "%s: \"%s\" must be an array of %zu numbers", path, key, n);
	*out = xmalloc((n ? n : 1) * sizeof **out);
	json_array_foreach(a, i, v) {
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return err_set(e, ADASH_EDATA, "%s: entry %zu of \"%s\" must be a finite number", path,
				       i + 1, key);
		(*out)[i] = json_number_value(v);
	}
	return 0;
}

static int read_num(json_t *o, const char *key, double *out, const char *path, struct adash_err *e)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return err_set(e, ADASH_EDATA, "%s: \"%s\" must be a finite number", path, key);
	*out = json_number_value(v);
	return 0;
}

static int read_stats(struct partial *pt, json_t *root, const char *path, struct adash_err *e)
{
	json_t *o = json_object_get(root, "statistics"), *rows;
	size_t q = pt->m.ndesign + 1;

	if (pt->m.task != TASK_REGRESSION || (pt->m.algo != REGRESS_OLS && pt->m.algo != REGRESS_RIDGE))
		return err_set(e, ADASH_EDATA, "%s: \"algo\" must be ols, ridge, linucb or thompson", path);
	if (!json_is_object(o) || json_object_get(root, "bandit"))
		return err_set(e, ADASH_EDATA, "%s: an ols or ridge partial needs \"statistics\" (and no \"bandit\")", path);
	lsstats_init(&pt->st, pt->m.ndesign);
	rows = json_object_get(o, "rows");
	if (!json_is_integer(rows) || json_integer_value(rows) < 0 ||
	    (size_t)json_integer_value(rows) != pt->m.rows)
		return err_set(e, ADASH_EDATA, "%s: \"rows\" of \"statistics\" must be the rows of \"data\"", path);
	free(pt->st.mean);
	free(pt->st.R);
	pt->st.mean = pt->st.R = NULL;
	if (read_nums(o, "mean", q, &pt->st.mean, path, e) < 0 || read_nums(o, "R", q * q, &pt->st.R, path, e) < 0)
		return -1;
	pt->st.n = pt->m.rows;
	pt->st.sw = (double)pt->m.rows;
	return 0;
}

static int read_bandit_sums(struct partial *pt, json_t *root, const char *path, struct adash_err *e)
{
	json_t *o = json_object_get(root, "bandit");
	size_t p = pt->m.ndesign + 1;
	struct bandit *b;

	if (!json_is_object(o) || json_object_get(root, "statistics"))
		return err_set(e, ADASH_EDATA, "%s: a linucb or thompson partial needs \"bandit\" (and no \"statistics\")", path);
	if (pt->m.ndesign > BANDIT_MAX_DESIGN)
		return err_set(e, ADASH_EDATA, "%s: more design columns than a bandit model may have", path);
	b = pt->b = xmalloc(sizeof *pt->b);
	bandit_init(b, pt->m.ndesign, 0, 0);
	free(b->A);
	free(b->b);
	b->A = b->b = NULL;
	if (read_num(o, "sum_r", &b->sum_r, path, e) < 0 || read_num(o, "sum_r2", &b->sum_r2, path, e) < 0 ||
	    read_nums(o, "b", p, &b->b, path, e) < 0 || read_nums(o, "A", p * p, &b->A, path, e) < 0)
		return -1;
	for (size_t i = 0; i < p; i++)
		for (size_t j = 0; j < i; j++)
			if (b->A[i * p + j] != b->A[j * p + i])
				return err_set(e, ADASH_EDATA, "%s: \"A\" of \"bandit\" must be symmetric", path);
	return 0;
}

int partial_load(struct partial *pt, const char *path, struct adash_err *e)
{
	FILE *fp = fopen(path, "rb");
	json_error_t jerr;
	json_t *root, *v;
	const char *key;
	int rc = -1;

	partial_init(pt);
	if (!fp)
		return err_set(e, ADASH_EIO, "%s: %s", path, strerror(errno));
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	fclose(fp);
	if (!root)
		return err_set(e, ADASH_EDATA, "%s:%d: not a partial statistics file: invalid JSON: %s", path,
			       jerr.line, jerr.text);
	v = json_object_get(root, "format");
	if (!json_is_object(root) || !json_is_string(v) ||
	    strcmp(json_string_value(v), PARTIAL_FORMAT) != 0) {
		err_set(e, ADASH_EDATA, "%s: \"format\" must be \"%s\": not a partial statistics file of adash-train --partial",
			path, PARTIAL_FORMAT);
		goto out;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != PARTIAL_VERSION) {
		err_set(e, ADASH_EDATA, "%s: \"version\" must be %d", path, PARTIAL_VERSION);
		goto out;
	}
	json_object_foreach(root, key, v) {
		size_t i;

		for (i = 0; top_keys[i] && strcmp(top_keys[i], key) != 0; i++)
			;
		if (!top_keys[i]) {
			err_set(e, ADASH_EDATA, "%s: unknown field \"%s\"", path, key);
			goto out;
		}
	}
	if (model_header_from_json(&pt->m, root, path, e) < 0)
		goto out;
	if (pt->m.task == TASK_BANDIT)
		rc = read_bandit_sums(pt, root, path, e);
	else
		rc = read_stats(pt, root, path, e);
out:
	json_decref(root);
	return rc;
}
