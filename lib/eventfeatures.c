/* eventfeatures: the events-mode driver of adash-features (see
 * eventfeatures.h). */
#include "eventfeatures.h"

#include "accounting.h"
#include "activity.h"
#include "atomicfile.h"
#include "buf.h"
#include "cooc.h"
#include "events.h"
#include "featspec.h"
#include "itemstats.h"
#include "num.h"
#include "readloop.h"
#include "rng.h"
#include "sidefile.h"
#include "timeutil.h"
#include "writer.h"
#include "xalloc.h"

#include <gsl/gsl_heapsort.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const default_windows[] = { "1h", "24h", "7d", "30d", NULL };

/* The per-window counts written for each pair, in column order. */
static const struct { int feature, tally; } pair_counts[] = {
	{ EVF_IMPR, TALLY_IMPRESSION }, { EVF_OPEN, TALLY_OPEN }, { EVF_DRILL, TALLY_DRILLDOWN },
	{ EVF_FILTER, TALLY_FILTER }, { EVF_EXPORT, TALLY_EXPORT }, { EVF_SECS, TALLY_MS },
};
#define NPAIR_COUNTS (sizeof pair_counts / sizeof *pair_counts)

/* Label flags of a (user, item) within the horizon. */
enum { SEEN_ENGAGED = 1, SEEN_SHOWN = 2 };

struct rules {
	int all, shown;
	long popular, cooc;     /* N, or 0 */
	struct listed_pair { uint32_t user, item; } *pairs; /* from a file, sorted */
	size_t npairs;
};

/* Users in the order rows list them: those named by side files first,
 * then as first met in the time-ordered events.  Interning order is file
 * order, which --sort changes; this order is the same either way. */
struct id_order {
	uint32_t *ids;             /* in order */
	size_t n, cap;
	uint32_t *rank;            /* per id: place in ids, EV_NONE before it has one */
	size_t rank_cap;
};

static void order_note(struct id_order *o, uint32_t id)
{
	if (id >= o->rank_cap) {
		size_t old = o->rank_cap;

		o->rank = xgrow(o->rank, &o->rank_cap, (size_t)id + 1, sizeof *o->rank);
		for (size_t k = old; k < o->rank_cap; k++)
			o->rank[k] = EV_NONE;
	}
	if (o->rank[id] != EV_NONE)
		return;
	o->ids = xgrow(o->ids, &o->cap, o->n + 1, sizeof *o->ids);
	o->rank[id] = (uint32_t)o->n;
	o->ids[o->n++] = id;
}

static void order_free(struct id_order *o)
{
	free(o->ids);
	free(o->rank);
}

struct run {
	const struct events_options *o;
	/* options */
	int64_t *win;
	char **win_name;
	size_t nwin, wlong;          /* wlong: the longest window */
	int64_t half_life;
	const char *half_life_name;
	int64_t step, origin, horizon, since, until;
	int single, has_since, has_until, labels;
	struct rules rules;
	/* ids and side files */
	struct idmap users, items, roles, types;
	struct id_order user_order;
	uint32_t *item_type;         /* per item: type id or EV_NONE */
	size_t item_type_cap;
	size_t ncatalog;             /* items listed by --items */
	uint32_t *listed_role;       /* per user: --users role; EV_NONE */
	uint8_t *listed;             /* per user: named by --users */
	size_t listed_cap, listed_role_cap;
	int has_types, has_role;
	/* state */
	struct activity act;
	struct event *q;             /* ring of events after the next cut */
	size_t qhead, qlen, qcap;
	int cuts_known;
	int64_t next_cut;
	int finished;                /* no cut left */
	int warned_horizon;
	int ordered_any;             /* order_t: the last event fed (the engine's) */
	int64_t order_t;
	int engine_any;              /* engine_last: the engine's last event */
	int64_t engine_last;
	/* the events of all users, which decide the cuts: this input's, or
	 * with --item-stats the statistics' */
	int has_span;
	int64_t span_first, span_last;
	/* items: first event time (INT64_MAX: none yet), and the orders a
	 * cut's order is made from (cut_order) */
	int64_t *item_first;
	size_t item_first_cap;
	uint32_t *by_first, *by_name;
	size_t nsorted;
	int items_dirty;
	/* item statistics (itemstats.h) */
	char *cuts_spec;
	int use_stats, stats_out;
	struct itemstats stats;      /* --item-stats */
	struct itemstats gathered;   /* --item-stats-out --grouped: summed user by user */
	struct itemstats_out sout;
	struct atomic_file sfile;
	int sfile_open;
	/* --grouped: the engine (activity, queue, cuts) holds one user at a
	 * time, the group's, as its user 0 */
	struct idmap group_users;
	uint32_t group_user;         /* the run-wide id of the group's user */
	int in_group;
	uint8_t *done;               /* per user: its group is over */
	size_t done_cap;
	/* output */
	struct writer *w;
	FILE *out;
	char **colnames;
	size_t ncolumns, nfeat;
	size_t *log1p_src;           /* per log1p_ column: the feature it transforms */
	size_t nlog1p;
	struct field *row;
	char (*numtext)[NUM_FORMAT_MAX];
	double *feat;
	struct accounting acc;
	struct rng rng;
	uint64_t events_seen;
	char event_file[4096];
	long event_line;
};

/* ---- options ------------------------------------------------------------ */

/* A window or half-life: digits and a unit, so that it can name a column. */
static int parse_span(const char *option, const char *s, int64_t *us, struct adash_err *e)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || s[0] == '0' || s[n] == '\0' || s[n + 1] != '\0' || !strchr("smhdw", s[n]) ||
	    time_parse_duration(s, us) < 0 || *us <= 0)
		return err_set(e, ADASH_EUSAGE,
			       "%s: '%s' is not a duration such as 90s, 15m, 1h, 7d or 2w", option, s);
	return 0;
}

/* A time option: RFC 3339, epoch seconds, a date (its midnight UTC), or
 * with allow_now "now". */
static int parse_time_option(const char *option, const char *s, int allow_now, int64_t *us,
			     struct adash_err *e)
{
	int64_t days;

	if (allow_now && strcmp(s, "now") == 0) {
		*us = (int64_t)time(NULL) * TIME_US_PER_SEC;
		return 0;
	}
	if (time_parse_date(s, strlen(s), &days) == 0) {
		*us = days * TIME_US_PER_DAY;
		return 0;
	}
	if (time_parse_timestamp(s, strlen(s), us) == 0)
		return 0;
	return err_set(e, ADASH_EUSAGE, "%s: '%s' is not a time (YYYY-MM-DD, RFC 3339%s)", option, s,
		       allow_now ? " or now" : "");
}

static int parse_count(const char *option, const char *item, const char *s, long *out,
		       struct adash_err *e)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '1' || *s > '9' || *end || v < 1 || v > 1000000)
		return err_set(e, ADASH_EUSAGE, "%s: '%s': N must be a number from 1 to 1000000",
			       option, item);
	*out = v;
	return 0;
}

/* The cuts these options make, as item statistics files name them: the
 * statistics of one set of cuts serve no other. */
static void make_cuts_spec(struct run *p)
{
	struct buf b = BUF_INIT;
	char t[TIME_FORMAT_MAX];

	time_format_timestamp(p->origin, t);
	if (p->single) {
		buf_printf(&b, "asof %s", t);
	} else {
		buf_printf(&b, "every %llds on %s", (long long)(p->step / TIME_US_PER_SEC), t);
		if (p->has_since) {
			time_format_timestamp(p->since, t);
			buf_printf(&b, " since %s", t);
		}
		if (p->has_until) {
			time_format_timestamp(p->until, t);
			buf_printf(&b, " until %s", t);
		}
	}
	p->cuts_spec = buf_detach(&b, NULL);
}

