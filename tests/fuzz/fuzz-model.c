/*
 * fuzz-model: libFuzzer harness for model files (lib/model.c).  Built and
 * run by scripts/fuzz.
 *
 * The input is the bytes of a model file, given to model_load_buffer.
 *
 * Checks, beyond what AddressSanitizer and UBSan catch (abort() on a
 * violation, which libFuzzer reports as a crash):
 *   - a refused file gives code 1 and a one-line message that names the
 *     file, and leaves the model empty (every byte as model_init left it);
 *   - a loaded model is consistent: ndesign is the sum of the inputs'
 *     widths laid out one after another, categorical inputs and only they
 *     have levels (distinct, non-empty), every array has the entries the
 *     layout says (each is read, so that AddressSanitizer sees a short
 *     one), numbers are finite, scales and smearing positive, group names
 *     distinct and each found by model_fit_for, and a fit exists; a
 *     classification has its penalty, C and class weights, a regression
 *     none, and each task's folds its own metrics only; a bandit model,
 *     and only it, has statistics: A symmetric with a diagonal of at least
 *     lambda, every number finite, its factors made, one pooled fit, mean
 *     0 and scale 1, no folds;
 *   - round trip: model_to_json of it reads back through model_from_json
 *     as the same model, bit for bit; model_save writes it (a loaded model
 *     is always a valid one), the file loads as the same model again, and
 *     saving that gives the same bytes;
 *   - predicting runs: model_fit_for of a group and of an unknown one,
 *     model_linear of a zero design vector is the intercept, and encoding
 *     every input from missing, unseen and known values leaves zeros where
 *     it should; a bandit model's width is not negative and the same seed
 *     draws the same coefficients.
 */
#include "model.h"
#include "oracle.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Noreturn void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-model: %s\n", what);
	if (detail)
		fprintf(stderr, "%s\n", detail);
	abort();
}

#define CHECK(cond, detail) do { if (!(cond)) fail("check failed: " #cond, (detail)); } while (0)

/* ---- comparing ----------------------------------------------------------- */

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static int same_nums(const double *a, const double *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!same_bits(a[i], b[i]))
			return 0;
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* NaN is what a null metric reads as; any NaN is the same NaN here. */
static int same_metric(double a, double b)
{
	return isnan(a) ? isnan(b) : same_bits(a, b);
}

static void same_fit(const struct model_fit *a, const struct model_fit *b, size_t nd)
{
	CHECK(same_str(a->group, b->group), a->group);
	CHECK(a->rows == b->rows, a->group);
	CHECK(same_bits(a->intercept, b->intercept), a->group);
	CHECK(same_nums(a->coef, b->coef, nd), a->group);
	CHECK(!a->cov == !b->cov, a->group);
	CHECK(!a->cov || same_nums(a->cov, b->cov, nd * nd), a->group);
	CHECK(same_bits(a->lambda, b->lambda) && same_bits(a->sigma2, b->sigma2), a->group);
	CHECK(same_bits(a->dof, b->dof) && same_bits(a->smearing, b->smearing), a->group);
	CHECK(a->nresiduals == b->nresiduals, a->group);
	CHECK(same_nums(a->residuals, b->residuals, a->nresiduals), a->group);
}

