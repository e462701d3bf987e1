/*
 * synth: deterministic demo and test data.
 *
 * sales: per-shop daily sales with footfall, price, promo and temperature,
 * following the model in adash-synth(1) exactly (weekly pattern high on
 * Friday and Saturday, trend, promotions, price elasticity, seasonal
 * temperature, noise).
 *
 * events: dashboard activity of users with roles on widgets with types,
 * driven by latent preferences (role x widget-type affinity, personal taste
 * that drifts slowly, widget popularity), logged by a popularity-based page
 * layout, so that a ranker that learns each user's taste measurably beats
 * popularity.  The generative model is documented in adash-synth(1).
 *
 * Every shop and every user draws from its own random stream (rng_derive of
 * the seed and its number), so shop 7's values or user 7's events are the
 * same whatever the number of shops or users generated alongside (their ids
 * are zero-padded to the width of the largest, so "s07" among 10 shops is
 * "s007" among 100).
 *
 * Cost: events take O(items) per widget shown (popularity-weighted draws
 * without replacement) and memory O(users x items) bytes for pinned and
 * hidden flags, plus one day of events.  Rejected: a Python-style simulation
 * per event object; a flat event array sorted per day keeps it fast enough to
 * generate a million rows a second.
 */
#ifndef ADASH_SYNTH_H
#define ADASH_SYNTH_H

#include "writer.h"

#include <stdint.h>
#include <stdio.h>

struct synth_sales_options {
	long shops, days;
	int64_t start;      /* day number of the first date */
	uint64_t seed;
};

/* Writes the sales table (columns shop_id,date,sales,footfall,price,promo,
 * temp_c), grouped by shop and ordered by date; returns rows written. */
uint64_t synth_sales(const struct synth_sales_options *o, struct writer *w);

struct synth_events_options {
	long users, items, days;
	int64_t start;      /* day number of the first day */
	uint64_t seed;
	int page_slots;     /* widgets shown per page view */
	long shops;         /* > 0: the catalog's kpi widgets show the sales of
	                       the shops of synth_sales (series column) */
};

/* Writes the widget catalog (item_id,item_type,title, and with shops a
 * series column: the first kpi widget shows the total of all shops, the
 * next ones shop s01, s02, ... in turn, and are titled for it). */
void synth_items(const struct synth_events_options *o, struct writer *w);

/* Writes the event log (columns ts,user_id,event,item_id,session_id,value,
 * role,device) in time order; returns rows written. */
uint64_t synth_events(const struct synth_events_options *o, struct writer *w);

#endif
