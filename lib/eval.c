/*
 * eval: see eval.h.
 *
 * Reference data lives in hash maps keyed by text with a unit separator
 * (0x1f, which no id of a CSV cell is expected to hold) between the parts:
 * key and day for the truth of a forecast, user and item for ranking
 * truth and for the layout of policy mode.  A map's value is an index
 * into a parallel array (the actual, the gain, the rank), so that the
 * maps hold no pointers that a growing array would leave dangling.
 *
 * MASE with a scale per key: each row's absolute error is divided by the
 * scale of its own key (the in-sample mean absolute error of the seasonal
 * naive forecast of that key's --history), and a group's MASE is the
 * mean of those scaled errors (Hyndman and Koehler's mean of scaled
 * errors).  With --by the key, that is MAE / scale for each key; the
 * "all" row then weighs every forecast row alike across keys of very
 * different sizes.  Rejected: dividing the pooled MAE by a pooled scale,
 * which lets the largest shop decide the figure for all of them.  A
 * group with a row whose key has no scale (no history, or a history
 * without pairs m days apart, or one whose naive forecast is perfect) has
 * no MASE, rather than one over the rows that happen to have a scale.
 *
 * Ranking lists are streamed as adash-rank writes them: a list is the
 * rows of one user (and cut, with an asof column), together; it is scored
 * when the next begins, so memory is the truth, the items seen and the K
 * slots of one list.  An item already in the list, found through the map
 * of every item seen (its value is the serial of the last list that
 * placed it), is a bad row, and so is a rank given twice within the first
 * K: either would count one engagement twice.
 */
#include "eval.h"

#include "accounting.h"
#include "atomicfile.h"
#include "buf.h"
#include "hashmap.h"
#include "metrics.h"
#include "num.h"
#include "offpolicy.h"
#include "rankmetrics.h"
#include "rng.h"
#include "sidefile.h"
#include "timeutil.h"
#include "writer.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define SEP '\x1f'

int eval_match_from_name(const char *name)
{
	if (strcmp(name, "rank") == 0)
		return EVAL_MATCH_RANK;
	if (strcmp(name, "item") == 0)
		return EVAL_MATCH_ITEM;
	return -1;
}

/* The accumulators of one group; a mode uses its own and leaves the others
 * empty. */
struct group {
	char *name;
	size_t len;
	/* regression */
	struct point_metrics pm;
	struct kahan scaled;         /* sum of |y - f| / the row's key's scale */
	size_t scaled_n;             /* rows with a scale */
	/* classification */
	struct class_metrics cls;
	/* ranking */
	struct rank_metrics rank;
	struct coverage placed;
	size_t without_truth, without_layout;
	/* policy */
	struct ips ips;
	struct ips_interval ci;
};

/* A user of the ranking truth. */
struct tuser {
	double idcg;
	size_t nrelevant;            /* items with a gain > 0 */
	int listed;                  /* some list of the layout is the user's */
};

/* A row of --history, before sorting. */
struct hist_row {
	size_t key;
	int64_t day;
	double y;
	long line;
};

/* Columns of the scored input (-1: absent). */
struct cols {
	long key, time, pred, lo, hi, by;
	long label, score;
	long user, item, rank, asof;
	long propensity, reward;
};

struct run {
	const struct eval_options *o;
	struct accounting acc;
	int in_format;               /* of the first input, for the output */
	/* groups, in order of first appearance, and all */
	struct hashmap group_index;
	struct group **groups;
	size_t ngroups, groups_cap;
	struct group all;
	/* reference data */
	struct hashmap ref;          /* key SEP day, user SEP item -> index in val */
	double *val;                 /* actual, gain or rank */
	size_t nval, val_cap;
	struct hashmap keys;         /* regression: key -> scale[]; ranking, policy: user -> index */
	double *scale;
	struct hist_row *hist;       /* regression: --history, until the scales are made */
	size_t nhist, hist_cap;
	struct tuser *tusers;
	size_t *pair_user;           /* ranking: the user of each truth pair */
	size_t pair_user_cap;
	struct hashmap items;        /* ranking: every item seen -> serial of the last list */
	struct hashmap catalog;
	int have_catalog;
	/* the scored input */
	char **names;
	size_t ncols;
	struct cols c;
	int match;                   /* policy: EVAL_MATCH_RANK or EVAL_MATCH_ITEM */
	size_t k;
	struct buf kb, kb2;
	uint64_t rows_seen;
	int fatal;                   /* a row error that --on-bad cannot skip */
	/* ranking: the list being read */
	struct buf list_key;
	int in_list;
	size_t list_user;            /* index in tusers, or NONE */
	struct group *list_group;
	double *gains;               /* K slots */
	unsigned char *filled;
	size_t *set_ranks, nset;
	int64_t list_serial;
	struct hashmap done;         /* keys of finished lists -> first line */
	long list_line;
};

/* ---- groups ---------------------------------------------------------------- */

static void group_init(struct group *g, const char *name, size_t len)
{
	memset(g, 0, sizeof *g);
	g->name = xstrndup(name, len);
	g->len = len;
	point_metrics_init(&g->pm);
	class_metrics_init(&g->cls);
	rank_metrics_init(&g->rank);
	coverage_init(&g->placed);
	ips_init(&g->ips);
	g->ci.ips_lo = g->ci.ips_hi = g->ci.snips_lo = g->ci.snips_hi = NAN;
}

static void group_free(struct group *g)
{
	free(g->name);
	class_metrics_free(&g->cls);
	coverage_free(&g->placed);
	ips_free(&g->ips);
}

/* The group of the row by --by (NULL without --by).  -1 with row_err when
 * the row has no value there. */