static int parse_options(struct run *p, struct adash_err *e)
{
	const struct events_options *o = p->o;
	const char *const *names = o->windows ? (const char *const *)o->windows : default_windows;

	while (names[p->nwin])
		p->nwin++;
	p->win = xcalloc(p->nwin + 1, sizeof *p->win);
	p->win_name = xcalloc(p->nwin + 1, sizeof *p->win_name);
	for (size_t w = 0; w < p->nwin; w++) {
		if (parse_span("--windows", names[w], &p->win[w], e) < 0)
			return -1;
		p->win_name[w] = xstrdup(names[w]);
		for (size_t v = 0; v < w; v++)
			if (p->win[v] == p->win[w])
				return err_set(e, ADASH_EUSAGE, "--windows: %s and %s are the same window",
					       names[v], names[w]);
		if (p->win[w] > p->win[p->wlong])
			p->wlong = w;
	}
	p->half_life_name = o->half_life ? o->half_life : "7d";
	if (parse_span("--half-life", p->half_life_name, &p->half_life, e) < 0)
		return -1;
	if (!!o->asof == !!o->asof_every)
		return err_set(e, ADASH_EUSAGE, "events mode needs one cut time: --asof T, or --asof-every STEP for many");
	if (o->asof) {
		if ((o->since || o->until))
			return err_set(e, ADASH_EUSAGE, "--since and --until go with --asof-every, not --asof");
		if (parse_time_option("--asof", o->asof, 1, &p->origin, e) < 0)
			return -1;
		p->single = 1;
		p->cuts_known = 1;
		p->next_cut = p->origin;
	} else {
		if (parse_span("--asof-every", o->asof_every, &p->step, e) < 0)
			return -1;
		if (o->since && parse_time_option("--since", o->since, 0, &p->since, e) < 0)
			return -1;
		if (o->until && parse_time_option("--until", o->until, 0, &p->until, e) < 0)
			return -1;
		p->has_since = o->since != NULL;
		p->has_until = o->until != NULL;
		if (p->has_since && p->has_until && p->since > p->until)
			return err_set(e, ADASH_EUSAGE, "--since %s is later than --until %s", o->since, o->until);
		/* cuts fall on --until's grid, else --since's, else the epoch's */
		p->origin = p->has_until ? p->until : p->has_since ? p->since : 0;
	}
	if (o->label_horizon) {
		if (parse_span("--label-horizon", o->label_horizon, &p->horizon, e) < 0)
			return -1;
		p->labels = 1;
	}
	if (o->negatives && !p->labels)
		return err_set(e, ADASH_EUSAGE, "--negatives samples rows by their label: it needs --label-horizon");
	for (char **it = o->candidates; it && *it; it++) {
		const char *c = *it;

		if (strcmp(c, "all") == 0) {
			p->rules.all = 1;
		} else if (strcmp(c, "shown") == 0) {
			if (!p->labels)
				return err_set(e, ADASH_EUSAGE,
					       "--candidates shown takes the items shown after the cut: it needs --label-horizon");
			p->rules.shown = 1;
		} else if (strncmp(c, "popular:", 8) == 0) {
			if (parse_count("--candidates", c, c + 8, &p->rules.popular, e) < 0)
				return -1;
		} else if (strncmp(c, "cooc:", 5) == 0) {
			if (parse_count("--candidates", c, c + 5, &p->rules.cooc, e) < 0)
				return -1;
		}
		/* anything else is a file of user_id,item_id pairs, read later */
	}
	if (!o->candidates)
		p->rules.all = 1;
	for (char **it = o->log1p; it && *it; it++) {
		const char *window;
		int f, known = strcmp(*it, "counts") == 0;

		if (!known && event_feature_parse(*it, &f, &window) == 0) {
			known = !window;
			for (size_t w = 0; window && w < p->nwin; w++)
				known |= strcmp(window, p->win_name[w]) == 0;
			known |= f == EVF_DECAY && strcmp(window, p->half_life_name) == 0;
		}
		if (!known)
			return err_set(e, ADASH_EUSAGE,
				       "--log1p: '%s' is not a feature of these options (a name such as open_7d, or counts)",
				       *it);
	}
	p->use_stats = o->item_stats != NULL;
	p->stats_out = o->item_stats_out != NULL;
	if (p->use_stats && p->stats_out)
		return err_set(e, ADASH_EUSAGE,
			       "--item-stats reads what --item-stats-out writes: give one of them");
	if (o->grouped && !p->use_stats && !p->stats_out)
		return err_set(e, ADASH_EUSAGE,
			       "--grouped needs --item-stats FILE (or --item-stats-out FILE): the item features of a row need every user's events first");
	if (o->grouped && o->sort)
		return err_set(e, ADASH_EUSAGE, "--grouped and --sort: give one of them");
	if (p->stats_out)
		p->horizon = 0; /* no rows, so no labels to wait for */
	make_cuts_spec(p);
	return 0;
}

/* ---- side files ---------------------------------------------------------- */

typedef int (*side_row_fn)(struct run *p, struct reader *r, const struct field *rec,
			   const long *cols, struct adash_err *e);

/* A side file's row: its first column must have a value. */
struct side_reading {
	struct run *p;
	const char *first;
	side_row_fn fn;
};

static int side_row(void *ctx, struct reader *r, const struct field *rec, const long *cols,
		    struct adash_err *e)
{
	struct side_reading *sr = ctx;

	if (field_is_missing(&rec[cols[0]]))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), sr->first, "no value");
	return sr->fn(sr->p, r, rec, cols, e);
}

/* Reads a small side file whose rows must all be good (sidefile.h);
 * names[0..nrequired) are required, the rest optional. */
static int read_side(struct run *p, const char *option, const char *path,
		     const char *const *names, size_t nnames, size_t nrequired,
		     side_row_fn fn, struct adash_err *e)
{
	struct reader_options ro = { FORMAT_AUTO, p->o->io.read.delimiter, 0, NULL, 0 };
	struct side_reading sr = { p, names[0], fn };
	const char *why[SIDEFILE_MAX_COLUMNS];

	for (size_t i = 0; i < nnames; i++)
		why[i] = i < nrequired ? option : NULL;
	if (sidefile_read(path, &ro, names, why, nnames, side_row, &sr, NULL, e) == 0)
		return 0;
	if (e->code == ADASH_EIO) {
		struct adash_err cause = *e;

		err_set(e, cause.code, "%s %s%s", option, cause.msg,
			strcmp(option, "--candidates") == 0
				? " (not all, shown, popular:N or cooc:N, so read as a file of user_id,item_id pairs)"
				: "");
	}
	return -1;
}

static int item_row(struct run *p, struct reader *r, const struct field *rec, const long *cols,
		    struct adash_err *e)
{
	const struct field *id = &rec[cols[0]];
	uint32_t before = idmap_count(&p->items), item = idmap_intern(&p->items, id->s, id->len);

	if (idmap_count(&p->items) == before)
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "item_id",
			      "item \"%s\" is listed twice", idmap_name(&p->items, item));
	p->item_type = xgrow(p->item_type, &p->item_type_cap, (size_t)item + 1, sizeof *p->item_type);
	p->item_type[item] = cols[1] >= 0 && !field_is_missing(&rec[cols[1]])
				     ? idmap_intern(&p->types, rec[cols[1]].s, rec[cols[1]].len)
				     : EV_NONE;
	p->has_types |= cols[1] >= 0;
	p->ncatalog = idmap_count(&p->items);
	return 0;
}