static void same_model(const struct model *a, const struct model *b)
{
	CHECK(a->task == b->task && a->algo == b->algo, NULL);
	CHECK(same_str(a->program, b->program) && same_str(a->target, b->target), NULL);
	CHECK(same_str(a->key, b->key) && same_str(a->time, b->time) && same_str(a->by, b->by), NULL);
	CHECK(a->log_target == b->log_target && a->season == b->season, NULL);
	CHECK(same_bits(a->weight_half_life, b->weight_half_life), NULL);
	CHECK(a->penalty == b->penalty && same_bits(a->C, b->C), NULL);
	CHECK(same_nums(a->class_weight, b->class_weight, 2), NULL);
	CHECK(a->ninputs == b->ninputs && a->ndesign == b->ndesign, NULL);
	for (size_t i = 0; i < a->ninputs; i++) {
		const struct model_input *x = &a->inputs[i], *y = &b->inputs[i];
		CHECK(strcmp(x->name, y->name) == 0, x->name);
		CHECK(x->categorical == y->categorical && x->nlevels == y->nlevels, x->name);
		CHECK(x->offset == y->offset && x->width == y->width, x->name);
		for (size_t k = 0; k < x->nlevels; k++) {
			CHECK(strcmp(x->levels[k], y->levels[k]) == 0, x->name);
			CHECK(same_metric(x->level_num[k], y->level_num[k]), x->name);
		}
	}
	CHECK(same_nums(a->mean, b->mean, a->ndesign), NULL);
	CHECK(same_nums(a->scale, b->scale, a->ndesign), NULL);
	CHECK(a->has_pooled == b->has_pooled, NULL);
	if (a->has_pooled)
		same_fit(&a->pooled, &b->pooled, a->ndesign);
	CHECK(a->ngroups == b->ngroups, NULL);
	for (size_t i = 0; i < a->ngroups; i++)
		same_fit(&a->groups[i], &b->groups[i], a->ndesign);
	CHECK(a->nfolds == b->nfolds, NULL);
	for (size_t i = 0; i < a->nfolds; i++) {
		const struct model_fold *x = &a->folds[i], *y = &b->folds[i];
		CHECK(x->train_rows == y->train_rows && x->test_rows == y->test_rows, NULL);
		CHECK(same_str(x->train_until, y->train_until), NULL);
		CHECK(same_str(x->test_until, y->test_until), NULL);
		CHECK(same_metric(x->mae, y->mae) && same_metric(x->rmse, y->rmse), NULL);
		CHECK(same_metric(x->mape, y->mape) && same_metric(x->mase, y->mase), NULL);
		CHECK(same_metric(x->auc, y->auc) && same_metric(x->logloss, y->logloss), NULL);
		CHECK(same_metric(x->brier, y->brier), NULL);
	}
	CHECK(a->rows == b->rows && same_str(a->fingerprint, b->fingerprint), NULL);
	CHECK(!a->bandit == !b->bandit, NULL);
	if (a->bandit) {
		const struct bandit *x = a->bandit, *y = b->bandit;
		CHECK(x->p == y->p && same_bits(x->alpha, y->alpha) && same_bits(x->lambda, y->lambda), NULL);
		CHECK(same_bits(x->sum_r, y->sum_r) && same_bits(x->sum_r2, y->sum_r2), NULL);
		CHECK(same_nums(x->b, y->b, x->p) && same_nums(x->A, y->A, x->p * x->p), NULL);
	}
}

/* ---- consistency --------------------------------------------------------- */

static void check_fit(const struct model *m, const struct model_fit *f)
{
	size_t nd = m->ndesign;

	CHECK(f->coef != NULL, f->group);
	for (size_t j = 0; j < nd; j++)
		CHECK(isfinite(f->coef[j]), f->group);
	for (size_t j = 0; f->cov && j < nd * nd; j++)
		CHECK(isfinite(f->cov[j]), f->group);
	CHECK(f->nresiduals <= MODEL_MAX_RESIDUALS, f->group);
	for (size_t j = 0; j < f->nresiduals; j++)
		CHECK(isfinite(f->residuals[j]), f->group);
	CHECK(isfinite(f->intercept), f->group);
	CHECK(f->lambda >= 0 && f->sigma2 >= 0 && f->dof >= 0, f->group);
	CHECK(isfinite(f->lambda) && isfinite(f->sigma2) && isfinite(f->dof), f->group);
	CHECK(f->smearing > 0 && isfinite(f->smearing), f->group);
}

