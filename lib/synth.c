/* synth: see synth.h.  The formulas here are the ones adash-synth(1)
 * documents; checklist: change both together. */
#include "synth.h"
#include "num.h"
#include "rng.h"
#include "timeutil.h"
#include "xalloc.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int id_width(long n, int min)
{
	int w = 1;

	while (n >= 10) {
		n /= 10;
		w++;
	}
	return w < min ? min : w;
}

static struct field text(const char *s, size_t len)
{
	struct field f = { s, len, FIELD_TEXT };
	return f;
}

/* ---- sales -------------------------------------------------------------- */

uint64_t synth_sales(const struct synth_sales_options *o, struct writer *w)
{
	static const char *const cols[] = { "shop_id", "date", "sales", "footfall", "price", "promo", "temp_c" };
	static const int json[] = { COLUMN_STRING, COLUMN_STRING, COLUMN_NUMBER, COLUMN_NUMBER,
				    COLUMN_NUMBER, COLUMN_NUMBER, COLUMN_NUMBER };
	char (*dates)[TIME_FORMAT_MAX] = xcalloc((size_t)(o->days > 0 ? o->days : 1), sizeof *dates);
	int *dow = xcalloc((size_t)(o->days > 0 ? o->days : 1), sizeof *dow);
	char shop[32], sales_s[NUM_FORMAT_MAX], foot_s[NUM_FORMAT_MAX], price_s[NUM_FORMAT_MAX],
	     temp_s[NUM_FORMAT_MAX];
	struct field row[7];
	struct rng g;
	uint64_t rows = 0;
	int width = id_width(o->shops, 2);

	writer_columns(w, 7, cols, json);
	for (long d = 0; d < o->days; d++) {
		time_format_date(o->start + d, dates[d]);
		dow[d] = time_weekday(o->start + d);
	}
	rng_init(&g, o->seed);
	for (long s = 0; s < o->shops; s++) {
		rng_reseed(&g, o->seed, (uint64_t)s);
		double base = gsl_ran_flat(g.r, 50, 300);
		double trend = gsl_ran_flat(g.r, -0.02, 0.2);
		double amp = gsl_ran_flat(g.r, 0.1, 0.6);
		double promo_p = gsl_ran_flat(g.r, 0.02, 0.08);
		size_t shop_len = (size_t)snprintf(shop, sizeof shop, "s%0*ld", width, s + 1);

		for (long d = 0; d < o->days; d++) {
			/* Monday = 0: Friday 4 and Saturday 5 high, Tuesday 1
			 * and Wednesday 2 low */
			double level = dow[d] == 4 || dow[d] == 5 ? 1 : dow[d] == 1 || dow[d] == 2 ? 0 : 0.2;
			double weekly = 1 + amp * level;
			int promo = gsl_rng_uniform(g.r) < promo_p;
			double foot = 5 * base * weekly * (1 + gsl_ran_gaussian(g.r, 0.05)) +
				      gsl_ran_gaussian(g.r, 5);
			double price = gsl_ran_flat(g.r, 10, 50) * (1 - 0.02 * promo);
			double temp = 25 + 5 * sin(2 * M_PI * (double)d / 365) + gsl_ran_gaussian(g.r, 2);
			double sales;

			foot = foot < 0 ? 0 : nearbyint(foot);
			price = nearbyint(price * 100) / 100;
			sales = base * weekly * (1 + trend * (double)d / 365) * (1 + 0.3 * promo) *
				(100 / price) + gsl_ran_gaussian(g.r, 0.1 * base);
			if (sales < 0)
				sales = 0;
			row[0] = text(shop, shop_len);
			row[1] = text(dates[d], strlen(dates[d]));
			row[2] = text(sales_s, num_format_fixed(sales, 2, sales_s));
			row[3] = text(foot_s, num_format_fixed(foot, 0, foot_s));
			row[4] = text(price_s, num_format_fixed(price, 2, price_s));
			row[5] = text(promo ? "1" : "0", 1);
			row[6] = text(temp_s, num_format_fixed(temp, 1, temp_s));
			writer_row(w, row);
			rows++;
		}
	}
	rng_free(&g);
	free(dates);
	free(dow);
	return rows;
}

/* ---- events ------------------------------------------------------------- */

#define LATENT 4

static const char *const roles[] = { "analyst", "manager", "sales", "ops", "finance" };
static const double role_weight[] = { 0.30, 0.15, 0.25, 0.20, 0.10 };
#define NROLES 5
static const char *const item_types[] = { "kpi", "chart", "table", "map", "funnel", "alert" };
#define NTYPES 6
static const char *const type_titles[] = { "KPI", "trend", "by region", "map", "funnel",
					   "alerts" };