static void note_user(struct run *p, uint32_t user)
{
	size_t old = p->listed_cap;

	p->listed = xgrow(p->listed, &p->listed_cap, (size_t)user + 1, sizeof *p->listed);
	memset(p->listed + old, 0, p->listed_cap - old);
	old = p->listed_role_cap;
	p->listed_role = xgrow(p->listed_role, &p->listed_role_cap, (size_t)user + 1,
			       sizeof *p->listed_role);
	for (size_t u = old; u < p->listed_role_cap; u++)
		p->listed_role[u] = EV_NONE;
}

static int user_row(struct run *p, struct reader *r, const struct field *rec, const long *cols,
		    struct adash_err *e)
{
	const struct field *id = &rec[cols[0]];
	uint32_t user = idmap_intern(&p->users, id->s, id->len);

	(void)r;
	(void)e;
	note_user(p, user);
	p->listed[user] = 1;
	if (cols[1] >= 0 && !field_is_missing(&rec[cols[1]])) {
		p->listed_role[user] = idmap_intern(&p->roles, rec[cols[1]].s, rec[cols[1]].len);
		p->has_role = 1;
	}
	return 0;
}

static int pair_row(struct run *p, struct reader *r, const struct field *rec, const long *cols,
		    struct adash_err *e)
{
	const struct field *user = &rec[cols[0]], *item = &rec[cols[1]];
	struct rules *ru = &p->rules;

	if (field_is_missing(item))
		return err_at(e, ADASH_EDATA, reader_name(r), reader_line(r), "item_id", "no value");
	ru->pairs = xrealloc(ru->pairs, (ru->npairs + 1) * sizeof *ru->pairs);
	ru->pairs[ru->npairs].user = idmap_intern(&p->users, user->s, user->len);
	ru->pairs[ru->npairs].item = idmap_intern(&p->items, item->s, item->len);
	ru->npairs++;
	return 0;
}

static int read_side_files(struct run *p, struct adash_err *e)
{
	static const char *const item_cols[] = { "item_id", "item_type" };
	static const char *const user_cols[] = { "user_id", "role" };
	static const char *const pair_cols[] = { "user_id", "item_id" };
	const struct events_options *o = p->o;

	if (o->items_path && read_side(p, "--items", o->items_path, item_cols, 2, 1, item_row, e) < 0)
		return -1;
	if (o->users_path && read_side(p, "--users", o->users_path, user_cols, 2, 1, user_row, e) < 0)
		return -1;
	for (char **it = o->candidates; it && *it; it++) {
		const char *c = *it;

		if (strcmp(c, "all") == 0 || strcmp(c, "shown") == 0 || strncmp(c, "popular:", 8) == 0 ||
		    strncmp(c, "cooc:", 5) == 0)
			continue;
		if (read_side(p, "--candidates", c, pair_cols, 2, 2, pair_row, e) < 0)
			return -1;
	}
	return 0;
}

/* ---- output columns ----------------------------------------------------- */

static void add_column(struct run *p, struct buf *name)
{
	p->colnames = xrealloc(p->colnames, (p->ncolumns + 1) * sizeof *p->colnames);
	p->colnames[p->ncolumns++] = buf_detach(name, NULL);
}

static void add_columnf(struct run *p, const char *prefix, const char *suffix)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, prefix);
	if (suffix) {
		buf_addch(&b, '_');
		buf_addstr(&b, suffix);
	}
	add_column(p, &b);
}

/* A feature column, named by featspec's events-mode table. */
static void add_feature(struct run *p, int feature, const char *window)
{
	add_columnf(p, event_feature_prefix(feature), window);
}

/* The leading identity columns: user_id, item_id, asof, role, item_type. */
static size_t id_columns(const struct run *p)
{
	return 3 + (size_t)p->has_role + (size_t)p->has_types;
}

/* Whether --log1p asks for the feature column `name`: named, or a count
 * under the word "counts". */
static int log1p_wanted(const struct run *p, const char *name)
{
	static const int counts[] = { EVF_IMPR, EVF_OPEN, EVF_DRILL, EVF_FILTER, EVF_EXPORT, EVF_SECS,
				      EVF_DECAY, EVF_SINCE, EVF_USER_ENGAGE, EVF_USER_SESSIONS,
				      EVF_ITEM_ENGAGE, EVF_ITEM_USERS, EVF_ROLE_ENGAGE };
	const char *window;
	int f;

	for (char **it = p->o->log1p; it && *it; it++) {
		if (strcmp(*it, name) == 0)
			return 1;
		if (strcmp(*it, "counts") == 0 && event_feature_parse(name, &f, &window) == 0)
			for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
				if (counts[k] == f)
					return 1;
	}
	return 0;
}

/* --log1p: log1p_NAME beside each feature asked for (counts and durations
 * pile up at a few values and trail off far, which a linear model reads
 * better on a log scale); the source columns stay for adash-rank. */
static void add_log1p_columns(struct run *p)
{
	size_t nsrc = p->ncolumns;

	p->log1p_src = xcalloc(nsrc + 1, sizeof *p->log1p_src);
	for (size_t c = id_columns(p); c < nsrc; c++)
		if (log1p_wanted(p, p->colnames[c])) {
			p->log1p_src[p->nlog1p++] = c - id_columns(p);
			add_columnf(p, "log1p", p->colnames[c]);
		}
}

/* Column names; feature values are written in the same order by
 * row_features(). */
static void make_columns(struct run *p)
{
	add_columnf(p, "user_id", NULL);
	add_columnf(p, "item_id", NULL);
	add_columnf(p, "asof", NULL);
	if (p->has_role)
		add_columnf(p, "role", NULL);
	if (p->has_types)
		add_columnf(p, "item_type", NULL);
	for (size_t w = 0; w < p->nwin; w++)
		for (size_t k = 0; k < NPAIR_COUNTS; k++)
			add_feature(p, pair_counts[k].feature, p->win_name[w]);
	add_feature(p, EVF_DECAY, p->half_life_name);
	add_feature(p, EVF_SINCE, NULL);
	add_feature(p, EVF_PINNED, NULL);
	add_feature(p, EVF_NOT_INTERESTED, NULL);
	for (size_t w = 0; w < p->nwin; w++)
		add_feature(p, EVF_SHARE, p->win_name[w]);
	for (size_t w = 0; w < p->nwin; w++) {
		add_feature(p, EVF_USER_ENGAGE, p->win_name[w]);
		add_feature(p, EVF_USER_SESSIONS, p->win_name[w]);
	}
	for (size_t w = 0; w < p->nwin; w++) {
		add_feature(p, EVF_ITEM_ENGAGE, p->win_name[w]);
		add_feature(p, EVF_ITEM_USERS, p->win_name[w]);
		add_feature(p, EVF_ITEM_CTR, p->win_name[w]);
	}
	if (p->has_types)
		for (size_t w = 0; w < p->nwin; w++)
			add_feature(p, EVF_TYPE_SHARE, p->win_name[w]);
	if (p->has_role)
		for (size_t w = 0; w < p->nwin; w++)
			add_feature(p, EVF_ROLE_ENGAGE, p->win_name[w]);
	add_feature(p, EVF_COOC, NULL);
	add_feature(p, EVF_HOUR, NULL);
	add_feature(p, EVF_DOW, NULL);
	add_log1p_columns(p);
	if (p->labels)
		add_columnf(p, "label", NULL);
	p->nfeat = p->ncolumns - id_columns(p);
	p->row = xcalloc(p->ncolumns, sizeof *p->row);
	p->numtext = xcalloc(p->ncolumns, sizeof *p->numtext);
	p->feat = xcalloc(p->nfeat + 1, sizeof *p->feat);
}

