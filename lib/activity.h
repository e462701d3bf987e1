/*
 * activity: what each user has done with each item up to a point in time,
 * in memory proportional to the (user, item) pairs that ever interacted,
 * not to the events.
 *
 * Per pair: windowed counts of impressions, opens, drilldowns, filter
 * changes, exports and pins and the sum of time spent (tally.h), a decayed
 * engagement sum kept in closed form (value and the time it was last
 * brought up to date: decay(T) = value * 2^-((T - t) / half-life)), the
 * time of the last interaction (any event but an impression), and the
 * pinned and not-interested states (the latest pin or unpin decides
 * pinned; not_interested holds until the user opens or pins the item
 * again).  Per user: windowed page views (sessions), first and last event
 * time, latest role, and the list of its pairs.  Per item: the time it was
 * first seen.
 *
 * activity_snapshot() turns the state at a cut into the aggregates features
 * need: every pair's window sums, and per item and per user the totals over
 * their pairs.
 */
#ifndef ADASH_ACTIVITY_H
#define ADASH_ACTIVITY_H

#include "events.h"
#include "tally.h"
#include "u64map.h"

#include <stdint.h>

/* What a pair's buckets count. */
enum pair_tally {
	TALLY_IMPRESSION = 0, TALLY_OPEN, TALLY_DRILLDOWN, TALLY_FILTER, TALLY_EXPORT, TALLY_PIN,
	TALLY_MS, /* time spent, milliseconds */
	NTALLY
};

struct pair {
	uint32_t user, item;
	int64_t last_touch;     /* INT64_MIN: never */
	int64_t decay_t;
	double decay;           /* engagement decayed to decay_t */
	uint8_t pinned, not_interested;
};

struct user {
	int64_t first, last;    /* INT64_MIN: no event applied yet */
	uint32_t role;          /* EV_NONE when unknown */
	uint32_t *pairs;
	size_t npairs, cap;
};

struct item_state {
	int64_t first;          /* INT64_MIN: not seen in an applied event */
};

struct activity {
	struct tally_layout pair_layout, user_layout;
	double half_life;       /* microseconds */
	struct user *users;
	size_t nusers, users_cap;
	struct item_state *items;
	size_t nitems, items_cap;
	struct pair *pairs;
	size_t npairs, pairs_cap;
	uint32_t *pair_blocks, *user_blocks;
	size_t pair_blocks_cap, user_blocks_cap;
	struct u64map pair_index;    /* (user, item) -> pair */
};

/* windows in microseconds; cuts at origin + k * step (step 0: one cut);
 * half_life in microseconds.  -1 with e for windows the layout refuses. */
int activity_init(struct activity *a, const int64_t *windows, size_t nwin, int64_t step,
		  int64_t origin, double half_life, struct adash_err *e);
void activity_free(struct activity *a);

/* Makes room for user and item ids below nusers and nitems. */
void activity_reserve(struct activity *a, size_t nusers, size_t nitems);

/* Applies one event (in time order). */
void activity_apply(struct activity *a, const struct event *ev);

/* The pair of user and item, or EV_NONE. */
uint32_t activity_find_pair(const struct activity *a, uint32_t user, uint32_t item);

/* Aggregates at a cut. */
struct snapshot {
	size_t nwin;
	double *pair_win;     /* [pair][window][NTALLY] */
	double *item_engage;  /* [item][window]: engagement summed over users */
	double *item_users;   /* [item][window]: users with an engagement */
	double *item_impr;    /* [item][window] */
	double *item_open;    /* [item][window] */
	double *user_engage;  /* [user][window] */
	double *user_sessions;/* [user][window]: page views */
};

void snapshot_init(struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* Fills s from a's state at cut (no event after cut applied). */
void activity_snapshot(const struct activity *a, int64_t cut, struct snapshot *s);

/* Engagement in a pair's window sums: opens + drilldowns + exports + pins. */
static inline double tally_engagement(const double *t)
{
	return t[TALLY_OPEN] + t[TALLY_DRILLDOWN] + t[TALLY_EXPORT] + t[TALLY_PIN];
}

/* The pair's decayed engagement at cut. */
double activity_decay(const struct activity *a, const struct pair *p, int64_t cut);

#endif