static int group_of(struct run *p, struct reader *r, const struct field *rec,
		    struct group **g, struct adash_err *row_err)
{
	const struct field *f;
	struct hashmap_entry *en;
	int added;

	*g = NULL;
	if (p->c.by < 0)
		return 0;
	f = &rec[p->c.by];
	if (field_is_missing(f))
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), p->o->by,
			      "no value (the --by column)");
	en = hashmap_put(&p->group_index, f->s, f->len, &added);
	if (added) {
		p->groups = xgrow(p->groups, &p->groups_cap, p->ngroups + 1, sizeof *p->groups);
		p->groups[p->ngroups] = xmalloc(sizeof **p->groups);
		group_init(p->groups[p->ngroups], f->s, f->len);
		en->val.num = (int64_t)p->ngroups++;
	}
	*g = p->groups[en->val.num];
	return 0;
}

/* ---- fields ---------------------------------------------------------------- */


static int no_value(struct adash_err *e, struct reader *r, const char *col)
{
	return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), col, "no value");
}

static int parse_num(const struct field *f, double *v)
{
	return !field_is_missing(f) && num_parse(f->s, f->len, v) == 0 ? 0 : -1;
}

/* A rank: an integer >= 1. */
static int parse_rank(const struct field *f, int64_t *rank)
{
	return !field_is_missing(f) && num_parse_int(f->s, f->len, rank) == 0 && *rank >= 1 ? 0 : -1;
}

static int find_col(struct reader *r, const char *name, const char *why, long *col,
		    struct adash_err *e)
{
	if ((*col = reader_col(r, name)) < 0)
		return err_set(e, ADASH_EDATA, "%s: no column \"%s\" (%s)", reader_name(r), name, why);
	return 0;
}

/* key SEP rest into b. */
static void pair_key(struct buf *b, const char *a, size_t alen, const char *c, size_t clen)
{
	buf_reset(b);
	buf_add(b, a, alen);
	buf_addch(b, SEP);
	buf_add(b, c, clen);
}

static void series_key(struct buf *b, const char *key, size_t len, int64_t day)
{
	buf_reset(b);
	buf_add(b, key, len);
	buf_printf(b, "%c%lld", SEP, (long long)day);
}

static size_t push_val(struct run *p, double v)
{
	p->val = xgrow(p->val, &p->val_cap, p->nval + 1, sizeof *p->val);
	p->val[p->nval] = v;
	return p->nval++;
}

/* ---- reference files --------------------------------------------------------- */

/* Reads a reference file whole (sidefile.h): a bad row is an error
 * whatever --on-bad says. */
static int read_reference(struct run *p, const char *path, const char *const *names,
			  const char *const *why, size_t n, sidefile_row_fn fn, int *format,
			  struct adash_err *e)
{
	return sidefile_read(path, &p->o->io.read, names, why, n, fn, p, format, e);
}

/* ---- regression: truth and history --------------------------------------- */

/* The key of a row (empty without --key), or -1 with e. */
static int series_of(struct reader *r, const struct field *rec, long key_col, const char *key_name,
		     long time_col, const char *time_name, const char **key, size_t *len,
		     int64_t *day, struct adash_err *e)
{
	*key = "";
	*len = 0;
	if (key_col >= 0) {
		if (field_is_missing(&rec[key_col]))
			return no_value(e, r, key_name);
		*key = rec[key_col].s;
		*len = rec[key_col].len;
	}
	if (time_parse_date(rec[time_col].s, rec[time_col].len, day) < 0)
		return reader_bad_value(r, time_name, &rec[time_col], "a date (YYYY-MM-DD)", e);
	return 0;
}

/* A truth or history row's series, day and value (cols: key or -1, time,
 * target): 1 with them set, 0 for a row without a value that day, or -1
 * with e. */
static int series_value(const struct run *p, struct reader *r, const struct field *rec,
			const long *cols, const char **key, size_t *len, int64_t *day, double *y,
			struct adash_err *e)
{
	const struct eval_options *o = p->o;

	if (series_of(r, rec, cols[0], o->key, cols[1], o->time, key, len, day, e) < 0)
		return -1;
	if (field_is_missing(&rec[cols[2]]))
		return 0;
	if (parse_num(&rec[cols[2]], y) < 0)
		return reader_bad_value(r, o->target, &rec[cols[2]], "a number", e);
	return 1;
}

static int truth_value_row(void *ctx, struct reader *r, const struct field *rec,
			   const long *cols, struct adash_err *e)
{
	struct run *p = ctx;
	const struct eval_options *o = p->o;
	const char *key;
	size_t len;
	int64_t day;
	double y;
	struct hashmap_entry *en;
	int added, st = series_value(p, r, rec, cols, &key, &len, &day, &y, e);

	if (st <= 0)
		return st;   /* an error, or no actual that day */
	series_key(&p->kb, key, len, day);
	en = hashmap_put(&p->ref, p->kb.data, p->kb.len, &added);
	if (!added)
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), o->time,
			      "a second truth row for this %s and date", o->key ? o->key : "series");
	en->val.num = (int64_t)push_val(p, y);
	return 0;
}

static int history_row(void *ctx, struct reader *r, const struct field *rec,
		       const long *cols, struct adash_err *e)
{
	struct run *p = ctx;
	const char *key;
	size_t len;
	int64_t day;
	double y;
	struct hashmap_entry *en;
	int added, st = series_value(p, r, rec, cols, &key, &len, &day, &y, e);

	if (st <= 0)
		return st;
	en = hashmap_put(&p->keys, key, len, &added);
	if (added)
		en->val.num = (int64_t)(hashmap_count(&p->keys) - 1);
	p->hist = xgrow(p->hist, &p->hist_cap, p->nhist + 1, sizeof *p->hist);
	p->hist[p->nhist].key = (size_t)en->val.num;
	p->hist[p->nhist].day = day;
	p->hist[p->nhist].y = y;
	p->hist[p->nhist].line = reader_line(r);
	p->nhist++;
	return 0;
}