static void open_writer(struct run *p, int input_format)
{
	const struct events_options *o = p->o;
	int *json;

	make_columns(p);
	json = xcalloc(p->ncolumns, sizeof *json);
	for (size_t c = 0; c < p->ncolumns; c++)
		json[c] = c < id_columns(p) ? COLUMN_STRING : COLUMN_NUMBER;
	p->w = writer_new(p->out, o->io.output_format ? o->io.output_format : input_format, o->io.delimiter,
			  o->io.header);
	writer_columns(p->w, p->ncolumns, (const char *const *)p->colnames, json);
	free(json);
}

/* ---- one cut ------------------------------------------------------------- */

/* What a cut's rows share. */
struct cut {
	int64_t t;
	struct snapshot snap;
	struct itemcut own;         /* the statistics computed here ... */
	const struct itemcut *ic;   /* ... or read: what the rows use */
	uint32_t *order;            /* every item, in the order rows list them */
	size_t norder;
	int hour, dow;
	size_t *hz_start;           /* per user: its horizon events, CSR */
	struct event *hz;
	size_t *popular;            /* items by popularity, most popular first */
	size_t npopular;
	/* per user scratch */
	uint32_t *pair_of;          /* per item: the user's pair, or EV_NONE */
	uint8_t *seen;              /* per item: SEEN_* in the horizon */
	uint8_t *cand;              /* per item: a candidate */
	double *score;              /* per item: collaborative score */
	double *type_eng;           /* [window][type] */
	uint32_t *engaged;          /* the user's engaged items (longest window) */
	uint32_t *items;            /* the user's rows' items */
	size_t nitems;
	uint8_t *label;
};


static const double *pair_win(const struct cut *c, uint32_t pair, size_t nwin, size_t w)
{
	return c->snap.pair_win + ((size_t)pair * nwin + w) * NTALLY;
}

