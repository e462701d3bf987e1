/*
 * eventfeatures: adash-features in events mode: from behaviour events to
 * one row per (user, candidate item) as of each cut time, with features
 * computed from events at or before the cut only and, for training, a label
 * from the events after it.
 *
 * The events stream through once, in time order.  Events up to the next
 * cut are applied to the activity state (activity.h); events after it wait
 * in a queue until the label horizon has passed, then the cut's rows are
 * written from the state (features) and the queue (labels), and the
 * queued events up to the next cut are applied.  Memory is the state,
 * proportional to the (user, item) pairs that interacted, plus the events
 * of one label horizon.  Input out of time order is an error unless `sort`
 * asks for the events to be held and sorted in memory first.
 *
 * Rows of a cut: users with an event at or before it (with a label horizon,
 * only those who came back within it, since a user who did not come back
 * says nothing about which widget they want), plus users named in a
 * --users file who have no history yet; for each, the candidate items of
 * the --candidates rules; rows in user order (first seen), then catalog
 * order (--items first, then items as first seen).  An item first seen
 * after the cut is not a candidate: it did not exist yet.
 *
 * The feature columns and their names are listed in adash-features(1) and
 * adash.7 (FEATURE NAMES); checklist: keep names here and there in step.
 */
#ifndef ADASH_EVENTFEATURES_H
#define ADASH_EVENTFEATURES_H

#include "cli.h"
#include "err.h"
#include "reader.h"

#include <stdint.h>
#include <stdio.h>

struct events_options {
	char **windows;          /* durations ("1h", "7d"); NULL: 1h,24h,7d,30d */
	const char *half_life;   /* of decayed engagement; NULL: 7d */
	const char *asof;        /* one cut: a timestamp, a date, or "now" */
	const char *asof_every;  /* a step between cuts */
	const char *since, *until;
	const char *label_horizon;
	char **candidates;       /* rules; NULL: all */
	long negatives;          /* negatives per positive; 0: every candidate */
	char **log1p;            /* feature columns (or "counts") to add log1p_ of */
	const char *items_path;  /* catalog: item_id, item_type */
	const char *users_path;  /* users without history: user_id, role */
	int sort;
	char **item_stats;       /* files of item statistics to read instead of computing them */
	const char *item_stats_out; /* write the item statistics here ("-": stdout), not rows */
	int grouped;             /* input grouped by user, each user's events in time order */
	struct run_io io;            /* the common options (cli.h) */
};

/* Runs over inputs (NULL-terminated; "-" is stdin).  0, or -1 with e
 * (code 2 for a bad option value). */
int events_run(const struct events_options *o, char *const *inputs, FILE *out,
	       struct adash_err *e);

#endif