static int hist_cmp(const void *a, const void *b)
{
	const struct hist_row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* Each key's seasonal naive scale from its history rows in time order. */
static int history_scales(struct run *p, struct adash_err *e)
{
	size_t nkeys = hashmap_count(&p->keys), nhist = p->nhist;
	const struct hist_row *hist = p->hist;

	p->scale = xcalloc(nkeys + 1, sizeof *p->scale);
	qsort(p->hist, nhist, sizeof *p->hist, hist_cmp);
	for (size_t i = 0; i < nhist;) {
		struct naive_scale s;
		size_t j = i;

		naive_scale_init(&s, p->o->season);
		for (; j < nhist && hist[j].key == hist[i].key; j++) {
			if (j > i && hist[j].day == hist[j - 1].day) {
				naive_scale_free(&s);
				return err_at(e, ADASH_EDATA, p->o->history_path, hist[j].line, p->o->time,
					      "a second history row for this %s and date (the first is line %ld)",
					      p->o->key ? p->o->key : "series", hist[j - 1].line);
			}
			naive_scale_add(&s, (long long)hist[j].day, hist[j].y);
		}
		p->scale[hist[i].key] = naive_scale_value(&s);
		naive_scale_free(&s);
		i = j;
	}
	return 0;
}

static int load_regression(struct run *p, struct adash_err *e)
{
	const struct eval_options *o = p->o;
	const char *names[3] = { o->key, o->time, o->target };
	const char *why[3] = { "--key", "--time", "--target" };
	int rc;

	if (read_reference(p, o->truth_path, names, why, 3, truth_value_row, NULL, e) < 0)
		return -1;
	if (!o->history_path)
		return 0;
	rc = read_reference(p, o->history_path, names, why, 3, history_row, NULL, e);
	if (rc == 0)
		rc = history_scales(p, e);
	free(p->hist);
	p->hist = NULL;
	return rc;
}

/* ---- ranking: truth and catalog ------------------------------------------ */

/* cols: user, item, gain (or -1) */
static int truth_pair_row(void *ctx, struct reader *r, const struct field *rec,
			  const long *cols, struct adash_err *e)
{
	struct run *p = ctx;
	const struct field *user = &rec[cols[0]], *item = &rec[cols[1]];
	struct hashmap_entry *en, *u;
	double gain = 1;
	int added;

	if (field_is_missing(user))
		return no_value(e, r, "user_id");
	if (field_is_missing(item))
		return no_value(e, r, "item_id");
	if (cols[2] >= 0 && (parse_num(&rec[cols[2]], &gain) < 0 || gain < 0))
		return reader_bad_value(r, p->o->gain, &rec[cols[2]], "a number >= 0", e);
	hashmap_put(&p->items, item->s, item->len, NULL);
	u = hashmap_put(&p->keys, user->s, user->len, &added);
	if (added)
		u->val.num = (int64_t)(hashmap_count(&p->keys) - 1);
	pair_key(&p->kb, user->s, user->len, item->s, item->len);
	en = hashmap_put(&p->ref, p->kb.data, p->kb.len, &added);
	if (!added) {
		/* a pair given again: once without --gain, its gains add up with */
		if (cols[2] >= 0)
			p->val[en->val.num] += gain;
		return 0;
	}
	en->val.num = (int64_t)push_val(p, gain);
	p->pair_user = xgrow(p->pair_user, &p->pair_user_cap, p->nval, sizeof *p->pair_user);
	p->pair_user[en->val.num] = (size_t)u->val.num;
	return 0;
}

/* Each truth user's relevant items: their number and ideal DCG@K. */
static void truth_users(struct run *p)
{
	size_t nusers = hashmap_count(&p->keys), *start = xcalloc(nusers + 1, sizeof *start);
	double *g = xcalloc(p->nval + 1, sizeof *g);

	p->tusers = xcalloc(nusers + 1, sizeof *p->tusers);
	for (size_t i = 0; i < p->nval; i++)
		if (p->val[i] > 0)
			start[p->pair_user[i] + 1]++;
	for (size_t u = 0; u < nusers; u++)
		start[u + 1] += start[u];
	for (size_t i = 0; i < p->nval; i++)
		if (p->val[i] > 0)
			g[start[p->pair_user[i]] + p->tusers[p->pair_user[i]].nrelevant++] = p->val[i];
	for (size_t u = 0; u < nusers; u++)
		p->tusers[u].idcg = rank_ideal_dcg(g + start[u], p->tusers[u].nrelevant, p->k);
	free(start);
	free(g);
}

static int catalog_row(void *ctx, struct reader *r, const struct field *rec,
		       const long *cols, struct adash_err *e)
{
	struct run *p = ctx;
	if (field_is_missing(&rec[cols[0]]))
		return no_value(e, r, "item_id");
	hashmap_put(&p->catalog, rec[cols[0]].s, rec[cols[0]].len, NULL);
	return 0;
}

static int load_ranking(struct run *p, struct adash_err *e)
{
	const struct eval_options *o = p->o;
	const char *names[3] = { "user_id", "item_id", o->gain };
	const char *why[3] = { "the truth's users", "the truth's items", "--gain" };

	if (read_reference(p, o->truth_path, names, why, 3, truth_pair_row, NULL, e) < 0)
		return -1;
	truth_users(p);
	if (o->catalog_path) {
		const char *cn[1] = { "item_id" }, *cw[1] = { "the catalog's items" };

		p->have_catalog = 1;
		if (read_reference(p, o->catalog_path, cn, cw, 1, catalog_row, NULL, e) < 0)
			return -1;
	}
	p->gains = xcalloc(p->k, sizeof *p->gains);
	p->filled = xcalloc(p->k, 1);
	p->set_ranks = xcalloc(p->k, sizeof *p->set_ranks);
	return 0;
}

/* ---- policy: the new layout ------------------------------------------------ */

/* cols: user, item, rank */
static int layout_row(void *ctx, struct reader *r, const struct field *rec,
		      const long *cols, struct adash_err *e)
{
	struct run *p = ctx;
	const struct field *user = &rec[cols[0]], *item = &rec[cols[1]];
	struct hashmap_entry *en;
	int64_t rank;
	int added;

	if (field_is_missing(user))
		return no_value(e, r, "user_id");
	if (field_is_missing(item))
		return no_value(e, r, "item_id");
	if (parse_rank(&rec[cols[2]], &rank) < 0)
		return reader_bad_value(r, "rank", &rec[cols[2]], "a rank (an integer >= 1)", e);
	hashmap_put(&p->keys, user->s, user->len, NULL);
	pair_key(&p->kb, user->s, user->len, item->s, item->len);
	en = hashmap_put(&p->ref, p->kb.data, p->kb.len, &added);
	if (!added)
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "item_id",
			      "the layout places this item twice for this user (policy mode takes one list per user)");
	en->val.num = (int64_t)push_val(p, (double)rank);
	return 0;
}