/* An item with a sort key, for "most first, then catalog order". */
struct ranked {
	double key;
	uint32_t rank, item;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The run-wide id of the engine's user u: the same, but under --grouped
 * the engine holds the group's user alone, as its user 0. */
static uint32_t run_user(const struct run *p, uint32_t u)
{
	return p->o->grouped ? p->group_user : u;
}

/* The user's role at the cut: the latest an event gave, else --users'. */
static uint32_t user_role(const struct run *p, uint32_t user)
{
	uint32_t role = user < p->act.nusers ? p->act.users[user].role : EV_NONE;

	user = run_user(p, user);
	if (role == EV_NONE && user < p->listed_cap)
		role = p->listed_role[user];
	return role;
}

/* An item exists at a cut when the catalog lists it or an event at or
 * before the cut named it (an event of any user: with --item-stats, the
 * statistics say when). */
static int item_exists(const struct run *p, uint32_t item, int64_t t)
{
	return item < p->ncatalog || (item < p->item_first_cap && p->item_first[item] <= t);
}

static void note_item_first(struct run *p, uint32_t item, int64_t t)
{
	if (item_first_note(&p->item_first, &p->item_first_cap, item, t))
		p->items_dirty = 1;
}

/* An item with its first time and name, for sorting. */
struct item_key {
	int64_t first;
	const char *name;
	size_t len;
	uint32_t item;
};

static int item_key_cmp(const void *a, const void *b)
{
	const struct item_key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* The order of a cut's items: the catalog's, then the items that exist by
 * the time they were first seen (at the same time, by name), then the
 * others by name.  Only times and names decide it, never which events a
 * run read or in what order, so that a run over some of the users, told
 * the first times by --item-stats, orders items as the run over all of
 * them (popular:N and cooc:N break ties in this order, and --negatives
 * draws from the candidates in it). */
static void cut_order(struct run *p, struct cut *c)
{
	size_t ni = idmap_count(&p->items), m = 0;

	if (p->items_dirty || p->nsorted != ni - p->ncatalog) {
		struct item_key *k = xcalloc(ni + 1, sizeof *k);
		size_t n = 0;

		for (uint32_t i = (uint32_t)p->ncatalog; i < ni; i++) {
			k[n].first = i < p->item_first_cap ? p->item_first[i] : INT64_MAX;
			k[n].name = idmap_name(&p->items, i);
			k[n].len = idmap_len(&p->items, i);
			k[n++].item = i;
		}
		free(p->by_first);
		free(p->by_name);
		p->by_first = xcalloc(n + 1, sizeof *p->by_first);
		p->by_name = xcalloc(n + 1, sizeof *p->by_name);
		qsort(k, n, sizeof *k, item_key_cmp);
		for (size_t j = 0; j < n; j++)
			p->by_first[j] = k[j].item;
		for (size_t j = 0; j < n; j++)
			k[j].first = 0;
		qsort(k, n, sizeof *k, item_key_cmp);
		for (size_t j = 0; j < n; j++)
			p->by_name[j] = k[j].item;
		free(k);
		p->nsorted = n;
		p->items_dirty = 0;
	}
	c->order = xcalloc(ni + 1, sizeof *c->order);
	for (uint32_t i = 0; i < p->ncatalog; i++)
		c->order[m++] = i;
	for (size_t j = 0; j < p->nsorted; j++)
		if (item_exists(p, p->by_first[j], c->t))
			c->order[m++] = p->by_first[j];
	for (size_t j = 0; j < p->nsorted; j++)
		if (!item_exists(p, p->by_name[j], c->t))
			c->order[m++] = p->by_name[j];
	c->norder = m;
}

/* The roles users count under at the cut, for itemcut_add. */
static uint32_t *user_roles(const struct run *p)
{
	uint32_t *role = xcalloc(p->act.nusers + 1, sizeof *role);

	for (uint32_t u = 0; u < p->act.nusers; u++)
		role[u] = user_role(p, u);
	return role;
}

/* The engine's users: every user, or under --grouped the group's. */
static size_t engine_users(const struct run *p)
{
	return idmap_count(p->o->grouped ? &p->group_users : &p->users);
}

static void cut_begin(struct run *p, struct cut *c, int64_t t)
{
	struct activity *a = &p->act;
	size_t nu, ni, nw = p->nwin, ntypes = idmap_count(&p->types) + 1, nroles = idmap_count(&p->roles);
	int64_t days = t >= 0 ? t / TIME_US_PER_DAY : -((-t + TIME_US_PER_DAY - 1) / TIME_US_PER_DAY);
	struct ranked *rk;

	memset(c, 0, sizeof *c);
	activity_reserve(a, engine_users(p), idmap_count(&p->items));
	nu = a->nusers;
	ni = a->nitems;
	c->t = t;
	c->hour = (int)((t - days * TIME_US_PER_DAY) / (3600 * TIME_US_PER_SEC));
	c->dow = time_weekday(days) + 1;
	snapshot_init(&c->snap);
	activity_snapshot(a, t, &c->snap);

	/* the horizon's events, grouped by user (a counting sort) */
	c->hz_start = xcalloc(nu + 2, sizeof *c->hz_start);
	for (size_t k = 0; k < p->qlen; k++) {
		const struct event *ev = &p->q[(p->qhead + k) % p->qcap];

		if (!p->labels || ev->t > t + p->horizon)
			break;
		c->hz_start[ev->user + 1]++;
	}
	for (size_t u = 0; u < nu; u++)
		c->hz_start[u + 1] += c->hz_start[u];
	c->hz = xcalloc(c->hz_start[nu] + 1, sizeof *c->hz);
	{
		size_t *fill = xcalloc(nu + 1, sizeof *fill);

		memcpy(fill, c->hz_start, nu * sizeof *fill);
		for (size_t k = 0; k < c->hz_start[nu]; k++) {
			const struct event *ev = &p->q[(p->qhead + k) % p->qcap];

			c->hz[fill[ev->user]++] = *ev;
		}
		free(fill);
	}

	/* the items' statistics over all users: read, or from the activity
	 * by the same itemcut_add that --item-stats-out writes them with */
	itemcut_init(&c->own, t, nw, p->wlong);
	if (p->use_stats) {
		struct itemcut *ic = itemstats_at(&p->stats, t);

		if (ic)
			itemcut_reserve(ic, ni, nroles);
		c->ic = ic;
	} else {
		uint32_t *role = user_roles(p);

		itemcut_add(&c->own, a, &c->snap, role);
		free(role);
	}
	if (!c->ic) {
		itemcut_reserve(&c->own, ni, nroles);
		itemcut_finish(&c->own);
		c->ic = &c->own;
	}

	/* popularity order of the items that exist */
	cut_order(p, c);
	rk = xcalloc(ni + 1, sizeof *rk);
	for (uint32_t r = 0; r < c->norder; r++) {
		uint32_t i = c->order[r];

		if (item_exists(p, i, t)) {
			rk[c->npopular].key = c->ic->engage[i * nw + p->wlong];
			rk[c->npopular].rank = r;
			rk[c->npopular++].item = i;
		}
	}
	gsl_heapsort(rk, c->npopular, sizeof *rk, ranked_cmp);
	c->popular = xcalloc(c->npopular + 1, sizeof *c->popular);
	for (size_t k = 0; k < c->npopular; k++)
		c->popular[k] = rk[k].item;
	free(rk);

	c->pair_of = xmalloc((ni + 1) * sizeof *c->pair_of);
	for (size_t i = 0; i < ni; i++)
		c->pair_of[i] = EV_NONE;
	c->engaged = xcalloc(ni + 1, sizeof *c->engaged);
	c->seen = xcalloc(ni + 1, 1);
	c->cand = xcalloc(ni + 1, 1);
	c->label = xcalloc(ni + 1, 1);
	c->score = xcalloc(ni + 1, sizeof *c->score);
	c->type_eng = xcalloc(nw * ntypes + 1, sizeof *c->type_eng);
	c->items = xcalloc(ni + 1, sizeof *c->items);
}

static void cut_end(struct cut *c)
{
	snapshot_free(&c->snap);
	itemcut_free(&c->own);
	free(c->order);
	free(c->hz_start);
	free(c->hz);
	free(c->popular);
	free(c->pair_of);
	free(c->seen);
	free(c->cand);
	free(c->label);
	free(c->score);
	free(c->type_eng);
	free(c->engaged);
	free(c->items);
}

/* The feature values of one row, in make_columns' order. */
static void row_features(struct run *p, const struct cut *c, uint32_t user, uint32_t item)
{
	static const double zeros[NTALLY];
	const struct activity *a = &p->act;
	const struct snapshot *s = &c->snap;
	const struct itemcut *ic = c->ic;
	size_t nw = p->nwin, ntypes = idmap_count(&p->types) + 1, k = 0;
	uint32_t pair = c->pair_of[item];
	const struct pair *pr = pair == EV_NONE ? NULL : &a->pairs[pair];
	uint32_t type = p->has_types && item < p->ncatalog ? p->item_type[item] : EV_NONE;
	double longest = (double)p->win[p->wlong] / TIME_US_PER_SEC;
	double *f = p->feat;

	for (size_t w = 0; w < nw; w++) {
		const double *t = pr ? pair_win(c, pair, nw, w) : zeros;

		for (size_t j = 0; j < NPAIR_COUNTS; j++)
			f[k++] = pair_counts[j].tally == TALLY_MS ? t[TALLY_MS] / 1000 : t[pair_counts[j].tally];
	}
	f[k++] = pr ? activity_decay(a, pr, c->t) : 0;
	f[k++] = pr && pr->last_touch != INT64_MIN
			 ? fmin((double)(c->t - pr->last_touch) / TIME_US_PER_SEC, longest)
			 : longest;
	f[k++] = pr ? pr->pinned : 0;
	f[k++] = pr ? pr->not_interested : 0;
	for (size_t w = 0; w < nw; w++) {
		double ue = s->user_engage[user * nw + w];

		f[k++] = pr && ue > 0 ? tally_engagement(pair_win(c, pair, nw, w)) / ue : 0;
	}
	for (size_t w = 0; w < nw; w++) {
		f[k++] = s->user_engage[user * nw + w];
		f[k++] = s->user_sessions[user * nw + w];
	}
	for (size_t w = 0; w < nw; w++) {
		f[k++] = ic->engage[item * nw + w];
		f[k++] = ic->users[item * nw + w];
		/* Laplace-smoothed, so an item never shown is 1/2, not 0/0 */
		f[k++] = (ic->open[item * nw + w] + 1) / (ic->impr[item * nw + w] + 2);
	}
	if (p->has_types)
		for (size_t w = 0; w < nw; w++) {
			double ue = s->user_engage[user * nw + w];

			f[k++] = type != EV_NONE && ue > 0 ? c->type_eng[w * ntypes + type] / ue : 0;
		}
	if (p->has_role) {
		uint32_t role = user_role(p, user);

		for (size_t w = 0; w < nw; w++)
			f[k++] = role == EV_NONE ? 0 : itemcut_role(ic, role, item)[w];
	}
	f[k++] = c->score[item];
	f[k++] = c->hour;
	f[k++] = c->dow;
	for (size_t j = 0; j < p->nlog1p; j++, k++)
		f[k] = log1p(f[p->log1p_src[j]]);
	if (p->labels)
		f[k++] = c->label[item];
}

static void write_row(struct run *p, const struct cut *c, uint32_t user, uint32_t item,
		      const char *asof, size_t asof_len)
{
	size_t n = 0;
	uint32_t role = user_role(p, user);

	row_features(p, c, user, item);
	field_set(&p->row[n++], idmap_name(&p->users, run_user(p, user)),
		  idmap_len(&p->users, run_user(p, user)), FIELD_STRING);
	field_set(&p->row[n++], idmap_name(&p->items, item), idmap_len(&p->items, item), FIELD_STRING);
	field_set(&p->row[n++], asof, asof_len, FIELD_STRING);
	if (p->has_role) {
		if (role == EV_NONE)
			field_set(&p->row[n++], "", 0, FIELD_NULL);
		else
			field_set(&p->row[n++], idmap_name(&p->roles, role), idmap_len(&p->roles, role),
				 FIELD_STRING);
	}
	if (p->has_types) {
		uint32_t type = item < p->ncatalog ? p->item_type[item] : EV_NONE;

		if (type == EV_NONE)
			field_set(&p->row[n++], "", 0, FIELD_NULL);
		else
			field_set(&p->row[n++], idmap_name(&p->types, type), idmap_len(&p->types, type),
				 FIELD_STRING);
	}
	for (size_t k = 0; k < p->nfeat; k++, n++)
		field_set(&p->row[n], p->numtext[n], num_format(p->feat[k], p->numtext[n]), FIELD_NUMBER);
	writer_row(p->w, p->row);
	p->acc.rows_out++;
}

/* Marks the candidates of rule popular:N or cooc:N. */
static void mark_top(const struct cut *c, const struct ranked *rk, size_t n, long top)
{
	for (size_t k = 0; k < n && (long)k < top; k++)
		c->cand[rk[k].item] = 1;
}

/* Marks the file's candidate pairs of user (sorted by user: a binary
 * search); returns how many. */
static size_t mark_file_pairs(const struct rules *ru, const struct cut *c, uint32_t user)
{
	size_t lo = 0, hi = ru->npairs, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ru->pairs[mid].user < user)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ru->npairs && ru->pairs[lo].user == user; lo++, n++)
		c->cand[ru->pairs[lo].item] = 1;
	return n;
}