static void check_model(const struct model *m)
{
	size_t nd = 0;

	CHECK(m->task == TASK_REGRESSION || m->task == TASK_CLASSIFICATION || m->task == TASK_BANDIT, NULL);
	CHECK(m->program && m->target && m->target[0], NULL);
	CHECK(!m->key || m->key[0], NULL);
	CHECK(!m->time || m->time[0], NULL);
	CHECK(!m->by || m->by[0], NULL);
	CHECK(!m->log_target || m->task == TASK_REGRESSION, NULL);
	CHECK(m->weight_half_life >= 0 && isfinite(m->weight_half_life), NULL);
	CHECK(m->season >= 0, NULL);
	if (m->task == TASK_CLASSIFICATION) {
		CHECK(m->penalty == 0 || m->penalty == 1, NULL);
		CHECK(m->C > 0 && isfinite(m->C), NULL);
		CHECK(m->class_weight[0] > 0 && isfinite(m->class_weight[0]), NULL);
		CHECK(m->class_weight[1] > 0 && isfinite(m->class_weight[1]), NULL);
	} else {
		CHECK(m->penalty == 0 && m->C == 0, NULL);
		CHECK(m->class_weight[0] == 0 && m->class_weight[1] == 0, NULL);
	}
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *p = &m->inputs[i];
		CHECK(p->name && p->name[0], NULL);
		for (size_t k = 0; k < i; k++)
			CHECK(strcmp(m->inputs[k].name, p->name) != 0, p->name);
		CHECK(p->offset == nd, p->name);
		CHECK(p->categorical ? p->nlevels > 0 && p->width == p->nlevels :
		      p->nlevels == 0 && p->width == 1, p->name);
		for (size_t k = 0; k < p->nlevels; k++) {
			CHECK(p->levels[k] && p->levels[k][0] && strcmp(p->levels[k], "NA") != 0, p->name);
			CHECK(valid_utf8((const unsigned char *)p->levels[k], strlen(p->levels[k])), p->name);
			for (size_t l = 0; l < k; l++)
				CHECK(strcmp(p->levels[l], p->levels[k]) != 0, p->name);
			CHECK(isnan(p->level_num[k]) || isfinite(p->level_num[k]), p->name);
		}
		nd += p->width;
	}
	CHECK(nd == m->ndesign, NULL);
	CHECK(nd <= MODEL_MAX_DESIGN, NULL);
	CHECK(m->mean && m->scale, NULL);
	for (size_t j = 0; j < nd; j++) {
		CHECK(isfinite(m->mean[j]), NULL);
		CHECK(isfinite(m->scale[j]) && m->scale[j] > 0, NULL);
	}
	CHECK(m->has_pooled || m->ngroups > 0, NULL);
	CHECK(m->ngroups == 0 || m->by, NULL);
	CHECK(m->ngroups <= MODEL_MAX_GROUPS, NULL);
	if (m->has_pooled) {
		CHECK(m->pooled.group == NULL, NULL);
		check_fit(m, &m->pooled);
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct model_fit *f = &m->groups[i];
		CHECK(f->group && f->group[0], NULL);
		CHECK(model_fit_for(m, f->group) == f, f->group);
		check_fit(m, f);
	}
	for (size_t i = 0; i < m->nfolds; i++) {
		const struct model_fold *f = &m->folds[i];
		CHECK(isnan(f->mae) || f->mae >= 0, NULL);
		CHECK(isnan(f->rmse) || f->rmse >= 0, NULL);
		CHECK(isnan(f->mape) || f->mape >= 0, NULL);
		CHECK(isnan(f->mase) || f->mase >= 0, NULL);
		CHECK(isnan(f->auc) || (f->auc >= 0 && f->auc <= 1), NULL);
		CHECK(isnan(f->logloss) || (f->logloss >= 0 && isfinite(f->logloss)), NULL);
		CHECK(isnan(f->brier) || (f->brier >= 0 && f->brier <= 1), NULL);
		/* each task's folds hold its own metrics only */
		if (m->task == TASK_CLASSIFICATION)
			CHECK(isnan(f->mae) && isnan(f->rmse) && isnan(f->mape) && isnan(f->mase), NULL);
		else
			CHECK(isnan(f->auc) && isnan(f->logloss) && isnan(f->brier), NULL);
		CHECK(!f->train_until || f->train_until[0], NULL);
		CHECK(!f->test_until || f->test_until[0], NULL);
	}
	CHECK(m->fingerprint && strlen(m->fingerprint) == 71 &&
	      strncmp(m->fingerprint, "sha256:", 7) == 0, m->fingerprint);
	CHECK(!m->bandit == (m->task != TASK_BANDIT), NULL);
	if (m->bandit) {
		const struct bandit *s = m->bandit;
		size_t p = s->p;

		CHECK(p == nd + 1 && nd <= BANDIT_MAX_DESIGN, NULL);
		CHECK(m->has_pooled && m->ngroups == 0 && !m->by && m->nfolds == 0, NULL);
		CHECK(!m->log_target && m->weight_half_life == 0, NULL);
		CHECK(!m->pooled.cov && m->pooled.nresiduals == 0, NULL);
		for (size_t j = 0; j < nd; j++)
			CHECK(m->mean[j] == 0 && m->scale[j] == 1, NULL);
		CHECK(s->alpha >= 0 && isfinite(s->alpha) && s->lambda > 0 && isfinite(s->lambda), NULL);
		CHECK(isfinite(s->sum_r) && s->sum_r2 >= 0 && isfinite(s->sum_r2), NULL);
		CHECK(s->chol && s->draw_chol && s->draw_mean && s->work, NULL);
		for (size_t i = 0; i < p; i++) {
			CHECK(isfinite(s->b[i]) && s->A[i * p + i] >= s->lambda, NULL);
			for (size_t j = 0; j < p; j++)
				CHECK(isfinite(s->A[i * p + j]) && s->A[i * p + j] == s->A[j * p + i], NULL);
		}
	}
}