static int load_policy(struct run *p, char *const *inputs, struct adash_err *e)
{
	static const char *const names[3] = { "user_id", "item_id", "rank" };
	static const char *const why[3] = {
		"the layout: adash-rank's output", "the layout: adash-rank's output",
		"the layout: adash-rank's output"
	};

	/* the output follows the layout's format */
	for (size_t f = 0; inputs[f]; f++)
		if (read_reference(p, inputs[f], names, why, 3, layout_row, &p->in_format, e) < 0)
			return -1;
	return 0;
}

/* ---- scored rows ------------------------------------------------------------- */

static int setup_columns(struct run *p, struct reader *r, struct adash_err *e)
{
	const struct eval_options *o = p->o;
	struct cols *c = &p->c;

	c->key = c->time = c->pred = c->lo = c->hi = c->by = -1;
	c->label = c->score = -1;
	c->user = c->item = c->rank = c->asof = -1;
	c->propensity = c->reward = -1;
	p->ncols = reader_ncols(r);
	p->names = xcalloc(p->ncols + 1, sizeof *p->names);
	for (size_t i = 0; i < p->ncols; i++)
		p->names[i] = xstrdup(reader_colname(r, i));
	if (o->by && find_col(r, o->by, "--by", &c->by, e) < 0)
		return -1;
	switch (o->mode) {
	case EVAL_REGRESSION:
		if ((o->key && find_col(r, o->key, "--key", &c->key, e) < 0) ||
		    find_col(r, o->time, "--time", &c->time, e) < 0 ||
		    find_col(r, o->pred, "--pred", &c->pred, e) < 0)
			return -1;
		/* lo and hi named by an option must be there; the default
		 * names are read when they are */
		if ((o->lo && find_col(r, o->lo, "--lo", &c->lo, e) < 0) ||
		    (o->hi && find_col(r, o->hi, "--hi", &c->hi, e) < 0))
			return -1;
		if (!o->lo)
			c->lo = reader_col(r, "lo");
		if (!o->hi)
			c->hi = reader_col(r, "hi");
		if (c->lo < 0 || c->hi < 0)
			c->lo = c->hi = -1;
		return 0;
	case EVAL_CLASSIFICATION:
		if (find_col(r, o->label, "--label", &c->label, e) < 0 ||
		    find_col(r, o->score, "--score", &c->score, e) < 0)
			return -1;
		return 0;
	case EVAL_RANKING:
		if (find_col(r, "user_id", "adash-eval --ranking scores adash-rank's output: user_id, rank, item_id", &c->user, e) < 0 ||
		    find_col(r, "item_id", "adash-eval --ranking scores adash-rank's output: user_id, rank, item_id", &c->item, e) < 0 ||
		    find_col(r, "rank", "adash-eval --ranking scores adash-rank's output: user_id, rank, item_id", &c->rank, e) < 0)
			return -1;
		c->asof = reader_col(r, "asof");
		return 0;
	case EVAL_POLICY:
		if (find_col(r, "user_id", "--logged: the user shown the item", &c->user, e) < 0 ||
		    find_col(r, "item_id", "--logged: the item shown", &c->item, e) < 0 ||
		    find_col(r, "propensity", "--logged: the logging policy's probability of the placement", &c->propensity, e) < 0 ||
		    find_col(r, "reward", "--logged: the reward that followed", &c->reward, e) < 0)
			return -1;
		c->rank = reader_col(r, "rank");
		p->match = o->match ? o->match : c->rank >= 0 ? EVAL_MATCH_RANK : EVAL_MATCH_ITEM;
		if (p->match == EVAL_MATCH_RANK && c->rank < 0)
			return err_set(e, ADASH_EDATA, "%s: no column \"rank\" (--match rank compares the logged rank with the new one)",
				       reader_name(r));
		return 0;
	default:
		return err_set(e, ADASH_EINTERNAL, "eval: no mode");
	}
}

/* The accumulators a row adds to: its group's, when there is one, and
 * all's.  Both, rather than merging the groups into all at the end, so
 * that all's bootstrap resamples the rows in input order whatever --by
 * says. */
static size_t targets(struct run *p, struct group *g, struct group *t[2])
{
	size_t n = 0;

	if (g)
		t[n++] = g;
	t[n++] = &p->all;
	return n;
}