static const char *const metrics[] = { "Revenue", "Orders", "Churn", "Signups", "Inventory",
				       "Returns", "Margin", "Traffic", "Tickets", "Conversion",
				       "Refunds", "Latency" };
#define NMETRICS 12
static const char *const devices[] = { "desktop", "mobile", "tablet" };

struct item {
	char id[24];
	int type;
	char title[64];
	double pop;              /* popularity, log scale */
	double pop_weight;       /* exp(pop): the logging policy's weight */
	double v[LATENT];        /* latent traits */
};

struct user {
	char id[24];
	int role;
	double u0[LATENT], drift[LATENT];
	double rate;             /* sessions per day */
	double device_p[3];
	long sessions;
	unsigned char *pinned, *hidden;
	struct rng g;
};

/* the shared world: catalog and role x type affinity */
struct world {
	struct item *items;
	long nitems;
	double affinity[NROLES][NTYPES];
};

static void make_world(const struct synth_events_options *o, struct world *wd)
{
	struct rng g;
	int width = id_width(o->items, 2);

	/* the catalog's stream is in a namespace of its own, apart from the
	 * users' (rng_derive(seed, user + 1)) */
	rng_init(&g, rng_derive(rng_derive(o->seed, UINT64_MAX), 0));
	wd->nitems = o->items;
	wd->items = xcalloc((size_t)(o->items > 0 ? o->items : 1), sizeof *wd->items);
	for (int r = 0; r < NROLES; r++)
		for (int t = 0; t < NTYPES; t++)
			wd->affinity[r][t] = gsl_ran_gaussian(g.r, 0.8);
	for (long i = 0; i < o->items; i++) {
		struct item *it = &wd->items[i];
		const char *metric = metrics[i % NMETRICS];
		char name[48];

		snprintf(it->id, sizeof it->id, "w%0*ld", width, i + 1);
		it->type = (int)gsl_rng_uniform_int(g.r, NTYPES);
		snprintf(name, sizeof name, "%s %s", metric, type_titles[it->type]);
		if (i >= NMETRICS)
			snprintf(it->title, sizeof it->title, "%s (%ld)", name, i / NMETRICS + 1);
		else
			snprintf(it->title, sizeof it->title, "%s", name);
		it->pop = gsl_ran_gaussian(g.r, 1.0);
		it->pop_weight = exp(it->pop);
		for (int k = 0; k < LATENT; k++)
			it->v[k] = gsl_ran_gaussian(g.r, 1.0);
	}
	rng_free(&g);
}

void synth_items(const struct synth_events_options *o, struct writer *w)
{
	static const char *const cols[] = { "item_id", "item_type", "title", "series" };
	struct world wd;
	struct field row[4];
	int width = id_width(o->shops, 2);
	long kpis = 0;

	make_world(o, &wd);
	writer_columns(w, o->shops > 0 ? 4 : 3, cols, NULL);
	for (long i = 0; i < wd.nitems; i++) {
		struct item *it = &wd.items[i];
		char series[32] = "";

		if (o->shops > 0 && strcmp(item_types[it->type], "kpi") == 0) {
			/* the same shop ids as synth_sales writes */
			if (kpis % (o->shops + 1) == 0)
				snprintf(series, sizeof series, "total");
			else
				snprintf(series, sizeof series, "s%0*ld", width, kpis % (o->shops + 1));
			snprintf(it->title, sizeof it->title, "Sales: %s",
				 strcmp(series, "total") == 0 ? "all shops" : series);
			kpis++;
		}
		row[0] = (struct field){ it->id, strlen(it->id), FIELD_STRING };
		row[1] = (struct field){ item_types[it->type], strlen(item_types[it->type]), FIELD_STRING };
		row[2] = (struct field){ it->title, strlen(it->title), FIELD_STRING };
		row[3] = (struct field){ series, strlen(series), FIELD_STRING };
		writer_row(w, row);
	}
	free(wd.items);
}