/* Writes the rows of one user at the cut.  history: the user has events
 * at or before the cut (else a --users newcomer). */
static void user_rows(struct run *p, struct cut *c, uint32_t user, int history,
		      const char *asof, size_t asof_len)
{
	const struct activity *a = &p->act;
	const struct rules *ru = &p->rules;
	size_t nw = p->nwin, ni = a->nitems, ntypes = idmap_count(&p->types) + 1, nengaged = 0;
	size_t nrows = 0, npos = 0, from_file;
	const struct user *us = history ? &a->users[user] : NULL;

	if (p->labels && c->hz_start[user + 1] == c->hz_start[user])
		return; /* did not come back within the horizon */
	memset(c->cand, 0, ni);
	memset(c->score, 0, ni * sizeof *c->score);
	memset(c->type_eng, 0, nw * ntypes * sizeof *c->type_eng);
	for (size_t k = 0; us && k < us->npairs; k++) {
		const struct pair *pr = &a->pairs[us->pairs[k]];
		uint32_t type = p->has_types && pr->item < p->ncatalog ? p->item_type[pr->item] : EV_NONE;

		c->pair_of[pr->item] = us->pairs[k];
		if (tally_engagement(pair_win(c, us->pairs[k], nw, p->wlong)) > 0)
			c->engaged[nengaged++] = pr->item;
		if (type != EV_NONE)
			for (size_t w = 0; w < nw; w++)
				c->type_eng[w * ntypes + type] += tally_engagement(pair_win(c, us->pairs[k], nw, w));
	}
	for (size_t k = c->hz_start[user]; k < c->hz_start[user + 1]; k++) {
		const struct event *ev = &c->hz[k];

		if (ev->item == EV_NONE)
			continue;
		if (event_is_engagement(ev->type))
			c->seen[ev->item] |= SEEN_ENGAGED;
		if (ev->type == EV_IMPRESSION)
			c->seen[ev->item] |= SEEN_SHOWN;
	}
	cooc_scores(&c->ic->cooc, c->engaged, nengaged, c->score);

	/* candidates */
	from_file = ru->npairs ? mark_file_pairs(ru, c, run_user(p, user)) : 0;
	/* a newcomer with no rule that can name items for them gets them all */
	if (ru->all || (!history && !ru->popular && from_file == 0))
		for (uint32_t i = 0; i < ni; i++)
			if (item_exists(p, i, c->t))
				c->cand[i] = 1;
	if (ru->popular)
		for (size_t k = 0; k < c->npopular && (long)k < ru->popular; k++)
			c->cand[c->popular[k]] = 1;
	if (ru->cooc && history) {
		struct ranked *rk = xcalloc(ni + 1, sizeof *rk);
		size_t n = 0;

		for (uint32_t r = 0; r < c->norder; r++) {
			uint32_t i = c->order[r];

			if (c->score[i] > 0 && item_exists(p, i, c->t)) {
				rk[n].key = c->score[i];
				rk[n].rank = r;
				rk[n++].item = i;
			}
		}
		gsl_heapsort(rk, n, sizeof *rk, ranked_cmp);
		mark_top(c, rk, n, ru->cooc);
		free(rk);
	}
	if (ru->shown)
		for (uint32_t i = 0; i < ni; i++)
			if ((c->seen[i] & SEEN_SHOWN) && item_exists(p, i, c->t))
				c->cand[i] = 1;
	for (uint32_t r = 0; r < c->norder; r++) {
		uint32_t i = c->order[r];

		if (c->cand[i]) {
			c->items[nrows++] = i;
			c->label[i] = (c->seen[i] & SEEN_ENGAGED) != 0;
			npos += c->label[i];
		}
	}

	/* --negatives: every positive, and K negatives per positive drawn
	 * without replacement from a stream of the user and the cut alone */
	if (p->o->negatives) {
		size_t nneg = nrows - npos, keep = 0, want = (size_t)p->o->negatives * npos;
		uint32_t *neg = xcalloc(nneg + 1, sizeof *neg), *chosen = xcalloc(nneg + 1, sizeof *chosen);
		size_t m = 0;

		for (size_t k = 0; k < nrows; k++)
			if (!c->label[c->items[k]])
				neg[m++] = c->items[k];
		if (want > nneg)
			want = nneg;
		if (want > 0) {
			uint32_t g = run_user(p, user);

			rng_reseed(&p->rng, p->o->io.seed,
				   rng_stream_of(idmap_name(&p->users, g), idmap_len(&p->users, g)) ^
					   (uint64_t)c->t);
			gsl_ran_choose(p->rng.r, chosen, want, neg, nneg, sizeof *neg);
		}
		/* merge positives and the chosen negatives back in catalog order */
		m = 0;
		for (size_t k = 0; k < nrows; k++) {
			uint32_t i = c->items[k];

			if (c->label[i] || (m < want && chosen[m] == i)) {
				if (!c->label[i])
					m++;
				c->items[keep++] = i;
			}
		}
		nrows = keep;
		free(neg);
		free(chosen);
	}
	for (size_t k = 0; k < nrows; k++)
		write_row(p, c, user, c->items[k], asof, asof_len);

	for (size_t k = 0; us && k < us->npairs; k++)
		c->pair_of[a->pairs[us->pairs[k]].item] = EV_NONE;
	for (size_t k = c->hz_start[user]; k < c->hz_start[user + 1]; k++)
		if (c->hz[k].item != EV_NONE)
			c->seen[c->hz[k].item] = 0;
	memset(c->label, 0, ni);
}

static void emit_cut(struct run *p, int64_t t)
{
	struct cut c;
	char asof[TIME_FORMAT_MAX];
	size_t asof_len = time_format_timestamp(t, asof);

	cut_begin(p, &c, t);
	if (p->o->grouped) {
		/* the engine's one user: the group's */
		int history = p->act.nusers > 0 && p->act.users[0].first != INT64_MIN;

		if (p->in_group && (history || (p->group_user < p->listed_cap && p->listed[p->group_user])))
			user_rows(p, &c, 0, history, asof, asof_len);
	} else {
		for (size_t r = 0; r < p->user_order.n; r++) {
			uint32_t u = p->user_order.ids[r];
			int history = p->act.users[u].first != INT64_MIN;

			if (history || (u < p->listed_cap && p->listed[u]))
				user_rows(p, &c, u, history, asof, asof_len);
		}
	}
	cut_end(&c);
}

/* --item-stats-out: the statistics at cut t of the users in the engine,
 * written at once, or under --grouped added to the cut's sums so far. */
static void stats_cut(struct run *p, int64_t t)
{
	struct snapshot snap;
	struct itemcut one, *ic = &one;
	uint32_t *role;

	activity_reserve(&p->act, engine_users(p), idmap_count(&p->items));
	snapshot_init(&snap);
	activity_snapshot(&p->act, t, &snap);
	if (p->o->grouped)
		ic = itemstats_add_cut(&p->gathered, t, p->nwin, p->wlong);
	else
		itemcut_init(&one, t, p->nwin, p->wlong);
	role = user_roles(p);
	itemcut_add(ic, &p->act, &snap, role);
	free(role);
	snapshot_free(&snap);
	if (!p->o->grouped) {
		itemstats_write_cut(&p->sout, &one, &p->items, &p->roles);
		itemcut_free(&one);
	}
}

/* ---- the event stream ---------------------------------------------------- */