static int regression_row(struct run *p, struct reader *r, const struct field *rec,
			  struct adash_err *row_err, const char **reason)
{
	const struct eval_options *o = p->o;
	const struct cols *c = &p->c;
	const char *key;
	size_t len;
	int64_t day;
	double f, lo = 0, hi = 0, y, scale = NAN;
	int interval = 0;
	struct group *g, *t[2];
	const struct hashmap_entry *en;

	if (series_of(r, rec, c->key, o->key, c->time, o->time, &key, &len, &day, row_err) < 0) {
		*reason = c->key >= 0 && field_is_missing(&rec[c->key]) ? "missing key" : "bad date";
		return -1;
	}
	if (parse_num(&rec[c->pred], &f) < 0) {
		*reason = "bad prediction";
		return reader_bad_value(r, p->names[c->pred], &rec[c->pred], "a number", row_err);
	}
	/* lo and hi are empty without adash-forecast --interval */
	if (c->lo >= 0 && !field_is_missing(&rec[c->lo]) && !field_is_missing(&rec[c->hi])) {
		long bad = parse_num(&rec[c->lo], &lo) < 0 ? c->lo
			 : parse_num(&rec[c->hi], &hi) < 0 ? c->hi : -1;

		if (bad >= 0) {
			*reason = "bad interval";
			return reader_bad_value(r, p->names[bad], &rec[bad], "a number", row_err);
		}
		interval = 1;
	}
	if (group_of(p, r, rec, &g, row_err) < 0) {
		*reason = "missing group";
		return -1;
	}
	series_key(&p->kb, key, len, day);
	if ((en = hashmap_get(&p->ref, p->kb.data, p->kb.len)) == NULL) {
		accounting_drop(&p->acc, "no truth");
		return 0;
	}
	y = p->val[en->val.num];
	if ((en = hashmap_get(&p->keys, key, len)) != NULL)
		scale = p->scale[en->val.num];
	for (size_t i = 0, n = targets(p, g, t); i < n; i++) {
		point_metrics_add(&t[i]->pm, y, f);
		if (interval)
			point_metrics_add_interval(&t[i]->pm, y, lo, hi);
		if (scale > 0 && isfinite(scale)) {
			kahan_add(&t[i]->scaled, fabs(y - f) / scale);
			t[i]->scaled_n++;
		}
	}
	p->acc.rows_out++;
	return 0;
}

static int classification_row(struct run *p, struct reader *r, const struct field *rec,
			      struct adash_err *row_err, const char **reason)
{
	const struct eval_options *o = p->o;
	const struct field *lf = &rec[p->c.label], *sf = &rec[p->c.score];
	struct group *g, *t[2];
	double s;
	int y;

	if (field_is_missing(lf)) {
		*reason = "missing label";
		return no_value(row_err, r, o->label);
	}
	if (field_flag(lf, &y) < 0) {
		*reason = "bad label";
		return reader_bad_value(r, o->label, lf, "0, 1, true or false", row_err);
	}
	if (parse_num(sf, &s) < 0 || s < 0 || s > 1) {
		*reason = "bad score";
		return reader_bad_value(r, o->score, sf, "a probability from 0 to 1", row_err);
	}
	if (group_of(p, r, rec, &g, row_err) < 0) {
		*reason = "missing group";
		return -1;
	}
	for (size_t i = 0, n = targets(p, g, t); i < n; i++)
		class_metrics_add(&t[i]->cls, y, s);
	p->acc.rows_out++;
	return 0;
}

/* Scores the list read so far. */
static void end_list(struct run *p)
{
	struct group *t[2];
	size_t nt;
	int added;

	if (!p->in_list)
		return;
	nt = targets(p, p->list_group, t);
	if (p->list_user != NONE) {
		struct tuser *u = &p->tusers[p->list_user];
		struct list_score s;

		rank_list_score(p->gains, p->k, u->idcg, u->nrelevant, &s);
		for (size_t i = 0; i < nt; i++)
			rank_metrics_add(&t[i]->rank, &s);
		u->listed = 1;
	} else {
		for (size_t i = 0; i < nt; i++)
			t[i]->without_truth++;
	}
	for (size_t i = 0; i < p->nset; i++) {
		p->gains[p->set_ranks[i]] = 0;
		p->filled[p->set_ranks[i]] = 0;
	}
	p->nset = 0;
	hashmap_put(&p->done, p->list_key.data, p->list_key.len, &added)->val.num = p->list_line;
	p->in_list = 0;
}

static int ranking_row(struct run *p, struct reader *r, const struct field *rec,
		       struct adash_err *row_err, const char **reason)
{
	const struct cols *c = &p->c;
	const struct field *user = &rec[c->user], *item = &rec[c->item];
	const struct hashmap_entry *en;
	struct hashmap_entry *it;
	struct group *g = NULL, *t[2];
	int64_t rank;
	int new_list;

	if (field_is_missing(user) || field_is_missing(item)) {
		*reason = field_is_missing(user) ? "missing user" : "missing item";
		return no_value(row_err, r, field_is_missing(user) ? "user_id" : "item_id");
	}
	if (parse_rank(&rec[c->rank], &rank) < 0) {
		*reason = "bad rank";
		return reader_bad_value(r, "rank", &rec[c->rank], "a rank (an integer >= 1)", row_err);
	}
	pair_key(&p->kb, user->s, user->len, c->asof >= 0 ? rec[c->asof].s : "",
		 c->asof >= 0 ? rec[c->asof].len : 0);
	new_list = !p->in_list || p->kb.len != p->list_key.len ||
		   memcmp(p->kb.data, p->list_key.data, p->kb.len) != 0;
	/* a list's group is its first row's */
	if (new_list && group_of(p, r, rec, &g, row_err) < 0) {
		*reason = "missing group";
		return -1;
	}