static void make_user(const struct synth_events_options *o, long u, struct user *us)
{
	double x = 0, pick;
	int width = id_width(o->users, 3);

	rng_init(&us->g, rng_derive(o->seed, (uint64_t)u + 1));
	snprintf(us->id, sizeof us->id, "u%0*ld", width, u + 1);
	pick = gsl_rng_uniform(us->g.r);
	us->role = NROLES - 1;
	for (int r = 0; r < NROLES; r++) {
		x += role_weight[r];
		if (pick < x) {
			us->role = r;
			break;
		}
	}
	for (int k = 0; k < LATENT; k++) {
		us->u0[k] = gsl_ran_gaussian(us->g.r, 0.7);
		us->drift[k] = gsl_ran_gaussian(us->g.r, 0.5);
	}
	us->rate = exp(gsl_ran_gaussian(us->g.r, 0.6) - 0.3);
	{
		double m = gsl_rng_uniform(us->g.r) * 0.4;
		us->device_p[0] = 0.9 - m;
		us->device_p[1] = 0.05 + 0.75 * m;
		us->device_p[2] = 1 - us->device_p[0] - us->device_p[1];
	}
	us->pinned = xcalloc((size_t)(o->items > 0 ? o->items : 1), 1);
	us->hidden = xcalloc((size_t)(o->items > 0 ? o->items : 1), 1);
}

/* The user's true affinity for an item at time fraction t in [0, 1]. */
static double utility(const struct world *wd, const struct user *us, const struct item *it, double t)
{
	double s = 0.6 * it->pop + wd->affinity[us->role][it->type];

	for (int k = 0; k < LATENT; k++)
		s += (us->u0[k] + t * us->drift[k]) * it->v[k];
	return s;
}

static double sigmoid(double x) { return 1 / (1 + exp(-x)); }

struct event {
	int64_t ts;              /* microseconds */
	uint64_t seq;            /* generation order, breaks ties */
	long user, item;         /* item -1: none */
	int type;                /* index into event_names */
	long session;
	int device;
	double value;            /* < 0: none */
};

enum { EV_IMPRESSION, EV_PAGE_VIEW, EV_OPEN, EV_DRILLDOWN, EV_FILTER, EV_TIME, EV_EXPORT,
       EV_PIN, EV_UNPIN, EV_NOT_INTERESTED };
static const char *const event_names[] = { "impression", "page_view", "widget_open", "drilldown",
					   "filter_change", "time_spent", "export", "pin", "unpin",
					   "not_interested" };

struct event_list {
	struct event *ev;
	size_t n, cap;
	uint64_t seq;
};

static void emit(struct event_list *l, int64_t ts, long user, long item, int type, long session,
		 int device, double value)
{
	struct event *e;

	l->ev = xgrow(l->ev, &l->cap, l->n + 1, sizeof *l->ev);
	e = &l->ev[l->n++];
	e->ts = ts;
	e->seq = l->seq++;
	e->user = user;
	e->item = item;
	e->type = type;
	e->session = session;
	e->device = device;
	e->value = value;
}

static int by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Session start: a working-day mixture of a morning and an afternoon peak. */
static int64_t session_second(gsl_rng *r)
{
	double h = gsl_rng_uniform(r) < 0.55 ? 10.0 + gsl_ran_gaussian(r, 1.6)
					      : 15.0 + gsl_ran_gaussian(r, 2.0);
	if (h < 0)
		h = 0;
	if (h > 23.9)
		h = 23.9;
	return (int64_t)(h * 3600);
}

/* One session of user u: a page view, the page's widgets as impressions,
 * engagement with them, and an occasional widget found in the catalog. */
/* Draws an index with probability proportional to w[i] (w[i] >= 0), or -1
 * when every weight is 0.  One linear pass: weights change with every draw
 * (without replacement, drifting taste), so a gsl_ran_discrete table, built
 * in the same linear time, would be built for a single use. */
static long weighted_pick(gsl_rng *r, const double *w, long n)
{
	double total = 0, x;
	long last = -1;

	for (long i = 0; i < n; i++)
		if (w[i] > 0) {
			total += w[i];
			last = i;
		}
	if (last < 0)
		return -1;
	x = gsl_rng_uniform(r) * total;
	for (long i = 0; i < n; i++) {
		if (w[i] <= 0)
			continue;
		x -= w[i];
		if (x < 0)
			return i;
	}
	return last; /* rounding left x just above 0 */
}

