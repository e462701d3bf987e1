/*
 * itemstats: what events-mode features know about an item from all users
 * at a cut (its engagement, distinct users, impressions and opens per
 * window, its engagement by the users of each role, and the item-item
 * co-occurrence sums behind cooc), and a file that carries them from one
 * run to others.
 *
 * Every statistic is a sum over users of something one user's events
 * decide, so the statistics of a set of users are the sums of those of
 * any partition of it: runs over parts of the users can add their partial
 * statistics up (a file of them is a list of rows that the reader sums
 * when a key repeats, so files of parts simply concatenate), and a run over
 * one part of the users, reading the statistics of all of them, writes
 * exactly the rows the run over all users writes for that part
 * (adash-features(1), Beyond one machine).  The summands are whole
 * numbers (counts of events, and products of counts for cooc), so the sums
 * are exact in doubles below 2^53 whatever order they come in: the run
 * that computes its statistics itself and the runs that read them see the
 * same bits.  Time spent and decayed engagement, which are fractions, are
 * per-user features and never summed here.
 *
 * An events-mode run computes its own item statistics at a cut through
 * the same itemcut_add (from its activity) and cooc_finish that a run
 * writing them to a file uses; a run reading a file fills the same struct
 * itemcut from the rows.  So the formulas exist once.
 *
 * The file is CSV: record,asof,item,other, then one column per window
 * (named as --windows names it, in its order, so the header alone says
 * which windows the statistics are for).  Records:
 *   cuts,,,SPEC       the cut times the statistics were made for
 *   span,TIME,,first  the first event's time (min over files)
 *   span,TIME,,last   the last event's time (max over files)
 *   first,TIME,ITEM,  the time ITEM was first seen (min over files)
 *   engage|users|impr|open,ASOF,ITEM,,V...   per window (summed)
 *   role,ASOF,ITEM,ROLE,V...                  per window (summed)
 *   norm,ASOF,ITEM,,V   dot,ASOF,ITEM,ITEM2,V   in the longest window's
 *                       column: cooc's sums of squares and dot products
 * A repeated header line (files joined with cat) is skipped.
 * Rejected: one JSON document (it cannot be concatenated, and a reader
 * must hold it whole); per-window rows (four times the rows for nothing).
 */
#ifndef ADASH_ITEMSTATS_H
#define ADASH_ITEMSTATS_H

#include "activity.h"
#include "cooc.h"
#include "err.h"
#include "events.h"
#include "num.h"
#include "record.h"
#include "writer.h"

#include <stdint.h>
#include <stdio.h>

/* The statistics at one cut.  Arrays are [item][window] and
 * [role][item][window], zero for an item or role nothing was added for. */
struct itemcut {
	int64_t t;
	size_t nwin, wlong;          /* windows, and the longest (cooc's) */
	size_t nitems, nroles, item_cap, role_cap;
	double *engage, *users, *impr, *open;
	double *role;
	struct cooc cooc;
	int finished;                /* cooc_finish done */
};

void itemcut_init(struct itemcut *c, int64_t t, size_t nwin, size_t wlong);
void itemcut_free(struct itemcut *c);
/* Makes room for item ids below nitems and role ids below nroles. */
void itemcut_reserve(struct itemcut *c, size_t nitems, size_t nroles);
/* The per-window cells of a role and an item (below nroles, nitems). */
static inline const double *itemcut_role(const struct itemcut *c, uint32_t role, uint32_t item)
{
	return c->role + ((size_t)role * c->item_cap + item) * c->nwin;
}
/* Adds the users of a (whose snapshot s is at c->t): user_role[u] is the
 * role user u counts under, or EV_NONE. */
void itemcut_add(struct itemcut *c, const struct activity *a, const struct snapshot *s,
		 const uint32_t *user_role);
/* Turns cooc's sums into similarities; no adding after it. */
void itemcut_finish(struct itemcut *c);

/* The contents of statistics files, read and summed. */
struct itemstats {
	struct itemcut *cuts;        /* by time */
	size_t ncuts, cuts_cap;
	int64_t first, last;         /* span of the events; INT64_MAX, INT64_MIN when none */
	int64_t *item_first;         /* per item id: first seen; INT64_MAX when never */
	size_t nitem_first;
};

/* Lowers the first time item was seen to t, growing *first (*n entries;
 * new ones INT64_MAX, "not yet") to hold it.  1 when it was lowered.  The
 * one rule of "first seen" for the statistics a run makes and those it
 * reads. */
int item_first_note(int64_t **first, size_t *n, uint32_t item, int64_t t);

/* Reads and sums the files (NULL-terminated), interning items and roles.
 * The header must name the windows win_names[0..nwin) in that order and
 * every cuts row must say cuts_spec; else -1 with e (code 1) saying how
 * they differ.  Code 3 for a file that cannot be read. */
int itemstats_read(struct itemstats *s, char *const *paths, const char *const *win_names,
		   size_t nwin, size_t wlong, const char *cuts_spec, struct idmap *items,
		   struct idmap *roles, struct adash_err *e);
void itemstats_free(struct itemstats *s);
/* An empty set of statistics (to add cuts to). */
void itemstats_init(struct itemstats *s);
/* The statistics at cut t, or NULL when the files have none (all zero). */
struct itemcut *itemstats_at(const struct itemstats *s, int64_t t);
/* The statistics at cut t, added (empty) when missing; valid until the
 * next call. */
struct itemcut *itemstats_add_cut(struct itemstats *s, int64_t t, size_t nwin, size_t wlong);

/* Writing: the header and the cuts row at open, then cuts (before
 * itemcut_finish), then the span and first-seen rows. */
struct itemstats_out {
	struct writer *w;
	size_t ncols, wlong;
	struct field *row;
	char (*text)[NUM_FORMAT_MAX];
};

void itemstats_out_open(struct itemstats_out *o, FILE *out, const char *const *win_names,
			size_t nwin, size_t wlong, const char *cuts_spec);
void itemstats_out_close(struct itemstats_out *o);
void itemstats_write_cut(struct itemstats_out *o, const struct itemcut *c,
			 const struct idmap *items, const struct idmap *roles);
/* item_first[i] (INT64_MAX: not seen) for items below nitems. */
void itemstats_write_span(struct itemstats_out *o, int64_t first, int64_t last,
			  const int64_t *item_first, size_t nitems, const struct idmap *items);

#endif