	/* a new list ends the one before */
	if (new_list) {
		end_list(p);
		if ((en = hashmap_get(&p->done, p->kb.data, p->kb.len)) != NULL) {
			*reason = "list out of place";
			p->fatal = 1;
			return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), "user_id",
				      "the list of this user%s began at line %lld and was followed by another's: adash-eval needs each list's rows together, as adash-rank writes them (sort by user_id)",
				      c->asof >= 0 ? " and cut" : "", (long long)en->val.num);
		}
		buf_reset(&p->list_key);
		buf_add(&p->list_key, p->kb.data, p->kb.len);
		p->in_list = 1;
		p->list_line = reader_line(r);
		p->list_group = g;
		p->list_serial++;
		en = hashmap_get(&p->keys, user->s, user->len);
		p->list_user = en && p->tusers[en->val.num].nrelevant > 0 ? (size_t)en->val.num : NONE;
	}

	it = hashmap_get(&p->items, item->s, item->len);
	if (it && it->val.num == p->list_serial) {
		*reason = "repeated item";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), "item_id",
			      "the item is already in this user's list");
	}
	if ((uint64_t)rank <= p->k && p->filled[rank - 1]) {
		*reason = "repeated rank";
		return err_at(row_err, ADASH_EDATA, reader_name(r), reader_line(r), "rank",
			      "rank %lld is already taken in this user's list", (long long)rank);
	}
	hashmap_put(&p->items, item->s, item->len, NULL)->val.num = p->list_serial;
	if ((uint64_t)rank > p->k) {
		accounting_drop(&p->acc, "below --k");
		return 0;
	}
	p->filled[rank - 1] = 1;
	p->set_ranks[p->nset++] = (size_t)(rank - 1);
	if (p->list_user != NONE) {
		pair_key(&p->kb2, user->s, user->len, item->s, item->len);
		if ((en = hashmap_get(&p->ref, p->kb2.data, p->kb2.len)) != NULL)
			p->gains[rank - 1] = p->val[en->val.num];
	}
	if (!p->have_catalog || hashmap_get(&p->catalog, item->s, item->len))
		for (size_t i = 0, n = targets(p, p->list_group, t); i < n; i++)
			coverage_add(&t[i]->placed, item->s, item->len);
	p->acc.rows_out++;
	return 0;
}

static int policy_row(struct run *p, struct reader *r, const struct field *rec,
		      struct adash_err *row_err, const char **reason)
{
	const struct cols *c = &p->c;
	const struct field *user = &rec[c->user], *item = &rec[c->item];
	const struct hashmap_entry *en;
	struct group *g, *t[2];
	double prop, reward, w = 0;
	int64_t rank = 0;

	if (field_is_missing(user) || field_is_missing(item)) {
		*reason = field_is_missing(user) ? "missing user" : "missing item";
		return no_value(row_err, r, field_is_missing(user) ? "user_id" : "item_id");
	}
	if (parse_num(&rec[c->propensity], &prop) < 0 || !(prop > 0 && prop <= 1)) {
		*reason = "bad propensity";
		return reader_bad_value(r, "propensity", &rec[c->propensity],
					"a probability above 0 and at most 1 (IPS divides by it)", row_err);
	}
	if (parse_num(&rec[c->reward], &reward) < 0) {
		*reason = "bad reward";
		return reader_bad_value(r, "reward", &rec[c->reward], "a number", row_err);
	}
	if (p->match == EVAL_MATCH_RANK && parse_rank(&rec[c->rank], &rank) < 0) {
		*reason = "bad rank";
		return reader_bad_value(r, "rank", &rec[c->rank], "a rank (an integer >= 1)", row_err);
	}
	if (group_of(p, r, rec, &g, row_err) < 0) {
		*reason = "missing group";
		return -1;
	}
	if (!hashmap_get(&p->keys, user->s, user->len)) {
		accounting_drop(&p->acc, "no layout");
		return 0;
	}
	pair_key(&p->kb, user->s, user->len, item->s, item->len);
	if ((en = hashmap_get(&p->ref, p->kb.data, p->kb.len)) != NULL) {
		double new_rank = p->val[en->val.num];

		if (p->match == EVAL_MATCH_RANK ? new_rank == (double)rank
						: p->k == 0 || new_rank <= (double)p->k)
			w = 1 / prop;
	}
	for (size_t i = 0, n = targets(p, g, t); i < n; i++)
		ips_add(&t[i]->ips, w, reward);
	p->acc.rows_out++;
	return 0;
}

typedef int (*scored_row_fn)(struct run *p, struct reader *r, const struct field *rec,
			     struct adash_err *row_err, const char **reason);