static int64_t session(const struct synth_events_options *o, const struct world *wd, struct user *us,
		       long u, int64_t start, double t, struct event_list *l, long *shown, double *wts,
		       unsigned char *onpage)
{
	gsl_rng *r = us->g.r;
	int64_t ts = start;
	long sid = ++us->sessions, nshown = 0;
	int device;
	double pick = gsl_rng_uniform(r);

	device = pick < us->device_p[0] ? 0 : pick < us->device_p[0] + us->device_p[1] ? 1 : 2;
	emit(l, ts, u, -1, EV_PAGE_VIEW, sid, device, -1);

	/* The page (the logging policy): pinned widgets first, then widgets
	 * drawn by popularity without replacement; hidden ones never. */
	for (long i = 0; i < wd->nitems && nshown < o->page_slots; i++)
		if (us->pinned[i] && !us->hidden[i]) {
			shown[nshown++] = i;
			onpage[i] = 1;
		}
	while (nshown < o->page_slots) {
		long i;

		for (i = 0; i < wd->nitems; i++)
			wts[i] = us->hidden[i] || onpage[i] ? 0 : wd->items[i].pop_weight;
		if ((i = weighted_pick(r, wts, wd->nitems)) < 0)
			break;
		shown[nshown++] = i;
		onpage[i] = 1;
	}

	for (long k = 0; k < nshown; k++) {
		long i = shown[k];
		double s = utility(wd, us, &wd->items[i], t);

		ts += (int64_t)gsl_ran_flat(r, 1, 4) * TIME_US_PER_SEC;
		emit(l, ts, u, i, EV_IMPRESSION, sid, device, -1);
		if (gsl_rng_uniform(r) < sigmoid(s - 1.5 - 0.15 * (double)k)) {
			ts += (int64_t)gsl_ran_flat(r, 2, 30) * TIME_US_PER_SEC;
			emit(l, ts, u, i, EV_OPEN, sid, device, -1);
			if (gsl_rng_uniform(r) < 0.5 * sigmoid(s - 1.0)) {
				ts += (int64_t)gsl_ran_flat(r, 2, 20) * TIME_US_PER_SEC;
				emit(l, ts, u, i, EV_DRILLDOWN, sid, device, -1);
			}
			if (gsl_rng_uniform(r) < 0.25) {
				ts += (int64_t)gsl_ran_flat(r, 2, 20) * TIME_US_PER_SEC;
				emit(l, ts, u, i, EV_FILTER, sid, device, -1);
			}
			double secs = nearbyint(exp(log(20.0) + 0.5 * s + gsl_ran_gaussian(r, 0.6)));
			ts += (int64_t)secs * TIME_US_PER_SEC;
			emit(l, ts, u, i, EV_TIME, sid, device, secs);
			if (gsl_rng_uniform(r) < 0.08 * sigmoid(s)) {
				ts += (int64_t)gsl_ran_flat(r, 2, 10) * TIME_US_PER_SEC;
				emit(l, ts, u, i, EV_EXPORT, sid, device, -1);
			}
			if (!us->pinned[i] && gsl_rng_uniform(r) < 0.03 * sigmoid(s - 1)) {
				us->pinned[i] = 1;
				emit(l, ts + TIME_US_PER_SEC, u, i, EV_PIN, sid, device, -1);
			} else if (us->pinned[i] && s < 0 && gsl_rng_uniform(r) < 0.05) {
				us->pinned[i] = 0;
				emit(l, ts + TIME_US_PER_SEC, u, i, EV_UNPIN, sid, device, -1);
			}
		} else if (!us->pinned[i] && gsl_rng_uniform(r) < 0.02 * sigmoid(-s - 1)) {
			us->hidden[i] = 1;
			emit(l, ts + TIME_US_PER_SEC, u, i, EV_NOT_INTERESTED, sid, device, -1);
		}
	}

	/* Browsing: now and then the user opens a widget that was not on the
	 * page, chosen by their own taste; this is what a personal ranker can
	 * learn and popularity cannot. */
	if (gsl_rng_uniform(r) < 0.35) {
		long i;

		for (i = 0; i < wd->nitems; i++)
			wts[i] = us->hidden[i] || onpage[i] ? 0 :
				 exp(1.5 * utility(wd, us, &wd->items[i], t));
		if ((i = weighted_pick(r, wts, wd->nitems)) >= 0) {
			double s = utility(wd, us, &wd->items[i], t);
			ts += (int64_t)gsl_ran_flat(r, 5, 60) * TIME_US_PER_SEC;
			emit(l, ts, u, i, EV_OPEN, sid, device, -1);
			double secs = nearbyint(exp(log(20.0) + 0.5 * s + gsl_ran_gaussian(r, 0.6)));
			ts += (int64_t)secs * TIME_US_PER_SEC;
			emit(l, ts, u, i, EV_TIME, sid, device, secs);
		}
	}
	for (long k = 0; k < nshown; k++)
		onpage[shown[k]] = 0;
	return ts;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

uint64_t synth_events(const struct synth_events_options *o, struct writer *w)
{
	static const char *const cols[] = { "ts", "user_id", "event", "item_id", "session_id",
					    "value", "role", "device" };
	static const int json[] = { COLUMN_STRING, COLUMN_STRING, COLUMN_STRING, COLUMN_STRING,
				    COLUMN_STRING, COLUMN_NUMBER, COLUMN_STRING, COLUMN_STRING };
	struct world wd;
	struct user *users;
	struct event_list l = { 0 };
	long *shown = xcalloc((size_t)o->page_slots + 1, sizeof *shown);
	double *wts;
	unsigned char *onpage;   /* on the current page: O(1) to test */
	uint64_t rows = 0;
	char ts_s[TIME_FORMAT_MAX], sid_s[48], val_s[NUM_FORMAT_MAX];
	struct field row[8];

	make_world(o, &wd);
	wts = xcalloc((size_t)(wd.nitems > 0 ? wd.nitems : 1), sizeof *wts);
	onpage = xcalloc((size_t)(wd.nitems > 0 ? wd.nitems : 1), 1);
	users = xcalloc((size_t)(o->users > 0 ? o->users : 1), sizeof *users);
	for (long u = 0; u < o->users; u++)
		make_user(o, u, &users[u]);
	writer_columns(w, 8, cols, json);

	/* Day by day: every user's sessions of the day, then sorted by time,
	 * so memory holds one day of events. */
	for (long d = 0; d < o->days; d++) {
		double t = o->days > 1 ? (double)d / (double)(o->days - 1) : 0;

		for (long u = 0; u < o->users && wd.nitems > 0; u++) {
			unsigned n = gsl_ran_poisson(users[u].g.r, users[u].rate);
			int64_t starts[16], end = 0;

			if (n > 16)
				n = 16;
			for (unsigned k = 0; k < n; k++)
				starts[k] = ((o->start + d) * 86400 + session_second(users[u].g.r)) * TIME_US_PER_SEC;
			qsort(starts, n, sizeof *starts, by_value);
			/* a session starts a minute or more after the last ended */
			for (unsigned k = 0; k < n; k++) {
				int64_t at = starts[k] > end + 60 * TIME_US_PER_SEC ? starts[k] : end + 60 * TIME_US_PER_SEC;
				end = session(o, &wd, &users[u], u, at, t, &l, shown, wts, onpage);
			}
		}
		if (l.n > 0)
			qsort(l.ev, l.n, sizeof *l.ev, by_time);
		/* A session may run past midnight: its later events wait for
		 * the next day's batch, so the output stays in time order. */
		size_t ready = l.n;
		if (d + 1 < o->days) {
			int64_t next_day = (o->start + d + 1) * TIME_US_PER_DAY;
			while (ready > 0 && l.ev[ready - 1].ts >= next_day)
				ready--;
		}
		for (size_t i = 0; i < ready; i++) {
			const struct event *ev = &l.ev[i];
			const struct user *us = &users[ev->user];
			const char *item = ev->item >= 0 ? wd.items[ev->item].id : "";

			row[0] = text(ts_s, time_format_timestamp(ev->ts, ts_s));
			row[1] = text(us->id, strlen(us->id));
			row[2] = text(event_names[ev->type], strlen(event_names[ev->type]));
			row[3] = (struct field){ item, strlen(item), *item ? FIELD_TEXT : FIELD_NULL };
			row[4] = text(sid_s, (size_t)snprintf(sid_s, sizeof sid_s, "%s-%ld", us->id, ev->session));
			if (ev->value >= 0)
				row[5] = text(val_s, num_format_fixed(ev->value, 0, val_s));
			else
				row[5] = (struct field){ "", 0, FIELD_NULL };
			row[6] = text(roles[us->role], strlen(roles[us->role]));
			row[7] = text(devices[ev->device], strlen(devices[ev->device]));
			writer_row(w, row);
			rows++;
		}
		if (l.n > ready)
			memmove(l.ev, l.ev + ready, (l.n - ready) * sizeof *l.ev);
		l.n -= ready;
	}
	for (long u = 0; u < o->users; u++) {
		rng_free(&users[u].g);
		free(users[u].pinned);
		free(users[u].hidden);
	}
	free(users);
	free(l.ev);
	free(wd.items);
	free(shown);
	free(wts);
	free(onpage);
	return rows;
}
