/*
 * Unit tests of lib/model: the save -> load round trip bit for bit and byte
 * for byte (a regression, a classification and a bandit), the layout of
 * the file, encoding and prediction by hand, the
 * fit a group gets, a bandit model's width by hand and its posterior draws
 * (their mean and covariance over many draws, determinism for a seed), and
 * the strict loader: a table of broken files (each
 * refused with code 1 and a message naming the field), every truncation of
 * a valid file, a missing file (code 3), and a model that must not be saved
 * (code 4).
 */
#include "bandit.h"
#include "classify.h"
#include "model.h"
#include "regress.h"
#include "xalloc.h"
#include "tap.h"

#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/adash-test-model-XXXXXX";

/* ---- helpers ------------------------------------------------------------- */

static char *path_in_dir(const char *name)
{
	static char out[4][256];
	static int which;
	char *o = out[which++ & 3];

	snprintf(o, sizeof out[0], "%s/%s", dir, name);
	return o;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	*len = 0;
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, fp);
	data[*len] = '\0';
	fclose(fp);
	return data;
}

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static int same_nums(const double *a, const double *b, size_t n)
{
	if (!a || !b)
		return a == b;
	for (size_t i = 0; i < n; i++)
		if (!same_bits(a[i], b[i]))
			return 0;
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static int same_fit(const struct model_fit *a, const struct model_fit *b, size_t nd)
{
	return same_str(a->group, b->group) && same_bits(a->intercept, b->intercept) &&
	       same_nums(a->coef, b->coef, nd) && !a->cov == !b->cov &&
	       (!a->cov || same_nums(a->cov, b->cov, nd * nd)) && same_bits(a->lambda, b->lambda) &&
	       same_bits(a->sigma2, b->sigma2) && same_bits(a->dof, b->dof) &&
	       same_bits(a->smearing, b->smearing) && a->rows == b->rows &&
	       a->nresiduals == b->nresiduals && same_nums(a->residuals, b->residuals, a->nresiduals);
}

/* NaN metrics come back as the NaN the loader makes: compare NaN-ness. */
static int same_metric(double a, double b)
{
	return isnan(a) ? isnan(b) : same_bits(a, b);
}

/* Everything but the group index, bit for bit; the first difference is
 * printed. */
static int same_model(const struct model *a, const struct model *b)
{
#define SAME(cond) do { if (!(cond)) { printf("#   differs: %s\n", #cond); return 0; } } while (0)
	SAME(a->task == b->task && a->algo == b->algo);
	SAME(same_str(a->target, b->target) && same_str(a->key, b->key));
	SAME(same_str(a->time, b->time) && same_str(a->by, b->by));
	SAME(a->log_target == b->log_target && same_bits(a->weight_half_life, b->weight_half_life));
	SAME(a->season == b->season);
	SAME(a->penalty == b->penalty && same_bits(a->C, b->C));
	SAME(same_nums(a->class_weight, b->class_weight, 2));
	SAME(a->ninputs == b->ninputs && a->ndesign == b->ndesign);
	for (size_t i = 0; i < a->ninputs; i++) {
		const struct model_input *x = &a->inputs[i], *y = &b->inputs[i];
		SAME(same_str(x->name, y->name) && x->categorical == y->categorical);
		SAME(x->nlevels == y->nlevels && x->offset == y->offset && x->width == y->width);
		for (size_t k = 0; k < x->nlevels; k++) {
			SAME(same_str(x->levels[k], y->levels[k]));
			SAME(same_metric(x->level_num[k], y->level_num[k]));
		}
	}
	SAME(same_nums(a->mean, b->mean, a->ndesign) && same_nums(a->scale, b->scale, a->ndesign));
	SAME(a->has_pooled == b->has_pooled);
	SAME(!a->has_pooled || same_fit(&a->pooled, &b->pooled, a->ndesign));
	SAME(a->ngroups == b->ngroups);
	for (size_t i = 0; i < a->ngroups; i++)
		SAME(same_fit(&a->groups[i], &b->groups[i], a->ndesign));
	SAME(a->nfolds == b->nfolds);
	for (size_t i = 0; i < a->nfolds; i++) {
		const struct model_fold *x = &a->folds[i], *y = &b->folds[i];
		SAME(x->train_rows == y->train_rows && x->test_rows == y->test_rows);
		SAME(same_str(x->train_until, y->train_until) && same_str(x->test_until, y->test_until));
		SAME(same_metric(x->mae, y->mae) && same_metric(x->rmse, y->rmse));
		SAME(same_metric(x->mape, y->mape) && same_metric(x->mase, y->mase));
		SAME(same_metric(x->auc, y->auc) && same_metric(x->logloss, y->logloss));
		SAME(same_metric(x->brier, y->brier));
	}
	SAME(same_str(a->fingerprint, b->fingerprint) && a->rows == b->rows);
	SAME(same_str(a->program, b->program));
	SAME(!a->bandit == !b->bandit);
	if (a->bandit) {
		const struct bandit *x = a->bandit, *y = b->bandit;
		SAME(x->p == y->p && same_bits(x->alpha, y->alpha) && same_bits(x->lambda, y->lambda));
		SAME(same_bits(x->sum_r, y->sum_r) && same_bits(x->sum_r2, y->sum_r2));
		SAME(same_nums(x->b, y->b, x->p) && same_nums(x->A, y->A, x->p * x->p));
	}
	return 1;
#undef SAME
}

static const char fp64[] = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void add_input(struct model *m, const char *name, int ncat, const char *const *levels)
{
	struct model_input *p;

	m->inputs = xrealloc(m->inputs, (m->ninputs + 1) * sizeof *m->inputs);
	p = &m->inputs[m->ninputs++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	if (ncat) {
		p->categorical = 1;
		p->nlevels = (size_t)ncat;
		p->levels = xcalloc((size_t)ncat, sizeof *p->levels);
		for (int k = 0; k < ncat; k++)
			p->levels[k] = xstrdup(levels[k]);
	}
}

static void set_fit(struct model_fit *f, const char *group, size_t nd, double base, int with_cov,
		    size_t nres)
{
	memset(f, 0, sizeof *f);
	f->group = group ? xstrdup(group) : NULL;
	f->rows = 100 + (size_t)base;
	f->intercept = base + 0.1;
	f->coef = xmalloc(nd * sizeof *f->coef);
	for (size_t j = 0; j < nd; j++)
		f->coef[j] = (base + (double)j) / 3.0;
	if (with_cov) {
		f->cov = xmalloc(nd * nd * sizeof *f->cov);
		for (size_t j = 0; j < nd * nd; j++)
			f->cov[j] = (double)j * 1e-3 + 1.0 / 7;
	}
	f->lambda = 0.25;
	f->sigma2 = 2.0 / 3;
	f->dof = (double)nd + 1;
	f->smearing = 1.0123456789;
	f->nresiduals = nres;
	f->residuals = xmalloc((nres ? nres : 1) * sizeof *f->residuals);
	for (size_t j = 0; j < nres; j++)
		f->residuals[j] = ((double)j - 2.5) * 0.1;
}

static const char *const dow[] = { "1", "2", "3", "4", "5", "6", "7" };

/* The full model: numeric, categorical, numeric inputs (ndesign 9), a
 * pooled fit and two groups (one without cov), cv folds with NaN metrics,
 * and numbers that need care to survive the text. */
static void make_model(struct model *m)
{
	static const double mean[9] = {
		0.1, 1.0 / 3, -0.0, 1e20, 5e-324, 1.7976931348623157e308, 123456789.123,
		9223372036854775808.0, -1e-7
	};
	static const double scale[9] = {
		1, 0.5, 0.30000000000000004, 1e21, 2.2250738585072014e-308, 7, 1e-300, 3, 1.5e+300
	};
	struct adash_err e;

	model_init(m);
	m->task = TASK_REGRESSION;
	m->algo = REGRESS_RIDGE;
	m->program = xstrdup("adash-train 0.1");
	m->target = xstrdup("sales");
	m->key = xstrdup("shop_id");
	m->time = xstrdup("date");
	m->by = xstrdup("shop_id");
	m->log_target = 1;
	m->weight_half_life = 30.5;
	m->season = 7;
	add_input(m, "sales_lag_7", 0, NULL);
	add_input(m, "dow", 7, dow);
	add_input(m, "price \"\xc3\xa9\"\t", 0, NULL);
	err_clear(&e);
	if (model_layout(m, &e) < 0)
		printf("# layout: %s\n", e.msg);
	memcpy(m->mean, mean, sizeof mean);
	memcpy(m->scale, scale, sizeof scale);
	m->has_pooled = 1;
	set_fit(&m->pooled, NULL, m->ndesign, 0, 1, 6);
	m->pooled.coef[0] = -9223372036854775808.0;
	m->pooled.coef[1] = -0.0;
	m->ngroups = 2;
	m->groups = xcalloc(2, sizeof *m->groups);
	set_fit(&m->groups[0], "s001", m->ndesign, 1, 1, 3);
	set_fit(&m->groups[1], "s002", m->ndesign, 2, 0, 0);
	m->groups[1].lambda = 0;
	model_index_groups(m);
	m->nfolds = 2;
	m->folds = xcalloc(2, sizeof *m->folds);
	m->folds[0] = (struct model_fold){ 200, 28, xstrdup("2024-01-01"), xstrdup("2024-01-29"),
					   1.25, 2.5, NAN, 0.75, NAN, NAN, NAN };
	m->folds[1] = (struct model_fold){ 228, 28, xstrdup("2024-01-29"), NULL, 0.1, 0.2, 0.3, NAN, NAN, NAN, NAN };
	m->fingerprint = xstrdup(fp64);
	m->rows = 456;
}

/* A small valid model for the broken-file table: by, two groups. */
static void make_small(struct model *m)
{
	static const char *const lv[] = { "a", "b", "c" };
	struct adash_err e;

	model_init(m);
	m->task = TASK_REGRESSION;
	m->algo = REGRESS_OLS;
	m->program = xstrdup("adash-train 0.1");
	m->target = xstrdup("sales");
	m->time = xstrdup("date");
	m->by = xstrdup("shop_id");
	m->season = 7;
	add_input(m, "x", 0, NULL);
	add_input(m, "cat", 3, lv);
	model_layout(m, &e);
	m->has_pooled = 1;
	set_fit(&m->pooled, NULL, m->ndesign, 0, 1, 2);
	m->ngroups = 2;
	m->groups = xcalloc(2, sizeof *m->groups);
	set_fit(&m->groups[0], "s001", m->ndesign, 1, 1, 2);
	set_fit(&m->groups[1], "s002", m->ndesign, 2, 0, 2);
	m->nfolds = 1;
	m->folds = xcalloc(1, sizeof *m->folds);
	m->folds[0] = (struct model_fold){ 10, 5, xstrdup("2024-01-01"), xstrdup("2024-01-06"),
					   1, 2, NAN, NAN, NAN, NAN, NAN };
	m->fingerprint = xstrdup(fp64);
	m->rows = 15;
	model_index_groups(m);
}

/* A logreg model: L1, C, class weights, folds with AUC, log loss and
 * Brier (one AUC undefined), no residuals, a timestamp time column. */
static void make_class(struct model *m)
{
	static const char *const roles[] = { "admin", "analyst" };
	struct adash_err e;

	model_init(m);
	m->task = TASK_CLASSIFICATION;
	m->algo = CLASSIFY_LOGREG;
	m->program = xstrdup("adash-train 0.1");
	m->target = xstrdup("label");
	m->time = xstrdup("asof");
	m->penalty = PENALTY_L1;
	m->C = 0.25;
	m->class_weight[0] = 1;
	m->class_weight[1] = 3.5;
	add_input(m, "open_7d", 0, NULL);
	add_input(m, "role", 2, roles);
	model_layout(m, &e);
	m->mean[0] = 1.5;
	m->scale[0] = 2;
	m->mean[1] = m->mean[2] = 0.5;
	m->scale[1] = m->scale[2] = 0.5;
	m->has_pooled = 1;
	set_fit(&m->pooled, NULL, m->ndesign, 0, 0, 0);
	m->pooled.coef[1] = 0;
	m->pooled.lambda = 0;
	m->pooled.sigma2 = 0;
	m->pooled.smearing = 1;
	m->nfolds = 2;
	m->folds = xcalloc(2, sizeof *m->folds);
	m->folds[0] = (struct model_fold){ 40, 20, xstrdup("2024-02-10T00:00:00Z"), xstrdup("2024-02-11T00:00:00Z"),
					   NAN, NAN, NAN, NAN, 0.8125, 0.4321, 0.125 };
	m->folds[1] = (struct model_fold){ 60, 20, xstrdup("2024-02-11T00:00:00Z"), xstrdup("2024-02-12T00:00:00Z"),
					   NAN, NAN, NAN, NAN, NAN, 0.05, 0 };
	m->fingerprint = xstrdup(fp64);
	m->rows = 80;
}

static int is_empty(const struct model *m)
{
	return m->inputs == NULL && m->ninputs == 0 && m->groups == NULL && m->ngroups == 0 &&
	       m->folds == NULL && m->mean == NULL && m->scale == NULL && !m->has_pooled &&
	       m->pooled.coef == NULL && m->target == NULL && m->program == NULL &&
	       m->fingerprint == NULL && m->group_index == NULL && m->ndesign == 0 && m->bandit == NULL;
}

/* ---- round trip ---------------------------------------------------------- */

static void test_layout(void)
{
	struct model m;

	make_model(&m);
	is_int(m.ndesign, 9, "layout: 1 + 7 + 1 design columns");
	ok(m.inputs[0].offset == 0 && m.inputs[0].width == 1, "layout: numeric input at 0, width 1");
	ok(m.inputs[1].offset == 1 && m.inputs[1].width == 7, "layout: dow at 1, width 7");
	ok(m.inputs[2].offset == 8 && m.inputs[2].width == 1, "layout: price at 8");
	ok(m.inputs[1].level_num[0] == 1 && m.inputs[1].level_num[6] == 7, "layout: level_num of dow");
	model_free(&m);
	ok(is_empty(&m), "model_free leaves an empty model");
	model_free(&m);
	ok(is_empty(&m), "model_free twice is harmless");
}

static void test_round_trip(void)
{
	struct model m, back, again;
	struct adash_err e;
	char *a, *b;
	size_t alen, blen;
	json_t *j;

	make_model(&m);
	err_clear(&e);
	is_int(model_save(&m, path_in_dir("a.model"), &e), 0, "model_save");
	if (e.code)
		printf("# %s\n", e.msg);
	is_int(model_load(&back, path_in_dir("a.model"), &e), 0, "model_load of what was saved");
	if (e.code)
		printf("# %s\n", e.msg);
	ok(same_model(&m, &back), "load(save(m)) is m, bit for bit");
	ok(back.group_index != NULL, "a loaded model has its group index");
	ok(isnan(back.folds[0].mape) && isnan(back.folds[1].mase), "NaN metrics come back NaN");
	ok(signbit(back.mean[2]) && back.mean[2] == 0, "-0 comes back -0");
	ok(back.mean[7] == 9223372036854775808.0 && back.pooled.coef[0] == -9223372036854775808.0,
	   "2^63 and -2^63 come back");
	ok(back.mean[4] == 5e-324 && back.mean[5] == 1.7976931348623157e308,
	   "the smallest subnormal and the largest double come back");
	ok(back.folds[1].test_until == NULL && back.key && !back.groups[1].cov,
	   "nulls come back NULL");
	is_int(model_save(&back, path_in_dir("b.model"), &e), 0, "saving the loaded model");
	a = slurp(path_in_dir("a.model"), &alen);
	b = slurp(path_in_dir("b.model"), &blen);
	ok(a && b && alen == blen && memcmp(a, b, alen) == 0, "save(load(save(m))) is the same bytes");
	ok(a && alen > 0 && a[alen - 1] == '\n', "the file ends with a newline");
	ok(a && strncmp(a, "{\n  \"format\": \"adash-model\",\n  \"version\": 1,\n  \"program\": \"adash-train 0.1\",\n", 75) == 0,
	   "the file begins with format, version and program, one per line");
	if (a) {
		static const char *const order[] = {
			"\"format\"", "\"version\"", "\"program\"", "\"task\"", "\"algo\"", "\"target\"",
			"\"key\"", "\"time\"", "\"by\"", "\"log_target\"", "\"weight_half_life\"",
			"\"season\"", "\"inputs\"", "\"standardization\"", "\"pooled\"", "\"groups\"",
			"\"cv\"", "\"data\"", NULL
		};
		const char *p = a;
		int in_order = 1;
		for (size_t i = 0; order[i]; i++) {
			const char *q = strstr(p, order[i]);
			in_order &= q != NULL;
			p = q ? q : p;
		}
		ok(in_order, "top-level keys in the documented order");
		ok(strstr(a, "\"algo\": \"ridge\",\n") && strstr(a, "\"task\": \"regression\",\n") &&
		   strstr(a, "\"key\": \"shop_id\",\n") && strstr(a, "\"log_target\": true,\n") &&
		   strstr(a, "\"weight_half_life\": 30.5,\n"), "scalar fields as written");
		ok(strstr(a, "\"mean\": [0.1, 0.3333333333333333, -0.0, 100000000000000000000.0, 5e-324, "
			     "1.7976931348623157e+308, 123456789.123, 9223372036854776000.0, -1e-7],\n") != NULL,
		   "mean: shortest forms on one line, -0.0 and big integers marked real");
		if (strstr(a, "\"mean\": ["))
			printf("# %.300s\n", strstr(a, "\"mean\": ["));
		ok(strstr(a, "    {\"name\": \"dow\", \"type\": \"categorical\", \"levels\": [\"1\", \"2\", "
			     "\"3\", \"4\", \"5\", \"6\", \"7\"]},\n") != NULL, "an input on one line");
		ok(strstr(a, "\"name\": \"price \\\"\xc3\xa9\\\"\\t\"") != NULL, "strings escaped, UTF-8 kept");
		ok(strstr(a, "\"mape\": null") && strstr(a, "\"train_until\": \"2024-01-29\", \"test_until\": null"),
		   "null metric and null time in a cv fold");
		ok(strstr(a, "\"cov\": null,\n") != NULL, "a fit without cov says null");
		ok(strstr(a, "\"group\": \"s001\",\n      \"rows\": 101,\n") != NULL,
		   "group fits: one field per line, group first");
		ok(strstr(a, "\"data\": {\n    \"rows\": 456,\n    \"fingerprint\": \"sha256:0123") != NULL,
		   "data: rows and fingerprint");
		ok(strstr(a, "0.10000000000000001") == NULL, "no %%.17g noise");
	}
	free(a);
	free(b);

	/* model_to_json -> model_from_json */
	j = model_to_json(&m);
	is_int(model_from_json(&again, j, "json", &e), 0, "model_from_json(model_to_json(m))");
	ok(same_model(&m, &again), "model_from_json(model_to_json(m)) is m");
	json_decref(j);
	model_free(&again);

	/* load_buffer agrees with load */
	a = slurp(path_in_dir("a.model"), &alen);
	is_int(model_load_buffer(&again, a, alen, "mem", &e), 0, "model_load_buffer");
	ok(same_model(&back, &again), "model_load_buffer gives what model_load gives");
	free(a);
	model_free(&again);

	/* a model without groups, without cov, with no inputs */
	model_free(&back);
	model_init(&again);
	again.task = TASK_REGRESSION;
	again.algo = REGRESS_SVR;
	again.program = xstrdup("p");
	again.target = xstrdup("y");
	again.fingerprint = xstrdup(fp64);
	model_layout(&again, &e);
	again.has_pooled = 1;
	set_fit(&again.pooled, NULL, 0, 3, 0, 0);
	is_int(model_save(&again, path_in_dir("c.model"), &e), 0, "an intercept-only model saves");
	is_int(model_load(&back, path_in_dir("c.model"), &e), 0, "and loads");
	ok(same_model(&again, &back) && back.ndesign == 0 && back.algo == REGRESS_SVR,
	   "intercept-only svr model round trip");
	model_free(&back);
	model_free(&again);
	model_free(&m);
}

static void test_class_round_trip(void)
{
	struct model m, back;
	struct adash_err e;
	char *a, *b;
	size_t alen, blen;

	make_class(&m);
	err_clear(&e);
	is_int(model_save(&m, path_in_dir("cls.model"), &e), 0, "classification: model_save (%s)", e.code ? e.msg : "");
	is_int(model_load(&back, path_in_dir("cls.model"), &e), 0, "classification: model_load (%s)",
	       e.code ? e.msg : "");
	ok(same_model(&m, &back), "classification: load(save(m)) is m, bit for bit");
	ok(isnan(back.folds[1].auc) && isnan(back.folds[0].mae) && back.folds[1].brier == 0,
	   "classification: a null AUC reads NaN, regression metrics NaN");
	is_int(model_save(&back, path_in_dir("cls2.model"), &e), 0, "classification: saving the loaded model");
	a = slurp(path_in_dir("cls.model"), &alen);
	b = slurp(path_in_dir("cls2.model"), &blen);
	ok(a && b && alen == blen && memcmp(a, b, alen) == 0, "classification: save(load(save(m))) is the same bytes");
	if (a) {
		ok(strstr(a, "\"task\": \"classification\",\n  \"algo\": \"logreg\",\n") != NULL,
		   "task classification, algo logreg");
		ok(strstr(a, "\"season\": 0,\n  \"penalty\": \"l1\",\n  \"C\": 0.25,\n  \"class_weight\": [1, 3.5],\n  \"inputs\"") != NULL,
		   "penalty, C and class_weight after season, before inputs");
		ok(strstr(a, "{\"train_rows\": 40, \"test_rows\": 20, \"train_until\": \"2024-02-10T00:00:00Z\", "
			     "\"test_until\": \"2024-02-11T00:00:00Z\", \"auc\": 0.8125, \"logloss\": 0.4321, \"brier\": 0.125}") != NULL,
		   "a classification fold: auc, logloss, brier on one line");
		ok(strstr(a, "\"auc\": null") && !strstr(a, "\"mae\"") && !strstr(a, "\"mase\""),
		   "an undefined AUC is null; no regression metrics");
		ok(strstr(a, "\"residuals\": []") != NULL, "no residuals");
	}
	free(a);
	free(b);
	model_free(&back);

	/* a regression writes no classification fields */
	model_free(&m);
	make_small(&m);
	model_save(&m, path_in_dir("reg.model"), &e);
	a = slurp(path_in_dir("reg.model"), &alen);
	ok(a && !strstr(a, "\"penalty\"") && !strstr(a, "\"C\"") && !strstr(a, "\"class_weight\"") &&
	   !strstr(a, "\"auc\""), "a regression has no penalty, C, class_weight or auc");
	free(a);
	model_free(&m);

	{
		int task = -1, algo = -1;

		ok(model_algo_from_name("logreg", &task, &algo) == 0 && task == TASK_CLASSIFICATION &&
		   algo == CLASSIFY_LOGREG, "model_algo_from_name: logreg is classification");
		ok(model_algo_from_name("svr", &task, &algo) == 0 && task == TASK_REGRESSION &&
		   algo == REGRESS_SVR, "model_algo_from_name: svr is regression");
		ok(model_algo_from_name("lasso", &task, &algo) == -1, "model_algo_from_name: lasso is nothing");
		is_str(model_algo_name(TASK_CLASSIFICATION, CLASSIFY_LOGREG), "logreg", "model_algo_name");
		ok(model_algo_name(TASK_CLASSIFICATION, REGRESS_RIDGE) == NULL, "ridge's number is no classifier");
	}
}

/* ---- prediction ------------------------------------------------------------ */

static void test_predict(void)
{
	struct model m;
	struct adash_err e;
	double x[9], want;
	const struct model_fit *f;
	int all_zero;

	model_init(&m);
	m.task = TASK_REGRESSION;
	add_input(&m, "lag", 0, NULL);
	add_input(&m, "dow", 7, dow);
	add_input(&m, "shop", 0, NULL);
	m.inputs[2].categorical = 1;   /* a text category: levels below */
	m.inputs[2].nlevels = 1;
	m.inputs[2].levels = xcalloc(1, sizeof *m.inputs[2].levels);
	m.inputs[2].levels[0] = xstrdup("north");
	err_clear(&e);
	is_int(model_layout(&m, &e), 0, "layout with a text category");
	for (size_t j = 0; j < 9; j++) {
		m.mean[j] = j == 0 ? 10 : 0.125 * (double)j;
		m.scale[j] = j == 0 ? 4 : 0.5;
	}
	model_encode_num(&m, 0, 18, x);
	is_num(x[0], 2.0, 0, "numeric: (18 - 10) / 4");
	model_encode_num(&m, 0, NAN, x);
	is_num(x[0], 0, 0, "numeric missing: 0");
	model_encode_num(&m, 0, INFINITY, x);
	is_num(x[0], 0, 0, "numeric infinite: 0");
	is_int(model_encode_text(&m, 0, "22", 2, x), 0, "numeric text");
	is_num(x[0], 3.0, 0, "numeric text: (22 - 10) / 4");
	x[0] = 99;
	is_int(model_encode_text(&m, 0, "", 0, x), 0, "numeric text empty is missing");
	is_num(x[0], 0, 0, "numeric text empty: 0");
	x[0] = 99;
	is_int(model_encode_text(&m, 0, "NA", 2, x), 0, "numeric text NA is missing");
	is_num(x[0], 0, 0, "numeric text NA: 0");
	is_int(model_encode_text(&m, 0, "abc", 3, x), -1, "numeric text not a number: -1");
	is_num(x[0], 0, 0, "numeric text not a number leaves 0");
	is_int(model_encode_text(&m, 0, "22 ", 2, x), 0, "len is honoured (\"22\" of \"22 \")");

	/* dow 3: design column 1 + 2 = 3 is one */
	model_encode_num(&m, 1, 3, x);
	for (size_t k = 0; k < 7; k++) {
		size_t j = 1 + k;
		want = ((k == 2 ? 1.0 : 0.0) - m.mean[j]) / m.scale[j];
		if (x[j] != want)
			break;
		if (k == 6)
			ok(1, "categorical from a number: one-hot, standardized");
	}
	{
		double y[9];
		memset(y, 0, sizeof y);
		is_int(model_encode_text(&m, 1, "3", 1, y), 0, "categorical text");
		ok(memcmp(x + 1, y + 1, 7 * sizeof *x) == 0, "categorical \"3\" encodes as the number 3");
		model_encode_num(&m, 1, 3.0000000001, y);
		all_zero = 1;
		for (size_t j = 1; j < 8; j++)
			all_zero &= y[j] == 0;
		ok(all_zero, "an unseen level: standardized zeros");
		model_encode_num(&m, 1, 1, y);
		is_int(model_encode_text(&m, 1, "9", 1, y), 0, "unseen level text is not an error");
		all_zero = 1;
		for (size_t j = 1; j < 8; j++)
			all_zero &= y[j] == 0;
		ok(all_zero, "an unseen text level: standardized zeros");
		model_encode_num(&m, 1, 1, y);
		model_encode_num(&m, 1, NAN, y);
		all_zero = 1;
		for (size_t j = 1; j < 8; j++)
			all_zero &= y[j] == 0;
		ok(all_zero, "a missing category: standardized zeros");
		model_encode_num(&m, 1, 1, y);
		model_encode_text(&m, 1, "NA", 2, y);
		all_zero = 1;
		for (size_t j = 1; j < 8; j++)
			all_zero &= y[j] == 0;
		ok(all_zero, "a missing text category (NA): standardized zeros");
		is_int(model_encode_text(&m, 1, "03", 2, y), 0, "\"03\" is text, not 3");
		ok(y[3] == 0, "\"03\" matches no level (categories match as text)");
		is_int(model_encode_text(&m, 2, "north", 5, y), 0, "text level");
		is_num(y[8], (1 - m.mean[8]) / m.scale[8], 0, "text level: (1 - mean) / scale");
		model_encode_text(&m, 2, "north\0x", 7, y);
		is_num(y[8], 0, 0, "a level with more after a NUL is no level");
		is_int(model_encode_text(&m, 2, "nort", 4, y), 0, "a prefix of a level");
		is_num(y[8], 0, 0, "a prefix of a level is no level");
		model_encode_num(&m, 2, 1, y);
		is_num(y[8], 0, 0, "a number against text levels: no level");
	}

	/* linear predictor and outputs */
	m.has_pooled = 1;
	set_fit(&m.pooled, NULL, m.ndesign, 0, 0, 0);
	m.pooled.intercept = 0.5;
	for (size_t j = 0; j < 9; j++) {
		m.pooled.coef[j] = (double)j + 1;
		x[j] = 0.5 * (double)j;
	}
	want = 0.5;
	for (size_t j = 0; j < 9; j++)
		want += ((double)j + 1) * 0.5 * (double)j;
	is_num(model_linear(&m, &m.pooled, x), want, 0, "model_linear: intercept + coef . x");
	memset(x, 0, sizeof x);
	is_num(model_linear(&m, &m.pooled, x), 0.5, 0, "model_linear of zeros: the intercept");

	is_num(model_output(&m, &m.pooled, 2.5), 2.5, 0, "regression output: eta");
	is_num(model_transform(&m, 3), 3, 0, "regression transform: y");
	is_num(model_untransform(&m, 3), 3, 0, "regression untransform: eta");
	m.log_target = 1;
	m.pooled.smearing = 1.1;
	is_num(model_output(&m, &m.pooled, log(5)), 5 * 1.1 - 1, 1e-12,
	       "log target output: exp(eta) * smearing - 1");
	m.pooled.smearing = 1;
	is_num(model_output(&m, &m.pooled, 1e-10), expm1(1e-10), 0, "log target, smearing 1: expm1(eta)");
	is_num(model_output(&m, NULL, 1), expm1(1), 1e-15, "log target without a fit: smearing 1");
	is_num(model_transform(&m, 4), log1p(4), 0, "log target transform: log1p");
	is_num(model_untransform(&m, log1p(4)), 4, 1e-12, "log target untransform: expm1");
	m.log_target = 0;
	m.task = TASK_CLASSIFICATION;
	is_num(model_output(&m, &m.pooled, 0), 0.5, 0, "classification: logistic(0) = 0.5");
	is_num(model_output(&m, &m.pooled, 2), 1 / (1 + exp(-2)), 1e-15, "classification: logistic(2)");
	is_num(model_output(&m, &m.pooled, -2), 1 / (1 + exp(2)), 1e-15, "classification: logistic(-2)");
	is_num(model_output(&m, &m.pooled, 800), 1, 0, "logistic(800) = 1, no overflow");
	is_num(model_output(&m, &m.pooled, -800), 0, 0, "logistic(-800) = 0, no NaN");
	ok(model_output(&m, &m.pooled, -745) > 0, "logistic(-745) > 0: computed as e^eta / (1 + e^eta)");
	is_num(model_transform(&m, 1), 1, 0, "classification transform: y");

	/* model_fit_for */
	m.task = TASK_REGRESSION;
	m.ngroups = 2;
	m.groups = xcalloc(2, sizeof *m.groups);
	set_fit(&m.groups[0], "s001", m.ndesign, 1, 0, 0);
	set_fit(&m.groups[1], "s002", m.ndesign, 2, 0, 0);
	f = model_fit_for(&m, "s002");
	ok(f == &m.groups[1], "fit_for without an index: the group's own");
	model_index_groups(&m);
	ok(model_fit_for(&m, "s001") == &m.groups[0], "fit_for s001: its own");
	ok(model_fit_for(&m, "s002") == &m.groups[1], "fit_for s002: its own");
	ok(model_fit_for(&m, "s003") == &m.pooled, "fit_for an unknown group: pooled");
	ok(model_fit_for(&m, NULL) == &m.pooled, "fit_for NULL: pooled");
	ok(model_fit_for(&m, "") == &m.pooled, "fit_for \"\": pooled");
	model_index_groups(&m);
	ok(model_fit_for(&m, "s002") == &m.groups[1], "indexing twice");
	m.has_pooled = 0;
	ok(model_fit_for(&m, "s003") == NULL, "fit_for an unknown group without pooled: NULL");
	ok(model_fit_for(&m, NULL) == NULL, "fit_for NULL without pooled: NULL");
	ok(model_fit_for(&m, "s001") == &m.groups[0], "fit_for a known group without pooled");
	model_free(&m);
}

/* ---- layout errors ----------------------------------------------------------- */

static void test_layout_errors(void)
{
	static const char *const dup[] = { "a", "b", "a" };
	static const char *const na[] = { "a", "NA" };
	struct model m;
	struct adash_err e;

	model_init(&m);
	add_input(&m, "x", 0, NULL);
	add_input(&m, "x", 0, NULL);
	err_clear(&e);
	ok(model_layout(&m, &e) == -1 && e.code == ADASH_EDATA && strstr(e.msg, "\"x\" appears twice"),
	   "layout: duplicate input names");
	printf("# %s\n", e.msg);
	model_free(&m);

	model_init(&m);
	add_input(&m, "c", 3, dup);
	ok(model_layout(&m, &e) == -1 && strstr(e.msg, "\"levels\"") && strstr(e.msg, "\"a\" twice"),
	   "layout: duplicate levels");
	printf("# %s\n", e.msg);
	model_free(&m);

	model_init(&m);
	add_input(&m, "c", 2, na);
	ok(model_layout(&m, &e) == -1 && strstr(e.msg, "missing value"), "layout: NA is no level");
	model_free(&m);

	model_init(&m);
	add_input(&m, "c", 0, NULL);
	m.inputs[0].categorical = 1;
	ok(model_layout(&m, &e) == -1 && strstr(e.msg, "\"levels\""), "layout: categorical without levels");
	model_free(&m);

	model_init(&m);
	for (int i = 0; i < 2; i++) {
		char name[8];
		struct model_input *p;
		snprintf(name, sizeof name, "c%d", i);
		add_input(&m, name, 0, NULL);
		p = &m.inputs[i];
		p->categorical = 1;
		p->nlevels = MODEL_MAX_DESIGN / 2 + 1;
		p->levels = xcalloc(p->nlevels, sizeof *p->levels);
		for (size_t k = 0; k < p->nlevels; k++) {
			char l[16];
			snprintf(l, sizeof l, "%zu", k);
			p->levels[k] = xstrdup(l);
		}
	}
	ok(model_layout(&m, &e) == -1 && strstr(e.msg, "design columns") && strstr(e.msg, "\"c1\""),
	   "layout: more than MODEL_MAX_DESIGN columns");
	printf("# %s\n", e.msg);
	model_free(&m);
}

/* ---- broken files ------------------------------------------------------------ */

/* Sets (or, with value NULL, deletes) the member at path ("groups.0.coef")
 * of root; value is JSON text. */
static int mutate(json_t *root, const char *path, const char *value)
{
	char buf[128], *tok, *next, *save = NULL;
	json_t *cur = root, *v = NULL;

	snprintf(buf, sizeof buf, "%s", path);
	tok = strtok_r(buf, ".", &save);
	while (tok) {
		next = strtok_r(NULL, ".", &save);
		if (!next) {
			if (value) {
				json_error_t jerr;
				v = json_loads(value, JSON_DECODE_ANY, &jerr);
				if (!v)
					return -1;
			}
			if (json_is_array(cur)) {
				size_t i = strtoul(tok, NULL, 10);
				return v ? json_array_set_new(cur, i, v) : json_array_remove(cur, i);
			}
			return v ? json_object_set_new(cur, tok, v) : json_object_del(cur, tok);
		}
		cur = json_is_array(cur) ? json_array_get(cur, strtoul(tok, NULL, 10)) : json_object_get(cur, tok);
		if (!cur)
			return -1;
		tok = next;
	}
	return -1;
}

/* Loads text and checks: -1, code 1, the file's name, part, one line, an
 * empty model. */
static void refused(const char *text, size_t len, const char *part, const char *what)
{
	struct model m;
	struct adash_err e;
	int rc;

	err_clear(&e);
	memset(&m, 0x5a, sizeof m);
	rc = model_load_buffer(&m, text, len, "broken.model", &e);
	ok(rc == -1 && e.code == ADASH_EDATA && strncmp(e.msg, "broken.model", 12) == 0 &&
	   strstr(e.msg, part) && !strchr(e.msg, '\n') && is_empty(&m),
	   "refused: %s (...%s...)", what, part);
	if (rc == 0)
		model_free(&m);
	printf("#   %s\n", e.msg);
}

/* A field of a good model's JSON changed (value NULL: removed), and what
 * the loader must say of it. */
struct broken_case {
	const char *path, *value, *part, *what;
};

/* Each case applied to a copy of good must be refused, naming the field. */
static void refuse_mutations(const json_t *good, const struct broken_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_deep_copy(good);
		char *text;

		if (mutate(j, cases[i].path, cases[i].value) < 0) {
			ok(0, "mutate %s", cases[i].path);
			json_decref(j);
			continue;
		}
		text = json_dumps(j, JSON_INDENT(1));
		refused(text, strlen(text), cases[i].part, cases[i].what);
		free(text);
		json_decref(j);
	}
}

static void test_broken(void)
{
	static const struct broken_case cases[] = {
		{ "format", "\"adash-schema\"", "\"format\"", "wrong format" },
		{ "format", NULL, "\"format\" is missing", "no format" },
		{ "format", "1", "\"format\"", "format not a string" },
		{ "version", "2", "was written by a newer adash", "version 2" },
		{ "version", "0", "\"version\" must be 1", "version 0" },
		{ "version", "\"1\"", "\"version\"", "version a string" },
		{ "version", "1.5", "\"version\"", "version 1.5" },
		{ "version", NULL, "\"version\" is missing", "no version" },
		{ "program", "5", "\"program\"", "program a number" },
		{ "program", NULL, "\"program\" is missing", "no program" },
		{ "task", "\"clustering\"", "\"task\"", "unknown task" },
		{ "task", "null", "\"task\"", "task null" },
		{ "algo", "\"lasso\"", "\"algo\" must be a regression algorithm: one of ols, ridge, huber, svr",
		  "unknown algo" },
		{ "algo", "7", "\"algo\"", "algo a number" },
		{ "task", "\"classification\"", "\"algo\"", "a regression algo for classification" },
		{ "target", NULL, "\"target\" is missing", "no target" },
		{ "target", "\"\"", "\"target\" must be a non-empty string", "empty target" },
		{ "target", "null", "\"target\"", "null target" },
		{ "key", "5", "\"key\" must be a non-empty string or null", "key a number" },
		{ "key", NULL, "\"key\" is missing", "no key" },
		{ "time", "[]", "\"time\"", "time an array" },
		{ "by", "\"\"", "\"by\"", "empty by" },
		{ "by", "null", "\"by\" is null", "groups without by" },
		{ "log_target", "\"yes\"", "\"log_target\"", "log_target a string" },
		{ "log_target", "1", "\"log_target\"", "log_target a number" },
		{ "weight_half_life", "-1", "\"weight_half_life\"", "negative half-life" },
		{ "weight_half_life", "null", "\"weight_half_life\"", "null half-life" },
		{ "season", "-7", "\"season\"", "negative season" },
		{ "season", "7.5", "\"season\"", "fractional season" },
		{ "season", "1e300", "\"season\"", "huge season" },
		{ "season", "9999999999", "\"season\"", "season beyond int" },
		{ "extra", "1", "unknown key \"extra\"", "unknown top-level key" },
		{ "inputs", "{}", "\"inputs\" must be an array", "inputs an object" },
		{ "inputs", NULL, "\"inputs\" is missing", "no inputs" },
		{ "inputs.0", "5", "entry 1 of \"inputs\"", "input not an object" },
		{ "inputs.0.name", NULL, "\"name\" of input 1 is missing", "input without a name" },
		{ "inputs.0.name", "\"\"", "\"name\" of input 1", "input with an empty name" },
		{ "inputs.0.name", "\"cat\"", "\"cat\" appears twice", "duplicate input names" },
		{ "inputs.0.type", "\"text\"", "\"type\" of input \"x\"", "unknown input type" },
		{ "inputs.0.type", NULL, "\"type\" of input \"x\" is missing", "input without type" },
		{ "inputs.0.levels", "[\"a\"]", "\"levels\" of input \"x\" is only for categorical",
		  "numeric input with levels" },
		{ "inputs.0.unit", "\"kg\"", "unknown key \"unit\" in input \"x\"", "unknown key in an input" },
		{ "inputs.1.levels", NULL, "\"levels\" of input \"cat\" is missing", "categorical without levels" },
		{ "inputs.1.levels", "[]", "\"levels\" of input \"cat\"", "categorical with empty levels" },
		{ "inputs.1.levels", "[\"a\", \"b\", \"a\"]", "\"levels\" of input \"cat\" has \"a\" twice",
		  "duplicate levels" },
		{ "inputs.1.levels", "[\"a\", 2, \"c\"]", "entry 2 of \"levels\" of input \"cat\"",
		  "a level not a string" },
		{ "inputs.1.levels", "[\"a\", \"\", \"c\"]", "\"levels\" of input \"cat\"", "an empty level" },
		{ "inputs.1.levels", "[\"a\", \"b\", \"c\", \"d\"]", "\"mean\" of \"standardization\" has 4 entries, expected 5",
		  "levels and standardization disagree" },
		{ "standardization", NULL, "\"standardization\" is missing", "no standardization" },
		{ "standardization", "[]", "\"standardization\" must be an object", "standardization an array" },
		{ "standardization.mean", "[0, 0, 0]", "\"mean\" of \"standardization\" has 3 entries, expected 4",
		  "mean too short" },
		{ "standardization.mean", NULL, "\"mean\" of \"standardization\" is missing", "no mean" },
		{ "standardization.mean", "[0, 0, \"0\", 0]", "entry 3 of \"mean\" of \"standardization\"",
		  "mean with a string" },
		{ "standardization.mean", "[0, 0, null, 0]", "entry 3 of \"mean\"", "mean with a null" },
		{ "standardization.scale", "[1, 1, 0, 1]", "entry 3 of \"scale\" of \"standardization\" must be a number > 0",
		  "scale 0" },
		{ "standardization.scale", "[1, -1, 1, 1]", "entry 2 of \"scale\"", "scale negative" },
		{ "standardization.scale", "[1, 1, 1, 1, 1]", "\"scale\" of \"standardization\" has 5 entries",
		  "scale too long" },
		{ "standardization.median", "[]", "unknown key \"median\" in \"standardization\"",
		  "unknown key in standardization" },
		{ "pooled.coef", "[1, 2, 3]", "\"coef\" of \"pooled\" has 3 entries, expected 4", "pooled coef short" },
		{ "pooled.group", "\"x\"", "\"pooled\" must not have a \"group\"", "pooled with a group" },
		{ "pooled", "[]", "\"pooled\" must be an object or null", "pooled an array" },
		{ "pooled", NULL, "\"pooled\" is missing", "no pooled" },
		{ "pooled.cov", "[1, 2]", "\"cov\" of \"pooled\" has 2 entries, expected 16", "pooled cov short" },
		{ "pooled.intercept", "\"1\"", "\"intercept\" of \"pooled\" must be a number", "intercept a string" },
		{ "pooled.rows", "-1", "\"rows\" of \"pooled\" must be an integer >= 0", "negative rows" },
		{ "pooled.rows", "1.5", "\"rows\" of \"pooled\"", "fractional rows" },
		{ "groups.0.coef", "[1, 2, 3, 4, 5]", "\"coef\" of group \"s001\" has 5 entries, expected 4",
		  "group coef long" },
		{ "groups.0.coef", "{}", "\"coef\" of group \"s001\" must be an array of numbers", "coef an object" },
		{ "groups.1.cov", "[1]", "\"cov\" of group \"s002\" has 1 entries, expected 16", "group cov short" },
		{ "groups.0.rows", "-1", "\"rows\" of group \"s001\"", "group negative rows" },
		{ "groups.0.group", NULL, "\"group\" of entry 1 of \"groups\" is missing", "group fit without group" },
		{ "groups.0.group", "\"\"", "\"group\" of entry 1 of \"groups\"", "group fit with empty group" },
		{ "groups.1.group", "\"s001\"", "group \"s001\" appears twice", "duplicate groups" },
		{ "groups.0.residuals", "[1, \"x\"]", "entry 2 of \"residuals\" of group \"s001\"",
		  "residual a string" },
		{ "groups.0.residuals", NULL, "\"residuals\" of group \"s001\" is missing", "no residuals" },
		{ "groups.0.smearing", "0", "\"smearing\" of group \"s001\" must be a number > 0", "smearing 0" },
		{ "groups.0.sigma2", "-1", "\"sigma2\" of group \"s001\" must be a number >= 0", "negative sigma2" },
		{ "groups.0.lambda", "null", "\"lambda\" of group \"s001\"", "null lambda" },
		{ "groups.0.dof", NULL, "\"dof\" of group \"s001\" is missing", "no dof" },
		{ "groups.0.extra", "0", "unknown key \"extra\" in group \"s001\"", "unknown key in a fit" },
		{ "groups.0", "[]", "entry 1 of \"groups\" must be an object", "group fit an array" },
		{ "groups", "{}", "\"groups\" must be an array", "groups an object" },
		{ "groups", NULL, "\"groups\" is missing", "no groups" },
		{ "cv", "{}", "\"cv\" must be an array", "cv an object" },
		{ "cv", NULL, "\"cv\" is missing", "no cv" },
		{ "cv.0", "1", "cv fold 1 must be an object", "fold not an object" },
		{ "cv.0.mae", "\"x\"", "\"mae\" of cv fold 1", "mae a string" },
		{ "cv.0.rmse", "-1", "\"rmse\" of cv fold 1 must be a number >= 0 or null", "negative rmse" },
		{ "cv.0.mase", NULL, "\"mase\" of cv fold 1 is missing", "no mase" },
		{ "cv.0.test_rows", "-3", "\"test_rows\" of cv fold 1", "negative test rows" },
		{ "cv.0.train_until", "5", "\"train_until\" of cv fold 1", "train_until a number" },
		{ "cv.0.r2", "0.5", "unknown key \"r2\" in cv fold 1", "unknown metric" },
		{ "data", NULL, "\"data\" is missing", "no data" },
		{ "data", "[]", "\"data\" must be an object", "data an array" },
		{ "data.rows", NULL, "\"rows\" of \"data\" is missing", "no data rows" },
		{ "data.rows", "-5", "\"rows\" of \"data\"", "negative data rows" },
		{ "data.fingerprint", "\"md5:abc\"", "\"fingerprint\" of \"data\"", "a non-sha256 fingerprint" },
		{ "data.fingerprint",
		  "\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"",
		  "\"fingerprint\" of \"data\"", "upper-case hex" },
		{ "data.fingerprint", "\"sha256:0123\"", "\"fingerprint\" of \"data\"", "a short fingerprint" },
		{ "data.fingerprint", "null", "\"fingerprint\" of \"data\"", "null fingerprint" },
		{ "data.source", "1", "unknown key \"source\" in \"data\"", "unknown key in data" },
	};
	struct model m;
	json_t *good;
	char *text;

	make_small(&m);
	good = model_to_json(&m);
	model_free(&m);

	refuse_mutations(good, cases, sizeof cases / sizeof *cases);

	/* combinations the path table cannot say */
	{
		json_t *j = json_deep_copy(good);
		mutate(j, "pooled", "null");
		mutate(j, "groups", "[]");
		text = json_dumps(j, 0);
		refused(text, strlen(text), "no fit", "no pooled and no groups");
		free(text);
		json_decref(j);
	}
	{
		json_t *j = json_deep_copy(good);
		mutate(j, "task", "\"classification\"");
		mutate(j, "log_target", "true");
		text = json_dumps(j, 0);
		refused(text, strlen(text), "\"algo\"", "a classification with a regression algo and a log target");
		free(text);
		json_decref(j);
	}
	{
		json_t *j = json_deep_copy(good), *a = json_array();
		for (size_t i = 0; i <= MODEL_MAX_RESIDUALS; i++)
			json_array_append_new(a, json_integer(0));
		json_object_set_new(json_array_get(json_object_get(j, "groups"), 1), "residuals", a);
		text = json_dumps(j, JSON_COMPACT);
		refused(text, strlen(text), "\"residuals\" of group \"s002\" has 100001 entries, more than the limit",
			"more than MODEL_MAX_RESIDUALS residuals");
		free(text);
		json_decref(j);
	}
	{
		json_t *j = json_deep_copy(good), *a = json_array();
		char l[16];
		for (size_t i = 0; i <= MODEL_MAX_DESIGN; i++) {
			snprintf(l, sizeof l, "%zu", i);
			json_array_append_new(a, json_string(l));
		}
		json_object_set_new(json_array_get(json_object_get(j, "inputs"), 1), "levels", a);
		text = json_dumps(j, JSON_COMPACT);
		refused(text, strlen(text), "\"levels\" of input \"cat\" has 100001 entries, more than the limit",
			"more than MODEL_MAX_DESIGN levels");
		free(text);
		json_decref(j);
	}

	/* texts that are not a model at all */
	{
		static const char *const texts[][2] = {
			{ "", "invalid JSON" },
			{ "hello", "invalid JSON" },
			{ "[]", "not a JSON object" },
			{ "42", "invalid JSON" },
			{ "\"adash-model\"", "invalid JSON" },
			{ "{}", "\"format\" is missing" },
			{ "{\"format\": \"adash-model\", \"format\": \"adash-model\"}", "duplicate" },
			{ "{\"format\": \"adash-model\", \"version\": 1} x", "invalid JSON" },
			{ "{\"format\": \"adash-model\", \"version\": 1e400}", "invalid JSON" },
			{ "{\"format\": \"adash-model\", \"version\": 99999999999999999999}", "invalid JSON" },
			{ "{\"format\": \"adash-model\", \"version\": 9223372036854775807}", "newer adash" },
			{ "{\"format\": \"adash-model\", \"version\": 1}", "\"program\" is missing" },
			{ "{\"format\": \"a\\u0000\"}", "invalid JSON" },
			{ "\xef\xbb\xbf{}", "invalid JSON" },
			{ "{\"format\": \"\xff\"}", "invalid JSON" },
		};
		for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
			refused(texts[i][0], strlen(texts[i][0]), texts[i][1], texts[i][0][0] ? texts[i][0] : "empty");
	}
	{
		static const char nul[] = "{\"format\": \"adash-model\"}\0{}";
		refused(nul, sizeof nul - 1, "invalid JSON", "a NUL byte after the object");
	}
	{
		/* a line number for JSON errors */
		static const char multi[] = "{\n\"format\": \"adash-model\",\n\"version\": 1,,\n}";
		refused(multi, sizeof multi - 1, "broken.model:3:", "the line of a JSON error");
	}

	/* model_from_json on a root that is not an object */
	{
		struct model mm;
		struct adash_err e;
		ok(model_from_json(&mm, NULL, "x", &e) == -1 && e.code == ADASH_EDATA && is_empty(&mm),
		   "model_from_json(NULL) is refused");
	}
	json_decref(good);
}

/* Broken classification files: each refused with code 1 naming the field. */
static void test_class_broken(void)
{
	static const struct broken_case cases[] = {
		{ "penalty", NULL, "\"penalty\" is missing", "no penalty" },
		{ "penalty", "\"l3\"", "\"penalty\" must be \"l2\" or \"l1\"", "unknown penalty" },
		{ "penalty", "2", "\"penalty\"", "penalty a number" },
		{ "C", NULL, "\"C\" is missing", "no C" },
		{ "C", "0", "\"C\" must be a number > 0", "C 0" },
		{ "C", "null", "\"C\"", "C null" },
		{ "class_weight", NULL, "\"class_weight\" is missing", "no class_weight" },
		{ "class_weight", "[1]", "\"class_weight\" has 1 entries, expected 2", "one class weight" },
		{ "class_weight", "[1, 0]", "entry 2 of \"class_weight\" must be a number > 0", "a zero class weight" },
		{ "class_weight", "{}", "\"class_weight\" must be an array", "class_weight an object" },
		{ "algo", "\"ridge\"", "\"algo\" must be a classification algorithm: one of logreg",
		  "a regression algo" },
		{ "cv.0.auc", "1.5", "\"auc\" of cv fold 1 must be a number from 0 to 1 or null", "AUC above 1" },
		{ "cv.0.auc", "-0.1", "\"auc\" of cv fold 1", "negative AUC" },
		{ "cv.0.brier", "2", "\"brier\" of cv fold 1", "Brier above 1" },
		{ "cv.0.logloss", "-1", "\"logloss\" of cv fold 1 must be a number >= 0 or null", "negative log loss" },
		{ "cv.0.logloss", NULL, "\"logloss\" of cv fold 1 is missing", "no log loss" },
		{ "cv.0.mae", "1", "unknown key \"mae\" in cv fold 1", "a regression metric in a classification fold" },
		{ "task", "\"regression\"", "\"algo\"", "logreg as a regression" },
	};
	struct model m;
	json_t *good;
	char *text;

	make_class(&m);
	good = model_to_json(&m);
	model_free(&m);
	refuse_mutations(good, cases, sizeof cases / sizeof *cases);
	json_decref(good);

	/* a regression with classification fields or metrics */
	make_small(&m);
	good = model_to_json(&m);
	model_free(&m);
	{
		static const char *const keys[][2] = {
			{ "penalty", "\"l2\"" }, { "C", "1" }, { "class_weight", "[1, 1]" }
		};
		for (size_t i = 0; i < 3; i++) {
			json_t *j = json_deep_copy(good);
			char part[64];

			mutate(j, keys[i][0], keys[i][1]);
			text = json_dumps(j, 0);
			snprintf(part, sizeof part, "\"%s\" is only for a classification", keys[i][0]);
			refused(text, strlen(text), part, part);
			free(text);
			json_decref(j);
		}
		json_t *j = json_deep_copy(good);
		mutate(j, "cv.0.auc", "0.5");
		text = json_dumps(j, 0);
		refused(text, strlen(text), "unknown key \"auc\" in cv fold 1", "AUC in a regression fold");
		free(text);
		json_decref(j);
	}
	json_decref(good);
}

/* ---- bandit models ------------------------------------------------------------ */

#define BANDIT_ROWS 40

/* A bandit model of x (numeric) and c (levels a, b): ndesign 3, p 4,
 * lambda 1.5, alpha 0.25, trained by hand through lib/bandit on 40 rows. */
static void make_bandit(struct model *m, int algo)
{
	static const char *const lv[] = { "a", "b" };
	struct adash_err e;
	double theta[4], sigma2, dof;

	model_init(m);
	m->task = TASK_BANDIT;
	m->algo = algo;
	m->program = xstrdup("adash-train 0.1");
	m->target = xstrdup("reward");
	m->time = xstrdup("asof");
	add_input(m, "x", 0, NULL);
	add_input(m, "c", 2, lv);
	model_layout(m, &e);
	m->bandit = xcalloc(1, sizeof *m->bandit);
	bandit_init(m->bandit, m->ndesign, 1.5, 0.25);
	for (int i = 0; i < BANDIT_ROWS; i++) {
		double x[3] = { (i % 7) * 0.5 - 1, i % 2 == 0, i % 2 == 1 };
		double r = 0.3 + 0.5 * x[0] + (i % 2 ? 0.2 : -0.1) + ((i * 37) % 11 - 5) * 0.03;

		bandit_add(m->bandit, x, r);
	}
	err_clear(&e);
	if (bandit_solve(m->bandit, BANDIT_ROWS, theta, &sigma2, &dof, &e) < 0)
		printf("# bandit_solve: %s\n", e.msg);
	m->has_pooled = 1;
	set_fit(&m->pooled, NULL, m->ndesign, 0, 0, 0);
	m->pooled.rows = BANDIT_ROWS;
	m->pooled.intercept = theta[0];
	memcpy(m->pooled.coef, theta + 1, 3 * sizeof *theta);
	m->pooled.lambda = 0;
	m->pooled.sigma2 = sigma2;
	m->pooled.dof = dof;
	m->pooled.smearing = 1;
	m->fingerprint = xstrdup(fp64);
	m->rows = BANDIT_ROWS;
}

/* A^-1 of a bandit model, by LU (not the Cholesky the library uses). */
static gsl_matrix *bandit_inverse(const struct bandit *s)
{
	gsl_matrix *a = gsl_matrix_alloc(s->p, s->p), *inv = gsl_matrix_alloc(s->p, s->p);
	gsl_permutation *perm = gsl_permutation_alloc(s->p);
	int sign;

	memcpy(a->data, s->A, s->p * s->p * sizeof *s->A);
	gsl_linalg_LU_decomp(a, perm, &sign);
	gsl_linalg_LU_invert(a, perm, inv);
	gsl_matrix_free(a);
	gsl_permutation_free(perm);
	return inv;
}

static void test_bandit_round_trip(void)
{
	struct model m, back;
	struct adash_err e;
	char *a, *b;
	size_t alen, blen;

	make_bandit(&m, BANDIT_LINUCB);
	err_clear(&e);
	is_int(model_save(&m, path_in_dir("bandit.model"), &e), 0, "bandit: model_save (%s)", e.code ? e.msg : "");
	is_int(model_load(&back, path_in_dir("bandit.model"), &e), 0, "bandit: model_load (%s)",
	       e.code ? e.msg : "");
	ok(same_model(&m, &back), "bandit: load(save(m)) is m, bit for bit, statistics too");
	ok(back.bandit && back.bandit->chol && back.bandit->draw_chol, "a loaded bandit model is prepared for widths and draws");
	is_int(model_save(&back, path_in_dir("bandit2.model"), &e), 0, "bandit: saving the loaded model");
	a = slurp(path_in_dir("bandit.model"), &alen);
	b = slurp(path_in_dir("bandit2.model"), &blen);
	ok(a && b && alen == blen && memcmp(a, b, alen) == 0, "bandit: save(load(save(m))) is the same bytes");
	if (a) {
		const char *cv = strstr(a, "\n  \"cv\": []"), *st = strstr(a, "\n  \"bandit\": {"),
			   *data = strstr(a, "\n  \"data\": {");

		ok(strstr(a, "\"task\": \"bandit\",\n  \"algo\": \"linucb\",\n") != NULL, "task bandit, algo linucb");
		ok(cv && st && data && cv < st && st < data, "\"bandit\" after \"cv\", before \"data\"");
		ok(strstr(a, "\"bandit\": {\n    \"alpha\": 0.25,\n    \"lambda\": 1.5,\n    \"sum_r\": ") != NULL,
		   "alpha, lambda, sum_r first, one per line");
		ok(strstr(a, "\"mean\": [0, 0, 0],\n    \"scale\": [1, 1, 1]\n") != NULL, "mean 0, scale 1");
		ok(strstr(a, "\"cov\": null,\n") && strstr(a, "\"residuals\": []\n"), "no cov, no residuals");
		ok(strstr(a, "\"A\": [41.5, ") != NULL, "A row-major, lambda + n first");
		ok(!strstr(a, "\"penalty\"") && !strstr(a, "\"mae\""), "no classification fields");
	}
	free(a);
	free(b);
	model_free(&back);
	model_free(&m);

	make_bandit(&m, BANDIT_THOMPSON);
	model_save(&m, path_in_dir("thompson.model"), &e);
	a = slurp(path_in_dir("thompson.model"), &alen);
	ok(a && strstr(a, "\"algo\": \"thompson\",\n"), "algo thompson");
	free(a);
	ok(model_load(&back, path_in_dir("thompson.model"), &e) == 0 && same_model(&m, &back),
	   "thompson: load(save(m)) is m");
	model_free(&back);
	model_free(&m);
	{
		int task = -1, algo = -1;

		ok(model_algo_from_name("linucb", &task, &algo) == 0 && task == TASK_BANDIT && algo == BANDIT_LINUCB,
		   "model_algo_from_name: linucb is a bandit");
		ok(model_algo_from_name("thompson", &task, &algo) == 0 && task == TASK_BANDIT &&
		   algo == BANDIT_THOMPSON, "model_algo_from_name: thompson is a bandit");
		is_str(model_algo_name(TASK_BANDIT, BANDIT_THOMPSON), "thompson", "model_algo_name of thompson");
	}
}

/* theta = A^-1 b, the width by hand, and draws: mean theta and covariance
 * sigma2 A^-1 within sampling error, the same for the same seed. */
static void test_bandit_predict(void)
{
	enum { NDRAW = 40000 };
	struct model m, back;
	struct adash_err e;
	struct model_fit f;
	gsl_matrix *inv;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double x[3] = { 0.75, 0, 1 }, z[4] = { 1, 0.75, 0, 1 }, want = 0, worst = 0;
	double mean[4] = { 0 }, cov[16] = { 0 }, theta[4], (*d)[4] = xmalloc(NDRAW * sizeof *d);
	double mean_z = 0, worst_cov = 0;
	int same = 1;

	make_bandit(&m, BANDIT_THOMPSON);
	err_clear(&e);
	model_save(&m, path_in_dir("p.model"), &e);
	model_free(&m);
	model_load(&back, path_in_dir("p.model"), &e);
	inv = bandit_inverse(back.bandit);
	theta[0] = back.pooled.intercept;
	memcpy(theta + 1, back.pooled.coef, 3 * sizeof *theta);
	for (size_t i = 0; i < 4; i++) {
		double t = 0;

		for (size_t j = 0; j < 4; j++)
			t += gsl_matrix_get(inv, i, j) * back.bandit->b[j];
		worst = fmax(worst, fabs(t - theta[i]) / (fabs(t) + 1e-12));
		for (size_t j = 0; j < 4; j++)
			want += z[i] * gsl_matrix_get(inv, i, j) * z[j];
	}
	ok(worst < 1e-12, "theta is A^-1 b (worst relative %.3g)", worst);
	is_num(model_bandit_width(&back, x), sqrt(want), 1e-12 * sqrt(want), "width sqrt(z' A^-1 z) by hand");
	ok(model_bandit_width(&back, (double[3]){ 5, 0, 1 }) > model_bandit_width(&back, (double[3]){ 0.5, 0, 1 }),
	   "a row far from the data is wider than one amid it");

	f.coef = xmalloc(3 * sizeof *f.coef);
	gsl_rng_set(r, 11);
	for (int k = 0; k < NDRAW; k++) {
		model_bandit_draw(&back, r, &f);
		d[k][0] = f.intercept;
		memcpy(d[k] + 1, f.coef, 3 * sizeof *f.coef);
		for (size_t i = 0; i < 4; i++)
			mean[i] += d[k][i] / NDRAW;
		mean_z += model_linear(&back, &f, x) / NDRAW;
	}
	for (int k = 0; k < NDRAW; k++)
		for (size_t i = 0; i < 4; i++)
			for (size_t j = 0; j < 4; j++)
				cov[i * 4 + j] += (d[k][i] - mean[i]) * (d[k][j] - mean[j]) / (NDRAW - 1);
	worst = 0;
	for (size_t i = 0; i < 4; i++) {
		/* 5 standard errors of a mean of NDRAW draws */
		double se = sqrt(back.pooled.sigma2 * gsl_matrix_get(inv, i, i) / NDRAW);

		worst = fmax(worst, fabs(mean[i] - theta[i]) / se);
		for (size_t j = 0; j < 4; j++) {
			double sij = back.pooled.sigma2 * gsl_matrix_get(inv, i, j);
			double sii = back.pooled.sigma2 * gsl_matrix_get(inv, i, i);
			double sjj = back.pooled.sigma2 * gsl_matrix_get(inv, j, j);
			/* the standard error of a sample covariance of Gaussians */
			double se_cov = sqrt((sii * sjj + sij * sij) / NDRAW);

			worst_cov = fmax(worst_cov, fabs(cov[i * 4 + j] - sij) / se_cov);
		}
	}
	ok(worst < 5, "the draws' mean is theta (worst %.2f standard errors)", worst);
	ok(worst_cov < 5, "the draws' covariance is sigma2 A^-1 (worst %.2f standard errors)", worst_cov);
	is_num(mean_z, model_linear(&back, &back.pooled, x), 5 * sqrt(back.pooled.sigma2 * want / NDRAW),
	       "the drawn scores' mean is the posterior mean's score");
	gsl_rng_set(r, 11);
	for (int k = 0; k < 100; k++) {
		model_bandit_draw(&back, r, &f);
		same &= same_bits(f.intercept, d[k][0]) && same_nums(f.coef, d[k] + 1, 3);
	}
	ok(same, "the same seed draws the same coefficients, bit for bit");
	gsl_rng_set(r, 12);
	model_bandit_draw(&back, r, &f);
	ok(!same_bits(f.intercept, d[0][0]), "another seed, another draw");
	free(f.coef);
	free(d);
	gsl_matrix_free(inv);
	gsl_rng_free(r);
	model_free(&back);
}

/* Broken bandit files: each refused with code 1 naming the field. */
static void test_bandit_broken(void)
{
	static const struct broken_case cases[] = {
		{ "bandit", NULL, "\"bandit\" is missing", "no statistics" },
		{ "bandit", "[]", "\"bandit\" must be an object", "statistics an array" },
		{ "bandit.alpha", "-1", "\"alpha\" of \"bandit\" must be a number >= 0", "negative alpha" },
		{ "bandit.lambda", "0", "\"lambda\" of \"bandit\" must be a number > 0", "lambda 0" },
		{ "bandit.sum_r", "null", "\"sum_r\" of \"bandit\"", "sum_r null" },
		{ "bandit.sum_r2", "-1", "\"sum_r2\" of \"bandit\" must be a number >= 0", "negative sum_r2" },
		{ "bandit.b", "[1, 2]", "\"b\" of \"bandit\" has 2 entries, expected 4", "b too short" },
		{ "bandit.A", "[1]", "\"A\" of \"bandit\" has 1 entries, expected 16", "A too short" },
		{ "bandit.A.2", "\"x\"", "entry 3 of \"A\" of \"bandit\" must be a number", "A not numbers" },
		{ "bandit.A.1", "0.5", "\"A\" of \"bandit\" is not symmetric: entries (1, 2) and (2, 1) differ",
		  "A not symmetric" },
		{ "bandit.A", "[2, 3, 0, 0, 3, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2]",
		  "\"A\" of \"bandit\" is not positive definite", "A not positive definite" },
		{ "bandit.extra", "1", "unknown key \"extra\" in \"bandit\"", "unknown key in the statistics" },
		{ "pooled.intercept", "5", "are not the solution of A theta = b", "an intercept the statistics do not give" },
		{ "pooled.coef.1", "0.125", "are not the solution of A theta = b", "a coefficient the statistics do not give" },
		{ "standardization.mean.0", "1", "mean 0 and scale 1", "a bandit standardized" },
		{ "standardization.scale.2", "2", "mean 0 and scale 1", "a bandit scaled" },
		{ "by", "\"role\"", "\"by\" null", "a bandit with --by" },
		{ "log_target", "true", "only a regression has a log target", "a bandit with a log target" },
		{ "weight_half_life", "7", "no row weights", "a bandit with row weights" },
		{ "cv", "[{\"train_rows\": 1, \"test_rows\": 1, \"train_until\": null, \"test_until\": null, "
			"\"mae\": null, \"rmse\": null, \"mape\": null, \"mase\": null}]",
		  "\"cv\" must be empty", "a bandit with folds" },
		{ "pooled.cov", "[1, 0, 0, 0, 1, 0, 0, 0, 1]", "\"cov\" null", "a bandit fit with cov" },
		{ "pooled.residuals", "[0.5]", "no residuals", "a bandit fit with residuals" },
		{ "penalty", "\"l2\"", "\"penalty\" is only for a classification", "a bandit with a penalty" },
		{ "algo", "\"ridge\"", "\"algo\" must be a bandit algorithm: one of linucb, thompson", "a bandit algo ridge" },
		{ "task", "\"regression\"", "\"algo\" must be a regression algorithm", "linucb as a regression" },
	};
	struct model m;
	struct adash_err e;
	json_t *good;
	char *text;

	make_bandit(&m, BANDIT_LINUCB);
	good = model_to_json(&m);
	model_free(&m);
	refuse_mutations(good, cases, sizeof cases / sizeof *cases);
	json_decref(good);

	/* the statistics in a regression */
	make_small(&m);
	good = model_to_json(&m);
	model_free(&m);
	mutate(good, "bandit", "{}");
	text = json_dumps(good, 0);
	refused(text, strlen(text), "\"bandit\" is only for a bandit model", "statistics in a regression");
	free(text);
	json_decref(good);

	/* more design columns than a bandit model may have: refused before
	 * its statistics are read */
	{
		char **lv = xcalloc(BANDIT_MAX_DESIGN + 1, sizeof *lv);

		model_init(&m);
		m.task = TASK_BANDIT;
		m.program = xstrdup("p");
		m.target = xstrdup("reward");
		m.fingerprint = xstrdup(fp64);
		for (size_t k = 0; k <= BANDIT_MAX_DESIGN; k++) {
			char l[16];

			snprintf(l, sizeof l, "w%zu", k);
			lv[k] = xstrdup(l);
		}
		add_input(&m, "item_id", BANDIT_MAX_DESIGN + 1, (const char *const *)lv);
		model_layout(&m, &e);
		m.has_pooled = 1;
		set_fit(&m.pooled, NULL, m.ndesign, 0, 0, 0);
		good = model_to_json(&m);
		text = json_dumps(good, 0);
		refused(text, strlen(text), "a bandit model has at most 1000 design columns, this one 1001",
			"too many design columns");
		free(text);
		json_decref(good);
		for (size_t k = 0; k <= BANDIT_MAX_DESIGN; k++)
			free(lv[k]);
		free(lv);
		model_free(&m);
	}
}

/* Every cut of a valid file short of its last "}" is refused, cleanly. */
static void test_truncated(void)
{
	struct model m, got;
	struct adash_err e;
	char *text;
	size_t len, cuts = 0, refused_ok = 0;

	make_model(&m);
	err_clear(&e);
	model_save(&m, path_in_dir("t.model"), &e);
	model_free(&m);
	text = slurp(path_in_dir("t.model"), &len);
	if (!text || len < 3) {
		ok(0, "truncation: the file");
		free(text);
		return;
	}
	for (size_t cut = 0; cut + 2 < len; cut++) {
		char *copy = xmalloc(cut + 1);   /* exactly cut bytes: ASan sees overreads */
		memcpy(copy, text, cut);
		cuts++;
		err_clear(&e);
		if (model_load_buffer(&got, copy, cut, "t.model", &e) == -1 && e.code == ADASH_EDATA &&
		    strncmp(e.msg, "t.model", 7) == 0 && strstr(e.msg, "invalid JSON") &&
		    !strchr(e.msg, '\n') && is_empty(&got))
			refused_ok++;
		else if (e.code == 0)
			model_free(&got);
		free(copy);
	}
	is_int(refused_ok, cuts, "every one of %zu truncations is refused with code 1", cuts);
	ok(model_load_buffer(&got, text, len - 1, "t.model", &e) == 0,
	   "without its final newline the file still loads");
	model_free(&got);
	free(text);
}

/* ---- files ------------------------------------------------------------------- */

static void test_files(void)
{
	struct model m;
	struct adash_err e;
	struct stat st;

	err_clear(&e);
	ok(model_load(&m, "/nonexistent-adash/x.model", &e) == -1 && e.code == ADASH_EIO &&
	   strstr(e.msg, "/nonexistent-adash/x.model") && strstr(e.msg, "No such file") && is_empty(&m),
	   "a missing file: code 3 with strerror");
	printf("# %s\n", e.msg);
	ok(model_load(&m, dir, &e) == -1 && e.code == ADASH_EIO && strstr(e.msg, "directory"),
	   "a directory: code 3");

	make_model(&m);
	ok(model_save(&m, "/nonexistent-adash/x.model", &e) == -1 && e.code == ADASH_EIO,
	   "saving into a missing directory: code 3");
	printf("# %s\n", e.msg);

	/* a model that would not load is not written */
	m.groups[1].coef[3] = NAN;
	ok(model_save(&m, path_in_dir("nan.model"), &e) == -1 && e.code == ADASH_EINTERNAL &&
	   strstr(e.msg, "entry 4 of \"coef\" of group \"s002\"") && stat(path_in_dir("nan.model"), &st) < 0,
	   "a NaN coefficient: code 4, nothing written");
	printf("# %s\n", e.msg);
	m.groups[1].coef[3] = 0;
	free(m.fingerprint);
	m.fingerprint = NULL;
	ok(model_save(&m, path_in_dir("nofp.model"), &e) == -1 && e.code == ADASH_EINTERNAL &&
	   strstr(e.msg, "\"fingerprint\""), "no fingerprint: code 4");
	m.fingerprint = xstrdup(fp64);
	m.algo = 99;
	ok(model_save(&m, path_in_dir("algo.model"), &e) == -1 && e.code == ADASH_EINTERNAL &&
	   strstr(e.msg, "\"algo\""), "an unknown algorithm: code 4");
	m.algo = REGRESS_HUBER;
	ok(model_save(&m, path_in_dir("ok.model"), &e) == 0, "fixed, it saves");
	ok(model_save(&m, path_in_dir("ok.model"), &e) == 0, "and saves over itself");
	model_free(&m);
}

static void cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' || (de->d_name[1] && strcmp(de->d_name, "..") != 0))
			unlink(path_in_dir(de->d_name));
	closedir(d);
	rmdir(dir);
}

int main(void)
{
	json_set_alloc_funcs(xmalloc, free);
	gsl_set_error_handler_off();
	if (!mkdtemp(dir)) {
		ok(0, "temporary directory");
		return tap_done();
	}
	test_layout();
	test_round_trip();
	test_class_round_trip();
	test_predict();
	test_layout_errors();
	test_broken();
	test_class_broken();
	test_bandit_round_trip();
	test_bandit_predict();
	test_bandit_broken();
	test_truncated();
	test_files();
	cleanup();
	return tap_done();
}