static int read_scored(struct run *p, const char *path, scored_row_fn fn, struct adash_err *e)
{
	struct reader *r = reader_open(path, &p->o->io.read, e);
	const struct field *rec;
	struct adash_err row_err;
	int st, rc = -1;

	if (!r)
		return -1;
	if (p->in_format == FORMAT_AUTO)
		p->in_format = reader_format(r);
	if (reader_ncols(r) == 0) {
		rc = 0;
		goto out;
	}
	if (!p->names) {
		if (setup_columns(p, r, e) < 0)
			goto out;
	} else if (reader_same_columns(r, (const char *const *)p->names, p->ncols, e) < 0) {
		goto out;
	}
	for (;;) {
		const char *reason = NULL;

		st = reader_next(r, &rec, &row_err);
		if (st == READ_EOF)
			break;
		if (st == READ_FATAL) {
			*e = row_err;
			goto out;
		}
		p->acc.rows_in++;
		progress_tick(p->o->io.progress, ++p->rows_seen);
		if (st == READ_BAD)
			reason = reader_reason(r);
		else if (fn(p, r, rec, &row_err, &reason) == 0)
			reason = NULL;
		if (reason) {
			size_t rawlen;
			const char *raw = reader_raw(r, &rawlen);

			/* a list out of place is not a row to skip: the
			 * scores would depend on the input's order */
			if (p->fatal) {
				*e = row_err;
				goto out;
			}
			if (accounting_reject(&p->acc, &row_err, reader_name(r), reader_line(r), reason,
					      raw, rawlen, e) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	reader_close(r);
	return rc;
}

/* ---- the table ------------------------------------------------------------- */

#define MAX_COLS 12

static const char *const regression_cols[] = {
	"group", "n", "mae", "rmse", "bias", "mape", "mape_skipped", "smape", "mase", "coverage", "width", NULL
};
static const char *const classification_cols[] = {
	"group", "n", "positives", "auc", "logloss", "brier", NULL
};
static const char *const ranking_cols[] = {
	"group", "n", "k", "ndcg", "mrr", "hr", "precision", "recall", "coverage",
	"users_without_truth", "users_without_layout", NULL
};
static const char *const policy_cols[] = {
	"group", "n", "matched", "logged_reward", "ips", "ips_lo", "ips_hi", "snips", "snips_lo",
	"snips_hi", "ess", NULL
};
static const char *const calibration_cols[] = {
	"group", "bin", "lo", "hi", "n", "mean_pred", "observed", NULL
};

/* One output row being built: fields and the text of the numbers. */
struct cells {
	struct field f[MAX_COLS];
	char text[MAX_COLS][NUM_FORMAT_MAX];
	size_t n;
};

static void cell_text(struct cells *c, const char *s, size_t len)
{
	field_set(&c->f[c->n++], s, len, FIELD_STRING);
}

/* A measure; NaN (undefined) is a missing value. */
static void cell_num(struct cells *c, double x)
{
	if (isnan(x))
		field_set(&c->f[c->n], "", 0, FIELD_NULL);
	else
		field_set(&c->f[c->n], c->text[c->n], num_format(x, c->text[c->n]), FIELD_NUMBER);
	c->n++;
}

static void cell_count(struct cells *c, size_t x)
{
	field_set(&c->f[c->n], c->text[c->n],
		  (size_t)snprintf(c->text[c->n], NUM_FORMAT_MAX, "%zu", x), FIELD_NUMBER);
	c->n++;
}

static const char *const *table_cols(int mode)
{
	switch (mode) {
	case EVAL_REGRESSION: return regression_cols;
	case EVAL_CLASSIFICATION: return classification_cols;
	case EVAL_RANKING: return ranking_cols;
	default: return policy_cols;
	}
}

static struct writer *open_table(const struct run *p, FILE *out, const char *const *names, int header)
{
	const struct eval_options *o = p->o;
	int json[MAX_COLS];
	size_t n = 0;
	struct writer *w;

	while (names[n]) {
		json[n] = n == 0 ? COLUMN_STRING : COLUMN_NUMBER;
		n++;
	}
	w = writer_new(out, o->io.output_format ? o->io.output_format : p->in_format ? p->in_format : FORMAT_CSV,
		       o->io.delimiter, header);
	writer_columns(w, n, names, json);
	return w;
}

static void write_group(const struct run *p, struct writer *w, const struct group *g)
{
	struct cells c;

	c.n = 0;
	cell_text(&c, g->name, g->len);
	switch (p->o->mode) {
	case EVAL_REGRESSION: {
		const struct point_metrics *m = &g->pm;

		cell_count(&c, m->n);
		cell_num(&c, point_metrics_mae(m));
		cell_num(&c, point_metrics_rmse(m));
		cell_num(&c, point_metrics_bias(m));
		cell_num(&c, point_metrics_mape(m));
		cell_count(&c, m->mape_skipped);
		cell_num(&c, point_metrics_smape(m));
		cell_num(&c, g->scaled_n == m->n ? kahan_mean(&g->scaled, m->n) : NAN);
		cell_num(&c, point_metrics_coverage(m));
		cell_num(&c, point_metrics_width(m));
		break;
	}
	case EVAL_CLASSIFICATION:
		cell_count(&c, g->cls.n);
		cell_count(&c, g->cls.npos);
		cell_num(&c, class_metrics_auc(&g->cls));
		cell_num(&c, class_metrics_logloss(&g->cls));
		cell_num(&c, class_metrics_brier(&g->cls));
		break;
	case EVAL_RANKING: {
		size_t catalog = hashmap_count(p->have_catalog ? &p->catalog : &p->items);

		cell_count(&c, g->rank.n);
		cell_count(&c, p->k);
		cell_num(&c, rank_metrics_ndcg(&g->rank));
		cell_num(&c, rank_metrics_mrr(&g->rank));
		cell_num(&c, rank_metrics_hr(&g->rank));
		cell_num(&c, rank_metrics_precision(&g->rank));
		cell_num(&c, rank_metrics_recall(&g->rank));
		cell_num(&c, coverage_value(&g->placed, catalog));
		cell_count(&c, g->without_truth);
		cell_count(&c, g->without_layout);
		break;
	}
	case EVAL_POLICY:
		cell_count(&c, g->ips.n);
		cell_count(&c, g->ips.matched);
		cell_num(&c, ips_logged(&g->ips));
		cell_num(&c, ips_estimate(&g->ips));
		cell_num(&c, g->ci.ips_lo);
		cell_num(&c, g->ci.ips_hi);
		cell_num(&c, ips_snips(&g->ips));
		cell_num(&c, g->ci.snips_lo);
		cell_num(&c, g->ci.snips_hi);
		cell_num(&c, ips_ess(&g->ips));
		break;
	default:
		break;
	}
	writer_row(w, c.f);
}

static void write_calibration(const struct group *g, struct writer *w)
{
	struct calibration_bin bins[CLASS_CALIBRATION_BINS];

	class_metrics_calibration(&g->cls, bins);
	for (size_t k = 0; k < CLASS_CALIBRATION_BINS; k++) {
		struct cells c;

		c.n = 0;
		cell_text(&c, g->name, g->len);
		cell_count(&c, k + 1);
		cell_num(&c, bins[k].lo);
		cell_num(&c, bins[k].hi);
		cell_count(&c, bins[k].n);
		cell_num(&c, bins[k].mean_pred);
		cell_num(&c, bins[k].observed);
		writer_row(w, c.f);
	}
}

static int calibration_file(const struct run *p, struct adash_err *e)
{
	struct atomic_file af;
	struct writer *w;

	if (atomic_open(&af, p->o->calibration_path, e) < 0)
		return -1;
	w = open_table(p, af.fp, calibration_cols, 1);
	for (size_t i = 0; i < p->ngroups; i++)
		write_calibration(p->groups[i], w);
	write_calibration(&p->all, w);
	writer_free(w);
	return atomic_commit(&af, e);
}

/* ---- the run ------------------------------------------------------------------ */

/* What is left once every row is read: the last list and the truth users
 * no list was for (ranking), the intervals (policy). */
static void finish(struct run *p)
{
	const struct eval_options *o = p->o;

	if (o->mode == EVAL_RANKING) {
		struct list_score none;

		end_list(p);
		memset(&none, 0, sizeof none);
		for (size_t u = 0; u < hashmap_count(&p->keys); u++)
			if (p->tusers[u].nrelevant > 0 && !p->tusers[u].listed) {
				rank_metrics_add(&p->all.rank, &none);
				p->all.without_layout++;
			}
	}
	if (o->mode == EVAL_POLICY && o->bootstrap > 0) {
		struct rng rng;

		rng_init(&rng, o->io.seed);
		for (size_t i = 0; i <= p->ngroups; i++) {
			struct group *g = i < p->ngroups ? p->groups[i] : &p->all;

			/* a group's draws depend on its name alone, not on
			 * which other groups there are */
			rng_reseed(&rng, o->io.seed, rng_stream_of(g->name, g->len));
			ips_bootstrap(&g->ips, (size_t)o->bootstrap, o->level, rng.r, &g->ci);
		}
		rng_free(&rng);
	}
}

static void run_free(struct run *p)
{
	for (size_t i = 0; i < p->ngroups; i++) {
		group_free(p->groups[i]);
		free(p->groups[i]);
	}
	free(p->groups);
	group_free(&p->all);
	hashmap_free(&p->group_index, NULL);
	hashmap_free(&p->ref, NULL);
	hashmap_free(&p->keys, NULL);
	hashmap_free(&p->items, NULL);
	hashmap_free(&p->catalog, NULL);
	hashmap_free(&p->done, NULL);
	free(p->val);
	free(p->scale);
	free(p->hist);
	free(p->tusers);
	free(p->pair_user);
	for (size_t i = 0; i < p->ncols; i++)
		free(p->names[i]);
	free(p->names);
	buf_free(&p->kb);
	buf_free(&p->kb2);
	buf_free(&p->list_key);
	free(p->gains);
	free(p->filled);
	free(p->set_ranks);
}

int eval_run(const struct eval_options *o, char *const *inputs, FILE *out, struct adash_err *e)
{
	static const scored_row_fn row_fn[] = {
		NULL, regression_row, classification_row, ranking_row, policy_row
	};
	struct run p;
	struct writer *w;
	int rc = -1;

	if (o->mode < EVAL_REGRESSION || o->mode > EVAL_POLICY)
		return err_set(e, ADASH_EINTERNAL, "eval: no mode");
	memset(&p, 0, sizeof p);
	p.o = o;
	p.k = o->mode == EVAL_RANKING ? (size_t)(o->k > 0 ? o->k : 10) : (size_t)(o->k > 0 ? o->k : 0);
	p.list_user = NONE;
	group_init(&p.all, "all", 3);
	hashmap_init(&p.group_index);
	hashmap_init(&p.ref);
	hashmap_init(&p.keys);
	hashmap_init(&p.items);
	hashmap_init(&p.catalog);
	hashmap_init(&p.done);
	if (accounting_open(&p.acc, o->io.on_bad, o->io.reject_path, o->io.stats_path, e) < 0) {
		run_free(&p);
		return -1;
	}
	if ((o->mode == EVAL_REGRESSION && load_regression(&p, e) < 0) ||
	    (o->mode == EVAL_RANKING && load_ranking(&p, e) < 0) ||
	    (o->mode == EVAL_POLICY && load_policy(&p, inputs, e) < 0))
		goto out;
	if (o->mode == EVAL_POLICY) {
		if (read_scored(&p, o->logged_path, policy_row, e) < 0)
			goto out;
	} else {
		for (size_t f = 0; inputs[f]; f++)
			if (read_scored(&p, inputs[f], row_fn[o->mode], e) < 0)
				goto out;
	}
	finish(&p);
	progress_done(o->io.progress, p.rows_seen);

	w = open_table(&p, out, table_cols(o->mode), o->io.header);
	for (size_t i = 0; i < p.ngroups; i++)
		write_group(&p, w, p.groups[i]);
	write_group(&p, w, &p.all);
	writer_free(w);
	if (fflush(out) != 0 || ferror(out)) {
		err_set(e, ADASH_EIO, "write error on standard output");
		goto out;
	}
	if (o->calibration_path && calibration_file(&p, e) < 0)
		goto out;
	if (accounting_close(&p.acc, stderr, o->io.verbose, o->io.prog, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		accounting_abort(&p.acc);
	run_free(&p);
	return rc;
}