/* ---- predicting ---------------------------------------------------------- */

static const char unseen[] = "\x01 not in the model";

static int has_group(const struct model *m, const char *g)
{
	for (size_t i = 0; i < m->ngroups; i++)
		if (strcmp(m->groups[i].group, g) == 0)
			return 1;
	return 0;
}

static int has_leveln(const struct model_input *p, const char *s, size_t n)
{
	for (size_t k = 0; k < p->nlevels; k++)
		if (strlen(p->levels[k]) == n && memcmp(p->levels[k], s, n) == 0)
			return 1;
	return 0;
}

static int has_level(const struct model_input *p, const char *s)
{
	return has_leveln(p, s, strlen(s));
}

static void check_predict(const struct model *m)
{
	size_t nd = m->ndesign;
	double *x = calloc(nd ? nd : 1, sizeof *x);
	const struct model_fit *f;

	if (!x)
		abort();
	f = model_fit_for(m, NULL);
	CHECK(f == (m->has_pooled ? &m->pooled : NULL), NULL);
	if (!has_group(m, unseen))
		CHECK(model_fit_for(m, unseen) == f, NULL);
	for (size_t i = 0; i <= m->ngroups; i++) {
		const struct model_fit *g = i < m->ngroups ? &m->groups[i] : f;
		double eta;

		if (!g)
			continue;
		eta = model_linear(m, g, x);
		CHECK(eta == g->intercept, g->group);
		(void)model_output(m, g, eta);
		(void)model_untransform(m, eta);
		(void)model_transform(m, eta);
	}
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct model_input *p = &m->inputs[i];
		int zeros = 1;

		model_encode_num(m, i, NAN, x);
		for (size_t k = 0; k < p->width; k++)
			zeros &= x[p->offset + k] == 0;
		CHECK(zeros, p->name);
		CHECK(model_encode_text(m, i, "", 0, x) == 0, p->name);
		CHECK(model_encode_text(m, i, "NA", 2, x) == 0, p->name);
		for (size_t k = 0; k < p->width; k++)
			CHECK(x[p->offset + k] == 0, p->name);
		if (!p->categorical) {
			CHECK(model_encode_text(m, i, "1.5", 3, x) == 0, p->name);
			CHECK(model_encode_text(m, i, "x", 1, x) == -1, p->name);
			CHECK(x[p->offset] == 0, p->name);
			continue;
		}
		/* every level matches its own column */
		for (size_t k = 0; k < p->nlevels; k++) {
			size_t j = p->offset + k;
			CHECK(model_encode_text(m, i, p->levels[k], strlen(p->levels[k]), x) == 0, p->name);
			CHECK(x[j] == (1 - m->mean[j]) / m->scale[j], p->name);
			if (!isnan(p->level_num[k])) {
				model_encode_num(m, i, p->level_num[k], x);
				/* the first level of that value wins */
				for (size_t l = 0; l < k; l++)
					if (p->level_num[l] == p->level_num[k]) {
						j = p->offset + l;
						break;
					}
				CHECK(x[j] == (1 - m->mean[j]) / m->scale[j], p->name);
			}
		}
		CHECK(model_encode_text(m, i, unseen, strlen(unseen), x) == 0, p->name);
		for (size_t k = 0; k < p->width && !has_level(p, unseen); k++)
			CHECK(x[p->offset + k] == 0, p->name);
		/* a level's text cut short, or a level with a NUL after it,
		 * is no level (unless it is another level) */
		for (size_t k = 0; k < p->nlevels; k++) {
			const char *l = p->levels[k];
			size_t n = strlen(l);
			char *longer = malloc(n + 2);
			if (!longer)
				abort();
			memcpy(longer, l, n + 1);
			longer[n + 1] = 'x';
			CHECK(model_encode_text(m, i, longer, n + 2, x) == 0, p->name);
			for (size_t c = 0; c < p->width; c++)
				CHECK(x[p->offset + c] == 0, p->name);
			free(longer);
			if (n > 1) {
				char *cut = malloc(n - 1);   /* exactly n - 1 bytes */
				if (!cut)
					abort();
				memcpy(cut, l, n - 1);
				CHECK(model_encode_text(m, i, cut, n - 1, x) == 0, p->name);
				for (size_t c = 0; c < p->width && !has_leveln(p, l, n - 1); c++)
					CHECK(x[p->offset + c] == 0, p->name);
				free(cut);
			}
		}
	}
	if (m->bandit) {
		gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
		struct model_fit a, b;

		if (!r)
			abort();
		memset(x, 0, (nd ? nd : 1) * sizeof *x);
		CHECK(!(model_bandit_width(m, x) < 0), NULL);
		a.coef = calloc(nd + 1, sizeof *a.coef);
		b.coef = calloc(nd + 1, sizeof *b.coef);
		if (!a.coef || !b.coef)
			abort();
		gsl_rng_set(r, 3);
		model_bandit_draw(m, r, &a);
		gsl_rng_set(r, 3);
		model_bandit_draw(m, r, &b);
		CHECK(memcmp(&a.intercept, &b.intercept, sizeof a.intercept) == 0 &&
		      memcmp(a.coef, b.coef, nd * sizeof *a.coef) == 0, NULL);
		free(a.coef);
		free(b.coef);
		gsl_rng_free(r);
	}
	free(x);
}