static void warn(const struct run *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(const struct run *p, const char *fmt, ...)
{
	va_list ap;

	if (p->o->io.quiet)
		return;
	fprintf(stderr, "%s: warning: ", p->o->io.prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void push(struct run *p, const struct event *ev)
{
	if (p->qlen == p->qcap) {
		size_t cap = p->qcap ? p->qcap * 2 : 1024;
		struct event *q = xcalloc(cap, sizeof *q);

		for (size_t k = 0; k < p->qlen; k++)
			q[k] = p->q[(p->qhead + k) % p->qcap];
		free(p->q);
		p->q = q;
		p->qcap = cap;
		p->qhead = 0;
	}
	p->q[(p->qhead + p->qlen++) % p->qcap] = *ev;
}

static void next_cut(struct run *p)
{
	if (p->single) {
		p->finished = 1;
		return;
	}
	p->next_cut += p->step;
	if (p->has_until && p->next_cut > p->until)
		p->finished = 1;
}

/* The first cut of --asof-every: the first grid time at or after `start`
 * (the first event) and --since. */
static void first_cut(struct run *p, int64_t start)
{
	int64_t k;

	if (p->has_since && p->since > start)
		start = p->since;
	k = (start - p->origin) / p->step;
	if (p->origin + k * p->step < start)
		k++;
	p->next_cut = p->origin + k * p->step;
	p->cuts_known = 1;
	if (p->has_until && p->next_cut > p->until)
		p->finished = 1;
}

/* Whether cut t, once the input is over, is past the last one.  Rows: a
 * cut whose label horizon the events do not reach (without --until).
 * Statistics: a cut whose windows hold no event of the engine any more,
 * so that statistics gathered over part of the users reach every cut the
 * run over all of them makes. */
static int past_end(const struct run *p, int64_t t)
{
	if (p->single || p->has_until)
		return 0;
	if (p->stats_out)
		return !p->engine_any || t - p->win[p->wlong] >= p->engine_last;
	return !p->has_span || t + p->horizon > p->span_last;
}

/* Applies queued events and writes every cut that can be written; at_eof:
 * the input (or under --grouped the group) is over. */
static void advance(struct run *p, int at_eof)
{
	while (!p->finished && p->cuts_known) {
		int64_t t = p->next_cut;

		while (p->qlen && p->q[p->qhead].t <= t) {
			activity_apply(&p->act, &p->q[p->qhead]);
			p->qhead = (p->qhead + 1) % p->qcap;
			p->qlen--;
		}
		if (!at_eof) {
			if (!p->qlen || p->q[(p->qhead + p->qlen - 1) % p->qcap].t <= t + p->horizon)
				return;
		} else if (past_end(p, t)) {
			p->finished = 1;
			return;
		} else if (p->labels && !p->stats_out && p->has_span && t + p->horizon > p->span_last &&
			   !p->warned_horizon) {
			char a[TIME_FORMAT_MAX], b[TIME_FORMAT_MAX];

			time_format_timestamp(t, a);
			time_format_timestamp(p->span_last, b);
			warn(p, "the label horizon of the cut at %s ends after the last event (%s): labels from there on may miss engagement",
			     a, b);
			p->warned_horizon = 1;
		}
		if (p->stats_out)
			stats_cut(p, t);
		else
			emit_cut(p, t);
		next_cut(p);
	}
}

/* Sets the engine up for a new stream of events: empty activity and
 * queue, and the cuts from the start (with --item-stats, the statistics'
 * first cut, whatever this input's events are). */
static void engine_start(struct run *p)
{
	p->qhead = p->qlen = 0;
	p->finished = 0;
	p->cuts_known = 0;
	p->ordered_any = 0;
	p->engine_any = 0;
	if (p->single) {
		p->cuts_known = 1;
		p->next_cut = p->origin;
	} else if (p->use_stats) {
		if (p->has_span)
			first_cut(p, p->span_first);
		else
			p->finished = 1; /* no events at all: no cut */
	}
}

static void engine_reset(struct run *p)
{
	struct adash_err ignored;

	activity_free(&p->act);
	/* the options were accepted by the first activity_init */
	activity_init(&p->act, p->win, p->nwin, p->single ? 0 : p->step, p->origin,
		      (double)p->half_life, &ignored);
	engine_start(p);
}

static int feed(struct run *p, const struct event *ev, struct adash_err *e)
{
	if (p->ordered_any && ev->t < p->order_t) {
		char a[TIME_FORMAT_MAX], b[TIME_FORMAT_MAX];

		time_format_timestamp(ev->t, a);
		time_format_timestamp(p->order_t, b);
		if (p->o->grouped)
			return err_at(e, ADASH_EDATA, p->event_file, p->event_line, "ts",
				      "%s is earlier than the event before it of user \"%s\" (%s): with --grouped, each user's events must be in time order",
				      a, idmap_name(&p->users, p->group_user), b);
		return err_at(e, ADASH_EDATA, p->event_file, p->event_line, "ts",
			      "%s is earlier than the event before it (%s): events must be in time order (give --sort to sort them in memory)",
			      a, b);
	}
	if (p->use_stats && (!p->has_span || ev->t < p->span_first || ev->t > p->span_last)) {
		char a[TIME_FORMAT_MAX];

		time_format_timestamp(ev->t, a);
		return err_at(e, ADASH_EDATA, p->event_file, p->event_line, "ts",
			      "%s is outside the events the --item-stats were made from: make them from these events (or all of whose users these are)",
			      a);
	}
	if (!p->cuts_known)
		first_cut(p, ev->t);
	p->ordered_any = 1;
	p->order_t = ev->t;
	p->engine_any = 1;
	p->engine_last = ev->t;
	if (!p->use_stats) {
		if (!p->has_span || ev->t < p->span_first)
			p->span_first = ev->t;
		if (!p->has_span || ev->t > p->span_last)
			p->span_last = ev->t;
		p->has_span = 1;
	}
	if (!p->o->grouped)
		order_note(&p->user_order, ev->user);
	if (ev->item != EV_NONE)
		note_item_first(p, ev->item, ev->t);
	if (p->finished)
		return 0;
	push(p, ev);
	advance(p, 0);
	return 0;
}

/* --grouped: the group of the user `name` begins, in a fresh engine. */
static int group_begin(struct run *p, const char *name, size_t len, struct adash_err *e)
{
	uint32_t g = idmap_intern(&p->users, name, len);
	size_t old = p->done_cap;

	p->done = xgrow(p->done, &p->done_cap, (size_t)g + 1, sizeof *p->done);
	memset(p->done + old, 0, p->done_cap - old);
	if (p->done[g])
		return err_at(e, ADASH_EDATA, p->event_file, p->event_line, "user_id",
			      "user \"%s\" comes again after other users: with --grouped, each user's events must be together (sort by user_id, then ts)",
			      idmap_name(&p->users, g));
	engine_reset(p);
	p->group_user = g;
	p->in_group = 1;
	return 0;
}

/* --grouped: writes the group's remaining cuts and forgets its user. */
static void group_end(struct run *p)
{
	if (!p->in_group)
		return;
	advance(p, 1);
	p->done[p->group_user] = 1;
	p->in_group = 0;
	idmap_free(&p->group_users);
	idmap_init(&p->group_users);
}

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x < y ? -1 : x > y; /* input order among equal times */
}

/* What run_input hands readloop: the run, the columns of the input, and
 * where --sort holds the events. */
struct event_reading {
	struct run *p;
	struct event_columns cols;
	struct event **held;
	size_t *nheld, *heldcap;
};

static int event_row(void *ctx, struct reader *r, const struct field *rec,
		     struct adash_err *row_err, const char **reason, struct adash_err *e)
{
	struct event_reading *er = ctx;
	struct run *p = er->p;
	struct event ev;

	p->event_line = reader_line(r);
	if (event_parse(&er->cols, r, rec, p->o->grouped ? &p->group_users : &p->users, &p->items,
			&p->roles, &ev, row_err, reason) < 0)
		return ROW_BAD;
	if (p->o->grouped && (ev.user != 0 || !p->in_group)) {
		/* another user: the group before it is over */
		const struct field *user = &rec[er->cols.user];

		group_end(p);
		if (group_begin(p, user->s, user->len, e) < 0)
			return ROW_FATAL;
		ev.user = idmap_intern(&p->group_users, user->s, user->len);
	}
	if (er->held) {
		*er->held = xgrow(*er->held, er->heldcap, *er->nheld + 1, sizeof **er->held);
		(*er->held)[(*er->nheld)++] = ev;
		return ROW_OK;
	}
	return feed(p, &ev, e) < 0 ? ROW_FATAL : ROW_OK;
}

static int run_input(struct run *p, const char *path, int first, struct event **held,
		     size_t *nheld, size_t *heldcap, struct adash_err *e)
{
	struct reader *r = reader_open(path, &p->o->io.read, e);
	struct event_reading er = { p, { 0, 0, 0, 0, -1, -1 }, held, nheld, heldcap };
	int rc = -1;

	if (!r)
		return -1;
	if (reader_ncols(r) > 0 && event_columns_find(&er.cols, r, e) < 0)
		goto out;
	if (first && !p->w && !p->stats_out) {
		p->has_role |= reader_ncols(r) > 0 && er.cols.role >= 0;
		open_writer(p, reader_format(r));
	}
	snprintf(p->event_file, sizeof p->event_file, "%s", reader_name(r));
	if (readloop_run(&p->acc, r, p->o->io.progress, &p->events_seen, event_row, &er, e) < 0)
		goto out;
	rc = 0;
out:
	reader_close(r);
	return rc;
}

static void run_free(struct run *p)
{
	for (size_t w = 0; w < p->nwin; w++)
		free(p->win_name[w]);
	free(p->win_name);
	free(p->win);
	free(p->rules.pairs);
	idmap_free(&p->users);
	idmap_free(&p->items);
	order_free(&p->user_order);
	free(p->item_first);
	free(p->by_first);
	free(p->by_name);
	free(p->cuts_spec);
	itemstats_free(&p->stats);
	itemstats_free(&p->gathered);
	idmap_free(&p->group_users);
	free(p->done);
	idmap_free(&p->roles);
	idmap_free(&p->types);
	free(p->item_type);
	free(p->listed);
	free(p->listed_role);
	activity_free(&p->act);
	free(p->q);
	for (size_t c = 0; c < p->ncolumns; c++)
		free(p->colnames[c]);
	free(p->colnames);
	free(p->log1p_src);
	free(p->row);
	free(p->numtext);
	free(p->feat);
	writer_free(p->w);
	rng_free(&p->rng);
}

static int listed_pair_cmp(const void *a, const void *b)
{
	const struct listed_pair *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

int events_run(const struct events_options *o, char *const *inputs, FILE *out,
	       struct adash_err *e)
{
	struct run p;
	struct event *held = NULL;
	size_t nheld = 0, heldcap = 0;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.out = out;
	idmap_init(&p.users);
	idmap_init(&p.items);
	idmap_init(&p.roles);
	idmap_init(&p.types);
	idmap_init(&p.group_users);
	itemstats_init(&p.stats);
	itemstats_init(&p.gathered);
	rng_init(&p.rng, o->io.seed);
	if (parse_options(&p, e) < 0 ||
	    activity_init(&p.act, p.win, p.nwin, p.single ? 0 : p.step, p.origin,
			  (double)p.half_life, e) < 0) {
		run_free(&p);
		return -1;
	}
	if (read_side_files(&p, e) < 0) {
		run_free(&p);
		return -1;
	}
	for (uint32_t u = 0; u < idmap_count(&p.users); u++)
		order_note(&p.user_order, u);
	if (p.use_stats) {
		if (itemstats_read(&p.stats, o->item_stats, (const char *const *)p.win_name, p.nwin,
				   p.wlong, p.cuts_spec, &p.items, &p.roles, e) < 0) {
			run_free(&p);
			return -1;
		}
		for (uint32_t i = 0; i < p.stats.nitem_first; i++)
			if (p.stats.item_first[i] != INT64_MAX)
				note_item_first(&p, i, p.stats.item_first[i]);
		p.has_span = p.stats.first <= p.stats.last;
		p.span_first = p.stats.first;
		p.span_last = p.stats.last;
	}
	engine_start(&p);
	/* by user, for mark_file_pairs' binary search */
	if (p.rules.npairs)
		gsl_heapsort(p.rules.pairs, p.rules.npairs, sizeof *p.rules.pairs, listed_pair_cmp);
	if (accounting_open(&p.acc, o->io.on_bad, o->io.reject_path, o->io.stats_path, e) < 0) {
		run_free(&p);
		return -1;
	}
	if (p.stats_out) {
		FILE *sf = out;

		if (strcmp(o->item_stats_out, "-") != 0) {
			if (atomic_open(&p.sfile, o->item_stats_out, e) < 0) {
				struct adash_err why = *e;

				err_set(e, why.code, "--item-stats-out %s", why.msg);
				goto out;
			}
			p.sfile_open = 1;
			sf = p.sfile.fp;
		}
		itemstats_out_open(&p.sout, sf, (const char *const *)p.win_name, p.nwin, p.wlong,
				   p.cuts_spec);
	}
	for (size_t f = 0; inputs[f]; f++)
		if (run_input(&p, inputs[f], f == 0, o->sort ? &held : NULL, &nheld, &heldcap, e) < 0)
			goto out;
	if (!p.w && !p.stats_out)
		open_writer(&p, FORMAT_CSV);
	if (o->sort) {
		/* a stable sort by time: the comparison falls back on the
		 * events' places in the array, which is input order */
		size_t *order = xcalloc(nheld + 1, sizeof *order);

		if (nheld)
			gsl_heapsort_index(order, held, nheld, sizeof *held, event_cmp);
		for (size_t k = 0; k < nheld; k++)
			if (feed(&p, &held[order[k]], e) < 0) {
				free(order);
				goto out;
			}
		free(order);
	}
	if (o->grouped) {
		group_end(&p);
		/* users of --users without events: a group each, of no events */
		for (uint32_t u = 0; !p.stats_out && u < p.listed_cap; u++)
			if (p.listed[u] && !(u < p.done_cap && p.done[u])) {
				engine_reset(&p);
				p.group_user = u;
				p.in_group = 1;
				advance(&p, 1);
				p.in_group = 0;
			}
	} else {
		advance(&p, 1);
	}
	if (p.stats_out) {
		for (size_t k = 0; k < p.gathered.ncuts; k++)
			itemstats_write_cut(&p.sout, &p.gathered.cuts[k], &p.items, &p.roles);
		itemstats_write_span(&p.sout, p.has_span ? p.span_first : INT64_MAX,
				     p.has_span ? p.span_last : INT64_MIN, p.item_first,
				     p.item_first_cap < idmap_count(&p.items) ? p.item_first_cap
									: idmap_count(&p.items),
				     &p.items);
		itemstats_out_close(&p.sout);
		if (p.sfile_open) {
			p.sfile_open = 0;
			if (atomic_commit(&p.sfile, e) < 0)
				goto out;
		}
	}
	if (readloop_finish(&p.acc, o->io.progress, p.events_seen, out, o->io.verbose, o->io.prog, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		accounting_abort(&p.acc);
	if (p.sout.w)
		itemstats_out_close(&p.sout);
	if (p.sfile_open)
		atomic_abort(&p.sfile);
	free(held);
	run_free(&p);
	return rc;
}
