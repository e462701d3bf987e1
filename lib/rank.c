/* rank: see rank.h. */
#include "rank.h"

#include "accounting.h"
#include "buf.h"
#include "groups.h"
#include "hashmap.h"
#include "model.h"
#include "num.h"
#include "readloop.h"
#include "rng.h"
#include "timeutil.h"
#include "writer.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int rank_policy_from_name(const char *name)
{
	static const char *const names[] = { "score", "popular", "recent" };

	for (int i = 0; i < 3; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* One candidate of the group being ranked; text lives in the group's buf. */
struct cand {
	size_t item, item_len;     /* offsets into text */
	size_t cap_value;          /* --max-per value: offset, or SIZE_MAX when missing */
	size_t reasons;            /* offset of the reason fields, NUL-separated */
	double score;
	double item_pop, role_pop; /* for a user without activity */
	unsigned char pinned, not_interested, cold;
	unsigned char repeat;      /* an item already given by an earlier row */
};

struct run {
	const struct rank_options *o;
	struct explore explore;    /* o's, linucb's alpha resolved */
	int bandit;                /* linucb or thompson: a bandit model scores */
	struct model model;
	int have_model;
	struct model_fit draw;     /* thompson: a posterior draw */
	/* input columns */
	struct readloop_columns cols; /* the first input's */
	long user_col, item_col, asof_col, pinned_col, ni_col, score_col, since_col, cap_col, by_col;
	long item_pop_col, role_pop_col;
	long *activity_cols;       /* user_sessions_*, user_engage_* */
	size_t nactivity;
	long *reason_cols;
	size_t nreasons;
	long *input_col;           /* per model input */
	double *x;
	/* the group */
	struct buf key, user, asof, text, rowkey;
	struct cand *cands;
	size_t ncands, cands_cap;
	double *xs;                /* thompson: the candidates' design vectors */
	size_t xs_cap;
	struct groups groups;      /* where the group ends; groups seen before */
	/* ranking scratch */
	double *score;
	unsigned char *avail;
	size_t scratch_cap;
	/* output */
	struct writer *w;
	FILE *out;
	struct field *row;
	char policy_name[64], explore_name[48];
	struct accounting acc;
	struct rng rng;
	uint64_t rows_seen;
};

/* The column with the longest window among PREFIX_<duration> columns. */
static long longest_window_col(const struct run *p, const char *prefix)
{
	size_t plen = strlen(prefix);
	long best = -1;
	int64_t best_us = 0;

	for (size_t i = 0; i < p->cols.n; i++) {
		int64_t us;

		if (strncmp(p->cols.names[i], prefix, plen) == 0 &&
		    time_parse_duration(p->cols.names[i] + plen, &us) == 0 && us > best_us) {
			best = (long)i;
			best_us = us;
		}
	}
	return best;
}

static long col_index(const struct run *p, const char *name)
{
	return names_index((const char *const *)p->cols.names, p->cols.n, name);
}

static int setup_columns(struct run *p, struct reader *r, struct adash_err *e)
{
	const struct rank_options *o = p->o;

	p->user_col = col_index(p, "user_id");
	p->item_col = col_index(p, "item_id");
	if (p->user_col < 0 || p->item_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (adash-rank ranks rows of user_id and item_id, as adash-features --events writes)",
			       reader_name(r), p->user_col < 0 ? "user_id" : "item_id");
	p->asof_col = col_index(p, "asof");
	p->pinned_col = col_index(p, "pinned");
	p->ni_col = col_index(p, "not_interested");
	p->since_col = col_index(p, "since_last");
	p->item_pop_col = longest_window_col(p, "item_engage_");
	p->role_pop_col = longest_window_col(p, "role_engage_");
	p->activity_cols = xcalloc(p->cols.n + 1, sizeof *p->activity_cols);
	p->reason_cols = xcalloc(p->cols.n + 1, sizeof *p->reason_cols);
	for (size_t i = 0; i < p->cols.n; i++) {
		if (strncmp(p->cols.names[i], "user_sessions_", 14) == 0 ||
		    strncmp(p->cols.names[i], "user_engage_", 12) == 0)
			p->activity_cols[p->nactivity++] = (long)i;
		if (strncmp(p->cols.names[i], "reason_", 7) == 0)
			p->reason_cols[p->nreasons++] = (long)i;
	}
	p->score_col = p->cap_col = p->by_col = -1;
	if (o->score_col && (p->score_col = col_index(p, o->score_col)) < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (--score-col)", reader_name(r), o->score_col);
	if (o->max_per_col && (p->cap_col = col_index(p, o->max_per_col)) < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (--max-per)", reader_name(r), o->max_per_col);
	if (o->policy == RANK_POPULAR && p->item_pop_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no item_engage_<window> column for --policy popular", reader_name(r));
	if (o->policy == RANK_RECENT && p->since_col < 0)
		return err_set(e, ADASH_EDATA, "%s: no since_last column for --policy recent", reader_name(r));
	if (p->have_model) {
		const struct model *m = &p->model;

		p->input_col = xcalloc(m->ninputs + 1, sizeof *p->input_col);
		for (size_t i = 0; i < m->ninputs; i++)
			if ((p->input_col[i] = col_index(p, m->inputs[i].name)) < 0)
				return err_set(e, ADASH_EDATA, "%s: no column \"%s\", an input of the model %s",
					       reader_name(r), m->inputs[i].name, o->model_path);
		if (m->by && (p->by_col = col_index(p, m->by)) < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"%s\", the model's --by column",
				       reader_name(r), m->by);
		p->x = xcalloc(m->ndesign + 1, sizeof *p->x);
	}
	return 0;
}

static void open_writer(struct run *p, int input_format)
{
	static const char *const fixed[] = { "user_id", "rank", "item_id", "score", "propensity", "policy" };
	const struct rank_options *o = p->o;
	size_t n = 6 + (p->asof_col >= 0) + p->nreasons, k = 0;
	const char **names = xcalloc(n, sizeof *names);
	int *json = xcalloc(n, sizeof *json);

	for (; k < 6; k++) {
		names[k] = fixed[k];
		json[k] = k == 1 || k == 3 || k == 4 ? COLUMN_NUMBER : COLUMN_STRING;
	}
	if (p->asof_col >= 0) {
		json[k] = COLUMN_STRING;
		names[k++] = "asof";
	}
	for (size_t i = 0; i < p->nreasons; i++, k++) {
		names[k] = p->cols.names[p->reason_cols[i]];
		json[k] = COLUMN_AUTO;
	}
	p->w = writer_new(p->out, o->io.output_format ? o->io.output_format : input_format, o->io.delimiter,
			  o->io.header);
	writer_columns(p->w, n, names, json);
	p->row = xcalloc(n, sizeof *p->row);
	free(names);
	free(json);
}

/* ---- one group ------------------------------------------------------------- */

static void write_placement(struct run *p, const struct cand *c, size_t rank, double score,
			    double propensity, const char *policy)
{
	char rank_s[32], score_s[NUM_FORMAT_MAX], prop_s[NUM_FORMAT_MAX];
	size_t k = 0;
	const char *r;

	field_set(&p->row[k++], p->user.data, p->user.len, FIELD_STRING);
	field_set(&p->row[k++], rank_s, (size_t)snprintf(rank_s, sizeof rank_s, "%zu", rank), FIELD_NUMBER);
	field_set(&p->row[k++], p->text.data + c->item, c->item_len, FIELD_STRING);
	field_set(&p->row[k++], score_s, num_format(score, score_s), FIELD_NUMBER);
	field_set(&p->row[k++], prop_s, num_format(propensity, prop_s), FIELD_NUMBER);
	field_set(&p->row[k++], policy, strlen(policy), FIELD_STRING);
	if (p->asof_col >= 0)
		field_set(&p->row[k++], p->asof.data, p->asof.len, FIELD_STRING);
	r = p->text.data + c->reasons;
	for (size_t i = 0; i < p->nreasons; i++, k++) {
		size_t len = strlen(r);

		field_set(&p->row[k], r, len, len ? FIELD_TEXT : FIELD_NULL);
		r += len + 1;
	}
	writer_row(p->w, p->row);
	p->acc.rows_out++;
}

/* Candidates that share a --max-per value with `placed` of them already at
 * the cap are not available. */
static int capped(const struct run *p, const struct cand *c, const size_t *placed, size_t nplaced)
{
	size_t same = 0;

	if (p->cap_col < 0 || c->cap_value == SIZE_MAX)
		return 0;
	for (size_t k = 0; k < nplaced; k++) {
		const struct cand *d = &p->cands[placed[k]];

		same += d->cap_value != SIZE_MAX &&
			strcmp(p->text.data + d->cap_value, p->text.data + c->cap_value) == 0;
	}
	return same >= (size_t)p->o->max_per;
}

/* An item of the group, for finding repeats: by text, then input order. */
struct item_ref {
	const char *s;
	size_t idx;
};

static int item_ref_cmp(const void *a, const void *b)
{
	const struct item_ref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Marks every repeat of an item in the group (all but its first row) so
 * that an item is placed at most once. */
static void mark_repeats(struct run *p)
{
	size_t n = p->ncands;
	struct item_ref *refs = xcalloc(n + 1, sizeof *refs);

	for (size_t i = 0; i < n; i++) {
		refs[i].s = p->text.data + p->cands[i].item;
		refs[i].idx = i;
	}
	qsort(refs, n, sizeof *refs, item_ref_cmp);
	for (size_t k = 1; k < n; k++)
		if (strcmp(refs[k].s, refs[k - 1].s) == 0)
			p->cands[refs[k].idx].repeat = 1;
	free(refs);
}

/* thompson: the scores of the group's candidates under a new posterior
 * draw, from the group's stream (policy_thompson_propensities' draw). */
static void draw_scores(void *ctx, double *score)
{
	struct run *p = ctx;
	const struct model *m = &p->model;

	model_bandit_draw(m, p->rng.r, &p->draw);
	for (size_t i = 0; i < p->ncands; i++)
		score[i] = model_linear(m, &p->draw, p->xs + i * m->ndesign);
}

static void rank_group(struct run *p)
{
	const struct rank_options *o = p->o;
	size_t n = p->ncands, nplaced = 0, npinned, limit = o->top > 0 ? (size_t)o->top : n;
	size_t *placed;
	double *prop;
	unsigned char *avail_at = NULL;   /* thompson: each rank's available set */
	int thompson = p->explore.kind == EXPLORE_THOMPSON;
	int cold = n > 0 && p->cands[0].cold;
	int by_role = 0;
	const char *base;

	if (n == 0)
		return;
	p->score = xgrow(p->score, &p->scratch_cap, n, sizeof *p->score);
	p->avail = xrealloc(p->avail, p->scratch_cap);
	placed = xcalloc(n, sizeof *placed);
	mark_repeats(p);
	prop = xcalloc(n, sizeof *prop);
	rng_reseed(&p->rng, o->io.seed, rng_stream_of(p->key.data, p->key.len));

	/* a user without activity gets popularity, by role when the role has any */
	if (cold && p->role_pop_col >= 0)
		for (size_t i = 0; i < n; i++)
			by_role |= p->cands[i].role_pop > 0;
	for (size_t i = 0; i < n; i++) {
		struct cand *c = &p->cands[i];

		if (cold)
			c->score = by_role ? c->role_pop : c->item_pop;
		p->score[i] = c->score;
	}
	if (cold)
		base = by_role ? "popular:role" : "popular";
	else
		base = o->policy == RANK_POPULAR ? "popular" : o->policy == RANK_RECENT ? "recent" : "score";
	if (p->explore.kind == EXPLORE_NONE)
		snprintf(p->policy_name, sizeof p->policy_name, "%s", base);
	else
		snprintf(p->policy_name, sizeof p->policy_name, "%s+%s", base, p->explore_name);

	/* pinned items first, by score (thompson's: the posterior mean, so
	 * that their order is not random and propensity 1 is true) */
	for (size_t i = 0; i < n; i++)
		p->avail[i] = p->cands[i].pinned && !p->cands[i].not_interested && !p->cands[i].repeat;
	while (nplaced < limit) {
		size_t pick = policy_greedy(p->score, p->avail, n);

		if (pick == n)
			break;
		p->avail[pick] = 0;
		prop[nplaced] = 1;
		placed[nplaced++] = pick;
	}
	npinned = nplaced;
	if (thompson) {
		draw_scores(p, p->score);
		avail_at = xmalloc((limit - npinned) * n + 1);
	}
	/* the rest, drawn rank by rank */
	while (nplaced < limit) {
		double propensity;
		size_t pick;

		for (size_t i = 0; i < n; i++) {
			const struct cand *c = &p->cands[i];

			p->avail[i] = !c->pinned && !c->not_interested && !c->repeat;
		}
		for (size_t k = 0; k < nplaced; k++)
			p->avail[placed[k]] = 0;
		for (size_t i = 0; i < n; i++)
			if (p->avail[i] && capped(p, &p->cands[i], placed, nplaced))
				p->avail[i] = 0;
		pick = policy_draw(&p->explore, p->score, p->avail, n, p->rng.r, &propensity);
		if (pick == n)
			break;
		if (thompson)
			memcpy(avail_at + (nplaced - npinned) * n, p->avail, n);
		prop[nplaced] = propensity;
		placed[nplaced++] = pick;
	}
	if (thompson && nplaced > npinned) {
		double *scratch = xmalloc(n * sizeof *scratch);

		policy_thompson_propensities(n, nplaced - npinned, placed + npinned, avail_at,
					     o->propensity_samples, draw_scores, p, scratch, prop + npinned);
		free(scratch);
	}
	/* a placement's score is what ranked it: thompson's drawn one */
	for (size_t k = 0; k < nplaced; k++) {
		const struct cand *c = &p->cands[placed[k]];

		if (k < npinned)
			write_placement(p, c, k + 1, c->score, 1, "pinned");
		else
			write_placement(p, c, k + 1, p->score[placed[k]], prop[k], p->policy_name);
	}
	for (size_t i = 0; i < n; i++) {
		int was_placed = 0;

		for (size_t k = 0; k < nplaced && !was_placed; k++)
			was_placed = placed[k] == i;
		if (!was_placed)
			accounting_drop(&p->acc, p->cands[i].repeat ? "repeated item"
						 : p->cands[i].not_interested ? "not interested"
						 : "below --top");
	}
	free(placed);
	free(prop);
	free(avail_at);
}

static void end_group(struct run *p)
{
	if (p->key.len == 0 && p->ncands == 0)
		return;
	rank_group(p);
	p->ncands = 0;
	buf_reset(&p->text);
}

/* ---- rows ------------------------------------------------------------------ */


/* A number cell; missing is def.  -1 when it is not a number. */
static int number_at(const struct field *rec, long col, double def, double *v)
{
	if (col < 0 || field_is_missing(&rec[col])) {
		*v = def;
		return 0;
	}
	return num_parse(rec[col].s, rec[col].len, v) == 0 && isfinite(*v) ? 0 : -1;
}

/* A 0/1 cell (also true/false, as NDJSON booleans come); missing is 0.
 * -1 for anything else. */
static int flag_at(const struct field *rec, long col, unsigned char *flag)
{
	int v;

	*flag = 0;
	if (col < 0 || field_is_missing(&rec[col]))
		return 0;
	if (field_flag(&rec[col], &v) < 0)
		return -1;
	*flag = (unsigned char)v;
	return 0;
}

/* The row's score by the policy.  -1 with row_err and *reason. */
static int row_score(struct run *p, struct reader *r, const struct field *rec, double *score,
		     struct adash_err *row_err, const char **reason)
{
	const struct rank_options *o = p->o;
	long col = -1;

	if (o->policy == RANK_SCORE && p->have_model) {
		const struct model *m = &p->model;
		const struct model_fit *fit;
		const char *group = NULL;
		char *gcopy = NULL;

		for (size_t i = 0; i < m->ninputs; i++) {
			const struct field *f = &rec[p->input_col[i]];

			if (model_encode_text(m, i, f->s, f->len, p->x) < 0) {
				*reason = "not a number";
				return reader_bad_value(r, m->inputs[i].name, f, "a number", row_err);
			}
		}
		if (p->by_col >= 0 && !field_is_missing(&rec[p->by_col]))
			group = gcopy = xstrndup(rec[p->by_col].s, rec[p->by_col].len);
		fit = model_fit_for(m, group);
		free(gcopy);
		if (!fit) {
			*reason = "no model for group";
			return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), m->by,
				      "no fit for this group and no pooled fit in the model");
		}
		*score = model_output(m, fit, model_linear(m, fit, p->x));
		if (p->explore.kind == EXPLORE_LINUCB)
			*score += p->explore.param * model_bandit_width(m, p->x);
		return 0;
	}
	if (o->policy == RANK_SCORE)
		col = p->score_col;
	else if (o->policy == RANK_POPULAR)
		col = p->item_pop_col;
	else
		col = p->since_col;
	if (field_is_missing(&rec[col]) || number_at(rec, col, 0, score) < 0) {
		*reason = "bad score";
		return reader_bad_value(r, p->cols.names[col], &rec[col], "a number", row_err);
	}
	if (o->policy == RANK_RECENT)
		*score = -*score; /* the least time since, first */
	return 0;
}

/* readloop's row function: ROW_OK, ROW_BAD (bad_row and err_at give -1),
 * or ROW_FATAL for a group out of place: the output would depend on the
 * input's order, so it is not a row --on-bad may skip. */
static int add_row(void *ctx, struct reader *r, const struct field *rec,
		   struct adash_err *row_err, const char **reason, struct adash_err *e)
{
	struct run *p = ctx;
	const struct field *user = &rec[p->user_col], *item = &rec[p->item_col];
	struct cand c;
	double v;
	int cold = 1;

	if (field_is_missing(user) || field_is_missing(item)) {
		*reason = field_is_missing(user) ? "missing user" : "missing item";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r),
			      field_is_missing(user) ? "user_id" : "item_id", "no value");
	}
	memset(&c, 0, sizeof c);
	if (row_score(p, r, rec, &c.score, row_err, reason) < 0)
		return -1;
	if (flag_at(rec, p->pinned_col, &c.pinned) < 0) {
		*reason = "bad flag";
		return reader_bad_value(r, "pinned", &rec[p->pinned_col], "0, 1, true or false", row_err);
	}
	if (flag_at(rec, p->ni_col, &c.not_interested) < 0) {
		*reason = "bad flag";
		return reader_bad_value(r, "not_interested", &rec[p->ni_col], "0, 1, true or false", row_err);
	}
	for (size_t k = 0; k < p->nactivity; k++) {
		if (number_at(rec, p->activity_cols[k], 0, &v) < 0) {
			*reason = "not a number";
			return reader_bad_value(r, p->cols.names[p->activity_cols[k]], &rec[p->activity_cols[k]],
				       "a number", row_err);
		}
		cold &= v == 0;
	}
	/* a bandit explores where it knows little, newcomers included:
	 * popularity in its place would explore nothing */
	c.cold = p->nactivity > 0 && cold && !p->bandit;
	if (c.cold) {
		if (number_at(rec, p->item_pop_col, 0, &c.item_pop) < 0) {
			*reason = "not a number";
			return reader_bad_value(r, p->cols.names[p->item_pop_col], &rec[p->item_pop_col], "a number", row_err);
		}
		if (number_at(rec, p->role_pop_col, 0, &c.role_pop) < 0) {
			*reason = "not a number";
			return reader_bad_value(r, p->cols.names[p->role_pop_col], &rec[p->role_pop_col], "a number", row_err);
		}
	}

	/* the group: a new one ends the one before */
	{
		struct buf *key = &p->rowkey;
		long first = 0;
		int step;

		buf_reset(key);
		buf_add(key, user->s, user->len);
		if (p->asof_col >= 0) {
			buf_addch(key, '\x1f');
			buf_add(key, rec[p->asof_col].s, rec[p->asof_col].len);
		}
		step = groups_next(&p->groups, key->data, key->len, reader_name(r), reader_line(r), &first);
		if (step != GROUP_SAME) {
			end_group(p);
			if (step == GROUP_AGAIN) {
				err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "user_id",
				       "the rows of this user%s began at line %ld and were followed by another's: adash-rank needs each user's rows together (sort by user_id)",
				       p->asof_col >= 0 ? " and cut" : "", first);
				return ROW_FATAL;
			}
			buf_reset(&p->key);
			buf_add(&p->key, key->data, key->len);
			buf_reset(&p->user);
			buf_add(&p->user, user->s, user->len);
			buf_reset(&p->asof);
			if (p->asof_col >= 0)
				buf_add(&p->asof, rec[p->asof_col].s, rec[p->asof_col].len);
		}
	}
	c.item = p->text.len;
	c.item_len = item->len;
	buf_add(&p->text, item->s, item->len);
	buf_addch(&p->text, '\0');
	c.cap_value = SIZE_MAX;
	if (p->cap_col >= 0 && !field_is_missing(&rec[p->cap_col])) {
		c.cap_value = p->text.len;
		buf_add(&p->text, rec[p->cap_col].s, rec[p->cap_col].len);
		buf_addch(&p->text, '\0');
	}
	c.reasons = p->text.len;
	for (size_t k = 0; k < p->nreasons; k++) {
		const struct field *f = &rec[p->reason_cols[k]];

		if (!field_is_missing(f))
			buf_add(&p->text, f->s, f->len);
		buf_addch(&p->text, '\0');
	}
	if (p->explore.kind == EXPLORE_THOMPSON) {
		size_t nd = p->model.ndesign;

		p->xs = xgrow(p->xs, &p->xs_cap, (p->ncands + 1) * nd, sizeof *p->xs);
		memcpy(p->xs + p->ncands * nd, p->x, nd * sizeof *p->xs);
	}
	p->cands = xgrow(p->cands, &p->cands_cap, p->ncands + 1, sizeof *p->cands);
	p->cands[p->ncands++] = c;
	return 0;
}

/* readloop_input's set-up of the first input with columns. */
static int setup_input(void *ctx, struct reader *r, struct adash_err *e)
{
	struct run *p = ctx;

	if (setup_columns(p, r, e) < 0)
		return -1;
	open_writer(p, reader_format(r));
	return 0;
}

static int run_input(struct run *p, const char *path, struct adash_err *e)
{
	return readloop_input(path, &p->o->io.read, &p->cols, setup_input, &p->acc, p->o->io.progress,
			      &p->rows_seen, add_row, p, e);
}

static void run_free(struct run *p)
{
	readloop_columns_free(&p->cols);
	free(p->activity_cols);
	free(p->reason_cols);
	free(p->input_col);
	free(p->x);
	buf_free(&p->key);
	buf_free(&p->rowkey);
	buf_free(&p->user);
	buf_free(&p->asof);
	buf_free(&p->text);
	free(p->cands);
	free(p->xs);
	free(p->draw.coef);
	groups_free(&p->groups);
	free(p->score);
	free(p->avail);
	free(p->row);
	writer_free(p->w);
	rng_free(&p->rng);
	if (p->have_model)
		model_free(&p->model);
}

int rank_run(const struct rank_options *o, char *const *inputs, FILE *out, struct adash_err *e)
{
	struct run p;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.out = out;
	groups_init(&p.groups);
	rng_init(&p.rng, o->io.seed);
	p.explore = o->explore;
	p.bandit = o->explore.kind == EXPLORE_THOMPSON || o->explore.kind == EXPLORE_LINUCB;
	if (o->model_path) {
		model_init(&p.model);
		if (model_load(&p.model, o->model_path, e) < 0) {
			model_free(&p.model);
			run_free(&p);
			return -1;
		}
		p.have_model = 1;
	}
	explore_name(&p.explore, p.explore_name, sizeof p.explore_name);
	if (p.bandit && (!p.have_model || p.model.task != TASK_BANDIT)) {
		char what[256] = "";

		if (p.have_model)
			snprintf(what, sizeof what, "; the algorithm of %s is %s", o->model_path,
				 model_algo_name(p.model.task, p.model.algo));
		err_set(e, ADASH_EUSAGE, "--explore %s needs a bandit model (-m, from adash-train --algo linucb or thompson)%s",
			p.explore_name, what);
		run_free(&p);
		return -1;
	}
	if (p.bandit) {
		if (isnan(p.explore.param))
			p.explore.param = p.model.bandit->alpha;
		explore_name(&p.explore, p.explore_name, sizeof p.explore_name);
		p.draw.coef = xcalloc(p.model.ndesign + 1, sizeof *p.draw.coef);
	}
	if (accounting_open(&p.acc, o->io.on_bad, o->io.reject_path, o->io.stats_path, e) < 0) {
		run_free(&p);
		return -1;
	}
	for (size_t f = 0; inputs[f]; f++)
		if (run_input(&p, inputs[f], e) < 0)
			goto out;
	end_group(&p);
	if (!p.w) {
		/* no input columns at all: the header of an empty ranking */
		p.cols.n = 0;
		p.asof_col = -1;
		open_writer(&p, FORMAT_CSV);
	}
	if (readloop_finish(&p.acc, o->io.progress, p.rows_seen, out, o->io.verbose, o->io.prog, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		accounting_abort(&p.acc);
	run_free(&p);
	return rc;
}