/* ---- saving -------------------------------------------------------------- */

static char dir[64];

static void remove_dir(void)
{
	char path[128];

	snprintf(path, sizeof path, "%s/a.model", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/b.model", dir);
	unlink(path);
	rmdir(dir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	long n = 0;

	if (!fp)
		fail("cannot read a saved model", path);
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0 ||
	    !(data = malloc((size_t)n + 1)) || fread(data, 1, (size_t)n, fp) != (size_t)n)
		fail("cannot read a saved model", path);
	fclose(fp);
	*len = (size_t)n;
	return data;
}

static void check_save(const struct model *m)
{
	char a[128], b[128];
	struct model m2;
	struct adash_err e;
	char *ta, *tb;
	size_t la, lb;

	if (!dir[0]) {
		/* tmpfs when there is one: model_save syncs */
		snprintf(dir, sizeof dir, "%s", access("/dev/shm", W_OK) == 0 ?
			 "/dev/shm/fuzz-model-XXXXXX" : "/tmp/fuzz-model-XXXXXX");
		if (!mkdtemp(dir))
			fail("mkdtemp", dir);
		atexit(remove_dir);
	}
	snprintf(a, sizeof a, "%s/a.model", dir);
	snprintf(b, sizeof b, "%s/b.model", dir);
	memset(&e, 0, sizeof e);
	if (model_save(m, a, &e) < 0)
		fail("model_save refused a loaded model", e.msg);
	ta = slurp(a, &la);
	CHECK(la > 0 && ta[la - 1] == '\n', NULL);
	if (model_load_buffer(&m2, ta, la, "saved", &e) < 0) {
		fprintf(stderr, "fuzz-model: a saved model does not load: %s\n%.*s\n", e.msg, (int)la, ta);
		abort();
	}
	same_model(m, &m2);
	if (model_save(&m2, b, &e) < 0)
		fail("model_save refused a reloaded model", e.msg);
	tb = slurp(b, &lb);
	if (la != lb || memcmp(ta, tb, la) != 0) {
		fprintf(stderr, "fuzz-model: saving twice gave different bytes\n%.*s\n---\n%.*s\n",
			(int)la, ta, (int)lb, tb);
		abort();
	}
	free(ta);
	free(tb);
	model_free(&m2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct model empty;   /* what model_init leaves: all zero */
	struct model m, m2;
	struct adash_err e;
	json_t *j;

	memset(&e, 0, sizeof e);
	if (model_load_buffer(&m, (const char *)data, size, "fuzz.model", &e) < 0) {
		CHECK(e.code == ADASH_EDATA, e.msg);
		CHECK(one_line(e.msg), e.msg);
		CHECK(strncmp(e.msg, "fuzz.model", 10) == 0, e.msg);
		CHECK(memcmp(&m, &empty, sizeof m) == 0, e.msg);
		return 0;
	}
	check_model(&m);

	j = model_to_json(&m);
	CHECK(j != NULL, NULL);
	if (model_from_json(&m2, j, "json", &e) < 0)
		fail("model_from_json refuses what model_to_json wrote", e.msg);
	same_model(&m, &m2);
	json_decref(j);
	model_free(&m2);

	check_save(&m);
	check_predict(&m);
	model_free(&m);
	CHECK(memcmp(&m, &empty, sizeof m) == 0, NULL);
	return 0;
}
